/**
 * The catalogue: every diagnostic innovate can report, spec codes (INN…) and invariant rules
 * (INV…) alike, in one list. It is a view over the places where each is declared — a code is
 * one entry of CODES (src/diagnostics/codes.ts), a rule one entry of RULES
 * (src/validators/policies/rules) or of the exception bookkeeping (INV900/INV901) — so adding a
 * code or a rule stays a one-line change there. Everything that lists codes reads this view:
 * the SARIF rule descriptors, the JUnit test cases and the README's code table, which a test
 * compares with `readmeCodeTable()`.
 */
import { CODES, type Severity } from './diagnostics/codes.js';
import { BOOKKEEPING_RULES } from './validators/policies/engine.js';
import { RULES } from './validators/policies/rules/index.js';

export interface CatalogueEntry {
  readonly id: string;
  /** `code`: found in the spec itself; `rule`: an invariant over the compiled artifacts. */
  readonly kind: 'code' | 'rule';
  readonly severity: Severity;
  readonly title: string;
  readonly hint: string;
  /** Longer help for SARIF consumers (rules have it; codes use the title). */
  readonly help?: string;
  /** The architecture principle a rule enforces. */
  readonly principle?: string;
  /** Whether a finding weakens the platform's security: SARIF gives only these a security-severity. */
  readonly security: boolean;
  /** The README's description: the title, or a longer one where the title alone is too terse. */
  readonly meaning: string;
}

/** Spec codes that guard the deployed platform's security (the others are about shape or liveness). */
const SECURITY_CODES: ReadonlySet<string> = new Set(['INN039', 'INN040', 'INN041', 'INN042', 'INN046', 'INN061', 'INN070', 'INN071']);

/** Rule principles that are about security; liveness, data safety and policy hygiene are not. */
const SECURITY_PRINCIPLES: ReadonlySet<string> = new Set([
  'network isolation',
  'encryption at rest',
  'encryption in transit',
  'audit',
  'hardened workloads',
  'least privilege',
  'secret hygiene',
]);

/** README descriptions longer than the code's title (the title stays the short SARIF name). */
const MEANINGS: Readonly<Record<string, string>> = {
  INN048: 'name collision: two spec names that give one logical id, AWS name or Kubernetes name after normalisation (case, punctuation), e.g. alert e-mails `x@y.io` and `X@y.io`',
  INN070: 'text another tool would evaluate (`${{`, `{{resolve:`)',
  INN072: 'team without exactly one of `permissionSet` and `iamRoleName`',
  INN073: 'team names an unknown permission set (or the spec has no `organization.sso`)',
  INN074: "team's permission set is assigned to no environment",
  INN075: 'one hosted zone for two accounts (a zone belongs to one account)',
  INN078: "image tag the ECR lifecycle policy expires (`registry.lifecycle.devTagPrefix`), or a dev prefix that matches CI's `sha-<commit>` tags",
  INN079: "explicit image tag CI does not produce: an external input (the image must already be in each environment's registry; `innovate plan` checks it)",
  INN080: "the likely monthly estimate of `innovate cost` is above the environment's `cost.monthlyBudgetUsd` (positioned at the budget line that applies; `validate --no-budget` turns it off)",
  INN081: 'a worker or cronjob with an ingress or `userFacing: true` (it has no Service)',
  INN082: 'a cronjob with `replicas` or `autoscaling` (one pod per run: no HPA, no PodDisruptionBudget)',
  INN083: "a probe that makes no sense: not exactly one handler, HTTP or TCP with no port, a service's probe off, a readiness probe on a cronjob",
  INN084: 'a `userFacing: false` service behind an ingress with one replica (and so no PodDisruptionBudget)',
  INN085: '`type: container` without `build.dockerfile`, or a `build` block on flask or react',
  INN086: 'invalid cron schedule (five fields or a macro; no TZ=)',
  INN087: 'time zone not in the IANA database, or in the wrong case',
  INN088: '`kind: cronjob` without a `cronjob` block, or a `cronjob` block on a service or worker',
  INN089: 'a worker or cronjob that cannot run as one: type react, flask without `command`, or `metrics`',
  INN090: 'an environment is left out of `registry.replication`: it is promoted straight from the build environment',
  INN091: 'an environment is twice in the promotion chain (`registry.replication.to`)',
  INN092: 'alarms, or the budget and anomaly monitor, notify nobody (no e-mail, PagerDuty or Slack); an error in a production environment',
  INN093: 'the production registry scans nothing (`scanOnPush` and `enhancedScanning` off), so the production promotion has no CVE gate',
  INN094: '`registry.replication` set in an environment override: the chain spans every environment',
  INN100: '`security.admission.imageSignatures` is set while `registry.signing` is false: there is no key to verify with',
  INN107: "Grafana sign-in where no team of the environment maps to a Grafana role (no team's permission set has a `groupId`): every sign-in is refused",
  INN999: 'internal error (a bug in innovate; please report it)',
};

// In id order whatever order codes.ts declares them in (entries are grouped there by subject).
const codes: CatalogueEntry[] = Object.entries(CODES).sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, c]) => ({
  id,
  kind: 'code',
  severity: c.severity,
  title: c.title,
  hint: c.hint,
  security: SECURITY_CODES.has(id),
  meaning: MEANINGS[id] ?? c.title,
}));

const rules: CatalogueEntry[] = [
  ...RULES.map((r) => ({ id: r.id, severity: r.severity, title: r.title, hint: r.hint, help: r.help, principle: r.principle as string })),
  ...Object.entries(BOOKKEEPING_RULES).map(([id, r]) => ({ id, severity: r.severity, title: r.title, hint: r.hint, principle: 'policy hygiene' })),
].map((r) => ({ ...r, kind: 'rule' as const, security: SECURITY_PRINCIPLES.has(r.principle), meaning: r.title }));

/** Every code, then every rule, each in id order. */
export const CATALOGUE: readonly CatalogueEntry[] = [...codes, ...rules.sort((a, b) => a.id.localeCompare(b.id))];

/** The invariant rules only: the JUnit test cases beside "spec is valid". */
export const CATALOGUE_RULES: readonly CatalogueEntry[] = CATALOGUE.filter((e) => e.kind === 'rule');

const byId = new Map(CATALOGUE.map((e) => [e.id, e]));
export const catalogueEntry = (id: string): CatalogueEntry | undefined => byId.get(id);

/** The README's `## Diagnostic codes` table, as the catalogue writes it. */
export function readmeCodeTable(): string {
  const row = (e: CatalogueEntry) => `| ${e.id} | ${e.severity} | ${e.meaning.replace(/\|/g, '\\|')} |`;
  return ['| code | severity | meaning |', '|---|---|---|', ...CATALOGUE.map(row)].join('\n');
}
