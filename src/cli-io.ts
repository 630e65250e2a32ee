/**
 * The CLI's contract with the shell, kept apart from the commands (src/cli.ts): exit codes,
 * where output goes and when it is colored, a closed pipe, the spec argument (`-` is
 * standard input) and the `--json` error object. Loads no Terraform libraries.
 */
import { relative, resolve } from 'node:path';
import { readSpecFile, readSpecStdin, STDIN_NAME } from './compiler';
import { errnoCode, IoError, ioCause, SpecError, UsageError, type Diagnostic } from './compiler/diagnostics';

/**
 * Exit codes, documented in `pipeform --help`, docs/cli.md and the README. Scripts branch
 * on them, so a code never changes meaning.
 */
export const EXIT = {
  /** Success (with `advise`: also with findings, unless --strict). */
  ok: 0,
  /** The spec is invalid: every problem is printed at file:line:col. */
  invalidSpec: 1,
  /** A bad command line, or an I/O problem (unreadable spec, unwritable output, missing file). */
  usage: 2,
  /** The spec is valid, but `--strict` found warnings (advise --strict). */
  findings: 3,
  /** A bug in pipeform: the only case with a stack trace. */
  internal: 70,
} as const;

/** The exit-code table as `--help` prints it. */
export const EXIT_CODE_HELP = `
Exit codes:
  0   success (a closed output pipe, as in \`pipeform schema | head\`, is success too)
  ${EXIT.invalidSpec}   invalid spec: each problem printed as file:line:col
  ${EXIT.usage}   bad arguments or an I/O problem (unreadable spec, unwritable --out, unreadable referenced file)
  ${EXIT.findings}   --strict and at least one warning (the spec itself is valid)
  ${EXIT.internal}  a bug in pipeform (prints a stack trace; please report it)

A FILE of - reads the spec from standard input; diagnostics then name ${STDIN_NAME}, and
the files it references resolve against the working directory.
Colors: only on a terminal, and never when NO_COLOR is set to a non-empty value.`;

/** Where the CLI reads and writes; injectable so tests run it in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  /** Whether standard error is a terminal (colors in diagnostics). */
  readonly isTTY: boolean;
  /** Whether standard output is a terminal (colors in results); false when omitted. */
  readonly stdoutIsTTY?: boolean;
  /** The bytes of standard input, for a FILE of `-`; the process's fd 0 when omitted. */
  readonly stdin?: () => Uint8Array;
}

/**
 * Whether to color a stream: only a terminal, never with `NO_COLOR` set to a non-empty
 * value (https://no-color.org: "when present and not an empty string") or `TERM=dumb`.
 */
export function colorEnabled(isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  return isTTY && (env.NO_COLOR === undefined || env.NO_COLOR === '') && env.TERM !== 'dumb';
}

/** ANSI styles that are the identity when color is off. */
export interface Paint {
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
}

/** The styles for one stream: color decided by {@link colorEnabled}. */
export function painter(on: boolean): Paint {
  const wrap = (code: number) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { red: wrap(31), green: wrap(32), bold: wrap(1), dim: wrap(2) };
}

/** The painters of standard output and standard error, each from its own stream. */
export function painters(io: CliIo): { out: Paint; err: Paint } {
  return {
    out: painter(colorEnabled(io.stdoutIsTTY ?? false, io.env)),
    err: painter(colorEnabled(io.isTTY, io.env)),
  };
}

/**
 * A writer for one stream of the real process. A reader that goes away (`| head -1`) makes
 * the next write fail with EPIPE: that ends output quietly (what fit was printed; the
 * command still finishes and exits with its own code). Any other failure of standard
 * output (`> /dev/full`) is the user's I/O problem: one line on standard error, exit 2.
 */
function streamWriter(stream: NodeJS.WriteStream, name: 'standard output' | 'standard error') {
  let closed = false;
  stream.on('error', (e: Error) => {
    const code = (e as NodeJS.ErrnoException).code;
    const first = !closed;
    closed = true;
    if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || !first) return;
    if (name === 'standard output') {
      process.stderr.write(`error cannot write ${name}: ${ioCause(e)}\n`);
      process.exitCode = EXIT.usage;
    }
  });
  return (text: string): void => {
    if (!closed && !stream.destroyed) stream.write(text);
  };
}

