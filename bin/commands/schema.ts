/** innovate schema: the JSON Schema of innovate.yaml, for editors and other tools. */
import { Command } from 'commander';
import { specJsonSchema } from '../../src/schema/json-schema.js';
import type { Context } from '../context.js';

export function registerSchema(program: Command, ctx: Context): void {
  program
    .command('schema')
    .summary('print the JSON Schema of innovate.yaml')
    .description('Print the JSON Schema of innovate.yaml (for editors and other tools).')
    .action(() => ctx.print().out(JSON.stringify(specJsonSchema(), null, 2)));
}
