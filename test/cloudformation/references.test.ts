/**
 * Wiring: every Ref / Fn::GetAtt / Fn::Sub variable / DependsOn resolves inside its template,
 * every SSM parameter a template reads is published by an earlier stack of the same account
 * and region in the manifest's order, and no template uses Exports, ImportValue or Conditions.
 */
import { describe, expect, it } from 'vitest';
import { unresolved, type Template } from './wiring.js';
import { compileCfn, manifestOf, templates, VARIANTS } from './fixtures.js';

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
