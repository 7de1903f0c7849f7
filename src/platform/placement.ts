/**
 * Where each pod runs, for the architecture document: the platform built from just the artifacts
 * placement depends on — the cluster template (managed node groups, add-ons), the Karpenter
 * NodePools and EC2NodeClasses, and the Helm values — so docs/ARCHITECTURE.md can show it
 * without a second full emission. Network and principals are absent from this partial platform.
 */
import type { Model } from '../compiler/model.js';
import type { Artifact } from '../emitters/artifact.js';
import { clusterTemplate } from '../emitters/cloudformation/cluster.js';
import { helmEmitter } from '../emitters/helm/index.js';
import { karpenterDocuments } from '../emitters/kubernetes/karpenter.js';
import { buildPlatform } from './build.js';
import { placementDiagram } from './format.js';

export function placementArtifacts(model: Model): Artifact[] {
  const env = model.environment.name;
  const cluster = clusterTemplate(model).toObject();
  const nodes = karpenterDocuments(model);
  return [
    { path: `cloudformation/${env}/cluster.json`, kind: 'cloudformation', environment: env, data: cluster, content: '' },
    { path: `kubernetes/${env}/karpenter.yaml`, kind: 'kubernetes', environment: env, data: nodes, content: '' },
    ...(helmEmitter.perEnvironment?.(model) ?? []),
  ];
}

/** The Mermaid diagram of where each pod of `model`'s environment runs. */
export function placementDiagramOf(model: Model): string {
  return placementDiagram(buildPlatform(model, placementArtifacts(model), { instanceTypes: 'bounds' }));
}
