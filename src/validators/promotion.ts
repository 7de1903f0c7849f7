/**
 * The promotion chain (registry.replication, src/compiler/derive.ts promotion()) and who hears
 * the alarms. The compiler gives every environment one way in (an environment the chain leaves out
 * is promoted straight from the build environment), so no spec compiles where an environment can
 * never receive an image; these checks say where the spec and that guarantee part.
 */
import { finding, type Finding } from '../diagnostics/diagnostic.js';
import { promotion, promotionTargets } from '../compiler/derive.js';
import type { Validator } from './registry.js';

/** Each environment once in the chain; one chain for every environment; what the chain leaves out is said. */
const promotionChain: Validator = ({ spec, env }) => {
  const out: Finding[] = [];
  const rep = spec.registry.replication;
  const override = (spec.environments[env]?.overrides as { registry?: { replication?: unknown } } | undefined)?.registry;
  if (override && typeof override === 'object' && 'replication' in override) {
    // The chain spans environments: one environment's view of it would differ from the others', and each
    // registry template would replicate (or accept) along a different chain.
    out.push(finding('INN094', ['environments', env, 'overrides', 'registry', 'replication'], `environment "${env}" overrides registry.replication, which spans every environment`));
  }
  if (spec.environments[env]?.production && !spec.registry.scanOnPush && !spec.registry.enhancedScanning) {
    out.push(finding('INN093', ['registry', 'enhancedScanning'], 'the production registry scans nothing, so the production promotion cannot fail on CRITICAL findings'));
  }
  if (!rep) return out;
  const targets = promotionTargets(spec);
  const names = Object.keys(spec.environments);
  targets.forEach((to, i) => {
    if (targets.indexOf(to) !== i) out.push(finding('INN091', ['registry', 'replication', 'to', i], `environment "${to}" is in the promotion chain twice: it would be promoted from two environments`));
  });
  const chain = new Set([rep.from, ...targets]);
  const build = promotion(spec).build;
  const left = names.filter((n) => !chain.has(n)).sort();
  if (left.length > 0 && names.includes(rep.from)) {
    out.push(
      finding(
        'INN090',
        ['registry', 'replication', 'to'],
        `${left.map((n) => `"${n}"`).join(', ')} ${left.length > 1 ? 'are' : 'is'} not in the promotion chain: promoted straight from "${build}", whose registry replicates the images to ${left.length > 1 ? 'theirs' : 'its own'}`,
        `add ${left.length > 1 ? 'them' : 'it'} to registry.replication.to where ${left.length > 1 ? 'they belong' : 'it belongs'} in the chain (for example to: [${[...targets, ...left].join(', ')}])`,
      ),
    );
  }
  return out;
};

export const promotionValidators = [['promotion-chain', promotionChain, ['environments', 'registry']]] as const;
