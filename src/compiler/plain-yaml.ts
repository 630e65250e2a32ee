/**
 * A fast reader for the plain YAML that specs are written in, used by the load stage before
 * the `yaml` package. Why: `yaml` is exact but slow to start: its first parse of the
 * complete example (12 kB) is ~28 ms of a ~170 ms `pipeform validate`, nearly all of it
 * V8 warming up a general YAML 1.2 parser. This reader handles only a subset (the block
 * mappings, block sequences, one-line flow collections, quoted, plain and block scalars
 * and comments that specs use) in one pass over the lines, and gives up on anything else.
 *
 * The contract: for any text, `readPlainYaml` either returns `undefined` (outside the
 * subset: the caller parses with `yaml`), or returns exactly what `yaml`'s `parseDocument`
 * with the load stage's options and `toJS()` return, for a text `yaml` reads without
 * errors. Giving up is always safe, so the reader gives up on every construct it does not
 * fully model: tags, anchors, aliases, block scalars beyond the plain `|`, `|-`, `>` and
 * `>-`, multi-line quoted scalars, multi-line flow collections, escapes, explicit,
 * non-string or duplicate keys, directives and document markers, tabs and carriage
 * returns, deep nesting and long lines. test/plain-yaml.test.ts checks the contract against
 * `yaml` on every example and fixture, a table of scalars, and seeded random and mutated
 * documents.
 *
 * A second YAML library (js-yaml) was measured (~9 ms for the same parse) and not taken:
 * its results differ from `yaml`'s at the edges (a `~` key becomes "null", `[a]: x` the key
 * "a", aliases share objects, different strict-mode errors), so it would need a gate that
 * recognizes the same subset this reader parses.
 */

/** Scalars resolved as YAML 1.2's core schema does, in the `yaml` package's tag order. */
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/**
 * The value of a plain scalar under the core schema, converted as `yaml` converts it
 * (`parseInt` and `parseFloat`, so large integers round the same way).
 */
