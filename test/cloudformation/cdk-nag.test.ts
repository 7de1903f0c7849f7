/**
 * cdk-nag's AwsSolutions and NIST 800-53 rev 5 packs over every template of the example and its
 * variants (aws-cdk-lib's CfnInclude reads our JSON as it is). Suppressions are not configured in
 * this test: the harness reads the `Metadata.cdk_nag.rules_to_suppress` the emitter wrote (the
 * cdk-nag v2 contract other compliance tooling reads too) and acknowledges each through cdk-nag v3's
 * `Validations.acknowledge`. Every violation must be fixed or acknowledged by Metadata we emitted,
 * with a reason. CDK's own template validation (a cfn-lint subset) is switched off: cfn-lint.test.ts
 * runs the real thing.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Artifact } from '../../src/emitters/artifact.js';
import { compile } from '../../src/pipeline.js';
import { compileCfn, EXAMPLE, templates, VARIANTS } from './fixtures.js';
import { classMismatches, probe, ruleTargets, useRuleClasses, type Evaluation } from './nag-rules.js';

interface NagEntry {
  id: string;
  reason: string;
  applies_to?: string[];
}
interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties: Record<string, any>; Metadata?: { cdk_nag?: { rules_to_suppress?: NagEntry[] }; checkov?: { skip?: { id: string; comment: string }[] } } }>;
}
interface Violation {
  pack: string;
  rule: string;
  severity: string;
  template: string;
  resource: string;
}

const MIN_REASON = 40;
// CfnInclude must build each resource with the class cdk-nag's rules test (AWS::EKS::Cluster as aws-eks's
// CfnCluster, not aws-eks-v2's), or those rules silently do not apply (nag-rules.ts).
useRuleClasses();
/** What every rule answered on every resource of the variants' runs (the coverage test reads it). */
const evaluations: Evaluation[] = [];
const work = mkdtempSync(join(tmpdir(), 'innovate-cdk-nag-'));
let previous: string | undefined;
beforeAll(() => {
  previous = process.env.CDK_VALIDATION;
  process.env.CDK_VALIDATION = 'false';
});
afterAll(() => {
  if (previous === undefined) delete process.env.CDK_VALIDATION;
  else process.env.CDK_VALIDATION = previous;
  rmSync(work, { recursive: true, force: true });
});

/** `AwsSolutions-IAM5` -> `AwsSolutions`, `NIST.800.53.R5-RDSLoggingEnabled` -> `NIST.800.53.R5`. */
const packOf = (id: string): string => id.slice(0, id.indexOf('-'));

/**
 * Runs both packs over the templates in one App (a Stack per template) and returns what is left
 * after acknowledging the Metadata suppressions; `acknowledged` counts the acknowledgements made.
 */
function nag(name: string, files: readonly Artifact[], record?: Evaluation[]): { violations: Violation[]; acknowledged: number } {
  const dir = mkdtempSync(join(work, `${name}-`));
  const app = new App({ outdir: join(dir, 'cdk.out') });
  let acknowledged = 0;
  files.forEach((a, i) => {
    const file = join(dir, a.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, a.content);
    const include = new CfnInclude(new Stack(app, `S${i}`), 'T', { templateFile: file });
    for (const [id, r] of Object.entries((JSON.parse(a.content) as CfnTemplate).Resources)) {
      for (const s of r.Metadata?.cdk_nag?.rules_to_suppress ?? []) {
        // v2 semantics: applies_to narrows a granular rule to the listed findings; without it, the whole rule.
        for (const finding of s.applies_to ?? [undefined]) {
          Validations.of(include.getResource(id)).acknowledge({ id: `${packOf(s.id)}::${s.id}${finding ? `[${finding}]` : ''}`, reason: s.reason });
          acknowledged++;
        }
      }
    }
  });
  Validations.of(app).addPlugins(record ? new (probe(AwsSolutionsChecks, record))(app) : new AwsSolutionsChecks(app));
  Validations.of(app).addPlugins(record ? new (probe(NIST80053R5Checks, record))(app) : new NIST80053R5Checks(app));
  const quiet = [console.log, console.error, console.warn] as const;
  console.log = console.error = console.warn = () => {};
  try {
    app.synth();
  } catch {
    // "Validation failed": the findings are in the report.
  } finally {
    [console.log, console.error, console.warn] = quiet;
  }
  const report = JSON.parse(readFileSync(join(dir, 'cdk.out', 'validation-report.json'), 'utf8')) as {
    pluginReports: { pluginName: string; violations: { ruleName: string; severity: string; violatingConstructs: { constructPath: string }[] }[] }[];
  };
  const violations = report.pluginReports.flatMap((p) =>
    p.violations.flatMap((v) =>
      v.violatingConstructs.map((c) => {
        const [stack, , resource] = c.constructPath.split('/');
        return { pack: p.pluginName, rule: v.ruleName, severity: v.severity, template: files[Number(stack!.slice(1))]!.path, resource: resource ?? '?' };
      }),
    ),
  );
  // v3 acknowledges a granular finding (`AwsSolutions-IAM5[Resource::*]`) only by its full id; in v2 a suppression
  // without applies_to covers every finding of the rule, so those are matched here.
  const wholeRule = (v: Violation): boolean => {
    const base = v.rule.replace(/\[.*\]$/, '');
    const entries = (JSON.parse(files.find((a) => a.path === v.template)!.content) as CfnTemplate).Resources[v.resource]?.Metadata?.cdk_nag?.rules_to_suppress ?? [];
    return base !== v.rule && entries.some((e) => e.id === base && !e.applies_to && e.reason.trim().length > 0);
  };
  return { violations: violations.filter((v) => !wholeRule(v)), acknowledged };
}

