/**
 * plan, deploy and drift: the order of calls and what is printed, over the AwsApi interface.
 * No SDK here: the CLI passes the driver (loaded lazily); tests pass the driver over mocked
 * clients or over a local CloudFormation-speaking server.
 *
 * Output: tables, events and summaries on `out` (stdout); one-line explanations of errors on
 * `err` (stderr). Every run that touched AWS ends by saying what state each stack is in.
 */
import type { Model } from '../compiler/model.js';
import type { AwsApi, ChangeSetInfo, StackEventInfo, StackInfo } from './api.js';
import {
  approvalNeeded,
  changeRows,
  changeSetName,
  changeSetOutcome,
  clustersToSnapshot,
  decideStackAction,
  describeStatus,
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_USAGE,
  failureReasons,
  isSuccess,
  isTerminal,
  policyViolations,
  snapshotName,
  type ChangeRow,
} from './decide.js';
import { explainAwsError, type Explained } from './errors.js';
import { changeTable, countsLine, dangerBlock, driftLines, eventLine, stateTable } from './render.js';
import { blockers, MAX_TEMPLATE_BODY_BYTES, stackPolicy, stackTags, type StackTarget } from './targets.js';

export interface RunContext {
  readonly model: Model;
  /** The environment's stacks in deploy order. */
  readonly targets: readonly StackTarget[];
  readonly api: AwsApi;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly now: () => Date;
  /** Where requests go, for network failure messages: "AWS (us-east-1)" or the --endpoint-url. */
  readonly endpoint: string;
}

class Stop extends Error {
  constructor(readonly explained: Explained) {
    super(explained.message);
  }
}

/** Runs one AWS call; a failure becomes a Stop carrying its explanation. */
async function call<T>(ctx: RunContext, doing: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof Stop) throw e;
    throw new Stop(explainAwsError(e, doing, ctx.endpoint));
  }
}

/** The caller must be in the environment's account: refuse anything else before touching a stack. */
async function checkAccount(ctx: RunContext): Promise<{ ok: true; arn: string } | { ok: false; code: number }> {
  const env = ctx.model.environment;
  try {
    const id = await call(ctx, 'checking the caller identity (sts:GetCallerIdentity)', () => ctx.api.callerIdentity(env.region));
    const accounts = new Set([env.accountId, ...ctx.targets.map((t) => t.accountId)]);
    if (!accounts.has(id.account) || accounts.size !== 1) {
      ctx.err(`refusing: the credentials belong to account ${id.account} (${id.arn}), but environment ${env.name} is account ${env.accountId}; use --profile with credentials for ${env.accountId}`);
      return { ok: false, code: EXIT_USAGE };
    }
    return { ok: true, arn: id.arn };
  } catch (e) {
    ctx.err((e as Stop).explained.message);
    return { ok: false, code: (e as Stop).explained.exitCode };
  }
}

const tooLarge = (ctx: RunContext): number | undefined => {
  const big = ctx.targets.filter((t) => t.bodyBytes > MAX_TEMPLATE_BODY_BYTES);
  if (big.length === 0) return undefined;
  for (const t of big) ctx.err(`${t.template}: the template is ${t.bodyBytes} bytes minified; CloudFormation accepts at most ${MAX_TEMPLATE_BODY_BYTES} bytes inline (S3 upload is not supported yet)`);
  return EXIT_USAGE;
};

function changeSetInput(ctx: RunContext, t: StackTarget, type: 'CREATE' | 'UPDATE', name: string) {
  return {
    stackName: t.stackName,
    changeSetName: name,
    changeSetType: type,
    templateBody: t.body,
    parameters: t.parameters,
    capabilities: t.capabilities,
    tags: stackTags(ctx.model),
    description: `innovate ${ctx.model.environment.name}: ${t.template}`,
  } as const;
}

// ---------------------------------------------------------------- plan

export interface PlanOptions {
  readonly keep: boolean;
  readonly format: 'text' | 'json';
}

