import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileSpec } from '../src/compiler';
import type { ResolvedSpec } from '../src/model/resolved';
import { synthesizeTargets } from '../src/synth/targets';
import { testRuleCases } from './harness/rules';
import { ROOT } from './harness/spec';

/** Lines 1-20: a pipeline that trains (code in a bucket of its own) and serves the latest approved version. */
const BASE = `apiVersion: pipeform/v1
name: demo
region: us-east-1
account: "111111111111"
goals:
  kpis:
    - {name: auc, metric: metrics.auc, threshold: 0.8, direction: higher-is-better}
network:
  vpc:
    cidr: 10.0.0.0/16
    availabilityZones: [us-east-1a, us-east-1b]
training:
  algorithm: xgboost
  hyperparameters: {num_round: 100}
  data: {prefix: churn/}
  code: {s3: s3://acme-code/churn/}
  evaluation: {script: evaluate.py}
serving:
  endpoints:
    - name: scorer
      model: {registry: {version: latest-approved}}
`;
/** Lines 21-24. */
const ENVS = `environments:
  dev: {tags: {tier: dev}}
  prod: {account: "222222222222"}
  stage: {account: "333333333333"}
`;
/** Lines 25-27 (and approval on 28). */
const PROMOTION = `promotion:
  owner: dev
  serve: [dev, prod, stage]
`;
const spec = (base = BASE, envs = ENVS, promotion = PROMOTION) => `${base}${envs}${promotion}`;

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** Every environment's resolved spec and synthesized resources. */
function build(
  text: string,
  file = 'pipeline.yaml',
): Map<string, { resolved: ResolvedSpec; resources: Resources }> {
  const compiled = compileSpec(file, Buffer.from(text));
  const { targets } = synthesizeTargets(compiled, 'pipeline.yaml');
  return new Map(
    targets.map((t) => {
      const main = t.result.files.get('main.tf.json');
      if (main === undefined) throw new Error(`no main.tf.json for ${t.dir}`);
      const json = JSON.parse(typeof main === 'string' ? main : Buffer.from(main).toString('utf8'));
      return [t.dir, { resolved: t.spec, resources: json.resource as Resources }];
    }),
  );
}

const policy = (r: Record<string, unknown>, field = 'policy') =>
  JSON.parse(r[field] as string) as { Statement: Record<string, unknown>[] };
const statement = (doc: { Statement: Record<string, unknown>[] }, sid: string) => {
  const s = doc.Statement.find((x) => x.Sid === sid);
  if (s === undefined) throw new Error(`no statement ${sid} in ${JSON.stringify(doc)}`);
  return s;
};

