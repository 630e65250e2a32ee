import type { ResolvedSpec } from '../model/resolved';
import { checkSpec } from './check';
import { loadSpec } from './load';
import { normalizeSpec } from './normalize';
import { nodeSpecFiles, type SpecFiles } from './spec-files';
import { validateSpec, type ValidSpec } from './validate';

/**
 * A pipeline name of the same length as `name` that no spec text, hash or AWS literal
 * contains: only letters outside hex (hashes are hex) in a pattern no word has. Because
 * its length is the name's, every name derived from it is cut at the same places as the
 * real one, so the two compiles line up character for character (src/synth/module-prefix.ts).
 */
export function standInName(name: string): string {
  const pattern = 'zqxjkwvz';
  let out = '';
  while (out.length < name.length) out += pattern;
  return out.slice(0, name.length);
}

/** The spec normalized as if its name were {@link standInName}: what of it derives from the name. */
export function standInOf(valid: ValidSpec): ResolvedSpec {
  return normalizeSpec({ ...valid, spec: { ...valid.spec, name: standInName(valid.spec.name) } });
}

/**
 * The front half of the compiler for a module's `name_prefix`: the spec (checked as
 * written) normalized under its stand-in name. Pair it with `compileSpec(...).resolved`
 * and hand both to `synthesizeModule` (`options.standIn`).
 */
export function compileStandIn(
  file: string,
  bytes: Uint8Array,
  files: SpecFiles = nodeSpecFiles(file),
): ResolvedSpec {
  return standInOf(checkSpec(validateSpec(loadSpec(file, bytes)), undefined, files));
}
