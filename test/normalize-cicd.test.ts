import { join } from 'node:path';
import { normalizeCicd } from '../src/compiler/normalize/cicd';
import type { ResolvedCicd } from '../src/model/cicd';
import type { PipelineSpec } from '../src/spec/types.generated';
import { compileData, MINIMAL } from './harness/spec';

const BASE = {
  ...MINIMAL,
  goals: {
    kpis: [{ name: 'auc', metric: 'metrics.auc', threshold: 0.8, direction: 'higher-is-better' }],
  },
  network: { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } },
  training: {
    algorithm: 'xgboost',
    hyperparameters: { num_round: 100 },
    data: { prefix: 'churn/' },
    evaluation: { script: 'evaluate.py' },
  },
  serving: {
    endpoints: [
      {
        name: 'scorer',
        variants: [
          { name: 'champion', model: { registry: { version: 3 } }, weight: 90 },
          { name: 'challenger', model: { registry: { version: 'latest-approved' } }, weight: 10 },
        ],
      },
      { name: 'batch', model: { registry: { version: 'latest-approved' } } },
      { name: 'pinned', model: { registry: { version: 2 } } },
    ],
  },
};
const GIT = { source: { git: { repository: 'acme/churn' } } };

function resolve(cicd: object, extra: object = {}, file = 'pipeline.yaml'): ResolvedCicd {
  const spec = compileData({ ...BASE, ...extra, cicd }, file);
  if (spec.cicd === undefined) throw new Error('no cicd in the resolved spec');
  return spec.cicd;
}

describe('normalizeCicd: the training code the build publishes, and a buildspec beside the spec', () => {
  test('GIVEN the data-lake code prefix THEN the build publishes there (PIPEFORM_CODE_URI, build.code)', () => {
    const c = resolve(GIT);
    expect(c.build.code?.uri).toBe('s3://demo-123456789012-us-east-1-models/demo/code/');
    expect(c.build.environment.PIPEFORM_CODE_URI).toBe('s3://demo-123456789012-us-east-1-models/demo/code/');
  });

  test("GIVEN training code from a bucket of the user's own THEN the build publishes nothing", () => {
    const c = resolve(GIT, { training: { ...BASE.training, code: { s3: 's3://acme-ml-code/demo/' } } });
    expect(c.build.code).toBeUndefined();
    expect(c.build.environment.PIPEFORM_CODE_URI).toBeUndefined();
  });

  test('GIVEN buildspecFile THEN it is the asset cicd-buildspec (local) or the object as given (s3)', () => {
    const local = resolve(
      { ...GIT, build: { buildspecFile: 'buildspec.yml' } },
      {},
      'test/fixtures/assets/pipeline.yaml',
    );
    expect(local.build.buildspecFile).toEqual({
      kind: 'asset',
      asset: {
        id: 'cicd-buildspec',
        source: 'buildspec.yml',
        path: join('test', 'fixtures', 'assets', 'buildspec.yml'),
        packaging: 'file',
        fileName: 'buildspec.yml',
      },
    });
    const s3 = resolve({ ...GIT, build: { buildspecFile: 's3://acme-ci/churn/buildspec.yml' } });
    expect(s3.build.buildspecFile).toEqual({ kind: 's3', bucketName: 'acme-ci', key: 'churn/buildspec.yml' });
    expect(resolve(GIT).build.buildspecFile).toBeUndefined();
  });
});