describe('promotion: the normalized model', () => {
  const envs = build(spec());
  const dev = envs.get('dev')!.resolved;
  const prod = envs.get('prod')!.resolved;

  test('only the owner trains; the others have no training pipeline, CI/CD or retraining', () => {
    expect(dev.training?.modelPackageGroupName).toBe('demo-dev-models');
    expect(prod.training).toBeUndefined();
    expect(prod.cicd).toBeUndefined();
    expect(prod.promotion).toMatchObject({ environment: 'prod', owner: 'dev', trains: false, serves: true });
  });

  test('the owner shares with exactly the serving accounts other than its own', () => {
    const shares = dev.promotion?.shares;
    expect(shares?.accounts).toEqual(['222222222222', '333333333333']);
    expect(shares?.consumers.map((c) => [c.environments, c.eventBusArn])).toEqual([
      [['prod'], 'arn:aws:events:us-east-1:222222222222:event-bus/default'],
      [['stage'], 'arn:aws:events:us-east-1:333333333333:event-bus/default'],
    ]);
    // Only the training artifacts prefix: the rest of the models bucket stays private.
    expect(shares?.reads).toEqual([
      {
        bucket: 'models',
        bucketName: dev.training?.artifacts.bucketName,
        key: 'demo-dev/training/artifacts/',
        match: 'prefix',
      },
    ]);
  });

  test("a serving environment reads the owner's group, in the owner's account, behind a gate", () => {
    const src = prod.promotion?.source;
    expect(src).toMatchObject({
      ownerAccount: '111111111111',
      crossAccount: true,
      packageGroupArn: 'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/demo-dev-models',
      key: { alias: 'alias/demo-dev' },
      gate: { stateMachineName: 'demo-prod-promotion', timeoutSeconds: 168 * 3600 },
    });
    const deploy = prod.serving?.deploy;
    expect(deploy?.packageGroup).toBe('demo-dev-models');
    expect(deploy?.packageArnPrefix).toBe(
      'arn:aws:sagemaker:us-east-1:111111111111:model-package/demo-dev-models/',
    );
    expect(deploy?.promotion).toEqual({
      ownerAccount: '111111111111',
      packageGroupArn: 'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/demo-dev-models',
      gated: true,
    });
    const model = prod.serving?.endpoints[0].variants[0].model.source;
    expect(model).toMatchObject({ kind: 'registry', packageGroup: 'demo-dev-models' });
  });

  test('the owner serves its own registry as without promotion', () => {
    expect(dev.serving?.deploy?.packageGroup).toBe('demo-dev-models');
    expect(dev.serving?.deploy?.promotion).toBeUndefined();
  });

  test('a tooling owner that does not serve has no endpoints; a same-account server needs no grants', () => {
    const tooling = build(
      spec(
        BASE,
        `environments:\n  tools: {account: "444444444444"}\n  dev: {}\n  prod: {account: "222222222222"}\n`,
        'promotion:\n  owner: tools\n  serve: [dev, prod]\n  approval: automatic\n',
      ),
    );
    const tools = tooling.get('tools')!;
    expect(tools.resolved.serving).toBeUndefined();
    expect(tools.resources.aws_sagemaker_endpoint).toBeUndefined();
    expect(tools.resources.aws_sagemaker_pipeline).toBeDefined();
    expect(tools.resolved.promotion?.shares?.accounts).toEqual(['111111111111', '222222222222']);
    // automatic: no gate, the serving deploy's own rule starts it on the forwarded event.
    const dev = tooling.get('dev')!;
    expect(dev.resolved.promotion?.source?.gate).toBeUndefined();
    expect(dev.resources.aws_sfn_state_machine.serving_promotion).toBeUndefined();
    const rule = dev.resources.aws_cloudwatch_event_rule.serving_deploy_approved;
    expect(JSON.parse(rule.event_pattern as string).account).toEqual(['444444444444']);

    const same = build(
      spec(BASE, `environments:\n  dev: {}\n  prod: {}\n`, 'promotion:\n  owner: dev\n  serve: [prod]\n'),
    );
    expect(same.get('dev')!.resolved.promotion?.shares).toBeUndefined();
    expect(same.get('dev')!.resources.aws_sagemaker_model_package_group_policy).toBeUndefined();
    expect(same.get('prod')!.resources.aws_cloudwatch_event_permission).toBeUndefined();
    expect(same.get('prod')!.resolved.promotion?.source?.crossAccount).toBe(false);
  });
});

test('two serving environments in one account get the events once: one rule per account', () => {
  const two = build(
    spec(
      BASE,
      `environments:\n  dev: {}\n  prod: {account: "222222222222"}\n  canary: {account: "222222222222"}\n`,
      'promotion:\n  owner: dev\n  serve: [canary, prod]\n',
    ),
  );
  const dev = two.get('dev')!;
  expect(dev.resolved.promotion?.shares?.consumers).toEqual([
    {
      account: '222222222222',
      environments: ['canary', 'prod'],
      eventBusArn: 'arn:aws:events:us-east-1:222222222222:event-bus/default',
      ruleName: 'demo-dev-promote-222222222222',
    },
  ]);
  expect(Object.keys(dev.resources.aws_cloudwatch_event_target)).toEqual(['promotion_to_222222222222']);
  // Each serving environment's own rule picks them up from the shared default bus.
  for (const env of ['canary', 'prod']) {
    const rule = two.get(env)!.resources.aws_cloudwatch_event_rule.serving_promotion_approved;
    expect(rule.name).toBe(`demo-${env}-serving-approved`);
  }
});

