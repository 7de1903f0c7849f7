/**
 * src/diff: what `innovate diff` reports. In: the files of an earlier output (path -> text,
 * from disk or a git ref; the CLI reads them) and the artifacts compiled now. Out: per file,
 * the CloudFormation resources (with their replacement impact), Kubernetes documents and
 * values fields that were added, removed or changed, and the hazards: stateful resources
 * that the change replaces or deletes. Pure apart from loading the CloudFormation differ.
 */
import type { Artifact } from '../emitters/artifact.js';
import { diffTemplates } from './cloudformation.js';
import { diffManifests } from './manifests.js';
import { findMoves } from './moves.js';
import type { DiffReport, FileDiff, Hazard } from './types.js';

export { formatDiff, summarize } from './format.js';
export { STATEFUL_TYPES, type ChangeKind, type DiffReport, type EntryChange, type FieldChange, type FileDiff, type Hazard, type Move } from './types.js';
export { findMoves } from './moves.js';

export interface DiffOptions {
  /** Only files of this environment (a path segment equal to its name). */
  readonly environment?: string;
  /** Environment names, to label files read back from disk. */
  readonly environments?: readonly string[];
}

/** Chart templates (charts/<name>/templates/) are Go templates, not YAML: compared as text. */
const formatOf = (path: string): FileDiff['format'] =>
  path.startsWith('cloudformation/') && path.endsWith('.json') && path !== 'cloudformation/manifest.json'
    ? 'cloudformation'
    : /\.ya?ml$/.test(path) && !path.startsWith('github/') && !/^charts\/[^/]+\/templates\//.test(path)
      ? 'yaml'
      : 'text';

export async function diffArtifacts(before: ReadonlyMap<string, string>, after: readonly Artifact[], options: DiffOptions = {}): Promise<DiffReport> {
  const now = new Map(after.map((a) => [a.path, a.content]));
  const envNames = new Set([...(options.environments ?? []), ...after.flatMap((a) => (a.environment ? [a.environment] : []))]);
  const envOf = (path: string) => after.find((a) => a.path === path)?.environment ?? path.split('/').find((s) => envNames.has(s));
  const wanted = (path: string) => options.environment === undefined || path.split('/').includes(options.environment);
  const paths = [...new Set([...before.keys(), ...now.keys()])].filter(wanted).sort();
  const files: FileDiff[] = [];
  const hazards: Hazard[] = [];
  for (const path of paths) {
    const a = before.get(path);
    const b = now.get(path);
    if (a === b) continue;
    const kind = a === undefined ? 'added' : b === undefined ? 'removed' : 'changed';
    const format = formatOf(path);
    const environment = envOf(path);
    const env = environment ? { environment } : {};
    if (format === 'cloudformation') {
      const r = await diffTemplates(path, a, b, environment);
      files.push({ path, ...env, kind, format, entries: r.entries });
      hazards.push(...r.hazards);
    } else if (format === 'yaml') {
      files.push({ path, ...env, kind, format, entries: kind === 'changed' ? diffManifests(a, b) : [] });
    } else {
      files.push({ path, ...env, kind, format, entries: [] });
    }
  }
  // A stateful resource deleted from one stack and created in another is one move, not a deletion.
  const moves = findMoves(before, now, envOf).filter((m) => options.environment === undefined || m.environment === options.environment);
  const movedTo = new Map(moves.filter((m) => m.kind === 'resource').map((m) => [`${m.from}\0${m.id}`, m.to]));
  const withMoves = hazards.map((h): Hazard => {
    const to = movedTo.get(`${h.path}\0${h.id}`);
    return to && h.impact === 'destroy' ? { ...h, impact: 'move', to } : h;
  });
  return { files, hazards: withMoves, moves };
}
