/**
 * What one environment's CI role is asked to do: the calls (calls.ts) of the workflow jobs that
 * assume it, from the workflows as they would be generated with this environment in the parts
 * ciRoleParts gives it (building: the build job of build-and-promote.yml; promoted to: its job
 * of promote-production.yml, its hop). The registry template grants exactly these.
 */
import type { Model } from '../../compiler/model.js';
import { workflowCalls, type AwsCall } from './calls.js';
import { ciPlan, ciRoleParts, hopOf, stageOf } from './plan.js';
import { buildAndPromoteWorkflow, promoteWorkflow } from './workflows.js';

/** The environment this one is promoted from (its hop in the chain). */
const hopInto = (m: Model): string => m.delivery.promotion.hops.find((h) => h.to.name === m.environment.name)!.from.name;

export function ciRoleCalls(m: Model): AwsCall[] {
  const parts = ciRoleParts(m);
  const plan = ciPlan([m]);
  const stage = stageOf(m);
  const jobs = [
    ...(parts.build ? workflowCalls('build-and-promote.yml', buildAndPromoteWorkflow(plan)) : []),
    ...(parts.target ? workflowCalls('promote-production.yml', promoteWorkflow({ ...plan, hops: [hopOf(hopInto(m), stage)], targets: [stage] })) : []),
  ].filter((j) => j.role === stage.roleArn);
  const unmapped = jobs.flatMap((j) => j.unmapped);
  if (unmapped.length > 0) throw new Error(`the CI workflows call AWS through ${unmapped.join(', ')}, which innovate has no IAM mapping for (src/emitters/ci/calls.ts)`);
  const seen = new Set<string>();
  return jobs
    .flatMap((j) => j.calls)
    .filter((c) => {
      const k = `${c.action} ${c.resource}`;
      return seen.has(k) ? false : (seen.add(k), true);
    });
}
