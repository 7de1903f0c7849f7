/** Text for the AWS commands: change tables, events, drift reports, closing summaries. Pure. */
import type { ResourceDriftInfo, StackEventInfo } from './api.js';
import { countChanges, type ChangeRow } from './decide.js';

function table(rows: readonly (readonly string[])[], indent: string): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => (indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).trimEnd());
}

const MARK = { danger: '!!', replacement: ' !', none: '  ' } as const;

/** The change table of one stack; dangerous rows are marked `!!`, replacements ` !`. */
export function changeTable(rows: readonly ChangeRow[]): string[] {
  const head = ['Action', 'Logical id', 'Type', 'Replacement', ''];
  const body = rows.map((r) => [r.action, r.logicalId, r.type, r.replacement || '-', r.risk === 'none' ? '' : r.risk === 'danger' ? `DANGER: ${r.note}` : (r.note ?? '')]);
  const lines = table([head, ...body], '');
  return lines.map((line, i) => (i === 0 ? `     ${line}` : `  ${MARK[rows[i - 1]!.risk]} ${line}`));
}

export function countsLine(rows: readonly ChangeRow[]): string {
  const c = countChanges(rows);
  const parts = [`${c.add} to add`, `${c.modify} to modify`, `${c.remove} to remove`];
  if (c.replace) parts.push(`${c.replace} replacement${c.replace === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/** The warning closing a plan or preceding a deploy when data-holding resources are at stake. */
export function dangerBlock(items: readonly { stackName: string; row: ChangeRow }[]): string[] {
  if (items.length === 0) return [];
  return [
    `WARNING: ${items.length} change${items.length === 1 ? '' : 's'} would replace or remove resources that hold data or keys:`,
    ...items.map((i) => `  ${i.stackName}: ${i.row.action} ${i.row.logicalId} (${i.row.type}${i.row.replacement ? `, Replacement ${i.row.replacement}` : ''}): ${i.row.note}`),
  ];
}

export function eventLine(stackName: string, e: StackEventInfo): string {
  const time = e.timestamp.toISOString().slice(11, 19);
  return `  ${time}  ${stackName}  ${e.logicalId}  ${e.type}  ${e.status}${e.reason ? `  ${e.reason}` : ''}`;
}

export function driftLines(drifts: readonly ResourceDriftInfo[]): string[] {
  const out: string[] = [];
  for (const d of drifts) {
    out.push(`  ${d.status.padEnd(8)}  ${d.logicalId} (${d.type})${d.physicalId ? ` ${d.physicalId}` : ''}`);
    for (const p of d.differences) {
      out.push(`      ${p.type} ${p.path}: expected ${p.expected || '(nothing)'}, actual ${p.actual || '(nothing)'}`);
    }
  }
  return out;
}

/** The closing table of a deploy: every stack of the environment and what state it is left in. */
export function stateTable(states: readonly { stackName: string; region: string; state: string }[]): string[] {
  return ['Stack states:', ...table(states.map((s) => [s.stackName, s.region, s.state]), '  ')];
}
