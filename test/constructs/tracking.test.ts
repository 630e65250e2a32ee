import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { mlflowEnvironmentScript } from '../../src/constructs/data/notebooks';
import { leastPrivilegeProblems } from '../../src/constructs/iam/least-privilege';
import type { PolicyStatement } from '../../src/constructs/iam/policy';
import { PipelineStack } from '../../src/constructs/pipeline-stack';
import { MLFLOW_LOGGING_ACTIONS, MLFLOW_USER_ACTIONS } from '../../src/constructs/tracking/statements';
import { analyzeSpec } from '../../src/compiler';
import { costReport } from '../../src/cost';
import { buildGraph } from '../../src/graph';
import { compileData, MINIMAL, ROOT } from '../harness/spec';
import { testApp } from '../harness/cdktf-testing';
import { plannedOutputs } from '../harness/terraform';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized JSON of any depth, read by path
type Json = Record<string, any>;

const SERVER_ARN = 'arn:aws:sagemaker:us-east-1:123456789012:mlflow-tracking-server/demo-mlflow';
const MODELS = 'demo-123456789012-us-east-1-models';
const BASE = {
  ...MINIMAL,
  network: {
    vpc: {
      cidr: '10.0.0.0/16',
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      publicSubnets: true,
      natGateways: 'single',
    },
  },
  goals: {
    kpis: [
      {
        name: 'auc',
        metric: 'classification_metrics.auc.value',
        threshold: 0.8,
        direction: 'higher-is-better',
      },
    ],
  },
};
const TRAINING = {
  algorithm: 'xgboost',
  hyperparameters: { num_round: 200, objective: 'binary:logistic' },
  networkIsolation: false,
  data: { prefix: 'churn/' },
  code: { s3: 's3://acme-ml-code/demo/' },
  processing: { script: 'preprocess.py', input: { bucket: 'raw', prefix: 'churn/' } },
  evaluation: { script: 'evaluate.py' },
};

function synth(extra: object): Json {
  const stack = new PipelineStack(testApp(), 'demo', compileData({ ...BASE, ...extra }));
  return JSON.parse(Testing.synth(stack));
}

const statements = (r: Json, address: string): PolicyStatement[] =>
  JSON.parse(r.aws_iam_role_policy[address].policy).Statement;
const actionsOf = (s: PolicyStatement): string[] => [s.Action].flat() as string[];
/** Every action a policy allows on a resource matching `resource` exactly. */
const allowedOn = (st: PolicyStatement[], resource: string): string[] =>
  st.filter((s) => [s.Resource].flat().includes(resource)).flatMap(actionsOf);

describe('tracking.mlflow: the server', () => {
  const config = synth({
    training: TRAINING,
    tracking: { mlflow: { size: 'Medium', version: '2.16', automaticModelRegistration: true } },
  });
  const r = config.resource;
  const server = r.aws_sagemaker_mlflow_tracking_server.tracking;

  test('named after the pipeline, artifacts in the models bucket under its own prefix, the spec settings', () => {
    expect(server).toEqual({
      tracking_server_name: 'demo-mlflow',
      artifact_store_uri: `s3://${MODELS}/demo/mlflow/`,
      role_arn: '${aws_iam_role.tracking.arn}',
      tracking_server_size: 'Medium',
      mlflow_version: '2.16',
      weekly_maintenance_window_start: 'Sun:03:00',
      automatic_model_registration: true,
      depends_on: ['aws_iam_role_policy.tracking'],
    });
    expect(config.output.mlflow_tracking_server_arn.value).toBe(
      '${aws_sagemaker_mlflow_tracking_server.tracking.arn}',
    );
  });

  test('its role reads and writes only its prefix, uses the key, and registers only into the pipeline group', () => {
    const st = statements(r, 'tracking');
    expect(leastPrivilegeProblems(st)).toEqual([]);
    expect(JSON.parse(r.aws_iam_role.tracking.assume_role_policy).Statement[0].Principal).toEqual({
      Service: ['sagemaker.amazonaws.com'],
    });
    const s3 = st.filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
    expect(s3.flatMap((s) => [s.Resource].flat()).sort()).toEqual([
      `arn:aws:s3:::${MODELS}`,
      `arn:aws:s3:::${MODELS}/demo/mlflow/*`,
    ]);
    expect(s3.find((s) => actionsOf(s).includes('s3:ListBucket'))?.Condition).toEqual({
      StringLike: { 's3:prefix': ['demo/mlflow/', 'demo/mlflow/*'] },
    });
    expect(allowedOn(st, '${aws_kms_key.kms.arn}')).toContain('kms:GenerateDataKey*');
    const group = 'arn:aws:sagemaker:us-east-1:123456789012:model-package-group/demo-models';
    expect(allowedOn(st, group).sort()).toEqual([
      'sagemaker:AddTags',
      'sagemaker:CreateModelPackage',
      'sagemaker:CreateModelPackageGroup',
      'sagemaker:DescribeModelPackageGroup',
    ]);
    const sagemaker = st.filter((s) => actionsOf(s).some((a) => a.startsWith('sagemaker:')));
    expect(sagemaker.flatMap((s) => [s.Resource].flat()).sort()).toEqual([
      group,
      'arn:aws:sagemaker:us-east-1:123456789012:model-package/demo-models/*',
    ]);
  });

  test('without automatic registration the role has no SageMaker action at all', () => {
    const rr = synth({ training: TRAINING, tracking: { mlflow: {} } }).resource;
    expect(rr.aws_sagemaker_mlflow_tracking_server.tracking).toMatchObject({
      tracking_server_size: 'Small',
      automatic_model_registration: false,
    });
    expect(rr.aws_sagemaker_mlflow_tracking_server.tracking.mlflow_version).toBeUndefined();
    const actions = statements(rr, 'tracking').flatMap(actionsOf);
    expect(actions.filter((a) => a.startsWith('sagemaker'))).toEqual([]);
  });
});

