/** Walking the JSON Schema in tests. */

export type Schema = Record<string, unknown>;

/**
 * Every subschema wherever it sits (properties, definitions, items, anyOf, ...), with its
 * JSON pointer; values that are data, not schemas (examples, defaults, enums), are skipped.
 */
export function* everySubschema(node: unknown, at = '#'): Generator<[string, Schema]> {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) yield* everySubschema(node[i], `${at}/${i}`);
    return;
  }
  const s = node as Schema;
  yield [at, s];
  for (const [k, v] of Object.entries(s))
    if (!['examples', 'default', 'enum', 'const', 'required'].includes(k))
      yield* everySubschema(v, `${at}/${k}`);
}
