import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './harness/spec';
import { initValidatePlan } from './harness/terraform';

/**
 * examples/compose-cdktf as a user has it: pipeform packed (`npm pack`), installed into a
 * copy of the app from the tarball (dependencies from the npm cache when it has them), the
 * app type-checked with its own TypeScript and run; its stack directory planned offline.
 */
const EXAMPLE = join(ROOT, 'examples', 'compose-cdktf');

/**
 * The environment a user's shell would have: run under `npm test`, npm exports its own
 * state (`npm_package_*`, `npm_config_local_prefix`, ...) for the repository; the nested
 * npm commands must not see it. The cache and registry are kept: they are the machine's.
 */
const userEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => !k.startsWith('npm_') || k === 'npm_config_cache' || k === 'npm_config_registry',
  ),
);

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...userEnv, CHECKPOINT_DISABLE: '1', npm_config_update_notifier: 'false', ...env },
    timeout: 300000,
  });
  if (r.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

let app = '';

beforeAll(() => {
  const scratch = mkdtempSync(join(tmpdir(), 'pipeform-compose-'));
  // --ignore-scripts: the test runs after `npm run build`; packing must not build again.
  const packed = JSON.parse(
    run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], ROOT),
  ) as { filename: string }[];
  const tarball = join(scratch, packed[0].filename);
  app = join(scratch, 'app');
  cpSync(EXAMPLE, app, {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|dist|cdktf\.out)([/\\]|$)/.test(src.slice(EXAMPLE.length)),
  });
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], app);
}, 600000);