type PlanStatus = 'changes' | 'no-changes' | 'blocked' | 'failed' | 'refused' | 'error' | 'not-planned';

interface PlanResult {
  stackName: string;
  region: string;
  template: string;
  action?: 'CREATE' | 'UPDATE';
  status: PlanStatus;
  reason?: string;
  changeSet?: { name: string; id: string; kept: boolean };
  changes: ChangeRow[];
}

export async function runPlan(ctx: RunContext, options: PlanOptions): Promise<number> {
  const big = tooLarge(ctx);
  if (big !== undefined) return big;
  const account = await checkAccount(ctx);
  if (!account.ok) return account.code;
  const text = options.format === 'text';
  const env = ctx.model.environment;
  if (text) ctx.out(`Plan for ${env.name}: account ${env.accountId}, ${ctx.targets.length} stacks, as ${account.arn}`);
  let exit = EXIT_OK;
  const results: PlanResult[] = [];
  const missing = new Set<string>();
  let stopped = false;

  for (const [i, t] of ctx.targets.entries()) {
    const result: PlanResult = { stackName: t.stackName, region: t.region, template: t.template, status: 'not-planned', changes: [] };
    results.push(result);
    if (stopped) {
      if (text) printPlanStack(ctx, result);
      continue;
    }
    let created: { name: string; id?: string } | undefined;
    try {
      const stack = await call(ctx, `describing ${t.stackName}`, () => ctx.api.describeStack(t.region, t.stackName));
      const decision = decideStackAction(stack);
      if (decision.kind === 'refuse') {
        Object.assign(result, { status: 'refused', reason: decision.reason });
        exit = Math.max(exit, EXIT_USAGE);
      } else {
        result.action = decision.kind === 'create' ? 'CREATE' : 'UPDATE';
        if (decision.kind === 'create') missing.add(t.stackName);
        const waits = blockers(t, ctx.targets.slice(0, i), missing);
        if (waits.length > 0) {
          const what = waits.map((w) => `${w.parameter} (published by ${w.stackName})`).join(', ');
          Object.assign(result, { status: 'blocked', reason: `reads ${what}, not deployed yet; deploy creates this stack after ${waits.length === 1 ? 'that one' : 'those'}` });
        } else {
          await call(ctx, `validating ${t.template} (cloudformation:ValidateTemplate)`, () => ctx.api.validateTemplate(t.region, t.body));
          const name = changeSetName(ctx.now());
          created = { name };
          const cs = await call(ctx, `creating a change set for ${t.stackName}`, () => ctx.api.createChangeSet(t.region, changeSetInput(ctx, t, result.action!, name)));
          created.id = cs.changeSetId;
          const outcome = changeSetOutcome(cs);
          result.changes = changeRows(cs.changes);
          if (outcome === 'failed') {
            Object.assign(result, { status: 'failed', reason: `the change set failed to create: ${cs.statusReason ?? 'no reason given'}` });
            exit = Math.max(exit, EXIT_FINDINGS);
          } else {
            result.status = outcome === 'no-changes' ? 'no-changes' : 'changes';
            if (outcome === 'changes' && cs.changes.length === 0) result.reason = 'stack-level changes only (outputs, tags or parameters)';
          }
          const keep = options.keep && outcome === 'changes';
          if (!keep) await call(ctx, `deleting change set ${name} of ${t.stackName}`, () => ctx.api.deleteChangeSet(t.region, t.stackName, name));
          result.changeSet = { name, id: cs.changeSetId, kept: keep };
          created = undefined;
        }
      }
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
      const ex = e.explained;
      Object.assign(result, { status: ex.kind === 'validation' ? 'failed' : 'error', reason: ex.message });
      exit = Math.max(exit, ex.exitCode);
      if (created) {
        // Never leave a change set behind silently.
        const cleaned = await ctx.api.deleteChangeSet(t.region, t.stackName, created.name).then(
          () => true,
          () => false,
        );
        if (!cleaned) result.reason += ` (change set ${created.name} may remain on ${t.stackName}; delete it with aws cloudformation delete-change-set)`;
      }
      if (ex.fatal) stopped = true;
    }
    if (text) printPlanStack(ctx, result);
  }

  const dangers = results.flatMap((r) => r.changes.filter((c) => c.risk === 'danger').map((row) => ({ stackName: r.stackName, row })));
  if (text) {
    const count = (s: PlanStatus) => results.filter((r) => r.status === s).length;
    const parts = [`${count('changes')} with changes`, `${count('no-changes')} without`];
    for (const s of ['blocked', 'failed', 'refused', 'error', 'not-planned'] as const) if (count(s)) parts.push(`${count(s)} ${s.replace('-', ' ')}`);
    ctx.out('');
    for (const line of dangerBlock(dangers)) ctx.out(line);
    ctx.out(`Plan: ${parts.join(', ')}.${results.some((r) => r.changeSet?.kept) ? ' Change sets kept (--keep): review them in the console or execute them with innovate deploy.' : ''}`);
  } else {
    ctx.out(
      JSON.stringify(
        {
          environment: env.name,
          accountId: env.accountId,
          caller: account.arn,
          exitCode: exit,
          stacks: results.map((r) => ({ ...r, changes: r.changes })),
          dangers: dangers.map((d) => ({ stackName: d.stackName, logicalId: d.row.logicalId, type: d.row.type, action: d.row.action, replacement: d.row.replacement, note: d.row.note })),
        },
        null,
        2,
      ),
    );
  }
  for (const r of results) if ((r.status === 'error' || r.status === 'refused' || r.status === 'failed') && r.reason) ctx.err(`${r.stackName}: ${r.reason}`);
  if (stopped) ctx.err(`plan stopped; stacks after the error were not planned, and nothing was changed`);
  return exit;
}

