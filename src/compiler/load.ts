import type { LineCounter, YAMLError } from 'yaml';
import { SpecError, type Diagnostic } from './diagnostics';
import { readPlainYaml } from './plain-yaml';
import { SourceMap, parseYaml } from './source-map';

export { LOAD_YAML_OPTIONS } from './source-map';

/** Specs are hand-written: anything near this size is a mistake (or an attack). */
export const MAX_SPEC_BYTES = 1024 * 1024;
/** Aliases a spec may expand; a handful is plenty, thousands is an alias bomb. */
export const MAX_ALIAS_COUNT = 50;

/** The output of the load stage: plain data plus the positions of everything in it. */
export interface LoadedSpec {
  /** The spec file as the user named it (used in messages). */
  readonly file: string;
  /** The parsed YAML as plain JSON-compatible data. */
  readonly data: unknown;
  /** Positions of every key and value. */
  readonly sourceMap: SourceMap;
}

/**
 * Load stage: bytes -> data with source positions. Pure: the caller reads the file.
 * Rejects oversized input, non-UTF-8 or binary bytes, YAML syntax errors, duplicate keys,
 * alias bombs, and documents that are empty or not a mapping.
 */
export function loadSpec(file: string, bytes: Uint8Array): LoadedSpec {
  const fail = (message: string, hint?: string, line = 1, col = 1): never => {
    throw new SpecError([{ file, line, col, path: '', message, hint }]);
  };

  if (bytes.length > MAX_SPEC_BYTES) {
    fail(`file is ${bytes.length} bytes; a spec may be at most ${MAX_SPEC_BYTES} bytes`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const { line, col } = positionOfBadUtf8(bytes);
    return fail('file is not valid UTF-8 text', 'save the spec as UTF-8', line, col);
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const { line, col } = linePosOf(text, nul);
    fail('file contains NUL bytes: it looks binary, not YAML', undefined, line, col);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') {
    fail('file is empty', 'start from `pipeform init`, or see examples/quickstart/pipeline.yaml');
  }

  // Most specs are plain YAML: read them fast, and parse with `yaml` only when a position is
  // asked for (a diagnostic). Anything else goes to `yaml` now (src/compiler/plain-yaml.ts).
  const plain = readPlainYaml(text);
  if (plain !== undefined) return { file, data: plain, sourceMap: SourceMap.lazy(text) };

  const { doc, lineCounter } = parseYaml(text);
  const yamlErrors: Diagnostic[] = doc.errors.map((e) => yamlDiagnostic(file, lineCounter, e));
  if (yamlErrors.length > 0) throw new SpecError(yamlErrors);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // The yaml package throws a ReferenceError when alias expansion exceeds the cap.
    const message = e instanceof Error ? e.message : String(e);
    if (/alias/i.test(message)) {
      fail(
        `YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} expansions): refusing a possible alias bomb`,
        'write the repeated values out, or use fewer aliases',
      );
    }
    fail(`cannot read YAML: ${message}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    fail('the spec must be a YAML mapping (key: value pairs) at the top level');
  }
  return { file, data, sourceMap: SourceMap.of(doc, lineCounter) };
}

function yamlDiagnostic(file: string, lc: LineCounter, e: YAMLError): Diagnostic {
  const { line, col } = lc.linePos(e.pos[0]);
  const firstLine = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (e.code === 'DUPLICATE_KEY') {
    return {
      file,
      line,
      col,
      path: '',
      message: 'duplicate key: a key may appear once per mapping',
      hint: 'remove or merge the repeated key',
    };
  }
  return { file, line, col, path: '', message: `YAML syntax error: ${firstLine}` };
}

function positionOfBadUtf8(bytes: Uint8Array): { line: number; col: number } {
  // Walk the byte structure to the first sequence that is not well-formed UTF-8: that is
  // where the user should look (TextDecoder only says that something is wrong).
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const need =
      b < 0x80
        ? 0
        : b >= 0xc2 && b <= 0xdf
          ? 1
          : b >= 0xe0 && b <= 0xef
            ? 2
            : b >= 0xf0 && b <= 0xf4
              ? 3
              : -1;
    let ok = need >= 0 && i + need < bytes.length;
    for (let k = 1; ok && k <= need; k++) ok = (bytes[i + k] & 0xc0) === 0x80;
    if (!ok) break;
    i += need + 1;
  }
  const text = new TextDecoder('utf-8').decode(bytes.subarray(0, i));
  return linePosOf(text, text.length);
}

function linePosOf(text: string, index: number): { line: number; col: number } {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  const col = index - before.lastIndexOf('\n');
  return { line, col };
}
