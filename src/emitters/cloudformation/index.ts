/**
 * The CloudFormation emitter: compiled models in, JSON templates out.
 *
 *   cloudformation/organization.json      management account (when the spec has an organization)
 *   cloudformation/<env>/<stack>.json     one template per lifecycle, in STACKS order
 *   cloudformation/<env>/dr.json          DR region (when the Aurora DR replica is on)
 *   cloudformation/manifest.json          deploy order: stack name, template, account, region,
 *                                         capabilities, SSM parameters read and published
 *
 * Guarantees: deterministic (one serializer), no Fn::ImportValue / Exports (values travel as SSM
 * parameters published by an earlier stack), no Conditions (environments resolved at compile time).
 */
import type { Model } from '../../compiler/model.js';
import { rendered, type Artifact, type Emitter } from '../artifact.js';
import { toJson } from '../serialize.js';
import { plan, type PlannedStack } from './plan.js';

export { plan, STACKS, type PlannedStack } from './plan.js';

function artifact(s: PlannedStack): Artifact {
  const body = s.body.toObject();
  return rendered({ path: s.template, kind: 'cloudformation', ...(s.environment ? { environment: s.environment } : {}) }, body, () => toJson(body));
}

/** Where the deploy manifest is written, and one stack of it: what `innovate plan/deploy` and users read. */
export const MANIFEST_PATH = 'cloudformation/manifest.json';
export interface DeployManifestEntry extends Omit<PlannedStack, 'body'> {
  readonly order: number;
  /** SSM parameters the template reads (published by earlier stacks). */
  readonly reads: readonly string[];
  readonly publishes: readonly string[];
}

export function manifest(stacks: readonly PlannedStack[]): Artifact {
  const entries: DeployManifestEntry[] = stacks.map((s, i) => ({
    order: i + 1,
    stackName: s.stackName,
    template: s.template,
    ...(s.environment ? { environment: s.environment } : {}),
    accountId: s.accountId,
    region: s.region,
    capabilities: s.capabilities,
    reads: s.body.consumes,
    publishes: s.body.publishes,
  }));
  return {
    path: MANIFEST_PATH,
    kind: 'cloudformation',
    content: toJson({
      description: 'Deploy the stacks in this order (see docs/cloudformation.md). Each reads SSM parameters published by stacks before it.',
      stacks: entries,
    }),
  };
}

export const cloudformationEmitter: Emitter = {
  name: 'cloudformation',
  emit(models: readonly Model[]): Artifact[] {
    if (models.length === 0) return [];
    const stacks = plan(models);
    return [...stacks.map(artifact), manifest(stacks)];
  },
};
