import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type Pair,
} from 'yaml';
import type { SourcePosition } from './diagnostics';

/** How specs are parsed: YAML 1.2 core schema, duplicate keys and strict-mode errors reported. */
export const LOAD_YAML_OPTIONS = { uniqueKeys: true, prettyErrors: false, strict: true } as const;

interface Parsed {
  readonly doc: Document.Parsed | undefined;
  readonly lineCounter: LineCounter;
}

/** Parses a spec's text with `yaml`, keeping every node's offsets and the line starts. */
export function parseYaml(text: string): { doc: Document.Parsed; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  return { doc: parseDocument(text, { ...LOAD_YAML_OPTIONS, lineCounter }), lineCounter };
}

/**
 * Maps spec paths back to `line:col` in the YAML text, so every later stage can point at
 * the exact key or value a problem comes from.
 */
export class SourceMap {
  private constructor(
    /** The parsed document; called only when a position is asked for (see `lazy`). */
    private readonly source: () => Parsed,
    /** Paths that exist under this prefix resolve there first (environment overrides). */
    private readonly overlay?: readonly (string | number)[],
  ) {}

  /** A source map over a document already parsed. */
  static of(doc: Document.Parsed, lineCounter: LineCounter): SourceMap {
    const parsed = { doc, lineCounter };
    return new SourceMap(() => parsed);
  }

  /**
   * A source map over text whose data was read without `yaml` (src/compiler/plain-yaml.ts):
   * the text is parsed the first time a position is asked for, which a valid spec never
   * needs, and once for this map and every overlay of it.
   */
  static lazy(text: string): SourceMap {
    let parsed: Parsed | undefined;
    return new SourceMap(() => (parsed ??= parseYaml(text)));
  }

  /** A source map for text that has no YAML document (e.g. a spec built in code). */
  static empty(): SourceMap {
    const parsed = { doc: undefined, lineCounter: new LineCounter() };
    return new SourceMap(() => parsed);
  }

  /**
   * A source map for a spec merged from the document and an override section at `prefix`
   * (e.g. `environments.prod`): a path the override sets points into the override.
   */
  withOverlay(prefix: readonly (string | number)[]): SourceMap {
    return new SourceMap(this.source, prefix);
  }

  /** True when the document has a node at `path`. */
  has(path: readonly (string | number)[]): boolean {
    const { doc } = this.source();
    if (doc === undefined) return false;
    let node: unknown = doc.contents;
    for (const segment of path) {
      const pair = findPair(node, segment);
      if (pair === undefined) return false;
      node = pair.value;
    }
    return true;
  }

  /**
   * Position of the value at `path`; with `key: true`, of the key naming it. A path that
   * does not exist resolves to its deepest existing ancestor, so a missing property is
   * reported at the object that should hold it.
   */
  positionOf(path: readonly (string | number)[], opts: { key?: boolean } = {}): SourcePosition {
    const { doc, lineCounter } = this.source();
    if (doc === undefined) return { line: 1, col: 1 };
    if (this.overlay && path.length > 0 && this.has([...this.overlay, ...path])) {
      return new SourceMap(this.source).positionOf([...this.overlay, ...path], opts);
    }
    let node: unknown = doc.contents;
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
    const { line, col } = lineCounter.linePos(offset);
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
