import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assetRules, localPathProblem, s3UriProblem } from '../src/compiler/rules/assets';
import type { SpecFiles } from '../src/compiler/spec-files';
import { compileSpec } from '../src/compiler';
import { SpecError } from '../src/compiler/diagnostics';
import { testRuleCases, type RuleCase } from './harness/rules';
import { compileText, diagnosticsOf } from './harness/spec';

/** Specs are read as if beside test/fixtures/assets (glue/clean.py, training/, buildspec.yml, ...). */
const FILE = join('test', 'fixtures', 'assets', 'pipeline.yaml');
const HEAD = 'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\n';
/** Lines 5-9; the script value starts at 9:17. */
const glue = (script: string, extra = '') =>
  `${HEAD}data:\n  glue:\n    jobs:\n      - name: clean\n        script: ${script}\n${extra}`;
/** Lines 5-11. */
const BASE =
  `${HEAD}goals:\n  kpis:\n    - {name: auc, metric: metrics.auc, threshold: 0.8, direction: higher-is-better}\n` +
  'network:\n  vpc:\n    cidr: 10.0.0.0/16\n    availabilityZones: [us-east-1a, us-east-1b]\n';
/** Lines 12-16: `evaluation` at 16, its script value at 16:24. `code` lines follow at 17. */
const training = (code = '') =>
  `${BASE}training:\n  algorithm: xgboost\n  hyperparameters: {num_round: 100}\n  data: {prefix: churn/}\n  evaluation: {script: evaluate.py}\n${code}`;

/** [rule, a spec that breaks it, line, col, message fragment, a spec that keeps it]. */
const cases: RuleCase[] = [
  [
    'assets/local-path',
    glue('../clean.py'),
    9,
    17,
    `"../clean.py" climbs out of the spec's folder with '..'`,
    glue('glue/../glue/clean.py'),
  ],
  [
    'assets/local-file',
    glue('glue/missing.py'),
    9,
    17,
    'local file "glue/missing.py" cannot be shipped: it does not exist',
    glue('glue/clean.py'),
  ],
  [
    'assets/day-0',
    glue('s3://demo-123456789012-us-east-1-raw/clean.py'),
    9,
    17,
    'is in the data-lake bucket "raw", which this configuration creates empty',
    glue('s3://acme-shared-code/clean.py'),
  ],
  [
    'assets/store',
    glue('glue/clean.py', 'storage:\n  assets: {bucket: logs}\n'),
    11,
    20,
    'assets cannot live in the logs bucket',
    glue('glue/clean.py', 'storage:\n  assets: {bucket: models, prefix: scripts/}\n'),
  ],
  [
    'assets/one-source',
    training("  code: {directory: training, s3: 's3://acme-ml-code/demo/'}\n"),
    17,
    3,
    'training.code sets directory and s3; the code comes from exactly one place',
    training('  code: {directory: training}\n'),
  ],
];

describe('asset rules', () => {
  testRuleCases(cases, FILE);

  test('every asset rule has a case here', () => {
    expect(assetRules.map((r) => r.id).sort()).toEqual(cases.map(([rule]) => rule).sort());
  });
});

describe('local paths: boundaries', () => {
  test.each([
    ['glue/clean.py', undefined],
    ['./glue/clean.py', undefined],
    ['glue/../glue/clean.py', undefined],
    ['a/b/../../glue/clean.py', undefined],
    ['../assets/glue/clean.py', "climbs out of the spec's folder with '..'"],
    ['glue/../../x.py', "climbs out of the spec's folder with '..'"],
    ['/etc/clean.py', 'is an absolute path'],
    ['~/clean.py', 'is an absolute path'],
    ['C:/jobs/clean.py', 'is an absolute path'],
    ['glue\\clean.py', 'uses \\ as a separator'],
    ['https://example.com/clean.py', 'is a URL'],
  ])('%s', (path, problem) => {
    const found = localPathProblem(path);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });
});

