#!/usr/bin/env node
'use strict';
// Peak memory: V8 doubles its young generation (up to 3 x 16 MB here) as a run allocates,
// but a synth's objects either die young or live to the end (the construct tree), so the
// larger nursery only adds RSS: kept at its initial size, synth complete peaks ~25 MB lower
// at no cost in time (docs/benchmarks.md). Read by V8 each time it would grow the space, so
// it can be set here; PIPEFORM_NO_V8_TUNING=1 leaves V8's default. Only for the commands that
// build construct trees: validate, cost and the others allocate little and briefly, and a
// small nursery only adds scavenges to them (validate complete 8% slower with it). The
// program takes no option with a value, so its first word that is not an option is the command.
const command = process.argv.slice(2).find((a) => !a.startsWith('-'));
const SYNTHESIZING = ['synth', 'module', 'release', 'graph'];
if (!process.env.PIPEFORM_NO_V8_TUNING && SYNTHESIZING.includes(command))
  require('node:v8').setFlagsFromString('--semi-space-growth-factor=1');
// The CLI is one bundle (dist/bundle/cli.js, scripts/bundle.mjs), loaded through a V8 code
// cache (dist/src/code-cache.js): see docs/benchmarks.md. PIPEFORM_NO_CODE_CACHE=1 turns
// the cache off.
const { join } = require('node:path');
const { requireWithCodeCache } = require('../dist/src/code-cache.js');
requireWithCodeCache(join(__dirname, '..', 'dist', 'bundle', 'cli.js')).main();
