/**
 * Decisions of the AWS commands, as pure functions: what to do with a stack in a given state,
 * how risky each change is, when to take a database snapshot, what the stack policy would
 * refuse, and which exit code a run ends with.
 */
import type { ChangeSetInfo, ResourceChangeInfo, StackInfo } from './api.js';
import { PROTECTED_TYPES, STATEFUL_TYPES } from './targets.js';

export const EXIT_OK = 0;
/** Findings: a template or change set CloudFormation rejected, a failed deployment, drift. */
export const EXIT_FINDINGS = 1;
/** Usage: options, a wrong account or template bucket, a stack in a state innovate will not touch. */
export const EXIT_USAGE = 2;
/** An AWS call failed (credentials, access, network, throttling, a stack's state): not the user's command line. */
export const EXIT_AWS = 3;

export type StackDecision =
  | { readonly kind: 'create' }
  | { readonly kind: 'update' }
  | { readonly kind: 'refuse'; readonly reason: string };

/** CREATE or UPDATE, or why the stack cannot be changed now. */
export function decideStackAction(stack: StackInfo | undefined): StackDecision {
  if (!stack) return { kind: 'create' };
  const s = stack.status;
  const name = stack.stackName;
  // A stack created by a change set that was never executed: CloudFormation accepts a new CREATE change set.
  if (s === 'REVIEW_IN_PROGRESS') return { kind: 'create' };
  if (s === 'ROLLBACK_COMPLETE')
    return { kind: 'refuse', reason: `${name} is in ROLLBACK_COMPLETE: its first creation failed and CloudFormation cannot update it; delete it (aws cloudformation delete-stack --stack-name ${name}) and run again` };
  if (s === 'ROLLBACK_FAILED' || s === 'CREATE_FAILED')
    return { kind: 'refuse', reason: `${name} is in ${s}: its creation failed and could not be cleaned up; fix the resources named in its events, delete it, and run again` };
  if (s === 'UPDATE_ROLLBACK_FAILED')
    return { kind: 'refuse', reason: `${name} is in UPDATE_ROLLBACK_FAILED: a rollback could not finish; fix the cause and run aws cloudformation continue-update-rollback --stack-name ${name}, then run again` };
  if (s === 'DELETE_FAILED') return { kind: 'refuse', reason: `${name} is in DELETE_FAILED: a deletion did not finish; finish or undo it before deploying` };
  if (s.endsWith('_IN_PROGRESS')) return { kind: 'refuse', reason: `${name} is in ${s}: another operation is running on it; wait until it finishes and run again` };
  if (s === 'DELETE_COMPLETE') return { kind: 'create' };
  return { kind: 'update' };
}

/** A stack operation has finished (successfully or not). */
export const isTerminal = (status: string): boolean => !status.endsWith('_IN_PROGRESS');

/** A finished operation that left the stack on the new template. */
export const isSuccess = (status: string): boolean => status === 'CREATE_COMPLETE' || status === 'UPDATE_COMPLETE' || status === 'IMPORT_COMPLETE';

/** What a status means, in words, for the closing summary. */
export function describeStatus(status: string): string {
  if (isSuccess(status)) return status;
  if (status === 'UPDATE_ROLLBACK_COMPLETE') return `${status}: the update failed and the stack is back on its previous template`;
  if (status === 'ROLLBACK_COMPLETE') return `${status}: the creation failed; the stack must be deleted before it can be deployed again`;
  if (status.endsWith('_FAILED')) return `${status}: needs manual attention`;
  if (status.endsWith('_IN_PROGRESS')) return `${status}: CloudFormation is still working on it`;
  return status;
}

/** CloudFormation's ways of saying a change set has nothing to do. */
export function isNoChanges(reason: string | undefined): boolean {
  if (!reason) return false;
  return /didn't contain changes|No updates are to be performed|submitted information didn.t contain changes/i.test(reason);
}

export type ChangeOutcome = 'changes' | 'no-changes' | 'failed';

export function changeSetOutcome(cs: ChangeSetInfo): ChangeOutcome {
  if (cs.status === 'FAILED') return isNoChanges(cs.statusReason) ? 'no-changes' : 'failed';
  return 'changes';
}

export type Risk = 'danger' | 'replacement' | 'none';

export interface ChangeRow {
  readonly action: string;
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId?: string;
  /** True, Conditional, False, or '' when not applicable. */
  readonly replacement: string;
  readonly risk: Risk;
  /** Why it is risky, for the warning. */
  readonly note?: string;
  readonly properties: readonly string[];
}

const replaces = (c: ResourceChangeInfo) => c.replacement === 'True' || c.replacement === 'Conditional';

