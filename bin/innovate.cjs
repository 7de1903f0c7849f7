#!/usr/bin/env node
'use strict';
/** The `innovate` command: the bundled CLI, started from V8's code cache (see load-bundle.cjs). */
const { loadBundle } = require('./load-bundle.cjs');

loadBundle().main(process.argv.slice(2));
