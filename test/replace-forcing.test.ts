import { join } from 'node:path';
import { askProvider, readConfig, type OracleAnswer, type OracleCase } from './harness/provider-oracle';
import { configDirs, examples, ROOT } from './harness/spec';
import { DECLARED_REPLACEMENTS, FIXED_AT_CREATION, IN_PLACE } from './harness/stability-rules';

/**
 * The stability test's provider knowledge, checked against the provider itself
 * (hashicorp/aws 5.100.0 from the mirror): for every in-place entry, a plan that changes
 * exactly that attribute of a real pipeform resource updates it in place; for every
 * declared replacement, a change of what it is `forcedBy` makes the plan replace it; and
 * every subnet list pipeform keeps fixed at creation really would replace the resource. So neither table can claim what the provider
 * does not do, and an entry for an attribute pipeform never emits fails (no sample).
 */

type Body = Record<string, unknown>;
const isObject = (v: unknown): v is Body => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every resource body pipeform emits for the examples, by type. */
function emitted(): Map<string, Body[]> {
  const out = new Map<string, Body[]>();
  for (const { name } of examples())
    for (const dir of configDirs(name)) {
      const config = readConfig(join(ROOT, 'generated', name, dir, 'main.tf.json'));
      for (const [type, byName] of Object.entries(config.resource ?? {}))
        for (const body of Object.values(byName)) out.set(type, [...(out.get(type) ?? []), body]);
    }
  return out;
}

/** The same value, changed: a longer list, another string, another number or flag. */
function changed(value: unknown): unknown {
  if (Array.isArray(value)) return value.length > 0 ? [...value, changed(value[value.length - 1])] : ['x'];
  if (typeof value === 'string') {
    if (value.startsWith('{')) {
      // A document stays valid where the service validates it at plan time (Step Functions
      // checks a definition against the States Language): change its Comment when it has one.
      const doc = JSON.parse(value) as Record<string, unknown>;
      return JSON.stringify(
        typeof doc.Comment === 'string' ? { ...doc, Comment: `${doc.Comment}x` } : { ...doc, Id: 'changed' },
      );
    }
    if (/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(value))
      return value === '10.255.0.0/24' ? '10.254.0.0/24' : '10.255.0.0/24';
    return `${value}x`;
  }
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (isObject(value)) {
    const [k] = Object.keys(value).sort();
    return { ...value, [k]: changed(value[k]) };
  }
  return 'x';
}

/** `body` with the value at a dotted path (lists: the first element holding the key) changed; undefined when absent. */
function withChange(body: unknown, path: readonly string[]): unknown {
  if (path.length === 0) return changed(body);
  if (Array.isArray(body)) {
    const i = body.findIndex((x) => isObject(x) && path[0] in x);
    if (i < 0) return undefined;
    const inner = withChange(body[i], path);
    return inner === undefined ? undefined : body.map((x, j) => (j === i ? inner : x));
  }
  if (!isObject(body) || !(path[0] in body)) return undefined;
  const inner = withChange(body[path[0]], path.slice(1));
  return inner === undefined ? undefined : { ...body, [path[0]]: inner };
}

const related = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

interface Entry {
  readonly type: string;
  readonly path: string;
  readonly expect: 'in-place' | 'replace';
}

const entries: Entry[] = [
  ...Object.entries(IN_PLACE).flatMap(([type, paths]) =>
    Object.keys(paths).map((path) => ({ type, path, expect: 'in-place' as const })),
  ),
  ...Object.values(DECLARED_REPLACEMENTS)
    .flatMap((list) => list ?? [])
    .flatMap((d) => d.forcedBy.map((path) => ({ type: d.type, path, expect: 'replace' as const }))),
  ...Object.entries(FIXED_AT_CREATION).flatMap(([type, paths]) =>
    paths.map((path) => ({ type, path, expect: 'replace' as const })),
  ),
].filter((e, i, all) => all.findIndex((x) => x.type === e.type && x.path === e.path) === i);

describe('the in-place and replacement tables agree with the aws provider', () => {
  const bodies = emitted();
  const samples = entries.map((e) => {
    for (const body of bodies.get(e.type) ?? []) {
      const after = withChange(body, e.path.split('.'));
      if (after !== undefined)
        return { entry: e, oracle: { type: e.type, before: body, after: after as Body } };
    }
    return { entry: e, oracle: undefined };
  });

  test('every entry names an attribute pipeform emits', () => {
    expect(
      samples.filter((s) => s.oracle === undefined).map((s) => `${s.entry.type}.${s.entry.path}`),
    ).toEqual([]);
  });

  let answers: OracleAnswer[] = [];
  beforeAll(() => {
    const cases = samples.flatMap((s) => (s.oracle ? [s.oracle] : [])) as OracleCase[];
    answers = askProvider(cases);
  }, 600000);

  test.each(entries)('$type $path: $expect', (e) => {
    const i = samples.filter((s) => s.oracle).findIndex((s) => s.entry === e);
    expect(i).toBeGreaterThanOrEqual(0);
    const a = answers[i];
    const forcing = a.replacePaths.filter((p) => related(p, e.path));
    if (process.env.ORACLE_DEBUG) console.log(e, a);
    if (e.expect === 'in-place') {
      expect({ actions: a.actions, forcing }).toEqual({ actions: ['update'], forcing: [] });
    } else {
      expect(forcing.length).toBeGreaterThan(0);
    }
  });
});
