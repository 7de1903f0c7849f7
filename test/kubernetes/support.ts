/**
 * Shared by the Kubernetes and Helm tests: compile a spec, parse the emitted YAML, and render the
 * workload charts with each environment's values (test/helm/go-template.ts, the subset they use).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, parse, stringify } from 'yaml';
import type { Artifact } from '../../src/emitters/artifact.js';
import { coalesce, Renderer } from '../helm/go-template.js';
import { compile, type CompileResult } from '../../src/pipeline.js';

export const EXAMPLE = readFileSync(fileURLToPath(new URL('../../examples/innovate.yaml', import.meta.url)), 'utf8');
/** The second example: one workload of each kind (service as type container, worker, cronjob). */
export const WORKERS_EXAMPLE = readFileSync(fileURLToPath(new URL('../../examples/workers.yaml', import.meta.url)), 'utf8');

export type Doc = Record<string, any>;

/**
 * A spec as CI's promotion leaves it: every workload's tag recorded in each environment's
 * overrides (`sha-<12 hex>`), so the charts render their pods. The example itself names no tag
 * (a first deploy pulls nothing until CI promotes an image).
 */
export function promoted(text: string, tag = 'sha-0123456789ab'): string {
  const d = parse(text) as Doc;
  for (const env of Object.values(d.environments ?? {}) as Doc[]) {
    env.overrides ??= {};
    env.overrides.workloads ??= {};
    for (const w of Object.keys(d.workloads ?? {})) env.overrides.workloads[w] = { ...(env.overrides.workloads[w] ?? {}), tag };
  }
  return stringify(d);
}
export const PROMOTED_EXAMPLE = promoted(EXAMPLE);

export function compileOk(text: string = EXAMPLE): CompileResult {
  const result = compile(text);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || result.models.length === 0) throw new Error(`spec does not compile: ${JSON.stringify(errors.slice(0, 3))}`);
  return result;
}

export const byPath = (artifacts: readonly Artifact[]): Map<string, Artifact> => new Map(artifacts.map((a) => [a.path, a]));

export function documents(content: string): Doc[] {
  return parseAllDocuments(content).map((d) => {
    if (d.errors.length > 0) throw new Error(d.errors[0]!.message);
    return d.toJS() as Doc;
  });
}

/** Renders a workload chart (charts/<name>) with an environment's values file, as `helm template` would: documents per template file. */
export function renderChart(artifacts: readonly Artifact[], workload: string, valuesPath: string): { path: string; doc: Doc }[] {
  const files = byPath(artifacts);
  const dir = `charts/${workload}`;
  const chart = artifacts.filter((a) => a.path.startsWith(`${dir}/templates/`));
  const renderer = new Renderer(chart.filter((a) => a.path.split('/').pop()!.startsWith('_')).map((a) => a.content));
  const values = coalesce(parse(files.get(`${dir}/values.yaml`)!.content), parse(files.get(valuesPath)!.content));
  const out: { path: string; doc: Doc }[] = [];
  for (const t of chart) {
    if (!t.path.endsWith('.yaml')) continue;
    for (const doc of documents(renderer.render(t.content, values))) if (doc !== null) out.push({ path: t.path, doc });
  }
  return out;
}

/** Every Kubernetes document of an environment as ArgoCD would apply it: root files, then each workload chart rendered with the environment's values. */
export function environmentDocuments(artifacts: readonly Artifact[], env: string): { path: string; doc: Doc }[] {
  const out: { path: string; doc: Doc }[] = [];
  for (const a of artifacts) {
    if (a.path.startsWith(`kubernetes/${env}/`) && !a.path.endsWith('kustomization.yaml')) for (const doc of documents(a.content)) out.push({ path: a.path, doc });
  }
  for (const a of artifacts) {
    const m = new RegExp(`^helm/${env}/workloads/([^/]+)\\.values\\.yaml$`).exec(a.path);
    if (m) out.push(...renderChart(artifacts, m[1]!, a.path));
  }
  return out;
}