describe('tracking.mlflow: the training jobs', () => {
  const r = synth({ training: TRAINING, tracking: { mlflow: {} } }).resource;
  const definition = JSON.parse(r.aws_sagemaker_pipeline.training.pipeline_definition as string);

  test('every job of the pipeline gets MLFLOW_TRACKING_URI = the server ARN', () => {
    const environments = (definition.Steps as Json[])
      .filter((s) => ['Training', 'Processing'].includes(s.Type))
      .map((s) => s.Arguments.Environment ?? {});
    expect(environments.length).toBeGreaterThanOrEqual(3);
    for (const e of environments) expect(e.MLFLOW_TRACKING_URI).toBe(SERVER_ARN);
  });

  test('the pipeline role may log to this server only, delete nothing, and write only the artifact prefix', () => {
    const st = statements(r, 'training');
    expect(leastPrivilegeProblems(st)).toEqual([]);
    const mlflow = st.filter((s) => actionsOf(s).some((a) => a.startsWith('sagemaker-mlflow:')));
    expect(mlflow).toHaveLength(1);
    expect(mlflow[0].Resource).toBe(SERVER_ARN);
    expect(actionsOf(mlflow[0])).toEqual(MLFLOW_LOGGING_ACTIONS);
    expect(actionsOf(mlflow[0])).toEqual(
      expect.arrayContaining(['sagemaker-mlflow:CreateRun', 'sagemaker-mlflow:LogBatch']),
    );
    expect(actionsOf(mlflow[0]).filter((a) => /:(Delete|Restore|Rename|AccessUI)/.test(a))).toEqual([]);
    expect(allowedOn(st, `arn:aws:s3:::${MODELS}/demo/mlflow/*`)).toEqual(
      expect.arrayContaining(['s3:GetObject', 's3:PutObject']),
    );
  });

  test('without tracking, no job environment names MLflow and the role has no MLflow grant', () => {
    const plain = synth({ training: TRAINING }).resource;
    expect(plain.aws_sagemaker_pipeline.training.pipeline_definition).not.toContain('MLFLOW');
    expect(plain.aws_iam_role_policy.training.policy).not.toContain('mlflow');
    expect(plain.aws_sagemaker_mlflow_tracking_server).toBeUndefined();
  });
});

