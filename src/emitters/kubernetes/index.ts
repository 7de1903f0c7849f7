import type { Emitter } from '../artifact.js';

/** Placeholder until the kubernetes emitter lands. */
export const kubernetesEmitter: Emitter = {
  name: 'kubernetes',
  emit: () => [],
};
