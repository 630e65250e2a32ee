/**
 * The real-Terraform harness on a machine without a provider mirror: it makes one with a
 * plain `terraform init` from the public registry, once, and every later init reads it.
 * This machine has no internet, so the test gives that init a CLI configuration whose only
 * source is the machine's mirror: it stands in for the registry, and everything after the
 * download (the layout, the rename into place, the init and plan that read the result) is
 * the code a fresh machine runs.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existingMirror, findMirror, mirrorFromRegistry, plannedOutputs } from './harness/terraform';

const scratch = mkdtempSync(join(tmpdir(), 'pipeform-mirror-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function rcWithMirror(path: string): string {
  const file = join(scratch, `rc-${readdirSync(scratch).length}`);
  writeFileSync(file, `provider_installation {\n  filesystem_mirror {\n    path = "${path}"\n  }\n}\n`);
  return file;
}

describe('a mirror made from the registry', () => {
  test('init downloads the provider once into a mirror a later init and plan read', () => {
    const source = existingMirror();
    expect(source).toBeDefined();
    const cache = join(scratch, 'cache');
    const mirror = mirrorFromRegistry(cache, { ...process.env, TF_CLI_CONFIG_FILE: rcWithMirror(source!) });
    expect(existsSync(join(mirror, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0'))).toBe(true);
    // Only the finished mirror is left: the private build directory is gone.
    expect(readdirSync(cache)).toEqual(['hashicorp-aws-5.100.0']);
    // A second call finds it and downloads nothing (a source that has nothing would fail).
    const empty = join(scratch, 'empty');
    mkdirSync(empty);
    expect(mirrorFromRegistry(cache, { ...process.env, TF_CLI_CONFIG_FILE: rcWithMirror(empty) })).toBe(
      mirror,
    );

    // The harness's own runs read the made mirror (nothing in this file asked for one before).
    process.env.PIPEFORM_TF_MIRROR = mirror;
    expect(findMirror()).toBe(mirror);
    expect(plannedOutputs({ output: { two: { value: '${1 + 1}' } } })).toEqual({ two: 2 });
    delete process.env.PIPEFORM_TF_MIRROR;
  });

  test('a failed download says what to do, and leaves nothing behind', () => {
    const empty = join(scratch, 'nothing');
    mkdirSync(empty);
    const cache = join(scratch, 'failed');
    expect(() =>
      mirrorFromRegistry(cache, { ...process.env, TF_CLI_CONFIG_FILE: rcWithMirror(empty) }),
    ).toThrow(
      /no filesystem mirror of hashicorp\/aws on this machine, and terraform init could not download it from the public registry: set PIPEFORM_TF_MIRROR/,
    );
    expect(readdirSync(cache)).toEqual([]);
  });
});
