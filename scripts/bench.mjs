// Benchmarks the pipeform CLI against the stock `cdktf synth` of the same spec and writes
// docs/benchmarks.md.
// Usage: node scripts/bench.mjs [--runs N] [--before DIR]   (npm run bench builds dist/ first)
//   --before DIR: also run the pipeform cases with DIR's bin/pipeform.js (a built checkout of
//   an earlier commit), interleaved with this one, and put both in the table.
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath, URL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOC = join(ROOT, 'docs', 'benchmarks.md');
/** From this heading on, docs/benchmarks.md is written by hand (measurements of the levers); a rerun keeps it. */
const NOTES = '## What made synth faster';

function parseArgs(argv) {
  let runs = 5;
  let before;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') runs = Number(argv[++i]);
    else if (a.startsWith('--runs=')) runs = Number(a.slice('--runs='.length));
    else if (a === '--before') before = resolve(argv[++i] ?? '');
    else {
      console.error(`unknown argument: ${a}\nusage: node scripts/bench.mjs [--runs N] [--before DIR]`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(runs) || runs < 1) {
    console.error('--runs must be a positive integer');
    process.exit(2);
  }
  if (before !== undefined && !existsSync(join(before, 'bin', 'pipeform.js'))) {
    console.error(`--before ${before}: no bin/pipeform.js there`);
    process.exit(2);
  }
  return { runs, before };
}

/**
 * 50 serving endpoints: the schema allows at most 20 per pipeline, so the spec has five
 * environments (one stack each, `<out>/<environment>/`) of ten real-time endpoints.
 */
function fiftyEndpointSpec() {
  const endpoints = Array.from({ length: 10 }, (_, i) => {
    const name = `ep-${String(i + 1).padStart(2, '0')}`;
    return [
      `    - name: ${name}`,
      '      model:',
      `        artifact: { bucket: models, key: ${name}/model.tar.gz }`,
      '        builtinImage: { framework: xgboost, version: 1.7-1 }',
      '      variants:',
      '        - name: primary',
      '          instanceType: ml.m5.large',
      '          instanceCount: 1',
    ].join('\n');
  });
  const environments = Array.from(
    { length: 5 },
    (_, i) => `  env${i + 1}:\n    tags:\n      tier: env${i + 1}`,
  );
  return [
    'apiVersion: pipeform/v1',
    'name: fifty',
    'region: us-east-1',
    "account: '123456789012'",
    'network:',
    '  vpc:',
    '    cidr: 10.60.0.0/16',
    '    availabilityZones: [us-east-1a, us-east-1b]',
    'environments:',
    ...environments,
    'serving:',
    '  endpoints:',
    ...endpoints,
    '',
  ].join('\n');
}

/** The cases; `tool` is the checkout whose pipeform runs (this one, or --before's). */
function cases(fifty, before) {
  const cli = (root) => join(root, 'bin', 'pipeform.js');
  const pipeform = (root, label) => [
    {
      name: `validate quickstart${label}`,
      args: () => [cli(root), 'validate', 'examples/quickstart/pipeline.yaml'],
    },
    {
      name: `validate complete${label}`,
      args: () => [cli(root), 'validate', 'examples/complete/pipeline.yaml'],
    },
    {
      name: `synth quickstart${label}`,
      args: (out) => [cli(root), 'synth', 'examples/quickstart/pipeline.yaml', '--out', out],
    },
    {
      name: `synth complete${label}`,
      args: (out) => [cli(root), 'synth', 'examples/complete/pipeline.yaml', '--out', out],
    },
    { name: `synth 50 endpoints${label}`, args: (out) => [cli(root), 'synth', fifty, '--out', out] },
  ];
  // What the code cache gives (src/code-cache.ts): the same synth and validate without it, and
  // a first run, whose cache starts empty and is written at exit.
  const cacheCases = [
    {
      name: 'validate complete, no code cache',
      args: () => [cli(ROOT), 'validate', 'examples/complete/pipeline.yaml'],
      env: () => ({ PIPEFORM_NO_CODE_CACHE: '1' }),
    },
    {
      name: 'synth complete, no code cache',
      args: (out) => [cli(ROOT), 'synth', 'examples/complete/pipeline.yaml', '--out', out],
      env: () => ({ PIPEFORM_NO_CODE_CACHE: '1' }),
    },
    {
      // bin/pipeform.js keeps V8's young generation at its initial size; this is V8's default.
      name: 'synth complete, V8 default nursery',
      args: (out) => [cli(ROOT), 'synth', 'examples/complete/pipeline.yaml', '--out', out],
      env: () => ({ PIPEFORM_NO_V8_TUNING: '1' }),
    },
    {
      name: 'synth complete, first run',
      args: (out) => [cli(ROOT), 'synth', 'examples/complete/pipeline.yaml', '--out', join(out, 'tf')],
      // out is emptied before every run: the cache in it starts empty each time.
      env: (out) => ({ XDG_CACHE_HOME: join(out, 'cache') }),
    },
  ];
  return [
    ...pipeform(ROOT, ''),
    ...cacheCases,
    ...(before ? pipeform(before, ' (before)') : []),
    // The floor under every case: starting Node itself (with the bench's hook).
    { name: 'node -e 0 (Node startup)', args: () => ['-e', '0'] },
    // What `npx cdktf synth` runs: cdktf.json's app, the unbundled modules, App.synth().
    {
      name: 'node dist/src/main.js, 50 endpoints',
      args: () => [join(ROOT, 'dist', 'src', 'main.js')],
      env: (out) => ({ PIPEFORM_SPEC: fifty, CDKTF_OUTDIR: out }),
    },
    // The stock path: cdktf-cli (a devDependency) runs the app above and checks its output.
    // CHECKPOINT_DISABLE stops its version check, which would go to the network.
    {
      name: 'npx cdktf synth, 50 endpoints',
      command: 'npx',
      args: (out) => ['cdktf', 'synth', '--output', out],
      env: () => ({ PIPEFORM_SPEC: fifty, CHECKPOINT_DISABLE: '1' }),
    },
  ];
}

// Preloaded into every node process of a run through NODE_OPTIONS (so also the processes
// `cdktf synth` starts): each appends its own CPU time and peak RSS at exit. A run's CPU is the
// sum over its processes, its peak RSS the largest one's. No external /usr/bin/time needed.
const HOOK = `'use strict';
const fs = require('node:fs');
process.on('exit', () => {
  const r = process.resourceUsage();
  fs.appendFileSync(process.env.PIPEFORM_BENCH_FILE, (r.userCPUTime + r.systemCPUTime) + ' ' + r.maxRSS + '\\n');
});
`;

/** Runs one child to completion; resolves to wall and CPU seconds and peak RSS in KiB. */
function runOnce(c, out, hook, statFile, cacheHome) {
  return new Promise((done, fail) => {
    rmSync(statFile, { force: true });
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const t0 = process.hrtime.bigint();
    const child = spawn(c.command ?? process.execPath, c.args(out), {
      cwd: ROOT,
      env: {
        ...process.env,
        // The bench's own code cache (src/code-cache.ts), warmed before timing, as a user's is
        // from the second run on; a case may set its own.
        XDG_CACHE_HOME: cacheHome,
        PIPEFORM_NO_CODE_CACHE: '',
        PIPEFORM_NO_V8_TUNING: '',
        ...(c.env?.(out) ?? {}),
        NODE_OPTIONS: `--require ${hook}`,
        PIPEFORM_BENCH_FILE: statFile,
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let wall = 0;
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (d) => stdout.push(d));
    child.stderr.on('data', (d) => stderr.push(d));
    child.on('error', fail);
    // Stop the clock at process exit, not at stdio close, which may come later.
    child.on('exit', () => {
      wall = Number(process.hrtime.bigint() - t0) / 1e9;
    });
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const text = Buffer.concat(stderr).toString() || Buffer.concat(stdout).toString();
        fail(new Error(`exited with ${signal ?? `code ${code}`}\n${text}`));
        return;
      }
      const lines = readFileSync(statFile, 'utf8').trim().split('\n');
      const procs = lines.map((l) => l.split(' ').map(Number));
      done({
        wall,
        cpu: procs.reduce((s, [us]) => s + us, 0) / 1e6,
        rssKiB: Math.max(...procs.map(([, kib]) => kib)),
        processes: procs.length,
      });
    });
  });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function summarize(samples) {
  const walls = samples.map((s) => s.wall);
  return {
    median: median(walls),
    min: Math.min(...walls),
    max: Math.max(...walls),
    cpu: median(samples.map((s) => s.cpu)),
    rssMB: median(samples.map((s) => s.rssKiB)) / 1024,
    processes: Math.max(...samples.map((s) => s.processes)),
  };
}

// Padded the way prettier pads, so a fresh benchmarks.md passes `prettier --check`.
function markdownTable(header, rows) {
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function render(results, { runs, loadBefore, loadAfter }) {
  const cpus = os.cpus();
  const by = Object.fromEntries(results.map((r) => [r.name, r.stats]));
  const vc = by['validate complete'];
  const sc = by['synth complete'];
  const s50 = by['synth 50 endpoints'];
  const stock = by['npx cdktf synth, 50 endpoints'];
  const check = (ok, text) => `- ${ok ? 'PASS' : 'FAIL'} ${text}`;
  const load = (l) => l.map((x) => x.toFixed(1)).join(', ');

  const table = markdownTable(
    ['case', 'median wall (s)', 'min', 'max', 'median CPU (s)', 'median peak RSS (MB)'],
    results.map(({ name, stats: s }) => [
      name,
      s.median.toFixed(3),
      s.min.toFixed(3),
      s.max.toFixed(3),
      s.cpu.toFixed(3),
      s.rssMB.toFixed(1),
    ]),
  );
  return `# Benchmarks

Generated by \`npm run bench\` (\`scripts/bench.mjs\`); rerun it rather than editing this file.

- Date: ${new Date().toISOString()}
- Machine: ${cpus.length} cores, ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${os.platform()} ${os.release()})
- Load average (1, 5, 15 min) at the start: ${load(loadBefore)}; at the end: ${load(loadAfter)}
- Node: ${process.version}
- Runs per case: ${runs} (all kept; the median is reported)

${table}

## Targets

Wall time is what a user waits for, but only on an idle machine; CPU time (user + system,
all processes of a run) is the steadier number on a loaded one, so both are checked.

${check(sc.median <= 0.5, `synth complete <= 0.5 s wall: ${sc.median.toFixed(3)} s (CPU ${sc.cpu.toFixed(3)} s)`)}
${check(sc.rssMB <= 120, `synth complete <= 120 MB peak RSS: ${sc.rssMB.toFixed(1)} MB`)}
${check(vc.median <= 0.15, `validate complete <= 0.15 s wall: ${vc.median.toFixed(3)} s (CPU ${vc.cpu.toFixed(3)} s)`)}
${check(stock.median / s50.median >= 10, `npx cdktf synth / pipeform synth, 50 endpoints >= 10x wall: ${(stock.median / s50.median).toFixed(1)}x (${stock.median.toFixed(3)} s / ${s50.median.toFixed(3)} s)`)}
${check(stock.cpu / s50.cpu >= 10, `the same in CPU time >= 10x: ${(stock.cpu / s50.cpu).toFixed(1)}x (${stock.cpu.toFixed(3)} s / ${s50.cpu.toFixed(3)} s)`)}

## How it is measured

Every run is a fresh child process (\`${basename(process.execPath)} <script> <args>\`, working
directory the repository root), so it pays Node startup and module loading the way a user's
shell does. Each case runs ${runs} times, round-robin over the cases so that load drift on the
machine hits every case alike; nothing is discarded. Wall time is \`process.hrtime\` from
just before \`spawn\` to the child's exit event. CPU time and peak RSS come from
\`process.resourceUsage()\` in every node process of the run, written at exit by a tiny hook
preloaded through \`NODE_OPTIONS=--require\`; a run's CPU time is the sum over its processes
(\`npx cdktf synth\` starts ${stock.processes}), its peak RSS the largest process's (MB = 2^20
bytes).

The cases are \`pipeform validate\` and \`pipeform synth --out <tmpdir>\` (through
\`bin/pipeform.js\`, which runs the CLI bundle \`dist/bundle/cli.js\` and, for a synth, the
construct bundle \`dist/bundle/synth.js\`, both through the V8 code cache of
\`src/code-cache.ts\`; the bench gives them a cache of its own, filled by one untimed run of
every case, as a user's is from the second run on; the "no code cache" rows turn it off and the
"first run" row starts each run with an empty one)
on \`examples/quickstart\`, \`examples/complete\` and a spec the bench writes from a template:
50 real-time serving endpoints (the schema allows 20 per pipeline, so five environments of ten
endpoints, five stacks). The same spec goes through the stock cdktf path: \`npx cdktf synth\`
(cdktf-cli ${readJson(join(ROOT, 'node_modules', 'cdktf-cli', 'package.json')).version}, run offline with
\`CHECKPOINT_DISABLE=1\`), which runs cdktf.json's app \`node dist/src/main.js\` with
\`PIPEFORM_SPEC\` (the unbundled modules, \`App.synth()\`), then reads the output back; that app
alone is measured too. The speed ratio compares the 50-endpoint spec through both paths.
Rows marked (before) run another checkout's \`bin/pipeform.js\` (\`--before DIR\`),
interleaved with these.
`;
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

async function main() {
  const { runs, before } = parseArgs(process.argv.slice(2));
  const tmp = mkdtempSync(join(os.tmpdir(), 'pipeform-bench-'));
  const hook = join(tmp, 'hook.cjs');
  const statFile = join(tmp, 'stats');
  writeFileSync(hook, HOOK);
  const fifty = join(tmp, 'fifty', 'pipeline.yaml');
  mkdirSync(join(tmp, 'fifty'));
  writeFileSync(fifty, fiftyEndpointSpec());
  const loadBefore = os.loadavg();
  try {
    const all = cases(fifty, before);
    const samples = all.map(() => []);
    const cacheHome = join(tmp, 'cache');
    // One untimed run of every case fills the code cache (and the OS file cache).
    for (const [k, c] of all.entries()) await runOnce(c, join(tmp, `out-${k}`), hook, statFile, cacheHome);
    // Round-robin over the cases, so drift in machine load hits every case alike and the
    // ratios compare runs made at about the same moment.
    for (let i = 0; i < runs; i++) {
      for (const [k, c] of all.entries()) {
        try {
          samples[k].push(await runOnce(c, join(tmp, `out-${k}`), hook, statFile, cacheHome));
        } catch (e) {
          console.error(`case "${c.name}" failed (run ${i + 1}): ${e.message}`);
          return 1;
        }
      }
      console.error(`round ${i + 1}/${runs} done`);
    }
    const results = all.map((c, k) => ({ name: c.name, stats: summarize(samples[k]) }));
    const previous = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '';
    const notes = previous.includes(NOTES) ? `\n${previous.slice(previous.indexOf(NOTES))}` : '';
    const md = render(results, { runs, loadBefore, loadAfter: os.loadavg() }) + notes;
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    writeFileSync(DOC, md);
    console.log(md);
    console.error(`wrote ${DOC}`);
    return 0;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

process.exitCode = await main();