/**
 * Rules that check a type we emit but apply to none of our resources, by design of the rule (it
 * looks at a configuration we never write), each with the reason. Empty unless a run shows otherwise.
 */
const NOT_APPLICABLE_BY_DESIGN: Readonly<Record<string, string>> = {};

const show = (v: Violation) => `${v.severity} ${v.rule} ${v.template}#${v.resource}`;

describe('cdk-nag AwsSolutions and NIST 800-53 rev 5', () => {
  it.each(Object.keys(VARIANTS))('every finding in the %s templates is fixed or acknowledged by emitted Metadata', (name) => {
    const { violations, acknowledged } = nag(name, templates(compileCfn(VARIANTS[name]!).artifacts), evaluations);
    expect(violations.map(show)).toEqual([]);
    expect(acknowledged).toBeGreaterThan(0);
  });

  it('every suppression names its scanner rule and carries a specific reason', () => {
    const problems: string[] = [];
    for (const [name, text] of Object.entries(VARIANTS)) {
      for (const a of templates(compileCfn(text).artifacts)) {
        for (const [id, r] of Object.entries((JSON.parse(a.content) as CfnTemplate).Resources)) {
          for (const s of r.Metadata?.cdk_nag?.rules_to_suppress ?? []) {
            if (!/^(AwsSolutions|NIST\.800\.53\.R5)-\w+$/.test(s.id)) problems.push(`${name} ${a.path}#${id}: rule id ${s.id}`);
            if ((s.reason ?? '').trim().length < MIN_REASON) problems.push(`${name} ${a.path}#${id} ${s.id}: reason "${s.reason}"`);
            if (/^AwsSolutions-IAM[45]$/.test(s.id) && !s.applies_to?.length) problems.push(`${name} ${a.path}#${id} ${s.id}: IAM4/IAM5 without applies_to`);
          }
          for (const s of r.Metadata?.checkov?.skip ?? []) {
            if (!/^CKV2?_AWS_\d+$/.test(s.id) || (s.comment ?? '').trim().length < MIN_REASON) problems.push(`${name} ${a.path}#${id}: checkov ${s.id} "${s.comment}"`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('reports real violations: a bucket policy without the TLS deny, and a suppression removed', () => {
    const files = templates(compileCfn(EXAMPLE).artifacts).filter((a) => a.path.startsWith('cloudformation/production/'));
    const broken = files.map((a) => {
      const t = JSON.parse(a.content) as CfnTemplate;
      if (a.path.endsWith('/audit.json')) {
        const policy = t.Resources.TrailBucketPolicy!.Properties.PolicyDocument as { Statement: { Sid: string }[] };
        policy.Statement = policy.Statement.filter((s) => s.Sid !== 'DenyInsecureTransport');
      }
      if (a.path.endsWith('/karpenter.json')) {
        delete t.Resources.KarpenterInterruptionQueue!.Metadata;
        // A whole-rule suppression (no applies_to, as a spec exception may write it) covers every granular finding.
        t.Resources.KarpenterControllerRolePolicy!.Metadata = { cdk_nag: { rules_to_suppress: [{ id: 'AwsSolutions-IAM5', reason: 'whole rule' }] } };
      }
      return { ...a, content: JSON.stringify(t) };
    });
    const found = nag('negative', broken).violations.map(show);
    expect(found).toEqual(
      expect.arrayContaining([
        'error AwsSolutions-S10 cloudformation/production/audit.json#TrailBucketPolicy',
        'error NIST.800.53.R5-S3BucketSSLRequestsOnly cloudformation/production/audit.json#TrailBucketPolicy',
        'error AwsSolutions-SQS3 cloudformation/production/karpenter.json#KarpenterInterruptionQueue',
      ]),
    );
    expect(found.filter((f) => f.includes('KarpenterControllerRolePolicy'))).toEqual([]);
  });
});

describe('the harness runs every cdk-nag rule', () => {
  /** Every resource type the example and its variants emit. */
  const emitted = (): Set<string> =>
    new Set(Object.values(VARIANTS).flatMap((text) => templates(compileCfn(text).artifacts).flatMap((a) => Object.values((JSON.parse(a.content) as CfnTemplate).Resources).map((r) => r.Type))));

  it('reads each rule\'s resource types from the installed cdk-nag, and knows which CfnInclude builds with another class', () => {
    const eks1 = ruleTargets().find((t) => t.rule === 'EKSClusterNoEndpointPublicAccess');
    expect(eks1?.types.get('AWS::EKS::Cluster')).toBe('aws-cdk-lib/aws-eks.CfnCluster');
    // The defect this harness fixes: CfnInclude's own table builds the cluster as aws-eks-v2's CfnCluster.
    expect(classMismatches().get('AWS::EKS::Cluster')).toEqual(['aws-cdk-lib/aws-eks-v2.CfnCluster', 'aws-cdk-lib/aws-eks.CfnCluster']);
  });

  it('every rule that checks a resource type we emit applies to at least one of our resources', () => {
    const seen = evaluations.length > 0 ? evaluations : Object.entries(VARIANTS).flatMap(([name, text]) => {
      const record: Evaluation[] = [];
      nag(name, templates(compileCfn(text).artifacts), record);
      return record;
    });
    const types = emitted();
    const applied = new Set(seen.filter((e) => e.applied).map((e) => e.rule));
    const asked = new Set(seen.map((e) => e.rule));
    const silent = ruleTargets()
      .filter((t) => asked.has(t.rule) && [...t.judged].some((type) => types.has(type)) && !applied.has(t.rule) && !NOT_APPLICABLE_BY_DESIGN[t.rule])
      .map((t) => `${t.rule} (${[...t.judged].filter((type) => types.has(type)).join(', ')})`);
    expect(silent).toEqual([]);
    // Each listed exception is still needed: its rule checks a type we emit and applies to none of our resources.
    for (const rule of Object.keys(NOT_APPLICABLE_BY_DESIGN)) expect(applied.has(rule), rule).toBe(false);
  });

  it('reports EKS1 (public endpoint) once its acknowledgement is removed, and EKS2 with control-plane logs off', () => {
    const files = templates(compileCfn(EXAMPLE).artifacts)
      .filter((a) => a.path === 'cloudformation/production/cluster.json')
      .map((a) => {
        const t = JSON.parse(a.content) as CfnTemplate;
        const cluster = Object.entries(t.Resources).find(([, r]) => r.Type === 'AWS::EKS::Cluster')!;
        delete cluster[1].Metadata;
        delete cluster[1].Properties.Logging;
        return { ...a, content: JSON.stringify(t) };
      });
    const found = nag('eks', files).violations.map((v) => v.rule);
    expect(found).toContain('AwsSolutions-EKS1');
    // EKS2 is granular: one finding per control-plane log type left out.
    expect(found).toEqual(expect.arrayContaining(['AwsSolutions-EKS2[LogExport::api]', 'AwsSolutions-EKS2[LogExport::audit]']));
  });
});

describe('policy exceptions with scanners', () => {
  const spec = (exceptions: unknown[]): string => {
    const d = parse(EXAMPLE) as Record<string, any>;
    d.policy = { exceptions };
    return stringify(d);
  };

  it('become Metadata on the CloudFormation target and annotations on the Kubernetes target, with the reason', () => {
    const text = spec([
      {
        target: 'cloudformation/production/data.json#DatabaseCluster',
        reason: 'reporting replica reads with a shared role until Q3 (TICKET-7)',
        expires: '2099-12-31',
        scanners: { cdkNag: ['AwsSolutions-RDS6', 'AwsSolutions-IAM5[Resource::*]'], checkov: ['CKV_AWS_162'], cfnLint: ['W1011'] },
      },
      {
        target: 'Deployment/apps/web',
        reason: 'nginx writes its pid file to / until the image is rebuilt (TICKET-9)',
        expires: '2099-12-31',
        scanners: { kubeLinter: ['no-read-only-root-fs'], checkov: ['CKV_K8S_22'] },
      },
    ]);
    const r = compile(text);
    expect(r.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    const read = (path: string) => r.artifacts.find((a) => a.path === path)!.content;
    const prod = (JSON.parse(read('cloudformation/production/data.json')) as CfnTemplate).Resources.DatabaseCluster!.Metadata!;
    const reason = 'reporting replica reads with a shared role until Q3 (TICKET-7) (innovate.yaml policy exception, expires 2099-12-31)';
    expect(prod.cdk_nag!.rules_to_suppress).toEqual([
      { id: 'AwsSolutions-IAM5', reason, applies_to: ['Resource::*'] },
      { id: 'AwsSolutions-RDS6', reason },
    ]);
    expect(prod.checkov!.skip).toEqual([{ id: 'CKV_AWS_162', comment: reason }]);
    expect((prod as Record<string, any>)['cfn-lint']).toEqual({ config: { ignore_checks: ['W1011'] } });
    // Only the target named (with its artifact path): the staging cluster is untouched.
    const staging = (JSON.parse(read('cloudformation/staging/data.json')) as CfnTemplate).Resources.DatabaseCluster!.Metadata;
    expect(JSON.stringify(staging)).not.toContain('TICKET-7');

    // The web chart renders its Deployment's annotations from each environment's values file.
    const deployments = r.artifacts.filter((a) => a.kind === 'helm-values' && a.path.endsWith('/workloads/web.values.yaml'));
    expect(deployments.length).toBeGreaterThan(0);
    for (const a of deployments) {
      const doc = { metadata: { annotations: (parse(a.content) as { annotations: { deployment: Record<string, string> } }).annotations.deployment } };
      expect(doc.metadata.annotations['ignore-check.kube-linter.io/no-read-only-root-fs']).toBe('nginx writes its pid file to / until the image is rebuilt (TICKET-9) (innovate.yaml policy exception, expires 2099-12-31)');
      expect(doc.metadata.annotations['checkov.io/skip1']).toMatch(/^CKV_K8S_22=nginx writes its pid file/);
    }
  });

  it('a scanner-only exception is accepted, and reported as unused when its target does not exist', () => {
    const ok = compile(spec([{ target: 'DatabaseMasterSecret', reason: 'rotated by hand each quarter (RUNBOOK-3)', expires: '2099-12-31', scanners: { checkov: ['CKV_AWS_149'] } }]), { policies: true });
    expect(ok.diagnostics.filter((x) => x.code === 'INV901')).toEqual([]);
    const typo = compile(spec([{ target: 'DatabaseMasterSecrett', reason: 'rotated by hand each quarter (RUNBOOK-3)', expires: '2099-12-31', scanners: { checkov: ['CKV_AWS_149'] } }]), { policies: true });
    expect(typo.diagnostics.filter((x) => x.code === 'INV901').map((x) => x.message)).toEqual([expect.stringMatching(/DatabaseMasterSecrett names no resource/)]);
    const neither = compile(spec([{ target: 'DatabaseMasterSecret', reason: 'rotated by hand each quarter (RUNBOOK-3)', expires: '2099-12-31' }]));
    expect(neither.diagnostics.some((x) => x.severity === 'error' && x.path.join('.').startsWith('policy.exceptions.0'))).toBe(true);
  });
});