export function resolvePlainScalar(s: string): unknown {
  if (NULL.test(s)) return null;
  if (BOOL.test(s)) return s[0] === 't' || s[0] === 'T';
  if (INT_OCT.test(s)) return parseInt(s.substring(2), 8);
  if (INT.test(s)) return parseInt(s, 10);
  if (INT_HEX.test(s)) return parseInt(s.substring(2), 16);
  if (FLOAT_NAN.test(s)) {
    if (s.slice(-3).toLowerCase() === 'nan') return NaN;
    return s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  return s;
}

/**
 * Characters the reader refuses anywhere: controls other than the line feed (tabs and
 * carriage returns included: `yaml`'s rules for them are subtle), DEL and C1 controls, the
 * Unicode line and paragraph separators, a byte order mark past the start and noncharacters.
 */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const REFUSED_CHARACTERS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/;

/**
 * A plain key: a name, path or `--flag`, never a number, boolean or null (those resolve to
 * other types, whose keys `yaml` and this reader would have to stringify alike).
 */
const PLAIN_KEY = /^(?:--?[A-Za-z0-9_]|[A-Za-z0-9_./$])[A-Za-z0-9_./$-]*/;

/** Longest line the reader takes: `yaml` limits implicit keys to 1024 characters. */
const MAX_LINE = 1000;
/**
 * Deepest nesting the reader takes, of block collections and, apart, of one line's flow
 * collections (specs nest about ten levels): `yaml` recurses per level and reports a
 * document ~1,000 levels deep as an error when its stack runs out.
 */
export const MAX_PLAIN_DEPTH = 64;

/**
 * `s` without its leading spaces. Only U+0020: YAML's indentation and separation are spaces
 * (and tabs, refused here), so `trimStart`'s other Unicode spaces (U+00A0, U+3000, ...) are
 * content, kept in keys and values as `yaml` keeps them.
 */
function spacesOff(s: string): string {
  let i = 0;
  while (s.charCodeAt(i) === 0x20) i++;
  return i === 0 ? s : s.slice(i);
}

/** Thrown inside the reader when the text leaves the subset; never escapes it. */
class Outside extends Error {}

function outside(): never {
  throw new Outside();
}

interface Line {
  /** Column of the first content character. */
  indent: number;
  /** The line from its first content character on, without trailing spaces. */
  body: string;
  /** Index of the line in the text (block scalars read the raw lines after it). */
  row: number;
}

/**
 * Reads `text` if it is in the subset; `undefined` means "not in the subset" (never "wrong":
 * the caller's full parser decides that).
 */
export function readPlainYaml(text: string): Record<string, unknown> | undefined {
  if (REFUSED_CHARACTERS.test(text)) return undefined;
  const raw = text.split('\n');
  const lines: Line[] = [];
  for (let row = 0; row < raw.length; row++) {
    if (raw[row].length > MAX_LINE) return undefined;
    const body = spacesOff(raw[row]);
    if (body === '' || body[0] === '#') continue;
    lines.push({ indent: raw[row].length - body.length, body: body.replace(/ +$/, ''), row });
  }
  if (lines.length === 0 || lines[0].indent !== 0) return undefined;
  try {
    const reader = new Reader(lines, raw);
    const top = reader.mapping(0);
    return reader.done() ? top : undefined;
  } catch (e) {
    if (e instanceof Outside) return undefined;
    throw e;
  }
}

class Reader {
  private i = 0;

  constructor(
    private readonly lines: Line[],
    private readonly raw: readonly string[],
  ) {}

  done(): boolean {
    return this.i === this.lines.length;
  }

  private isSequenceItem(line: Line): boolean {
    return line.body === '-' || line.body.startsWith('- ');
  }

  /** Block levels open, the top-level mapping included. */
  private depth = 1;

  /** The block node whose first line is the current one, at the current line's indent. */
  private block(): unknown {
    const line = this.lines[this.i];
    if (++this.depth > MAX_PLAIN_DEPTH) outside();
    const node = this.isSequenceItem(line) ? this.sequence(line.indent) : this.mapping(line.indent);
    this.depth--;
    return node;
  }

  /** The value of `key:` or `-` with nothing after it: a nested block, or null. */
  private nested(parentIndent: number): unknown {
    const next = this.lines[this.i];
    if (next === undefined || next.indent <= parentIndent) return null;
    return this.block();
  }

  /**
   * The value of `key:` with nothing after it, where a sequence may also start at the key's
   * own indent (`key:` then `- item` below it, as many YAML writers indent).
   */
  private keyValue(keyIndent: number): unknown {
    const next = this.lines[this.i];
    if (next === undefined || next.indent !== keyIndent || !this.isSequenceItem(next)) {
      return this.nested(keyIndent);
    }
    if (++this.depth > MAX_PLAIN_DEPTH) outside();
    const node = this.sequence(keyIndent, true);
    this.depth--;
    return node;
  }

  /** After a one-line value, a deeper line would continue it (or be an error). */
  private endOfValue(parentIndent: number): void {
    const next = this.lines[this.i];
    if (next !== undefined && next.indent > parentIndent) outside();
  }

  mapping(indent: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    while (this.i < this.lines.length) {
      const line = this.lines[this.i];
      if (line.indent < indent) break;
      if (line.indent > indent || this.isSequenceItem(line)) outside();
      const { key, rest } = splitKey(line.body);
      if (key === '__proto__' || Object.prototype.hasOwnProperty.call(result, key)) outside();
      this.i++;
      if (isEmptyRest(rest)) {
        result[key] = this.keyValue(indent);
      } else {
        result[key] = this.value(rest, indent, line.row);
        this.endOfValue(indent);
      }
    }
    return result;
  }

  /** A block sequence; `atKeyIndent`: one at its key's indent, which the next key ends. */
  sequence(indent: number, atKeyIndent = false): unknown[] {
    const result: unknown[] = [];
    while (this.i < this.lines.length) {
      const line = this.lines[this.i];
      if (line.indent < indent) break;
      if (atKeyIndent && line.indent === indent && !this.isSequenceItem(line)) break;
      if (line.indent > indent || !this.isSequenceItem(line)) outside();
      const rest = line.body.slice(1);
      if (isEmptyRest(rest)) {
        this.i++;
        result.push(this.nested(indent));
        continue;
      }
      const content = spacesOff(rest);
      const column = indent + 1 + (rest.length - content.length);
      if (content === '-' || content.startsWith('- ')) outside();
      if (startsMappingEntry(content)) {
        // `- key: value`: a mapping whose keys line up with this first one.
        this.lines[this.i] = { indent: column, body: content, row: line.row };
        result.push(this.mapping(column));
      } else {
        this.i++;
        result.push(this.value(content, indent, line.row));
        this.endOfValue(indent);
      }
    }
    return result;
  }

  /**
   * A value on its key's or dash's line: a block scalar's header, a plain scalar that goes on
   * over more-indented lines, or a one-line value.
   */
  private value(rest: string, parentIndent: number, row: number): unknown {
    const header = /^ *([|>])(-?)(?: +#.*)?$/.exec(rest);
    if (header) return this.blockScalar(header[1] === '>', header[2] === '-', parentIndent, row);
    const next = this.lines[this.i];
    if (next === undefined || next.indent <= parentIndent) return inlineValue(rest);
    const first = plainLine(spacesOff(rest));
    if (first === undefined) outside();
    return resolvePlainScalar(this.plainContinued(first, parentIndent, row));
  }

  /**
   * A multi-line plain scalar: its more-indented lines are folded onto the first, a line
   * break to a space, each blank line to a line feed. Comments, or lines that start like
   * another node, are left to `yaml`.
   */
  private plainContinued(first: string, parentIndent: number, row: number): string {
    let value = first;
    let blanks = 0;
    let end = row + 1;
    for (; end < this.raw.length; end++) {
      const line = this.raw[end];
      if (line === '') {
        blanks++;
        continue;
      }
      const body = spacesOff(line);
      if (body === '') outside();
      if (line.length - body.length <= parentIndent) break;
      const text = plainLine(body.replace(/ +$/, ''));
      if (text === undefined) outside();
      value += blanks > 0 ? '\n'.repeat(blanks) + text : ` ${text}`;
      blanks = 0;
    }
    while (this.i < this.lines.length && this.lines[this.i].row < end) this.i++;
    return value;
  }

  /**
   * A literal (`|`) or folded (`>`) block scalar, clipped or stripped (`-`), whose lines
   * start at one indentation: no indentation indicator, `+` chomping, leading or
   * space-only blank lines, or (folded) more-indented lines, whose rules are subtle.
   */
  private blockScalar(folded: boolean, strip: boolean, parentIndent: number, row: number): string {
    const first = this.raw[row + 1];
    const blockIndent = first === undefined ? 0 : first.length - spacesOff(first).length;
    if (first === undefined || blockIndent === first.length || blockIndent <= parentIndent) outside();
    const content: string[] = [];
    let end = row + 1;
    for (; end < this.raw.length; end++) {
      const line = this.raw[end];
      if (line === '') {
        content.push('');
        continue;
      }
      const indent = line.length - spacesOff(line).length;
      if (indent === line.length) outside();
      if (indent < blockIndent) break;
      const text = line.slice(blockIndent);
      if (folded && text[0] === ' ') outside();
      content.push(text);
    }
    while (content[content.length - 1] === '') content.pop();
    // Skip the lines of the scalar (comment-looking ones included: they are its text).
    while (this.i < this.lines.length && this.lines[this.i].row < end) this.i++;
    let value: string;
    if (folded) {
      value = '';
      for (let k = 0; k < content.length; k++) {
        const line = content[k];
        if (k === 0) value = line;
        else if (line === '') value += '\n';
        else value += content[k - 1] === '' ? line : ` ${line}`;
      }
    } else {
      value = content.join('\n');
    }
    return strip ? value : `${value}\n`;
  }
}

/** True when nothing but an optional comment follows (`key:` or `-` then a block). */
function isEmptyRest(rest: string): boolean {
  return rest === '' || (rest[0] === ' ' && /^ +(?:#.*)?$/.test(rest));
}

/** True when a sequence item's content is a `key: ...` entry. */
function startsMappingEntry(content: string): boolean {
  const c = content[0];
  if (c === '"' || c === "'") {
    const end = quotedEnd(content, 0);
    return end > 0 && content[end] === ':' && /^(?: |$)/.test(content.slice(end + 1));
  }
  const m = PLAIN_KEY.exec(content);
  return m !== null && content[m[0].length] === ':' && /^(?: |$)/.test(content.slice(m[0].length + 1));
}

/** A mapping entry's key and what follows its colon. */
function splitKey(body: string): { key: string; rest: string } {
  let key: string;
  let end: number;
  const c = body[0];
  if (c === '"' || c === "'") {
    end = quotedEnd(body, 0);
    if (end < 0) outside();
    key = quoted(body, 0, end);
  } else {
    const m = PLAIN_KEY.exec(body);
    if (m === null) outside();
    key = m[0];
    end = key.length;
    if (typeof resolvePlainScalar(key) !== 'string') outside();
  }
  if (body[end] !== ':') outside();
  const rest = body.slice(end + 1);
  if (rest !== '' && rest[0] !== ' ') outside();
  return { key, rest };
}

/**
 * Index just past the closing quote of the quoted scalar starting at `start`, or -1 when it
 * does not close on this line or uses an escape (double quotes) the reader does not model.
 */
function quotedEnd(s: string, start: number): number {
  const q = s[start];
  for (let j = start + 1; j < s.length; j++) {
    const c = s[j];
    if (q === '"' && c === '\\') return -1;
    if (c !== q) continue;
    if (q === "'" && s[j + 1] === "'") {
      j++;
      continue;
    }
    return j + 1;
  }
  return -1;
}

/** The value of the quoted scalar `s[start, end)`. */
function quoted(s: string, start: number, end: number): string {
  const inner = s.slice(start + 1, end - 1);
  return s[start] === "'" ? inner.replace(/''/g, "'") : inner;
}

/** Nothing, or spaces then a comment, may follow a quoted scalar or flow collection. */
function assertTail(s: string, from: number): void {
  const tail = s.slice(from);
  if (tail !== '' && !/^ +(?:#.*)?$/.test(tail)) outside();
}

/** Characters a plain scalar may not start with (YAML's indicators, less `-`, `?`, `:`). */
const INDICATOR_START = /^[,[\]{}#&*!|>'"%@`]/;

/** A one-line value after `key: ` or `- `: a quoted or plain scalar or a flow collection. */
function inlineValue(s: string): unknown {
  const rest = spacesOff(s);
  const c = rest[0];
  if (c === '"' || c === "'") {
    const end = quotedEnd(rest, 0);
    if (end < 0) outside();
    assertTail(rest, end);
    return quoted(rest, 0, end);
  }
  if (c === '[' || c === '{') {
    const flow = new FlowReader(rest);
    const value = flow.node();
    assertTail(rest, flow.pos);
    return value;
  }
  const comment = rest.indexOf(' #');
  const plain = plainLine((comment < 0 ? rest : rest.slice(0, comment)).replace(/ +$/, ''));
  if (plain === undefined) outside();
  return resolvePlainScalar(plain);
}

/**
 * `text` (no leading or trailing spaces) if it is one line of a plain scalar without a
 * comment: no indicator first (nor `-`, `?` or `:` then a space), no `: ` or ` #` in it (`a: b: c` is an error, `a: b #c`
 * ends in a comment) and no `:` last (`a: b:` is an odd key).
 */
function plainLine(text: string): string | undefined {
  if (text === '' || INDICATOR_START.test(text) || /^(?:[?:]|-(?: |$))/.test(text)) return undefined;
  if (text.includes(': ') || text.includes(' #') || text.endsWith(':')) return undefined;
  return text;
}

/** One flow collection on one line: `[a, 'b', {c: d}]`, `{ bucket: raw, prefix: x/ }`. */
class FlowReader {
  pos = 0;
  private depth = 0;

  constructor(private readonly s: string) {}

  private spaces(): void {
    while (this.s[this.pos] === ' ') this.pos++;
  }

  node(): unknown {
    this.spaces();
    const c = this.s[this.pos];
    if (c === '[') return this.collection(']');
    if (c === '{') return this.collection('}');
    if (c === '"' || c === "'") {
      const end = quotedEnd(this.s, this.pos);
      if (end < 0) outside();
      const value = quoted(this.s, this.pos, end);
      this.pos = end;
      return value;
    }
    return resolvePlainScalar(this.plain());
  }

  /** A plain scalar inside a flow collection: no indicators, implicit keys or comments in it. */
  private plain(): string {
    const start = this.pos;
    while (this.pos < this.s.length && !',[]{}'.includes(this.s[this.pos])) this.pos++;
    const text = this.s.slice(start, this.pos).replace(/ +$/, '');
    if (text === '' || INDICATOR_START.test(text) || /^(?:[?:]|-(?: |$))/.test(text)) outside();
    // A colon followed by a space or indicator would be an implicit key; `https://x` is not.
    if (/:(?:[ ,[\]{}]|$)/.test(text) || text.includes('#')) outside();
    return text;
  }

  private key(): string {
    this.spaces();
    const c = this.s[this.pos];
    let key: string;
    if (c === '"' || c === "'") {
      const end = quotedEnd(this.s, this.pos);
      if (end < 0) outside();
      key = quoted(this.s, this.pos, end);
      this.pos = end;
    } else {
      const m = PLAIN_KEY.exec(this.s.slice(this.pos));
      if (m === null) outside();
      key = m[0];
      this.pos += key.length;
      if (typeof resolvePlainScalar(key) !== 'string') outside();
    }
    if (this.s[this.pos] !== ':' || this.s[this.pos + 1] !== ' ') outside();
    this.pos += 2;
    return key;
  }

  private collection(close: ']' | '}'): unknown {
    if (++this.depth > MAX_PLAIN_DEPTH) outside();
    this.pos++;
    const isMap = close === '}';
    const map: Record<string, unknown> = {};
    const seq: unknown[] = [];
    this.spaces();
    if (this.s[this.pos] === close) {
      this.pos++;
      this.depth--;
      return isMap ? map : seq;
    }
    for (;;) {
      if (isMap) {
        const key = this.key();
        if (key === '__proto__' || Object.prototype.hasOwnProperty.call(map, key)) outside();
        this.spaces();
        if (this.s[this.pos] === ',' || this.s[this.pos] === '}') outside();
        map[key] = this.node();
      } else {
        seq.push(this.node());
      }
      this.spaces();
      const c = this.s[this.pos];
      this.pos++;
      if (c === close) {
        this.depth--;
        return isMap ? map : seq;
      }
      if (c !== ',') outside();
      this.spaces();
      // A trailing comma, or an empty entry, is left to `yaml`.
      if (this.s[this.pos] === ',' || this.s[this.pos] === close) outside();
    }
  }
}
