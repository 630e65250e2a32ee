import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { compileSpec, readSpecFile } from './compiler';
import { formatDiagnostic, SpecError, UsageError, type Diagnostic } from './compiler/diagnostics';
import { pipelineSchema, SCHEMA_ID } from './spec/schema';
import { starterSpec } from './starter';
import { VERSION } from './version';

/** Exit codes: documented in the README. */
export const EXIT = { ok: 0, invalidSpec: 1, usage: 2, internal: 70 } as const;

/** Where the CLI writes; injectable so tests run it in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly isTTY: boolean;
}

const defaultIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY),
};

function painter(io: CliIo) {
  const on = io.isTTY && io.env.NO_COLOR === undefined && io.env.TERM !== 'dumb';
  const wrap = (code: number) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { red: wrap(31), green: wrap(32), bold: wrap(1), dim: wrap(2) };
}

/** Signals an exit code from inside a command action. */
class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function reportDiagnostics(io: CliIo, diagnostics: readonly Diagnostic[]): void {
  const paint = painter(io);
  for (const d of diagnostics) io.stderr(`${paint.red('error')} ${formatDiagnostic(d)}\n`);
  const n = diagnostics.length;
  io.stderr(`${paint.bold(`${n} problem${n === 1 ? '' : 's'}`)} in ${diagnostics[0]?.file ?? 'the spec'}\n`);
}

/** Prints one JSON object on stdout (the `--json` form of a command's result). */
function printJson(io: CliIo, value: Record<string, unknown>): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

const sortedRecord = (r: Readonly<Record<string, number>>) =>
  Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));

