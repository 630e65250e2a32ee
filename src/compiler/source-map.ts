import { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node, type Pair } from 'yaml';
import type { SourcePosition } from './diagnostics';

/**
 * Maps spec paths back to `line:col` in the YAML text, so every later stage can point at
 * the exact key or value a problem comes from.
 */
export class SourceMap {
  constructor(
    private readonly doc: Document.Parsed | undefined,
    private readonly lineCounter: LineCounter,
    /** Paths that exist under this prefix resolve there first (environment overrides). */
    private readonly overlay?: readonly (string | number)[],
  ) {}

  /**
   * A source map for a spec merged from the document and an override section at `prefix`
   * (e.g. `environments.prod`): a path the override sets points into the override.
   */
  withOverlay(prefix: readonly (string | number)[]): SourceMap {
    return new SourceMap(this.doc, this.lineCounter, prefix);
  }

  /** True when the document has a node at `path`. */
  has(path: readonly (string | number)[]): boolean {
    if (this.doc === undefined) return false;
    let node: unknown = this.doc.contents;
    for (const segment of path) {
      const pair = findPair(node, segment);
      if (pair === undefined) return false;
      node = pair.value;
    }
    return true;
  }

  /** A source map for text that has no YAML document (e.g. a spec built in code). */
  static empty(): SourceMap {
    return new SourceMap(undefined, new LineCounter());
  }

  /**
   * Position of the value at `path`; with `key: true`, of the key naming it. A path that
   * does not exist resolves to its deepest existing ancestor, so a missing property is
   * reported at the object that should hold it.
   */
  positionOf(path: readonly (string | number)[], opts: { key?: boolean } = {}): SourcePosition {
    if (this.doc === undefined) return { line: 1, col: 1 };
    if (this.overlay && path.length > 0 && this.has([...this.overlay, ...path])) {
      return new SourceMap(this.doc, this.lineCounter).positionOf([...this.overlay, ...path], opts);
    }
    let node: unknown = this.doc.contents;
    let keyNode: Node | undefined;
    for (const segment of path) {
      const pair = findPair(node, segment);
      if (pair === undefined) {
        keyNode = undefined;
        break;
      }
      keyNode = isScalar(pair.key) ? pair.key : undefined;
      node = pair.value;
      if (isPair(pair) && pair.value === null) break;
    }
    const target = opts.key && keyNode ? keyNode : ((node as Node | null) ?? keyNode);
    const offset = target && Array.isArray(target.range) ? target.range[0] : 0;
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, col };
  }
}

/** The pair (or sequence item, as a pseudo-pair) for one path segment. */
function findPair(node: unknown, segment: string | number): Pick<Pair, 'key' | 'value'> | undefined {
  if (isMap(node)) {
    return node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { key: null, value: item };
  }
  return undefined;
}
