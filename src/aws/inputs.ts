/**
 * External inputs: what an environment's output names but innovate does not create, each an
 * explicit input of the spec that `innovate plan` and `innovate deploy` look up before any change.
 *
 * - an existing team role (`teams.<name>.iamRoleName` of a team whose principal is external): EKS
 *   refuses an access entry whose principal does not exist, so the cluster stack fails mid-deploy;
 * - a deployer role the CloudTrail guardrail exempts (`organization.guardrails.deployers.roles`): missing,
 *   the deployer is not exempt and later trail changes fail (a warning: the first deploy itself goes through);
 * - the hosted zone of the ingress (`ingress.hostedZoneId`): ACM validates the certificate and
 *   external-dns writes the host's record there, so it must be a public zone of this environment's
 *   account whose name is the host or a parent of it (a zone of another account is invisible: the
 *   certificate never validates and the stack waits for hours);
 * - an explicit image tag (`workloads.<name>.tag`, not CI's): the spec asserts the image is in this
 *   environment's registry; ArgoCD's first sync pulls it.
 *
 * Pure: the list of inputs from the model, and the verdict from what the lookups returned, so the
 * logic is tested without AWS. A missing role or zone, or a zone that does not fit, blocks (exit
 * EXIT_FINDINGS, deploy refuses); a missing image only warns: CI's promotion can still provide it.
 */
import type { Model } from '../compiler/model.js';

export type ExternalInput =
  /** `team`: a team's existing role (access entry); absent: a deployer role the CloudTrail guardrail exempts. */
  | { readonly kind: 'role'; readonly roleName: string; readonly roleArn: string; readonly team?: string; readonly specPath: string }
  | { readonly kind: 'zone'; readonly zoneId: string; readonly host: string; readonly specPath: string }
  | { readonly kind: 'image'; readonly workload: string; readonly registry: string; readonly region: string; readonly repositoryName: string; readonly tag: string; readonly specPath: string };

/** What Route 53 answered for a zone id: the zone, no such zone, or a zone this account may not see (another account's). */
export type ZoneLookup = { readonly name: string; readonly privateZone: boolean } | 'missing' | 'not-visible';

export type Lookup =
  | { readonly kind: 'role'; readonly exists: boolean }
  | { readonly kind: 'zone'; readonly zone: ZoneLookup }
  | { readonly kind: 'image'; readonly state: 'present' | 'no-image' | 'no-repository' };

/** `error`: the lookup itself failed (permissions, network): the input could not be checked. */
export type Verdict = 'ok' | 'missing' | 'mismatch' | 'warning' | 'error';

export interface InputCheck {
  readonly input: ExternalInput;
  readonly verdict: Verdict;
  /** Why, when not ok: one sentence with what to do. */
  readonly reason?: string;
  /** Whether the run must not change anything (plan exits EXIT_FINDINGS, deploy refuses). */
  readonly blocking: boolean;
}

/** The registry host's region (123456789012.dkr.ecr.us-east-1.amazonaws.com), else the fallback. */
export function registryRegion(registry: string, fallback: string): string {
  return /\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com/.exec(registry)?.[1] ?? fallback;
}

/** Every external input the environment's output names, in a stable order: roles, zone, images. */
export function externalInputs(model: Model): ExternalInput[] {
  const out: ExternalInput[] = [];
  for (const t of [...model.teams].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (t.principal.kind === 'external') out.push({ kind: 'role', roleName: t.iamRoleName, roleArn: t.roleArn, team: t.name, specPath: `teams.${t.name}.iamRoleName` });
  }
  // The deployer roles the CloudTrail guardrail exempts (organization.json): named in every environment account.
  if (model.organization?.guardrails.denyCloudTrailTampering) {
    model.organization.guardrails.deployers.roles.forEach((role, i) => out.push({ kind: 'role', roleName: role, roleArn: `arn:${model.partition}:iam::${model.environment.accountId}:role/${role}`, specPath: `organization.guardrails.deployers.roles.${i}` }));
  }
  if (model.ingress?.hostedZoneId) out.push({ kind: 'zone', zoneId: model.ingress.hostedZoneId, host: model.ingress.host, specPath: 'ingress.hostedZoneId' });
  for (const w of [...model.workloads].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (w.image.tagSource !== 'spec' || w.image.tag === undefined) continue;
    const repo = model.registry.repositories.find((r) => r.repositoryName === w.image.repository);
    out.push({
      kind: 'image',
      workload: w.name,
      registry: w.image.registry,
      region: registryRegion(w.image.registry, model.environment.region),
      repositoryName: repo?.repositoryName ?? w.image.repository,
      tag: w.image.tag,
      specPath: `workloads.${w.name}.tag`,
    });
  }
  return out;
}

/** A DNS name in canonical form: lower case, no trailing dot, Route 53's \ooo octal escapes decoded. */
export function dnsName(name: string): string {
  return name
    .replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)))
    .replace(/\.$/, '')
    .toLowerCase();
}

/** Whether a zone of this name can hold the host's records: the host is the zone's name or below it. */
export function zoneCovers(zoneName: string, host: string): boolean {
  const z = dnsName(zoneName);
  const h = dnsName(host);
  return z !== '' && (h === z || h.endsWith(`.${z}`));
}

