import { finding, formatPath, type Finding } from '../diagnostics/diagnostic.js';
import type { Validator } from './registry.js';

/**
 * Lists that are sets: each entry becomes a resource, a subscription, a requirement value
 * or a policy attachment, so a repeated entry would emit the same resource twice (for
 * instance two VpcEndpoint resources for "sts", two SNS subscriptions for one e-mail).
 * `*` stands for every key of a record. network.zones has its own code (INN025).
 */
const SET_LISTS: readonly (readonly string[])[] = [
  ['organization', 'allowedRegions'],
  ['organization', 'github', 'repositories'],
  ['organization', 'sso', 'permissionSets', '*', 'managedPolicies'],
  ['organization', 'sso', 'permissionSets', '*', 'inlinePolicyActions'],
  ['organization', 'sso', 'permissionSets', '*', 'environments'],
  ['network', 'endpoints'],
  ['cluster', 'endpoint', 'publicAccessCidrs'],
  ['cluster', 'controlPlaneLogs'],
  ['cluster', 'addons'],
  ['cluster', 'systemNodeGroup', 'instanceTypes'],
  ['cluster', 'nodePools', '*', 'architectures'],
  ['cluster', 'nodePools', '*', 'capacityTypes'],
  ['cluster', 'nodePools', '*', 'instanceCategories'],
  ['cluster', 'nodePools', '*', 'instanceFamilies'],
  ['teams', '*', 'namespaces'],
  ['security', 'gatekeeper'],
  ['observability', 'alerts', 'emails'],
  ['cost', 'budgetThresholds'],
  ['cost', 'notifyEmails'],
];

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every concrete path matching the pattern, with the list found there. */
function listsAt(root: unknown, pattern: readonly string[]): [(string | number)[], unknown[]][] {
  let found: [(string | number)[], unknown][] = [[[], root]];
  for (const seg of pattern) {
    found = found.flatMap(([p, v]) => {
      if (!isMap(v)) return [];
      if (seg === '*') return Object.entries(v).map(([k, x]): [(string | number)[], unknown] => [[...p, k], x]);
      return Object.hasOwn(v, seg) ? [[[...p, seg], v[seg]] as [(string | number)[], unknown]] : [];
    });
  }
  return found.filter((f): f is [(string | number)[], unknown[]] => Array.isArray(f[1]));
}

const uniqueEntries: Validator = ({ spec }) => {
  const out: Finding[] = [];
  for (const pattern of SET_LISTS) {
    for (const [path, list] of listsAt(spec, pattern)) {
      const first = new Map<string, number>();
      list.forEach((item, i) => {
        const key = JSON.stringify(item);
        const prev = first.get(key);
        if (prev === undefined) first.set(key, i);
        else out.push(finding('INN062', [...path, i], `${typeof item === 'string' ? item : key} is listed twice (first at ${formatPath([...path, prev])})`));
      });
    }
  }
  return out;
};

/** Runs on whatever sections decoded: it only reads the lists it finds. */
export const listValidators = [['unique-list-entries', uniqueEntries, []]] as const;
