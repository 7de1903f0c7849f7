/** innovate deploy: change sets executed in order with events streamed, snapshots before database changes, protection in production. */
import type { ChangeSetInfo, StackEventInfo, StackInfo } from './api.js';
import { approvalNeeded, changeRows, changeSetName, changeSetOutcome, clustersToSnapshot, decideStackAction, describeStatus, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, failureReasons, isSuccess, isTerminal, policyViolations, snapshotName } from './decide.js';
import { changeTable, countsLine, dangerBlock, eventLine, stateTable } from './render.js';
import { stackPolicy, stackTags, type StackTarget } from './targets.js';
import { inputsSection } from './plan-command.js';
import { call, checkAccount, checkInputs, changeSetInput, sendTemplate, templateDeliveries, type RunContext, Stop } from './context.js';
import type { TemplateDelivery } from './templates.js';

export interface DeployOptions {
  readonly approve: boolean;
  readonly snapshot: boolean;
  readonly interactive: boolean;
  readonly confirm: (question: string) => Promise<boolean>;
}

export async function runDeploy(ctx: RunContext, options: DeployOptions): Promise<number> {
  const env = ctx.model.environment;
  const names = ctx.targets.map((t) => t.stackName).join(', ');
  const approval = approvalNeeded(env.production, options.approve, options.interactive);
  if (approval === 'refuse') {
    ctx.err(`refusing to deploy production environment ${env.name} (${names}) without --approve: standard input is not a terminal, so nobody can confirm`);
    return EXIT_USAGE;
  }
  const deliveries = templateDeliveries(ctx);
  if (typeof deliveries === 'number') return deliveries;
  const account = await checkAccount(ctx);
  if (!account.ok) return account.code;
  ctx.out(`Deploy ${env.name}${env.production ? ' (production)' : ''}: account ${env.accountId}, ${ctx.targets.length} stacks in order, as ${account.arn}`);
  // The inputs the output names but innovate does not create, before any change: a missing role
  // or zone would fail a stack mid-deploy (or hang it for hours); a missing image only warns.
  const inputs = await checkInputs(ctx);
  for (const line of inputsSection(inputs.checks)) ctx.out(line);
  const blocking = inputs.checks.filter((c) => c.blocking);
  if (blocking.length) {
    for (const c of blocking) ctx.err(`refusing to deploy ${env.name}: ${c.input.specPath}: ${c.reason}`);
    ctx.err(`nothing was changed: fix the external input${blocking.length === 1 ? '' : 's'} above and run again (innovate plan checks them too)`);
    return Math.max(inputs.errorCode, blocking.some((c) => c.verdict !== 'error') ? EXIT_FINDINGS : 0);
  }
  for (const c of inputs.checks) if (c.verdict === 'warning') ctx.err(`warning: ${c.input.specPath}: ${c.reason}`);

  const states = new Map<string, string>(ctx.targets.map((t) => [t.stackName, 'not started']));
  let exit = EXIT_OK;
  for (const t of ctx.targets) {
    const result = await deployStack(ctx, t, deliveries.get(t.stackName)!, options, approval === 'ask', (s) => states.set(t.stackName, s));
    exit = Math.max(exit, result);
    if (result !== EXIT_OK) {
      for (const other of ctx.targets) if (states.get(other.stackName) === 'not started') states.set(other.stackName, `not started (stopped after ${t.stackName})`);
      break;
    }
  }
  ctx.out('');
  for (const line of stateTable(ctx.targets.map((t) => ({ stackName: t.stackName, region: t.region, state: states.get(t.stackName)! })))) ctx.out(line);
  if (exit === EXIT_OK) ctx.out(`Deploy of ${env.name} complete.`);
  return exit;
}

