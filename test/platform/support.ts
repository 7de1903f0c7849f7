/** Building the platform of a spec's environments in tests: the deployable artifacts, then buildPlatform. */
import type { Model } from '../../src/compiler/model.js';
import type { Artifact } from '../../src/emitters/artifact.js';
import { DEPLOYABLE_EMITTERS } from '../../src/emitters/index.js';
import { parseSpec, validateSpec } from '../../src/pipeline.js';
import { buildPlatform } from '../../src/platform/index.js';
import type { Platform } from '../../src/platform/types.js';

export interface Built {
  readonly models: readonly Model[];
  readonly artifacts: readonly Artifact[];
}

export function emit(text: string): Built {
  const { models, diagnostics } = validateSpec(parseSpec(text));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join('\n'));
  return { models, artifacts: DEPLOYABLE_EMITTERS.flatMap((e) => e.emit(models)) };
}

export function platformOf(built: Built, env: string): Platform {
  const model = built.models.find((m) => m.environment.name === env);
  if (!model) throw new Error(`no environment ${env}`);
  return buildPlatform(model, built.artifacts);
}

/** The artifacts with one artifact's data replaced by `edit`'s result (a deep copy is edited). */
export function editArtifact(artifacts: readonly Artifact[], path: string, edit: (data: any) => void): Artifact[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  let found = false;
  const out = artifacts.map((a) => {
    if (a.path !== path) return a;
    found = true;
    const data = structuredClone(a.data);
    edit(data);
    return { path: a.path, kind: a.kind, ...(a.environment ? { environment: a.environment } : {}), data, content: '' };
  });
  if (!found) throw new Error(`no artifact ${path}`);
  return out;
}
