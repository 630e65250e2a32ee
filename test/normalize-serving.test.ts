import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { INFERENCE_INSTANCE_FAMILIES, INFERENCE_INSTANCE_TYPES } from '../src/areas/serving/catalog';
import {
  CONFIG_NAME_PREFIX_MAX,
  normalizeServing,
  withArchiveDigests,
} from '../src/compiler/normalize/serving';
import type { ResolvedServing } from '../src/model/serving';
import { compileData, MINIMAL } from './harness/spec';

const NETWORK = { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } };
const XGB = { artifact: { key: 'm/model.tar.gz' }, builtinImage: { framework: 'xgboost', version: '1.7-1' } };

function resolve(serving: object, extra: object = {}): ResolvedServing {
  const spec = compileData({ ...MINIMAL, network: NETWORK, ...extra, serving });
  if (spec.serving === undefined) throw new Error('no serving in the resolved spec');
  return spec.serving;
}

const one = (endpoint: object, extra: object = {}) => resolve({ endpoints: [endpoint] }, extra).endpoints[0];

describe('normalizeServing', () => {
  test('GIVEN no serving section THEN nothing is resolved', () => {
    expect(compileData(MINIMAL).serving).toBeUndefined();
  });

  describe('GIVEN a realtime endpoint with only a name and a pinned registry model', () => {
    const ep = one({ name: 'scorer', model: { registry: { version: 3 } } });

    test('THEN names derive from the pipeline and the spec name', () => {
      expect(ep).toMatchObject({
        name: 'scorer',
        endpointName: 'demo-scorer',
        configNamePrefix: 'demo-scorer-',
        type: 'realtime',
        logGroupName: '/aws/sagemaker/Endpoints/demo-scorer',
        roleComponent: 'serving-scorer',
      });
    });

    test('THEN one variant "primary" on ml.m5.large, scaling from its count to twice that', () => {
      expect(ep.variants).toHaveLength(1);
      expect(ep.variants[0]).toMatchObject({
        name: 'primary',
        instanceType: 'ml.m5.large',
        instanceCount: 1,
        weight: 1,
        scaling: { minInstances: 1, maxInstances: 2 },
      });
    });

    test('THEN the model is the pinned version of <pipeline>-models, named from a hash the version then ends', () => {
      expect(ep.variants[0].model.source).toEqual({
        kind: 'registry',
        packageGroup: 'demo-models',
        packageArnPrefix: 'arn:aws:sagemaker:us-east-1:123456789012:model-package/demo-models/',
        version: 3,
      });
      expect(ep.variants[0].model.name).toMatch(/^demo-scorer-primary-[0-9a-f]{8}$/);
    });

    test('THEN the endpoint waits for the serving deploy, which its ledger and tokens name', () => {
      expect(ep.registry).toMatchObject({
        ledgerName: '/pipeform/demo/serving/scorer',
        packageGroup: 'demo-models',
        token: expect.stringMatching(/^[0-9a-f]{8}$/),
      });
      expect(Object.keys(ep.registry?.variantTokens ?? {})).toEqual(['primary']);
    });

    test('THEN it runs in the VPC, isolated, with the key on its volumes', () => {
      expect(ep).toMatchObject({ inVpc: true, networkIsolation: true, volumeKey: true });
    });

    test('THEN data capture is on: 20% of input and output to the models bucket', () => {
      expect(ep.dataCapture).toEqual({
        samplingPercent: 20,
        modes: ['Input', 'Output'],
        bucket: 'models',
        bucketName: 'demo-123456789012-us-east-1-models',
        prefix: 'demo/data-capture/scorer/',
        csvContentTypes: [],
        jsonContentTypes: [],
      });
    });

    test('THEN deployments are blue/green all at once, baked 10 minutes, rolled back on three alarms', () => {
      expect(ep.deployment).toEqual({
        strategy: 'all-at-once',
        waitSeconds: 600,
        terminationWaitSeconds: 300,
        // one baking period + termination wait + 30 minutes to provision
        maxExecutionSeconds: 600 + 300 + 1800,
        autoRollback: {
          maxServerErrorsPerMinute: 5,
          maxClientErrorsPerMinute: 50,
          maxLatencyP99Ms: 1000,
          alarmNames: {
            serverErrors: 'demo-scorer-server-errors',
            clientErrors: 'demo-scorer-client-errors',
            modelLatency: 'demo-scorer-model-latency-p99',
          },
        },
      });
    });

    test('THEN autoscaling tracks 100 invocations per instance, scaling in slower than out', () => {
      expect(ep.autoscaling).toEqual({
        metric: 'invocations-per-instance',
        target: 100,
        scaleInCooldownSeconds: 300,
        scaleOutCooldownSeconds: 60,
        schedules: [],
      });
    });

    test('THEN there is no front door, shadow, serverless or async setting', () => {
      expect(ep.public).toBeUndefined();
      expect(ep.shadow).toBeUndefined();
      expect(ep.serverless).toBeUndefined();
      expect(ep.async).toBeUndefined();
    });
  });

  describe('GIVEN a serverless endpoint', () => {
    const ep = one({ name: 'lite', type: 'serverless', model: XGB });

    test('THEN 2 GB and 20 concurrent invocations, outside the VPC, without capture or autoscaling', () => {
      expect(ep.serverless).toEqual({ memoryMb: 2048, maxConcurrency: 20 });
      expect(ep).toMatchObject({ inVpc: false, networkIsolation: false, volumeKey: true });
      expect(ep.dataCapture).toBeUndefined();
      expect(ep.autoscaling).toBeUndefined();
      expect(ep.variants[0]).toEqual({ name: 'primary', model: ep.variants[0].model, weight: 1 });
    });

    test('THEN the built-in image resolves to its repository and tag', () => {
      expect(ep.variants[0].model.source).toEqual({
        kind: 'artifact',
        location: {
          kind: 'lake',
          bucket: 'models',
          bucketName: 'demo-123456789012-us-east-1-models',
          key: 'm/model.tar.gz',
        },
        image: { kind: 'builtin', repository: 'sagemaker-xgboost', tag: '1.7-1' },
      });
    });

    test('THEN an artifact.key model keeps the name it had before artifact.file existed', () => {
      // Deployed models must not be renamed (replaced) by upgrading pipeform.
      expect(ep.variants[0].model.name).toBe('demo-lite-primary-e20986d9');
    });
  });

  describe('GIVEN artifact.file', () => {
    /** A spec folder holding `models/lite.tar.gz` with `bytes`; returns the spec file's path. */
    const specDir = (bytes: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'pipeform-archive-'));
      mkdirSync(join(dir, 'models'));
      writeFileSync(join(dir, 'models', 'lite.tar.gz'), bytes);
      return join(dir, 'pipeline.yaml');
    };
    const FILE_MODEL = (file: string) => ({ ...XGB, artifact: { file } });
    const withFile = (file: string, specFile: string, endpoint: object = {}) =>
      compileData(
        {
          ...MINIMAL,
          network: NETWORK,
          serving: {
            endpoints: [{ name: 'lite', type: 'serverless', model: FILE_MODEL(file), ...endpoint }],
          },
        },
        specFile,
      ).serving?.endpoints[0];

    test('THEN a local archive is an asset beside the spec, its upload named after the endpoint and variant', () => {
      const specFile = specDir('v1');
      expect(withFile('models/lite.tar.gz', specFile)?.variants[0].model.source).toEqual({
        kind: 'artifact',
        location: {
          kind: 'asset',
          asset: {
            id: 'serving-lite-primary',
            source: 'models/lite.tar.gz',
            path: join(dirname(specFile), 'models', 'lite.tar.gz'),
            packaging: 'file',
            fileName: 'lite-primary-lite.tar.gz',
          },
        },
        image: { kind: 'builtin', repository: 'sagemaker-xgboost', tag: '1.7-1' },
      });
    });

    test('THEN an s3:// URI outside the lake is read where it is', () => {
      const ep = withFile('s3://acme-models/lite/model.tar.gz', 'pipeline.yaml');
      expect(ep?.variants[0].model.source).toMatchObject({
        location: { kind: 's3', bucketName: 'acme-models', key: 'lite/model.tar.gz' },
      });
    });

    test('THEN the normalized name hashes the path as written, not the folder or the bytes (only the build reads them)', () => {
      const a = withFile('models/lite.tar.gz', specDir('v1'));
      const b = withFile('models/lite.tar.gz', specDir('v2'));
      expect(a?.variants[0].model.name).toMatch(/^demo-lite-primary-[0-9a-f]{8}$/);
      expect(b?.variants[0].model.name).toBe(a?.variants[0].model.name);
      const other = withFile('./models/lite.tar.gz', specDir('v1'));
      expect(other?.variants[0].model.name).not.toBe(a?.variants[0].model.name);
    });

    describe('WHEN the build completes the names with the archive digests', () => {
      const ep = withFile('models/lite.tar.gz', specDir('v1'));
      if (ep === undefined) throw new Error('no endpoint');
      const named = (digest: string) => withArchiveDigests(ep, () => digest);

      test('THEN a changed archive renames the model; the same archive keeps its name; the length stays', () => {
        const one = named('a'.repeat(64)).variants[0].model.name;
        expect(one).not.toBe(ep.variants[0].model.name);
        expect(named('a'.repeat(64)).variants[0].model.name).toBe(one);
        expect(named('b'.repeat(64)).variants[0].model.name).not.toBe(one);
        expect(one).toMatch(/^demo-lite-primary-[0-9a-f]{8}$/);
      });

      test('THEN the digest is asked of the asset itself, and models from keys or URIs are left alone', () => {
        const asked: string[] = [];
        withArchiveDigests(ep, (asset) => {
          asked.push(asset.id);
          return 'c'.repeat(64);
        });
        expect(asked).toEqual(['serving-lite-primary']);
        const lake = one({ name: 'lite', type: 'serverless', model: XGB });
        expect(withArchiveDigests(lake, () => 'd'.repeat(64))).toEqual(lake);
      });

      test('THEN a registry endpoint with a file variant changes its tokens with the archive', () => {
        const mixed = withFile('models/lite.tar.gz', specDir('v1'), {
          type: 'realtime',
          model: undefined,
          variants: [
            { name: 'champion', model: { registry: { version: 'latest-approved' } } },
            { name: 'challenger', model: FILE_MODEL('models/lite.tar.gz') },
          ],
        });
        if (mixed?.registry === undefined) throw new Error('no registry endpoint');
        const a = withArchiveDigests(mixed, () => 'a'.repeat(64)).registry;
        const b = withArchiveDigests(mixed, () => 'b'.repeat(64)).registry;
        expect(a?.variantTokens.champion).toBe(mixed.registry.variantTokens.champion);
        expect(a?.variantTokens.challenger).not.toBe(mixed.registry.variantTokens.challenger);
        expect(b?.variantTokens.challenger).not.toBe(a?.variantTokens.challenger);
        expect(b?.token).not.toBe(a?.token);
        expect(a?.endpointToken).toBe(mixed.registry.endpointToken);
      });
    });
  });

  test('GIVEN latest-approved THEN the version is left to the deploy and the name does not depend on it', () => {
    const latest = one({
      name: 'scorer',
      variants: [{ name: 'challenger', model: { registry: { version: 'latest-approved' } } }],
    });
    const pinned = one({
      name: 'scorer',
      variants: [{ name: 'challenger', model: { registry: { version: 7 } } }],
    });
    expect(latest.variants[0].model.source).toMatchObject({ kind: 'registry', version: 'latest-approved' });
    expect(latest.variants[0].model.name).toMatch(/^demo-scorer-challenger-[0-9a-f]{8}$/);
    expect(pinned.variants[0].model.name).toBe(latest.variants[0].model.name);
    // Longest model name plus `-v99999` fits SageMaker's 63 characters.
    const long = one({
      name: 'a-very-long-endpoint-name-for-x',
      variants: [{ name: 'a-variant-name-that-is-long', model: { registry: { version: 1 } } }],
    });
    expect(`${long.variants[0].model.name}-v99999`.length).toBeLessThanOrEqual(63);
  });

  test('GIVEN registry endpoints THEN the serving deploy covers them, within the schema version bounds', () => {
    const s = resolve({
      endpoints: [
        { name: 'scorer', model: { registry: { version: 2 } } },
        { name: 'plain', model: XGB },
      ],
    });
    expect(s.deploy).toMatchObject({
      stateMachineName: 'demo-serving-deploy',
      ledgerPath: '/pipeform/demo/serving',
      endpoints: ['scorer'],
      cicdEndpoints: [],
      versionRange: [1, 99999],
    });
    expect(s.endpoints.find((e) => e.name === 'plain')?.registry).toBeUndefined();
  });

  test('GIVEN an async endpoint THEN its S3 prefix and topics, and scaling on backlog', () => {
    const ep = one({
      name: 'batch',
      type: 'async',
      model: XGB,
      async: { maxConcurrentInvocationsPerInstance: 4 },
    });
    expect(ep.async).toEqual({
      bucket: 'models',
      bucketName: 'demo-123456789012-us-east-1-models',
      prefix: 'demo/async/batch/',
      maxConcurrentInvocationsPerInstance: 4,
      topics: { success: 'demo-batch-success', error: 'demo-batch-error' },
    });
    expect(ep.autoscaling).toMatchObject({ metric: 'backlog-per-instance', target: 5 });
    expect(
      one({ name: 'batch', type: 'async', model: XGB, async: { notifications: false } }).async?.topics,
    ).toBeUndefined();
  });

  test('GIVEN a shadow at 20% THEN its weight is 20% of the production weight', () => {
    const ep = one({
      name: 'scorer',
      model: { registry: { version: 3 } },
      variants: [{ name: 'primary', weight: 5 }],
      shadow: { name: 'next', model: { registry: { version: 4 } }, samplingPercent: 20 },
    });
    expect(ep.shadow).toMatchObject({
      name: 'next',
      instanceType: 'ml.m5.large',
      instanceCount: 1,
      weight: 1,
    });
  });

  test('GIVEN a variant on local NVMe storage (ml.g5) THEN the configuration takes no volume key', () => {
    expect(
      one({ name: 'gpu', model: XGB, variants: [{ name: 'a', instanceType: 'ml.g5.xlarge' }] }).volumeKey,
    ).toBe(false);
    expect(
      one({ name: 'cpu', model: XGB, variants: [{ name: 'a', instanceType: 'ml.c6i.large' }] }).volumeKey,
    ).toBe(true);
  });

  test('GIVEN canary and linear without a size THEN 10% and 25%, and the time limit covers every step', () => {
    const canary = one({ name: 'a', model: XGB, deployment: { strategy: 'canary' } }).deployment;
    expect(canary).toMatchObject({
      size: { unit: 'percent', value: 10 },
      maxExecutionSeconds: 2 * 600 + 300 + 1800,
    });
    const linear = one({
      name: 'a',
      model: XGB,
      deployment: { strategy: 'linear', waitSeconds: 300 },
    }).deployment;
    expect(linear).toMatchObject({
      size: { unit: 'percent', value: 25 },
      maxExecutionSeconds: 4 * 300 + 300 + 1800,
    });
  });

  test('GIVEN schedules THEN sorted, UTC by default, on every production variant unless named', () => {
    const ep = one({
      name: 'a',
      model: XGB,
      variants: [{ name: 'y' }, { name: 'x' }],
      autoscaling: {
        schedules: [
          { name: 'night', schedule: 'cron(0 20 * * ? *)', minInstances: 1, variants: ['y'] },
          { name: 'day', schedule: 'cron(0 8 * * ? *)', maxInstances: 4, timezone: 'Europe/Paris' },
        ],
      },
    });
    expect(ep.variants.map((v) => v.name)).toEqual(['x', 'y']);
    expect(ep.autoscaling?.schedules).toEqual([
      {
        name: 'day',
        schedule: 'cron(0 8 * * ? *)',
        timezone: 'Europe/Paris',
        maxInstances: 4,
        variants: ['x', 'y'],
      },
      { name: 'night', schedule: 'cron(0 20 * * ? *)', timezone: 'UTC', minInstances: 1, variants: ['y'] },
    ]);
  });

  test('GIVEN a public endpoint THEN a v1 stage throttled at 100/s (burst 200), traced, with an access log group', () => {
    const ep = one({ name: 'scorer', model: XGB, public: {} }, { security: { waf: {} } });
    expect(ep.public).toEqual({
      apiName: 'demo-scorer',
      stageName: 'v1',
      throttleRateLimit: 100,
      throttleBurstLimit: 200,
      tracing: true,
      accessLogGroupName: '/pipeform/demo/api-gateway/scorer',
    });
  });

  test('GIVEN an edge section THEN the fleet, its role alias, prefixes and names', () => {
    expect(resolve({ edge: {} }).edge).toEqual({
      name: 'devices',
      fleetName: 'demo-devices',
      description: 'pipeform demo edge devices',
      roleAlias: 'demo-devices-edge',
      credentialDurationSeconds: 3600,
      bucket: 'models',
      bucketName: 'demo-123456789012-us-east-1-models',
      prefix: 'demo/edge/',
      modelsPrefix: 'demo/edge/models/',
      telemetryPrefix: 'demo/edge/telemetry/',
      devicePolicyName: 'demo-devices-device',
      claimPolicyName: 'demo-devices-claim',
      templateName: 'demo-devices',
      componentPrefix: 'demo.devices.',
      models: [],
      telemetryRuleName: 'demo_devices_telemetry',
      devices: 10,
    });
  });

  test('GIVEN edge models THEN one component each, sorted, with its runtime and artifact', () => {
    const edge = resolve({
      edge: {
        telemetry: false,
        models: [
          {
            name: 'zeta',
            version: '2.0.1',
            artifact: { key: 'z.zip' },
            runtime: 'tensorflow-lite',
            run: 'serve',
          },
          { name: 'alpha', version: '1.0.0', artifact: { key: 'a/model.tar.gz' } },
        ],
      },
    }).edge;
    expect(edge?.models).toEqual([
      {
        name: 'alpha',
        componentName: 'demo.devices.alpha',
        version: '1.0.0',
        artifactUri: 's3://demo-123456789012-us-east-1-models/demo/edge/models/a/model.tar.gz',
        runtimeComponent: 'variant.DLR',
        runtimeVersion: '~1.6.0',
      },
      {
        name: 'zeta',
        componentName: 'demo.devices.zeta',
        version: '2.0.1',
        artifactUri: 's3://demo-123456789012-us-east-1-models/demo/edge/models/z.zip',
        runtimeComponent: 'variant.TensorFlowLite',
        runtimeVersion: '~2.5.0',
        run: 'serve',
      },
    ]);
    expect(edge?.stackName).toBe('demo-devices-edge-models');
    expect(edge?.telemetryRuleName).toBeUndefined();
  });

  test('GIVEN long names THEN configuration prefixes and model names fit SageMaker, distinct by hash', () => {
    const long = 'a-very-long-pipeline-nam';
    const name = 'endpoint-with-a-long-name-abcd';
    const serving = compileData({
      ...MINIMAL,
      name: long,
      network: NETWORK,
      storage: { bucketPrefix: 'short' },
      serving: {
        endpoints: [
          {
            name,
            model: { registry: { version: 12345 } },
            variants: [{ name: 'variant-with-a-long-name-abcdef' }],
          },
          {
            name: `${name}e`,
            model: { registry: { version: 12345 } },
            variants: [{ name: 'variant-with-a-long-name-abcdef' }],
          },
        ],
      },
    }).serving as ResolvedServing;
    const [a, b] = serving.endpoints;
    for (const ep of [a, b]) {
      expect(ep.configNamePrefix.length).toBeLessThanOrEqual(CONFIG_NAME_PREFIX_MAX);
      expect(ep.configNamePrefix.endsWith('-')).toBe(true);
      // 7 characters are kept for "-v<version>" of latest-approved models.
      expect(ep.variants[0].model.name.length).toBeLessThanOrEqual(56);
    }
    expect(a.configNamePrefix).not.toBe(b.configNamePrefix);
    expect(a.variants[0].model.name).not.toBe(b.variants[0].model.name);
  });

  describe('determinism and model names', () => {
    const base = { name: 'scorer', model: XGB };
    const modelName = (endpoint: object, extra: object = {}) => one(endpoint, extra).variants[0].model.name;

    test('THEN the same spec resolves to the same value', () => {
      expect(resolve({ endpoints: [base], edge: {} })).toEqual(resolve({ endpoints: [base], edge: {} }));
    });

    test('THEN endpoints are sorted by name', () => {
      const names = resolve({
        endpoints: [
          { ...base, name: 'b' },
          { ...base, name: 'a' },
        ],
      }).endpoints.map((e) => e.name);
      expect(names).toEqual(['a', 'b']);
    });

    test('THEN a change to any model input renames the model (SageMaker models are immutable)', () => {
      const before = modelName(base);
      expect(modelName({ ...base, model: { ...XGB, artifact: { key: 'm/v2.tar.gz' } } })).not.toBe(before);
      expect(modelName({ ...base, model: { ...XGB, environment: { LOG_LEVEL: 'debug' } } })).not.toBe(before);
      expect(modelName({ ...base, networkIsolation: false })).not.toBe(before);
      expect(
        modelName(base, {
          network: { vpc: { ...NETWORK.vpc, availabilityZones: ['us-east-1a', 'us-east-1c'] } },
        }),
      ).not.toBe(before);
    });

    test('THEN what is not part of the model leaves its name alone', () => {
      const before = modelName(base);
      expect(modelName({ ...base, variants: [{ name: 'primary', weight: 3, instanceCount: 2 }] })).toBe(
        before,
      );
      expect(modelName({ ...base, deployment: { strategy: 'canary' } })).toBe(before);
    });
  });

  test('the instance table: every family has sizes, and types are ml.<family>.<size>', () => {
    for (const [family, f] of Object.entries(INFERENCE_INSTANCE_FAMILIES)) {
      expect(f.sizes.length).toBeGreaterThan(0);
      for (const size of f.sizes) expect(INFERENCE_INSTANCE_TYPES).toContain(`ml.${family}.${size}`);
    }
    expect(INFERENCE_INSTANCE_FAMILIES.inf1.guardrails).toBe(false);
    expect(INFERENCE_INSTANCE_FAMILIES.c6i.localStorage).toBe(false);
    expect(INFERENCE_INSTANCE_FAMILIES.c5d.localStorage).toBe(true);
  });

  test('normalizeServing is pure: the spec is not modified', () => {
    const spec = {
      ...MINIMAL,
      network: NETWORK,
      serving: {
        endpoints: [
          { name: 'b', model: XGB },
          { name: 'a', model: XGB },
        ],
      },
    } as Parameters<typeof normalizeServing>[0];
    const copy = JSON.parse(JSON.stringify(spec));
    normalizeServing(spec, 'pipeline.yaml');
    expect(spec).toEqual(copy);
  });
});
