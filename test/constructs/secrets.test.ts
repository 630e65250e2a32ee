import { Testing } from 'cdktf';
import { PipelineStack } from '../../src/constructs/pipeline-stack';
import { leastPrivilegeProblems } from '../../src/constructs/iam/least-privilege';
import type { PolicyStatement } from '../../src/constructs/iam/policy';
import { secretReadStatements, secretResourceArn } from '../../src/constructs/iam/secrets';
import { compileText } from '../harness/spec';
import { testApp } from '../harness/cdktf-testing';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const SCOPE = { partition: 'aws', region: 'us-east-1', account: '123456789012' };
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_KEY = 'arn:aws:kms:us-east-1:999999999999:key/5678abcd-12ab-34cd-56ef-1234567890ab';
const SHARED = 'arn:aws:secretsmanager:us-east-1:999999999999:secret:shared/crm-AbCdEf';

/** Every service that takes a reference, each reading its own; function `plain` reads none. */
const SPEC = `apiVersion: pipeform/v1
name: demo
region: us-east-1
account: "123456789012"
network:
  existing:
    vpcId: vpc-0123456789abcdef0
    subnetIds: [subnet-0123456789abcdef0]
    securityGroupIds: [sg-0123456789abcdef0]
goals:
  kpis:
    - {name: auc, metric: metrics.auc, threshold: 0.8, direction: higher-is-better}
orchestration:
  functions:
    - name: loader
      code: {s3: s3://acme-shared-code/loader.zip}
      handler: h.h
      environment:
        TARGET: curated
        DB_PASSWORD: {secret: demo/db}
        API_KEY: {parameter: /demo/api-key, kmsKeyArn: "${KEY}"}
    - name: plain
      code: {s3: s3://acme-shared-code/plain.zip}
      handler: h.h
      environment: {TARGET: curated}
data:
  glue:
    jobs:
      - name: enrich
        script: s3://acme-shared-code/enrich.py
        arguments:
          --crm-password: {secret: "${SHARED}", kmsKeyArn: "${OTHER_KEY}"}
          --crm-host: crm.internal
training:
  algorithm: xgboost
  hyperparameters: {num_round: 100}
  data: {prefix: churn/}
  networkIsolation: false
  environment: {FEATURE_TOKEN: {secret: demo/features}}
  processing:
    script: prep.py
    input: {prefix: in/}
    environment: {DB_PASSWORD: {parameter: /demo/db-password}}
  evaluation: {script: evaluate.py}
serving:
  endpoints:
    - name: scorer
      networkIsolation: false
      model:
        artifact: {key: m/model.tar.gz}
        builtinImage: {framework: xgboost, version: 1.7-1}
        environment:
          LOG_LEVEL: info
          LOOKUP_TOKEN: {secret: demo/lookup}
cicd:
  source:
    git: {repository: acme/churn}
  deploy: {enabled: false}
  build:
    environment:
      PYTHON_VERSION: "3.11"
      GITHUB_TOKEN: {secret: demo/github, jsonKey: token}
      PYPI_TOKEN: {parameter: /demo/pypi}
      OLD_TOKEN: {secret: demo/old, versionStage: AWSPREVIOUS}
`;

function synth(text: string): Resources {
  const stack = new PipelineStack(testApp(), 'demo', compileText(text));
  return JSON.parse(Testing.synth(stack)).resource;
}

const statementsOf = (r: Resources, policy: string): PolicyStatement[] =>
  (JSON.parse(r.aws_iam_role_policy[policy].policy as string) as { Statement: PolicyStatement[] }).Statement;

/** What a policy lets its role read from Secrets Manager and SSM, and decrypt outside the pipeline key. */
function secretGrants(statements: PolicyStatement[]): Record<string, unknown> {
  const list = (v: string | readonly string[] | undefined) =>
    v === undefined ? [] : typeof v === 'string' ? [v] : [...v];
  const out: Record<string, unknown> = {};
  for (const s of statements) {
    const actions = list(s.Action);
    if (
      actions.some((a) => a.startsWith('secretsmanager:') || a.startsWith('ssm:')) ||
      s.Condition?.StringEquals?.['kms:ViaService'] !== undefined
    )
      out[s.Sid] = {
        Action: s.Action,
        Resource: s.Resource,
        ...(s.Condition ? { Condition: s.Condition } : {}),
      };
  }
  return out;
}