function printPlanStack(ctx: RunContext, r: PlanResult): void {
  const head = `${r.stackName} (${r.region}${r.action ? `, ${r.action}` : ''})`;
  switch (r.status) {
    case 'changes':
      ctx.out('');
      ctx.out(`${head}: ${r.reason ?? countsLine(r.changes)}${r.changeSet?.kept ? ` [change set ${r.changeSet.name} kept]` : ''}`);
      if (r.changes.length) for (const line of changeTable(r.changes)) ctx.out(line);
      return;
    case 'no-changes':
      ctx.out(`${head}: no changes`);
      return;
    case 'blocked':
      ctx.out(`${head}: not planned yet: ${r.reason}`);
      return;
    case 'not-planned':
      ctx.out(`${head}: not planned (stopped before it)`);
      return;
    default:
      ctx.out(`${head}: ${r.status.toUpperCase()}: ${r.reason}`);
  }
}

// ---------------------------------------------------------------- deploy

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
  const big = tooLarge(ctx);
  if (big !== undefined) return big;
  const account = await checkAccount(ctx);
  if (!account.ok) return account.code;
  ctx.out(`Deploy ${env.name}${env.production ? ' (production)' : ''}: account ${env.accountId}, ${ctx.targets.length} stacks in order, as ${account.arn}`);

  const states = new Map<string, string>(ctx.targets.map((t) => [t.stackName, 'not started']));
  let exit = EXIT_OK;
  for (const t of ctx.targets) {
    const result = await deployStack(ctx, t, options, approval === 'ask', (s) => states.set(t.stackName, s));
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

async function deployStack(ctx: RunContext, t: StackTarget, options: DeployOptions, ask: boolean, setState: (s: string) => void): Promise<number> {
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

    await call(ctx, `validating ${t.template} (cloudformation:ValidateTemplate)`, () => ctx.api.validateTemplate(t.region, t.body));
    const name = changeSetName(ctx.now());
    pending = name;
    const cs: ChangeSetInfo = await call(ctx, `creating a change set for ${t.stackName}`, () => ctx.api.createChangeSet(t.region, changeSetInput(ctx, t, type, name)));
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
