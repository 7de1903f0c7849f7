/**
 * src/emitters: compiled models -> artifacts. One emitter per target, each pure and
 * reading only the model. Order here is the order of artifacts in the lock file.
 */
import type { Emitter } from './artifact.js';
import { bootstrapEmitter } from './bootstrap/index.js';
import { ciEmitter } from './ci/index.js';
import { cloudformationEmitter } from './cloudformation/index.js';
import { dockerEmitter } from './docker/index.js';
import { docsEmitter } from './docs/index.js';
import { helmEmitter } from './helm/index.js';
import { kubernetesEmitter, workloadChartsEmitter } from './kubernetes/index.js';
import { renovateEmitter } from './renovate/index.js';

export type { Artifact, ArtifactKind, Emitter } from './artifact.js';
export { canonical, toJson, toYaml, toYamlDocuments } from './serialize.js';

/** What gets deployed: the artifacts `innovate validate` checks the invariants on. */
export const DEPLOYABLE_EMITTERS: readonly Emitter[] = [cloudformationEmitter, kubernetesEmitter, helmEmitter, workloadChartsEmitter];

/** Every target `innovate compile` writes (and checks). */
export const EMITTERS: readonly Emitter[] = [...DEPLOYABLE_EMITTERS, bootstrapEmitter, ciEmitter, renovateEmitter, dockerEmitter, docsEmitter];
