import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { secretRules } from '../src/compiler/rules/secrets';
import { testRuleCases, type RuleCase } from './harness/rules';
import { compileText, diagnosticsOf, ROOT } from './harness/spec';

const HEAD = 'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\n';
/** A function whose environment entries start on line 11, values at column 9 + key + 2. */
const fn = (env: string, head = HEAD) =>
  `${head}orchestration:\n  functions:\n    - name: f\n      code: {s3: s3://acme-shared-code/f.zip}\n      handler: h.h\n      environment:\n${env}`;
/** A Glue job whose arguments start on line 11. */
const glue = (args: string) =>
  `${HEAD}data:\n  glue:\n    jobs:\n      - name: j\n        script: s3://acme-shared-code/j.py\n        arguments:\n${args}`;
/** An existing network (lines 5-9): routing is the user's, so no endpoint is required. */
const EXISTING =
  'network:\n  existing:\n    vpcId: vpc-0123456789abcdef0\n    subnetIds: [subnet-0123456789abcdef0]\n    securityGroupIds: [sg-0123456789abcdef0]\n';
const GOALS =
  'goals:\n  kpis:\n    - {name: auc, metric: metrics.auc, threshold: 0.8, direction: higher-is-better}\n';
/** SageMaker training in an existing network: `training` on line 13, its keys from line 14, `extra` from line 19. */
const training = (extra: string, head = HEAD + EXISTING + GOALS) =>
  `${head}training:\n  algorithm: xgboost\n  hyperparameters: {num_round: 100}\n  data: {prefix: churn/}\n  evaluation: {script: evaluate.py}\n  code: {s3: s3://acme-shared-code/churn/}\n${extra}`;
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const OTHER_SECRET = 'arn:aws:secretsmanager:us-east-1:999999999999:secret:shared/db-AbCdEf';

