import { formatDiagnostic } from '../src/compiler/diagnostics';
import { diagnosticsOf } from './harness/spec';

const HEAD = 'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\n';

describe('validate stage', () => {
  test('reports every error at once, in file order', () => {
    const ds = diagnosticsOf('apiVersion: pipeform/v1\nname: Demo\nregion: mars-1\naccount: "1"\nfoo: 1\n');
    expect(ds.map((d) => `${d.line}:${d.col} ${d.path}`)).toEqual([
      '2:7 name',
      '3:9 region',
      '4:10 account',
      '5:1 foo',
    ]);
  });

  test('unknown key: position of the key, allowed keys and a suggestion', () => {
    const [d] = diagnosticsOf(`${HEAD}storage:\n  buckets:\n    raw:\n      versoning: true\n`);
    expect(d).toMatchObject({ line: 8, col: 7, path: 'storage.buckets.raw.versoning' });
    expect(d.message).toBe('unknown key "versoning"; did you mean "versioning"?');
    expect(d.hint).toBe('allowed keys here: accessLogging, forceDestroy, lifecycle, purpose, versioning');
  });

  test('enum: allowed values and a suggestion', () => {
    const [d] = diagnosticsOf(`${HEAD}storage:\n  lifecycle:\n    tiering: inteligent-tiering\n`);
    expect(d.message).toBe('"inteligent-tiering" is not allowed; did you mean "intelligent-tiering"?');
    expect(d.hint).toBe('allowed values: intelligent-tiering, standard-ia, none');
  });

  test('unsupported apiVersion names the supported ones', () => {
    const [d] = diagnosticsOf(HEAD.replace('pipeform/v1', 'pipeform/v9'));
    expect(d).toMatchObject({ line: 1, col: 13, path: 'apiVersion' });
    expect(d.hint).toBe('allowed values: pipeform/v1');
  });

  test('missing required key is reported at its parent', () => {
    const [d] = diagnosticsOf(`${HEAD}state:\n  backend: s3\n  s3:\n    key: x\n`);
    expect(d).toMatchObject({ line: 7, col: 3, path: 'state.s3', message: 'missing required key "bucket"' });
  });

  test('a number where a string belongs suggests quoting', () => {
    const [d] = diagnosticsOf(HEAD.replace('"123456789012"', '123456789012'));
    expect(d.message).toBe('expected string, got number 123456789012');
    expect(d.hint).toMatch(/^quote the value: "123456789012"/);
  });

  test('range errors quote the value and the bound', () => {
    const [d] = diagnosticsOf(`${HEAD}security:\n  kms:\n    deletionWindowDays: 3\n`);
    expect(formatDiagnostic(d)).toContain(
      'pipeline.yaml:7:25: security.kms.deletionWindowDays: 3 must be >= 7',
    );
  });

  test('invalid map keys are reported at the key', () => {
    const [d] = diagnosticsOf(`${HEAD}storage:\n  buckets:\n    Raw_Data: {}\n`);
    expect(d).toMatchObject({ line: 7, col: 5, path: 'storage.buckets.Raw_Data' });
    expect(d.message).toContain('is not a valid name here');
  });
});

describe('a value with alternatives (a string or a secret reference)', () => {
  const env = (value: string) =>
    `${HEAD}orchestration:\n  functions:\n    - name: f\n      code: {s3: s3://acme-shared-code/f.zip}\n      handler: h.h\n      environment:\n        A: ${value}\n`;

  test('a reference with an unknown key: only that key is reported', () => {
    const ds = diagnosticsOf(env('{secret: demo/a, version: AWSCURRENT}'));
    expect(ds.map((d) => d.message)).toEqual(['unknown key "version"']);
    expect(ds[0].hint).toBe('allowed keys here: jsonKey, kmsKeyArn, parameter, secret, versionStage');
  });

  test('a string too long: only its length is reported', () => {
    const ds = diagnosticsOf(env('x'.repeat(2049)));
    expect(ds).toHaveLength(1);
    expect(ds[0].message).toContain('must NOT have more than 2048 characters');
  });

  test('a value of neither type: one error naming both', () => {
    const ds = diagnosticsOf(env('[1]'));
    expect(ds.map((d) => d.message)).toEqual(['expected string or object, got a list']);
  });

  test('a number: one error, and the hint to quote it', () => {
    const ds = diagnosticsOf(env('5'));
    expect(ds.map((d) => d.message)).toEqual(['expected string or object, got number 5']);
    expect(ds[0].hint).toBe('quote the value: "5"');
  });

  test('.inf: one type error in YAML spelling, and the hint to quote it (no "finite number": no branch is numeric)', () => {
    const ds = diagnosticsOf(env('.inf'));
    expect(ds.map((d) => `${d.line}:${d.col} ${d.path} ${d.message}`)).toEqual([
      '11:12 orchestration.functions[0].environment.A expected string or object, got number .inf',
    ]);
    expect(ds[0].hint).toBe('quote the value: ".inf"');
  });

  test("a number inside a reference: reported at the reference's key, with that key's description", () => {
    const ds = diagnosticsOf(env('{secret: 5}'));
    expect(ds.map((d) => `${d.line}:${d.col} ${d.path} ${d.message}`)).toEqual([
      '11:21 orchestration.functions[0].environment.A.secret expected string, got number 5',
    ]);
    expect(ds[0].hint).toMatch(/^quote the value: "5" \(The Secrets Manager secret: /);
  });

  test('the unknown key of a reference is positioned at the key', () => {
    const [d] = diagnosticsOf(env('{secret: demo/a, version: AWSCURRENT}'));
    expect(d).toMatchObject({ line: 11, col: 29, path: 'orchestration.functions[0].environment.A.version' });
  });

  test('both secret and parameter: the check stage names the second at its key', () => {
    const ds = diagnosticsOf(env('{secret: demo/a, parameter: /demo/a}'));
    expect(ds.map((d) => `${d.line}:${d.col} ${d.rule} ${d.message}`)).toEqual([
      "11:29 secrets/reference 'secret' and 'parameter' are both set",
    ]);
  });
});

test('a secret reference as a hyperparameter: refused, with where secrets go', () => {
  const spec = `${HEAD}network:\n  existing:\n    vpcId: vpc-0123456789abcdef0\n    subnetIds: [subnet-0123456789abcdef0]\n    securityGroupIds: [sg-0123456789abcdef0]\ntraining:\n  algorithm: xgboost\n  hyperparameters: {num_round: 100, api_token: {secret: demo/t}}\n  data: {prefix: churn/}\n  evaluation: {script: evaluate.py}\n`;
  const ds = diagnosticsOf(spec);
  expect(ds).toHaveLength(1);
  expect(ds[0]).toMatchObject({
    line: 12,
    col: 48,
    message: 'expected string or number or boolean, got a mapping',
  });
  expect(ds[0].hint).toContain('training.environment');
});
