import { finding, type Finding } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../util/suggest.js';
import { familyOf, INSTANCE_FAMILIES, type InstanceFamily } from './data/instance-families.js';
import type { Validator } from './registry.js';

/**
 * Every Karpenter pool must select at least one real instance family. The architecture
 * document's own "t-family gen > 3" (x86) and "gen > 5" (ARM64) select none.
 */
const poolsSelectInstances: Validator = ({ spec }) => {
  const out: Finding[] = [];
  for (const [name, p] of Object.entries(spec.cluster.nodePools)) {
    const at = ['cluster', 'nodePools', name];
    (p.instanceFamilies ?? []).forEach((f, i) => {
      if (!INSTANCE_FAMILIES.some((x) => x.family === f)) {
        const guess = didYouMean(f, INSTANCE_FAMILIES.map((x) => x.family));
        out.push(finding('INN038', [...at, 'instanceFamilies', i], `unknown instance family "${f}"${guess ? `; did you mean "${guess}"?` : ''}`));
      }
    });
    const candidates = INSTANCE_FAMILIES.filter((f) => p.instanceCategories.includes(f.category) && p.architectures.includes(f.architecture));
    const inFamilies = candidates.filter((f) => p.instanceFamilies === undefined || p.instanceFamilies.includes(f.family));
    const selected = inFamilies.filter((f) => p.instanceGeneration === undefined || f.generation > p.instanceGeneration.greaterThan);
    if (selected.length > 0 && p.minInstanceFamilies !== undefined && selected.length < p.minInstanceFamilies) {
      out.push(
        finding(
          'INN067',
          [...at, 'minInstanceFamilies'],
          `pool "${name}" selects ${selected.length} instance famil${selected.length === 1 ? 'y' : 'ies'} (${selected.map((f) => f.family).join(', ')}), fewer than minInstanceFamilies ${p.minInstanceFamilies}: Karpenter could launch nothing`,
        ),
      );
    }
    if (selected.length > 0) continue;
    const arch = p.architectures.join('/');
    const categories = p.instanceCategories.join(', ');
    const list = (fs: readonly InstanceFamily[]): string => {
      const shown = fs.slice(0, 12).map((f) => `${f.family} (gen ${f.generation}, ${f.architecture})`);
      return `${shown.join(', ')}${fs.length > shown.length ? ` and ${fs.length - shown.length} more` : ''}`;
    };
    if (candidates.length === 0) {
      out.push(finding('INN037', [...at, 'instanceCategories'], `pool "${name}" selects no instance type: no ${arch} instance family has category ${categories}`, 'widen instanceCategories or architectures'));
    } else if (inFamilies.length === 0) {
      out.push(
        finding(
          'INN037',
          [...at, 'instanceFamilies'],
          `pool "${name}" selects no instance type: none of instanceFamilies (${(p.instanceFamilies ?? []).join(', ')}) is an ${arch} family in categories ${categories}`,
          `families that match: ${list(candidates)}`,
        ),
      );
    } else {
      const bound = p.instanceGeneration?.greaterThan ?? 0;
      const maxGen = Math.max(...inFamilies.map((f) => f.generation));
      out.push(
        finding(
          'INN037',
          [...at, 'instanceGeneration', 'greaterThan'],
          `pool "${name}" selects no instance type: no ${arch} family in categories ${categories} has a generation above ${bound}`,
          `available: ${list(inFamilies)}; set greaterThan to ${maxGen - 1} or lower`,
        ),
      );
    }
  }
  return out;
};

/** System node group: known instance families, consistent sizes. */
const systemNodeGroup: Validator = ({ spec }) => {
  const out: Finding[] = [];
  const g = spec.cluster.systemNodeGroup;
  const at = ['cluster', 'systemNodeGroup'];
  g.instanceTypes.forEach((t, i) => {
    const f = familyOf(t);
    if (!f) out.push(finding('INN038', [...at, 'instanceTypes', i], `unknown instance family "${t.split('.')[0]}"`));
  });
  const archs = new Set(g.instanceTypes.map((t) => familyOf(t)?.architecture).filter(Boolean));
  if (archs.size > 1) out.push(finding('INN055', [...at, 'instanceTypes'], 'a managed node group needs one CPU architecture; these instance types mix amd64 and arm64'));
  if (g.minSize > g.maxSize) out.push(finding('INN049', [...at, 'minSize'], `minSize ${g.minSize} exceeds maxSize ${g.maxSize}`));
  if (g.desiredSize !== undefined && (g.desiredSize < g.minSize || g.desiredSize > g.maxSize)) {
    out.push(finding('INN049', [...at, 'desiredSize'], `desiredSize ${g.desiredSize} is outside ${g.minSize}..${g.maxSize}`));
  }
  return out;
};

/** Application and platform pools both exist, so monitoring never competes with user pods. */
const poolRoles: Validator = ({ spec }) => {
  const out: Finding[] = [];
  const roles = Object.values(spec.cluster.nodePools).map((p) => p.role);
  if (Object.keys(spec.workloads).length > 0 && !roles.includes('application')) {
    out.push(finding('INN050', ['cluster', 'nodePools'], 'workloads are declared but no node pool has role: application'));
  }
  if (!roles.includes('platform')) out.push(finding('INN057', ['cluster', 'nodePools'], 'no node pool has role: platform for ArgoCD and monitoring'));
  return out;
};

/** The public API endpoint is never open to the world. */
const endpointAccess: Validator = ({ spec }) => {
  const out: Finding[] = [];
  const e = spec.cluster.endpoint;
  e.publicAccessCidrs.forEach((c, i) => {
    if (e.publicAccess && c.endsWith('/0')) out.push(finding('INN039', ['cluster', 'endpoint', 'publicAccessCidrs', i], `${c} opens the EKS API endpoint to the whole internet`));
  });
  if (e.publicAccess && e.publicAccessCidrs.length === 0) {
    out.push(finding('INN039', ['cluster', 'endpoint', 'publicAccess'], 'publicAccess is on with no publicAccessCidrs, which EKS reads as 0.0.0.0/0'));
  }
  if (!e.privateAccess && !e.publicAccess) out.push(finding('INN039', ['cluster', 'endpoint', 'privateAccess'], 'both endpoints are off; the cluster would be unreachable'));
  if (!e.privateAccess) out.push(finding('INN039', ['cluster', 'endpoint', 'privateAccess'], 'the private endpoint must stay on so nodes reach the API inside the VPC'));
  return out;
};

/**
 * Production runs a pinned AMI release (productionAmiAlias); an explicit amiAlias of @latest there
 * lets every new AMI roll onto production nodes untested (Karpenter's "Managing AMIs" advises against it).
 */
const pinnedProductionAmi: Validator = ({ spec, env }) => {
  const alias = spec.cluster.karpenter.amiAlias;
  if (!spec.environments[env]?.production || !alias?.endsWith('@latest')) return [];
  return [finding('INN066', ['cluster', 'karpenter', 'amiAlias'], `production environment ${env} runs ${alias}: every new AMI reaches its nodes as soon as it is published`)];
};

export const clusterValidators = [
  ['pools-select-instances', poolsSelectInstances, ['cluster']],
  ['system-node-group', systemNodeGroup, ['cluster']],
  ['pool-roles', poolRoles, ['cluster', 'workloads']],
  ['endpoint-access', endpointAccess, ['cluster']],
  ['pinned-production-ami', pinnedProductionAmi, ['cluster', 'environments']],
] as const;