// On a loaded machine three type checks, or a Terraform plan, take minutes: those tests get five.
describe('examples/compose-cdktf, with pipeform installed from its tarball', () => {
  test('pipeform resolves by its exports map: require, ES module import, subpaths', () => {
    // CommonJS: compiling a spec loads no cdktf; PipelineStack loads it on first use.
    const cjs = run(
      'node',
      [
        '-e',
        `const p = require('pipeform');
         const loaded = () => Object.keys(require.cache).some((f) => /node_modules[\\\\/](cdktf|cdktn)[\\\\/]/.test(f));
         const before = loaded();
         const { resolved } = p.compileSpec('analytics.yaml', p.readSpecFile('analytics.yaml'));
         const compiled = loaded();
         const stack = typeof p.PipelineStack;
         console.log(JSON.stringify({ before, compiled, name: resolved.name, stack, after: loaded(),
           same: p.PipelineStack === require('pipeform/constructs').PipelineStack,
           schema: require('pipeform/schema').$schema, version: require('pipeform/package.json').version }));`,
      ],
      app,
    );
    expect(JSON.parse(cjs)).toEqual({
      before: false,
      compiled: false,
      name: 'analytics',
      stack: 'function',
      after: true,
      same: true,
      schema: expect.stringContaining('json-schema.org'),
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
    const esm = run(
      'node',
      [
        '--input-type=module',
        '-e',
        `import { PipelineStack, compileSpec } from 'pipeform';
         import { synthesize } from 'pipeform/constructs';
         console.log([typeof PipelineStack, typeof compileSpec, typeof synthesize].join(' '));`,
      ],
      app,
    );
    expect(esm.trim()).toBe('function function function');
    // Only the exported paths are public: the compiled tree is not.
    expect(() => run('node', ['-e', "require('pipeform/dist/src/cli')"], app)).toThrow(
      /ERR_PACKAGE_PATH_NOT_EXPORTED/,
    );
  });

  test('the installed `pipeform` command validates and synthesizes, from its bundles and code cache', () => {
    // What a user runs after `npm install pipeform`: node_modules/.bin/pipeform (the tarball's
    // bin/pipeform.js), which needs dist/bundle/*.js and dist/src/code-cache.js in the package.
    const bin = join(app, 'node_modules', '.bin', 'pipeform');
    const cache = join(app, 'v8-cache');
    const env = { XDG_CACHE_HOME: cache, PIPEFORM_DEBUG_CODE_CACHE: '1', PIPEFORM_NO_CODE_CACHE: '' };
    expect(run(bin, ['validate', 'analytics.yaml'], app, env)).toMatch(/^valid analytics\.yaml/);
    const synth = (out: string) =>
      spawnSync(bin, ['synth', 'analytics.yaml', '--out', out], {
        cwd: app,
        encoding: 'utf8',
        env: { ...userEnv, ...env },
      });
    const first = synth('out-1');
    expect(first.status).toBe(0);
    const second = synth('out-2');
    expect(second.status).toBe(0);
    expect(second.stderr).toMatch(
      /code cache used for .*node_modules[\\/]pipeform[\\/]dist[\\/]bundle[\\/]cli\.js/,
    );
    expect(second.stderr).toMatch(
      /code cache used for .*node_modules[\\/]pipeform[\\/]dist[\\/]bundle[\\/]synth\.js/,
    );
    expect(readFileSync(join(app, 'out-2', 'main.tf.json'), 'utf8')).toBe(
      readFileSync(join(app, 'out-1', 'main.tf.json'), 'utf8'),
    );
  }, 300000);

  test('the app type-checks under node16 (its tsconfig), bundler and node module resolution', () => {
    writeFileSync(
      join(app, 'subpaths.ts'),
      `import { PipelineStack as FromConstructs } from 'pipeform/constructs';
import { PipelineStack, type ResolvedBucket, type ResolvedSpec } from 'pipeform';
export const same: typeof PipelineStack = FromConstructs;
export const names = (spec: ResolvedSpec): string[] => spec.storage.buckets.map((b: ResolvedBucket) => b.bucketName);
`,
    );
    writeFileSync(
      join(app, 'tsconfig.check.json'),
      JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: true }, include: ['*.ts'] }),
    );
    const tsc = join(app, 'node_modules', 'typescript', 'bin', 'tsc');
    for (const [module, resolution] of [
      ['node16', 'node16'],
      ['esnext', 'bundler'],
      ['commonjs', 'node'],
    ]) {
      run(
        'node',
        [tsc, '-p', 'tsconfig.check.json', '--module', module, '--moduleResolution', resolution],
        app,
      );
    }
  }, 300000);

  test('its synth holds the pipeline and the team constructs on the pipeline key; terraform validates and plans it', () => {
    run('npm', ['run', 'build'], app);
    run('node', ['dist/main.js'], app, { CDKTF_OUTDIR: join(app, 'cdktf.out') });
    const dir = join(app, 'cdktf.out', 'stacks', 'analytics');
    const config = JSON.parse(readFileSync(join(dir, 'cdk.tf.json'), 'utf8')) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    const r = config.resource;
    // The pipeline: its key, its buckets, its function with the zip beside the JSON.
    expect(r.aws_kms_key.kms).toBeDefined();
    expect(Object.keys(r.aws_s3_bucket)).toEqual(
      expect.arrayContaining(['lake_raw', 'lake_curated', 'lake_logs']),
    );
    expect(r.aws_lambda_function.lambda_compact.filename).toBe('${path.module}/assets/lambda-compact.zip');
    expect(existsSync(join(dir, 'assets', 'lambda-compact.zip'))).toBe(true);
    // The team's constructs, encrypted with the pipeline key and reading its bucket.
    const key = '${aws_kms_key.kms.arn}';
    expect(r.aws_sns_topic.reporting_topic.kms_master_key_id).toBe(key);
    expect(r.aws_s3_bucket_server_side_encryption_configuration.reporting_encryption.rule).toEqual([
      {
        apply_server_side_encryption_by_default: { kms_master_key_id: key, sse_algorithm: 'aws:kms' },
        bucket_key_enabled: true,
      },
    ]);
    const policy = JSON.parse(String(r.aws_iam_policy.reporting_policy.policy)) as {
      Statement: { Sid: string; Resource: unknown }[];
    };
    const resources = Object.fromEntries(policy.Statement.map((s) => [s.Sid, s.Resource]));
    expect(resources).toMatchObject({
      ListCurated: '${aws_s3_bucket.lake_curated.arn}',
      ReadCurated: '${aws_s3_bucket.lake_curated.arn}/*',
      UsePipelineKey: key,
    });
    const tf = initValidatePlan(dir);
    expect({ step: tf.step, ok: tf.ok, output: tf.ok ? '' : tf.output }).toEqual({
      step: 'plan',
      ok: true,
      output: '',
    });
    expect(tf.checkOutput).toMatch(/aws_sns_topic\.reporting_topic will be created/);
  }, 300000);
});