describe('normalizeCicd', () => {
  test('GIVEN no cicd section THEN nothing is resolved', () => {
    const own = { ...BASE, training: { ...BASE.training, code: { s3: 's3://acme-ml-code/demo/' } } };
    expect(compileData(own).cicd).toBeUndefined();
    expect(normalizeCicd(BASE as unknown as PipelineSpec, 'pipeline.yaml')).toBeUndefined();
  });

  describe('GIVEN only a Git repository', () => {
    const c = resolve(GIT);

    test('THEN the pipeline, its role and its artifact prefix derive from the pipeline name', () => {
      expect(c).toMatchObject({
        pipelineName: 'demo-cicd',
        roleComponent: 'cicd-pipeline',
        versionVariable: { name: 'MODEL_PACKAGE_VERSION', defaultValue: 'latest-approved' },
        artifacts: {
          bucket: 'models',
          bucketName: 'demo-123456789012-us-east-1-models',
          prefix: 'demo-cicd/',
        },
        modelPackageGroupName: 'demo-models',
        modelPackageArnPrefix: 'arn:aws:sagemaker:us-east-1:123456789012:model-package/demo-models/',
        trainingPipelineName: 'demo-training',
      });
    });

    test('THEN pipeform creates a GitHub connection and watches main', () => {
      expect(c.source).toEqual({
        kind: 'git',
        connection: { kind: 'create', name: 'demo-git', providerType: 'GitHub' },
        repository: 'acme/churn',
        branch: 'main',
        detectChanges: true,
      });
    });

    test('THEN the build runs buildspec.yml on a small Amazon Linux 2 x86 image, outside the VPC', () => {
      expect(c.build).toMatchObject({
        projectName: 'demo-build',
        roleComponent: 'cicd-build',
        buildspec: 'buildspec.yml',
        computeType: 'BUILD_GENERAL1_SMALL',
        image: 'aws/codebuild/amazonlinux2-x86_64-standard:5.0',
        environmentType: 'LINUX_CONTAINER',
        timeoutMinutes: 60,
        vpc: false,
        logGroupName: '/pipeform/demo/codebuild/build',
        code: { uri: 's3://demo-123456789012-us-east-1-models/demo/code/' },
      });
      expect(c.build.environment).toEqual({
        PIPEFORM_CODE_URI: 's3://demo-123456789012-us-east-1-models/demo/code/',
        PIPEFORM_MODEL_PACKAGE_GROUP: 'demo-models',
        PIPEFORM_PIPELINE: 'demo',
        PIPEFORM_TRAINING_PIPELINE: 'demo-training',
      });
    });

    test('THEN approvals wait up to 7 days on the approval topic', () => {
      expect(c.approval).toEqual({ topicName: 'demo-cicd-approval', emails: [], timeoutMinutes: 10080 });
    });

    test('THEN the deploy targets every endpoint serving latest-approved, through the serving deploy', () => {
      expect(c.deploy).toEqual({
        targets: [
          { endpoint: 'batch', endpointName: 'demo-batch' },
          { endpoint: 'scorer', endpointName: 'demo-scorer' },
        ],
        ruleName: 'demo-model-approved',
        eventsRoleComponent: 'cicd-events',
      });
    });

    test("THEN the serving deploy's time limit adds up the endpoints' deployment limits plus 15 minutes", () => {
      const serving = compileData({ ...BASE, cicd: GIT }).serving;
      const limit = (name: string) =>
        serving?.endpoints.find((e) => e.name === name)?.deployment.maxExecutionSeconds ?? 0;
      const all = serving?.deploy?.endpoints ?? [];
      expect(all.length).toBeGreaterThan(0);
      expect(serving?.deploy?.timeoutSeconds).toBe(all.reduce((sum, e) => sum + limit(e), 900));
      expect(serving?.deploy?.cicdEndpoints).toEqual(['batch', 'scorer']);
    });
  });

  test('GIVEN every build setting THEN they are kept, with user variables beside pipeform’s', () => {
    const c = resolve({
      ...GIT,
      artifactBucket: 'curated',
      build: {
        buildspec: 'ci/build.yaml',
        computeType: '2xlarge',
        image: 'aws/codebuild/amazonlinux2-aarch64-standard:3.0',
        timeoutMinutes: 120,
        vpc: true,
        environment: { ZED: '1', ALPHA: 'a' },
      },
      approval: { notify: ['b@example.com', 'a@example.com'], timeoutMinutes: 60 },
      deploy: { endpoints: ['scorer'], timeoutMinutes: 45 },
    });
    expect(c.artifacts.bucketName).toBe('demo-123456789012-us-east-1-curated');
    expect(c.build).toMatchObject({
      buildspec: 'ci/build.yaml',
      computeType: 'BUILD_GENERAL1_2XLARGE',
      environmentType: 'ARM_CONTAINER',
      timeoutMinutes: 120,
      vpc: true,
    });
    expect(Object.keys(c.build.environment)).toEqual([
      'ALPHA',
      'PIPEFORM_CODE_URI',
      'PIPEFORM_MODEL_PACKAGE_GROUP',
      'PIPEFORM_PIPELINE',
      'PIPEFORM_TRAINING_PIPELINE',
      'ZED',
    ]);
    expect(c.approval).toEqual({
      topicName: 'demo-cicd-approval',
      emails: ['a@example.com', 'b@example.com'],
      timeoutMinutes: 60,
    });
    expect(c.deploy?.targets.map((t) => t.endpoint)).toEqual(['scorer']);
  });

  test('GIVEN an existing GitLab connection THEN it is used as is', () => {
    const arn =
      'arn:aws:codeconnections:us-east-1:123456789012:connection/0b6f3a52-1d2c-4e5f-8a9b-0c1d2e3f4a5b';
    const c = resolve({
      source: {
        git: {
          provider: 'gitlab',
          connectionArn: arn,
          repository: 'data/ml/churn',
          branch: 'release',
          detectChanges: false,
        },
      },
    });
    expect(c.source).toEqual({
      kind: 'git',
      connection: { kind: 'existing', arn },
      repository: 'data/ml/churn',
      branch: 'release',
      detectChanges: false,
    });
  });

  test('GIVEN an S3 source THEN it names the data-lake bucket', () => {
    const c = resolve({ source: { s3: { bucket: 'raw', key: 'ci/churn.zip' } } });
    expect(c.source).toEqual({
      kind: 's3',
      bucket: 'raw',
      bucketName: 'demo-123456789012-us-east-1-raw',
      key: 'ci/churn.zip',
    });
  });

  test('GIVEN the deploy switched off THEN there is no approval, deploy or trigger', () => {
    const c = resolve({ ...GIT, deploy: { enabled: false } });
    expect(c.approval).toBeUndefined();
    expect(c.deploy).toBeUndefined();
  });

  test('GIVEN long names THEN the artifact prefix is the first 20 characters', () => {
    const long = 'a-very-long-pipeline-nm';
    const c = resolve(GIT, {
      name: long,
      serving: {
        endpoints: [
          {
            name: 'an-endpoint-with-a-long-name',
            variants: [
              { name: 'a-variant-with-a-long-name', model: { registry: { version: 'latest-approved' } } },
            ],
          },
        ],
      },
    });
    expect(c.pipelineName).toBe(`${long}-cicd`);
    expect(c.artifacts.prefix).toBe(`${`${long}-cicd`.slice(0, 20)}/`);
  });

  test('GIVEN the same spec with keys in another order THEN the result is identical', () => {
    const a = resolve({ ...GIT, build: { environment: { B: '2', A: '1' } } });
    const b = resolve({ build: { environment: { A: '1', B: '2' } }, ...GIT });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