let processIoOnce: CliIo | undefined;

/** The real process's streams, environment and terminals (one set of stream listeners per process). */
export function processIo(): CliIo {
  return (processIoOnce ??= {
    stdout: streamWriter(process.stdout, 'standard output'),
    stderr: streamWriter(process.stderr, 'standard error'),
    env: process.env,
    isTTY: Boolean(process.stderr.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
  });
}

/** Signals an exit code from inside a command action. */
export class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** A spec argument, read: the name diagnostics use, its bytes, and the name generated files cite. */
export interface SpecInput {
  /** What diagnostics name: the path as given, or `<stdin>`. */
  readonly file: string;
  readonly bytes: Uint8Array;
  /** The spec's path relative to the working directory, as generated files record it. */
  readonly sourceName: string;
}

/** Reads the FILE argument of a command; `-` is standard input. */
export function readSpecArg(file: string, io: CliIo): SpecInput {
  if (file === '-') {
    return { file: STDIN_NAME, bytes: readSpecStdin(io.stdin), sourceName: STDIN_NAME };
  }
  return { file, bytes: readSpecFile(file), sourceName: relative(process.cwd(), resolve(file)) || file };
}

/** What the CLI knows about the command being run, for the `--json` error object. */
export interface CommandContext {
  command?: string;
  file?: string;
  json: boolean;
}

/**
 * Whether `--json` is on the command line (before a `--`), for errors that happen before
 * commander hands the options to an action (an unknown option, a missing argument).
 */
export function jsonRequested(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/** An error in the CLI's terms: its exit code, kind and what the `--json` object carries. */
export interface ClassifiedError {
  readonly exitCode: number;
  readonly kind: 'invalid-spec' | 'usage' | 'io' | 'internal';
  readonly message: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly path?: string;
  readonly errno?: string;
}

/**
 * Sorts an error thrown by a command: a SpecError is an invalid spec, a UsageError a bad
 * command line, an IoError (or any Node file-system error that names a path: reading a
 * referenced file at build time) an I/O problem; anything else is a bug.
 */
export function classifyError(e: unknown): ClassifiedError {
  if (e instanceof SpecError) {
    const n = e.diagnostics.length;
    return {
      exitCode: EXIT.invalidSpec,
      kind: 'invalid-spec',
      message: `${n} problem${n === 1 ? '' : 's'} in ${e.diagnostics[0]?.file ?? 'the spec'}`,
      diagnostics: e.diagnostics,
    };
  }
  if (e instanceof IoError) {
    return {
      exitCode: EXIT.usage,
      kind: 'io',
      message: e.message,
      diagnostics: [],
      path: e.path,
      ...(e.code ? { errno: e.code } : {}),
    };
  }
  if (e instanceof UsageError)
    return { exitCode: EXIT.usage, kind: 'usage', message: e.message, diagnostics: [] };
  const path = (e as NodeJS.ErrnoException | undefined)?.path;
  const code = errnoCode(e);
  if (code !== undefined && typeof path === 'string') {
    const syscall = (e as NodeJS.ErrnoException).syscall;
    const io = new IoError(
      syscall === 'open' || syscall === 'read' ? 'read' : `${syscall ?? 'use'}`,
      path,
      e,
    );
    return { exitCode: EXIT.usage, kind: 'io', message: io.message, diagnostics: [], path, errno: code };
  }
  return {
    exitCode: EXIT.internal,
    kind: 'internal',
    message: e instanceof Error ? e.message : String(e),
    diagnostics: [],
  };
}

/** The `--json` object for a failed command: stdout is never empty under `--json`. */
export function errorJson(ctx: CommandContext, error: ClassifiedError): Record<string, unknown> {
  return {
    command: ctx.command ?? null,
    ...(ctx.file !== undefined ? { file: ctx.file } : {}),
    ...(error.kind === 'invalid-spec' ? { valid: false } : {}),
    ok: false,
    exitCode: error.exitCode,
    error: {
      kind: error.kind,
      message: error.message,
      ...(error.path !== undefined ? { path: error.path } : {}),
      ...(error.errno !== undefined ? { errno: error.errno } : {}),
    },
    diagnostics: error.diagnostics,
  };
}

/** An `Examples:` block for a command's `--help` (commander's addHelpText('after')). */
export function examplesHelp(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}
