import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpecError } from '../src/compiler/diagnostics';
import { loadSpec, MAX_SPEC_BYTES } from '../src/compiler/load';

function loadError(bytes: Uint8Array | string) {
  try {
    loadSpec('p.yaml', typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
  } catch (e) {
    if (e instanceof SpecError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected a load error');
}

describe('load stage', () => {
  test('GIVEN valid YAML WHEN loaded THEN data and positions are kept', () => {
    const loaded = loadSpec('p.yaml', Buffer.from('name: demo\nstorage:\n  buckets:\n    raw: {}\n'));
    expect(loaded.data).toEqual({ name: 'demo', storage: { buckets: { raw: {} } } });
    expect(loaded.sourceMap.positionOf(['storage', 'buckets', 'raw'], { key: true })).toEqual({
      line: 4,
      col: 5,
    });
    expect(loaded.sourceMap.positionOf(['name'])).toEqual({ line: 1, col: 7 });
  });

  test('a missing path resolves to its deepest existing ancestor', () => {
    const loaded = loadSpec('p.yaml', Buffer.from('storage:\n  buckets: {}\n'));
    expect(loaded.sourceMap.positionOf(['storage', 'buckets', 'nope'])).toEqual({ line: 2, col: 12 });
  });

  test('list items are addressed by index', () => {
    const loaded = loadSpec('p.yaml', Buffer.from('goals:\n  kpis:\n    - name: a\n    - name: b\n'));
    expect(loaded.sourceMap.positionOf(['goals', 'kpis', 1, 'name'])).toEqual({ line: 4, col: 13 });
  });

  test('a UTF-8 byte-order mark is accepted', () => {
    expect(loadSpec('p.yaml', Buffer.from('\ufeffname: demo\n')).data).toEqual({ name: 'demo' });
  });

  test.each([
    ['empty', '', 1, 1, 'file is empty'],
    ['whitespace only', '  \n\n', 1, 1, 'file is empty'],
    ['scalar at top', 'just a string\n', 1, 1, 'must be a YAML mapping'],
    ['duplicate keys', 'a: 1\nb: 2\na: 3\n', 3, 1, 'duplicate key'],
    ['syntax error', 'a: [1, 2\nb: 3\n', 2, 1, 'YAML syntax error'],
    ['tab indentation', 'a:\n\tb: 1\n', 2, 1, 'YAML syntax error'],
  ])('%s is rejected at line:col', (_name, text, line, col, message) => {
    const [d] = loadError(text);
    expect({ line: d.line, col: d.col }).toEqual({ line, col });
    expect(d.message).toContain(message);
  });

  test('non-UTF-8 bytes are reported where they are', () => {
    const [d] = loadError(
      Buffer.concat([Buffer.from('a: 1\nb: caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
    );
    expect(d).toMatchObject({ line: 2, col: 7, message: 'file is not valid UTF-8 text' });
  });

  test('NUL bytes mean binary input', () => {
    const [d] = loadError(Buffer.from('a: 1\nb: "x\u0000"\n'));
    expect(d).toMatchObject({ line: 2, col: 6 });
    expect(d.message).toContain('binary');
  });

  test('oversized input is refused before parsing', () => {
    const [d] = loadError(Buffer.alloc(MAX_SPEC_BYTES + 1, 0x20));
    expect(d.message).toContain(`at most ${MAX_SPEC_BYTES} bytes`);
  });

  test('an alias bomb is refused', () => {
    const bomb = readFileSync(join(__dirname, 'fixtures', 'bad', 'alias-bomb.yaml'));
    expect(loadError(bomb)[0].message).toContain('alias bomb');
  });

  test('a few aliases are fine', () => {
    const loaded = loadSpec('p.yaml', Buffer.from('a: &x {k: v}\nb: *x\nc: *x\n'));
    expect(loaded.data).toEqual({ a: { k: 'v' }, b: { k: 'v' }, c: { k: 'v' } });
  });
});
