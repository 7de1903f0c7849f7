/**
 * What the workflows need from the models, gathered once: which environment's registry CI
 * pushes to (and auto-promotes), which environments are promoted from it by hand, the
 * workloads with their images and platforms, and the repositories.
 *
 * The build environment and the hops come from the model's promotion chain (delivery.promotion,
 * src/compiler/derive.ts): CI pushes to the build environment's registry, which replicates to
 * every other; each hop copies its source's tags into its target.
 */
import type { Model } from '../../compiler/model.js';
import { roleArn } from '../../compiler/names.js';

/** The spec and the compiled output inside the config repository (see docs/delivery.md). */
export const SPEC_FILE = 'innovate.yaml';
/** Runner image: yq, jq, the AWS CLI v2, git and Docker are preinstalled on it. */
export const RUNNER = 'ubuntu-24.04';
export const NODE_VERSION = '20';
export const PYTHON_VERSION = '3.12';
export const REACT_NODE_VERSION = '22';

export interface Stage {
  readonly env: string;
  readonly accountId: string;
  readonly region: string;
  /** The GitHub OIDC role of this account (registry template). */
  readonly roleArn: string;
  readonly registry: string;
  /** awskms:///alias/... when the environment signs images. */
  readonly signingKey?: string;
  readonly scanning: boolean;
  /** What ECR scans with: Amazon Inspector (enhanced, findings need inspector2 permissions) or ECR itself (basic). */
  readonly scanType?: 'enhanced' | 'basic';
  readonly approvalRequired: boolean;
  readonly production: boolean;
  readonly workloads: readonly { readonly name: string; readonly repository: string }[];
}

/** One promotion: the target records the tags the source environment runs. */
export interface Hop {
  /** The environment whose tags are copied. */
  readonly from: string;
  readonly to: Stage;
  /**
   * The production door: the target's registry scan must show no CRITICAL finding for the image
   * (docs/delivery.md, "CVE gate"). Set for production targets whose registry scans.
   */
  readonly cveGate: boolean;
}

export interface BuildTarget {
  readonly workload: string;
  readonly type: 'flask' | 'react' | 'container';
  /** Build context in the application repository: the workload's folder (flask, react) or build.context (container). */
  readonly context: string;
  /** The Dockerfile: <workload>/Dockerfile (generated, copied there) or build.dockerfile (the repository's own). */
  readonly dockerfile: string;
  /** ECR repository name (innovate/api). */
  readonly repository: string;
  /** registry/repository, without tag. */
  readonly image: string;
  /** linux/amd64,linux/arm64 */
  readonly platforms: string;
}

export interface CiPlan {
  readonly appRepository: string;
  readonly configRepository: string;
  readonly sameRepository: boolean;
  readonly branch: string;
  /** Compiled output folder of the config repository (delivery.outputDir), where ArgoCD reads. */
  readonly outDir: string;
  readonly build: Stage;
  /** The promotion hops of the promote-production workflow, in chain order. */
  readonly hops: readonly Hop[];
  /** The hops' targets, in the same order. */
  readonly targets: readonly Stage[];
  readonly workloads: readonly BuildTarget[];
}

export function buildModelOf(models: readonly Model[]): Model {
  return models.find((m) => m.environment.name === m.delivery.promotion.build.name) ?? models[0]!;
}

/**
 * The parts an environment's CI role plays in the workflows, from its own model (the CloudFormation
 * templates are built one environment at a time; every model holds the whole promotion chain): the
 * build environment builds, every hop's target is promoted to.
 */
export function ciRoleParts(m: Model): { readonly build: boolean; readonly target: boolean } {
  const p = m.delivery.promotion;
  return { build: p.build.name === m.environment.name, target: p.hops.some((h) => h.to.name === m.environment.name) };
}

/** The hop into a stage: a production target with a scanning registry passes the CVE gate. */
export const hopOf = (from: string, to: Stage): Hop => ({ from, to, cveGate: to.production && to.scanType !== undefined });

export function stageOf(m: Model): Stage {
  const registry = `${m.environment.accountId}.dkr.ecr.${m.environment.region}.amazonaws.com`;
  return {
    env: m.environment.name,
    accountId: m.environment.accountId,
    region: m.environment.region,
    roleArn: roleArn(m.environment.accountId, m.names.ciRole),
    registry,
    ...(m.registry.signing ? { signingKey: `awskms:///${m.names.signingKeyAlias}` } : {}),
    scanning: m.registry.scanOnPush || m.registry.enhancedScanning,
    ...(m.registry.enhancedScanning ? { scanType: 'enhanced' as const } : m.registry.scanOnPush ? { scanType: 'basic' as const } : {}),
    approvalRequired: m.delivery.approvalRequired,
    production: m.environment.production,
    workloads: m.workloads.map((w) => ({ name: w.name, repository: w.image.repository })),
  };
}

/** The architectures a workload runs on in any environment, amd64 first. */
function architecturesOf(models: readonly Model[], workload: string): ('amd64' | 'arm64')[] {
  const all = new Set(models.flatMap((m) => m.workloads.filter((w) => w.name === workload).flatMap((w) => w.architectures)));
  return (['amd64', 'arm64'] as const).filter((a) => all.has(a));
}

export function ciPlan(models: readonly Model[]): CiPlan {
  const b = buildModelOf(models);
  // Hops into environments not compiled here (compile --env) are left out with them.
  const hops = b.delivery.promotion.hops.flatMap((h) => {
    const to = models.find((m) => m.environment.name === h.to.name);
    return to && to !== b ? [hopOf(h.from.name, stageOf(to))] : [];
  });
  return {
    appRepository: b.delivery.appRepository,
    configRepository: b.delivery.configRepository,
    sameRepository: b.delivery.appRepository === b.delivery.configRepository,
    branch: b.delivery.branch,
    outDir: b.delivery.outputDir,
    build: stageOf(b),
    hops,
    targets: hops.map((h) => h.to),
    workloads: b.workloads.map((w) => ({
      workload: w.name,
      type: w.type,
      context: w.build?.context ?? w.name,
      dockerfile: w.build?.dockerfile ?? `${w.name}/Dockerfile`,
      repository: w.image.repository,
      image: `${w.image.registry}/${w.image.repository}`,
      // One image for every environment it is promoted to: built for each architecture any of them may run it on
      // (staging on Graviton, production on amd64 needs both, or production's first pull finds no image for its nodes).
      platforms: architecturesOf(models, w.name).map((a) => `linux/${a}`).join(','),
    })),
  };
}