/** One line naming the input, as plan and deploy print it. */
export function describeInput(i: ExternalInput): string {
  switch (i.kind) {
    case 'role':
      return `iam role ${i.roleName} (${i.specPath})`;
    case 'zone':
      return `hosted zone ${i.zoneId} for ${i.host} (${i.specPath})`;
    case 'image':
      return `image ${i.repositoryName}:${i.tag} (${i.specPath})`;
  }
}

/** The verdict on one input from its lookup; `account` is the environment's account. */
export function judge(input: ExternalInput, lookup: Lookup, account: string): InputCheck {
  if (input.kind === 'role' && lookup.kind === 'role') {
    if (lookup.exists) return { input, verdict: 'ok', blocking: false };
    if (input.team === undefined) {
      return {
        input,
        verdict: 'warning',
        blocking: false,
        reason: `role ${input.roleName} does not exist in account ${account} (iam:GetRole: NoSuchEntity): the CloudTrail guardrail exempts it as a deployer, so whoever deploys now is not exempt and a later change to the trail, a rollback or the audit stack's deletion is denied; create the role and deploy with it, or list the permission sets that deploy under organization.guardrails.deployers.permissionSets`,
      };
    }
    return {
      input,
      verdict: 'missing',
      blocking: true,
      reason: `role ${input.roleName} does not exist in account ${account} (iam:GetRole: NoSuchEntity): the cluster stack's EKS access entry for team ${input.team} names ${input.roleArn}, and EKS refuses a principal that does not exist; create the role first, or give the team a permissionSet so innovate creates it`,
    };
  }
  if (input.kind === 'zone' && lookup.kind === 'zone') {
    const z = lookup.zone;
    const fix = `name a public hosted zone of account ${account} whose name is ${input.host} or a parent of it (delegated from the parent zone)`;
    if (z === 'missing') return { input, verdict: 'missing', blocking: true, reason: `hosted zone ${input.zoneId} does not exist (route53:GetHostedZone: NoSuchHostedZone); ${fix}` };
    if (z === 'not-visible')
      return {
        input,
        verdict: 'mismatch',
        blocking: true,
        reason: `hosted zone ${input.zoneId} is not in account ${account} (Route 53 answered AccessDenied: not authorized to access this resource, its answer for another account's zone): ACM's DNS validation and external-dns run in account ${account} and cannot write there, so the certificate would never validate; ${fix}`,
      };
    if (z.privateZone)
      return { input, verdict: 'mismatch', blocking: true, reason: `hosted zone ${input.zoneId} (${z.name}) is a private zone: ACM validates certificates through public DNS only, so the certificate would never validate; ${fix}` };
    if (!zoneCovers(z.name, input.host))
      return { input, verdict: 'mismatch', blocking: true, reason: `hosted zone ${input.zoneId} is ${z.name}, which does not cover host ${input.host}: the certificate's validation record and the host's record belong in a zone named ${input.host} or a parent of it; ${fix}` };
    return { input, verdict: 'ok', blocking: false, reason: `zone ${z.name}` };
  }
  if (input.kind === 'image' && lookup.kind === 'image') {
    if (lookup.state === 'present') return { input, verdict: 'ok', blocking: false };
    const how = `push ${input.repositoryName}:${input.tag} to ${input.registry} before ArgoCD's first sync, or remove \`tag\` so CI's first promotion sets it`;
    if (lookup.state === 'no-repository')
      return { input, verdict: 'warning', blocking: false, reason: `repository ${input.repositoryName} does not exist yet (the registry stack creates it), so the image is not there: ${how}` };
    return { input, verdict: 'warning', blocking: false, reason: `image ${input.repositoryName}:${input.tag} is not in ${input.registry} (ecr:DescribeImages: ImageNotFoundException): ${how}` };
  }
  throw new Error(`lookup ${lookup.kind} does not answer input ${input.kind}`);
}

/** The line plan and deploy print for a checked input. */
export function checkLine(c: InputCheck): string {
  const what = describeInput(c.input);
  switch (c.verdict) {
    case 'ok':
      return `  ${what}: ${c.input.kind === 'role' ? 'exists' : c.input.kind === 'zone' ? `public, ${c.reason ?? 'covers the host'}` : 'present'}`;
    case 'missing':
      return `  ${what}: MISSING: ${c.reason}`;
    case 'mismatch':
      return `  ${what}: MISMATCH: ${c.reason}`;
    case 'warning':
      return `  ${what}: WARNING: ${c.reason}`;
    case 'error':
      return `  ${what}: NOT CHECKED: ${c.reason}`;
  }
}

/** The JSON form of a check (plan --format json `inputs`). */
export function checkJson(c: InputCheck): Record<string, unknown> {
  const { input } = c;
  const subject = input.kind === 'role' ? { roleName: input.roleName, roleArn: input.roleArn } : input.kind === 'zone' ? { hostedZoneId: input.zoneId, host: input.host } : { repositoryName: input.repositoryName, tag: input.tag, registry: input.registry };
  return { kind: input.kind, specPath: input.specPath, ...subject, verdict: c.verdict, blocking: c.blocking, ...(c.reason && c.verdict !== 'ok' ? { reason: c.reason } : {}) };
}