describe('S3 URIs: boundaries', () => {
  test.each([
    ['s3://acme-shared-code/jobs/clean.py', 'object', undefined],
    ['s3://abc/x', 'object', undefined],
    ['s3://ab/x', 'object', 'not a valid S3 bucket name'],
    [`s3://${'a'.repeat(63)}/x`, 'object', undefined],
    [`s3://${'a'.repeat(64)}/x`, 'object', 'not a valid S3 bucket name'],
    ['s3://Acme_Code/x', 'object', 'not a valid S3 bucket name'],
    ['s3://acme..code/x', 'object', 'not a valid S3 bucket name'],
    ['s3://acme-code/', 'object', 'is not an s3://bucket/key URI'],
    ['s3://acme-code/jobs/', 'object', "names a prefix (it ends in '/'), not an object"],
    ['s3://acme-code/jobs/', 'prefix', undefined],
    ['s3://acme-code/jobs', 'prefix', "names a prefix, which must end in '/'"],
  ] as const)('%s as %s', (uri, kind, problem) => {
    const found = s3UriProblem(uri, kind);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toContain(problem);
  });

  test('a URI into a pipeline bucket is refused under a custom bucket prefix too; elsewhere it is read as given', () => {
    const prefixed = `${HEAD}storage: {bucketPrefix: acme-demo}\n${glue('s3://acme-demo-curated/clean.py').slice(HEAD.length)}`;
    const [d] = diagnosticsOf(prefixed, FILE);
    expect(d).toMatchObject({ rule: 'assets/day-0', line: 10, col: 17 });
    expect(d.hint).toContain('give a path relative to the spec file (e.g. glue/clean.py)');
    // The default-prefix name of the same bucket is someone else's bucket under this prefix.
    expect(() =>
      compileText(
        glue('s3://demo-123456789012-us-east-1-curated/clean.py').replace(
          HEAD,
          `${HEAD}storage: {bucketPrefix: acme-demo}\n`,
        ),
        FILE,
      ),
    ).not.toThrow();
  });

  test('Lambda code.s3 takes a URI only: a local zip is pointed at code.directory', () => {
    const spec = `${HEAD}orchestration:\n  functions:\n    - {name: f, handler: i.h, code: {s3: s3://acme-demo-raw/f.zip}}\n`;
    expect(() => compileText(spec, FILE)).not.toThrow();
    const lake = spec.replace('acme-demo-raw', 'demo-123456789012-us-east-1-raw');
    const [d] = diagnosticsOf(lake, FILE);
    expect(d).toMatchObject({ rule: 'assets/day-0', line: 7, col: 42 });
    expect(d.hint).toContain('code.directory: functions/f');
  });
});

