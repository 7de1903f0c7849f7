/**
 * The estimate as text (a table per environment), JSON (the issue's shape) or Markdown (README,
 * docs/ARCHITECTURE.md), and the change between two estimates (`innovate diff`).
 */
import type { CostEstimate } from './models.js';
import type { EnvironmentEstimate, LineItem, Range } from './estimate.js';

export type CostFormat = 'text' | 'json' | 'markdown';

const money = (n: number): string => {
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  return `${sign}$${a >= 100 ? Math.round(a).toLocaleString('en-US') : a.toFixed(2)}`;
};
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - s.length));
const lpad = (s: string, n: number) => ' '.repeat(Math.max(0, n - s.length)) + s;
/**
 * A figure as printed: an item without any sourced price is "no price" (not $0.00, which would read as
 * free), and one priced in part carries a "+" (the missing part would add to it).
 */
const cell = (i: Pick<LineItem, 'gaps' | 'monthlyUsd'>, n: number): string => (i.gaps.length === 0 ? money(n) : i.monthlyUsd.high === 0 ? 'no price' : `${money(n)}+`);
const incomplete = (e: EnvironmentEstimate) => (e.gaps.length ? `; INCOMPLETE: ${e.gaps.length} price${e.gaps.length === 1 ? '' : 's'} missing, the totals leave them out (see below)` : '');
const budgetNote = (e: EnvironmentEstimate) => (e.monthlyUsd.likely > e.budgetUsd ? `OVER the budget of ${money(e.budgetUsd)}` : `within the budget of ${money(e.budgetUsd)}`);
const where = (e: EnvironmentEstimate) => `${e.region}${e.drRegion ? `, DR ${e.drRegion}` : ''}`;

function textEnv(e: EnvironmentEstimate): string {
  const w = Math.max(30, ...e.items.map((i) => i.name.length)) + 2;
  const row = (name: string, i: Pick<LineItem, 'gaps' | 'monthlyUsd'>) => `  ${pad(name, w)}${lpad(cell(i, i.monthlyUsd.low), 10)}${lpad(cell(i, i.monthlyUsd.likely), 10)}${lpad(cell(i, i.monthlyUsd.high), 10)}`;
  const lines = [
    `${e.environment} (${where(e)}): likely ${money(e.monthlyUsd.likely)}${e.gaps.length ? '+' : ''}/month (${money(e.monthlyUsd.low)}–${money(e.monthlyUsd.high)}), ${budgetNote(e)}${incomplete(e)}`,
    `  ${pad('item', w)}${lpad('low', 10)}${lpad('likely', 10)}${lpad('high', 10)}`,
    ...e.items.flatMap((i) => [row(i.name, i), `      ${i.detail}${i.gaps.length ? ` [${i.gaps.join('; ')}]` : ''}`]),
    row('total', { monthlyUsd: e.monthlyUsd, gaps: e.gaps }),
  ];
  if (e.savings.length) {
    lines.push('  savings the architecture document names, per month at the likely figures:');
    for (const s of e.savings) lines.push(`    ${s.applied ? 'taken ' : 'option'}  ${pad(s.name, 48)}${lpad(money(s.monthlyUsd), 10)}  ${s.detail}`);
  }
  if (e.gaps.length) lines.push(`  left out for want of a price ("no price": none of the item is priced; "+": part of it is not): ${e.gaps.join('; ')}`);
  if (e.notEstimated.length) lines.push(`  not estimated (billed by usage): ${e.notEstimated.map((n) => (n.count ? `${n.type} × ${n.count}` : n.type)).join(', ')}`);
  return lines.join('\n');
}

export function formatCost(estimate: CostEstimate, format: CostFormat): string {
  if (format === 'json') return `${JSON.stringify(estimate, null, 2)}\n`;
  const envs = Object.values(estimate.environments);
  if (format === 'markdown') return `${markdownCost(estimate)}\n`;
  const first = Object.values(estimate.assumptions)[0] ?? {};
  const lines = [
    `Monthly cost estimate, USD (prices as of ${estimate.prices.date}: ${estimate.prices.source})`,
    '',
    ...envs.flatMap((e) => [textEnv(e), '']),
    'assumptions (likely, range low–high): ' + Object.entries(first).map(([k, v]) => `${k}=${v.likely}${v.low !== v.high ? ` (${v.low}–${v.high})` : ''}`).join(', '),
    'low = the minimum the spec allows (minimum replicas, pool baselines, low assumptions); high = the maximum (maximum replicas, pool limits, high assumptions); likely = every assumption at its stated default. See docs/cost.md.',
  ];
  return `${lines.join('\n')}\n`;
}