/** One table row: replacements are flagged; replacing or removing stateful resources is dangerous. */
export function classifyChange(c: ResourceChangeInfo): ChangeRow {
  const stateful = STATEFUL_TYPES[c.type];
  const replacement = c.action === 'Modify' || c.action === 'Dynamic' ? (c.replacement ?? '') : '';
  let risk: Risk = 'none';
  let note: string | undefined;
  if (stateful && (c.action === 'Remove' || (c.action !== 'Add' && replaces(c)))) {
    risk = 'danger';
    const verb = c.action === 'Remove' ? 'removes' : c.replacement === 'Conditional' ? 'may replace' : 'replaces';
    note = `${verb} ${stateful}`;
  } else if (c.action !== 'Add' && replaces(c)) {
    risk = 'replacement';
    note = c.replacement === 'Conditional' ? 'may be replaced (depends on property values known only at deploy time)' : 'will be replaced: a new physical resource, then the old one is deleted';
  }
  return {
    action: c.action,
    logicalId: c.logicalId,
    type: c.type,
    ...(c.physicalId ? { physicalId: c.physicalId } : {}),
    replacement,
    risk,
    ...(note ? { note } : {}),
    properties: c.properties,
  };
}

const ACTION_ORDER: Record<string, number> = { Remove: 0, Modify: 1, Dynamic: 2, Import: 3, Add: 4 };

/** Rows sorted: dangerous first, then by action (Remove, Modify, Add) and logical id. */
export function changeRows(changes: readonly ResourceChangeInfo[]): ChangeRow[] {
  const rank = (r: ChangeRow) => (r.risk === 'danger' ? 0 : r.risk === 'replacement' ? 1 : 2);
  return changes.map(classifyChange).sort((a, b) => rank(a) - rank(b) || (ACTION_ORDER[a.action] ?? 9) - (ACTION_ORDER[b.action] ?? 9) || (a.logicalId < b.logicalId ? -1 : a.logicalId > b.logicalId ? 1 : 0));
}

export interface ChangeCounts {
  readonly add: number;
  readonly modify: number;
  readonly remove: number;
  readonly replace: number;
  readonly danger: number;
}

export function countChanges(rows: readonly ChangeRow[]): ChangeCounts {
  return {
    add: rows.filter((r) => r.action === 'Add').length,
    modify: rows.filter((r) => r.action === 'Modify' || r.action === 'Dynamic').length,
    remove: rows.filter((r) => r.action === 'Remove').length,
    replace: rows.filter((r) => r.replacement === 'True' || r.replacement === 'Conditional').length,
    danger: rows.filter((r) => r.risk === 'danger').length,
  };
}

/**
 * Database clusters a change set touches (modifies, replaces or removes): each gets a manual
 * snapshot before the change set runs. Returns their physical ids (cluster identifiers).
 */
export function clustersToSnapshot(changes: readonly ResourceChangeInfo[]): { logicalId: string; clusterIdentifier: string }[] {
  return changes
    .filter((c) => c.type === 'AWS::RDS::DBCluster' && c.action !== 'Add' && c.physicalId)
    .map((c) => ({ logicalId: c.logicalId, clusterIdentifier: c.physicalId! }));
}

/**
 * Changes the stack policy would refuse: a certain replacement or a removal of a protected
 * resource. Executing them would fail halfway and roll back, so innovate refuses first.
 * (A Conditional replacement may not happen; it is warned about, not refused.)
 */
export function policyViolations(changes: readonly ResourceChangeInfo[]): ResourceChangeInfo[] {
  return changes.filter((c) => PROTECTED_TYPES.includes(c.type) && (c.action === 'Remove' || (c.action === 'Modify' && c.replacement === 'True')));
}

/** Valid change set / snapshot name part from a date: 2026-01-26T08:15:00.123Z -> 20260126-081500-123. */
export function stamp(now: Date): string {
  return now
    .toISOString()
    .replace(/Z$/, '')
    .replace(/[-:]/g, '')
    .replace('T', '-')
    .replace('.', '-');
}

export const changeSetName = (now: Date): string => `innovate-${stamp(now)}`;

/** Snapshot identifiers: letters, digits, single hyphens, at most 255, starting with a letter. */
export const snapshotName = (clusterIdentifier: string, now: Date): string => `${clusterIdentifier}-innovate-${stamp(now)}`.replace(/--+/g, '-').slice(0, 255);

/** Production needs --approve or an interactive yes; without a terminal, a refusal. */
export function approvalNeeded(production: boolean, approve: boolean, interactive: boolean): 'none' | 'ask' | 'refuse' {
  if (!production || approve) return 'none';
  return interactive ? 'ask' : 'refuse';
}

/** Failed events worth showing: the first failures are the cause; cancellations follow from them. */
export function failureReasons(events: readonly { logicalId: string; type: string; status: string; reason?: string }[]): string[] {
  const failed = events.filter((e) => e.status.endsWith('_FAILED') && e.reason);
  const causes = failed.filter((e) => !/cancelled|canceled/i.test(e.reason!));
  return (causes.length ? causes : failed).map((e) => `${e.logicalId} (${e.type}) ${e.status}: ${e.reason}`);
}