/** [rule, a spec that breaks it, line, col, message fragment, a spec that keeps it]. */
const cases: RuleCase[] = [
  [
    'secrets/literal',
    fn('        DB_PASSWORD: hunter2\n'),
    11,
    22,
    '"DB_PASSWORD" looks like a secret, but its value is written in the spec',
    fn('        DB_PASSWORD: {secret: demo/db-password}\n'),
  ],
  [
    'secrets/literal',
    glue('          --db-password: hunter2\n'),
    11,
    26,
    '"--db-password" looks like a secret',
    glue('          --db-password: {secret: demo/db-password}\n'),
  ],
  [
    'secrets/literal',
    training('').replace('{num_round: 100}', '{num_round: 100, api_token: abc123}'),
    15,
    48,
    '"api_token" looks like a secret',
    training('  networkIsolation: false\n  environment:\n    API_TOKEN: {secret: demo/api-token}\n'),
  ],
  [
    'secrets/literal',
    training('').replace('{script: evaluate.py}', '{script: evaluate.py, arguments: [--api-token, abc123]}'),
    17,
    62,
    '"--api-token" looks like a secret',
    training('').replace(
      '{script: evaluate.py}',
      '{script: evaluate.py, arguments: [--api-token-file, /run/t]}',
    ),
  ],
  [
    'secrets/literal',
    training('').replace('{script: evaluate.py}', '{script: evaluate.py, arguments: [--api-token=abc123]}'),
    17,
    49,
    '"--api-token" looks like a secret',
    training('').replace('{script: evaluate.py}', '{script: evaluate.py, arguments: [--max-tokens=512]}'),
  ],
  [
    'secrets/literal',
    `${HEAD}tags:\n  deploy-token: abc123\n`,
    6,
    17,
    '"deploy-token" looks like a secret',
    `${HEAD}tags:\n  tokenizer: bert\n`,
  ],
  [
    'secrets/credential-format',
    `${HEAD}description: "ci uses ghp_${'a1B2'.repeat(9)}"\n`,
    5,
    14,
    'the value looks like a GitHub token',
    `${HEAD}description: ci uses a GitHub token from Secrets Manager\n`,
  ],
  [
    'secrets/credential-format',
    fn('        DATABASE_URL: postgres://etl:hunter2@db.internal:5432/crm\n'),
    11,
    23,
    'the value looks like a password in a URL',
    fn('        DATABASE_URL: postgres://db.internal:5432/crm\n'),
  ],
  [
    'secrets/reference-as-text',
    fn('        DB_SECRET_ARN: arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/db-AbCdEf\n'),
    11,
    24,
    'holds the ARN of a Secrets Manager secret as plain text',
    fn('        DB: {secret: "arn:aws:secretsmanager:us-east-1:123456789012:secret:demo/db-AbCdEf"}\n'),
  ],
  [
    'secrets/reference',
    fn('        DB_PASSWORD: {secret: demo/db, parameter: /demo/db}\n'),
    11,
    40,
    "'secret' and 'parameter' are both set",
    fn('        DB_PASSWORD: {parameter: /demo/db}\n'),
  ],
  [
    'secrets/reference',
    fn('        DB_PASSWORD: {}\n'),
    11,
    22,
    "names neither 'secret' nor 'parameter'",
    fn('        DB_PASSWORD: {secret: demo/db}\n'),
  ],
  [
    'secrets/reference',
    fn('        DB_PASSWORD: {secret: demo/db, jsonKey: password}\n'),
    11,
    40,
    "'jsonKey' is resolved by CodeBuild only",
    fn('        DB_PASSWORD: {secret: demo/db}\n'),
  ],
  [
    'secrets/reference',
    fn('        DB_PASSWORD: {parameter: /demo/db, versionStage: AWSPREVIOUS}\n'),
    11,
    44,
    "'versionStage' selects from a Secrets Manager secret",
    fn('        DB_PASSWORD: {parameter: /demo/db}\n'),
  ],
  [
    'secrets/cross-account',
    fn(`        DB_PASSWORD: {secret: "${OTHER_SECRET}"}\n`),
    11,
    31,
    'the secret belongs to account 999999999999, not the pipeline account 123456789012',
    fn(
      `        DB_PASSWORD: {secret: "${OTHER_SECRET}", kmsKeyArn: "${KEY.replace('123456789012', '999999999999')}"}\n`,
    ),
  ],
  [
    'secrets/derived-key',
    fn('        DB_PASSWORD: {secret: demo/db}\n        DB_PASSWORD_SECRET_ID: other\n'),
    11,
    9,
    'the reference arrives as DB_PASSWORD_SECRET_ID, which orchestration.functions[0].environment also sets',
    fn('        DB_PASSWORD: {secret: demo/db}\n        DB_HOST: db.internal\n'),
  ],
  [
    'secrets/network-isolation',
    training('  environment:\n    API_TOKEN: {secret: demo/api-token}\n'),
    20,
    16,
    'the training job runs with network isolation (training.networkIsolation, on by default)',
    training('  networkIsolation: false\n  environment:\n    API_TOKEN: {secret: demo/api-token}\n'),
  ],
  [
    'secrets/network-isolation',
    `${HEAD}${EXISTING}serving:\n  endpoints:\n    - name: scorer\n      model:\n        artifact: {key: m/model.tar.gz}\n        builtinImage: {framework: xgboost, version: 1.7-1}\n        environment:\n          FEATURE_API_KEY: {secret: demo/features}\n`,
    17,
    28,
    'the model container runs with network isolation (serving.endpoints[0].networkIsolation',
    `${HEAD}${EXISTING}serving:\n  endpoints:\n    - name: scorer\n      networkIsolation: false\n      model:\n        artifact: {key: m/model.tar.gz}\n        builtinImage: {framework: xgboost, version: 1.7-1}\n        environment:\n          FEATURE_API_KEY: {secret: demo/features}\n`,
  ],
];

testRuleCases(cases);

test('every secrets rule has a case', () => {
  expect(new Set(cases.map((c) => c[0]))).toEqual(new Set(secretRules.map((r) => r.id)));
});

