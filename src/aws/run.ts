/**
 * plan, deploy and drift: the order of calls and what is printed, over the AwsApi interface.
 * No SDK here: the CLI passes the driver (loaded lazily); tests pass the driver over mocked
 * clients or over a local CloudFormation-speaking server.
 *
 * Output: tables, events and summaries on `out` (stdout); one-line explanations of errors on
 * `err` (stderr). Every run that touched AWS ends by saying what state each stack is in.
 */
export type { RunContext } from './context.js';
export { runPlan, type PlanOptions } from './plan-command.js';
export { runDeploy, type DeployOptions } from './deploy-command.js';
export { runDrift, type DriftOptions } from './drift-command.js';
