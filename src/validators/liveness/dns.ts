/**
 * Names and zones (issue 15 §7): deployed, does every host resolve, and does every certificate
 * validate? Over the emitted artifacts of each environment whose ingress names a hosted zone
 * (without one innovate writes no DNS: the zone, the record and the validation records are the
 * operator's, as the schema says):
 *   INV114 (error) every Ingress host has something that writes its record: an external-dns pod in
 *          the platform model that watches Ingresses, whose domain filter covers the host and whose
 *          zone filter keeps the environment's zone, and whose role (its Pod Identity association or
 *          IRSA binding) may route53:ChangeResourceRecordSets on that zone and ListHostedZones,
 *          judged by the IAM evaluator over the role's statements (src/platform/permissions.ts);
 *   INV115 (error) each certificate's DNS validation (AWS::CertificateManager::Certificate
 *          DomainValidationOptions HostedZoneId) names a zone no environment of another account
 *          uses (a zone belongs to one account: INN075 on the spec, here on what is emitted), and
 *          the certificate's names cover every Ingress host of its environment (the load-balancer
 *          controller finds the certificate by the host).
 */
import type { Model } from '../../compiler/model.js';
import { managedPolicyByArn } from '../../inventory/policies.js';
import { evaluate, roleStatements, type PolicyStatement } from '../../platform/permissions.js';
import { EXTERNAL_DNS_POD } from '../../platform/flows.js';
import type { Platform, Pod } from '../../platform/index.js';
import { docsOf, get, k8sTarget, resourcesOf } from '../policies/context.js';
import type { PolicyContext, PolicyFinding, Rule, Template } from '../policies/types.js';

const hostedZoneArn = (zone: string): string => `arn:aws:route53:::hostedzone/${zone}`;
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

/** Whether a DNS name (a domain filter, a certificate name) covers a host: equal, a parent of it, or a wildcard one level up. */
export function covers(name: string, host: string, mode: 'filter' | 'certificate'): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (n === h) return true;
  if (mode === 'filter') return n === '' || h.endsWith(`.${n.replace(/^\./, '')}`);
  // A certificate's wildcard covers exactly one label: *.example.com covers app.example.com only.
  return n.startsWith('*.') && h.endsWith(n.slice(1)) && !h.slice(0, h.length - n.length + 1).includes('.');
}

/** Each Ingress host of an environment, with the manifest and document naming it. */
function ingressHosts(ctx: PolicyContext, env: string): { host: string; artifact: string; target: string }[] {
  const out: { host: string; artifact: string; target: string }[] = [];
  for (const [m, d] of docsOf(ctx, 'Ingress')) {
    if (m.environment !== env) continue;
    const rules = get(d, 'spec', 'rules');
    const hosts = new Set([...(Array.isArray(rules) ? rules.map((r) => get(r, 'host')) : []), ...(Array.isArray(get(d, 'spec', 'tls')) ? (get(d, 'spec', 'tls') as unknown[]).flatMap((t) => strings(get(t, 'hosts'))) : [])]);
    for (const host of hosts) if (typeof host === 'string' && host !== '') out.push({ host, artifact: m.path, target: k8sTarget(d) });
  }
  return out;
}

/** Every statement a role of the platform holds: its own policies and the AWS managed ones the inventory knows. */
function statementsOf(platform: Platform, roleId: string): PolicyStatement[] | undefined {
  const role = platform.principals.roles.find((r) => r.id === roleId);
  if (!role) return undefined;
  return roleStatements(role.permissions.map((p) => ({ Statement: p.statements })), role.managedPolicyArns, managedPolicyByArn).statements;
}

/** Why an external-dns pod does not write `host` in `zone`, or undefined when it does. */
function writerFault(ctx: PolicyContext, platform: Platform, pod: Pod, host: string, zone: string): string | undefined {
  const values = ctx.values.find((v) => v.environment === platform.environment && v.path.endsWith('/external-dns.values.yaml'))?.values;
  if (!values) return `its values file (helm/${platform.environment}/external-dns.values.yaml) is not in the output`;
  const sources = strings(values.sources);
  if (!sources.includes('ingress')) return `it watches ${sources.join(', ') || 'no source'}, not Ingresses (sources: [ingress])`;
  const filters = strings(values.domainFilters);
  if (filters.length > 0 && !filters.some((f) => covers(f, host, 'filter'))) return `its domain filter (${filters.join(', ')}) does not cover ${host}`;
  const zoneFilter = strings(get(values, 'extraArgs', 'zone-id-filter'));
  if (zoneFilter.length > 0 && !zoneFilter.includes(zone)) return `its zone filter (${zoneFilter.join(', ')}) leaves out the environment's zone ${zone}`;
  if (!pod.identity) return 'its service account is bound to no IAM role (no Pod Identity association, no IRSA annotation)';
  const statements = pod.identity.role ? statementsOf(platform, pod.identity.role) : undefined;
  if (!statements) return `its role ${pod.identity.roleArn ?? '?'} is not one the output creates`;
  const change = evaluate(statements, { action: 'route53:ChangeResourceRecordSets', resource: hostedZoneArn(zone) });
  if (!change.allowed) return `its role ${pod.identity.role} may not route53:ChangeResourceRecordSets on ${hostedZoneArn(zone)} (${change.reason})`;
  const list = evaluate(statements, { action: 'route53:ListHostedZones', resource: '*' });
  if (!list.allowed) return `its role ${pod.identity.role} may not route53:ListHostedZones, which it needs to find the zone (${list.reason})`;
  return undefined;
}

