#!/usr/bin/env node
'use strict';
// The CLI is one bundle (dist/bundle/cli.js, scripts/bundle.mjs), loaded through a V8 code
// cache (dist/src/code-cache.js): see docs/benchmarks.md. PIPEFORM_NO_CODE_CACHE=1 turns
// the cache off.
const { join } = require('node:path');
const { requireWithCodeCache } = require('../dist/src/code-cache.js');
requireWithCodeCache(join(__dirname, '..', 'dist', 'bundle', 'cli.js')).main();
