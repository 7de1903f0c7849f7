/**
 * Runs the invariant rules over compiled artifacts and applies the spec's exceptions.
 * An exception silences the findings of one rule on one target (a CloudFormation
 * logical id, a Kubernetes kind/namespace/name, or an artifact path) until it expires;
 * an expired exception, or one that silences nothing, is itself a finding.
 */
import type { Model } from '../../compiler/model.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { Artifact } from '../../emitters/artifact.js';
import { k8sTarget, policyContext } from './context.js';
import { RULES } from './rules/index.js';
import type { PolicyFinding, Rule } from './types.js';

export interface PolicyOptions {
  /** Today's date (YYYY-MM-DD) for exception expiry; expiry is not checked without it. */
  readonly today?: string;
  /** Rules to run. @default every rule */
  readonly rules?: readonly Rule[];
  /** Artifacts a batch's platforms are built from but which are judged in another batch (see policyContext). */
  readonly related?: readonly Artifact[];
}

/** The artifact of a bookkeeping finding: the spec itself, whose file name policyDiagnostics knows. */
const THE_SPEC = '';

/** Rule ids of the bookkeeping findings about exceptions themselves. */
export const EXCEPTION_EXPIRED = 'INV900';
export const EXCEPTION_UNUSED = 'INV901';

export interface PolicyResult {
  readonly findings: readonly PolicyFinding[];
  /** Findings silenced by an exception, with the exception's index. */
  readonly excepted: readonly (PolicyFinding & { readonly exception: number })[];
}

/**
 * The rules over one batch of artifacts, before exceptions apply: what settleExceptions takes.
 * A large platform is checked in batches (the shared artifacts, then one environment at a
 * time) so that one batch's data is in memory at once; every rule judges what is in its batch.
 */
export interface PolicyBatch {
  readonly raw: readonly PolicyFinding[];
  /** Exceptions (by index) that carry only scanner ids and whose target is in this batch. */
  readonly present: ReadonlySet<number>;
}

export function checkBatch(artifacts: readonly Artifact[], models: readonly Model[], options: PolicyOptions = {}): PolicyBatch {
  const ctx = policyContext(artifacts, models, options.related);
  const raw = (options.rules ?? RULES).flatMap((r) => r.check(ctx));
  const exists = (target: string): boolean =>
    ctx.templates.some((t) => Object.hasOwn(t.resources, target) || Object.keys(t.resources).some((id) => `${t.path}#${id}` === target)) ||
    ctx.manifests.some((m) => m.docs.some((d) => k8sTarget(d) === target));
  const present = new Set<number>();
  exceptionsOf(models).forEach((e, i) => {
    if (e.rule === undefined && e.scanners && exists(e.target)) present.add(i);
  });
  return { raw, present };
}

const exceptionsOf = (models: readonly Model[]) => models[0]?.policy.exceptions ?? [];

/** Applies the spec's exceptions to the findings of every batch, and reports expired and unused exceptions. */
export function settleExceptions(batches: readonly PolicyBatch[], models: readonly Model[], options: PolicyOptions = {}): PolicyResult {
  const exceptions = exceptionsOf(models);
  const used = new Set<number>(batches.flatMap((b) => [...b.present]));
  const findings: PolicyFinding[] = [];
  const excepted: (PolicyFinding & { exception: number })[] = [];
  for (const f of batches.flatMap((b) => b.raw)) {
    const i = exceptions.findIndex((e) => e.rule === f.rule && (e.target === f.target || e.target === f.artifact || e.target === `${f.artifact}#${f.target}`));
    const live = i >= 0 && (options.today === undefined || exceptions[i]!.expires >= options.today);
    if (i >= 0) used.add(i);
    if (live) excepted.push({ ...f, exception: i });
    else findings.push(f);
  }
  exceptions.forEach((e, i) => {
    const what = e.rule ?? 'scanner findings';
    if (options.today !== undefined && e.expires < options.today) {
      findings.push({ rule: EXCEPTION_EXPIRED, message: `the exception for ${what} on ${e.target} expired on ${e.expires}`, artifact: THE_SPEC, target: e.target, specPath: ['policy', 'exceptions', i, 'expires'] });
    } else if (!used.has(i)) {
      findings.push({ rule: EXCEPTION_UNUSED, message: e.rule === undefined ? `the exception for scanner findings on ${e.target} names no resource or object of the artifacts` : `the exception for ${e.rule} on ${e.target} matches no finding`, artifact: THE_SPEC, target: e.target, specPath: ['policy', 'exceptions', i] });
    }
  });
  return { findings, excepted };
}

/** The rules over every artifact at once, exceptions applied. */
export function runPolicies(artifacts: readonly Artifact[], models: readonly Model[], options: PolicyOptions = {}): PolicyResult {
  return settleExceptions([checkBatch(artifacts, models, options)], models, options);
}

export const BOOKKEEPING_RULES = {
  [EXCEPTION_EXPIRED]: { title: 'Policy exception expired', severity: 'error' as const, hint: 'fix the finding, or renew the exception with a new expiry date and a reason' },
  [EXCEPTION_UNUSED]: { title: 'Policy exception unused', severity: 'warning' as const, hint: 'remove the exception: nothing needs it any more' },
};

/** Rule metadata by id, including the bookkeeping rules. */
export function ruleInfo(id: string): { title: string; severity: 'error' | 'warning'; hint: string; help?: string; principle?: string } {
  const r = RULES.find((x) => x.id === id);
  if (r) return r;
  return BOOKKEEPING_RULES[id as keyof typeof BOOKKEEPING_RULES] ?? { title: id, severity: 'error', hint: '' };
}

/** Places policy findings in the spec (via `place`) as diagnostics. */
export function policyDiagnostics(
  findings: readonly PolicyFinding[],
  place: (path: readonly (string | number)[], environment?: string) => { file: string; line: number; column: number },
  environmentOf: (artifact: string) => string | undefined = () => undefined,
): Diagnostic[] {
  return findings.map((f) => {
    const info = ruleInfo(f.rule);
    const env = f.environment ?? environmentOf(f.artifact);
    f = env ? { ...f, environment: env } : f;
    const at = place(f.specPath ?? [], env);
    return {
      code: f.rule as Diagnostic['code'],
      severity: info.severity,
      message: f.message,
      hint: info.hint,
      path: f.specPath ?? [],
      ...at,
      ...(f.environment ? { environments: [f.environment] } : {}),
      artifact: f.artifact === THE_SPEC ? at.file : f.artifact,
      target: f.target,
    };
  });
}
