import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Command, CommanderError } from 'commander';
import {
  classifyError,
  errorJson,
  examplesHelp,
  Exit,
  EXIT,
  EXIT_CODE_HELP,
  jsonRequested,
  painters,
  processIo,
  readSpecArg,
  type CliIo,
  type CommandContext,
} from './cli-io';
import { compileSpec, STDIN_NAME, type CompiledSpec } from './compiler';
import { noteCodePath } from './code-cache';
import { sourceStack } from './source-stack';
import { formatDiagnostic, ioStep, UsageError, type Diagnostic } from './compiler/diagnostics';
import { pipelineSchema, SCHEMA_ID } from './spec/schema';
import { starterSpec } from './starter';
import { VERSION } from './version';

export { EXIT, type CliIo } from './cli-io';

function reportDiagnostics(io: CliIo, diagnostics: readonly Diagnostic[]): void {
  const paint = painters(io).err;
  for (const d of diagnostics) io.stderr(`${paint.red('error')} ${formatDiagnostic(d)}\n`);
  const n = diagnostics.length;
  io.stderr(`${paint.bold(`${n} problem${n === 1 ? '' : 's'}`)} in ${diagnostics[0]?.file ?? 'the spec'}\n`);
}

/**
 * Each command's `--help` examples, applied after the commands are built so adding an
 * option to a command never touches this table.
 */
const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  validate: [
    '$ pipeform validate pipeline.yaml',
    '$ pipeform validate --json pipeline.yaml | jq .diagnostics',
    '$ cat pipeline.yaml | pipeform validate -      # from stdin: diagnostics name <stdin>',
  ],
  synth: [
    '$ pipeform synth pipeline.yaml                  # writes generated/<name>/main.tf.json',
    '$ pipeform synth pipeline.yaml --out infra/ && terraform -chdir=infra init',
  ],
  module: [
    '$ pipeform module pipeline.yaml --out modules/pipeline',
    '$ pipeform module pipeline.yaml --out modules/pipeline --format hcl',
  ],
  release: [
    '$ pipeform release pipeline.yaml --out releases --version 1.0.0',
    '$ pipeform release pipeline.yaml --out releases --bump auto --json',
  ],
  advise: [
    '$ pipeform advise pipeline.yaml',
    `$ pipeform advise --strict pipeline.yaml        # exit ${EXIT.findings} on a warning (CI gate)`,
  ],
  cost: ['$ pipeform cost pipeline.yaml', '$ pipeform cost --json pipeline.yaml | jq .total'],
  graph: [
    '$ pipeform graph pipeline.yaml > architecture.mmd',
    '$ pipeform graph pipeline.yaml --format html --out report.html',
    '$ pipeform graph --json pipeline.yaml | jq .graph.edges',
  ],
  init: ['$ pipeform init', '$ pipeform init fraud --name fraud-detection --region eu-west-1'],
  schema: ['$ pipeform schema > pipeline.schema.json'],
};

/** Prints one JSON object on stdout (the `--json` form of a command's result). */
function printJson(io: CliIo, value: Record<string, unknown>): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

const sortedRecord = (r: Readonly<Record<string, number>>) =>
  Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));

/**
 * Notes for the code cache (src/code-cache.ts) which paths this run takes: the command and
 * the sections and options each resolved spec sets. A cache made by runs that took fewer
 * (a first run on a small spec) is then rewritten, instead of leaving a larger spec to
 * compile those functions lazily on every run.
 */
function noteSpecPaths<T extends CompiledSpec>(command: string | undefined, compiled: T): T {
  const present = (v: unknown) =>
    v !== undefined && v !== null && v !== false && !(Array.isArray(v) && v.length === 0);
  const paths = [`command ${command ?? ''}`];
  if (compiled.environments.length > 0) paths.push('environments');
  for (const spec of [compiled.resolved, ...compiled.environments.map((e) => e.resolved)])
    for (const [key, value] of Object.entries(spec)) {
      if (!present(value)) continue;
      paths.push(key);
      if (typeof value === 'object' && !Array.isArray(value))
        for (const [inner, v] of Object.entries(value as Record<string, unknown>))
          if (present(v)) paths.push(`${key}.${inner}`);
    }
  noteCodePath(...paths);
  return compiled;
}

