import { branchProblem, cicdRules, repositoryProblem } from '../src/compiler/rules/cicd';
import { compileText, diagnosticsOf } from './harness/spec';

const HEAD = 'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\n';
/** Lines 5-7. */
const GOALS =
  'goals:\n  kpis:\n    - {name: auc, metric: metrics.auc, threshold: 0.8, direction: higher-is-better}\n';
/** Lines 8-11. */
const NET = 'network:\n  vpc:\n    cidr: 10.0.0.0/16\n    availabilityZones: [us-east-1a, us-east-1b]\n';
/** Lines 12-16. */
const TRAINING =
  'training:\n  algorithm: xgboost\n  hyperparameters: {num_round: 100}\n  data: {prefix: churn/}\n  evaluation: {script: evaluate.py}\n';
/** Lines 17-20: one endpoint serving the latest approved version. */
const SERVING =
  'serving:\n  endpoints:\n    - name: scorer\n      model: {registry: {version: latest-approved}}\n';
const PINNED = SERVING.replace('latest-approved', '3');
/** `cicd` on line 21, `source` 22, `git` 23 and what follows from line 24. */
const GIT = 'cicd:\n  source:\n    git:\n      repository: acme/churn\n';

/** A spec with every prerequisite of CI/CD; `cicd` starts on line 21. */
const spec = (cicd = GIT, serving = SERVING, training = TRAINING, net = NET) =>
  `${HEAD}${GOALS}${net}${training}${serving}${cicd}`;
const ARN =
  'arn:aws:codestar-connections:us-east-1:123456789012:connection/0b6f3a52-1d2c-4e5f-8a9b-0c1d2e3f4a5b';

/** [rule, a spec that breaks it, line, col, message fragment, a spec that keeps it]. */
const cases: [string, string, number, number, string, string][] = [
  [
    'cicd/needs-training',
    spec(GIT, SERVING, ''),
    16,
    1,
    'CI/CD deploys approved versions of the model package group "demo-models", but the spec has no SageMaker training pipeline',
    spec(),
  ],
  [
    'cicd/one-source',
    spec(`${GIT}    s3: {bucket: raw, key: ci/model.zip}\n`),
    25,
    5,
    "'cicd.source.git' and 'cicd.source.s3' are both set",
    spec(),
  ],
  [
    'cicd/repository',
    spec(GIT.replace('acme/churn', 'https://github.com/acme/churn')),
    24,
    19,
    '"https://github.com/acme/churn" is a URL; the connection needs the repository as owner/name',
    spec(),
  ],
  [
    'cicd/branch',
    spec(`${GIT}      branch: feature..x\n`),
    25,
    15,
    '"feature..x" contains "..", "@{" or "//"',
    spec(`${GIT}      branch: feature/x\n`),
  ],
  [
    'cicd/connection',
    spec(`${GIT}      connectionArn: ${ARN.replace('123456789012', '999999999999')}\n`),
    25,
    22,
    'the connection is in account 999999999999, not the pipeline account 123456789012',
    spec(`${GIT}      connectionArn: ${ARN}\n`),
  ],
  [
    'cicd/bucket-reference',
    spec(`${GIT}  artifactBucket: model\n`),
    25,
    19,
    '"model" is not a bucket of the data lake; did you mean "models"?',
    spec(`${GIT}  artifactBucket: models\n`),
  ],
  [
    'cicd/source-versioning',
    `${HEAD}storage:\n  buckets:\n    releases: {versioning: false}\n${spec('cicd:\n  source:\n    s3: {bucket: releases, key: ci/model.zip}\n').slice(HEAD.length)}`,
    26,
    18,
    'the S3 source bucket "releases" has versioning off; CodePipeline needs a versioned bucket',
    `${HEAD}storage:\n  buckets:\n    releases: {}\n${spec('cicd:\n  source:\n    s3: {bucket: releases, key: ci/model.zip}\n').slice(HEAD.length)}`,
  ],
  [
    'cicd/deploy-target',
    spec(GIT, PINNED),
    21,
    1,
    "the Deploy stage moves endpoints to the latest approved model, but no endpoint serves 'latest-approved' from the registry",
    spec(),
  ],
  [
    'cicd/deploy-settings',
    spec(`${GIT}  deploy: {enabled: false}\n  approval: {notify: [a@example.com]}\n`, PINNED),
    26,
    3,
    "'cicd.approval' applies to the Deploy stage, which cicd.deploy.enabled: false switches off",
    spec(`${GIT}  deploy: {enabled: false}\n`, PINNED),
  ],
  [
    'cicd/build-network',
    `${HEAD}${GOALS}${GIT}  build: {vpc: true}\n  deploy: {enabled: false}\n`,
    12,
    16,
    'the build runs in private subnets (vpc: true), but the spec has no network',
    spec(`${GIT}  build: {vpc: true}\n`),
  ],
];

