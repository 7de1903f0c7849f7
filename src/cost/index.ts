/**
 * src/cost: what the platform a spec describes will cost per month, before it is deployed.
 * Spec text (or compiled models) in, an estimate out: per environment, line items with a
 * low / likely / high range, the savings the architecture document names quantified for this spec,
 * and every price with its page and read date. Offline and deterministic: prices come from the
 * vendored snapshot (src/inventory/prices.ts); what it lacks is named, never guessed.
 */
import type { Model } from '../compiler/model.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { parseSpec, validateSpec, type ParseOptions } from '../pipeline.js';
import { estimateModels, type CostEstimate, type CostOptions } from './models.js';

export { ASSUMPTIONS, ASSUMPTION_NAMES, isAssumptionName, parseAssumeFlags, resolveAssumptions, type Assumption, type AssumptionName, type AssumptionOverride, type AssumptionOverrides, type AssumptionValue } from './assumptions.js';
export { cfnResources, estimateEnvironment, pack, type EnvironmentEstimate, type LineItem, type NotEstimated, type Packing, type PriceUsed, type Range, type Saving } from './estimate.js';
export { costChanges, formatCost, formatCostChanges, markdownCost, type CostChange, type CostFormat } from './format.js';
export { LINE, PRICE_RULES, ruleOf, type PriceRule } from './rules.js';
export { budgetDiagnostics } from './budget.js';
export { compareLive, formatLiveText, livePriceKeys, liveQuery, pickLivePrice, LIVE_RULES, type LiveQuery, type LivePrice, type LiveReport, type LiveRow, type LiveStatus } from './live.js';
export { deployedArtifacts, estimateModels, type CostEstimate, type CostOptions } from './models.js';

export interface CostResult {
  /** Undefined when the spec has errors. */
  readonly estimate?: CostEstimate;
  readonly diagnostics: readonly Diagnostic[];
  readonly models: readonly Model[];
}

/** Spec text in, estimate out (with the spec's diagnostics; no estimate when it has errors). */
export function estimate(text: string, options: CostOptions & ParseOptions = {}): CostResult {
  const { models, diagnostics } = validateSpec(parseSpec(text, options));
  if (hasErrors(diagnostics) || models.length === 0) return { diagnostics, models };
  return { estimate: estimateModels(models, options), diagnostics, models };
}
