/**
 * Moves: what an upgrade of innovate relocates rather than changes, which a per-file diff shows
 * only as a removal in one file and an addition in another.
 *  - resource: a CloudFormation resource (same logical id and type) that leaves one stack of an
 *    environment for another. CloudFormation cannot move it: the old stack deletes it and the new
 *    one creates it anew (and a fixed physical name makes that create fail while the old exists).
 *    A stateful one is a hazard.
 *  - document: a Kubernetes document (same kind, namespace and name) now in another file of the
 *    environment's folder. Harmless for the kustomization, listed so nothing looks deleted.
 *  - source: an ArgoCD Application whose source (repository, path, chart or revision) differs:
 *    what ArgoCD watches moved, and a commit to the old place no longer deploys.
 * Pure: the earlier files and the files now (path -> text) in, the moves out, sorted.
 */
import { parseAllDocuments } from 'yaml';
import { diffValues } from './fields.js';
import { STATEFUL_TYPES, type Move } from './types.js';

type Files = ReadonlyMap<string, string>;
type Doc = Record<string, unknown>;

const isTemplate = (path: string): boolean => path.startsWith('cloudformation/') && path.endsWith('.json') && path !== 'cloudformation/manifest.json';
/** The root kustomization's files (kubernetes/<env>/NN-<concern>.yaml); chart templates are Go templates, not YAML. */
const isManifest = (path: string): boolean => /^kubernetes\/[^/]+\/[^/]+\.ya?ml$/.test(path) && !path.endsWith('/kustomization.yaml');

/** Logical id -> { path, type } of every resource of the templates, per environment key. */
function resources(files: Files, envOf: (path: string) => string | undefined): Map<string, { path: string; type: string }> {
  const out = new Map<string, { path: string; type: string }>();
  for (const [path, text] of files) {
    if (!isTemplate(path)) continue;
    let template: { Resources?: Record<string, { Type?: string }> };
    try {
      template = JSON.parse(text) as typeof template;
    } catch {
      continue;
    }
    for (const [id, r] of Object.entries(template.Resources ?? {})) out.set(`${envOf(path) ?? ''}\0${id}`, { path, type: String(r.Type) });
  }
  return out;
}

/** Kind namespace/name -> { path, doc } of every named document of the manifests, per environment key. */
function documents(files: Files, envOf: (path: string) => string | undefined): Map<string, { path: string; doc: Doc }> {
  const out = new Map<string, { path: string; doc: Doc }>();
  for (const [path, text] of files) {
    if (!isManifest(path)) continue;
    for (const d of parseAllDocuments(text)) {
      let doc: Doc | null;
      try {
        doc = d.toJS() as Doc | null;
      } catch {
        continue;
      }
      const meta = (doc?.metadata ?? {}) as Doc;
      if (!doc || typeof doc.kind !== 'string' || typeof meta.name !== 'string') continue;
      out.set(`${envOf(path) ?? ''}\0${doc.kind} ${meta.namespace ? `${String(meta.namespace)}/` : ''}${meta.name}`, { path, doc });
    }
  }
  return out;
}

/** What an ArgoCD Application watches: each source as repo path-or-chart@revision. */
function sourcesOf(doc: Doc): string[] {
  const spec = (doc.spec ?? {}) as Doc;
  const list = (Array.isArray(spec.sources) ? spec.sources : spec.source ? [spec.source] : []) as Doc[];
  return list
    .map((s) => {
      const where = s.path !== undefined ? ` ${String(s.path)}` : s.chart !== undefined ? ` chart ${String(s.chart)}` : '';
      const ref = s.ref !== undefined ? ` (values ref ${String(s.ref)})` : '';
      return `${String(s.repoURL ?? '')}${where}${ref}@${String(s.targetRevision ?? '')}`;
    })
    .sort();
}

const idOf = (key: string): string => key.slice(key.indexOf('\0') + 1);
const envFrom = (key: string): { environment?: string } => {
  const env = key.slice(0, key.indexOf('\0'));
  return env ? { environment: env } : {};
};

export function findMoves(before: Files, now: Files, envOf: (path: string) => string | undefined): Move[] {
  const moves: Move[] = [];
  const [ra, rb] = [resources(before, envOf), resources(now, envOf)];
  for (const [key, a] of ra) {
    const b = rb.get(key);
    if (b && b.path !== a.path && b.type === a.type) {
      moves.push({ kind: 'resource', ...envFrom(key), id: idOf(key), type: a.type, from: a.path, to: b.path, stateful: STATEFUL_TYPES.includes(a.type) });
    }
  }
  const [da, db] = [documents(before, envOf), documents(now, envOf)];
  for (const [key, a] of da) {
    const b = db.get(key);
    if (!b) continue;
    if (b.path !== a.path) {
      const fields = diffValues(a.doc, b.doc);
      moves.push({ kind: 'document', ...envFrom(key), id: idOf(key), from: a.path, to: b.path, stateful: false, ...(fields.length ? { fields } : {}) });
    }
    if (a.doc.kind === 'Application' && String(a.doc.apiVersion).startsWith('argoproj.io/')) {
      const [sa, sb] = [sourcesOf(a.doc), sourcesOf(b.doc)];
      if (sa.join('\n') !== sb.join('\n')) moves.push({ kind: 'source', ...envFrom(key), id: idOf(key), from: sa.join(', '), to: sb.join(', '), stateful: false });
    }
  }
  const order = { resource: 0, source: 1, document: 2 } as const;
  return moves.sort((x, y) => order[x.kind] - order[y.kind] || (x.environment ?? '').localeCompare(y.environment ?? '') || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}
