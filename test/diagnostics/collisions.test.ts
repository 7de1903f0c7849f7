/**
 * Names derived from spec strings that collide after the emitters' normalisation are INN048 at
 * the spec line, never an exception from the CloudFormation template ("duplicate logical id").
 * The e-mail case of issue 12 first: compile() threw and the CLI printed nothing for json/sarif.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { formatPath } from '../../src/diagnostics/diagnostic.js';
import { DuplicateLogicalIdError, Template } from '../../src/emitters/cloudformation/template.js';
import { compile } from '../../src/pipeline.js';
import { EXAMPLE } from '../helpers.js';
import { base, BASE_LINES, cli, diagnose, lines, show, tempDir, textAt } from './helpers.js';

const ROWS = [
  {
    name: 'alert e-mails that differ in case',
    spec: base('observability:', '  alerts:', '    emails: [x@y.io, X@y.io]'),
    path: 'observability.alerts.emails[1]', line: 15, column: 22, at: 'X@y.io',
    message: '"X@y.io" and "x@y.io" (observability.alerts.emails[0]) produce the same CloudFormation logical id AlarmEmailXYIo',
  },
  {
    name: 'alert e-mails that differ in punctuation',
    spec: base('observability:', '  alerts:', '    emails: [ops.team@y.io, ops-team@y.io]'),
    path: 'observability.alerts.emails[1]', line: 15, column: 29, at: 'ops-team@y.io',
    message: /produce the same CloudFormation logical id AlarmEmailOpsTeamYIo/,
  },
  {
    name: "a workload's repository and an extra repository",
    spec: base('registry:', '  repositories:', '    my--api: {}', 'workloads:', '  my-api: { type: flask }'),
    path: 'registry.repositories.my--api', line: 15, column: 14, at: '{}',
    message: /"my--api" and "my-api" \(workloads\.my-api\) produce the same CloudFormation logical id MyApiRepository/,
  },
  {
    name: 'ArgoCD Applications of two namespaces',
    spec: base('namespaces:', '  a: {}', '  a-b: {}', 'workloads:', '  b-c: { type: flask, namespace: a }', '  c: { type: flask, namespace: a-b }'),
    path: 'workloads.c', line: 18, column: 6, at: '{ type: flask, namespace: a-b',
    message: /"a-b\/c" and "a\/b-c" \(workloads\.b-c\) produce the same ArgoCD Application name a-b-c/,
  },
  {
    name: 'SSO assignments of two permission sets',
    spec: lines(
      ...BASE_LINES.slice(0, 9),
      '  eu-staging: { accountId: "333333333333", region: us-east-1 }',
      ...BASE_LINES.slice(9),
      'organization:',
      '  managementAccountId: "123456789012"',
      '  sso:',
      '    instanceArn: arn:aws:sso:::instance/ssoins-72231a1b2c3d4e5f',
      '    permissionSets:',
      '      dev: { groupId: g1, environments: [eu-staging] }',
      '      dev-eu: { groupId: g2, environments: [staging] }',
    ),
    path: 'organization.sso.permissionSets.dev-eu', line: 20, column: 15, at: '{ groupId: g2',
    message: '"dev-eu in staging" and "dev in eu-staging" (organization.sso.permissionSets.dev) produce the same CloudFormation logical id DevEuStagingAssignment',
  },
  {
    name: 'two teams on one IAM role, in another case',
    spec: base('teams:', '  a: { iamRoleName: Developers }', '  b: { iamRoleName: developers }'),
    path: 'teams.b.iamRoleName', line: 15, column: 21, at: 'developers',
    message: /"developers" and "Developers" \(teams\.a\.iamRoleName\) produce the same EKS access entry principal/,
  },
] as const;

describe('INN048: names that collide after normalisation', () => {
  it.each(ROWS.map((r) => [r.name, r] as const))('%s', (_, row) => {
    const diags = diagnose(row.spec);
    const hits = diags.filter((d) => d.code === 'INN048');
    expect(hits, show(diags)).toHaveLength(1);
    const d = hits[0]!;
    expect(formatPath(d.path)).toBe(row.path);
    expect({ line: d.line, column: d.column }).toEqual({ line: row.line, column: row.column });
    expect(textAt(row.spec, row.line, row.column).startsWith(row.at)).toBe(true);
    expect(d.message).toMatch(row.message);
    // compile() reports the same and never throws
    let compiled: ReturnType<typeof compile> | undefined;
    expect(() => (compiled = compile(row.spec, { policies: true, today: '2026-11-26' }))).not.toThrow();
    expect(compiled!.diagnostics.map((x) => x.code)).toContain('INN048');
    expect(compiled!.diagnostics.map((x) => x.code)).not.toContain('INN999');
  });

  it('an exact repeat is INN062 only, not also INN048', () => {
    const codes = diagnose(base('observability:', '  alerts:', '    emails: [x@y.io, x@y.io]')).map((d) => d.code);
    expect(codes).toContain('INN062');
    expect(codes).not.toContain('INN048');
  });

  it('distinct names stay distinct: the example has no collision', () => {
    expect(diagnose(EXAMPLE).filter((d) => d.code === 'INN048')).toEqual([]);
  });

  it('a template that is still given a duplicate id throws a typed error (the pipeline reports it as INN999)', () => {
    const model = compile(EXAMPLE, { emitters: [] }).models[0]!;
    const t = new Template(model, 'test: one template');
    t.add('AlarmEmailXYIo', 'AWS::SNS::Subscription', {});
    expect(() => t.add('AlarmEmailXYIo', 'AWS::SNS::Subscription', {})).toThrow(DuplicateLogicalIdError);
    expect(() => t.add('AlarmEmailXYIo', 'AWS::SNS::Topic', {})).toThrow('duplicate logical id AlarmEmailXYIo (AWS::SNS::Subscription, then AWS::SNS::Topic) in the template "test"');
  });
});

describe('the e-mail case through the CLI, in every format', () => {
  const tmp = tempDir('innovate-collide-');
  afterAll(() => tmp.remove());
  const spec = EXAMPLE.replace('emails: [oncall@innovate.example]', 'emails: [x@y.io, X@y.io]');
  writeFileSync(tmp.file('innovate.yaml'), spec);
  const line = spec.split('\n').findIndex((l) => l.includes('emails: [x@y.io, X@y.io]')) + 1;

  it.each(['json', 'sarif', 'junit', 'text'])('--format %s: INN048 at the e-mail, exit 1', async (format) => {
    const r = await cli(['validate', 'innovate.yaml', '--format', format], tmp.dir);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('internal error');
    if (format === 'json') {
      const printed = (JSON.parse(r.stdout) as { diagnostics: { code: string; line: number; column: number; path: string }[] }).diagnostics;
      expect(printed.filter((d) => d.code === 'INN048').map((d) => [d.path, d.line])).toEqual([['observability.alerts.emails[1]', line]]);
    } else if (format === 'text') {
      expect(r.stdout).toContain(`innovate.yaml:${line}:`);
      expect(r.stdout).toContain('INN048 observability.alerts.emails[1]: "X@y.io" and "x@y.io"');
    } else expect(r.stdout).toContain('INN048');
  });
});
