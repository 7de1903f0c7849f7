/**
 * Policy exceptions of innovate.yaml that carry scanner suppressions (`policy.exceptions[].scanners`)
 * become annotations on their Kubernetes target (`Kind/namespace/name`, or `Kind/name` when
 * cluster-scoped), in the form each scanner reads, with the exception's reason and expiry:
 *   kube-linter: ignore-check.kube-linter.io/<check>: <reason>
 *   checkov:     checkov.io/skip<N>: <CKV_K8S_…>=<reason>
 */
import type { Model } from '../../compiler/model.js';
import type { Doc } from './meta.js';

type Meta = { name?: string; namespace?: string; annotations?: Record<string, string> };

const targetOf = (d: Doc): string => {
  const meta = (d.metadata ?? {}) as Meta;
  return `${String(d.kind)}/${meta.namespace ? `${meta.namespace}/` : ''}${meta.name ?? '?'}`;
};

/** The annotations the model's exceptions ask for on one target (empty when none). */
export function scannerAnnotations(model: Model, target: string): Record<string, string> {
  const out: Record<string, string> = {};
  let skip = 0;
  for (const e of model.policy.exceptions) {
    if (e.target !== target || !e.scanners) continue;
    const reason = `${e.reason} (innovate.yaml policy exception${e.rule ? ` for ${e.rule}` : ''}, expires ${e.expires})`;
    for (const check of e.scanners.kubeLinter ?? []) out[`ignore-check.kube-linter.io/${check}`] = reason;
    for (const id of e.scanners.checkov ?? []) out[`checkov.io/skip${++skip}`] = `${id}=${reason}`;
  }
  return out;
}

/** The documents with the scanner annotations their exceptions ask for (others returned as they are). */
export function withScannerAnnotations(model: Model, docs: readonly Doc[]): Doc[] {
  if (!model.policy.exceptions.some((e) => e.scanners)) return [...docs];
  return docs.map((d) => {
    const extra = scannerAnnotations(model, targetOf(d));
    if (Object.keys(extra).length === 0) return d;
    const meta = (d.metadata ?? {}) as Meta;
    return { ...d, metadata: { ...meta, annotations: { ...meta.annotations, ...extra } } };
  });
}
