import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload, type SourceMapping } from 'node:module';
import { dirname, resolve } from 'node:path';

/**
 * Rewrites the frames of `stack` that point into `bundle` (one of pipeform's esbuild bundles,
 * dist/bundle/*.js) to the sources they were built from (src/*.ts, node_modules/*), through
 * the bundle's linked source map. Read only when a stack is printed: enabling source maps
 * for the whole process parses every map at load (docs/benchmarks.md).
 */
export function sourceStack(stack: string, bundle: string): string {
  let map: SourceMap;
  try {
    map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')) as SourceMapPayload);
  } catch {
    return stack; // no map (or a broken one): the bundle's own positions are still true
  }
  const frame = new RegExp(`${bundle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+)`, 'g');
  return stack.replace(frame, (whole, line: string, column: string) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as Partial<SourceMapping>;
    if (
      entry.originalSource === undefined ||
      entry.originalLine === undefined ||
      entry.originalColumn === undefined
    )
      return whole;
    return `${resolve(dirname(bundle), entry.originalSource)}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}
