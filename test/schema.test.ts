import { spawnSync } from 'node:child_process';
import Ajv from 'ajv';
import { pipelineSchema } from '../src/spec/schema';
import { everySubschema } from './harness/schema';
import { ROOT } from './harness/spec';

type Schema = Record<string, unknown>;

/** Every subschema with its JSON pointer. */
function* walk(schema: unknown, at = '#'): Generator<[string, Schema]> {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return;
  const s = schema as Schema;
  yield [at, s];
  for (const [k, v] of Object.entries((s.properties as Schema) ?? {}))
    yield* walk(v, `${at}/properties/${k}`);
  for (const [k, v] of Object.entries((s.definitions as Schema) ?? {}))
    yield* walk(v, `${at}/definitions/${k}`);
  if (typeof s.additionalProperties === 'object')
    yield* walk(s.additionalProperties, `${at}/additionalProperties`);
  if (s.items) yield* walk(s.items, `${at}/items`);
}

describe('schemas/pipeline.schema.json', () => {
  test('is draft-07 with an $id and examples', () => {
    expect(pipelineSchema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(pipelineSchema.$id).toMatch(/^https:\/\//);
    expect(Array.isArray(pipelineSchema.examples)).toBe(true);
  });

  test('compiles in strict mode and accepts its own examples', () => {
    const validate = new Ajv({ strict: true, allErrors: true }).compile(pipelineSchema);
    for (const example of pipelineSchema.examples as unknown[]) expect(validate(example)).toBe(true);
  });

  test('every property has a description', () => {
    const missing: string[] = [];
    for (const [at, s] of walk(pipelineSchema)) {
      for (const [k, v] of Object.entries((s.properties as Record<string, Schema>) ?? {})) {
        const target = v.$ref ? resolveRef(v.$ref as string) : v;
        if (!v.description && !target.description) missing.push(`${at}/properties/${k}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('every object forbids unknown keys', () => {
    const open: string[] = [];
    for (const [at, s] of walk(pipelineSchema)) {
      if (
        s.type === 'object' &&
        s.additionalProperties !== false &&
        typeof s.additionalProperties !== 'object'
      )
        open.push(at);
    }
    expect(open).toEqual([]);
  });

  test('no S3 key or prefix pattern admits "*" or "?" (IAM reads them as wildcards, S3 as characters)', () => {
    const keyLike = /prefix|key|suffix/i;
    // Named like a key, but not an S3 key: the key inside a JSON secret, never in a policy.
    const notS3 = new Set(['#/definitions/secretRef/properties/jsonKey']);
    const probes = ['a*/', 'a?/', '*/', 'a/*', 'a*', 'a?', 'a/b?.py', 'a/*.py'];
    const checked: string[] = [];
    const open: string[] = [];
    for (const [at, s] of everySubschema(pipelineSchema)) {
      for (const [name, v] of Object.entries((s.properties as Record<string, Schema>) ?? {})) {
        if (!keyLike.test(name) || v.type !== 'string' || typeof v.pattern !== 'string') continue;
        if (notS3.has(`${at}/properties/${name}`)) continue;
        checked.push(name);
        const re = new RegExp(v.pattern, 'u');
        const admitted = probes.filter((p) => re.test(p));
        if (admitted.length > 0) open.push(`${at}/properties/${name} admits ${admitted.join(' ')}`);
      }
    }
    expect(open).toEqual([]);
    // dataLocation/dataObject, trigger filters, training locations, serving artifacts, state key, ...
    expect(checked.length).toBeGreaterThanOrEqual(10);
  });

  test('the generated TypeScript types are fresh', () => {
    const r = spawnSync(process.execPath, ['scripts/gen-types.mjs', '--check'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

function resolveRef(ref: string): Schema {
  return ref
    .slice(2)
    .split('/')
    .reduce<Schema>((node, part) => node[part] as Schema, pipelineSchema as Schema);
}