describe('secret references in the synthesized stack', () => {
  const r = synth(SPEC);
  const grants = Object.fromEntries(
    Object.keys(r.aws_iam_role_policy)
      .map((k) => [k, secretGrants(statementsOf(r, k))] as const)
      .filter(([, g]) => Object.keys(g).length > 0),
  );

  test('each role reads exactly its own references, and no other role reads any', () => {
    const read = (sid: string, resource: string[]) => ({
      [sid]: {
        Action:
          sid === 'ReadSecrets' ? 'secretsmanager:GetSecretValue' : ['ssm:GetParameter', 'ssm:GetParameters'],
        Resource: resource,
      },
    });
    const decrypt = (sid: string, key: string, service: string) => ({
      [sid]: {
        Action: 'kms:Decrypt',
        Resource: [key],
        Condition: { StringEquals: { 'kms:ViaService': `${service}.us-east-1.amazonaws.com` } },
      },
    });
    const secret = (name: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-??????`;
    const parameter = (name: string) => `arn:aws:ssm:us-east-1:123456789012:parameter/${name}`;
    expect(grants).toEqual({
      lambda_loader: {
        ...read('ReadSecrets', [secret('demo/db')]),
        ...read('ReadParameters', [parameter('demo/api-key')]),
        ...decrypt('DecryptParameters', KEY, 'ssm'),
      },
      glue_jobs_enrich: {
        ...read('ReadSecrets', [SHARED]),
        ...decrypt('DecryptSecrets', OTHER_KEY, 'secretsmanager'),
      },
      // One role runs the training, preprocessing and evaluation jobs.
      training: {
        ...read('ReadSecrets', [secret('demo/features')]),
        ...read('ReadParameters', [parameter('demo/db-password')]),
      },
      serving_scorer: read('ReadSecrets', [secret('demo/lookup')]),
      cicd_build: {
        ...read('ReadSecrets', [secret('demo/github'), secret('demo/old')]),
        ...read('ReadParameters', [parameter('demo/pypi')]),
      },
    });
  });

  test('every policy stays least-privilege with the grants in it', () => {
    for (const k of Object.keys(r.aws_iam_role_policy))
      expect(leastPrivilegeProblems(statementsOf(r, k))).toEqual([]);
  });

  test('Lambda: the reference arrives as its name under <NAME>_SECRET_ID / <NAME>_PARAMETER_NAME', () => {
    expect(r.aws_lambda_function.lambda_loader.environment).toEqual({
      variables: {
        API_KEY_PARAMETER_NAME: '/demo/api-key',
        DB_PASSWORD_SECRET_ID: 'demo/db',
        TARGET: 'curated',
      },
    });
  });

  test('Glue: the reference arrives as --<name>-secret-id', () => {
    const args = r.aws_glue_job.glue_jobs_enrich.default_arguments as Record<string, string>;
    expect(args['--crm-password-secret-id']).toBe(SHARED);
    expect(args['--crm-host']).toBe('crm.internal');
    expect(args['--crm-password']).toBeUndefined();
  });

  test('CodeBuild: SECRETS_MANAGER and PARAMETER_STORE variables CodeBuild resolves itself', () => {
    const vars = (r.aws_codebuild_project.cicd_build.environment as { environment_variable: unknown[] })
      .environment_variable;
    expect(vars).toEqual(
      expect.arrayContaining([
        { name: 'GITHUB_TOKEN', type: 'SECRETS_MANAGER', value: 'demo/github:token' },
        { name: 'OLD_TOKEN', type: 'SECRETS_MANAGER', value: 'demo/old::AWSPREVIOUS' },
        { name: 'PYPI_TOKEN', type: 'PARAMETER_STORE', value: '/demo/pypi' },
        { name: 'PYTHON_VERSION', type: 'PLAINTEXT', value: '3.11' },
      ]),
    );
    const names = vars.map((v) => (v as { name: string }).name);
    expect(names).toEqual([...names].sort());
  });

  test('SageMaker model: a plain map with the reference name (the deploy path copies it as is)', () => {
    const models = Object.values(r.aws_sagemaker_model);
    expect(models).toHaveLength(1);
    expect(models[0].primary_container).toMatchObject({
      environment: { LOG_LEVEL: 'info', LOOKUP_TOKEN_SECRET_ID: 'demo/lookup' },
    });
  });

  test('SageMaker pipeline: the training and processing jobs get their environments', () => {
    const definition = JSON.parse(r.aws_sagemaker_pipeline.training.pipeline_definition as string) as {
      Steps: { Name: string; Arguments: { Environment?: Record<string, string> } }[];
    };
    const env = (step: string) => definition.Steps.find((s) => s.Name === step)?.Arguments.Environment;
    expect(env('Train')).toEqual({ FEATURE_TOKEN_SECRET_ID: 'demo/features' });
    expect(env('Preprocess')).toEqual({ DB_PASSWORD_PARAMETER_NAME: '/demo/db-password' });
    expect(env('Evaluate')).toBeUndefined();
  });

  test('nothing but names: no reference leaves a value behind', () => {
    const text = JSON.stringify(r);
    expect(text).not.toMatch(/hunter2/);
    expect(text).not.toMatch(/"DB_PASSWORD":/);
    expect(text).not.toMatch(/"--crm-password":/);
  });
});

describe('a spec without references grants nothing', () => {
  const r = synth(SPEC.replace(/\{(secret|parameter): [^}]*\}/g, '/run/secrets/file'));
  test('no statement names Secrets Manager or SSM', () => {
    for (const k of Object.keys(r.aws_iam_role_policy)) expect(secretGrants(statementsOf(r, k))).toEqual({});
  });
});

describe('tuning: the training job definition carries the environment too', () => {
  const tuned = SPEC.replace(
    '  evaluation: {script: evaluate.py}\n',
    '  evaluation: {script: evaluate.py}\n  tuning:\n    objective: {metric: "validation:auc", direction: maximize}\n    ranges:\n      - {name: eta, type: continuous, min: 0.01, max: 0.3}\n',
  );
  test('Tune step', () => {
    const r = synth(tuned);
    const definition = JSON.parse(r.aws_sagemaker_pipeline.training.pipeline_definition as string) as {
      Steps: {
        Name: string;
        Arguments: { TrainingJobDefinition?: { Environment?: Record<string, string> } };
      }[];
    };
    const tune = definition.Steps.find((s) => s.Name === 'Tune');
    expect(tune?.Arguments.TrainingJobDefinition?.Environment).toEqual({
      FEATURE_TOKEN_SECRET_ID: 'demo/features',
    });
  });
});

describe('secretResourceArn and secretReadStatements', () => {
  test.each([
    [
      { kind: 'secret', id: 'churn/db' },
      'arn:aws:secretsmanager:us-east-1:123456789012:secret:churn/db-??????',
    ],
    [{ kind: 'secret', id: SHARED }, SHARED],
    [{ kind: 'parameter', name: '/churn/db' }, 'arn:aws:ssm:us-east-1:123456789012:parameter/churn/db'],
    [{ kind: 'parameter', name: 'flat' }, 'arn:aws:ssm:us-east-1:123456789012:parameter/flat'],
  ] as const)('%j -> %s', (ref, arn) => expect(secretResourceArn(ref, SCOPE)).toBe(arn));

  test('the partition and region come from the caller (GovCloud)', () => {
    expect(
      secretResourceArn(
        { kind: 'secret', id: 'a' },
        { partition: 'aws-us-gov', region: 'us-gov-west-1', account: '1' },
      ),
    ).toBe('arn:aws-us-gov:secretsmanager:us-gov-west-1:1:secret:a-??????');
  });

  test('no references, no statements', () => {
    expect(secretReadStatements([], SCOPE)).toEqual([]);
  });

  test('a key only for the service its references use, and each resource once', () => {
    const s = secretReadStatements(
      [
        { kind: 'secret', id: 'a', kmsKeyArn: KEY },
        { kind: 'secret', id: 'a', jsonKey: 'x', kmsKeyArn: KEY },
        { kind: 'parameter', name: '/p' },
      ],
      SCOPE,
    );
    expect(s.map((x) => x.Sid)).toEqual(['ReadSecrets', 'DecryptSecrets', 'ReadParameters']);
    expect(s[0].Resource).toEqual(['arn:aws:secretsmanager:us-east-1:123456789012:secret:a-??????']);
  });
});
