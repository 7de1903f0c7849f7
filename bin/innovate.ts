#!/usr/bin/env node
/** Unbundled entry point (dist/bin/innovate.js), for development; users run bin/innovate.cjs. */
import { main } from './main.js';

await main(process.argv.slice(2));
