/** innovate drift: drift detection on every stack, with property differences. */
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from './decide.js';
import { driftLines } from './render.js';
import { call, checkAccount, type RunContext, Stop } from './context.js';

export interface DriftOptions {
  readonly format: 'text' | 'json';
}

export async function runDrift(ctx: RunContext, options: DriftOptions): Promise<number> {
  const account = await checkAccount(ctx);
  if (!account.ok) return account.code;
  const env = ctx.model.environment;
  const text = options.format === 'text';
  if (text) ctx.out(`Drift of ${env.name}: account ${env.accountId}, ${ctx.targets.length} stacks, as ${account.arn}`);
  let exit = EXIT_OK;
  let stopped = false;
  const results: { stackName: string; region: string; status: string; reason?: string; drifts: unknown[] }[] = [];
  for (const t of ctx.targets) {
    if (stopped) {
      results.push({ stackName: t.stackName, region: t.region, status: 'NOT_CHECKED', reason: 'stopped before it', drifts: [] });
      if (text) ctx.out(`${t.stackName} (${t.region}): not checked (stopped before it)`);
      continue;
    }
    try {
      const stack = await call(ctx, `describing ${t.stackName}`, () => ctx.api.describeStack(t.region, t.stackName));
      if (!stack || stack.status === 'REVIEW_IN_PROGRESS') {
        results.push({ stackName: t.stackName, region: t.region, status: 'NOT_DEPLOYED', drifts: [] });
        if (text) ctx.out(`${t.stackName} (${t.region}): NOT DEPLOYED`);
        exit = Math.max(exit, EXIT_FINDINGS);
        continue;
      }
      const det = await call(ctx, `detecting drift on ${t.stackName} (cloudformation:DetectStackDrift)`, () => ctx.api.detectDrift(t.region, t.stackName));
      const drifts = await call(ctx, `reading the drift of ${t.stackName}`, () => ctx.api.resourceDrifts(t.region, t.stackName));
      const status = drifts.length ? 'DRIFTED' : det.detectionStatus === 'DETECTION_FAILED' ? 'DETECTION_FAILED' : (det.driftStatus ?? 'IN_SYNC');
      results.push({ stackName: t.stackName, region: t.region, status, ...(det.reason ? { reason: det.reason } : {}), drifts });
      if (drifts.length) exit = Math.max(exit, EXIT_FINDINGS);
      if (text) {
        ctx.out(`${t.stackName} (${t.region}): ${status === 'DRIFTED' ? `DRIFTED (${drifts.length} resource${drifts.length === 1 ? '' : 's'})` : status}`);
        for (const line of driftLines(drifts)) ctx.out(line);
        if (det.detectionStatus === 'DETECTION_FAILED') ctx.out(`  detection incomplete: ${det.reason ?? 'no reason given'}`);
      }
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
      results.push({ stackName: t.stackName, region: t.region, status: 'ERROR', reason: e.explained.message, drifts: [] });
      if (text) ctx.out(`${t.stackName} (${t.region}): ERROR`);
      ctx.err(`${t.stackName}: ${e.explained.message}`);
      exit = Math.max(exit, e.explained.exitCode || EXIT_USAGE);
      if (e.explained.fatal) stopped = true;
    }
  }
  const drifted = results.filter((r) => r.status === 'DRIFTED').length;
  if (text) ctx.out(`Drift: ${drifted} of ${results.length} stacks drifted${results.some((r) => r.status === 'NOT_DEPLOYED') ? `, ${results.filter((r) => r.status === 'NOT_DEPLOYED').length} not deployed` : ''}. Drift detection changes nothing.`);
  else ctx.out(JSON.stringify({ environment: env.name, accountId: env.accountId, caller: account.arn, exitCode: exit, stacks: results }, null, 2));
  return exit;
}
