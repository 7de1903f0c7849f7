/**
 * Wiring: every Ref / Fn::GetAtt / Fn::Sub variable / DependsOn resolves inside its template,
 * every SSM parameter a template reads is published by an earlier stack of the same account
 * and region in the manifest's order, and no template uses Exports, ImportValue or Conditions.
 */
import { describe, expect, it } from 'vitest';
import { walk } from './cfn-spec.js';
import { compileCfn, manifestOf, templates, VARIANTS } from './fixtures.js';

const PSEUDO = new Set(['AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix']);

type Template = { Parameters?: Record<string, { Type: string; Default?: string }>; Resources: Record<string, { DependsOn?: string[] }>; Outputs?: Record<string, { Export?: unknown }>; Conditions?: unknown };

export function unresolved(t: Template): string[] {
  const out: string[] = [];
  const params = new Set(Object.keys(t.Parameters ?? {}));
  const resources = new Set(Object.keys(t.Resources));
  const known = (name: string) => PSEUDO.has(name) || params.has(name) || resources.has(name);
  walk(t, (node) => {
    const n = node as Record<string, unknown>;
    if (typeof n.Ref === 'string' && !known(n.Ref)) out.push(`Ref ${n.Ref}`);
    const getAtt = n['Fn::GetAtt'];
    if (Array.isArray(getAtt) && !resources.has(getAtt[0] as string)) out.push(`Fn::GetAtt ${getAtt[0]}`);
    const sub = n['Fn::Sub'];
    if (sub !== undefined) {
      const [text, vars] = typeof sub === 'string' ? [sub, {}] : (sub as [string, Record<string, unknown>]);
      for (const [, name] of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
        const base = name!.split('.')[0]!;
        if (!(name! in vars) && !known(name!) && !(name!.includes('.') && resources.has(base))) out.push(`Fn::Sub \${${name}}`);
      }
    }
    if ('Fn::ImportValue' in n) out.push('Fn::ImportValue');
  });
  for (const [id, r] of Object.entries(t.Resources)) for (const d of r.DependsOn ?? []) if (!resources.has(d)) out.push(`${id} DependsOn ${d}`);
  for (const [id, o] of Object.entries(t.Outputs ?? {})) if (o.Export) out.push(`Output ${id} has an Export`);
  if (t.Conditions) out.push('Conditions');
  return out;
}

describe('references', () => {
  for (const [name, text] of Object.entries(VARIANTS)) {
    const { artifacts } = compileCfn(text);
    it(`${name}: every intrinsic resolves within its template`, () => {
      const problems = templates(artifacts).flatMap((a) => unresolved(JSON.parse(a.content)).map((p) => `${a.path}: ${p}`));
      expect(problems).toEqual([]);
    });

    it(`${name}: every SSM parameter read is published earlier, same account and region`, () => {
      const stacks = manifestOf(artifacts);
      const problems: string[] = [];
      stacks.forEach((s, i) => {
        const earlier = stacks.slice(0, i).filter((e) => e.accountId === s.accountId && e.region === s.region);
        const available = new Set(earlier.flatMap((e) => e.publishes));
        for (const path of s.reads) if (!available.has(path)) problems.push(`${s.template} reads ${path}, not published before it`);
        // The template's SSM parameters are exactly what the manifest says it reads.
        const t = JSON.parse(artifacts.find((a) => a.path === s.template)!.content) as Template;
        const declared = Object.values(t.Parameters ?? {}).filter((p) => p.Type.startsWith('AWS::SSM::Parameter::Value')).map((p) => p.Default!);
        expect(declared.sort()).toEqual([...s.reads].sort());
        const published = Object.values(t.Resources as Record<string, { Type: string; Properties: { Name: string } }>).filter((r) => r.Type === 'AWS::SSM::Parameter').map((r) => r.Properties.Name);
        expect(published.sort()).toEqual([...s.publishes].sort());
      });
      expect(problems).toEqual([]);
      // Each path is published once.
      const all = stacks.flatMap((s) => s.publishes);
      expect(new Set(all).size).toBe(all.length);
    });
  }

  it('the checker finds dangling references', () => {
    expect(
      unresolved({
        Resources: { A: { DependsOn: ['Nope'] }, B: { Properties: { X: { Ref: 'Missing' }, Y: { 'Fn::Sub': 'a-${Gone}-${AWS::Region}-${!Literal}' }, Z: { 'Fn::GetAtt': ['Ghost', 'Arn'] } } } as never },
      }),
    ).toEqual(['Ref Missing', 'Fn::Sub ${Gone}', 'Fn::GetAtt Ghost', 'A DependsOn Nope']);
  });
});
