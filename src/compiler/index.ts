import { readFileSync, statSync } from 'node:fs';
import type { ResolvedSpec } from '../model/resolved';
import { checkSpec } from './check';
import { IoError, sortDiagnostics, SpecError, UsageError, type Diagnostic } from './diagnostics';
import { environmentSpecs } from './environments';
import { loadSpec, MAX_SPEC_BYTES } from './load';
import { normalizeSpec } from './normalize';
import { registryOwnerOf, resolvePromotion } from './promotion';
import { nodeSpecFiles, type SpecFiles } from './spec-files';
import { validateSpec, type ValidSpec } from './validate';

/** Everything the stages before build produce for one spec file. */
export interface CompiledSpec {
  readonly file: string;
  /** The spec as written (for a spec with environments: the shared base). */
  readonly resolved: ResolvedSpec;
  /** One resolved spec per environment, sorted by name; empty without `environments`. */
  readonly environments: readonly { readonly environment: string; readonly resolved: ResolvedSpec }[];
}

/** Checks and normalizes every environment, reporting the problems of all of them at once. */
function resolveEnvironments(valid: ValidSpec, files: SpecFiles): CompiledSpec['environments'] {
  const diagnostics: Diagnostic[] = [];
  const out: { environment: string; resolved: ResolvedSpec }[] = [];
  const envs = environmentSpecs(valid);
  // The promotion owner first: what the others read from it comes from its resolved spec.
  const owner = valid.spec.promotion?.owner;
  let ownerResolved: ResolvedSpec | undefined;
  for (const env of [
    ...envs.filter((e) => e.environment === owner),
    ...envs.filter((e) => e.environment !== owner),
  ]) {
    try {
      const checked = checkSpec(env.valid, undefined, files);
      // A serving environment's registry is the owner's; without a resolved owner it is not normalized.
      if (owner !== undefined && ownerResolved === undefined && env.environment !== owner) continue;
      const resolved = normalizeSpec(checked, {
        ...(ownerResolved ? { promotion: resolvePromotion(valid.spec, env.environment, ownerResolved) } : {}),
        ...(ownerResolved ? { registryOwner: registryOwnerOf(valid.spec, env.environment) } : {}),
      });
      if (env.environment === owner) {
        ownerResolved = resolved;
        const promotion = resolvePromotion(valid.spec, env.environment, resolved);
        out.push({
          environment: env.environment,
          resolved: { ...resolved, ...(promotion ? { promotion } : {}) },
        });
      } else out.push({ environment: env.environment, resolved });
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      diagnostics.push(
        ...e.diagnostics.map((d) => ({ ...d, message: `environment ${env.environment}: ${d.message}` })),
      );
    }
  }
  if (diagnostics.length > 0) throw new SpecError(sortDiagnostics(diagnostics));
  return out.sort((a, b) => (a.environment < b.environment ? -1 : a.environment > b.environment ? 1 : 0));
}

/**
 * The pure front half of the compiler: load -> validate -> check -> normalize. Throws a
 * SpecError listing every problem found by the first stage that found any. `files` is how
 * the check stage sees the local files the spec names (default: the ones beside `file`).
 */
export function compileSpec(
  file: string,
  bytes: Uint8Array,
  files: SpecFiles = nodeSpecFiles(file),
): CompiledSpec {
  const loaded = loadSpec(file, bytes);
  const valid = checkSpec(validateSpec(loaded), undefined, files);
  return { file, resolved: normalizeSpec(valid), environments: resolveEnvironments(valid, files) };
}

/** {@link compileSpec} plus what the reporting commands (advise, cost, graph) need. */
export interface AnalyzedSpec extends CompiledSpec {
  /** The spec as validated, before defaults: what the user wrote (and its `usage` assumptions). */
  readonly spec: ValidSpec['spec'];
  /** Positions of every key and value, so findings point at `file:line:col`. */
  readonly sourceMap: ValidSpec['sourceMap'];
}

/** The same stages as {@link compileSpec}, also returning the validated spec and its source map. */
export function analyzeSpec(
  file: string,
  bytes: Uint8Array,
  files: SpecFiles = nodeSpecFiles(file),
): AnalyzedSpec {
  const valid = checkSpec(validateSpec(loadSpec(file, bytes)), undefined, files);
  return {
    file,
    resolved: normalizeSpec(valid),
    environments: resolveEnvironments(valid, files),
    spec: valid.spec,
    sourceMap: valid.sourceMap,
  };
}

/** Reads a spec file; I/O problems become UsageErrors (exit code 2), not stack traces. */
export function readSpecFile(path: string): Uint8Array {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new UsageError(`${path} is a directory; give the path of a pipeline.yaml`);
    size = st.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new IoError('read', path, e);
  }
  // Refuse before reading a huge file into memory; loadSpec repeats the check for callers with bytes.
  if (size > MAX_SPEC_BYTES) throw tooLarge(path, size);
  try {
    return readFileSync(path);
  } catch (e) {
    throw new IoError('read', path, e);
  }
}

/** The one diagnostic for a spec over the size limit. */
function tooLarge(file: string, size: number): SpecError {
  return new SpecError([
    {
      file,
      line: 1,
      col: 1,
      path: '',
      message: `file is ${size} bytes; a spec may be at most ${MAX_SPEC_BYTES} bytes`,
    },
  ]);
}

/** The name diagnostics give a spec read from standard input (`pipeform validate -`). */
export const STDIN_NAME = '<stdin>';

/**
 * Reads a spec from standard input (file descriptor 0) for the CLI's `-` argument. The
 * diagnostics name it {@link STDIN_NAME}; since `<stdin>` has no directory, the files it
 * names resolve against the working directory.
 */
export function readSpecStdin(read: () => Uint8Array = () => readFileSync(0)): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = read();
  } catch (e) {
    throw new IoError('read', STDIN_NAME, e);
  }
  if (bytes.length > MAX_SPEC_BYTES) throw tooLarge(STDIN_NAME, bytes.length);
  return bytes;
}

export { checkRules, checkSpec, type CheckRule } from './check';
export { formatDiagnostic, IoError, SpecError, UsageError, type Diagnostic } from './diagnostics';
export { loadSpec } from './load';
export { nodeSpecFiles, type SpecFiles } from './spec-files';
export { normalizeSpec } from './normalize';
export { validateSpec } from './validate';