/** Markdown: a table per environment, the savings, and a Mermaid pie chart of the likely figures. */
export function markdownCost(estimate: CostEstimate, options: { heading?: string; chart?: boolean } = {}): string {
  const h = options.heading ?? '###';
  const out: string[] = [];
  for (const e of Object.values(estimate.environments)) {
    out.push(`${h} ${e.environment} (${where(e)})`, '', `Likely **${money(e.monthlyUsd.likely)}${e.gaps.length ? '+' : ''}/month** (${money(e.monthlyUsd.low)}–${money(e.monthlyUsd.high)}), ${budgetNote(e)}${incomplete(e)}.`, '');
    out.push('| item | low | likely | high | how |', '|---|---:|---:|---:|---|');
    for (const i of e.items) out.push(`| ${i.name} | ${cell(i, i.monthlyUsd.low)} | ${cell(i, i.monthlyUsd.likely)} | ${cell(i, i.monthlyUsd.high)} | ${(i.detail + (i.gaps.length ? ` (${i.gaps.join('; ')})` : '')).replace(/\|/g, '\\|')} |`);
    const t = { monthlyUsd: e.monthlyUsd, gaps: e.gaps };
    out.push(`| **total** | **${cell(t, e.monthlyUsd.low)}** | **${cell(t, e.monthlyUsd.likely)}** | **${cell(t, e.monthlyUsd.high)}** | |`, '');
    if (options.chart !== false) {
      const slices = e.items.filter((i) => i.monthlyUsd.likely > 0);
      if (slices.length) out.push('```mermaid', `pie showData title ${e.environment}: likely monthly cost (USD)`, ...slices.map((i) => `    "${i.name.replace(/"/g, "'")}" : ${i.monthlyUsd.likely.toFixed(2)}`), '```', '');
    }
    if (e.savings.length) {
      out.push('| saving | per month | | how |', '|---|---:|---|---|');
      for (const s of e.savings) out.push(`| ${s.name} | ${money(s.monthlyUsd)} | ${s.applied ? 'taken' : 'option'} | ${s.detail.replace(/\|/g, '\\|')} |`);
      out.push('');
    }
    if (e.gaps.length) out.push(`Left out for want of a sourced price ("no price": none of the item is priced; "+": part of it is not): ${e.gaps.join('; ')}.`, '');
  }
  out.push(`Prices as of ${estimate.prices.date} (${estimate.prices.source}); each with its page in \`inventory/aws-pricing\`. Assumptions and ranges: docs/cost.md.`);
  return out.join('\n');
}

export interface CostChange {
  readonly environment: string;
  readonly item: string;
  readonly beforeUsd: number;
  readonly afterUsd: number;
  readonly deltaUsd: number;
}

/** Line items whose likely figure moved by a cent or more between two estimates, per environment. */
export function costChanges(before: CostEstimate | undefined, after: CostEstimate): CostChange[] {
  const out: CostChange[] = [];
  const envs = [...new Set([...Object.keys(before?.environments ?? {}), ...Object.keys(after.environments)])].sort();
  for (const env of envs) {
    const a = before?.environments[env];
    const b = after.environments[env];
    const names = [...new Set([...(a?.items ?? []).map((i) => i.name), ...(b?.items ?? []).map((i) => i.name)])];
    for (const item of names) {
      const x = a?.items.find((i) => i.name === item)?.monthlyUsd.likely ?? 0;
      const y = b?.items.find((i) => i.name === item)?.monthlyUsd.likely ?? 0;
      const d = Math.round((y - x) * 100) / 100;
      if (Math.abs(d) >= 0.01) out.push({ environment: env, item, beforeUsd: x, afterUsd: y, deltaUsd: d });
    }
  }
  return out;
}

export function formatCostChanges(changes: readonly CostChange[]): string {
  if (changes.length === 0) return 'monthly cost: no change\n';
  const byEnv = new Map<string, number>();
  for (const c of changes) byEnv.set(c.environment, (byEnv.get(c.environment) ?? 0) + c.deltaUsd);
  const sign = (n: number) => `${n >= 0 ? '+' : '-'}${money(Math.abs(n))}`;
  return (
    [
      ...changes.map((c) => `${sign(c.deltaUsd)}/month: ${c.item} in ${c.environment} (${money(c.beforeUsd)} → ${money(c.afterUsd)})`),
      ...[...byEnv].map(([env, d]) => `monthly cost of ${env}: ${sign(Math.round(d * 100) / 100)}/month (likely)`),
    ].join('\n') + '\n'
  );
}
