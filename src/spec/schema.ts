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
