import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSpec, readSpecFile } from '../src/compiler';
import { MAIN_FILE, synthesize } from '../src/synth/synth';
import { examples, ROOT } from './harness/spec';

describe.each(examples())('example $name', ({ name, file }) => {
  const synth = () => {
    const { resolved } = compileSpec(file, readSpecFile(join(ROOT, file)));
    return synthesize(resolved, file).files.get(MAIN_FILE)!;
  };
  const first = synth();

  test('synthesizes to the same bytes every time', () => {
    expect(synth()).toBe(first);
  });

  test('matches the Terraform committed under generated/ (run `npm run gen:examples` after a change)', () => {
    const committed = readFileSync(join(ROOT, 'generated', name, MAIN_FILE), 'utf8');
    expect(first).toBe(committed);
  });

  test('holds no offline-test settings or credentials', () => {
    expect(first).not.toMatch(/skip_credentials_validation|access_key|secret_key|mock/);
  });
});
