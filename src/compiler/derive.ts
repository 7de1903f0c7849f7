/**
 * Defaults that depend on other fields: the one place they live (literal defaults live
 * on the schema). Each is a small pure function of the spec and environment, tested as
 * a table in test/derive.test.ts.
 */
import * as z from 'zod/mini';
import type { EnvironmentSpec, NodePoolSpec, Spec, WorkloadSpec } from '../schema/spec.js';
import { autoscalingSchema, replicasSchema } from '../schema/workloads.js';
import type { Probe } from './model.js';
import { planSubnets } from './cidr.js';

export const natGateways = (spec: Spec, env: EnvironmentSpec): 'perZone' | 'single' =>
  spec.network.natGateways ?? (env.production ? 'perZone' : 'single');

export const capacityTypes = (pool: NodePoolSpec, env: EnvironmentSpec): ('spot' | 'on-demand' | 'reserved')[] =>
  pool.capacityTypes ?? (env.production ? ['on-demand'] : ['spot']);

/** The EC2NodeClass AMI alias: the spec's, else pinned in production and latest elsewhere (docs/kubernetes.md, "Pinned AMIs"). */
export const amiAlias = (spec: Spec, env: EnvironmentSpec): string =>
  spec.cluster.karpenter.amiAlias ?? (env.production ? spec.cluster.karpenter.productionAmiAlias : 'al2023@latest');

export const deletionProtection = (spec: Spec, env: EnvironmentSpec): boolean => spec.database.deletionProtection ?? env.production;

export const crossRegionReplica = (spec: Spec, env: EnvironmentSpec): boolean =>
  spec.database.crossRegionReplica ?? (env.production && env.drRegion !== undefined);

export const autoSync = (spec: Spec, env: EnvironmentSpec): boolean => spec.delivery.autoSync ?? !env.production;
export const approvalRequired = (spec: Spec, env: EnvironmentSpec): boolean => spec.delivery.approvalRequired ?? env.production;

/** Signature verification at admission: the spec's, else enforce in production and warn elsewhere; none without a signing key. */
export const imageSignatures = (spec: Spec, env: EnvironmentSpec): 'enforce' | 'warn' | undefined =>
  spec.registry.signing ? (spec.security.admission.imageSignatures ?? (env.production ? 'enforce' : 'warn')) : undefined;
/** How the admission webhooks fail: the spec's, else closed in production and open elsewhere. */
export const admissionFailurePolicy = (spec: Spec, env: EnvironmentSpec): 'Fail' | 'Ignore' =>
  spec.security.admission.failurePolicy ?? (env.production ? 'Fail' : 'Ignore');

/**
 * The environment whose CI signs the images every environment runs: the one that builds (the
 * replication source, else the first non-production environment by name, else the first), as the
 * CI workflows choose it (src/emitters/ci/plan.ts buildModelOf). Signatures travel with the images.
 */
export function signingEnvironment(spec: Spec): string {
  return promotion(spec).build;
}

/**
 * Every region an environment uses, plus the management account's home region and us-east-1, where
 * every environment's cost stack deploys (Budgets and Cost Explorer): without it the region guardrail
 * denies that stack's CloudFormation operations (INV116).
 */
export function allowedRegions(spec: Spec): string[] {
  if (spec.organization?.allowedRegions) return [...spec.organization.allowedRegions];
  const regions = new Set<string>(['us-east-1']);
  if (spec.organization) regions.add(spec.organization.homeRegion);
  for (const env of Object.values(spec.environments)) {
    regions.add(env.region);
    if (env.drRegion) regions.add(env.drRegion);
  }
  return [...regions].sort();
}

export const githubRepositories = (spec: Spec): string[] =>
  spec.organization?.github?.repositories ?? [...new Set([spec.delivery.appRepository, spec.delivery.configRepository])].sort();

/** The container port: the spec's; a service's default by type (flask 5000, else 8080); none for workers and cronjobs. */
export const workloadPort = (w: WorkloadSpec): number | undefined => w.port ?? (w.kind === 'service' ? (w.type === 'flask' ? 5000 : 8080) : undefined);