describe('promotion: the synthesized owner', () => {
  const dev = build(spec()).get('dev')!.resources;

  test('the group policy names exactly the serving accounts, for reading and deploying packages only', () => {
    const doc = policy(dev.aws_sagemaker_model_package_group_policy.promotion, 'resource_policy');
    const roots = ['arn:aws:iam::222222222222:root', 'arn:aws:iam::333333333333:root'];
    expect(doc.Statement.map((s) => s.Principal)).toEqual([{ AWS: roots }, { AWS: roots }]);
    expect(doc.Statement.map((s) => s.Effect)).toEqual(['Allow', 'Allow']);
    expect(doc.Statement.flatMap((s) => [s.Action].flat())).toEqual([
      'sagemaker:DescribeModelPackageGroup',
      'sagemaker:CreateModel',
      'sagemaker:DescribeModelPackage',
      'sagemaker:ListModelPackages',
    ]);
    expect(doc.Statement.map((s) => s.Resource)).toEqual([
      'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/demo-dev-models',
      'arn:aws:sagemaker:us-east-1:111111111111:model-package/demo-dev-models/*',
    ]);
  });

  test('the models bucket grants them GetObject on the artifacts prefix only; other buckets grant nothing', () => {
    const models = policy(dev.aws_s3_bucket_policy.lake_models);
    const grant = statement(models, 'ServingAccountsReadModelArtifacts');
    expect(grant).toEqual({
      Sid: 'ServingAccountsReadModelArtifacts',
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::222222222222:root', 'arn:aws:iam::333333333333:root'] },
      Action: 's3:GetObject',
      Resource: ['arn:aws:s3:::demo-dev-111111111111-us-east-1-models/demo-dev/training/artifacts/*'],
    });
    for (const [name, r] of Object.entries(dev.aws_s3_bucket_policy)) {
      if (name === 'lake_models') continue;
      expect(JSON.stringify(policy(r).Statement.map((s) => s.Principal))).not.toContain('222222222222');
    }
  });

  test('the key lets them decrypt and describe only through S3', () => {
    const key = policy(dev.aws_kms_key.kms);
    expect(statement(key, 'ServingAccountsDecryptModelsThroughS3')).toEqual({
      Sid: 'ServingAccountsDecryptModelsThroughS3',
      Effect: 'Allow',
      Principal: { AWS: ['arn:aws:iam::222222222222:root', 'arn:aws:iam::333333333333:root'] },
      Action: ['kms:Decrypt', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
    });
  });

  test("approvals are forwarded to each serving account's default bus by a role that may put events there only", () => {
    const rule = dev.aws_cloudwatch_event_rule.promotion_to_222222222222;
    expect(rule.name).toBe('demo-dev-promote-222222222222');
    expect(JSON.parse(rule.event_pattern as string)).toEqual({
      source: ['aws.sagemaker'],
      'detail-type': ['SageMaker Model Package State Change'],
      detail: { ModelPackageGroupName: ['demo-dev-models'], ModelApprovalStatus: ['Approved'] },
    });
    expect(dev.aws_cloudwatch_event_target.promotion_to_222222222222).toMatchObject({
      arn: 'arn:aws:events:us-east-1:222222222222:event-bus/default',
      role_arn: '${aws_iam_role.promotion.arn}',
    });
    expect(dev.aws_cloudwatch_event_target.promotion_to_333333333333.arn).toBe(
      'arn:aws:events:us-east-1:333333333333:event-bus/default',
    );
    expect(policy(dev.aws_iam_role_policy.promotion).Statement).toEqual([
      {
        Sid: 'ForwardApprovalsToServingAccounts',
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Resource: [
          'arn:aws:events:us-east-1:222222222222:event-bus/default',
          'arn:aws:events:us-east-1:333333333333:event-bus/default',
        ],
      },
    ]);
  });
});

describe('promotion: the synthesized serving environment', () => {
  const prod = build(spec()).get('prod')!.resources;

  test('has no training pipeline, model registry or CI/CD', () => {
    expect(prod.aws_sagemaker_pipeline).toBeUndefined();
    expect(prod.aws_sagemaker_model_package_group).toBeUndefined();
    expect(prod.aws_codepipeline).toBeUndefined();
  });

  test('its bus admits the owner account, and its rule matches only the owner’s approvals', () => {
    expect(prod.aws_cloudwatch_event_permission.serving_promotion).toEqual({
      action: 'events:PutEvents',
      event_bus_name: 'default',
      principal: '111111111111',
      statement_id: 'demo-prod-from-dev',
    });
    const rule = prod.aws_cloudwatch_event_rule.serving_promotion_approved;
    expect(JSON.parse(rule.event_pattern as string)).toEqual({
      source: ['aws.sagemaker'],
      account: ['111111111111'],
      'detail-type': ['SageMaker Model Package State Change'],
      detail: { ModelPackageGroupName: ['demo-dev-models'], ModelApprovalStatus: ['Approved'] },
    });
    // The rule starts the gate, never the deploy directly.
    expect(prod.aws_cloudwatch_event_target.serving_promotion_approved.arn).toBe(
      '${aws_sfn_state_machine.serving_promotion.arn}',
    );
    expect(prod.aws_cloudwatch_event_rule.serving_deploy_approved).toBeUndefined();
  });

  test('the gate waits for a task token sent over SNS, then runs the serving deploy for that version', () => {
    const def = JSON.parse(prod.aws_sfn_state_machine.serving_promotion.definition as string);
    expect(def.States.AskApprovers).toMatchObject({
      Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
      Arguments: { TopicArn: '${aws_sns_topic.serving_promotion.arn}' },
      TimeoutSeconds: 168 * 3600,
    });
    expect(def.States.AskApprovers.Arguments.Message).toContain('$states.context.Task.Token');
    expect(def.States.Deploy).toMatchObject({
      Resource: 'arn:aws:states:::states:startExecution.sync:2',
      Arguments: {
        StateMachineArn: '${aws_sfn_state_machine.serving_deploy.arn}',
        Input: { endpoints: ['scorer'], version: '{% $version %}' },
      },
    });
    expect(prod.aws_sns_topic.serving_promotion.kms_master_key_id).toBe('${aws_kms_key.kms.arn}');
  });

  test("the deploy lists the owner's group by ARN and reads its packages", () => {
    const def = JSON.parse(prod.aws_sfn_state_machine.serving_deploy.definition as string);
    expect(def.States.Init.Assign.group).toBe(
      'arn:aws:sagemaker:us-east-1:111111111111:model-package-group/demo-dev-models',
    );
    const role = policy(prod.aws_iam_role_policy.serving_deploy);
    expect(statement(role, 'ReadPackages').Resource).toBe(
      'arn:aws:sagemaker:us-east-1:111111111111:model-package/demo-dev-models/*',
    );
  });

  test("the endpoint's role reads the owner's artifacts prefix, decrypts with the owner's key through S3 only", () => {
    const role = policy(prod.aws_iam_role_policy.serving_scorer);
    expect(statement(role, 'ReadPromotedModelArtifacts').Resource).toEqual([
      'arn:aws:s3:::demo-dev-111111111111-us-east-1-models/demo-dev/training/artifacts/*',
    ]);
    expect(statement(role, 'DecryptPromotedModels')).toMatchObject({
      Action: ['kms:Decrypt', 'kms:DescribeKey'],
      Resource: 'arn:aws:kms:us-east-1:111111111111:key/*',
      Condition: {
        StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
        'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/demo-dev' },
      },
    });
    // Its own models bucket is not where promoted models are.
    expect(role.Statement.find((s) => s.Sid === 'ReadModelArtifacts')).toBeUndefined();
  });
});

