import { pipelineSchema } from '../src/spec/schema';
import {
  credentialFormatOf,
  harmlessValue,
  looksSecretName,
  nameWords,
  placeInstances,
  referenceArnKind,
  referenceKey,
  SECRET_PLACES,
} from '../src/compiler/secrets';
import { resolveSecretRef, resolveValues, uniqueSecrets } from '../src/compiler/normalize/secrets';

describe('looksSecretName', () => {
  test.each([
    'DB_PASSWORD',
    'PASSWORD',
    'dbPassword',
    'db_passwd',
    '--db-password',
    '--dbpassword',
    'SSH_PASSPHRASE',
    'GITHUB_TOKEN',
    'api_token',
    'apiToken',
    'HF_TOKEN',
    'AUTHTOKEN',
    'ACCESS_TOKEN',
    'TOKEN',
    'API_KEY',
    'APIKEY',
    'apiKey',
    'X-Api-Key',
    'PRIVATE_KEY',
    'privateKey',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_ACCESS_KEY',
    'CLIENT_SECRET',
    'clientSecret',
    'SECRET',
    'APP_SECRETS',
    'SIGNING_KEY',
    'ENCRYPTION_KEY',
    'CREDENTIALS',
    'DB_CREDENTIAL',
    'GOOGLE_CREDS',
    'AUTH',
    'BASIC_AUTH',
    'basicAuth',
    'OAUTH',
    'HTTP_AUTHORIZATION',
    'BEARER',
    'DB_PWD',
    'mlflow.tracking.password',
  ])('%s looks secret', (name) => expect(looksSecretName(name)).toBe(true));

  test.each([
    'TOKENIZER',
    'tokenizer_name',
    'MAX_TOKENS',
    'max_new_tokens',
    'num_tokens',
    'pad_token',
    'eos_token',
    'bos_token',
    'max_token',
    'SECRET_ARN',
    'DB_PASSWORD_SECRET_ID',
    'DB_PASSWORD_SECRET_ARN',
    'GITHUB_TOKEN_PARAMETER_NAME',
    '--db-password-secret-id',
    'SECRET_NAME',
    'TOKEN_URL',
    'AUTH_TYPE',
    'AUTH_MODE',
    'PASSWORD_MIN_LENGTH',
    'AWS_ACCESS_KEY_ID',
    'KMS_KEY_ID',
    'customer_master_key_spec',
    'PWD',
    'AUTHOR',
    'auth-team',
    'AUTH_SERVICE',
    'BEARER_AUDIENCE',
    'KEY',
    'MONKEY',
    'PRIMARY_KEY',
    'SORT_KEY',
    'TARGET_PREFIX',
    'num_round',
    'objective',
    'SECRETS_MANAGER_ENDPOINT',
  ])('%s does not', (name) => expect(looksSecretName(name)).toBe(false));

  test('words split at separators and camelCase boundaries', () => {
    expect(nameWords('--dbPassword')).toEqual(['DB', 'PASSWORD']);
    expect(nameWords('APIKey')).toEqual(['API', 'KEY']);
    expect(nameWords('mlflow.tracking_uri')).toEqual(['MLFLOW', 'TRACKING', 'URI']);
  });
});

