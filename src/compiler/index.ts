import { readFileSync, statSync } from 'node:fs';
import type { ResolvedSpec } from '../model/resolved';
import { checkSpec } from './check';
import { SpecError, UsageError } from './diagnostics';
import { loadSpec, MAX_SPEC_BYTES } from './load';
import { normalizeSpec } from './normalize';
import { validateSpec } from './validate';

/** Everything the stages before build produce for one spec file. */
export interface CompiledSpec {
  readonly file: string;
  readonly resolved: ResolvedSpec;
}

/**
 * The pure front half of the compiler: load -> validate -> check -> normalize. Throws a
 * SpecError listing every problem found by the first stage that found any.
 */
export function compileSpec(file: string, bytes: Uint8Array): CompiledSpec {
  const loaded = loadSpec(file, bytes);
  const valid = checkSpec(validateSpec(loaded));
  return { file, resolved: normalizeSpec(valid) };
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
    throw new UsageError(
      `cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
    );
  }
  // Refuse before reading a huge file into memory; loadSpec repeats the check for callers with bytes.
  if (size > MAX_SPEC_BYTES) {
    throw new SpecError([
      {
        file: path,
        line: 1,
        col: 1,
        path: '',
        message: `file is ${size} bytes; a spec may be at most ${MAX_SPEC_BYTES} bytes`,
      },
    ]);
  }
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

export { checkRules, checkSpec, type CheckRule } from './check';
export { formatDiagnostic, SpecError, UsageError, type Diagnostic } from './diagnostics';
export { loadSpec } from './load';
export { normalizeSpec } from './normalize';
export { validateSpec } from './validate';
