import type { ErrorObject, ValidateFunction } from 'ajv';
import { pipelineSchema } from '../spec/schema';
import type { PipelineSpec } from '../spec/types.generated';
import { SpecError, formatPath, sortDiagnostics, type Diagnostic } from './diagnostics';
import type { LoadedSpec } from './load';
import { didYouMean } from './suggest';

/** The output of the validate stage: data the schema accepts, typed as the spec. */
export interface ValidSpec {
  readonly file: string;
  readonly spec: PipelineSpec;
  readonly sourceMap: LoadedSpec['sourceMap'];
}

/** Ajv options; scripts/gen-validator.mjs precompiles with exactly these. */
export const AJV_OPTIONS = { allErrors: true, strict: true, verbose: true, allowUnionTypes: true } as const;

let compiled: ValidateFunction | undefined;

/* eslint-disable @typescript-eslint/no-require-imports -- optional module and lazy Ajv */
function validator(): ValidateFunction {
  if (compiled !== undefined) return compiled;
  try {
    // `npm run build` precompiles the schema into standalone code beside this file:
    // compiling the schema at run time takes ~0.3 s, most of `pipeform validate`.
    compiled = require('../spec/validate.generated') as ValidateFunction;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
    // Running from sources (tests, ts-node): compile the same schema with the same options.
    const Ajv = (require('ajv') as typeof import('ajv')).default;
    const addFormats = (require('ajv-formats') as typeof import('ajv-formats')).default;
    const ajv = new Ajv(AJV_OPTIONS);
    addFormats(ajv);
    compiled = ajv.compile(pipelineSchema);
  }
  return compiled;
}
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Validate stage: checks the loaded data against `schemas/pipeline.schema.json` and
 * reports every error at once, each with its position, what is allowed and a suggestion
 * for near-miss keys and values.
 */
export function validateSpec(loaded: LoadedSpec): ValidSpec {
  const validate = validator();
  if (validate(loaded.data)) {
    return { file: loaded.file, spec: loaded.data as PipelineSpec, sourceMap: loaded.sourceMap };
  }
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const error of matchingAlternativeErrors(validate.errors ?? [])) {
    const d = toDiagnostic(loaded, error);
    if (d === undefined) continue;
    const key = `${d.line}:${d.col}:${d.path}:${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      diagnostics.push(d);
    }
  }
  throw new SpecError(sortDiagnostics(diagnostics));
}

/** The JSON type of a value as JSON Schema names it (Ajv treats non-finite numbers as no number). */
function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number')
    return Number.isFinite(v) ? (Number.isInteger(v) ? 'integer' : 'number') : 'none';
  return typeof v;
}

/** The types an anyOf alternative accepts, following a local `$ref`; undefined when it does not say. */
function alternativeTypes(alt: unknown): readonly string[] | undefined {
  const ref = (alt as { $ref?: string }).$ref;
  const schema = ref?.startsWith('#/definitions/')
    ? (pipelineSchema.definitions as Record<string, unknown>)[ref.slice('#/definitions/'.length)]
    : alt;
  const type = (schema as { type?: string | string[] } | undefined)?.type;
  return type === undefined ? undefined : Array.isArray(type) ? type : [type];
}

/**
 * Errors of a value checked against alternatives (`anyOf`, e.g. a string or a secret
 * reference), as the user means them. When the value's type is one an alternative takes,
 * the "must match a schema in anyOf" summary and the other alternatives' type errors are
 * dropped, so what remains is what is wrong with the value as written (an unknown key of
 * the reference, a string too long). When no alternative takes its type, one type error
 * lists every type allowed.
 */
function matchingAlternativeErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const drop = new Set<ErrorObject>();
  const merged = new Map<ErrorObject, ErrorObject>();
  for (const e of errors) {
    if (e.keyword !== 'anyOf') continue;
    const alternatives = ((e.parentSchema as { anyOf?: unknown[] } | undefined)?.anyOf ?? []).map(
      alternativeTypes,
    );
    if (alternatives.some((a) => a === undefined)) continue;
    const type = jsonType(e.data);
    const accepts = (types: readonly string[] | undefined) =>
      types !== undefined && (types.includes(type) || (type === 'integer' && types.includes('number')));
    const within = (x: ErrorObject) =>
      x.instancePath === e.instancePath || x.instancePath.startsWith(`${e.instancePath}/`);
    const noise = errors.filter((x) => x.instancePath === e.instancePath && x.keyword === 'type');
    if (!alternatives.some(accepts)) {
      if (noise.length === 0) continue;
      // One error naming every type allowed, in the schema's order.
      const allowed = [...new Set(alternatives.flatMap((a) => a ?? []))];
      drop.add(e);
      noise.slice(1).forEach((x) => drop.add(x));
      // The hint comes from the value's own description, not from one alternative's.
      merged.set(noise[0], {
        ...noise[0],
        params: { type: allowed.length === 1 ? allowed[0] : allowed },
        parentSchema: e.parentSchema,
      });
      continue;
    }
    const rest = errors.filter((x) => x !== e && !noise.includes(x) && within(x));
    // Never hide the only evidence that something is wrong.
    if (rest.length === 0) continue;
    drop.add(e);
    noise.forEach((x) => drop.add(x));
  }
  return errors.filter((e) => !drop.has(e)).map((e) => merged.get(e) ?? e);
}

function segmentsOf(instancePath: string, data: unknown): (string | number)[] {
  if (instancePath === '') return [];
  const out: (string | number)[] = [];
  let node: unknown = data;
  for (const raw of instancePath.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const key: string | number = Array.isArray(node) ? Number(seg) : seg;
    out.push(key);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
  }
  return out;
}

const quote = (v: unknown): string => JSON.stringify(v);

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${quote(v)}`;
}

