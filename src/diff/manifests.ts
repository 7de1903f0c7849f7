/**
 * Kubernetes manifests and Helm values: documents matched by kind, namespace and name (a
 * values file is one unnamed document), then fields by path.
 */
import { parseAllDocuments } from 'yaml';
import { diffValues } from './fields.js';
import type { EntryChange } from './types.js';

type Doc = Record<string, unknown>;

function documents(text: string | undefined): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (text === undefined) return out;
  parseAllDocuments(text).forEach((d, i) => {
    const value = d.toJS() as unknown;
    if (value === null || value === undefined) return;
    const doc = value as Doc;
    const meta = (doc.metadata ?? {}) as Doc;
    const id = typeof doc.kind === 'string' && typeof meta.name === 'string' ? `${doc.kind} ${meta.namespace ? `${String(meta.namespace)}/` : ''}${meta.name}` : i === 0 ? '' : `document ${i + 1}`;
    out.set(id, value);
  });
  return out;
}

export function diffManifests(before: string | undefined, after: string | undefined): EntryChange[] {
  const a = documents(before);
  const b = documents(after);
  const ids = [...new Set([...a.keys(), ...b.keys()])].sort();
  const out: EntryChange[] = [];
  for (const id of ids) {
    if (!a.has(id)) out.push({ id, kind: 'added', fields: [] });
    else if (!b.has(id)) out.push({ id, kind: 'removed', fields: [] });
    else {
      const fields = diffValues(a.get(id), b.get(id));
      if (fields.length > 0) out.push({ id, kind: 'changed', fields });
    }
  }
  return out;
}