export const dnsRecordsWritten: Rule = {
  id: 'INV114',
  title: 'Every ingress host gets its DNS record',
  principle: 'first deploy',
  severity: 'error',
  hint: 'deploy external-dns for the environment (innovate does when ingress.hostedZoneId is set): watching Ingresses, its domain filter covering the host, its zone filter and its role\'s route53:ChangeResourceRecordSets on the environment\'s zone',
  help: 'The AWS Load Balancer Controller creates an ALB for the Ingress with a generated DNS name; nothing points the host at it unless something writes the record. innovate deploys external-dns (sources [ingress], domainFilters [host], zone-id-filter [the zone], txtOwnerId the cluster) with a Pod Identity role that may change that zone only. The rule checks the host of every emitted Ingress against the external-dns pod of the platform model, its values and its role, evaluated as IAM would. See docs/boot.md.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    for (const { model, platform } of ctx.platforms()) {
      const zone = model.ingress?.hostedZoneId;
      if (!zone) continue;
      const writers = platform.pods.filter((p) => p.id === EXTERNAL_DNS_POD || p.owner === 'external-dns');
      for (const h of ingressHosts(ctx, platform.environment)) {
        const faults = writers.map((p) => ({ pod: p, fault: writerFault(ctx, platform, p, h.host, zone) }));
        if (faults.some((f) => f.fault === undefined)) continue;
        const why = faults.length === 0 ? 'no external-dns runs in the platform (nothing writes Route 53 records)' : faults.map((f) => `${f.pod.id}: ${f.fault}`).join('; ');
        const at = faults[0]?.pod.source;
        out.push({
          rule: 'INV114',
          message: `${h.host} (${h.target}) gets no DNS record in hosted zone ${zone}: ${why}; the load balancer keeps its generated name and the host never resolves`,
          artifact: at?.artifact ?? h.artifact,
          target: at?.resource ?? h.target,
          environment: platform.environment,
          specPath: ['ingress', 'host'],
        });
      }
    }
    return out;
  },
};

interface Certificate {
  readonly template: Template;
  readonly id: string;
  readonly env: string;
  readonly names: string[];
  readonly validation: { domain: string; zone: string }[];
}

function certificates(ctx: PolicyContext): Certificate[] {
  return resourcesOf(ctx, 'AWS::CertificateManager::Certificate').flatMap(([t, id, r]): Certificate[] => {
    const env = t.environment;
    if (!env) return [];
    const p = r.Properties ?? {};
    const options = Array.isArray(p.DomainValidationOptions) ? p.DomainValidationOptions : [];
    return [
      {
        template: t,
        id,
        env,
        names: [...strings(p.DomainName), ...strings(p.SubjectAlternativeNames)],
        validation: options.flatMap((o) => (typeof get(o, 'HostedZoneId') === 'string' ? [{ domain: String(get(o, 'DomainName') ?? ''), zone: get(o, 'HostedZoneId') as string }] : [])),
      },
    ];
  });
}

/** The zones each environment's certificates validate in: from its emitted templates, else (not in this batch) its model. */
function zonesByEnvironment(models: readonly Model[], certs: readonly Certificate[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const m of models) {
    const own = certs.filter((c) => c.env === m.environment.name);
    const zones = own.length > 0 ? own.flatMap((c) => c.validation.map((v) => v.zone)) : m.ingress?.hostedZoneId ? [m.ingress.hostedZoneId] : [];
    out.set(m.environment.name, new Set(zones));
  }
  return out;
}

export const certificateZones: Rule = {
  id: 'INV115',
  title: 'Certificates validate in a zone of their own account',
  principle: 'first deploy',
  severity: 'error',
  hint: 'give each environment account its own public hosted zone (e.g. staging.example.com delegated from example.com) and set its ingress.hostedZoneId; the certificate must name the ingress host',
  help: 'ACM DNS validation writes a CNAME into the zone named by DomainValidationOptions, with the stack\'s own credentials: a zone of another account cannot be written, so the certificate stays PENDING_VALIDATION and its stack waits until it fails. A zone belongs to one account, so two environments of different accounts naming the same zone means one of them never validates. The certificate must also cover the Ingress host, since the load-balancer controller finds it by the host. See docs/boot.md.',
  check(ctx) {
    const out: PolicyFinding[] = [];
    const certs = certificates(ctx);
    const zones = zonesByEnvironment(ctx.models, certs);
    for (const c of certs) {
      const model = ctx.models.find((m) => m.environment.name === c.env);
      if (!model) continue;
      const finding = (message: string, specPath: string[]): PolicyFinding => ({ rule: 'INV115', message, artifact: c.template.path, target: c.id, environment: c.env, specPath });
      for (const v of c.validation) {
        const others = ctx.models.filter((m) => m.environment.name !== c.env && m.environment.accountId !== model.environment.accountId && zones.get(m.environment.name)?.has(v.zone));
        if (others.length > 0) {
          const who = others.map((m) => `${m.environment.name} (account ${m.environment.accountId})`).join(', ');
          out.push(finding(`certificate ${c.names[0] ?? c.id} validates in hosted zone ${v.zone}, which ${who} also uses: a zone belongs to one account, so one of the certificates can never be validated and its stack waits until it fails`, ['ingress', 'hostedZoneId']));
        }
        if (v.domain && !c.names.includes(v.domain)) out.push(finding(`certificate ${c.names[0] ?? c.id} is validated for ${v.domain}, a name it does not carry`, ['ingress', 'host']));
      }
      for (const h of ingressHosts(ctx, c.env)) {
        if (!c.names.some((n) => covers(n, h.host, 'certificate'))) out.push(finding(`certificate ${c.names.join(', ') || c.id} does not cover ${h.host} (${h.target}): the load-balancer controller finds no certificate for the host`, ['ingress', 'host']));
      }
    }
    return out;
  },
};