describe('model archives (serving artifact.file)', () => {
  /** The endpoint is on lines 5-11; the file value starts at 11:26. */
  const archive = (file: string, extra = '') =>
    `${HEAD}serving:\n  endpoints:\n    - name: lite\n      type: serverless\n      model:\n` +
    `        builtinImage: {framework: xgboost, version: 1.7-1}\n        artifact: {file: ${file}}\n${extra}`;
  const at = (file: string, extra = '') =>
    diagnosticsOf(archive(file, extra), FILE).map((d) => [d.rule, d.line, d.col, d.message]);

  test('a local archive beside the spec, or an object in a bucket of your own, compiles', () => {
    expect(() => compileText(archive('models/model.tar.gz'), FILE)).not.toThrow();
    expect(() => compileText(archive('s3://acme-models/lite/model.tar.gz'), FILE)).not.toThrow();
  });
  test('a missing archive is refused at its line, with the example path of the endpoint', () => {
    const [d] = diagnosticsOf(archive('models/missing.tar.gz'), FILE);
    expect(d).toMatchObject({ rule: 'assets/local-file', line: 11, col: 26 });
    expect(d.message).toBe('local file "models/missing.tar.gz" cannot be shipped: it does not exist');
    expect(d.hint).toContain('models/lite/model.tar.gz');
  });
  test('a directory is not an archive, and a path may not leave the spec folder', () => {
    expect(at('models')).toEqual([
      ['assets/local-file', 11, 26, 'local file "models" cannot be shipped: it is a directory, not a file'],
    ]);
    expect(at('../model.tar.gz')).toEqual([
      ['assets/local-path', 11, 26, `"../model.tar.gz" climbs out of the spec's folder with '..'`],
    ]);
  });
  test('a URI into a pipeline bucket is refused: the lake starts empty (day 0)', () => {
    const [d] = diagnosticsOf(archive('s3://demo-123456789012-us-east-1-models/lite/model.tar.gz'), FILE);
    expect(d).toMatchObject({ rule: 'assets/day-0', line: 11, col: 26 });
    expect(d.message).toContain(
      'is in the data-lake bucket "models", which this configuration creates empty',
    );
    expect(d.hint).toContain('models/lite/model.tar.gz');
  });
  test('a variant’s own archive and the shadow’s are checked at their own lines', () => {
    const spec =
      `${HEAD}network:\n  vpc: {cidr: 10.0.0.0/16, availabilityZones: [us-east-1a]}\nserving:\n  endpoints:\n    - name: ab\n` +
      '      variants:\n        - name: a\n          model: {builtinImage: {framework: xgboost, version: 1.7-1}, artifact: {file: a.tar.gz}}\n' +
      '      shadow:\n        name: s\n        model: {builtinImage: {framework: xgboost, version: 1.7-1}, artifact: {file: s.tar.gz}}\n';
    expect(diagnosticsOf(spec, FILE).map((d) => [d.rule, d.line, d.message])).toEqual([
      ['assets/local-file', 12, 'local file "a.tar.gz" cannot be shipped: it does not exist'],
      ['assets/local-file', 15, 'local file "s.tar.gz" cannot be shipped: it does not exist'],
    ]);
  });
  test('the asset store must keep the archive readable', () => {
    expect(at('models/model.tar.gz', 'storage:\n  assets: {bucket: logs}\n')).toEqual([
      ['assets/store', 13, 20, 'assets cannot live in the logs bucket'],
    ]);
  });
});

describe('training code: where the scripts come from', () => {
  test('the data-lake default without cicd is a day-0 error at the evaluation script', () => {
    const [d] = diagnosticsOf(training(), FILE);
    expect(d).toMatchObject({ rule: 'assets/day-0', line: 16, col: 24 });
    expect(d.message).toContain('read from demo/code/ in the data-lake bucket "models"');
    expect(d.hint).toContain('training.code.directory');
  });

  test('the data-lake prefix is allowed when the cicd build publishes it', () => {
    const cicd = 'cicd:\n  source: {git: {repository: acme/churn}}\n  deploy: {enabled: false}\n';
    expect(() => compileText(`${training()}${cicd}`, FILE)).not.toThrow();
  });

  test('scripts are looked up inside code.directory, each at its own field', () => {
    const missing = training(
      '  code: {directory: training}\n  processing: {script: prep/missing.py, input: {prefix: x/}}\n',
    );
    const [d] = diagnosticsOf(missing, FILE);
    expect(d).toMatchObject({ rule: 'assets/local-file', line: 18, col: 24 });
    expect(d.message).toBe(
      'local file prep/missing.py (in training.code.directory training) cannot be shipped: it does not exist',
    );
    const entry = training('  code: {directory: training}\n')
      .replace('algorithm: xgboost', 'algorithm: sklearn\n  entryPoint: nope.py')
      .replace('{num_round: 100}', '{}');
    expect(diagnosticsOf(entry, FILE)[0]).toMatchObject({ rule: 'assets/local-file', line: 14, col: 15 });
    expect(() => compileText(entry.replace('nope.py', 'train.py'), FILE)).not.toThrow();
  });

  test('code.s3 must name a prefix', () => {
    const [d] = diagnosticsOf(training("  code: {s3: 's3://acme-ml-code/demo'}\n"), FILE);
    expect(d).toMatchObject({ rule: 'assets/local-path', line: 17, col: 14 });
    expect(d.message).toContain("names a prefix, which must end in '/'");
  });
});

