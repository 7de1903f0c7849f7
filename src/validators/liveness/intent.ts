/**
 * Capacity intent (architecture document, "Autoscaling Strategy" and "Cost Optimization"):
 * production runs its application workloads on On-Demand capacity with Spot for burst; Dev and
 * Staging run on Spot.
 *   INV105 (error) a production workload that can run on no On-Demand node kind;
 *   INV106 (warning) a production workload that cannot burst to Spot, or a workload outside
 *          production that can run on no Spot node kind.
 */
import type { Platform, Pod } from '../../platform/index.js';
import type { PolicyFinding, Rule } from '../policies/types.js';

const capacityOf = (platform: Platform, pod: Pod): Set<string> => new Set(platform.nodeKinds.filter((n) => pod.placement.includes(n.id)).flatMap((n) => n.capacityTypes));
const finding = (rule: string, platform: Platform, pod: Pod, message: string): PolicyFinding => ({
  rule,
  message,
  artifact: pod.source.artifact,
  target: pod.source.resource,
  environment: platform.environment,
  ...(pod.source.specPath ? { specPath: pod.source.specPath } : {}),
});
const apps = (platform: Platform) => platform.pods.filter((p) => p.origin === 'workload' && p.controller !== 'DaemonSet' && p.placement.length > 0);

export const productionOnDemand: Rule = {
  id: 'INV105',
  title: 'Production workloads can run on On-Demand capacity',
  principle: 'capacity intent',
  severity: 'error',
  hint: 'give production an application pool with capacityTypes [on-demand] (a baseline with a higher weight) the workload may run on',
  help: 'The architecture document: "Production environments can use On-Demand instances for baseline capacity with Spot for burst". A production workload that only Spot pools can hold loses every replica when Spot capacity is reclaimed at once.',
  check(ctx) {
    return ctx.platforms().flatMap(({ model, platform }) =>
      model.environment.production ? apps(platform).filter((p) => !capacityOf(platform, p).has('on-demand')).map((p) => finding('INV105', platform, p, `${p.id} can run only on Spot capacity in production (${p.placement.join(', ')})`)) : [],
    );
  },
};

export const spotWhereIntended: Rule = {
  id: 'INV106',
  title: 'Spot capacity where the document puts it',
  principle: 'capacity intent',
  severity: 'warning',
  hint: 'let the workload run on a Spot application pool too (production: the burst beyond the baseline\'s limits; elsewhere: the default)',
  help: 'Production bursts to Spot once the On-Demand baseline reaches its limits; Dev and Staging run on Spot ("Spot instances in non-prod"). A production workload with no Spot pool stays Pending once the baseline is full; a non-production one costs On-Demand prices.',
  check(ctx) {
    return ctx.platforms().flatMap(({ model, platform }) =>
      apps(platform)
        .filter((p) => !capacityOf(platform, p).has('spot'))
        .map((p) => finding('INV106', platform, p, model.environment.production ? `${p.id} cannot burst to Spot in production: it may run only on ${p.placement.join(', ')}` : `${p.id} runs only on On-Demand capacity outside production (${p.placement.join(', ')})`)),
    );
  },
};
