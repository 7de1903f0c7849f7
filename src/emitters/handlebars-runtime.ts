/**
 * The handlebars runtime alone: the templates are precompiled at build time
 * (templates.precompiled.ts), so the compiler, its parser and source-map (about 100 KB of the
 * CLI bundle, loaded by every command) are never needed. The runtime's own typings declare
 * nothing, so it is typed as the full package, whose runtime part it is.
 */
import type FullHandlebars from 'handlebars';
import runtime from 'handlebars/runtime.js';

export const Handlebars = runtime as unknown as typeof FullHandlebars;
