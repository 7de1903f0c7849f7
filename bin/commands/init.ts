/** innovate init: a starter innovate.yaml that compiles as it is. */
import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import type { Context } from '../context.js';
import { starterSpec } from '../starter.js';
import { DEFAULT_FILE } from './shared.js';

const DEFAULT_SCHEMA_REF = './node_modules/innovate/schema/innovate.schema.json';

export function registerInit(program: Command, ctx: Context): void {
  program
    .command('init')
    .summary('write a starter innovate.yaml')
    .description('Write a starter innovate.yaml that compiles as it is.')
    .argument('[file]', 'where to write it', DEFAULT_FILE)
    .option('--schema <ref>', 'JSON Schema path or URL for the yaml-language-server comment', DEFAULT_SCHEMA_REF)
    .option('--force', 'overwrite an existing file')
    .action(async (file: string, opts: { schema: string; force?: boolean }) => {
      const { err } = ctx.print();
      const full = resolve(ctx.io.cwd, file);
      const exists = await access(full).then(
        () => true,
        () => false,
      );
      if (exists && !opts.force) {
        err(`${file} already exists; use --force to overwrite it`);
        ctx.exit(2);
        return;
      }
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, starterSpec(opts.schema), 'utf8');
      err(`wrote ${file}; next: innovate validate ${file} && innovate compile ${file} --out out`);
    });
}
