import { pipelineSchema } from '../src/spec/schema';
import { compileData, compileText, MINIMAL } from './harness/spec';

describe('normalize stage', () => {
  const minimal = compileData(MINIMAL);

  test('a minimal spec gets the six standard buckets, sorted, secure by default', () => {
    expect(minimal.storage.buckets.map((b) => b.name)).toEqual([
      'checkpoints',
      'curated',
      'features',
      'logs',
      'models',
      'raw',
    ]);
    for (const b of minimal.storage.buckets) {
      expect(b).toMatchObject({ versioning: true, forceDestroy: false });
      expect(b.bucketName).toBe(`demo-123456789012-us-east-1-${b.name}`);
      expect(b.lifecycle).toMatchObject({
        tiering: 'intelligent-tiering',
        tieringAfterDays: 0,
        noncurrentVersionExpiryDays: 90,
        abortIncompleteUploadsAfterDays: 7,
      });
    }
  });

  test('checkpoints are archived to Glacier after 30 days; other buckets are not archived', () => {
    const byName = Object.fromEntries(minimal.storage.buckets.map((b) => [b.name, b]));
    expect(byName.checkpoints.lifecycle.archive).toEqual({
      afterDays: 30,
      storageClass: 'GLACIER',
      prefix: '',
    });
    expect(byName.raw.lifecycle.archive).toBeUndefined();
  });

  test('the logs bucket never logs to itself; the others log', () => {
    for (const b of minimal.storage.buckets) expect(b.accessLogging).toBe(b.name !== 'logs');
  });

  test('defaults of the key, state and tags', () => {
    expect(minimal.security.kms).toEqual({
      rotationPeriodDays: 365,
      deletionWindowDays: 30,
      admins: [],
      alias: 'alias/demo',
    });
    expect(minimal.state).toEqual({ backend: 'local', path: 'terraform.tfstate' });
    expect(minimal.tags).toEqual({ 'pipeform:managed-by': 'pipeform', 'pipeform:pipeline': 'demo' });
    expect(minimal.description).toBe('ML pipeline demo, managed by pipeform');
  });

  test('bucket lifecycle wins over storage lifecycle, which wins over defaults', () => {
    const r = compileData({
      ...MINIMAL,
      storage: {
        lifecycle: { noncurrentVersionExpiryDays: 10, tiering: 'none' },
        buckets: { raw: { lifecycle: { noncurrentVersionExpiryDays: 20 } } },
      },
    });
    const byName = Object.fromEntries(r.storage.buckets.map((b) => [b.name, b]));
    expect(byName.raw.lifecycle).toMatchObject({ noncurrentVersionExpiryDays: 20, tiering: 'none' });
    expect(byName.curated.lifecycle).toMatchObject({ noncurrentVersionExpiryDays: 10, tiering: 'none' });
  });

  test('S3 backend defaults: key from the name, region from the pipeline, native lock file', () => {
    const r = compileData({ ...MINIMAL, state: { backend: 's3', s3: { bucket: 'tf-state' } } });
    expect(r.state).toEqual({
      backend: 's3',
      bucket: 'tf-state',
      key: 'pipeform/demo/terraform.tfstate',
      region: 'us-east-1',
      lockfile: true,
    });
  });

  test('is deterministic whatever the key order of the input', () => {
    const a = compileText(
      'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\ntags: {b: "2", a: "1"}\n',
    );
    const b = compileText(
      'tags: {a: "1", b: "2"}\naccount: "123456789012"\nregion: us-east-1\nname: demo\napiVersion: pipeform/v1\n',
    );
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  test('the defaults the schema documents are the ones applied', () => {
    const defs = (
      pipelineSchema as { definitions: Record<string, { properties: Record<string, { default?: unknown }> }> }
    ).definitions;
    const raw = minimal.storage.buckets.find((b) => b.name === 'raw')!;
    const documented: [unknown, unknown][] = [
      [defs.kms.properties.rotationPeriodDays.default, minimal.security.kms.rotationPeriodDays],
      [defs.kms.properties.deletionWindowDays.default, minimal.security.kms.deletionWindowDays],
      [defs.bucket.properties.versioning.default, raw.versioning],
      [defs.bucket.properties.accessLogging.default, raw.accessLogging],
      [defs.bucket.properties.forceDestroy.default, raw.forceDestroy],
      [defs.lifecycle.properties.tiering.default, raw.lifecycle.tiering],
      [defs.lifecycle.properties.tieringAfterDays.default, raw.lifecycle.tieringAfterDays],
      [
        defs.lifecycle.properties.noncurrentVersionExpiryDays.default,
        raw.lifecycle.noncurrentVersionExpiryDays,
      ],
      [
        defs.lifecycle.properties.abortIncompleteUploadsAfterDays.default,
        raw.lifecycle.abortIncompleteUploadsAfterDays,
      ],
      [defs.state.properties.backend.default, minimal.state.backend],
      [defs.state.properties.path.default, (minimal.state as { path: string }).path],
    ];
    for (const [doc, applied] of documented) expect(applied).toBe(doc);
  });
});
