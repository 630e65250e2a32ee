import { createHash } from 'node:crypto';

/**
 * The collections open now ({@link withPreimages}): each records the text of every
 * {@link shortHash} computed while it is open. `null` marks a hash two different texts gave
 * (a collision of 8 hex characters), whose text is therefore unknown.
 */
const open: Map<string, string | null>[] = [];

/** The text {@link shortHash} hashes: JSON with object keys sorted and undefined members left out. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A short, stable hash of a value (keys sorted), for names that must change when it does:
 * the first 8 hex characters of the SHA-256 of {@link stableJson}. Terraform's
 * `substr(sha256("<the same text>"), 0, 8)` gives the same characters, which is what lets a
 * shared environment module compute a name from its inputs (environment-roots.ts).
 */
export function shortHash(value: unknown): string {
  return hashText(stableJson(value));
}

/** {@link shortHash} of a text as it is (no JSON): the first 8 hex characters of its SHA-256. */
export function hashText(text: string): string {
  return record(sha256Hex(text).slice(0, 8), text);
}

/**
 * The SHA-256 of a text in hex (all 64 characters, as Terraform's `sha256`), recorded like
 * {@link shortHash}: for a value that must change with the text and is no name (a trigger).
 */
export function fullHash(text: string): string {
  return record(sha256Hex(text), text);
}

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

function record(hex: string, text: string): string {
  for (const preimages of open) {
    const seen = preimages.get(hex);
    preimages.set(hex, seen === undefined || seen === text ? text : null);
  }
  return hex;
}

/**
 * Runs `f` and returns, with its result, the text of each {@link shortHash} it computed
 * (hex => text), so a later stage can rebuild a hash from the same text with its literals
 * made inputs. Only what `f` computed is recorded, so the answer depends on `f` alone.
 * Hashes two texts gave are left out.
 */
export function withPreimages<T>(f: () => T): { result: T; preimages: Map<string, string> } {
  const preimages = new Map<string, string | null>();
  open.push(preimages);
  try {
    const result = f();
    return {
      result,
      preimages: new Map(
        [...preimages]
          .filter((e): e is [string, string] => e[1] !== null)
          .sort(([a], [b]) => (a < b ? -1 : 1)),
      ),
    };
  } finally {
    open.splice(open.lastIndexOf(preimages), 1);
  }
}
