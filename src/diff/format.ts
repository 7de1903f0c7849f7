/** Text rendering of a diff report: one block per file, hazards repeated loudly at the end. */
import type { DiffReport, EntryChange, FieldChange, Hazard, Move } from './types.js';

const SIGN = { added: '+', removed: '-', changed: '~' } as const;
const MAX = 100;

function show(v: unknown): string {
  const s = typeof v === 'string' ? (/^[\w./:@-]+$/.test(v) ? v : JSON.stringify(v)) : JSON.stringify(v) ?? 'undefined';
  return s.length > MAX ? `${s.slice(0, MAX - 1)}…` : s;
}

function field(f: FieldChange): string {
  const tail = f.replaces ? '  (replaces the resource)' : '';
  if (f.kind === 'added') return `+ ${f.path}: ${show(f.after)}${tail}`;
  if (f.kind === 'removed') return `- ${f.path}: ${show(f.before)}${tail}`;
  return `~ ${f.path}: ${show(f.before)} -> ${show(f.after)}${tail}`;
}

function entry(e: EntryChange): string[] {
  const impact = e.impact && e.impact !== 'update' && e.impact !== 'create' && e.impact !== 'destroy' && e.impact !== 'none' ? ` [${e.impact}]` : '';
  const head = `${SIGN[e.kind]} ${e.type ? `${e.type} ` : ''}${e.id || '(values)'}${impact}`;
  if (e.id === '' && e.kind === 'changed') return e.fields.map(field);
  return [head, ...e.fields.map((f) => `    ${field(f)}`)];
}

export function hazardLine(h: Hazard): string {
  const what = {
    replace: 'will be REPLACED',
    'may-replace': 'may be REPLACED',
    destroy: 'will be DELETED',
    orphan: 'leaves the stack (DeletionPolicy Retain keeps it)',
    move: `MOVES to ${h.to ?? '?'}: deleted from this stack and created anew in that one (CHANGELOG.md has the migration)`,
  }[h.impact];
  return `!! STATEFUL ${h.type} ${h.id} in ${h.path} ${what}`;
}

/** One line per move: `=> resource ...`, `=> source ...` (what ArgoCD watches), `=> document ...`. */
export function moveLine(m: Move): string {
  const env = m.environment ? ` [${m.environment}]` : '';
  if (m.kind === 'resource') return `=> MOVED${m.stateful ? ' STATEFUL' : ''} ${m.type} ${m.id}${env}: ${m.from} -> ${m.to} (the old stack deletes it, the new one creates it)`;
  if (m.kind === 'source') return `=> ArgoCD WATCHES ANOTHER PLACE: Application ${m.id.replace(/^Application /, '')}${env}: ${m.from} -> ${m.to}`;
  return `=> moved ${m.id}${env}: ${m.from} -> ${m.to}`;
}

export function summarize(r: DiffReport): string {
  const n = (k: string) => r.files.filter((f) => f.kind === k).length;
  if (r.files.length === 0) return 'no changes';
  const verbs = r.hazards.some((h) => h.impact === 'move') ? 'replaced, deleted or moved' : 'replaced or deleted';
  const hazards = r.hazards.length ? `; ${r.hazards.length} stateful resource${r.hazards.length === 1 ? '' : 's'} ${verbs}` : '';
  const relocated = r.moves.filter((m) => m.kind !== 'document').length;
  const moves = relocated ? `; ${relocated} move${relocated === 1 ? '' : 's'} (resources to another stack, ArgoCD sources)` : '';
  return `${r.files.length} file${r.files.length === 1 ? '' : 's'} differ (${n('added')} added, ${n('removed')} removed, ${n('changed')} changed)${hazards}${moves}`;
}

export function formatDiff(r: DiffReport): string {
  const lines: string[] = [];
  for (const f of r.files) {
    const note = f.kind !== 'changed' ? '' : f.format === 'text' ? '  (text changed)' : f.entries.length === 0 ? '  (comments or formatting only)' : '';
    lines.push(`${SIGN[f.kind]} ${f.path}${note}`);
    for (const e of f.entries) lines.push(...entry(e).map((l) => `    ${l}`));
  }
  if (r.moves.length > 0) {
    lines.push('');
    for (const m of r.moves) lines.push(moveLine(m), ...(m.fields ?? []).map((f) => `    ${field(f)}`));
  }
  if (r.hazards.length > 0) lines.push('', ...r.hazards.map(hazardLine));
  return lines.length ? `${lines.join('\n')}\n` : '';
}