describe('promotion: a framework model reads its source archive', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pipeform-promotion-'));
    mkdirSync(join(dir, 'code'));
    writeFileSync(join(dir, 'code', 'train.py'), 'print("train")\n');
    writeFileSync(join(dir, 'code', 'evaluate.py'), 'print("evaluate")\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("the serving role and the owner's bucket policy name the very object the owner uploads, and no other asset", () => {
    const framework = BASE.replace(
      '  algorithm: xgboost\n  hyperparameters: {num_round: 100}\n',
      '  algorithm: sklearn\n  version: "1.2-1"\n  entryPoint: train.py\n',
    ).replace('code: {s3: s3://acme-code/churn/}', 'code: {directory: code}');
    const envs = build(spec(framework), join(dir, 'pipeline.yaml'));
    const dev = envs.get('dev')!.resources;
    const prod = envs.get('prod')!.resources;
    const uploaded = dev.aws_s3_object.assets_training_source.key as string;
    expect(uploaded).toMatch(/^demo-dev\/assets\/[0-9a-f]+\/sourcedir\.tar\.gz$/);
    const object = `arn:aws:s3:::demo-dev-111111111111-us-east-1-models/${uploaded}`;
    const artifacts = 'arn:aws:s3:::demo-dev-111111111111-us-east-1-models/demo-dev/training/artifacts/*';
    const grant = statement(
      policy(dev.aws_s3_bucket_policy.lake_models),
      'ServingAccountsReadModelArtifacts',
    );
    expect(grant.Resource).toEqual([object, artifacts]);
    const role = policy(prod.aws_iam_role_policy.serving_scorer);
    expect(statement(role, 'ReadPromotedModelArtifacts').Resource).toEqual([object, artifacts]);
    // The evaluation script is an asset too, but no model reads it: it stays private.
    expect(JSON.stringify(grant)).not.toContain('evaluate.py');
  });
});