function toDiagnostic(loaded: LoadedSpec, e: ErrorObject): Diagnostic | undefined {
  const segments = segmentsOf(e.instancePath, loaded.data);
  const base = { file: loaded.file };
  const at = (segs: (string | number)[], key = false) => loaded.sourceMap.positionOf(segs, { key });
  const description = (e.parentSchema as { description?: string } | undefined)?.description;

  switch (e.keyword) {
    case 'additionalProperties': {
      const name = String((e.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object }).properties ?? {}).sort();
      const guess = didYouMean(name, allowed);
      const path = [...segments, name];
      return {
        ...base,
        ...at(path, true),
        path: formatPath(path),
        message: `unknown key ${quote(name)}${guess ? `; did you mean ${quote(guess)}?` : ''}`,
        hint: allowed.length > 0 ? `allowed keys here: ${allowed.join(', ')}` : 'no keys are allowed here',
      };
    }
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      const parent = segments.length === 0 ? [] : segments;
      const pos = segments.length === 0 ? { line: 1, col: 1 } : at(parent, true);
      return {
        ...base,
        ...pos,
        path: formatPath(parent),
        message: `missing required key ${quote(missing)}`,
        hint: propertyDescription(e.parentSchema, missing),
      };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      const guess = typeof e.data === 'string' ? didYouMean(e.data, allowed.map(String)) : undefined;
      return {
        ...base,
        ...at(segments),
        path: formatPath(segments),
        message: `${quote(e.data)} is not allowed${guess ? `; did you mean ${quote(guess)}?` : ''}`,
        hint: `allowed values: ${allowed.map(String).join(', ')}`,
      };
    }
    case 'type': {
      const expected = (e.params as { type: string | string[] }).type;
      return {
        ...base,
        ...at(segments),
        path: formatPath(segments),
        message: `expected ${Array.isArray(expected) ? expected.join(' or ') : expected}, got ${typeName(e.data)}`,
        hint:
          (Array.isArray(expected) ? expected : [expected]).includes('string') &&
          (typeof e.data === 'number' || typeof e.data === 'boolean')
            ? `quote the value: ${quote(String(e.data))}${description ? ` (${description})` : ''}`
            : description,
      };
    }
    case 'pattern': {
      // Ajv also reports the failing pattern of a key name; the propertyNames error below covers it.
      if ((e as ErrorObject & { propertyName?: string }).propertyName !== undefined) return undefined;
      return {
        ...base,
        ...at(segments),
        path: formatPath(segments),
        message: `${quote(e.data)} does not match the required format ${(e.params as { pattern: string }).pattern}`,
        hint: description,
      };
    }
    case 'propertyNames': {
      const name = (e.params as { propertyName: string }).propertyName;
      const pattern = (e.parentSchema as { propertyNames?: { pattern?: string } }).propertyNames?.pattern;
      const path = [...segments, name];
      return {
        ...base,
        ...at(path, true),
        path: formatPath(path),
        message: `key ${quote(name)} is not a valid name here${pattern ? ` (must match ${pattern})` : ''}`,
        hint: description,
      };
    }
    default:
      return {
        ...base,
        ...at(segments),
        path: formatPath(segments),
        message: `${e.data === undefined ? 'value' : quote(e.data)} ${e.message ?? 'is invalid'}`,
        hint: description,
      };
  }
}

function propertyDescription(schema: unknown, name: string): string | undefined {
  const props = (schema as { properties?: Record<string, { description?: string; $ref?: string }> })
    .properties;
  const prop = props?.[name];
  if (prop?.description) return `${name}: ${prop.description}`;
  return undefined;
}