function buildProgram(io: CliIo, ctx: CommandContext): Command {
  const paint = painters(io).out;
  const compile = (file: string, bytes: Uint8Array) => noteSpecPaths(ctx.command, compileSpec(file, bytes));
  const program = new Command('pipeform')
    .description(
      'Compile one declarative pipeline.yaml into Terraform for a complete, optimized ML pipeline on AWS.',
    )
    .version(VERSION, '-V, --version')
    // Subcommand options (release --version X.Y.Z) must not be read as the program's --version.
    .enablePositionalOptions()
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .addHelpText(
      'after',
      `${EXIT_CODE_HELP}\n${examplesHelp(['$ pipeform init && pipeform validate pipeline.yaml && pipeform synth pipeline.yaml'])}`,
    )
    // What the `--json` error object names: the command, and its spec file as diagnostics do.
    .hook('preAction', (_program, action) => {
      ctx.command = action.name();
      ctx.json = Boolean((action.opts() as { json?: boolean }).json);
      const [first] = action.registeredArguments;
      const arg: unknown = action.processedArgs[0];
      if (first?.name() === 'file' && typeof arg === 'string') ctx.file = arg === '-' ? STDIN_NAME : arg;
    });

  program
    .command('validate')
    .description('Check a spec: schema, cross-field rules and defaults. Loads no Terraform libraries.')
    .argument('<file>', 'path of the pipeline.yaml (- reads standard input)')
    .option('--json', 'print the result as JSON on stdout')
    .action((arg: string, opts: { json?: boolean }) => {
      const { file, bytes } = readSpecArg(arg, io);
      const { resolved } = compile(file, bytes);
      if (opts.json)
        io.stdout(`${JSON.stringify({ valid: true, file, diagnostics: [], resolved }, null, 2)}\n`);
      else io.stdout(`${paint.green('valid')} ${file}: pipeline ${resolved.name} in ${resolved.region}\n`);
    });

  program
    .command('synth')
    .description('Compile a spec into Terraform JSON (main.tf.json) in the output directory.')
    .argument('<file>', 'path of the pipeline.yaml (- reads standard input)')
    .option('-o, --out <dir>', 'output directory (default: generated/<pipeline name>)')
    .option('--json', 'print what was written as JSON on stdout')
    .action(async (arg: string, opts: { out?: string; json?: boolean }) => {
      const spec = readSpecArg(arg, io);
      const compiled = compile(spec.file, spec.bytes);
      // Loaded only here: validate must stay free of cdktf and the provider.
      const { synthesizeTargets } = await import('./synth/layer');
      const { writeFilesAtomically } = await import('./synth/write');
      const { SHARED_MODULE_DIR } = await import('./synth/layer');
      const out = opts.out ?? join('generated', compiled.resolved.name);
      const { targets, files, layout } = synthesizeTargets(compiled, spec.sourceName);
      const written = writeFilesAtomically(out, files);
      for (const n of layout?.notices ?? []) io.stderr(`${paint.bold('notice')} ${n}\n`);
      if (opts.json) {
        printJson(io, {
          command: 'synth',
          directory: out,
          ...(layout
            ? {
                layout: layout.kind,
                ...(layout.module ? { module: join(out, SHARED_MODULE_DIR) } : {}),
                notices: layout.notices,
              }
            : {}),
          files: written,
          targets: targets.map((t) => ({
            name: t.spec.name,
            directory: join(out, t.dir),
            resources: Object.values(t.result.resourcesByArea).reduce((x, y) => x + y, 0),
            resourcesByArea: sortedRecord(t.result.resourcesByArea),
          })),
        });
        return;
      }
      io.stdout(`${paint.green('synthesized')} ${written.join(', ')}\n`);
      for (const t of targets) {
        const areas = Object.entries(t.result.resourcesByArea)
          .sort(([x], [y]) => (x < y ? -1 : 1))
          .map(([area, n]) => `${area} ${n}`)
          .join(', ');
        const total = Object.values(t.result.resourcesByArea).reduce((x, y) => x + y, 0);
        io.stdout(`${targets.length > 1 ? `${t.spec.name}: ` : ''}${total} resources: ${areas}\n`);
      }
      for (const t of targets) {
        const dir = join(out, t.dir);
        io.stdout(`next: terraform -chdir=${dir} init && terraform -chdir=${dir} plan\n`);
      }
    });

  program
    .command('module')
    .description(
      'Emit the pipeline as a reusable Terraform module (no provider or backend; inputs, outputs, README).',
    )
    .argument('<file>', 'path of the pipeline.yaml (- reads standard input)')
    .requiredOption('-o, --out <dir>', 'output directory of the module')
    .option('--format <format>', "'json' (default): .tf.json files; 'hcl': .tf files", 'json')
    .option(
      '--env <environment>',
      'a spec with environments: the module of this environment (needed only when their shapes differ)',
    )
    .option('--json', 'print what was written as JSON on stdout')
    .action(async (arg: string, opts: { out: string; format: string; env?: string; json?: boolean }) => {
      if (opts.format !== 'json' && opts.format !== 'hcl')
        throw new UsageError(`--format takes 'json' or 'hcl', not ${JSON.stringify(opts.format)}`);
      const spec = readSpecArg(arg, io);
      const compiled = compile(spec.file, spec.bytes);
      const { resolved } = compiled;
      if (opts.env !== undefined && compiled.environments.length === 0)
        throw new UsageError(`--env ${opts.env}: the spec has no environments`);
      const { compileStandIn } = await import('./compiler/stand-in');
      const { synthesizeModule } = await import('./synth/layer');
      const { environmentModule } = await import('./synth/layer');
      const { writeFilesAtomically } = await import('./synth/write');
      const source = /^(\.{1,2}\/|\/)/.test(opts.out) ? opts.out : `./${opts.out}`;
      let module;
      if (compiled.environments.length > 0) {
        // The module the environment roots call, byte for byte (synth writes it to modules/pipeline/).
        const r = environmentModule(compiled, spec.sourceName, opts.env, opts.format);
        if ('error' in r) throw new UsageError(r.error);
        module = r.module;
      } else
        module = synthesizeModule(resolved, spec.sourceName, source, {
          format: opts.format,
          standIn: compileStandIn(spec.file, spec.bytes),
        });
      const written = writeFilesAtomically(opts.out, module.files);
      if (opts.json) {
        printJson(io, {
          command: 'module',
          directory: opts.out,
          format: module.format,
          files: written,
          requiredVersion: module.requiredVersion,
          resources: module.addresses.length,
          inputs: module.inputs.map((i) => i.name),
          outputs: module.outputs.map((o) => o.name),
        });
        return;
      }
      io.stdout(
        `${paint.green('module')} ${opts.out}: ${module.addresses.length} resources, ${module.inputs.length} inputs, ${module.outputs.length} outputs\n`,
      );
      io.stdout(`use it: module "${resolved.name.replace(/-/g, '_')}" { source = "${source}" }\n`);
    });

  program
    .command('release')
    .description('Write the module into a versioned folder with a manifest and a CHANGELOG entry.')
    .argument('<file>', 'path of the pipeline.yaml (- reads standard input)')
    .requiredOption('-o, --out <dir>', 'release root: holds v<version>/ folders and CHANGELOG.md')
    .option('--version <x.y.z>', 'release exactly this version')
    .option('--bump <mode>', "'auto': derive the version from what changed since the latest release")
    .option('--json', 'print what was written, the version and the bump as JSON on stdout')
    .action(async (arg: string, opts: { out: string; version?: string; bump?: string; json?: boolean }) => {
      if ((opts.version === undefined) === (opts.bump === undefined)) {
        throw new UsageError('give exactly one of --version X.Y.Z or --bump auto');
      }
      if (opts.bump !== undefined && opts.bump !== 'auto')
        throw new UsageError(`--bump takes 'auto', not ${JSON.stringify(opts.bump)}`);
      const spec = readSpecArg(arg, io);
      const bytes = spec.bytes;
      const { resolved } = compile(spec.file, bytes);
      const { planRelease, latestRelease, MANIFEST_FILE, ReleaseError } = await import('./synth/layer');
      const { writeFilesAtomically } = await import('./synth/write');
      const manifests = existsSync(opts.out)
        ? ioStep('read', opts.out, () => readdirSync(opts.out))
            .filter((d) => /^v\d+\.\d+\.\d+$/.test(d) && existsSync(join(opts.out, d, MANIFEST_FILE)))
            .map((d) => {
              const path = join(opts.out, d, MANIFEST_FILE);
              const text = ioStep('read', path, () => readFileSync(path, 'utf8'));
              try {
                return JSON.parse(text);
              } catch (e) {
                throw new UsageError(
                  `${path} is not valid JSON (${(e as Error).message}); restore it or remove v${d.slice(1)}/`,
                );
              }
            })
        : [];
      const previous = latestRelease(manifests);
      let plan;
      try {
        plan = planRelease({
          spec: resolved,
          specBytes: bytes,
          sourceName: spec.sourceName,
          standIn: (await import('./compiler/stand-in')).compileStandIn(spec.file, bytes),
          previous,
          version: opts.version ?? 'auto',
          date: (io.env.PIPEFORM_RELEASE_DATE ?? new Date().toISOString()).slice(0, 10),
        });
      } catch (e) {
        if (e instanceof ReleaseError) throw new UsageError(e.message);
        throw e;
      }
      const summary = {
        command: 'release',
        name: resolved.name,
        version: plan.version,
        previousVersion: previous?.version ?? null,
        bump: plan.unchanged ? 'none' : (plan.diff?.bump ?? 'first'),
        reasons: plan.diff?.reasons ?? [`first release of pipeline ${resolved.name}`],
      };
      if (plan.unchanged) {
        // Nothing changed since the latest release: a CI that releases on every merge gets
        // success and no new folder, tag or CHANGELOG line.
        if (opts.json) printJson(io, { ...summary, written: false, directory: null, files: [] });
        else
          io.stdout(
            `${paint.green('unchanged')} ${resolved.name} is the same as release ${plan.version}: nothing written\n`,
          );
        return;
      }
      const changelogPath = join(opts.out, 'CHANGELOG.md');
      const previousLog = existsSync(changelogPath)
        ? ioStep('read', changelogPath, () => readFileSync(changelogPath, 'utf8')).replace(
            /^# Changelog\n\n/,
            '',
          )
        : '';
      const files = new Map(plan.files);
      files.set('CHANGELOG.md', `# Changelog\n\n${plan.changelogEntry}\n${previousLog}`);
      const written = writeFilesAtomically(opts.out, files);
      if (opts.json) {
        printJson(io, {
          ...summary,
          written: true,
          directory: join(opts.out, `v${plan.version}`),
          files: written,
          tag: `v${plan.version}`,
        });
        return;
      }
      io.stdout(
        `${paint.green('released')} ${resolved.name} ${plan.version} in ${join(opts.out, `v${plan.version}`)}\n`,
      );
      if (plan.diff) io.stdout(`${plan.diff.bump}: ${plan.diff.reasons.join('; ')}\n`);
      io.stdout(`tag it: git tag v${plan.version}; consumers pin ?ref=v${plan.version}\n`);
    });

  // advise, cost and graph work on the resolved spec alone: none of them loads cdktf, except
  // graph --format html, which synthesizes to count the resources per area.
  program
    .command('advise')
    .description(
      'Cost and operations advice for a spec, each finding with its place, fix and monthly saving.',
    )
    .argument('<file>', 'path of the pipeline.yaml (- reads standard input)')
    .option('--json', 'print the findings as JSON on stdout')
    .option('--strict', `exit ${EXIT.findings} when any finding is a warning (for CI gates)`)
    .action(async (arg: string, opts: { json?: boolean; strict?: boolean }) => {
      const { analyzeSpec } = await import('./compiler');
      const { advise, formatFindings } = await import('./advise');
      const { file, bytes } = readSpecArg(arg, io);
      const findings = advise(noteSpecPaths(ctx.command, analyzeSpec(file, bytes)));
      const warnings = findings.filter((f) => f.severity === 'warning').length;
      if (opts.json) io.stdout(`${JSON.stringify({ file, warnings, findings }, null, 2)}\n`);
      else io.stdout(formatFindings(findings, file));
      if (opts.strict && warnings > 0) throw new Exit(EXIT.findings);
    });

  program
    .command('cost')
    .description(
      'Monthly cost estimate per component from the bundled price table, as specified and with all advice applied.',
    )
    .argument('<file>', 'path of the pipeline.yaml (- reads standard input)')
    .option('--json', 'print the estimate as JSON on stdout')
    .option(
      '--by <what>',
      "'component' (default) or 'address': Terraform addresses with quantity, unit and unit price",
      'component',
    )
    .option('--infracost-usage <file>', "write the spec's usage assumptions as an Infracost usage file")
    .action(async (arg: string, opts: { json?: boolean; by: string; infracostUsage?: string }) => {
      const { analyzeSpec } = await import('./compiler');
      const { costOutput, infracostUsageOf } = await import('./cost');
      const { file, bytes } = readSpecArg(arg, io);
      const analyzed = noteSpecPaths(ctx.command, analyzeSpec(file, bytes));
      // Written first: the usage file needs no prices, so a region without prices still gets one.
      const usagePath = opts.infracostUsage;
      if (usagePath) ioStep('write', usagePath, () => writeFileSync(usagePath, infracostUsageOf(analyzed)));
      io.stdout(costOutput(analyzed, opts));
    });

  program
    .command('graph')
    .description('Architecture diagram of the pipeline as Mermaid, or a self-contained HTML report.')
    .argument('<file>', 'path of the pipeline.yaml (- reads standard input)')
    .option(
      '--format <format>',
      "'mermaid' (default) or 'html' (diagram, resources, advice and cost)",
      'mermaid',
    )
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .option('--json', "print the diagram's nodes and edges (and the file written) as JSON on stdout")
    .action(async (arg: string, opts: { format: string; out?: string; json?: boolean }) => {
      if (opts.format !== 'mermaid' && opts.format !== 'html')
        throw new UsageError(`--format takes 'mermaid' or 'html', not ${JSON.stringify(opts.format)}`);
      const { analyzeSpec } = await import('./compiler');
      const spec = readSpecArg(arg, io);
      const analyzed = noteSpecPaths(ctx.command, analyzeSpec(spec.file, spec.bytes));
      const graph = await import('./graph');
      const model = graph.buildGraph(analyzed.resolved);
      const summary = (files: string[]) => ({
        command: 'graph',
        file: spec.file,
        format: opts.format,
        files,
        graph: model,
      });
      if (opts.json && opts.out === undefined) {
        // The model is the answer: no rendering (and no synthesis for html) to print.
        printJson(io, summary([]));
        return;
      }
      let text: string;
      if (opts.format === 'mermaid') text = graph.renderMermaid(model);
      else {
        // Only the HTML report loads the construct layer: its resource counts are what synth creates.
        const { synthesize } = await import('./synth/layer');
        const { resourcesByArea } = synthesize(analyzed.resolved, spec.sourceName);
        text = graph.renderHtmlReport(analyzed, resourcesByArea);
      }
      if (opts.out === undefined) io.stdout(text);
      else {
        // Staged and renamed, like synth: a failed write never leaves half a report.
        const { writeFilesAtomically } = await import('./synth/write');
        const { basename, dirname, resolve } = await import('node:path');
        writeFilesAtomically(dirname(resolve(opts.out)), new Map([[basename(opts.out), text]]));
        if (opts.json) printJson(io, summary([opts.out]));
        else io.stdout(`${paint.green('wrote')} ${opts.out}\n`);
      }
    });

  program
    .command('init')
    .description('Write a starter pipeline.yaml (with the schema modeline editors use).')
    .argument('[dir]', 'directory to write pipeline.yaml into', '.')
    .option('--name <name>', 'pipeline name', 'my-pipeline')
    .option('--region <region>', 'AWS region', 'us-east-1')
    .option('--account <id>', '12-digit AWS account id', '123456789012')
    .option('--force', 'overwrite an existing pipeline.yaml')
    .option('--json', 'print what was written as JSON on stdout')
    .action(
      (
        dir: string,
        opts: { name: string; region: string; account: string; force?: boolean; json?: boolean },
      ) => {
        const target = join(dir, 'pipeline.yaml');
        if (existsSync(target) && !opts.force) {
          throw new UsageError(`${target} exists; pass --force to overwrite it`);
        }
        const text = starterSpec(opts, dir);
        // The starter must itself be valid: a bad --name or --region fails here, not at synth.
        compileSpec(target, Buffer.from(text));
        ioStep('create directory', dir, () => mkdirSync(dir, { recursive: true }));
        ioStep('write', target, () => writeFileSync(target, text));
        if (opts.json) {
          printJson(io, {
            command: 'init',
            directory: dir,
            files: [target],
            name: opts.name,
            region: opts.region,
          });
          return;
        }
        io.stdout(
          `${paint.green('wrote')} ${target}\nnext: pipeform validate ${target} && pipeform synth ${target}\n`,
        );
      },
    );

  program
    .command('schema')
    .description(`Print the spec's JSON Schema (${SCHEMA_ID}).`)
    .action(() => {
      io.stdout(`${JSON.stringify(pipelineSchema, null, 2)}\n`);
    });

  for (const command of program.commands) {
    const lines = EXAMPLES[command.name()];
    if (lines) command.addHelpText('after', examplesHelp(lines));
  }
  return program;
}

