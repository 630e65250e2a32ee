import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileSpec, readSpecFile } from '../src/compiler';
import { synthesize } from '../src/synth/synth';
import { ROOT } from './harness/spec';
import { initValidatePlan } from './harness/terraform';

/**
 * The stock cdktf path: the app entry cdktf.json names (what `cdktf synth` runs), with the
 * spec from PIPEFORM_SPEC, writing to CDKTF_OUTDIR. Each stack directory must be a complete
 * configuration: the files cdk.tf.json reads as `${path.module}/...` are beside it, with the
 * bytes `pipeform synth` writes.
 */
function cdktfSynth(example: string): string {
  const outdir = join(mkdtempSync(join(tmpdir(), 'pipeform-cdktf-')), 'cdktf.out');
  const [command, ...args] = (
    JSON.parse(readFileSync(join(ROOT, 'cdktf.json'), 'utf8')) as { app: string }
  ).app.split(' ');
  const r = spawnSync(command, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      PIPEFORM_SPEC: join('examples', example, 'pipeline.yaml'),
      CDKTF_OUTDIR: outdir,
      CHECKPOINT_DISABLE: '1',
    },
  });
  if (r.status !== 0) throw new Error(`the cdktf app failed (${r.status}):\n${r.stdout}${r.stderr}`);
  return outdir;
}

/** What `pipeform synth` writes beside main.tf.json for each configuration, by stack name. */
function pipeformFiles(example: string): Map<string, Map<string, Buffer>> {
  const file = join(ROOT, 'examples', example, 'pipeline.yaml');
  const compiled = compileSpec(file, readSpecFile(file));
  const specs =
    compiled.environments.length > 0 ? compiled.environments.map((e) => e.resolved) : [compiled.resolved];
  return new Map(
    specs.map((spec) => [
      spec.name,
      new Map(
        [...synthesize(spec).files]
          .filter(([path]) => path !== 'main.tf.json')
          .map(([path, content]) => [path, Buffer.from(content)]),
      ),
    ]),
  );
}

/** Every `${path.module}/...` path a configuration reads. */
const modulePaths = (json: string) => [...json.matchAll(/\$\{path\.module\}\/([^"]+)"/g)].map((m) => m[1]);

describe('cdktf synth (the app entry of cdktf.json)', () => {
  test('batch-etl: the assets land beside cdk.tf.json, and the stack directory validates and plans', () => {
    const outdir = cdktfSynth('batch-etl');
    const expected = pipeformFiles('batch-etl');
    expect([...expected.keys()]).toEqual(['clicks']);
    const dir = join(outdir, 'stacks', 'clicks');
    const read = modulePaths(readFileSync(join(dir, 'cdk.tf.json'), 'utf8'));
    expect(read).toEqual(
      expect.arrayContaining(['assets/lambda-validate-events.zip', 'assets/glue-sessionize-sessionize.py']),
    );
    const files = expected.get('clicks') ?? new Map<string, Buffer>();
    for (const path of read) expect(files.has(path)).toBe(true);
    for (const [path, bytes] of files) expect(readFileSync(join(dir, path)).equals(bytes)).toBe(true);
    // Terraform itself reads every file the configuration names (filesha256 fails on a
    // missing one): a test-only output, beside the configuration, planned offline.
    writeFileSync(
      join(dir, 'zz_assets_check.tf.json'),
      JSON.stringify({
        output: {
          assets_sha256: {
            value: Object.fromEntries(read.map((p) => [p, `\${filesha256("\${path.module}/${p}")}`])),
          },
        },
      }),
    );
    const r = initValidatePlan(dir, { json: true });
    expect({ step: r.step, ok: r.ok, output: r.ok ? '' : r.output }).toEqual({
      step: 'plan',
      ok: true,
      output: '',
    });
    const planned = (r.plan as { planned_values: { outputs: Record<string, { value: unknown }> } })
      .planned_values;
    expect(planned.outputs.assets_sha256.value).toEqual(
      Object.fromEntries(
        read.map((p) => [
          p,
          createHash('sha256')
            .update(files.get(p) ?? '')
            .digest('hex'),
        ]),
      ),
    );
  });

  test('a spec with environments: one stack directory per environment', () => {
    const outdir = cdktfSynth('multi-env');
    const expected = pipeformFiles('multi-env');
    const stacks = readdirSync(join(outdir, 'stacks')).sort();
    expect(stacks).toEqual([...expected.keys()].sort());
    expect(stacks.length).toBe(2);
    for (const stack of stacks) expect(existsSync(join(outdir, 'stacks', stack, 'cdk.tf.json'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { stacks: object };
    expect(Object.keys(manifest.stacks).sort()).toEqual(stacks);
  });

  test('llm-finetune-eks: the Kubernetes manifests land in k8s/ beside cdk.tf.json', () => {
    const outdir = cdktfSynth('llm-finetune-eks');
    const [[name, files]] = [...pipeformFiles('llm-finetune-eks')];
    const k8s = [...files.keys()].filter((p) => p.startsWith('k8s/'));
    expect(k8s.length).toBeGreaterThan(0);
    for (const path of k8s)
      expect(
        readFileSync(join(outdir, 'stacks', name, path)).equals(files.get(path) ?? Buffer.alloc(0)),
      ).toBe(true);
  });
});
