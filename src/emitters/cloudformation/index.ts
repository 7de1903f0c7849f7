import type { Emitter } from '../artifact.js';

/** Placeholder until the cloudformation emitter lands. */
export const cloudformationEmitter: Emitter = {
  name: 'cloudformation',
  emit: () => [],
};
