/** innovate plan: a change set per stack in deploy order, described, then deleted (unless --keep). */
import { changeRows, changeSetName, changeSetOutcome, decideStackAction, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type ChangeRow } from './decide.js';
import { changeTable, countsLine, dangerBlock } from './render.js';
import { blockers } from './targets.js';
import { checkJson, checkLine, type InputCheck } from './inputs.js';
import { call, checkAccount, checkInputs, changeSetInput, sendTemplate, templateDeliveries, type RunContext, Stop } from './context.js';

export interface PlanOptions {
  readonly keep: boolean;
  readonly format: 'text' | 'json';
}

type PlanStatus = 'changes' | 'no-changes' | 'blocked' | 'failed' | 'refused' | 'error' | 'not-planned';

interface PlanResult {
  stackName: string;
  region: string;
  template: string;
  /** Minified size, and how the template is sent: inline, or from the template bucket (its URL). */
  templateBytes: number;
  templateVia: 'inline' | 's3';
  templateUrl?: string;
  action?: 'CREATE' | 'UPDATE';
  status: PlanStatus;
  reason?: string;
  changeSet?: { name: string; id: string; kept: boolean };
  changes: ChangeRow[];
}

export async function runPlan(ctx: RunContext, options: PlanOptions): Promise<number> {
  const deliveries = templateDeliveries(ctx);
  if (typeof deliveries === 'number') return deliveries;
  const account = await checkAccount(ctx);
  if (!account.ok) return account.code;
  const text = options.format === 'text';
  const env = ctx.model.environment;
  if (text) ctx.out(`Plan for ${env.name}: account ${env.accountId}, ${ctx.targets.length} stacks, as ${account.arn}`);
  let exit = EXIT_OK;
  // What the output names but innovate does not create: checked before the stacks, which are
  // planned either way (the whole picture), and a missing or unfit one ends the plan in findings.
  const inputs = await checkInputs(ctx);
  if (text) for (const line of inputsSection(inputs.checks)) ctx.out(line);
  if (inputs.checks.some((c) => c.blocking && c.verdict !== 'error')) exit = Math.max(exit, EXIT_FINDINGS);
  exit = Math.max(exit, inputs.errorCode);
  const results: PlanResult[] = [];
  const missing = new Set<string>();
  let stopped = false;

  for (const [i, t] of ctx.targets.entries()) {
    const delivery = deliveries.get(t.stackName)!;
    const result: PlanResult = {
      stackName: t.stackName,
      region: t.region,
      template: t.template,
      templateBytes: delivery.bytes,
      templateVia: delivery.via,
      ...(delivery.via === 's3' ? { templateUrl: delivery.url } : {}),
      status: 'not-planned',
      changes: [],
    };
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
          const template = await sendTemplate(ctx, t, delivery);
          await call(ctx, `validating ${t.template} (cloudformation:ValidateTemplate)`, () => ctx.api.validateTemplate(t.region, template));
          const name = changeSetName(ctx.now());
          created = { name };
          const cs = await call(ctx, `creating a change set for ${t.stackName}`, () => ctx.api.createChangeSet(t.region, changeSetInput(ctx, t, result.action!, name, template)));
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
          inputs: inputs.checks.map(checkJson),
          stacks: results.map((r) => ({ ...r, changes: r.changes })),
          dangers: dangers.map((d) => ({ stackName: d.stackName, logicalId: d.row.logicalId, type: d.row.type, action: d.row.action, replacement: d.row.replacement, note: d.row.note })),
        },
        null,
        2,
      ),
    );
  }
  for (const c of inputs.checks) if (c.blocking && c.reason) ctx.err(`${c.input.specPath}: ${c.reason}`);
  for (const r of results) if ((r.status === 'error' || r.status === 'refused' || r.status === 'failed') && r.reason) ctx.err(`${r.stackName}: ${r.reason}`);
  if (stopped) ctx.err(`plan stopped; stacks after the error were not planned, and nothing was changed`);
  return exit;
}

/** The "External inputs" section of plan and deploy: one line per input. */
export function inputsSection(checks: readonly InputCheck[]): string[] {
  if (checks.length === 0) return ['External inputs: none (the spec names no existing team role, hosted zone or image tag)'];
  return ['External inputs:', ...checks.map(checkLine)];
}

function printPlanStack(ctx: RunContext, r: PlanResult): void {
  const head = `${r.stackName} (${r.region}${r.action ? `, ${r.action}` : ''})`;
  // Said only of stacks whose template was sent: the others were not uploaded.
  const via = () => {
    if (r.templateUrl) ctx.out(`  template: ${r.templateBytes} bytes, sent as ${r.templateUrl}`);
  };
  switch (r.status) {
    case 'changes':
      ctx.out('');
      ctx.out(`${head}: ${r.reason ?? countsLine(r.changes)}${r.changeSet?.kept ? ` [change set ${r.changeSet.name} kept]` : ''}`);
      via();
      if (r.changes.length) for (const line of changeTable(r.changes)) ctx.out(line);
      return;
    case 'no-changes':
      ctx.out(`${head}: no changes`);
      via();
      return;
    case 'failed':
      ctx.out(`${head}: FAILED: ${r.reason}`);
      via();
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
