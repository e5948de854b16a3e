#!/usr/bin/env node
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const out = join(__dirname, '..', 'out', 'main');
const cli = join(out, 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('hooklens: not built yet. Run `npm run build` (npm install does it for you).\n');
  process.exit(1);
}
// Tuning only: neither may ever stop Hooklens from starting.
for (const tune of [() => require('./young-generation').capYoungGeneration(), () => require('./compile-cache').enableCompileCache(out)]) {
  try {
    tune();
  } catch (error) {
    if (process.env.NODE_DEBUG?.includes('hooklens')) process.stderr.write(`hooklens: start-up tuning skipped (${error.message})\n`);
  }
}
require(cli);
