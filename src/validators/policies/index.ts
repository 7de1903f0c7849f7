/** src/validators/policies: invariant rules over compiled artifacts (what will be deployed). */
export { RULES } from './rules/index.js';
export { runPolicies, checkBatch, settleExceptions, policyDiagnostics, ruleInfo, EXCEPTION_EXPIRED, EXCEPTION_UNUSED } from './engine.js';
export type { PolicyBatch, PolicyOptions, PolicyResult } from './engine.js';
export type { Rule, PolicyFinding, PolicyContext, Principle } from './types.js';