export const workloadRepository = (name: string, w: WorkloadSpec): string => w.repository ?? name;

/** Services are user-facing unless the spec says otherwise; workers and cronjobs never are. */
export const userFacing = (w: WorkloadSpec): boolean => w.userFacing ?? w.kind === 'service';

/** HPA bounds and targets: the spec's, else the schema's defaults; a cronjob runs one pod per run. */
export const workloadReplicas = (w: WorkloadSpec): { min: number; max: number } =>
  w.kind === 'cronjob' ? { min: 1, max: 1 } : (w.replicas ?? z.parse(replicasSchema, {}));
export const workloadAutoscaling = (w: WorkloadSpec): { cpuUtilization: number; memoryUtilization: number } => w.autoscaling ?? z.parse(autoscalingSchema, {});

/** The build context of a type: container image: the spec's, else the Dockerfile's folder ('.' at the root). */
export function buildContext(b: { dockerfile: string; context?: string | undefined }): string {
  if (b.context !== undefined) return b.context;
  const slash = b.dockerfile.lastIndexOf('/');
  return slash > 0 ? b.dockerfile.slice(0, slash) : '.';
}

type ProbeSpec = Exclude<NonNullable<WorkloadSpec['probes']['liveness']>, false>;

/** One probe of the spec as the model holds it: its handler (HTTP and TCP on the probe's port, else the workload's) and timing. */
export function probeOf(p: ProbeSpec, port: number | undefined): Probe | undefined {
  const timing = { initialDelaySeconds: p.initialDelaySeconds, periodSeconds: p.periodSeconds, timeoutSeconds: p.timeoutSeconds, failureThreshold: p.failureThreshold };
  const on = p.port ?? port;
  if (p.exec) return { exec: { command: [...p.exec] }, ...timing };
  if (p.tcp) return on === undefined ? undefined : { tcp: { port: on }, ...timing };
  if (p.path !== undefined) return on === undefined ? undefined : { http: { path: p.path, port: on }, ...timing };
  return undefined;
}

/**
 * Probes. A service: liveness /healthz, readiness /readyz (flask) or / (react, container), startup
 * on the readiness handler for up to 60 s. A worker or cronjob: only what its spec gives (false or
 * absent: none); the validators refuse a readiness or startup probe on a cronjob (INN083).
 */
export function workloadProbes(w: WorkloadSpec): { liveness?: Probe; readiness?: Probe; startup?: Probe } {
  const port = workloadPort(w);
  const given = (p: WorkloadSpec['probes']['liveness']) => (p ? probeOf(p, port) : undefined);
  if (w.kind !== 'service') {
    const liveness = given(w.probes.liveness);
    const readiness = given(w.probes.readiness);
    const startup = given(w.probes.startup);
    return { ...(liveness ? { liveness } : {}), ...(readiness ? { readiness } : {}), ...(startup ? { startup } : {}) };
  }
  const base = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 };
  const http = (path: string): Probe => ({ http: { path, port: port! }, ...base });
  const readiness = w.probes.readiness === false ? undefined : (given(w.probes.readiness) ?? http(w.type === 'flask' ? '/readyz' : '/'));
  const liveness = w.probes.liveness === false ? undefined : (given(w.probes.liveness) ?? http(w.type === 'flask' ? '/healthz' : '/'));
  const { initialDelaySeconds: _i, periodSeconds: _p, timeoutSeconds: _t, failureThreshold: _f, ...handler } = readiness ?? http('/');
  const startup = w.probes.startup === false ? undefined : (given(w.probes.startup) ?? (readiness ? ({ ...handler, ...base, periodSeconds: 2, failureThreshold: 30 } as Probe) : undefined));
  return { ...(liveness ? { liveness } : {}), ...(readiness ? { readiness } : {}), ...(startup ? { startup } : {}) };
}