function buildProgram(io: CliIo): Command {
  const paint = painter(io);
  const program = new Command('pipeform')
    .description(
      'Compile one declarative pipeline.yaml into Terraform for a complete, optimized ML pipeline on AWS.',
    )
    .version(VERSION, '-V, --version')
    // Subcommand options (release --version X.Y.Z) must not be read as the program's --version.
    .enablePositionalOptions()
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program
    .command('validate')
    .description('Check a spec: schema, cross-field rules and defaults. Loads no Terraform libraries.')
    .argument('<file>', 'path of the pipeline.yaml')
    .option('--json', 'print the result as JSON on stdout')
    .action((file: string, opts: { json?: boolean }) => {
      try {
        const { resolved } = compileSpec(file, readSpecFile(file));
        if (opts.json)
          io.stdout(`${JSON.stringify({ valid: true, file, diagnostics: [], resolved }, null, 2)}\n`);
        else io.stdout(`${paint.green('valid')} ${file}: pipeline ${resolved.name} in ${resolved.region}\n`);
      } catch (e) {
        if (opts.json && e instanceof SpecError) {
          io.stdout(`${JSON.stringify({ valid: false, file, diagnostics: e.diagnostics }, null, 2)}\n`);
          throw new Exit(EXIT.invalidSpec);
        }
        throw e;
      }
    });

  program
    .command('synth')
    .description('Compile a spec into Terraform JSON (main.tf.json) in the output directory.')
    .argument('<file>', 'path of the pipeline.yaml')
    .option('-o, --out <dir>', 'output directory (default: generated/<pipeline name>)')
    .option('--json', 'print what was written as JSON on stdout')
    .action(async (file: string, opts: { out?: string; json?: boolean }) => {
      const compiled = compileSpec(file, readSpecFile(file));
      // Loaded only here: validate must stay free of cdktf and the provider.
      const { synthesizeTargets } = await import('./synth/layer');
      const { writeFilesAtomically } = await import('./synth/write');
      const out = opts.out ?? join('generated', compiled.resolved.name);
      const { targets, files } = synthesizeTargets(compiled, relative(process.cwd(), resolve(file)) || file);
      const written = writeFilesAtomically(out, files);
      if (opts.json) {
        printJson(io, {
          command: 'synth',
          directory: out,
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
    .argument('<file>', 'path of the pipeline.yaml')
    .requiredOption('-o, --out <dir>', 'output directory of the module')
    .option('--format <format>', "'json' (default): .tf.json files; 'hcl': .tf files", 'json')
    .option('--json', 'print what was written as JSON on stdout')
    .action(async (file: string, opts: { out: string; format: string; json?: boolean }) => {
      if (opts.format !== 'json' && opts.format !== 'hcl')
        throw new UsageError(`--format takes 'json' or 'hcl', not ${JSON.stringify(opts.format)}`);
      const { resolved } = compileSpec(file, readSpecFile(file));
      const { synthesizeModule } = await import('./synth/layer');
      const { writeFilesAtomically } = await import('./synth/write');
      const source = /^(\.{1,2}\/|\/)/.test(opts.out) ? opts.out : `./${opts.out}`;
      const module = synthesizeModule(resolved, relative(process.cwd(), resolve(file)) || file, source, {
        format: opts.format,
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
    .argument('<file>', 'path of the pipeline.yaml')
    .requiredOption('-o, --out <dir>', 'release root: holds v<version>/ folders and CHANGELOG.md')
    .option('--version <x.y.z>', 'release exactly this version')
    .option('--bump <mode>', "'auto': derive the version from what changed since the latest release")
    .option('--json', 'print what was written, the version and the bump as JSON on stdout')
    .action(async (file: string, opts: { out: string; version?: string; bump?: string; json?: boolean }) => {
      if ((opts.version === undefined) === (opts.bump === undefined)) {
        throw new UsageError('give exactly one of --version X.Y.Z or --bump auto');
      }
      if (opts.bump !== undefined && opts.bump !== 'auto')
        throw new UsageError(`--bump takes 'auto', not ${JSON.stringify(opts.bump)}`);
      const bytes = readSpecFile(file);
      const { resolved } = compileSpec(file, bytes);
      const { planRelease, latestRelease, MANIFEST_FILE, ReleaseError } = await import('./synth/layer');
      const { writeFilesAtomically } = await import('./synth/write');
      const manifests = existsSync(opts.out)
        ? readdirSync(opts.out)
            .filter((d) => /^v\d+\.\d+\.\d+$/.test(d) && existsSync(join(opts.out, d, MANIFEST_FILE)))
            .map((d) => JSON.parse(readFileSync(join(opts.out, d, MANIFEST_FILE), 'utf8')))
        : [];
      const previous = latestRelease(manifests);
      let plan;
      try {
        plan = planRelease({
          spec: resolved,
          specBytes: bytes,
          sourceName: relative(process.cwd(), resolve(file)) || file,
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
        ? readFileSync(changelogPath, 'utf8').replace(/^# Changelog\n\n/, '')
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
    .argument('<file>', 'path of the pipeline.yaml')
    .option('--json', 'print the findings as JSON on stdout')
    .option('--strict', 'exit 1 when any finding is a warning (for CI gates)')
    .action(async (file: string, opts: { json?: boolean; strict?: boolean }) => {
      const { analyzeSpec } = await import('./compiler');
      const { advise, formatFindings } = await import('./advise');
      const findings = advise(analyzeSpec(file, readSpecFile(file)));
      const warnings = findings.filter((f) => f.severity === 'warning').length;
      if (opts.json) io.stdout(`${JSON.stringify({ file, warnings, findings }, null, 2)}\n`);
      else io.stdout(formatFindings(findings, file));
      if (opts.strict && warnings > 0) throw new Exit(EXIT.invalidSpec);
    });

  program
    .command('cost')
    .description(
      'Monthly cost estimate per component from the bundled price table, as specified and with all advice applied.',
    )
    .argument('<file>', 'path of the pipeline.yaml')
    .option('--json', 'print the estimate as JSON on stdout')
    .option(
      '--by <what>',
      "'component' (default) or 'address': Terraform addresses with quantity, unit and unit price",
      'component',
    )
    .option('--infracost-usage <file>', "write the spec's usage assumptions as an Infracost usage file")
    .action(async (file: string, opts: { json?: boolean; by: string; infracostUsage?: string }) => {
      const { analyzeSpec } = await import('./compiler');
      const { costOutput, infracostUsageOf } = await import('./cost');
      const analyzed = analyzeSpec(file, readSpecFile(file));
      // Written first: the usage file needs no prices, so a region without prices still gets one.
      if (opts.infracostUsage) writeFileSync(opts.infracostUsage, infracostUsageOf(analyzed));
      io.stdout(costOutput(analyzed, opts));
    });

  program
    .command('graph')
    .description('Architecture diagram of the pipeline as Mermaid, or a self-contained HTML report.')
    .argument('<file>', 'path of the pipeline.yaml')
    .option(
      '--format <format>',
      "'mermaid' (default) or 'html' (diagram, resources, advice and cost)",
      'mermaid',
    )
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .action(async (file: string, opts: { format: string; out?: string }) => {
      if (opts.format !== 'mermaid' && opts.format !== 'html')
        throw new UsageError(`--format takes 'mermaid' or 'html', not ${JSON.stringify(opts.format)}`);
      const { analyzeSpec } = await import('./compiler');
      const analyzed = analyzeSpec(file, readSpecFile(file));
      const graph = await import('./graph');
      let text: string;
      if (opts.format === 'mermaid') text = graph.renderMermaid(graph.buildGraph(analyzed.resolved));
      else {
        // Only the HTML report loads the construct layer: its resource counts are what synth creates.
        const { synthesize } = await import('./synth/layer');
        const sourceName = relative(process.cwd(), resolve(file)) || file;
        const { resourcesByArea } = synthesize(analyzed.resolved, sourceName);
        text = graph.renderHtmlReport(analyzed, resourcesByArea);
      }
      if (opts.out === undefined) io.stdout(text);
      else {
        // Staged and renamed, like synth: a failed write never leaves half a report.
        const { writeFilesAtomically } = await import('./synth/write');
        const { basename, dirname } = await import('node:path');
        writeFilesAtomically(dirname(resolve(opts.out)), new Map([[basename(opts.out), text]]));
        io.stdout(`${paint.green('wrote')} ${opts.out}\n`);
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
        const text = starterSpec(opts);
        // The starter must itself be valid: a bad --name or --region fails here, not at synth.
        compileSpec(target, Buffer.from(text));
        mkdirSync(dir, { recursive: true });
        writeFileSync(target, text);
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

  return program;
}

/**
 * Runs the CLI and returns its exit code. User mistakes print diagnostics, never a stack
 * trace; only a bug in pipeform itself (exit 70) prints one.
 */
export async function run(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const program = buildProgram(io);
  const paint = painter(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof Exit) return e.code;
    if (e instanceof SpecError) {
      reportDiagnostics(io, e.diagnostics);
      return EXIT.invalidSpec;
    }
    if (e instanceof UsageError) {
      io.stderr(`${paint.red('error')} ${e.message}\n`);
      return EXIT.usage;
    }
    if (e instanceof CommanderError) {
      // Help and --version exit through here with code 0; real parse errors are usage errors.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    io.stderr(
      `${paint.red('internal error')} (a bug in pipeform ${VERSION}; please report it with the spec):\n`,
    );
    io.stderr(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT.internal;
  }
}

/** Entry point for bin/pipeform.js. */
export function main(): void {
  run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
