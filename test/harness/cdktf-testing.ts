import { TerraformStack, Testing, type App, type IScopeCallback } from 'cdktf';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * cdktf's `Testing.app()` (and `Testing.synthScope`, which calls it) makes a
 * `cdktf.outdir.*` directory in the temp directory on every call and never removes it:
 * hundreds per run of the suite. These give the app an outdir of ours instead and remove
 * every one after the test file (test/cdktf-cleanup.test.ts keeps the suite on them).
 */
const outdirs: string[] = [];

afterAll(() => {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** `Testing.app(options)` with an outdir removed after this test file. */
export function testApp(options: Parameters<typeof Testing.app>[0] = {}): App {
  const outdir = mkdtempSync(join(tmpdir(), 'pipeform-cdktf-test-'));
  outdirs.push(outdir);
  return Testing.app({ ...options, outdir });
}

/** `Testing.synthScope(fn)` on an app from {@link testApp}. */
export function synthScope(fn: IScopeCallback): string {
  const stack = new TerraformStack(testApp(), 'stack');
  fn(stack);
  return Testing.synth(stack);
}