async function deployStack(ctx: RunContext, t: StackTarget, delivery: TemplateDelivery, options: DeployOptions, ask: boolean, setState: (s: string) => void): Promise<number> {
  const production = ctx.model.environment.production;
  let stack: StackInfo | undefined;
  let pending: string | undefined; // change set created and not executed
  let executing = false;
  let finished: string | undefined; // the stack's status once its change set ran
  const fail = (message: string, code: number, state: string) => {
    ctx.err(`${t.stackName}: ${message}`);
    setState(state);
    return code;
  };
  const dropChangeSet = async (name: string) => {
    const ok = await ctx.api.deleteChangeSet(t.region, t.stackName, name).then(
      () => true,
      () => false,
    );
    return ok ? `change set ${name} deleted` : `change set ${name} could not be deleted; delete it with aws cloudformation delete-change-set`;
  };
  try {
    stack = await call(ctx, `describing ${t.stackName}`, () => ctx.api.describeStack(t.region, t.stackName));
    const decision = decideStackAction(stack);
    if (decision.kind === 'refuse') return fail(decision.reason, EXIT_USAGE, `unchanged: ${stack!.status}`);
    const type = decision.kind === 'create' ? 'CREATE' : 'UPDATE';
    const before = stack ? `unchanged: ${stack.status}` : 'not created';

    const template = await sendTemplate(ctx, t, delivery);
    if (template.templateUrl) ctx.out(`${t.stackName} (${t.region}): template of ${t.bodyBytes} bytes uploaded, sent as ${template.templateUrl}`);
    await call(ctx, `validating ${t.template} (cloudformation:ValidateTemplate)`, () => ctx.api.validateTemplate(t.region, template));
    const name = changeSetName(ctx.now());
    pending = name;
    const cs: ChangeSetInfo = await call(ctx, `creating a change set for ${t.stackName}`, () => ctx.api.createChangeSet(t.region, changeSetInput(ctx, t, type, name, template)));
    const outcome = changeSetOutcome(cs);
    if (outcome === 'no-changes') {
      pending = undefined;
      await call(ctx, `deleting the empty change set of ${t.stackName}`, () => ctx.api.deleteChangeSet(t.region, t.stackName, name));
      if (stack) await protect(ctx, t, stack, production);
      ctx.out(`${t.stackName} (${t.region}): no changes`);
      setState(`no changes (${stack?.status ?? 'absent'})`);
      return EXIT_OK;
    }
    if (outcome === 'failed') {
      pending = undefined;
      const dropped = await dropChangeSet(name);
      return fail(`the change set failed to create: ${cs.statusReason ?? 'no reason given'} (${dropped})`, EXIT_FINDINGS, before);
    }
    const rows = changeRows(cs.changes);
    ctx.out('');
    ctx.out(`${t.stackName} (${t.region}, ${type}): ${cs.changes.length ? countsLine(rows) : 'stack-level changes only (outputs, tags or parameters)'}`);
    for (const line of changeTable(rows)) ctx.out(line);
    for (const line of dangerBlock(rows.filter((r) => r.risk === 'danger').map((row) => ({ stackName: t.stackName, row })))) ctx.out(line);

    const violations = policyViolations(cs.changes);
    if (violations.length) {
      pending = undefined;
      const dropped = await dropChangeSet(name);
      const list = violations.map((v) => `${v.logicalId} (${v.type}, ${v.action === 'Remove' ? 'removal' : 'replacement'})`).join(', ');
      return fail(`refusing to execute: the change set would replace or delete ${list}, which the stack policy protects; the update would fail and roll back. Change the spec so the resource is kept, or replace it deliberately outside innovate (${dropped})`, EXIT_FINDINGS, before);
    }
    if (ask) {
      const yes = await options.confirm(`Execute the change set on production stack ${t.stackName} (${countsLine(rows)})? Type "yes" to continue: `);
      if (!yes) {
        pending = undefined;
        const dropped = await dropChangeSet(name);
        return fail(`not executed: the confirmation was declined (${dropped})`, EXIT_USAGE, before);
      }
    }
    const clusters = clustersToSnapshot(cs.changes);
    for (const c of clusters) {
      if (!options.snapshot) {
        ctx.out(`  --no-snapshot: no manual snapshot of ${c.clusterIdentifier} before changing ${c.logicalId}`);
        continue;
      }
      const snap = snapshotName(c.clusterIdentifier, ctx.now());
      ctx.out(`  taking manual snapshot ${snap} of ${c.clusterIdentifier} before changing ${c.logicalId} ...`);
      await call(ctx, `taking snapshot ${snap} of ${c.clusterIdentifier} (rds:CreateDBClusterSnapshot)`, () => ctx.api.snapshotCluster(t.region, c.clusterIdentifier, snap, stackTags(ctx.model)));
      ctx.out(`  snapshot ${snap} is available`);
    }
    // Guard the update with the stack policy and termination protection before it runs.
    if (stack && type === 'UPDATE') await protect(ctx, t, stack, production);

    let last = await call(ctx, `reading the events of ${t.stackName}`, () => ctx.api.latestEventId(t.region, t.stackName));
    await call(ctx, `executing the change set of ${t.stackName}`, () => ctx.api.executeChangeSet(t.region, t.stackName, name));
    pending = undefined;
    executing = true;
    setState(`${type === 'CREATE' ? 'CREATE' : 'UPDATE'}_IN_PROGRESS (last seen)`);
    const events: StackEventInfo[] = [];
    let status = '';
    // Right after ExecuteChangeSet, DescribeStacks may still show the previous terminal status: the
    // operation is over when the stack's own event reports the terminal status (or, failing that,
    // after three polls that agree).
    let terminalPolls = 0;
    for (;;) {
      await ctx.api.pause();
      const fresh = await call(ctx, `reading the events of ${t.stackName}`, () => ctx.api.eventsSince(t.region, t.stackName, last));
      for (const e of fresh) ctx.out(eventLine(t.stackName, e));
      events.push(...fresh);
      if (fresh.length) last = fresh.at(-1)!.eventId;
      const now = await call(ctx, `describing ${t.stackName}`, () => ctx.api.describeStack(t.region, t.stackName));
      status = now?.status ?? 'DELETE_COMPLETE';
      setState(`${status} (last seen)`);
      terminalPolls = isTerminal(status) ? terminalPolls + 1 : 0;
      const closed = events.some((e) => e.logicalId === t.stackName && e.type === 'AWS::CloudFormation::Stack' && e.status === status);
      if (terminalPolls > 0 && (closed || terminalPolls >= 3)) {
        stack = now;
        break;
      }
    }
    executing = false;
    if (!isSuccess(status)) {
      const reasons = failureReasons(events);
      ctx.err(`${t.stackName} failed: ${status}${reasons.length ? '' : ' (no failed resource events were reported)'}`);
      for (const r of reasons) ctx.err(`  ${r}`);
      setState(describeStatus(status));
      return EXIT_FINDINGS;
    }
    finished = status;
    if (type === 'CREATE' && stack) await protect(ctx, t, stack, production);
    setState(status);
    return EXIT_OK;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const ex = e.explained;
    let state: string;
    let note = '';
    if (pending) note = ` (${await dropChangeSet(pending)})`;
    if (finished) {
      state = `${finished}, but termination protection or the stack policy could not be set`;
    } else if (executing) {
      const last = await ctx.api.describeStack(t.region, t.stackName).then(
        (s) => s?.status,
        () => undefined,
      );
      state = last ? `${describeStatus(last)}` : 'unknown: CloudFormation continues the operation on its own; check it with aws cloudformation describe-stacks';
    } else {
      state = stack ? `unchanged: ${stack.status}` : 'not created';
    }
    return fail(`${ex.message}${note}`, ex.exitCode || EXIT_USAGE, state);
  }
}

/** Termination protection on production stacks; the stack policy where the database or KMS keys live. */
async function protect(ctx: RunContext, t: StackTarget, stack: StackInfo, production: boolean): Promise<void> {
  if (production && !stack.terminationProtection) {
    await call(ctx, `enabling termination protection on ${t.stackName}`, () => ctx.api.enableTerminationProtection(t.region, t.stackName));
    ctx.out(`  termination protection enabled on ${t.stackName}`);
  }
  if (t.protectedResources.length) {
    await call(ctx, `setting the stack policy of ${t.stackName}`, () => ctx.api.setStackPolicy(t.region, t.stackName, stackPolicy()));
  }
}

// ---------------------------------------------------------------- drift