describe('the literal-secret hint shows the reference form for the place', () => {
  test('an environment variable: the derived name the function receives', () => {
    const [d] = diagnosticsOf(fn('        DB_PASSWORD: hunter2\n'));
    expect(d.hint).toContain('`DB_PASSWORD: { secret: demo/db-password }`');
    expect(d.hint).toContain('the function receives its name as DB_PASSWORD_SECRET_ID');
  });

  test('a Glue argument: the derived argument', () => {
    const [d] = diagnosticsOf(glue('          --db-password: hunter2\n'));
    expect(d.hint).toContain('`--db-password: { secret: demo/db-password }`');
    expect(d.hint).toContain('--db-password-secret-id');
  });

  test('a CodeBuild variable: resolved natively under its own name', () => {
    const spec = `${HEAD}${EXISTING}${GOALS}training:\n  algorithm: xgboost\n  hyperparameters: {num_round: 100}\n  data: {prefix: churn/}\n  evaluation: {script: evaluate.py}\ncicd:\n  source:\n    git: {repository: acme/churn}\n  deploy: {enabled: false}\n  build:\n    environment:\n      GITHUB_TOKEN: not-a-real-token\n`;
    const [d] = diagnosticsOf(spec);
    expect(d).toMatchObject({ rule: 'secrets/literal', line: 24, col: 21 });
    expect(d.hint).toContain('CodeBuild resolves it into GITHUB_TOKEN when the build starts');
  });

  test('a hyperparameter: no reference there, the training environment instead', () => {
    const [d] = diagnosticsOf(
      training('').replace('{num_round: 100}', '{num_round: 100, api_token: abc123}'),
    );
    expect(d.hint).toContain('training.environment');
    expect(d.hint).toContain('DescribeTrainingJob');
  });

  test('an EKS job argument: the message names the manifest it would land in', () => {
    const file = join(ROOT, 'examples', 'llm-finetune-eks', 'pipeline.yaml');
    const text = readFileSync(file, 'utf8').replace(
      "--epochs, '3']",
      "--epochs, '3', --db-password, hunter2]",
    );
    const ds = diagnosticsOf(text, file).filter((d) => d.rule === 'secrets/literal');
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain('the Job manifest under k8s/');
    expect(ds[0].message).not.toContain('main.tf.json');
    expect(ds[0].hint).toContain('visible to anyone who may read pods');
  });

  test.each([
    ['workflow step arguments', 'data.glue.jobs[].arguments'],
    ['retraining parameters', 'training.environment'],
  ])('%s point at where references go', (_, where) => {
    const spec =
      _ === 'workflow step arguments'
        ? `${HEAD}data:\n  glue:\n    jobs:\n      - name: j\n        script: s3://acme-shared-code/j.py\norchestration:\n  workflow:\n    steps:\n      - name: s\n        type: glue-job\n        job: j\n        arguments:\n          --db-password: hunter2\n`
        : training('monitoring:\n  retraining:\n    parameters:\n      ApiToken: abc123\n');
    const ds = diagnosticsOf(spec).filter((d) => d.rule === 'secrets/literal');
    expect(ds).toHaveLength(1);
    expect(ds[0].hint).toContain(where);
  });
});

test('a parameter ARN as text: the hint names the parameter and the derived variable', () => {
  const [d] = diagnosticsOf(
    fn('        API_KEY_ARN: arn:aws:ssm:us-east-1:123456789012:parameter/demo/api-key\n'),
  );
  expect(d.rule).toBe('secrets/reference-as-text');
  expect(d.hint).toContain('`API_KEY: { parameter: /demo/api-key }`');
  expect(d.hint).toContain('API_KEY_PARAMETER_NAME and may read exactly that parameter');
});

describe('what the literal rule leaves alone', () => {
  test.each([
    ['a name that describes a secret', '        DB_SECRET_NAME: demo/db\n'],
    ['a tokenizer', '        TOKENIZER: bert-base\n'],
    ['a switch', '        REQUIRE_AUTH: "true"\n'],
    ['a path to a secret file', '        DB_PASSWORD: /run/secrets/db\n'],
    ['an empty value', '        API_KEY: ""\n'],
  ])('%s', (_, env) => {
    expect(() => compileText(fn(env))).not.toThrow();
  });

  test('a reference under a secret name compiles, in every place that takes one', () => {
    expect(() =>
      compileText(
        `${HEAD}${EXISTING}${GOALS}training:\n  algorithm: xgboost\n  hyperparameters: {num_round: 100}\n  data: {prefix: churn/}\n  networkIsolation: false\n  environment: {API_TOKEN: {secret: demo/t}}\n  processing: {script: p.py, input: {prefix: in/}, environment: {DB_PASSWORD: {secret: demo/db}}}\n  evaluation: {script: evaluate.py, environment: {API_TOKEN: {parameter: /demo/t}}}\ncicd:\n  source:\n    git: {repository: acme/churn}\n  deploy: {enabled: false}\n  build:\n    environment:\n      GITHUB_TOKEN: {secret: demo/github, jsonKey: token, versionStage: AWSCURRENT}\n`,
      ),
    ).not.toThrow();
  });
});