describe('examples/promotion', () => {
  test('prod, in its own account, has no SageMaker pipeline; dev has one and shares it', () => {
    const read = (env: string) =>
      JSON.parse(readFileSync(join(ROOT, 'generated', 'promotion', env, 'main.tf.json'), 'utf8')).resource;
    expect(read('prod').aws_sagemaker_pipeline).toBeUndefined();
    expect(read('dev').aws_sagemaker_pipeline).toBeDefined();
    expect(read('dev').aws_sagemaker_model_package_group_policy).toBeDefined();
  });
});

testRuleCases([
  [
    'promotion/needs-environments',
    spec(BASE, '', 'promotion:\n  owner: dev\n  serve: [prod]\n'),
    22,
    1,
    'the spec has no environments',
    spec(),
  ],
  [
    'promotion/environments',
    spec(BASE, ENVS, PROMOTION.replace('owner: dev', 'owner: dvv')),
    27,
    10,
    '"dvv" is not defined; did you mean "dev"?',
    spec(),
  ],
  [
    'promotion/environments',
    spec(BASE, ENVS, 'promotion:\n  owner: dev\n  serve: [dev, prod]\n'),
    25,
    3,
    'environment stage neither trains',
    spec(),
  ],
  [
    'promotion/environments',
    spec(BASE, ENVS.replace(/ {2}prod.*\n {2}stage.*\n/, ''), 'promotion:\n  owner: dev\n  serve: [dev]\n'),
    26,
    10,
    'only the owner "dev" serves',
    spec(BASE, ENVS.replace(/ {2}stage.*\n/, ''), 'promotion:\n  owner: dev\n  serve: [prod]\n'),
  ],
  [
    'promotion/owner-trains',
    spec(BASE.replace(/training:\n(?: {2}.*\n)+/, '')),
    21,
    10,
    'the spec has no SageMaker training pipeline',
    spec(),
  ],
  [
    'promotion/serving-from-registry',
    spec(
      BASE.replace(
        'model: {registry: {version: latest-approved}}',
        'model: {artifact: {key: m/model.tar.gz}, builtinImage: {framework: xgboost, version: "1.7-1"}}',
      ),
    ),
    28,
    10,
    'no serving endpoint has a model from the registry',
    spec(),
  ],
  [
    'promotion/owner-key',
    spec(
      BASE.replace(
        'network:',
        'security:\n  kms:\n    existingKeyArn: arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab\nnetwork:',
      ),
    ),
    10,
    21,
    'must decrypt its model artifacts',
    spec(
      BASE.replace(
        'network:',
        'security:\n  kms:\n    existingKeyArn: arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab\nnetwork:',
      ),
      `environments:\n  dev: {}\n  prod: {}\n`,
      'promotion:\n  owner: dev\n  serve: [prod]\n',
    ),
  ],
  [
    'promotion/training-steps',
    spec(`${BASE}orchestration:\n  workflow:\n    steps:\n      - {name: train, type: sagemaker-pipeline}\n`),
    25,
    29,
    'starts the training pipeline, which only the promotion owner dev has',
    spec(),
  ],
]);
