/**
 * Diagnostics: the one shape every user-facing problem takes, from the loader to the
 * build stage, so the CLI prints them all the same way.
 */

/** A position in the spec file, 1-based like editors show it. */
export interface SourcePosition {
  readonly line: number;
  readonly col: number;
}

/** One problem found in a spec. */
export interface Diagnostic {
  /** The spec file as the user named it. */
  readonly file: string;
  /** Where the problem is; the start of the file when it has no better place. */
  readonly line: number;
  readonly col: number;
  /** Dotted spec path, e.g. `storage.buckets.raw.versioning`; empty for the whole file. */
  readonly path: string;
  /** What is wrong. */
  readonly message: string;
  /** What is allowed, or how to fix it. */
  readonly hint?: string;
  /** Rule id for check-stage and compliance rules, e.g. `names/no-interpolation`. */
  readonly rule?: string;
}

/** Thrown by a stage when the spec is invalid; carries every problem found. */
export class SpecError extends Error {
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'SpecError';
    this.diagnostics = diagnostics;
  }
}

/** Thrown for problems that are not the spec's fault: unreadable files, bad arguments. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What an errno code means, in words a user reads (Node's own message repeats the path and syscall). */
const IO_CAUSES: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a path component is a file, not a directory',
  EISDIR: 'it is a directory',
  EEXIST: 'it already exists',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
  EBUSY: 'the resource is busy',
  EIO: 'input/output error',
  EXDEV: 'the staging file and the target are on different file systems',
  EAGAIN: 'the input is not ready (non-blocking)',
};

/** The errno code of a Node file-system error, or undefined for any other value. */
export function errnoCode(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return e instanceof Error && typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : undefined;
}

/** The cause of an I/O error in words: `permission denied (EACCES)`. */
export function ioCause(e: unknown): string {
  const code = errnoCode(e);
  if (code === undefined) return e instanceof Error ? e.message : String(e);
  return `${IO_CAUSES[code] ?? (e as Error).message.replace(/^E[A-Z0-9]+: /, '').replace(/, \w+ '.*'$/, '')} (${code})`;
}

/**
 * An I/O problem with a file the user named or a directory pipeform writes to: the CLI
 * prints its one line and exits 2, never a stack trace.
 */
export class IoError extends UsageError {
  /** The errno code (`EACCES`), when the cause was a system error. */
  readonly code: string | undefined;

  /**
   * @param action what was attempted, e.g. `write`, `read`, `create directory`
   * @param path the path as the user would recognise it
   * @param cause the underlying error (an errno error) or the cause in words
   */
  constructor(
    readonly action: string,
    readonly path: string,
    cause: unknown,
  ) {
    super(`cannot ${action} ${path}: ${typeof cause === 'string' ? cause : ioCause(cause)}`);
    this.name = 'IoError';
    this.code = typeof cause === 'string' ? undefined : errnoCode(cause);
  }
}

/**
 * Runs one file-system step; a Node errno error becomes an {@link IoError} naming `path`
 * (what the user named, not a staging file), so the CLI prints one line and exits 2.
 */
export function ioStep<T>(action: string, path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (errnoCode(e) !== undefined) throw new IoError(action, path, e);
    throw e;
  }
}

/** At most this many characters of a user's value appear in a message. */
export const MAX_VALUE_CHARS = 60;

/**
 * A value as a message shows it: JSON, cut to about `max` characters with an ellipsis and
 * a count of what was left out, so a 10,000-item list does not become a 50 kB line.
 */
export function showValue(value: unknown, max: number = MAX_VALUE_CHARS): string {
  if (typeof value === 'string') {
    const chars = [...value];
    if (chars.length + 2 <= max) return JSON.stringify(value);
    const kept = chars.slice(0, Math.max(8, max - 2)).join('');
    return `${JSON.stringify(kept).slice(0, -1)}…" (${chars.length - [...kept].length} more characters)`;
  }
  if (Array.isArray(value) || (value !== null && typeof value === 'object')) {
    const isList = Array.isArray(value);
    const entries = isList ? (value as unknown[]).map((v) => ['', v] as const) : Object.entries(value);
    const item = ([k, v]: readonly [string, unknown]) =>
      `${isList ? '' : `${JSON.stringify(k)}:`}${showValue(v, Math.max(12, Math.floor(max / 3)))}`;
    const whole = JSON.stringify(value);
    if (whole !== undefined && whole.length <= max) return whole;
    const parts: string[] = [];
    let length = 2;
    for (const e of entries) {
      const text = item(e);
      if (parts.length > 0 && length + text.length + 1 > max) break;
      parts.push(text);
      length += text.length + 1;
    }
    const left = entries.length - parts.length;
    const [open, close] = isList ? ['[', ']'] : ['{', '}'];
    if (left === 0) return `${open}${parts.join(',')}${close}`;
    return `${open}${parts.join(',')},…${close} (${left} more ${isList ? 'item' : 'key'}${left === 1 ? '' : 's'}, ${entries.length} in all)`;
  }
  return JSON.stringify(value) ?? String(value);
}

/**
 * A long string shown around position `at` (where the problem is): about `max` characters
 * with an ellipsis on each cut side and how many characters were left out; a short string
 * whole, as {@link showValue} shows it.
 */
export function showAround(value: string, at: number, max: number = MAX_VALUE_CHARS): string {
  if (value.length + 2 <= max) return JSON.stringify(value);
  const start = Math.max(0, Math.min(at - Math.floor(max / 3), value.length - max));
  const end = Math.min(value.length, start + max);
  const body = JSON.stringify(value.slice(start, end)).slice(1, -1);
  const after = value.length - end;
  const left = [
    start > 0 ? `${start} characters before` : '',
    after > 0 ? `${after}${start > 0 ? '' : ' characters'} after` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return `"${start > 0 ? '…' : ''}${body}${after > 0 ? '…' : ''}" (${left} left out)`;
}

/** Spec paths are kept as segment arrays; users see them dotted, with [i] for list items. */
export function formatPath(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out === '' ? s : `.${s}`;
  }
  return out;
}

/** `file:line:col: path: message (hint)` — the format editors and CI logs link. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}:${d.line}:${d.col}`;
  const path = d.path === '' ? '' : ` ${d.path}:`;
  const rule = d.rule ? ` [${d.rule}]` : '';
  const hint = d.hint ? `\n    ${d.hint}` : '';
  return `${where}:${path} ${d.message}${rule}${hint}`;
}

/** Stable order: by line, then column, then message, so output never depends on rule order. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort(
    (a, b) =>
      a.line - b.line || a.col - b.col || a.path.localeCompare(b.path) || a.message.localeCompare(b.message),
  );
}
