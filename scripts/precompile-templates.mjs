/**
 * Precompiles the handlebars templates into src/emitters/templates.precompiled.ts, so no
 * process pays for parsing and compiling them (about 35 ms of every `innovate compile`).
 * Run by `npm run templates` after editing a template; test/precompiled-templates.test.ts
 * fails while the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { precompiledModule } from './precompiled-module.mjs';

const sources = {
  ...(await import('../dist/src/emitters/docker/templates.js')),
  ...(await import('../dist/src/emitters/docs/template.js')),
};
writeFileSync(new URL('../src/emitters/templates.precompiled.ts', import.meta.url), precompiledModule(sources));
