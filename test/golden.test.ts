import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSpec, readSpecFile } from '../src/compiler';
import { synthesizeTargets } from '../src/synth/targets';
import { examples, ROOT } from './harness/spec';

describe.each(examples())('example $name', ({ name, file }) => {
  const synth = () => synthesizeTargets(compileSpec(file, readSpecFile(join(ROOT, file))), file).files;
  const first = synth();
  const text = (c: string | Uint8Array) => (typeof c === 'string' ? c : Buffer.from(c).toString('latin1'));

  test('synthesizes to the same bytes every time', () => {
    const again = synth();
    expect([...again.keys()]).toEqual([...first.keys()]);
    for (const [path, content] of again) expect(text(content)).toBe(text(first.get(path)!));
  });

  test('matches what is committed under generated/ (run `npm run gen:examples` after a change)', () => {
    for (const [path, content] of first) {
      expect({ path, content: readFileSync(join(ROOT, 'generated', name, path)).toString('latin1') }).toEqual(
        {
          path,
          content: text(content),
        },
      );
    }
  });

  test('holds no offline-test settings or credentials', () => {
    for (const [path, content] of first) {
      if (path.endsWith('.json'))
        expect(text(content)).not.toMatch(/skip_credentials_validation|access_key|secret_key|mock-/);
    }
  });
});