describe('credentialFormatOf', () => {
  test.each([
    ['GitHub token', `ghp_${'a1B2'.repeat(9)}`],
    ['GitHub token', `ghs_${'Z9y8'.repeat(9)}`],
    ['GitHub fine-grained token', `github_pat_${'11ABCDEFG0'.repeat(3)}`],
    ['AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['AWS access key id', 'ASIAIOSFODNN7EXAMPLE'],
    ['Slack token', 'xoxb-1234567890-abcdefghij'],
    ['PEM private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIE...'],
    ['PEM private key', '-----BEGIN PRIVATE KEY-----'],
    ['PEM private key', '-----BEGIN OPENSSH PRIVATE KEY-----'],
    ['GitLab token', 'glpat-abcdefghij0123456789'],
    ['Hugging Face token', `hf_${'abcdefghij'.repeat(3)}1234`],
    ['Stripe live key', `sk_live_${'a1'.repeat(12)}`],
    ['Google API key', `AIza${'B'.repeat(35)}`],
    [
      'JSON web token',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    ],
    ['password in a URL', 'postgres://etl:hunter2@db.internal:5432/crm'],
    ['password in a URL', 'https://user:pa55@example.com/'],
  ])('%s: %s', (name, value) => expect(credentialFormatOf(value)?.name).toBe(name));

  test.each([
    'ghp_short',
    `ghx_${'a'.repeat(36)}`,
    'AKIAlowercase0000000',
    'AKIAIOSFODNN7EXAMPL',
    'xoxb-short',
    '-----BEGIN PUBLIC KEY-----',
    '-----BEGIN CERTIFICATE-----',
    'hf_short',
    'sk_test_abcdefghijklmnopqrstuvwx',
    'https://user@example.com/',
    's3://bucket/key:with:colons',
    'postgres://db.internal:5432/crm',
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:churn/db-AbCdEf',
    'churn/db-password',
  ])('%s is no credential', (value) => expect(credentialFormatOf(value)).toBeUndefined());
});

describe('harmlessValue', () => {
  test.each(['', ' ', 'true', 'False', 'off', 'none', '1', '/run/secrets/db', './key.json', '~/x'])(
    '%j holds no secret',
    (v) => expect(harmlessValue(v)).toBe(true),
  );
  test.each(['hunter2', '12345', 'p@ss/word', 'secret:value', 'truely'])('%j may be a secret', (v) =>
    expect(harmlessValue(v)).toBe(false),
  );
});

test('referenceArnKind tells secret and parameter ARNs from other text', () => {
  expect(referenceArnKind('arn:aws:secretsmanager:us-east-1:123456789012:secret:a-AbCdEf')).toBe('secret');
  expect(referenceArnKind('arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/a/b')).toBe('parameter');
  expect(referenceArnKind('arn:aws:kms:us-east-1:123456789012:key/abc')).toBeUndefined();
  expect(referenceArnKind('secretsmanager:secret:x')).toBeUndefined();
});

describe('referenceKey', () => {
  test.each([
    ['DB_PASSWORD', { secret: 'a' }, 'env', 'DB_PASSWORD_SECRET_ID'],
    ['DB_PASSWORD', { parameter: '/a' }, 'env', 'DB_PASSWORD_PARAMETER_NAME'],
    ['--db-password', { secret: 'a' }, 'argument', '--db-password-secret-id'],
    ['--db-password', { parameter: '/a' }, 'argument', '--db-password-parameter-name'],
    ['--db_password', { secret: 'a' }, 'argument', '--db_password_secret_id'],
    ['--db_password', { parameter: '/a' }, 'argument', '--db_password_parameter_name'],
    ['--password', { secret: 'a' }, 'argument', '--password-secret-id'],
    ['GITHUB_TOKEN', { secret: 'a' }, 'native', 'GITHUB_TOKEN'],
  ] as const)('%s %j (%s) -> %s', (key, ref, style, want) =>
    expect(referenceKey(key, ref, style)).toBe(want),
  );
});

describe('resolveValues', () => {
  test('references become names under derived keys, sorted, and are returned once each', () => {
    const r = resolveValues(
      {
        Z_PLAIN: 'z',
        DB_PASSWORD: { secret: 'churn/db' },
        API_KEY: { parameter: '/churn/api', kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k' },
        DB_PASSWORD_COPY: { secret: 'churn/db' },
      },
      'env',
    );
    expect(r.values).toEqual({
      API_KEY_PARAMETER_NAME: '/churn/api',
      DB_PASSWORD_COPY_SECRET_ID: 'churn/db',
      DB_PASSWORD_SECRET_ID: 'churn/db',
      Z_PLAIN: 'z',
    });
    expect(Object.keys(r.values)).toEqual([...Object.keys(r.values)].sort());
    expect(r.secrets).toEqual([
      { kind: 'parameter', name: '/churn/api', kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k' },
      { kind: 'secret', id: 'churn/db' },
    ]);
  });

  test('no map, nothing to read', () => {
    expect(resolveValues(undefined, 'argument')).toEqual({ values: {}, secrets: [] });
  });

  test('a secret keeps its CodeBuild selectors', () => {
    expect(resolveSecretRef({ secret: 's', jsonKey: 'token', versionStage: 'AWSPREVIOUS' })).toEqual({
      kind: 'secret',
      id: 's',
      jsonKey: 'token',
      versionStage: 'AWSPREVIOUS',
    });
    expect(
      uniqueSecrets([
        { kind: 'secret', id: 'b' },
        { kind: 'secret', id: 'a' },
        { kind: 'secret', id: 'b' },
      ]),
    ).toEqual([
      { kind: 'secret', id: 'a' },
      { kind: 'secret', id: 'b' },
    ]);
  });
});

describe('placeInstances', () => {
  test('finds every occurrence with its concrete path', () => {
    const spec = {
      orchestration: { functions: [{ environment: { A: 'a' } }, {}, { environment: { B: 'b' } }] },
      serving: { endpoints: [{ variants: [{ model: { environment: { C: 'c' } } }] }] },
      tags: { team: 'x' },
    };
    expect(placeInstances(spec).map((i) => i.path)).toEqual([
      ['orchestration', 'functions', 0, 'environment'],
      ['orchestration', 'functions', 2, 'environment'],
      ['serving', 'endpoints', 0, 'variants', 0, 'model', 'environment'],
      ['tags'],
    ]);
  });
});

/**
 * Every free-form map and argument list of the schema (user-chosen keys, or strings without
 * a pattern or enum) reaches the generated output; each is either a secret place or known
 * to hold nothing a user would call secret. A new one fails here until it is classified.
 */
describe('the secret places cover the schema', () => {
  type Node = Record<string, unknown>;
  const defs = pipelineSchema.definitions as Record<string, Node>;
  const isFreeString = (n: Node | undefined): boolean =>
    n !== undefined &&
    ((n.type === 'string' && n.enum === undefined && n.pattern === undefined) ||
      (Array.isArray(n.anyOf) && (n.anyOf as Node[]).some((a) => isFreeString(a))));
  /** `definition.property` names of free-form maps and lists. */
  const free: string[] = [];
  const visit = (where: string, props: Record<string, Node> | undefined) => {
    for (const [name, p] of Object.entries(props ?? {})) {
      const target = typeof p.$ref === 'string' ? defs[p.$ref.split('/').pop()!] : p;
      const map = target?.type === 'object' && typeof target.additionalProperties === 'object';
      const list = target?.type === 'array' && isFreeString(target.items as Node);
      if ((map && isFreeString(target.additionalProperties as Node)) || list) free.push(`${where}.${name}`);
    }
  };
  visit('(root)', pipelineSchema.properties as Record<string, Node>);
  for (const [name, d] of Object.entries(defs)) visit(name, d.properties as Record<string, Node>);

  /** Where each free-form field sits in a spec; null where no name marks a value as secret. */
  const CLASSIFIED: Record<string, string | null> = {
    'glueJob.arguments': 'data.glue.jobs.*.arguments',
    'lambdaFunction.environment': 'orchestration.functions.*.environment',
    'workflowStep.arguments': 'orchestration.workflow.steps.*.arguments',
    'workflowStep.parameters': 'orchestration.workflow.steps.*.parameters',
    'workflowStep.args': 'orchestration.workflow.steps.*.args',
    'eksJob.args': 'training.eks.jobs.*.args',
    'training.hyperparameters': 'training.hyperparameters',
    'training.environment': 'training.environment',
    'trainingProcessing.environment': 'training.processing.environment',
    'trainingProcessing.arguments': 'training.processing.arguments',
    'trainingEvaluation.environment': 'training.evaluation.environment',
    'trainingEvaluation.arguments': 'training.evaluation.arguments',
    'servingModel.environment': 'serving.endpoints.*.model.environment',
    'monitoringRetraining.parameters': 'monitoring.retraining.parameters',
    'cicdBuild.environment': 'cicd.build.environment',
    // Candidate values of a tuned hyperparameter: a list without names (the credential-format
    // rule still reads every string of the spec).
    'trainingParameterRange.values': null,
  };
  const places = new Set(SECRET_PLACES.map((p) => p.path.join('.')));

  test.each(free)('%s is classified', (field) => {
    expect(CLASSIFIED[field]).toBeDefined();
    const place = CLASSIFIED[field];
    if (place !== null) expect(places.has(place)).toBe(true);
  });

  test('the scan finds exactly the classified fields (it does not pass by finding nothing)', () => {
    expect([...free].sort()).toEqual(Object.keys(CLASSIFIED).sort());
  });
});
