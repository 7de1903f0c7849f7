import type { Emitter } from '../artifact.js';

/** Placeholder until the helm emitter lands. */
export const helmEmitter: Emitter = {
  name: 'helm',
  emit: () => [],
};