describe('tracking.mlflow: the Studio domain', () => {
  const r = synth({
    tracking: { mlflow: {} },
    notebooks: { domain: { users: [{ name: 'alice' }] } },
  }).resource;

  test('users curate experiments on this server and open its UI; AccessUI is the one grant on *', () => {
    const st = statements(r, 'notebooks');
    expect(leastPrivilegeProblems(st)).toEqual([]);
    expect(allowedOn(st, SERVER_ARN).sort()).toEqual(
      [
        ...MLFLOW_USER_ACTIONS,
        'sagemaker:CreatePresignedMlflowTrackingServerUrl',
        'sagemaker:DescribeMlflowTrackingServer',
      ].sort(),
    );
    expect(MLFLOW_USER_ACTIONS).toEqual(expect.arrayContaining(['sagemaker-mlflow:DeleteRun']));
    expect(MLFLOW_USER_ACTIONS.filter((a) => /Delete(RegisteredModel|ModelVersion)$/.test(a))).toEqual([]);
    expect(allowedOn(st, '*')).toEqual(['sagemaker-mlflow:AccessUI']);
  });

  test('every JupyterLab space starts with MLFLOW_TRACKING_URI set by a lifecycle configuration', () => {
    const lc = r.aws_sagemaker_studio_lifecycle_config.notebooks_mlflow_env;
    expect(lc.studio_lifecycle_config_name).toBe('demo-mlflow-env');
    expect(lc.studio_lifecycle_config_app_type).toBe('JupyterLab');
    // Terraform encodes the script: evaluate the expression offline and decode what it gives.
    const { content } = plannedOutputs({
      output: { content: { value: lc.studio_lifecycle_config_content } },
    });
    const script = Buffer.from(content as string, 'base64').toString('utf8');
    expect(script).toBe(mlflowEnvironmentScript(SERVER_ARN));
    expect(script).toContain(`ARN='${SERVER_ARN}'`);
    const lab = r.aws_sagemaker_domain.notebooks.default_user_settings.jupyter_lab_app_settings;
    const arn = '${aws_sagemaker_studio_lifecycle_config.notebooks_mlflow_env.arn}';
    expect(lab.lifecycle_config_arns).toEqual([arn]);
    expect(lab.default_resource_spec).toEqual({ lifecycle_config_arn: arn });
  });

  test('the start script is valid bash and writes the variable for terminals and kernels', () => {
    const script = mlflowEnvironmentScript(SERVER_ARN);
    expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);
    const home = spawnSync('mktemp', ['-d']).stdout.toString().trim();
    const run = spawnSync('bash', [], { input: script, env: { ...process.env, HOME: home } });
    expect(run.status).toBe(0);
    const startup = spawnSync('cat', [`${home}/.ipython/profile_default/startup/00-pipeform-mlflow.py`]);
    expect(startup.stdout.toString()).toBe(
      `import os\nos.environ.setdefault('MLFLOW_TRACKING_URI', '${SERVER_ARN}')\n`,
    );
    expect(spawnSync('cat', [`${home}/.bashrc`]).stdout.toString()).toBe(
      `export MLFLOW_TRACKING_URI=${SERVER_ARN}\n`,
    );
    spawnSync('rm', ['-rf', home]);
  });

  test('a domain without tracking has no lifecycle configuration and no MLflow grant', () => {
    const plain = synth({ notebooks: { domain: { users: [{ name: 'alice' }] } } }).resource;
    expect(plain.aws_sagemaker_studio_lifecycle_config).toBeUndefined();
    expect(plain.aws_iam_role_policy.notebooks.policy).not.toContain('mlflow');
  });
});

describe('notebooks.domain.authMode', () => {
  test('SSO: the domain signs in through IAM Identity Center, each profile names its user', () => {
    const r = synth({
      notebooks: {
        domain: {
          authMode: 'SSO',
          users: [
            { name: 'bob', ssoUserName: 'bob@example.com' },
            { name: 'alice', ssoUserName: 'alice@example.com' },
          ],
        },
      },
    }).resource;
    expect(r.aws_sagemaker_domain.notebooks.auth_mode).toBe('SSO');
    expect(r.aws_sagemaker_user_profile.notebooks_users_alice).toMatchObject({
      user_profile_name: 'alice',
      single_sign_on_user_identifier: 'UserName',
      single_sign_on_user_value: 'alice@example.com',
    });
    expect(r.aws_sagemaker_user_profile.notebooks_users_bob.single_sign_on_user_value).toBe(
      'bob@example.com',
    );
  });

  test('IAM by default: no Identity Center attributes', () => {
    const r = synth({ notebooks: { domain: { users: [{ name: 'alice' }] } } }).resource;
    expect(r.aws_sagemaker_domain.notebooks.auth_mode).toBe('IAM');
    expect(r.aws_sagemaker_user_profile.notebooks_users_alice.single_sign_on_user_identifier).toBeUndefined();
    expect(r.aws_sagemaker_user_profile.notebooks_users_alice.single_sign_on_user_value).toBeUndefined();
  });
});

describe('the MLflow server, the bias and explainability monitors in the cost estimate and the graph', () => {
  const text = readFileSync(join(ROOT, 'examples', 'complete', 'pipeline.yaml'));
  const analyzed = analyzeSpec(join(ROOT, 'examples', 'complete', 'pipeline.yaml'), text);

  test('the server is a line of its own; its hourly price is not in the table, so it is unknown, never guessed', () => {
    const line = costReport(analyzed).lines.find((l) => l.component === 'tracking/mlflow');
    expect(line?.area).toBe('tracking');
    expect(line?.usd).toBeUndefined();
    expect(line?.description).toContain('MLflow tracking server fraud-mlflow: Small, 730 h');
    expect(line?.unknown).toEqual(['sagemaker mlflow tracking server Small in us-east-1']);
  });

  test('the monitor of scorer counts the bias and explainability schedules beside data and model quality', () => {
    const line = costReport(analyzed).lines.find((l) => l.component === 'monitoring/scorer');
    expect(line?.description).toContain('(4 schedules,');
  });

  test('the graph shows the server under training, bias drift and feature attribution on the monitor', () => {
    const g = buildGraph(analyzed.resolved);
    const training = g.stages.find((s) => s.id === 'training')?.nodes ?? [];
    expect(training).toContainEqual({
      id: 'training_mlflow',
      label: 'MLflow tracking server',
      detail: 'fraud-mlflow, Small',
    });
    const monitoring = g.stages.find((s) => s.id === 'monitoring')?.nodes ?? [];
    expect(monitoring.find((n) => n.id === 'monitoring_monitor_scorer')?.detail).toBe(
      'scorer: data + model quality, bias drift, feature attribution',
    );
  });
});
