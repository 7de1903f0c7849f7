/** The committed precompiled templates are exactly what the current sources compile to (run `npm run templates`). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error - a plain JavaScript build helper without types
import { precompiledModule } from '../scripts/precompiled-module.mjs';
import * as docker from '../src/emitters/docker/templates.js';
import * as docs from '../src/emitters/docs/template.js';
import { ROOT } from './helpers.js';

describe('precompiled handlebars templates', () => {
  it('src/emitters/templates.precompiled.ts is current', () => {
    expect(readFileSync(`${ROOT}src/emitters/templates.precompiled.ts`, 'utf8')).toBe(precompiledModule({ ...docker, ...docs }));
  });
});