describe('the asset store', () => {
  test('a lifecycle that archives the store is refused where the first local file is named', () => {
    const archived = glue('glue/clean.py', 'storage:\n  lifecycle: {archiveAfterDays: 90}\n');
    const [d] = diagnosticsOf(archived, FILE);
    expect(d).toMatchObject({ rule: 'assets/store', line: 9, col: 17 });
    expect(d.message).toContain('archives its objects');
    // No local file: nothing is uploaded, nothing to protect.
    expect(() =>
      compileText(
        glue('s3://acme-shared-code/clean.py', 'storage:\n  lifecycle: {archiveAfterDays: 90}\n'),
        FILE,
      ),
    ).not.toThrow();
    // Archiving another prefix of the bucket is fine.
    expect(() =>
      compileText(
        glue('glue/clean.py', 'storage:\n  lifecycle: {archiveAfterDays: 90, archivePrefix: old/}\n'),
        FILE,
      ),
    ).not.toThrow();
  });

  test('an unknown store bucket is reported with a suggestion', () => {
    const [d] = diagnosticsOf(glue('glue/clean.py', 'storage:\n  assets: {bucket: modles}\n'), FILE);
    expect(d.message).toContain('"modles" is not a bucket of the data lake; did you mean "models"?');
  });
});

describe('files on disk: kinds, symbolic links, directories', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipeform-rules-assets-'));
  const outside = mkdtempSync(join(tmpdir(), 'pipeform-outside-'));
  writeFileSync(join(outside, 'secret.py'), 'print("outside")\n');
  mkdirSync(join(dir, 'glue'));
  writeFileSync(join(dir, 'glue', 'clean.py'), 'print("clean")\n');
  symlinkSync(join(outside, 'secret.py'), join(dir, 'glue', 'out.py'));
  symlinkSync(join(dir, 'glue', 'clean.py'), join(dir, 'glue', 'in.py'));
  symlinkSync(outside, join(dir, 'elsewhere'));
  mkdirSync(join(dir, 'fn'));
  writeFileSync(join(dir, 'fn', 'index.py'), 'def handler(e, c):\n    return e\n');
  symlinkSync(join(dir, 'fn', 'index.py'), join(dir, 'fn', 'alias.py'));
  mkdirSync(join(dir, 'empty'));
  const file = join(dir, 'pipeline.yaml');
  const lambda = (directory: string) =>
    `${HEAD}orchestration:\n  functions:\n    - {name: f, handler: index.handler, code: {directory: ${directory}}}\n`;
  const problem = (text: string) => {
    try {
      compileSpec(file, Buffer.from(text));
    } catch (e) {
      if (e instanceof SpecError) return e.diagnostics[0].message;
      throw e;
    }
    return undefined;
  };

  test('a symbolic link out of the spec folder is refused; one that stays inside is followed', () => {
    expect(problem(glue('glue/out.py'))).toMatch(
      /resolves \(through a symbolic link\) to .*secret\.py, outside the spec's folder/,
    );
    expect(problem(glue('elsewhere/secret.py'))).toMatch(/outside the spec's folder/);
    expect(problem(glue('glue/in.py'))).toBeUndefined();
  });

  test('a file where a directory belongs, and the other way round, are refused', () => {
    expect(problem(glue('glue'))).toContain('it is a directory, not a file');
    expect(problem(lambda('glue/clean.py'))).toContain('it is not a directory');
  });

  test('a directory to package holds regular files only, and at least one', () => {
    expect(problem(lambda('fn'))).toContain(
      'alias.py is not a regular file or directory (symbolic links are not packaged)',
    );
    expect(problem(lambda('empty'))).toContain('it holds no files');
    expect(problem(lambda('glue').replace('index.handler', 'clean.handler'))).toContain(
      'symbolic links are not packaged',
    );
  });

  test('the check stage reads files only through the view it is given', () => {
    const seen: string[] = [];
    const files: SpecFiles = {
      problem: (relative, kind) => {
        seen.push(`${kind}:${relative}`);
        return relative === 'glue/clean.py' ? 'it is locked' : undefined;
      },
    };
    expect(() =>
      compileSpec('nowhere/pipeline.yaml', Buffer.from(glue('glue/other.py')), files),
    ).not.toThrow();
    expect(() => compileSpec('nowhere/pipeline.yaml', Buffer.from(glue('glue/clean.py')), files)).toThrow(
      'local file "glue/clean.py" cannot be shipped: it is locked',
    );
    expect(seen).toEqual(['file:glue/other.py', 'file:glue/clean.py']);
  });
});
