/**
 * The estimate of compiled models: emits what innovate deploys for them and estimates each
 * environment. Kept apart from src/cost/index.ts (which parses specs through the pipeline) so the
 * docs emitter can use it without an import cycle through src/emitters/index.ts.
 */
import type { Model } from '../compiler/model.js';
import type { Artifact, Emitter } from '../emitters/artifact.js';
import { cloudformationEmitter } from '../emitters/cloudformation/index.js';
import { helmEmitter } from '../emitters/helm/index.js';
import { kubernetesEmitter, workloadChartsEmitter } from '../emitters/kubernetes/index.js';
import { PRICES } from '../inventory/prices.js';
import { buildPlatform } from '../platform/build.js';
import { resolveAssumptions, type AssumptionOverrides, type AssumptionValue } from './assumptions.js';
import { describeAssumptions, estimateEnvironment, type EnvironmentEstimate } from './estimate.js';

export interface CostEstimate {
  readonly environments: Readonly<Record<string, EnvironmentEstimate>>;
  readonly prices: { readonly source: string; readonly date: string; readonly currency: 'USD' };
  /** The assumptions in force for each environment (the spec's and the command line's overrides applied). */
  readonly assumptions: Readonly<Record<string, Readonly<Record<string, AssumptionValue & { unit: string; description: string }>>>>;
}

export interface CostOptions {
  /** Only these environments. */
  readonly environments?: readonly string[];
  /** Overrides on top of the spec's (the command line's `--assume`). */
  readonly assumptions?: AssumptionOverrides;
}

/** What innovate deploys, for the environments of `models`: the emitters the estimate counts resources in. */
const DEPLOYED: readonly Emitter[] = [cloudformationEmitter, kubernetesEmitter, helmEmitter, workloadChartsEmitter];

/** The artifacts of each model's environment (CloudFormation needs every model: replication, DR). */
export function deployedArtifacts(models: readonly Model[], only?: readonly Model[]): Map<string, Artifact[]> {
  const out = new Map<string, Artifact[]>();
  const wanted = only ?? models;
  for (const m of wanted) out.set(m.environment.name, []);
  for (const e of DEPLOYED) {
    if (e.perEnvironment) for (const m of wanted) out.get(m.environment.name)!.push(...e.perEnvironment(m));
    else for (const a of e.emit(models)) if (a.environment && out.has(a.environment)) out.get(a.environment)!.push(a);
  }
  return out;
}

/** The estimate of compiled models (every environment of the spec, so replication and DR resolve). */
export function estimateModels(models: readonly Model[], options: CostOptions = {}): CostEstimate {
  const chosen = options.environments ? models.filter((m) => options.environments!.includes(m.environment.name)) : models;
  const artifacts = deployedArtifacts(models, chosen);
  const environments: Record<string, EnvironmentEstimate> = {};
  const assumptions: Record<string, ReturnType<typeof describeAssumptions>> = {};
  for (const m of chosen) {
    const a = resolveAssumptions(m.cost.assumptions, options.assumptions);
    const arts = artifacts.get(m.environment.name)!;
    environments[m.environment.name] = estimateEnvironment({ model: m, artifacts: arts, platform: buildPlatform(m, arts), assumptions: a });
    assumptions[m.environment.name] = describeAssumptions(a);
  }
  return { environments, prices: { source: PRICES.source, date: PRICES.date, currency: 'USD' }, assumptions };
}

