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
