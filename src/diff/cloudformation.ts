/**
 * CloudFormation templates through @aws-cdk/cloudformation-diff, which knows from the
 * resource specification which property changes replace a resource. It is large, so it is
 * loaded only when a template differs (never by validate or compile).
 */
import { diffValues } from './fields.js';
import { STATEFUL_TYPES, type EntryChange, type FieldChange, type Hazard } from './types.js';
import { loadOptional } from '../util/optional.js';

type Template = Record<string, unknown>;
const IMPACT = {
  WILL_UPDATE: 'update',
  WILL_CREATE: 'create',
  WILL_REPLACE: 'replace',
  MAY_REPLACE: 'may-replace',
  WILL_DESTROY: 'destroy',
  WILL_ORPHAN: 'orphan',
  WILL_IMPORT: 'import',
  NO_CHANGE: 'none',
} as const;

const parse = (text: string | undefined): Template => (text === undefined ? {} : (JSON.parse(text) as Template));

export async function diffTemplates(path: string, before: string | undefined, after: string | undefined, environment?: string): Promise<{ entries: EntryChange[]; hazards: Hazard[] }> {
  const { fullDiff } = await loadOptional('@aws-cdk/cloudformation-diff', () => import('@aws-cdk/cloudformation-diff'));
  const old = parse(before);
  const next = parse(after);
  const diff = fullDiff(old, next);
  const entries: EntryChange[] = [];
  const hazards: Hazard[] = [];
  diff.resources.forEachDifference((id, change) => {
    const type = change.newResourceType ?? change.oldResourceType ?? 'unknown';
    const impact = IMPACT[change.changeImpact as keyof typeof IMPACT] ?? 'update';
    const fields: FieldChange[] = [];
    for (const [name, p] of Object.entries(change.propertyUpdates)) {
      const replaces = p.changeImpact === 'WILL_REPLACE' || p.changeImpact === 'MAY_REPLACE';
      for (const f of diffValues(p.oldValue, p.newValue, `Properties.${name}`)) fields.push(replaces ? { ...f, replaces } : f);
    }
    for (const [name, o] of Object.entries(change.otherChanges)) {
      if (name === 'Type' || name === 'Properties') continue;
      fields.push(...diffValues(o.oldValue, o.newValue, name));
    }
    entries.push({ id, type, kind: change.isAddition ? 'added' : change.isRemoval ? 'removed' : 'changed', impact, fields });
    if (STATEFUL_TYPES.includes(type) && (impact === 'replace' || impact === 'may-replace' || impact === 'destroy' || impact === 'orphan')) {
      hazards.push({ path, ...(environment ? { environment } : {}), id, type, impact });
    }
  });
  // Everything outside Resources (Parameters, Outputs, Conditions, …) by field.
  const rest = (t: Template) => Object.fromEntries(Object.entries(t).filter(([k]) => k !== 'Resources'));
  const other = diffValues(rest(old), rest(next));
  if (other.length > 0) entries.push({ id: '(template)', kind: 'changed', fields: other });
  entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { entries, hazards };
}