/** The pool a workload prefers (a preference, not a pin: build-parts workloadAffinity): its own, or the first application pool by name that runs amd64. */
export function workloadPool(w: WorkloadSpec, spec: Spec): string | undefined {
  if (w.pool) return w.pool;
  const pools = Object.entries(spec.cluster.nodePools).sort(([a], [b]) => (a < b ? -1 : 1));
  return (pools.find(([, p]) => p.role === 'application' && p.architectures.includes('amd64')) ?? pools.find(([, p]) => p.role === 'application'))?.[0];
}

export function subnets(spec: Spec): { public: string[]; private: string[]; isolated: string[] } | undefined {
  const given = spec.network.subnets;
  if (given.public && given.private && given.isolated) return { public: given.public, private: given.private, isolated: given.isolated };
  const plan = planSubnets(spec.network.vpcCidr, spec.network.zones.length);
  if (!plan) return undefined;
  return { public: given.public ?? plan.public, private: given.private ?? plan.private, isolated: given.isolated ?? plan.isolated };
}

/**
 * The DR region's VPC: its CIDR and one isolated subnet per zone. With `drVpcCidr` the subnets are
 * planned in it (Note 1 of cidr.ts); without it the DR VPC keeps the primary's CIDR and isolated
 * subnets, as earlier versions deployed them, so an existing DR VPC and database are not replaced
 * until the spec opts in (INN065 says so). Undefined without a DR region.
 */
export function drNetwork(spec: Spec, env: EnvironmentSpec): { vpcCidr: string; isolatedCidrs: string[]; cidrGiven: boolean } | undefined {
  if (!env.drRegion) return undefined;
  if (env.drVpcCidr) return { vpcCidr: env.drVpcCidr, isolatedCidrs: planSubnets(env.drVpcCidr, spec.network.zones.length)?.isolated ?? [], cidrGiven: true };
  return { vpcCidr: spec.network.vpcCidr, isolatedCidrs: subnets(spec)?.isolated ?? [], cidrGiven: false };
}

export const notifyEmails = (spec: Spec): string[] => (spec.cost.notifyEmails.length > 0 ? spec.cost.notifyEmails : spec.observability.alerts.emails);

export const desiredSize = (spec: Spec): number => spec.cluster.systemNodeGroup.desiredSize ?? spec.cluster.systemNodeGroup.minSize;

export const namespacePodSecurity = (spec: Spec, ns: string) => spec.namespaces[ns]?.podSecurity ?? spec.security.podSecurity;

/** One promotion: `to` records the tags `from` runs. */
export interface PromotionHop {
  readonly from: string;
  readonly to: string;
}

/**
 * The promotion chain (docs/delivery.md, "The promotion chain"): CI builds in `build`; each hop
 * copies its source's tags into its target. `registry.replication` orders the chain
 * (`from`, then `to` in order); without it, and for every environment it leaves out, the target
 * is promoted straight from the build environment, non-production environments first. So every
 * environment has exactly one way in. Unknown or repeated names (INN036, INN091) are skipped.
 */
export function promotion(spec: Spec): { readonly build: string; readonly hops: readonly PromotionHop[] } {
  const names = Object.keys(spec.environments).sort();
  const rep = spec.registry.replication;
  const build = rep && names.includes(rep.from) ? rep.from : (names.find((n) => !spec.environments[n]!.production) ?? names[0]!);
  const chain = [build];
  for (const to of promotionTargets(spec)) if (names.includes(to) && !chain.includes(to)) chain.push(to);
  const rest = names.filter((n) => !chain.includes(n)).sort((a, b) => Number(spec.environments[a]!.production) - Number(spec.environments[b]!.production) || (a < b ? -1 : 1));
  return { build, hops: [...chain.slice(1).map((to, i) => ({ from: chain[i]!, to })), ...rest.map((to) => ({ from: build, to }))] };
}

/** registry.replication.to as a list: one environment (the shape before chains) or the chain in order. */
export const promotionTargets = (spec: Spec): readonly string[] => {
  const to = spec.registry.replication?.to;
  return to === undefined ? [] : typeof to === 'string' ? [to] : to;
};
