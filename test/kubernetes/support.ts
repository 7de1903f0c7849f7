/**
 * Shared by the Kubernetes and Helm tests: compile a spec, parse the emitted YAML, and render a
 * workload chart the way Helm would for the only expressions it contains (the image).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, parse } from 'yaml';
import type { Artifact } from '../../src/emitters/artifact.js';
import { compile, type CompileResult } from '../../src/pipeline.js';

export const EXAMPLE = readFileSync(fileURLToPath(new URL('../../examples/innovate.yaml', import.meta.url)), 'utf8');

export type Doc = Record<string, any>;

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

const EXPRESSION = /\{\{\s*(?:required\s+"[^"]*"\s+)?\.Values\.([A-Za-z0-9_.]+)\s*\}\}/g;

/** Renders the image expressions of a workload template; any other template syntax is an error. */
export function renderTemplate(template: string, values: Doc): string {
  const out = template.replace(EXPRESSION, (_, path: string) => {
    const v = path.split('.').reduce<any>((o, k) => (o == null ? undefined : o[k]), values);
    if (v === undefined || v === '') throw new Error(`value ${path} is missing`);
    return String(v);
  });
  if (out.includes('{{')) throw new Error(`unsupported template syntax left: ${out.slice(out.indexOf('{{'), out.indexOf('{{') + 60)}`);
  return out;
}

/** Every Kubernetes document of an environment as ArgoCD would apply it: root files, then rendered workload charts. */
export function environmentDocuments(artifacts: readonly Artifact[], env: string): { path: string; doc: Doc }[] {
  const files = byPath(artifacts);
  const out: { path: string; doc: Doc }[] = [];
  for (const a of artifacts) {
    if (!a.path.startsWith(`kubernetes/${env}/`) || a.path.endsWith('kustomization.yaml')) continue;
    const chart = /^kubernetes\/[^/]+\/workloads\/([^/]+)\/(.+)$/.exec(a.path);
    if (chart) {
      if (!chart[2]!.startsWith('templates/')) continue;
      const values = parse(files.get(`helm/${env}/workloads/${chart[1]}.values.yaml`)!.content) as Doc;
      for (const doc of documents(renderTemplate(a.content, values))) out.push({ path: a.path, doc });
    } else {
      for (const doc of documents(a.content)) out.push({ path: a.path, doc });
    }
  }
  return out;
}
