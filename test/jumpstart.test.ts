import { Testing } from 'cdktf';
import { JUMPSTART_REGIONS, jumpstartBucket } from '../src/areas/training/catalog';
import { analyzeSpec } from '../src/compiler';
import { checkSpec } from '../src/compiler/check';
import { SpecError, type Diagnostic } from '../src/compiler/diagnostics';
import { loadSpec } from '../src/compiler/load';
import { trainingRules } from '../src/compiler/rules/training';
import { validateSpec } from '../src/compiler/validate';
import { PipelineStack } from '../src/constructs/pipeline-stack';
import { leastPrivilegeProblems } from '../src/constructs/iam/least-privilege';
import type { PolicyStatement } from '../src/constructs/iam/policy';
import { costReport } from '../src/cost';
import { pipelineSchema } from '../src/spec/schema';
import { testApp } from './harness/cdktf-testing';
import { compileData, compileText, diagnosticsOf, MINIMAL } from './harness/spec';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized JSON of any depth, read by path
type Json = Record<string, any>;

const KEY = 'huggingface-training/train-huggingface-llm-mistral-7b.tar.gz';
const MISTRAL = { modelId: 'huggingface-llm-mistral-7b', version: '2.3.0', artifactKey: KEY };

const BASE = {
  ...MINIMAL,
  goals: {
    kpis: [
      { name: 'f1', metric: 'val:f1', threshold: 0.8, direction: 'higher-is-better', source: 'training' },
    ],
  },
  network: { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } },
};
const PYTORCH = {
  algorithm: 'pytorch',
  entryPoint: 'train.py',
  hyperparameters: { epochs: 3 },
  metricDefinitions: [{ name: 'val:f1', regex: 'f1=([0-9.]+)' }],
  data: { prefix: 'churn/' },
  code: { s3: 's3://acme-ml-code/demo/' },
};

function synth(
  baseModel: object,
  extra: object = {},
): { steps: Record<string, Json>; policy: PolicyStatement[]; resource: Json } {
  const stack = new PipelineStack(
    testApp(),
    'demo',
    compileData({ ...BASE, training: { ...PYTORCH, ...extra, baseModel } }),
  );
  const resource = JSON.parse(Testing.synth(stack)).resource;
  const definition = JSON.parse(resource.aws_sagemaker_pipeline.training.pipeline_definition as string);
  const steps: Record<string, Json> = Object.fromEntries(definition.Steps.map((s: Json) => [s.Name, s]));
  const policy = JSON.parse(resource.aws_iam_role_policy.training.policy).Statement;
  return { steps, policy, resource };
}
const modelChannel = (steps: Record<string, Json>) =>
  steps.Train.Arguments.InputDataConfig.find((c: Json) => c.ChannelName === 'model');

/**
 * Lines 1-4 head, 5-7 goals, 8-11 network, `training` at 12, `baseModel` at 18, then `extra`
 * (one line) and `jumpstart` (19 without extra; its keys from 20), then the `jumpstart` lines.
 */
const yaml = (jumpstart: string, extra = '', algorithm = 'pytorch', region = 'us-east-1') =>
  [
    'apiVersion: pipeform/v1',
    'name: demo',
    `region: ${region}`,
    'account: "123456789012"',
    'goals:',
    '  kpis:',
    `    - {name: f1, metric: "${algorithm === 'xgboost' ? 'validation:f1' : 'val:f1'}", threshold: 0.8, direction: higher-is-better, source: training}`,
    'network:',
    '  vpc:',
    '    cidr: 10.0.0.0/16',
    `    availabilityZones: [${region}a, ${region}b]`,
    'training:',
    `  algorithm: ${algorithm}`,
    ...(algorithm === 'xgboost' ? ['  hyperparameters: {num_round: 10}'] : ['  entryPoint: train.py']),
    ...(algorithm === 'xgboost' ? [] : ['  metricDefinitions: [{name: "val:f1", regex: "f1=([0-9.]+)"}]']),
    '  data: {prefix: churn/}',
    "  code: {s3: 's3://acme-ml-code/demo/'}",
    '  baseModel:',
    ...(extra ? [extra] : []),
    '    jumpstart:',
    '      modelId: huggingface-llm-mistral-7b',
    '      version: 2.3.0',
    `      artifactKey: ${KEY}`,
    ...(jumpstart ? [jumpstart] : []),
    '',
  ].join('\n');
const only = (text: string): Diagnostic => {
  const ds = diagnosticsOf(text);
  expect(ds).toHaveLength(1);
  expect(ds[0].rule).toBe('training/base-model');
  expect(ds[0].hint).toBeTruthy();
  return ds[0];
};

