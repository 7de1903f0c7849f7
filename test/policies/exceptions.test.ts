/**
 * Policy exceptions: a live exception silences exactly its rule on its target; an expired
 * one brings the finding back with INV900 at its expiry line; one that matches nothing is
 * INV901; and compile turns findings into diagnostics placed in the spec.
 */
import { describe, expect, it } from 'vitest';
import type { Artifact } from '../../src/emitters/artifact.js';
import { compile } from '../../src/pipeline.js';
import { checkBatch, runPolicies, settleExceptions } from '../../src/validators/policies/index.js';
import { EXAMPLE, withExceptions } from '../helpers.js';


/** The example's artifacts with the production trail's log file validation switched off. */
function brokenTrail(artifacts: readonly Artifact[]): Artifact[] {
  return artifacts.map(({ data: _data, ...a }) => {
    if (a.path !== 'cloudformation/production/audit.json') return a;
    const t = JSON.parse(a.content) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    for (const r of Object.values(t.Resources)) if (r.Type === 'AWS::CloudTrail::Trail') r.Properties.EnableLogFileValidation = false;
    return { ...a, content: JSON.stringify(t) };
  });
}

const trailException = (expires: string) => ({ rule: 'INV007', target: 'Trail', reason: 'log file validation is being migrated (TICKET-1)', expires });

describe('policy exceptions', () => {
  it('a live exception silences its rule on its target, and only that', () => {
    const r = compile(withExceptions([trailException('2027-01-01')]));
    const result = runPolicies(brokenTrail(r.artifacts), r.models, { today: '2026-11-26' });
    expect(result.findings.map((f) => f.rule)).toEqual([]);
    expect(result.excepted.map((f) => [f.rule, f.target, f.exception])).toEqual([['INV007', 'Trail', 0]]);
  });

  it('an expired exception is INV900 and no longer silences the finding', () => {
    const r = compile(withExceptions([trailException('2026-01-31')]));
    const result = runPolicies(brokenTrail(r.artifacts), r.models, { today: '2026-11-26' });
    expect(result.findings.map((f) => f.rule).sort()).toEqual(['INV007', 'INV900']);
    expect(result.findings.find((f) => f.rule === 'INV900')!.specPath).toEqual(['policy', 'exceptions', 0, 'expires']);
  });

  it('expiry is not judged without a date, and the last day still counts', () => {
    const r = compile(withExceptions([trailException('2026-11-26')]));
    expect(runPolicies(brokenTrail(r.artifacts), r.models, { today: '2026-11-26' }).findings).toEqual([]);
    expect(runPolicies(brokenTrail(r.artifacts), r.models).findings).toEqual([]);
  });

  it('an exception that matches no finding is INV901, a warning that does not block compile', () => {
    const text = withExceptions([{ ...trailException('2027-01-01'), target: 'NoSuchResource' }]);
    const r = compile(text, { policies: true, today: '2026-11-26' });
    const d = r.diagnostics.find((x) => x.code === 'INV901')!;
    expect(d.severity).toBe('warning');
    expect(d.path).toEqual(['policy', 'exceptions', 0]);
    const line = text.split('\n').findIndex((l) => l.includes('NoSuchResource')) + 1;
    expect(d.line).toBe(line - 1); // the list item starts on the line of "- rule:"
    expect(r.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
  });

  it('exceptions are settled once over every batch: used in any batch is used, unused is one INV901', () => {
    const text = withExceptions([
      trailException('2027-01-01'),
      { target: 'Deployment/apps/api', scanners: { checkov: ['CKV_K8S_43'] }, reason: 'digest pinning comes with the signing work (TICKET-2)', expires: '2027-01-01' },
      { ...trailException('2027-01-01'), target: 'NoSuchResource' },
    ]);
    const r = compile(text);
    const broken = brokenTrail(r.artifacts);
    const cfn = broken.filter((a) => a.kind === 'cloudformation');
    const rest = broken.filter((a) => a.kind !== 'cloudformation');
    const batchwise = settleExceptions([checkBatch(cfn, r.models), checkBatch(rest, r.models)], r.models, { today: '2026-11-26' });
    const whole = runPolicies(broken, r.models, { today: '2026-11-26' });
    expect(batchwise).toEqual(whole);
    expect(whole.excepted.map((f) => f.target)).toEqual(['Trail']);
    expect(whole.findings.map((f) => `${f.rule} ${f.target}`)).toEqual(['INV901 NoSuchResource']);
  });

  it('without exceptions the broken trail is one INV007 finding naming the artifact and the resource', () => {
    const r = compile(EXAMPLE);
    const broken = runPolicies(brokenTrail(r.artifacts), r.models, { today: '2026-11-26' }).findings;
    expect(broken).toEqual([expect.objectContaining({ rule: 'INV007', artifact: 'cloudformation/production/audit.json', target: 'Trail' })]);
  });
});
