import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { LineCounter, parseDocument } from 'yaml';
import { LOAD_YAML_OPTIONS, MAX_ALIAS_COUNT, loadSpec } from '../src/compiler/load';
import { SourceMap, parseYaml } from '../src/compiler/source-map';
import { starterSpec } from '../src/starter';
import { MAX_PLAIN_DEPTH, readPlainYaml, resolvePlainScalar } from '../src/compiler/plain-yaml';

// The contract of src/compiler/plain-yaml.ts: for any text, the reader gives up, or it
// returns exactly what the `yaml` package returns with the load stage's options, for a text
// that package reads without errors.

type Outcome = 'read' | 'declined';

/** What `yaml` makes of `text`: its data, or undefined when it reports errors. */
function reference(text: string): { ok: true; data: unknown } | { ok: false } {
  const doc = parseDocument(text, { ...LOAD_YAML_OPTIONS, lineCounter: new LineCounter() });
  if (doc.errors.length > 0) return { ok: false };
  try {
    return { ok: true, data: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch {
    return { ok: false };
  }
}

/** The contract for one text; throws with the text when it is broken. */
function check(text: string): Outcome {
  const fast = readPlainYaml(text);
  if (fast === undefined) return 'declined';
  const ref = reference(text);
  if (!ref.ok) throw new Error(`read a text yaml rejects:\n${text}`);
  if (!isDeepStrictEqual(fast, ref.data)) {
    throw new Error(
      `read differently from yaml:\n${text}\nreader: ${JSON.stringify(fast)}\nyaml:   ${JSON.stringify(ref.data)}`,
    );
  }
  return 'read';
}

/** A small seeded generator (mulberry32), so a failing case can be replayed. */
function seeded(start: number) {
  let seed = start;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  return { random, pick };
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

const root = join(__dirname, '..');
const examples = yamlFiles(join(root, 'examples')).filter((f) => f.endsWith('pipeline.yaml'));
const corpus = [...yamlFiles(join(root, 'examples')), ...yamlFiles(join(root, 'test', 'fixtures'))];

describe('plain YAML reader', () => {
  test('every example spec is in the subset and reads as yaml reads it', () => {
    expect(examples.length).toBeGreaterThanOrEqual(10);
    for (const file of examples) {
      expect([file, check(readFileSync(file, 'utf8'))]).toEqual([file, 'read']);
    }
  });

  test('the starter spec of `pipeform init` is in the subset', () => {
    const spec = starterSpec({ name: 'demo', region: 'eu-west-1', account: '123456789012' });
    expect(check(spec)).toBe('read');
  });

  test('every YAML file in examples and fixtures keeps the contract', () => {
    const outcomes = corpus.map((f) => check(readFileSync(f, 'utf8').replace(/^\ufeff/, '')));
    expect(outcomes.filter((o) => o === 'read').length).toBeGreaterThan(corpus.length / 2);
  });

  // Scalars at the edges of the core schema: each is read in block, sequence and flow
  // positions and must type exactly as yaml types it.
  const scalars = [
    ...['~', 'null', 'Null', 'NULL', 'nULL', 'nil', 'None', ''],
    ...['true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'FALSE', 'yes', 'no', 'on', 'off', 'y', 'n'],
    ...[
      '0',
      '-0',
      '+0',
      '7',
      '-7',
      '+7',
      '012',
      '0012',
      '09',
      '1_000',
      '9007199254740993',
      '99999999999999999999',
    ],
    ...['0o17', '0o8', '0O17', '-0o17', '0x1F', '0X1F', '0x', '-0x1F', '0xg', '0b101'],
    ...['1.5', '-1.5', '+1.5', '.5', '-.5', '1.', '1.0', '1.50', '0.9', '10.50.0.0', '1.2.3', '1,5'],
    ...['1e3', '1E3', '1e+3', '1e-3', '-1.5e3', '.5e3', '1.e3', 'e3', '1e', '1e3.5', '0x1e3'],
    ...['.inf', '.Inf', '.INF', '-.inf', '+.inf', '.iNF', 'inf', '.nan', '.NaN', '.NAN', '-.nan', 'NaN'],
    ...['2001-12-14', '2001-12-14t21:59:43.10-05:00', '12:30', '1:20:30', '=', '<<', '-', '-a', '--x'],
    ...["'quoted'", '"double"', "'it''s'", "''", '""', '"a # b"', "'a: b'", '"[x]"', '"\\n"', "'a"],
    ...[
      'https://x/y?a=b',
      'a::b',
      'a:',
      'a: ',
      's3://bucket/prefix/',
      'arn:aws:iam::123456789012:role/x',
      'cron(0 3 * * ? *)',
      'a#b',
      'a #b',
    ],
    ...['key: v', 'a:b', 'a:', '?x', ':x', '? x', '@x', '`x', '%x', '!x', '&a x', '*a', '|', '>', '[a', 'a]'],
    ...['Überwachung', 'a  b', 'x ', '0.9 # KPI', "'a' b", "a 'b'", 'üb: er'],
    // Unicode spaces are content in YAML, not indentation or separation.
    ...['\u00a0x', 'x\u00a0', '\u3000', 'a\u2003b', '\u00a0', '1\u00a0', '"q"\u00a0', 'x \u00a0#c'],
  ];

  test.each(['k: %s', '- %s', 'k: [%s]', 'k: {a: %s}', 'k:\n  - %s', 'k: [x, %s, y]'])(
    'core schema scalars read as yaml reads them, at %j',
    (template) => {
      let read = 0;
      for (const s of scalars) {
        const text = `${template.replace('%s', s)}\n`;
        if (check(text) === 'read') read++;
      }
      // The top level must be a mapping, so `- %s` is always declined; elsewhere most are read.
      if (template.startsWith('-')) expect(read).toBe(0);
      else expect(read).toBeGreaterThan(scalars.length / 2);
    },
  );

  test('resolvePlainScalar follows yaml for every scalar of the table', () => {
    for (const s of scalars) {
      const ref = reference(`k: ${s}\n`);
      if (!ref.ok || readPlainYaml(`k: ${s}\n`) === undefined || /^['"[{]/.test(s) || s.includes(' #'))
        continue;
      expect([s, resolvePlainScalar(s.replace(/ +$/, ''))]).toEqual([s, (ref.data as { k: unknown }).k]);
    }
  });

  test.each([
    ['a tag', 'a: !!str 1\n'],
    ['a custom tag', 'a: !x 1\n'],
    ['an anchor and alias', 'a: &x 1\nb: *x\n'],
    ['a kept block scalar', 'a: |+\n  text\n\n'],
    ['an indentation indicator', 'a: >2\n   text\n'],
    ['a folded scalar with a more-indented line', 'a: >\n  one\n    two\n'],
    ['a block scalar with a space-only line', 'a: |\n  one\n  \n  two\n'],
    ['a block scalar starting with a blank line', 'a: |\n\n  text\n'],
    ['a comment inside a multi-line plain scalar', 'a: one\n  # c\n  two\n'],
    ['a multi-line plain scalar with a comment', 'a: one\n  two # c\n'],
    ['a continuation like a sequence item', 'a: one\n  - two\n'],
    ['a space-only line in a plain scalar', 'a: one\n  \n  two\n'],
    ['a multi-line flow collection', 'a: [1,\n  2]\n'],
    ['an escape', 'a: "x\\ty"\n'],
    ['a null key', '~: 1\n'],
    ['a numeric key', '1: a\n'],
    ['a boolean key', 'true: a\n'],
    ['a flow key', '[a]: b\n'],
    ['an explicit key', '? a\n: b\n'],
    ['a merge key', 'a: {x: 1}\n<<: {y: 2}\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a duplicate quoted key', "a: 1\n'a': 2\n"],
    ['a duplicate flow key', 'a: {x: 1, x: 2}\n'],
    ['a __proto__ key', '__proto__: {x: 1}\n'],
    ['a document marker', '---\na: 1\n'],
    ['a directive', '%YAML 1.1\n---\na: yes\n'],
    ['a second document', 'a: 1\n---\nb: 2\n'],
    ['a tab', 'a:\t1\n'],
    ['a carriage return', 'a: 1\r\nb: 2\r\n'],
    ['a top-level sequence', '- a\n'],
    ['an indented top level', '  a: 1\n'],
    ['a key with a space', 'a b: 1\n'],
    ['a space before the colon', 'a : 1\n'],
    ['a trailing flow comma', 'a: [1, 2, ]\n'],
    ['an empty flow entry', 'a: [1, , 2]\n'],
    ['a nested mapping on one line', 'a: b: c\n'],
    ['a compact nested sequence', '- - a\n'],
    ['a very long line', `a: ${'x'.repeat(2000)}\n`],
  ])('declines %s', (_name, text) => {
    expect(readPlainYaml(text)).toBeUndefined();
    // Declining is only safe if yaml then decides: nothing here may throw.
    check(text);
  });

  test('nesting: read up to MAX_PLAIN_DEPTH levels, deeper left to yaml (which runs out of stack)', () => {
    const block = (n: number) =>
      `${Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} 1\n`;
    const flow = (n: number) => `k: ${'['.repeat(n)}1${']'.repeat(n)}\n`;
    // n keys, each under the one before, are n block levels; k: [[...]] of n is n flow levels.
    expect(check(block(MAX_PLAIN_DEPTH))).toBe('read');
    expect(check(block(MAX_PLAIN_DEPTH + 1))).toBe('declined');
    expect(check(flow(MAX_PLAIN_DEPTH))).toBe('read');
    expect(check(flow(MAX_PLAIN_DEPTH + 1))).toBe('declined');
    // The deepest a line of at most 1,000 characters allows: yaml reports it as an error.
    expect(reference(block(990)).ok).toBe(false);
    expect(check(block(990))).toBe('declined');
  });

  test.each([
    ['a key like a document end', '...: x\n', 'read'],
    ['a key like a document start', '---a: x\n', 'declined'],
    ['a document end', 'a: b\n...\n', 'declined'],
    ['a key starting with a dot', '.a: 1\n', 'read'],
    ['an empty last item', 'a:\n  - b\n  -\n', 'read'],
    ['dashes in flow', 'a: [-a, -1]\n', 'read'],
    ['an empty flow value', 'a: {b: }\n', 'declined'],
    ['a nested compact sequence at its key indent', 'a:\n- 1\n- x: 2\n  y: 3\nb:\n- - c\n', 'declined'],
    ['a sequence at its key indent, then a key', 'a:\n- 1\n-\n  - 2\nb: 3\n', 'read'],
    ['one at a compact mapping key', 'l:\n  - a:\n    - 1\n    b: 2\n', 'read'],
    ['one at the top level', '- 1\n', 'declined'],
    ['a hex prefix without digits', 'a: 0x_1\n', 'read'],
    ['a multi-line plain scalar', 'a: one\n  two\n\n\n   three\nb: 1\n', 'read'],
    ['a multi-line sequence item', 'a:\n  - one\n    two\n  - x: three\n     four\n', 'read'],
    ['a multi-line number-like plain scalar', 'a: 1\n  2\n', 'read'],
  ] as const)('%s: %s', (_name, text, outcome) => {
    expect(check(text)).toBe(outcome);
  });

  test('reads nested blocks, compact sequence mappings and comments', () => {
    const text = [
      '# head',
      'name: demo # trailing',
      'tags:',
      '  team: risk-ml',
      "  cost-center: '4711'",
      'list:',
      '  - name: a',
      '    targets: [{ bucket: raw, prefix: payments/ }, []]',
      '  -',
      '    name: b',
      '  - plain value',
      '  -',
      'empty:',
      'args:',
      '  --source_path: s3://x/y/',
      "quote: 'it''s' # a comment",
      'folded: >-',
      '  one',
      '  # two',
      '',
      '  three',
      '# a comment after the scalar',
      'literal: |',
      '  a',
      '    b',
      'last: 1',
      '',
    ].join('\n');
    expect(check(text)).toBe('read');
    expect(readPlainYaml(text)).toEqual({
      name: 'demo',
      tags: { team: 'risk-ml', 'cost-center': '4711' },
      list: [
        { name: 'a', targets: [{ bucket: 'raw', prefix: 'payments/' }, []] },
        { name: 'b' },
        'plain value',
        null,
      ],
      empty: null,
      args: { '--source_path': 's3://x/y/' },
      quote: "it's",
      folded: 'one # two\nthree',
      literal: 'a\n  b\n',
      last: 1,
    });
  });

  test('a spec read fast has the positions yaml gives, from a parse made when first asked', () => {
    // The module object itself (not an import binding), so the source map's calls are seen.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const parse = jest.spyOn(require('yaml') as typeof import('yaml'), 'parseDocument');
    try {
      for (const file of examples) {
        const text = readFileSync(file, 'utf8');
        parse.mockClear();
        const loaded = loadSpec(file, Buffer.from(text));
        expect(parse).not.toHaveBeenCalled();
        const { doc, lineCounter } = parseYaml(text);
        const eager = SourceMap.of(doc, lineCounter);
        const paths: (string | number)[][] = [];
        const walk = (value: unknown, path: (string | number)[]) => {
          paths.push(path);
          if (Array.isArray(value)) value.forEach((v, i) => walk(v, [...path, i]));
          else if (value !== null && typeof value === 'object')
            for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
        };
        walk(loaded.data, []);
        paths.push(['no', 'such', 'path']);
        parse.mockClear();
        for (const path of paths) {
          for (const key of [false, true]) {
            expect([path, loaded.sourceMap.positionOf(path, { key })]).toEqual([
              path,
              eager.positionOf(path, { key }),
            ]);
          }
        }
        // One parse, shared by the map and its overlays.
        loaded.sourceMap.withOverlay(['environments', 'prod']).positionOf(['name']);
        expect(parse).toHaveBeenCalledTimes(1);
      }
    } finally {
      parse.mockRestore();
    }
  });

  // Random documents from a grammar of the subset and just outside it: nested mappings and
  // sequences at random indentation, flow collections, block scalars with blank,
  // comment-like and more-indented lines, and the scalar table.
  test('seeded random documents keep the contract', () => {
    const { random, pick } = seeded(Number(process.env.PLAIN_YAML_FUZZ_SEED ?? 0xd0c));
    // Mostly in the subset, so that the reader's results are compared, not just its refusals.
    const often =
      <T>(good: readonly T[], bad: readonly T[], p = 0.03) =>
      () =>
        pick(random() < p ? bad : good);
    const key = often(
      ['a', 'name', 'b-c', '--flag', "'q'", '"d q"', 'x.y', '$s'],
      ['1', '~', 'true', 'k #', 'a b', '\u00a0k', 'k\u00a0'],
    );
    const readable = scalars.filter((x) => readPlainYaml(`k: ${x}\n`) !== undefined);
    const scalar = often(readable, scalars, 0.2);
    const style = often(['|', '|-', '>', '>-'], ['|+', '>2', '|-2'], 0.1);
    const words = [
      'one',
      'two',
      '# not a comment',
      '',
      '',
      'a: b',
      '- c',
      "it's",
      '"q"',
      'x  y ',
      '\u00a0nb',
    ];
    const flow = (depth: number): string => {
      const n = Math.floor(random() * 3);
      if (depth > 1 || random() < 0.4) return scalar();
      if (random() < 0.5)
        return `[${Array.from({ length: n }, () => flow(depth + 1)).join(pick([', ', ',', ' , ']))}]`;
      return `{${Array.from({ length: n }, (_, i) => `${key()}${i}: ${flow(depth + 1)}`).join(', ')}}`;
    };
    const block = (indent: number, depth: number, asSequence = false): string[] => {
      const pad = ' '.repeat(indent);
      const step = 1 + Math.floor(random() * 3);
      const lines: string[] = [];
      const seq = asSequence || (depth > 0 && random() < 0.3);
      const n = 1 + Math.floor(random() * 4);
      for (let i = 0; i < n; i++) {
        if (random() < 0.15) lines.push(pick(['', `${pad}# comment`, '# outdented comment']));
        const compact = seq && random() < 0.3;
        const head = seq ? (compact ? `${pad}- ${key()}${i}:` : `${pad}-`) : `${pad}${key()}${i}:`;
        // Where the head's key starts: a sequence may begin there (`key:` then `- x` below).
        const keyColumn = compact ? indent + 2 : seq ? -1 : indent;
        const r = random();
        if (depth < 3 && r < 0.1 && keyColumn >= 0) {
          lines.push(head, ...block(keyColumn, depth + 1, true));
        } else if (depth < 3 && r < 0.3) {
          lines.push(head, ...block(indent + step, depth + 1));
        } else if (r < 0.45) {
          lines.push(`${head} ${style()}`);
          const inner = ' '.repeat(indent + step);
          for (let k = 0; k < 1 + Math.floor(random() * 4); k++) {
            const w = random() < 0.05 ? '  more indented' : pick(words);
            lines.push(w === '' ? '' : `${inner}${w}`);
          }
        } else if (r < 0.6) {
          lines.push(`${head} ${flow(0)}`);
        } else if (r < 0.7) {
          // A plain scalar over several lines, at random indents, with blank lines between.
          lines.push(`${head} ${scalar()}`);
          for (let k = 0; k < 1 + Math.floor(random() * 3); k++) {
            if (random() < 0.2) lines.push('');
            lines.push(
              `${' '.repeat(indent + Math.floor(random() * 4))}${random() < 0.7 ? pick(words) : scalar()}`,
            );
          }
        } else {
          lines.push(`${head} ${scalar()}${random() < 0.1 ? ' # c' : ''}`);
        }
      }
      return lines;
    };
    let read = 0;
    const total = Number(process.env.PLAIN_YAML_FUZZ_ROUNDS ?? 150) * 10;
    for (let k = 0; k < total; k++) {
      if (check(`${block(0, 0).join('\n')}\n`) === 'read') read++;
    }
    expect(read).toBeGreaterThan(total / 6);
  });

  // Seeded mutations of the examples: single characters that matter to YAML inserted,
  // deleted or replaced, lines duplicated, dropped, swapped or re-indented. Each mutant is
  // read as yaml reads it, or declined; yaml is the judge of the ones that are broken.
  // PLAIN_YAML_FUZZ_ROUNDS and PLAIN_YAML_FUZZ_SEED run a longer or different search.
  test('seeded mutations of the examples keep the contract', () => {
    const rounds = Number(process.env.PLAIN_YAML_FUZZ_ROUNDS ?? 150);
    const { random, pick } = seeded(Number(process.env.PLAIN_YAML_FUZZ_SEED ?? 0x5eed));
    const alphabet = [
      ...' -:#\'"[]{},&*!|>?%@`~\n\t\r0123456789.eExo_\\',
      ...['  ', ': ', ' #', '- ', '\u00a0', '\u3000', '\u2003', '\u200b', '\u2028'],
    ];
    const mutate = (text: string): string => {
      const at = Math.floor(random() * text.length);
      const lines = text.split('\n');
      const line = Math.floor(random() * lines.length);
      switch (Math.floor(random() * 7)) {
        case 0:
          return text.slice(0, at) + pick(alphabet) + text.slice(at);
        case 1:
          return text.slice(0, at) + text.slice(at + 1);
        case 2:
          return text.slice(0, at) + pick(alphabet) + text.slice(at + 1);
        case 3:
          lines.splice(line, 0, lines[line]);
          return lines.join('\n');
        case 4:
          lines.splice(line, 1);
          return lines.join('\n');
        case 5:
          [lines[line], lines[line + 1]] = [lines[line + 1] ?? '', lines[line]];
          return lines.join('\n');
        default:
          lines[line] = random() < 0.5 ? ` ${lines[line]}` : lines[line].replace(/^ {1,2}/, '');
          return lines.join('\n');
      }
    };
    const sources = examples.map((f) => readFileSync(f, 'utf8'));
    let read = 0;
    let total = 0;
    for (let round = 0; round < rounds; round++) {
      for (const source of sources) {
        let text = source;
        const n = 1 + Math.floor(random() * 3);
        for (let k = 0; k < n; k++) text = mutate(text);
        if (check(text) === 'read') read++;
        total++;
      }
    }
    // Most single mutations stay in the subset: the reader is exercised, not just declining.
    expect(read).toBeGreaterThan(total / 3);
  });
});
