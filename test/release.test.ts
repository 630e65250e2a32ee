import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { compileSpec } from '../src/compiler';
import { bumpVersion, diffReleases } from '../src/release/bump';
import type { ReleaseManifest } from '../src/release/manifest';
import { MANIFEST_FILE, planRelease, ReleaseError } from '../src/release/release';
import { runCli } from './harness/cli';
import { MINIMAL } from './harness/spec';
import { initValidatePlan } from './harness/terraform';

const BASE = { ...MINIMAL, tags: { team: 'ml' }, storage: { buckets: { scratch: {} } } };

function release(spec: object, previous?: ReleaseManifest, version: string = 'auto') {
  const bytes = Buffer.from(stringify(spec));
  return planRelease({
    spec: compileSpec('pipeline.yaml', bytes).resolved,
    specBytes: bytes,
    sourceName: 'pipeline.yaml',
    previous,
    version,
    date: '2026-11-26',
  });
}
const manifestOf = (plan: ReturnType<typeof release>): ReleaseManifest =>
  JSON.parse(plan.files.get(`v${plan.version}/${MANIFEST_FILE}`) as string);

describe('release bump classification (real spec pairs)', () => {
  const first = release(BASE);
  const prev = manifestOf(first);

  test('the first release is 1.0.0 with a manifest', () => {
    expect(first.version).toBe('1.0.0');
    expect(prev).toMatchObject({
      name: 'demo',
      version: '1.0.0',
      providerConstraint: '>= 5.100.0, < 6.0.0',
      inputs: { kms_key_arn: 'string', tags: 'map(string)' },
    });
    expect(prev.specHash).toMatch(/^[0-9a-f]{64}$/);
    expect(first.changelogEntry).toBe('## 1.0.0 (2026-11-26)\n\nFirst release of pipeline demo.\n');
  });

  test.each([
    [
      'add a bucket',
      { ...BASE, storage: { buckets: { scratch: {}, extra: {} } } },
      'minor',
      '1.1.0',
      'resources added',
    ],
    [
      'remove a bucket',
      { ...BASE, storage: {} },
      'major',
      '2.0.0',
      'stateful resource aws_s3_bucket.lake_scratch is removed',
    ],
    [
      'change a tag',
      { ...BASE, tags: { team: 'risk' } },
      'patch',
      '1.0.1',
      'resources, inputs and outputs are unchanged; other module content changed',
    ],
    [
      'rename the bucket prefix (replaces every bucket)',
      { ...BASE, storage: { bucketPrefix: 'other', buckets: { scratch: {} } } },
      'major',
      '2.0.0',
      'would be replaced',
    ],
    [
      'add a KPI (a new output)',
      {
        ...BASE,
        goals: { kpis: [{ name: 'auc', metric: 'auc', threshold: 0.8, direction: 'higher-is-better' }] },
      },
      'minor',
      '1.1.0',
      'output kpis is added',
    ],
    [
      'change a lifecycle setting',
      { ...BASE, storage: { lifecycle: { noncurrentVersionExpiryDays: 30 }, buckets: { scratch: {} } } },
      'patch',
      '1.0.1',
      'changed in place',
    ],
  ])('%s', (_name, spec, bump, version, reason) => {
    const next = release(spec, prev);
    expect(next.diff!.bump).toBe(bump);
    expect(next.version).toBe(version);
    expect(next.diff!.reasons.join('\n')).toContain(reason);
    expect(next.changelogEntry).toContain(`## ${version} (2026-11-26)`);
    expect(next.changelogEntry).toContain(`Classified as **${bump}** since 1.0.0:`);
  });

  test('a subnet that would move is a major change', () => {
    const vpc = { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] };
    const withVpc = manifestOf(release({ ...BASE, network: { vpc } }));
    const moved = release({ ...BASE, network: { vpc: { ...vpc, subnetPrefixLength: 22 } } }, withVpc);
    expect(moved.diff!.bump).toBe('major');
    expect(moved.diff!.reasons.join('\n')).toContain(
      'stateful resource aws_subnet.network_private_us_east_1b (cidr_block "10.0.16.0/20" -> "10.0.4.0/22") would be replaced',
    );
    const added = release(
      { ...BASE, network: { vpc: { ...vpc, availabilityZones: [...vpc.availabilityZones, 'us-east-1c'] } } },
      withVpc,
    );
    expect(added.diff!.bump).toBe('minor');
  });

  test('the CHANGELOG lists what changed and why', () => {
    const next = release({ ...BASE, storage: {} }, prev);
    expect(next.changelogEntry).toContain('- stateful resource aws_s3_bucket.lake_scratch is removed');
    expect(next.changelogEntry).toContain('### Removed\n\n- `aws_s3_bucket.lake_scratch`');
  });

  test('an upgrade that adds a component changes no existing address', () => {
    const next = release(
      { ...BASE, network: { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a'] } } },
      prev,
    );
    expect(next.diff).toMatchObject({ removed: [], replaced: [], moved: [] });
    expect(next.diff!.added.length).toBeGreaterThan(10);
  });

  test('an explicit version must move forward', () => {
    expect(() => release(BASE, prev, '1.0.0')).toThrow(ReleaseError);
    expect(() => release(BASE, prev, 'v2')).toThrow(/is not X.Y.Z/);
    expect(release(BASE, prev, '3.0.0').version).toBe('3.0.0');
  });

  test('bumpVersion', () => {
    expect([
      bumpVersion('1.2.3', 'major'),
      bumpVersion('1.2.3', 'minor'),
      bumpVersion('1.2.3', 'patch'),
    ]).toEqual(['2.0.0', '1.3.0', '1.2.4']);
  });
});

describe('moved blocks', () => {
  const prev = manifestOf(release(BASE));

  test('a resource whose address changes but whose identity does not is moved, not replaced', () => {
    const renamed: ReleaseManifest = {
      ...prev,
      resources: Object.fromEntries(
        Object.entries(prev.resources).map(([a, r]) => [
          a.replace('aws_s3_bucket.lake_scratch', 'aws_s3_bucket.data_lake_scratch'),
          r,
        ]),
      ),
    };
    const diff = diffReleases(prev, renamed);
    expect(diff.moved).toEqual([
      { from: 'aws_s3_bucket.lake_scratch', to: 'aws_s3_bucket.data_lake_scratch' },
    ]);
    expect(diff.bump).toBe('patch');
  });

  test('moved blocks in JSON are accepted by terraform', () => {
    const plan = release(BASE);
    const dir = mkdtempSync(join(tmpdir(), 'pipeform-moved-'));
    for (const [path, content] of plan.files)
      if (path.endsWith('.tf.json')) writeFileSync(join(dir, path.split('/').pop()!), content);
    writeFileSync(
      join(dir, 'moved.tf.json'),
      JSON.stringify({ moved: [{ from: 'aws_s3_bucket.old_scratch', to: 'aws_s3_bucket.lake_scratch' }] }),
    );
    writeFileSync(
      join(dir, 'provider.tf.json'),
      JSON.stringify({ provider: { aws: { region: 'us-east-1' } } }),
    );
    const r = initValidatePlan(dir);
    if (!r.ok) throw new Error(`terraform ${r.step} failed:\n${r.output}`);
  });
});

describe('pipeform release CLI', () => {
  test('writes versioned folders, a manifest and a growing CHANGELOG; --bump auto reads the latest release', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipeform-release-'));
    const spec = join(dir, 'pipeline.yaml');
    const out = join(dir, 'releases');
    writeFileSync(spec, stringify(BASE));
    const env = { PIPEFORM_RELEASE_DATE: '2026-11-26' };
    expect((await runCli(['release', spec, '--out', out, '--bump', 'auto'], env)).code).toBe(0);
    writeFileSync(spec, stringify({ ...BASE, storage: { buckets: { scratch: {}, extra: {} } } }));
    const second = await runCli(['release', spec, '--out', out, '--bump', 'auto'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('released demo 1.1.0');
    expect(readdirSync(out).sort()).toEqual(['CHANGELOG.md', 'v1.0.0', 'v1.1.0']);
    const log = readFileSync(join(out, 'CHANGELOG.md'), 'utf8');
    expect(log.indexOf('## 1.1.0')).toBeLessThan(log.indexOf('## 1.0.0'));
    expect(readdirSync(join(out, 'v1.1.0')).sort()).toEqual(
      [
        'README.md',
        'examples',
        'main.tf.json',
        MANIFEST_FILE,
        'outputs.tf.json',
        'variables.tf.json',
        'versions.tf.json',
      ].sort(),
    );
    const back = await runCli(['release', spec, '--out', out, '--version', '1.0.5'], env);
    expect(back.code).toBe(2);
    expect(back.stderr).toContain('is not newer than the latest release 1.1.0');
    expect((await runCli(['release', spec, '--out', out], env)).code).toBe(2);
  });

  test('--bump auto with no change writes nothing, says so and exits 0; --json reports it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipeform-release-same-'));
    const spec = join(dir, 'pipeline.yaml');
    const out = join(dir, 'releases');
    writeFileSync(spec, stringify(BASE));
    const env = { PIPEFORM_RELEASE_DATE: '2026-11-26' };
    const first = await runCli(['release', spec, '--out', out, '--bump', 'auto', '--json'], env);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      command: 'release',
      version: '1.0.0',
      previousVersion: null,
      bump: 'first',
      written: true,
      tag: 'v1.0.0',
    });
    expect(JSON.parse(first.stdout).files).toContain(join(out, 'v1.0.0', 'main.tf.json'));
    const log = readFileSync(join(out, 'CHANGELOG.md'), 'utf8');

    const again = await runCli(['release', spec, '--out', out, '--bump', 'auto'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('unchanged demo is the same as release 1.0.0: nothing written');
    const json = await runCli(['release', spec, '--out', out, '--bump', 'auto', '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({
      version: '1.0.0',
      bump: 'none',
      written: false,
      files: [],
    });
    expect(readdirSync(out).sort()).toEqual(['CHANGELOG.md', 'v1.0.0']);
    expect(readFileSync(join(out, 'CHANGELOG.md'), 'utf8')).toBe(log);

    // A change outside resources (a spec tag lives in a local) is still a release.
    writeFileSync(spec, stringify({ ...BASE, tags: { team: 'risk' } }));
    const tagged = await runCli(['release', spec, '--out', out, '--bump', 'auto', '--json'], env);
    expect(JSON.parse(tagged.stdout)).toMatchObject({ version: '1.0.1', bump: 'patch', written: true });
  });
});