describe('JumpStart buckets per region (catalog, from the SageMaker Python SDK table)', () => {
  test('the public and the gated bucket, commercial, China and GovCloud regions', () => {
    expect(jumpstartBucket('us-east-1', false)).toBe('jumpstart-cache-prod-us-east-1');
    expect(jumpstartBucket('us-east-1', true)).toBe('jumpstart-private-cache-prod-us-east-1');
    expect(jumpstartBucket('eu-central-2', false)).toBe('jumpstart-cache-prod-eu-central-2');
    expect(jumpstartBucket('cn-north-1', false)).toBe('jumpstart-cache-prod-cn-north-1');
    expect(jumpstartBucket('cn-northwest-1', true)).toBe('jumpstart-private-cache-prod-cn-northwest-1');
    expect(jumpstartBucket('us-gov-west-1', false)).toBe('jumpstart-cache-prod-us-gov-west-1');
    expect(jumpstartBucket('us-gov-east-1', true)).toBe('jumpstart-private-cache-prod-us-gov-east-1');
  });

  test('a region JumpStart does not serve has no bucket (ISO partitions are left out)', () => {
    expect(jumpstartBucket('us-iso-east-1', false)).toBeUndefined();
    expect(jumpstartBucket('ap-southeast-9', false)).toBeUndefined();
    expect(JUMPSTART_REGIONS).toHaveLength(38);
  });

  test("every region the schema allows is a JumpStart region, so today's specs resolve", () => {
    const regions = (pipelineSchema.properties as Json).region.enum as string[];
    expect(regions.filter((r) => !JUMPSTART_REGIONS.includes(r))).toEqual([]);
  });
});

