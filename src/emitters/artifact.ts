import type { Model } from '../compiler/model.js';

/** helm-chart: a workload chart's files (templates are text Helm evaluates, so never spec data); script: a bash script to run (bootstrap/<env>.sh); config: another tool's configuration (github/renovate.json). */
export type ArtifactKind = 'cloudformation' | 'kubernetes' | 'helm-values' | 'helm-chart' | 'ci' | 'dockerfile' | 'docs' | 'manifest' | 'script' | 'config';

/** One file of output, in memory. `path` is relative to the output folder, '/'-separated. */
export interface Artifact {
  readonly path: string;
  readonly content: string;
  readonly kind: ArtifactKind;
  /** The environment it belongs to; absent for artifacts shared by all (organization, CI). */
  readonly environment?: string;
  /**
   * The value `content` serializes (a template object, a values map, or a list of YAML
   * documents), so in-process consumers such as the invariant rules need not parse it
   * back. Optional; when present, content is exactly its serialization.
   */
  readonly data?: unknown;
}

/**
 * An artifact whose text is rendered from `data` on first read (and kept). `innovate validate`
 * runs the invariant rules on data alone and never pays for serializing.
 */
export function rendered(base: Omit<Artifact, 'content' | 'data'>, data: unknown, render: () => string): Artifact {
  let content: string | undefined;
  return {
    ...base,
    data,
    get content(): string {
      return (content ??= render());
    },
  };
}

/**
 * An emitter turns the compiled models (one per environment, sorted by name) into
 * artifacts. Pure: no I/O, no clock, no randomness.
 */
export interface Emitter {
  readonly name: string;
  emit(models: readonly Model[]): Artifact[];
  /**
   * Set by emitters whose artifacts of one environment depend on that environment's model
   * alone: emit(models) is then exactly models.flatMap(perEnvironment). The pipeline uses it
   * to compile a large platform one environment at a time, holding one environment's data.
   */
  readonly perEnvironment?: (model: Model) => Artifact[];
}
