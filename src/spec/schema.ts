import schemaJson from '../../schemas/pipeline.schema.json';

/** The pipeline spec's JSON Schema (draft-07): the single source of the spec's shape. */
export const pipelineSchema: Record<string, unknown> = schemaJson;

/** The schema's `$id` (an identifier: modelines name schemas/pipeline.editor.schema.json by path). */
export const SCHEMA_ID: string = schemaJson.$id;

/** Spec format versions this pipeform understands. */
export const SUPPORTED_API_VERSIONS: readonly string[] = schemaJson.properties.apiVersion.enum;

/**
 * Inclusive bounds of a model package version number (`registry.version`): read from the
 * schema, so the check stage, the build and the serving deploy's input check agree with it.
 */
export const REGISTRY_VERSION_RANGE: readonly [number, number] = (() => {
  const integer = schemaJson.definitions.servingRegistryModel.properties.version.anyOf[0] as {
    minimum: number;
    maximum: number;
  };
  return [integer.minimum, integer.maximum];
})();

/** One `default` the schema documents: where it sits (a JSON pointer to its schema node) and its value. */
export interface SchemaDefault {
  /** The JSON pointer of the schema node holding the default, e.g. `#/definitions/training/properties/spot`. */
  readonly pointer: string;
  readonly value: unknown;
}

/** Keywords whose value maps names to schemas (a key there is a name, never the `default` keyword). */
const SCHEMA_MAPS = new Set(['properties', 'definitions', 'patternProperties', 'dependencies']);
/** Keywords whose value is data, not schemas (a `default` key inside them is not a default). */
const SCHEMA_DATA = new Set(['default', 'enum', 'const', 'examples']);

const escapePointer = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Every `default` in the schema, in document order. The test in test/schema-defaults.test.ts
 * walks this list, so a default added to the schema must be accounted for there.
 */
export function schemaDefaults(schema: unknown = pipelineSchema): readonly SchemaDefault[] {
  const found: SchemaDefault[] = [];
  const walk = (node: unknown, pointer: string, isMap: boolean): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, `${pointer}/${i}`, false));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (!isMap && 'default' in record) found.push({ pointer, value: record.default });
    for (const [key, value] of Object.entries(record)) {
      if (!isMap && SCHEMA_DATA.has(key)) continue;
      walk(value, `${pointer}/${escapePointer(key)}`, !isMap && SCHEMA_MAPS.has(key));
    }
  };
  walk(schema, '#', false);
  return found;
}

const defaultsByPointer: ReadonlyMap<string, unknown> = new Map(
  schemaDefaults().map((d) => [d.pointer, d.value]),
);

/** A definition of the schema, by its key under `definitions`. */
export type SchemaDefinition = keyof typeof schemaJson.definitions;

/**
 * The JSON pointer of a property's schema node: `schemaPointer('servingAutoscaling',
 * 'targetInvocationsPerInstance')` is `#/definitions/servingAutoscaling/properties/targetInvocationsPerInstance`,
 * and more names go down nested `properties` (`schemaPointer('trainingBaseModel', 'jumpstart', 'acceptEula')`).
 * The one pointer builder the catalogs share with {@link schemaDefault}, so the two cannot
 * disagree about how a pointer is spelled; the definition name is checked by the compiler.
 */
export function schemaPointer(definition: SchemaDefinition, ...properties: readonly string[]): string {
  return [`#/definitions/${escapePointer(definition)}`, ...properties.map(escapePointer)].join(
    '/properties/',
  );
}

/** What a default's value is, by the name {@link schemaDefault} takes. */
interface DefaultKinds {
  number: number;
  boolean: boolean;
  string: string;
  strings: readonly string[];
}

const isKind: { readonly [K in keyof DefaultKinds]: (v: unknown) => boolean } = {
  number: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  string: (v) => typeof v === 'string',
  strings: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
};

/**
 * The `default` the schema documents at `pointer` (the property's schema node, e.g.
 * `#/definitions/servingAutoscaling/properties/targetInvocationsPerInstance`), so code that
 * needs a default reads it instead of restating it. Throws when the pointer holds no default
 * or one of another kind: catalogs call it at module load, so a renamed or removed schema
 * default fails every test at once instead of silently drifting.
 */
export function schemaDefault<K extends keyof DefaultKinds>(pointer: string, kind: K): DefaultKinds[K] {
  if (!defaultsByPointer.has(pointer)) {
    throw new Error(`internal: the schema documents no default at ${pointer}`);
  }
  const value = defaultsByPointer.get(pointer);
  if (!isKind[kind](value)) {
    throw new Error(
      `internal: the schema's default at ${pointer} is ${JSON.stringify(value)}, not a ${kind}`,
    );
  }
  return value as DefaultKinds[K];
}

/**
 * The string `default` at `pointer`, checked against the choices the caller's type allows
 * (a union such as an endpoint type), so the result is typed without a cast.
 */
export function schemaChoiceDefault<T extends string>(pointer: string, choices: readonly T[]): T {
  const value = schemaDefault(pointer, 'string');
  const choice = choices.find((c) => c === value);
  if (choice === undefined) {
    throw new Error(
      `internal: the schema's default at ${pointer} is ${JSON.stringify(value)}, not one of ${choices.join(', ')}`,
    );
  }
  return choice;
}