describe('no-change detection', () => {
  const first = release(BASE);
  const prev = manifestOf(first);

  test('the manifest carries a module hash; the same spec gives the same hash', () => {
    expect(prev.moduleHash).toMatch(/^[0-9a-f]{64}$/);
    expect(manifestOf(release(BASE, undefined, '1.0.0')).moduleHash).toBe(prev.moduleHash);
  });

  test('auto with the same module: unchanged, nothing to write; an explicit version still releases', () => {
    const same = release(BASE, prev);
    expect(same).toMatchObject({ unchanged: true, version: '1.0.0', changelogEntry: '' });
    expect(same.files.size).toBe(0);
    const forced = release(BASE, prev, '1.0.1');
    expect(forced.unchanged).toBeUndefined();
    expect(forced.diff!.reasons).toEqual(['no change: the module is the latest release, byte for byte']);
  });

  test('a manifest without a module hash (older pipeform) compares spec bytes and pipeform version', () => {
    const { moduleHash: _hash, ...old } = prev;
    expect(release(BASE, old).unchanged).toBe(true);
    expect(release(BASE, { ...old, pipeformVersion: '0.0.1' }).unchanged).toBeUndefined();
    expect(release({ ...BASE, tags: { team: 'risk' } }, old).unchanged).toBeUndefined();
  });

  test('a release that moves addresses ships moved blocks in the module, and its required_version covers them', () => {
    const renamed: ReleaseManifest = {
      ...prev,
      moduleHash: 'other',
      resources: Object.fromEntries(
        Object.entries(prev.resources).map(([a, r]) => [
          a.replace('aws_s3_bucket.lake_scratch', 'aws_s3_bucket.old_scratch'),
          r,
        ]),
      ),
    };
    const next = release(BASE, renamed);
    expect(next.diff!.moved).toEqual([
      { from: 'aws_s3_bucket.old_scratch', to: 'aws_s3_bucket.lake_scratch' },
    ]);
    const moved = JSON.parse(next.files.get(`v${next.version}/moved.tf.json`) as string);
    expect(moved).toEqual({
      moved: [{ from: 'aws_s3_bucket.old_scratch', to: 'aws_s3_bucket.lake_scratch' }],
    });
    const versions = JSON.parse(next.files.get(`v${next.version}/versions.tf.json`) as string);
    // moved blocks need 1.1; the module's preconditions (region-bound values) need 1.2.
    expect(versions.terraform.required_version).toBe('>= 1.2.0');
  });
});
