import { finding, type Finding } from '../diagnostics/diagnostic.js';
import * as derive from '../compiler/derive.js';
import { CI_TAG_PATTERN, CI_TAG_PREFIX } from '../compiler/names.js';
import { parseQuantity } from '../util/quantity.js';
import type { Validator } from './registry.js';

/** HPA bounds, the two-replica floor for user-facing services, requests <= limits, immutable tags. */
const workloadShape: Validator = ({ spec }) => {
  const out: Finding[] = [];
  for (const [name, w] of Object.entries(spec.workloads)) {
    const at = (...p: (string | number)[]) => ['workloads', name, ...p];
    const replicas = derive.workloadReplicas(w);
    if (w.kind !== 'cronjob' && replicas.min > replicas.max) out.push(finding('INN030', at('replicas', 'min'), `replicas.min ${replicas.min} exceeds replicas.max ${replicas.max}`));
    if (w.kind === 'service' && derive.userFacing(w) && replicas.min < 2) out.push(finding('INN031', at('replicas', 'min'), `user-facing service "${name}" has replicas.min ${replicas.min}; at least 2 are required`));
    for (const r of ['cpu', 'memory'] as const) {
      const req = w.resources.requests[r];
      const lim = w.resources.limits[r];
      if (parseQuantity(req) > parseQuantity(lim)) out.push(finding('INN032', at('resources', 'requests', r), `${r} request ${req} exceeds the limit ${lim}`));
    }
    if (w.tag === 'latest') out.push(finding('INN042', at('tag'), `"${name}" uses the mutable tag "latest"`));
  }
  return out;
};

/**
 * Image tags the first deploy cannot count on: a tag the lifecycle policy expires (INN078, as is a
 * dev prefix that matches CI's sha-<commit> tags), and an explicit tag CI does not produce (INN079:
 * an external input innovate plan verifies). INV113 checks the same on the artifacts.
 */
const imageTags: Validator = ({ spec }) => {
  const out: Finding[] = [];
  for (const [name, w] of Object.entries(spec.workloads)) {
    const at = (...p: (string | number)[]) => ['workloads', name, ...p];
    if (w.tag === undefined || w.tag === 'latest') continue;
    if (w.tag.startsWith(spec.registry.lifecycle.devTagPrefix)) {
      out.push(finding('INN078', at('tag'), `"${name}" runs ${w.tag}, which the lifecycle policy expires after ${spec.registry.lifecycle.devExpireDays} days (registry.lifecycle.devTagPrefix ${spec.registry.lifecycle.devTagPrefix}): a pod pulling it later fails`));
    } else if (!CI_TAG_PATTERN.test(w.tag)) {
      out.push(finding('INN079', at('tag'), `"${name}" names the tag ${w.tag}, which CI does not produce: the image must already be in the registry of every environment that runs it (innovate plan checks)`));
    }
  }
  // CI tags every image sha-<12 hex>: a dev prefix matching them expires every image CI promotes.
  const p = spec.registry.lifecycle.devTagPrefix;
  if (CI_TAG_PREFIX.startsWith(p) || (p.startsWith(CI_TAG_PREFIX) && /^[0-9a-f]{0,12}$/.test(p.slice(CI_TAG_PREFIX.length)))) {
    out.push(finding('INN078', ['registry', 'lifecycle', 'devTagPrefix'], `devTagPrefix ${p} matches CI's ${CI_TAG_PREFIX}<commit> tags: every promoted image would expire after ${spec.registry.lifecycle.devExpireDays} days`));
  }
  return out;
};

/** One workload per ingress path, and a host whenever something is exposed. */
const ingressRules: Validator = ({ spec }) => {
  const out: Finding[] = [];
  const seen = new Map<string, string>();
  for (const [name, w] of Object.entries(spec.workloads).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!w.ingress) continue;
    const prev = seen.get(w.ingress.path);
    if (prev) out.push(finding('INN043', ['workloads', name, 'ingress', 'path'], `path ${w.ingress.path} is already served by "${prev}"`));
    else seen.set(w.ingress.path, name);
    if (!spec.ingress) out.push(finding('INN044', ['workloads', name, 'ingress'], `"${name}" is exposed on ${w.ingress.path} but the environment has no ingress.host`));
  }
  return out;
};

/** LimitRange defaults inside its max, quota requests within limits. */
const namespaceRules: Validator = ({ spec }) => {
  const out: Finding[] = [];
  for (const [name, ns] of Object.entries(spec.namespaces)) {
    const lr = ns.limitRange;
    for (const r of ['cpu', 'memory'] as const) {
      if (parseQuantity(lr.defaultRequest[r]) > parseQuantity(lr.default[r])) {
        out.push(finding('INN032', ['namespaces', name, 'limitRange', 'defaultRequest', r], `default request ${lr.defaultRequest[r]} exceeds the default limit ${lr.default[r]}`));
      }
      if (parseQuantity(lr.default[r]) > parseQuantity(lr.max[r])) {
        out.push(finding('INN032', ['namespaces', name, 'limitRange', 'default', r], `default limit ${lr.default[r]} exceeds the max ${lr.max[r]}`));
      }
    }
    const q = ns.quota;
    if (parseQuantity(q.requestsCpu) > parseQuantity(q.limitsCpu)) out.push(finding('INN032', ['namespaces', name, 'quota', 'requestsCpu'], `quota requests.cpu ${q.requestsCpu} exceeds limits.cpu ${q.limitsCpu}`));
    if (parseQuantity(q.requestsMemory) > parseQuantity(q.limitsMemory)) out.push(finding('INN032', ['namespaces', name, 'quota', 'requestsMemory'], `quota requests.memory ${q.requestsMemory} exceeds limits.memory ${q.limitsMemory}`));
  }
  return out;
};

export const workloadValidators = [
  ['workload-shape', workloadShape, ['workloads']],
  ['image-tags', imageTags, ['workloads', 'registry']],
  ['ingress', ingressRules, ['workloads', 'ingress']],
  ['namespaces', namespaceRules, ['namespaces']],
] as const;