/**
 * Runs the CLI and returns its exit code (see {@link EXIT}). User mistakes print
 * diagnostics or one line, never a stack trace; only a bug in pipeform itself (exit 70)
 * prints one. Under `--json`, a failure still prints one JSON object on stdout.
 */
export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const ctx: CommandContext = { json: jsonRequested(argv) };
  const program = buildProgram(io, ctx);
  const paint = painters(io).err;
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof Exit) return e.code;
    // Help and --version exit through here with code 0; real parse errors are usage errors,
    // which commander has already printed.
    if (e instanceof CommanderError && e.exitCode === 0) return EXIT.ok;
    const error =
      e instanceof CommanderError
        ? { ...classifyError(new UsageError(e.message.replace(/^error: /, ''))), kind: 'usage' as const }
        : classifyError(e);
    if (ctx.json) {
      ctx.command ??= argv.find((a) => !a.startsWith('-'));
      io.stdout(`${JSON.stringify(errorJson(ctx, error), null, 2)}\n`);
    }
    if (e instanceof CommanderError) return error.exitCode;
    if (error.kind === 'invalid-spec') reportDiagnostics(io, error.diagnostics);
    else if (error.kind !== 'internal') io.stderr(`${paint.red('error')} ${error.message}\n`);
    else {
      io.stderr(
        `${paint.red('internal error')} (a bug in pipeform ${VERSION}; please report it with the spec):\n`,
      );
      io.stderr(`${e instanceof Error ? (sourceStackOfCli(e.stack) ?? e.message) : String(e)}\n`);
    }
    return error.exitCode;
  }
}

/**
 * A bug's stack trace, with the frames of the CLI bundle (dist/bundle/cli.js, what
 * bin/pipeform.js runs) rewritten to src/*.ts; unbundled, the frames are already files.
 */
function sourceStackOfCli(stack: string | undefined): string | undefined {
  if (stack === undefined || basename(__dirname) !== 'bundle') return stack;
  return sourceStack(stack, __filename);
}

/** Entry point for bin/pipeform.js. */
export function main(): void {
  run(process.argv.slice(2)).then((code) => {
    // A failure of standard output itself (see processIo) may already have set exit 2.
    process.exitCode = process.exitCode || code;
  });
}