describe('cicd rules', () => {
  test.each(cases)(
    '%s: a violating spec fails at line:col, a compliant one passes',
    (rule, bad, line, col, message, good) => {
      const ds = diagnosticsOf(bad).filter((d) => d.rule === rule);
      expect(ds).toHaveLength(1);
      expect(ds[0]).toMatchObject({ rule, line, col });
      expect(ds[0].message).toContain(message);
      expect(ds[0].hint).toBeTruthy();
      expect(() => compileText(good)).not.toThrow();
    },
  );

  test('each case breaks only its own rule, except where prerequisites are gone on purpose', () => {
    for (const [rule, bad] of cases) {
      const others = diagnosticsOf(bad)
        .map((d) => d.rule)
        .filter((r) => r !== rule);
      const expected = rule === 'cicd/build-network' ? ['cicd/needs-training'] : [];
      expect(others.filter((r) => r?.startsWith('cicd/'))).toEqual(expected);
    }
  });

  test('every rule has a case', () => {
    expect(cicdRules.map((r) => r.id).sort()).toEqual(cases.map((c) => c[0]).sort());
  });

  test('a source needs git or s3', () => {
    const ds = diagnosticsOf(spec('cicd:\n  source: {}\n'));
    expect(ds.map((d) => [d.rule, d.line, d.col])).toEqual([['cicd/one-source', 22, 3]]);
  });

  test('listed deploy endpoints exist and serve latest-approved', () => {
    const two = `${SERVING}    - name: pinned\n      model: {registry: {version: 2}}\n`;
    const ds = diagnosticsOf(spec(`${GIT}  deploy:\n    endpoints: [scorr, pinned]\n`, two));
    expect(ds.map((d) => [d.rule, d.path, d.message])).toEqual([
      [
        'cicd/deploy-target',
        'cicd.deploy.endpoints[0]',
        '"scorr" is not a serving endpoint; did you mean "scorer"?',
      ],
      [
        'cicd/deploy-target',
        'cicd.deploy.endpoints[1]',
        `endpoint "pinned" serves no variant from the registry's 'latest-approved' version, so the deploy has nothing to move`,
      ],
    ]);
    expect(() => compileText(spec(`${GIT}  deploy:\n    endpoints: [scorer]\n`, two))).not.toThrow();
  });

  test('a shadow variant serving latest-approved is a deploy target too', () => {
    const shadow =
      'serving:\n  endpoints:\n    - name: scorer\n      model: {registry: {version: 3}}\n      shadow:\n        name: next\n        model: {registry: {version: latest-approved}}\n';
    expect(() => compileText(spec(GIT, shadow))).not.toThrow();
  });

  test('the logs and checkpoints buckets hold neither artifacts nor sources', () => {
    const ds = diagnosticsOf(
      spec('cicd:\n  artifactBucket: logs\n  source:\n    s3: {bucket: checkpoints, key: ci/m.zip}\n'),
    );
    expect(ds.map((d) => [d.rule, d.path, d.message])).toEqual([
      [
        'cicd/bucket-reference',
        'cicd.artifactBucket',
        'the logs bucket holds access logs, not pipeline artifacts or sources',
      ],
      [
        'cicd/bucket-reference',
        'cicd.source.s3.bucket',
        'the checkpoints bucket holds training checkpoints (archived after 30 days), not pipeline artifacts or sources',
      ],
    ]);
  });

  test('the schema refuses reserved build variables and non-managed images', () => {
    const ds = diagnosticsOf(
      spec(`${GIT}  build:\n    image: ubuntu:22.04\n    environment: {PIPEFORM_PIPELINE: x}\n`),
    );
    expect(ds.map((d) => d.path)).toEqual(['cicd.build.image', 'cicd.build.environment.PIPEFORM_PIPELINE']);
  });

  test('a connection in another region is refused by core/single-region', () => {
    const ds = diagnosticsOf(spec(`${GIT}      connectionArn: ${ARN.replace('us-east-1', 'eu-west-1')}\n`));
    expect(ds.map((d) => [d.rule, d.path])).toEqual([
      ['core/single-region', 'cicd.source.git.connectionArn'],
    ]);
  });

  test('an environment in another account cannot reuse a connection ARN', () => {
    const text = `${spec(`${GIT}      connectionArn: ${ARN}\n`)}environments:\n  dev: {}\n  prod: {account: "222222222222"}\n`;
    const ds = diagnosticsOf(text);
    expect(ds.map((d) => [d.rule, d.message])).toEqual([
      [
        'cicd/connection',
        'environment prod: the connection is in account 123456789012, not the pipeline account 222222222222',
      ],
    ]);
  });
});

describe('repository and branch formats', () => {
  test.each([
    ['acme/churn', 'github', undefined],
    ['acme-data/churn.model_v2', 'bitbucket', undefined],
    ['group/sub/project', 'gitlab', undefined],
    ['group/sub/project', 'github', '"group/sub/project" is not owner/name'],
    ['churn', 'gitlab', '"churn" is not group/name or group/subgroup/name'],
    ['acme/churn.git', 'github', '"acme/churn.git" ends in .git; give owner/name without it'],
    ['git@github.com:acme/churn', 'github', '"git@github.com:acme/churn" is a URL'],
    ['acme/.hidden', 'github', '".hidden" in "acme/.hidden" is not a valid owner or repository name'],
  ])('%s on %s', (repository, provider, problem) => {
    const p = repositoryProblem(repository, provider);
    if (problem === undefined) expect(p).toBeUndefined();
    else expect(p).toContain(problem);
  });

  test.each([
    ['main', undefined],
    ['release/2025.1', undefined],
    ['refs/heads/main', 'is a full ref'],
    ['feat x', 'contains " "'],
    ['a~1', 'contains "~"'],
    ['-x', 'is not a valid Git branch name'],
    ['x/', 'is not a valid Git branch name'],
    ['x.lock', 'ends with "." or ".lock"'],
    ['a/.b', 'starts with "."'],
    ['a@{1}', 'contains "..", "@{" or "//"'],
  ])('branch %s', (branch, problem) => {
    const p = branchProblem(branch);
    if (problem === undefined) expect(p).toBeUndefined();
    else expect(p).toContain(problem);
  });
});