describe('GIVEN baseModel.jumpstart', () => {
  test('THEN the model channel is the artifact in the bucket of the pipeline region', () => {
    const t = synth({ jumpstart: MISTRAL });
    expect(modelChannel(t.steps)).toEqual({
      ChannelName: 'model',
      ContentType: 'application/x-sagemaker-model',
      InputMode: 'File',
      DataSource: {
        S3DataSource: {
          S3DataType: 'S3Prefix',
          S3Uri: `s3://jumpstart-cache-prod-us-east-1/${KEY}`,
          S3DataDistributionType: 'FullyReplicated',
        },
      },
    });
  });

  test('THEN the pipeline role reads exactly that object and lists exactly its key; no KMS grant', () => {
    const { policy } = synth({ jumpstart: MISTRAL });
    const bySid = Object.fromEntries(policy.map((x) => [x.Sid, x]));
    expect(bySid.ReadBaseModel).toEqual({
      Sid: 'ReadBaseModel',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::jumpstart-cache-prod-us-east-1/${KEY}`,
    });
    const list = policy.find(
      (s) => s.Action === 's3:ListBucket' && s.Resource === 'arn:aws:s3:::jumpstart-cache-prod-us-east-1',
    );
    expect(list?.Condition).toEqual({ StringLike: { 's3:prefix': [`${KEY}*`] } });
    // The JumpStart buckets are AWS-owned: no key of theirs appears; ours stays the only one.
    expect(JSON.stringify(policy.filter((s) => JSON.stringify(s.Action).includes('kms:')))).not.toContain(
      'jumpstart',
    );
    expect(leastPrivilegeProblems(policy)).toEqual([]);
  });

  test('gated, with the license accepted THEN the private bucket and ModelAccessConfig on the channel', () => {
    const key = 'meta-training/train-meta-textgeneration-llama-3-8b/artifacts/v1/';
    const t = synth({
      jumpstart: {
        modelId: 'meta-textgeneration-llama-3-8b',
        version: '2.1.0',
        artifactKey: key,
        gated: true,
        acceptEula: true,
      },
    });
    const source = modelChannel(t.steps).DataSource.S3DataSource;
    expect(source.S3Uri).toBe(`s3://jumpstart-private-cache-prod-us-east-1/${key}`);
    expect(source.ModelAccessConfig).toEqual({ AcceptEula: true });
    const bySid = Object.fromEntries(t.policy.map((x) => [x.Sid, x]));
    // A key ending in '/' is a prefix: the objects under it, nothing else in the bucket.
    expect(bySid.ReadBaseModel.Resource).toBe(`arn:aws:s3:::jumpstart-private-cache-prod-us-east-1/${key}*`);
    expect(
      modelChannel(synth({ jumpstart: MISTRAL }).steps).DataSource.S3DataSource.ModelAccessConfig,
    ).toBeUndefined();
    // Every tuning trial gets the same channel, license accepted.
    const tuned = synth(
      {
        jumpstart: {
          modelId: 'meta-textgeneration-llama-3-8b',
          version: '2.1.0',
          artifactKey: key,
          gated: true,
          acceptEula: true,
        },
      },
      {
        tuning: {
          objective: { metric: 'val:f1', direction: 'maximize' },
          ranges: [{ name: 'lr', type: 'continuous', min: 0.00001, max: 0.001 }],
        },
      },
    );
    const trial = tuned.steps.Tune.Arguments.TrainingJobDefinition.InputDataConfig.find(
      (c: Json) => c.ChannelName === 'model',
    );
    expect(trial.DataSource.S3DataSource).toMatchObject({
      S3Uri: `s3://jumpstart-private-cache-prod-us-east-1/${key}`,
      ModelAccessConfig: { AcceptEula: true },
    });
  });

  test('with champion THEN the JumpStart artifact is the first model of the lookup', () => {
    const t = synth({ champion: true, jumpstart: MISTRAL });
    expect(modelChannel(t.steps).DataSource.S3DataSource.S3Uri).toEqual({
      Get: "Steps.FindChampion.OutputParameters['ModelDataUrl']",
    });
    const fn = Object.values(t.resource.aws_lambda_function as Json)[0] as Json;
    expect(fn.environment.variables.FALLBACK_URI).toBe(`s3://jumpstart-cache-prod-us-east-1/${KEY}`);
    const bySid = Object.fromEntries(t.policy.map((x) => [x.Sid, x]));
    expect(bySid.ReadBaseModel.Resource).toBe(`arn:aws:s3:::jumpstart-cache-prod-us-east-1/${KEY}`);
  });

  test('THEN the resolved plan names the model and the cost counts the fine-tuning share', () => {
    const resolved = compileText(yaml(''));
    expect(resolved.training?.baseModel).toEqual({
      kind: 's3',
      bucketName: 'jumpstart-cache-prod-us-east-1',
      key: KEY,
      uri: `s3://jumpstart-cache-prod-us-east-1/${KEY}`,
      jumpstart: { modelId: 'huggingface-llm-mistral-7b', version: '2.3.0', gated: false },
    });
    const line = costReport(analyzeSpec('pipeline.yaml', Buffer.from(yaml('')))).lines.find(
      (l) => l.component === 'training/jobs',
    );
    expect(line?.description).toContain('(fine-tuning from a base model)');
  });
});

describe('training/base-model with jumpstart', () => {
  test('a gated model needs its license accepted, at the key that says so', () => {
    const d = only(yaml('      gated: true'));
    expect(d).toMatchObject({ path: 'training.baseModel.jumpstart.gated', line: 23, col: 14 });
    expect(d.message).toBe(
      '"huggingface-llm-mistral-7b" is a gated JumpStart model: SageMaker gives its artifact to a job only when the model channel accepts its end-user license agreement',
    );
    const refused = only(yaml('      gated: true\n      acceptEula: false'));
    expect(refused).toMatchObject({ path: 'training.baseModel.jumpstart.acceptEula', line: 24 });
    expect(only(yaml('      acceptEula: true')).message).toContain('is not marked gated');
    expect(() => compileText(yaml('      gated: true\n      acceptEula: true'))).not.toThrow();
  });

  test('exactly one source: not with s3 or huggingface; champion may take it, but not a gated one', () => {
    const d = only(yaml('', "    s3: 's3://acme-models/m.tar.gz'"));
    expect(d).toMatchObject({ path: 'training.baseModel', line: 19, col: 5 });
    expect(d.message).toBe(
      "training.baseModel names two models: set only one of 's3', 'jumpstart' and 'huggingface'",
    );
    expect(only(yaml('', '    huggingface: gpt2')).message).toContain('names two models');
    expect(() => compileText(yaml('', '    champion: true'))).not.toThrow();
    const gated = only(yaml('      gated: true\n      acceptEula: true', '    champion: true'));
    expect(gated).toMatchObject({ path: 'training.baseModel.champion', line: 19 });
  });

  test('built-in algorithms refuse it, at jumpstart', () => {
    const d = only(yaml('', '', 'xgboost'));
    // xgboost has no metricDefinitions line: jumpstart's value (modelId) is at line 19.
    expect(d).toMatchObject({ path: 'training.baseModel.jumpstart', line: 19, col: 7 });
    expect(d.message).toContain('xgboost cannot start from a trained model');
  });

  test('the schema pins the version (semver, no wildcard) and keeps the key a key', () => {
    const schemaError = (text: string) => diagnosticsOf(text).map((x) => x.path);
    expect(schemaError(yaml('').replace('version: 2.3.0', 'version: "*"'))).toContain(
      'training.baseModel.jumpstart.version',
    );
    expect(schemaError(yaml('').replace(`artifactKey: ${KEY}`, `artifactKey: "s3://b/${KEY}"`))).toContain(
      'training.baseModel.jumpstart.artifactKey',
    );
  });

  test('a region JumpStart does not serve is refused at region, with the regions it serves', () => {
    // Every region of today's schema is a JumpStart region; the rule guards a region the schema
    // gains before JumpStart serves it. Check the schema-valid spec with that region in place.
    const valid = validateSpec(loadSpec('pipeline.yaml', Buffer.from(yaml(''))));
    // A region outside the generated union, as a future schema would allow it.
    const region = 'ap-southeast-9' as typeof valid.spec.region;
    const moved = { ...valid, spec: { ...valid.spec, region } };
    let ds: readonly Diagnostic[] = [];
    try {
      checkSpec(moved, trainingRules);
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      ds = e.diagnostics;
    }
    const d = ds.find((x) => x.rule === 'training/base-model');
    expect(d).toMatchObject({ path: 'region', line: 3, col: 9 });
    expect(d?.message).toBe(
      'SageMaker JumpStart serves no models in ap-southeast-9: training.baseModel.jumpstart "huggingface-llm-mistral-7b" has no bucket there',
    );
    expect(d?.hint).toContain('us-gov-west-1');
    expect(d?.hint).toContain('cn-north-1');
    expect(d?.hint).toContain('pin it with baseModel.s3');
  });
});
