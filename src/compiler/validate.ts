import type { ErrorObject, ValidateFunction } from 'ajv';
import { pipelineSchema } from '../spec/schema';
import type { PipelineSpec } from '../spec/types.generated';
import { SpecError, formatPath, showValue, sortDiagnostics, type Diagnostic } from './diagnostics';
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
  for (const error of refineErrors(validate.errors ?? [])) {
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

/** `.inf`, `-.inf` or `.nan`: how YAML spells a number JSON cannot hold. */
const isNonFinite = (v: unknown): v is number => typeof v === 'number' && !Number.isFinite(v);
const yamlNumber = (v: number): string => (Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf');

// Values are cut to about a line (showValue): a 10,000-item list over maxItems is not echoed whole.
const quote = (v: unknown): string => (isNonFinite(v) ? yamlNumber(v) : showValue(v));

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${quote(v)}`;
}

/** The JSON Schema types a value has (an integer is also a number). */
function typesOf(v: unknown): string[] {
  if (v === null) return ['null'];
  if (Array.isArray(v)) return ['array'];
  if (typeof v === 'number') return Number.isInteger(v) ? ['integer', 'number'] : ['number'];
  return [typeof v];
}

/** The `#/definitions/...` pointer of a local `$ref` branch, else undefined. */
function localRef(branch: unknown): string | undefined {
  const ref = (branch as { $ref?: unknown }).$ref;
  return typeof ref === 'string' && ref.startsWith('#/definitions/') ? ref : undefined;
}

/** A union branch as written, or the definition a local `$ref` branch names (e.g. a secret reference). */
function followRef(branch: unknown): { type?: unknown } {
  const ref = localRef(branch);
  if (ref === undefined) return branch as { type?: unknown };
  const definitions = pipelineSchema.definitions as Record<string, { type?: unknown }>;
  return definitions[ref.slice('#/definitions/'.length)] ?? {};
}

const typeList = (t: unknown): string[] =>
  Array.isArray(t) ? t.map(String) : t === undefined ? [] : [String(t)];

/**
 * Turns Ajv's raw errors into the ones worth reporting:
 * - a value that is `.inf` or `.nan` where a number belongs is one "not a finite number"
 *   error (Ajv's number type excludes them and reports a type error per union branch);
 * - a failed `anyOf` reports the branch whose type the value has (a number above the
 *   number branch's maximum says so), or one "expected X or Y" when no branch has its type,
 *   instead of every branch's errors plus "must match a schema in anyOf".
 */
function refineErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const drop = new Set<ErrorObject>();
  const replaced = new Map<ErrorObject, ErrorObject>();
  for (const e of errors) {
    if (e.keyword !== 'anyOf') continue;
    const written = Array.isArray(e.schema) ? (e.schema as unknown[]) : [];
    const branches = written.map(followRef);
    // The branch an error comes from, or -1. Schema paths restart at each $ref: an error
    // inside a `$ref` branch's definition has that definition's path (`#/definitions/secretRef/...`),
    // an error of a plain branch the union's path plus its index (so the same anyOf at another
    // place has the same one).
    const branchOf = (err: ErrorObject): number => {
      if (err === e) return -1;
      if (err.instancePath !== e.instancePath && !err.instancePath.startsWith(`${e.instancePath}/`))
        return -1;
      return written.findIndex((b, i) => {
        const ref = localRef(b);
        return (
          err.schemaPath.startsWith(`${e.schemaPath}/${i}/`) ||
          (ref !== undefined && (err.schemaPath === ref || err.schemaPath.startsWith(`${ref}/`)))
        );
      });
    };
    const own = errors.filter((err) => branchOf(err) >= 0);
    const dataTypes = typesOf(e.data);
    const matching = branches.findIndex((b) => typeList(b.type).some((t) => dataTypes.includes(t)));
    const numeric = branches.some((b) => typeList(b.type).some((t) => t === 'number' || t === 'integer'));
    if (isNonFinite(e.data) && numeric) {
      own.forEach((err) => drop.add(err));
      replaced.set(e, { ...e, keyword: 'finite' });
    } else if (matching >= 0 && !isNonFinite(e.data)) {
      own.filter((err) => branchOf(err) !== matching).forEach((err) => drop.add(err));
      drop.add(e);
      // The branch has no description of its own: the union's describes the field.
      const description = (e.parentSchema as { description?: string } | undefined)?.description;
      for (const err of own.filter((x) => branchOf(x) === matching))
        if (!(err.parentSchema as { description?: string } | undefined)?.description)
          replaced.set(err, { ...err, parentSchema: { ...err.parentSchema, description } });
    } else {
      own.forEach((err) => drop.add(err));
      const expected = branches.flatMap((b) => typeList(b.type));
      replaced.set(e, { ...e, keyword: 'type', params: { type: [...new Set(expected)] } });
    }
  }
  return errors
    .filter((e) => !drop.has(e))
    .map((e) => {
      const r = replaced.get(e) ?? e;
      // A plain numeric field given .inf/.nan: the type error Ajv reports is really this.
      const expected = r.keyword === 'type' ? typeList((r.params as { type?: unknown }).type) : [];
      return isNonFinite(r.data) && expected.some((t) => t === 'number' || t === 'integer')
        ? { ...r, keyword: 'finite' }
        : r;
    });
}

/** "between 0 and 100" for a numeric schema with bounds, else undefined. */
function boundsOf(schema: unknown): string | undefined {
  const s = (schema ?? {}) as Record<string, unknown>;
  const lo = s.minimum ?? s.exclusiveMinimum;
  const hi = s.maximum ?? s.exclusiveMaximum;
  if (typeof lo !== 'number' || typeof hi !== 'number') return undefined;
  return `${s.exclusiveMinimum !== undefined ? 'above' : 'from'} ${lo} ${s.exclusiveMaximum !== undefined ? 'to below' : 'to'} ${hi}`;
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
            ? `quote the value: ${JSON.stringify(isNonFinite(e.data) ? yamlNumber(e.data) : String(e.data))}${description ? ` (${description})` : ''}`
            : description,
      };
    }
    case 'finite': {
      // The number branch of a union, or the field itself, says what is allowed.
      const numberSchema = Array.isArray(e.schema)
        ? (e.schema as { type?: unknown }[]).find((b) =>
            typeList(b.type).some((t) => t === 'number' || t === 'integer'),
          )
        : e.parentSchema;
      const bounds = boundsOf(numberSchema);
      return {
        ...base,
        ...at(segments),
        path: formatPath(segments),
        message: `${quote(e.data)} is not a finite number`,
        hint: `use a number ${bounds ?? 'that is finite'}${description ? ` (${description})` : ''}`,
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
