import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRules } from '../src/compiler/check';
import { compileText, diagnosticsOf } from './harness/spec';
import { testRuleCases, type RuleCase } from './harness/rules';

const HEAD = 'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\n';
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** [rule, a spec that breaks it, line, col, message fragment, a spec that keeps it]. */
const cases: RuleCase[] = [
  [
    'core/no-interpolation',
    `${HEAD}description: "cost \${var.x}"\n`,
    5,
    14,
    'contains "${"',
    `${HEAD}description: "cost $5 {per run}"\n`,
  ],
  [
    'core/single-region',
    `${HEAD}security:\n  kms:\n    existingKeyArn: ${KEY.replace('us-east-1', 'eu-west-1')}\n`,
    7,
    21,
    'kms resource is in region eu-west-1, but the pipeline region is us-east-1',
    `${HEAD}security:\n  kms:\n    existingKeyArn: ${KEY}\n`,
  ],
  [
    'core/unique-kpis',
    `${HEAD}goals:\n  kpis:\n    - {name: auc, metric: a, threshold: 1, direction: higher-is-better}\n    - {name: auc, metric: b, threshold: 1, direction: higher-is-better}\n`,
    8,
    14,
    'KPI name "auc" is already used by goals.kpis[0]',
    `${HEAD}goals:\n  kpis:\n    - {name: auc, metric: a, threshold: 1, direction: higher-is-better}\n    - {name: f1, metric: b, threshold: 1, direction: higher-is-better}\n`,
  ],
  [
    'core/kms-admins-in-account',
    `${HEAD}security:\n  kms:\n    admins: [arn:aws:iam::999999999999:role/a]\n`,
    7,
    14,
    'key administrator is in account 999999999999',
    `${HEAD}security:\n  kms:\n    admins: [arn:aws:iam::123456789012:role/a]\n`,
  ],
  [
    'storage/bucket-name-length',
    'apiVersion: pipeform/v1\nname: a-very-long-pipeline-nam\nregion: ap-southeast-2\naccount: "123456789012"\n',
    2,
    1,
    'bucket name "a-very-long-pipeline-nam-123456789012-ap-southeast-2-checkpoints" is 64 characters; S3 allows 63',
    'apiVersion: pipeform/v1\nname: a-very-long-pipeline-nam\nregion: ap-southeast-2\naccount: "123456789012"\nstorage:\n  bucketPrefix: short\n',
  ],
  [
    'storage/lifecycle-order',
    `${HEAD}storage:\n  buckets:\n    raw:\n      lifecycle:\n        tiering: standard-ia\n        tieringAfterDays: 7\n`,
    10,
    27,
    'Standard-IA tiering after 7 days; S3 requires at least 30',
    `${HEAD}storage:\n  lifecycle:\n    tiering: standard-ia\n    tieringAfterDays: 30\n    archiveAfterDays: 60\n`,
  ],
  [
    'storage/logs-bucket-not-logged',
    `${HEAD}storage:\n  buckets:\n    logs:\n      accessLogging: true\n`,
    8,
    22,
    'cannot also log its own access',
    `${HEAD}storage:\n  buckets:\n    logs:\n      accessLogging: false\n`,
  ],
  [
    'state/backend-settings',
    `${HEAD}state:\n  backend: local\n  s3:\n    bucket: tf-state\n`,
    7,
    3,
    "'state.s3' is set but the backend is local",
    `${HEAD}state:\n  backend: s3\n  s3:\n    bucket: tf-state\n`,
  ],
  [
    'state/key-in-bucket-region',
    `${HEAD}state:\n  backend: s3\n  s3:\n    bucket: tf-state\n    region: eu-west-1\n    kmsKeyArn: ${KEY}\n`,
    10,
    16,
    'state key is in region us-east-1, but the state bucket is in eu-west-1',
    `${HEAD}state:\n  backend: s3\n  s3:\n    bucket: tf-state\n    region: us-east-1\n    kmsKeyArn: ${KEY}\n`,
  ],
  [
    'network/one-source',
    `${HEAD}network:\n  existing:\n    vpcId: vpc-0123456789abcdef0\n    subnetIds: [subnet-0123456789abcdef0]\n    securityGroupIds: [sg-0123456789abcdef0]\n  flowLogs:\n    enabled: true\n`,
    10,
    3,
    "'network.flowLogs' applies to a VPC pipeform creates",
    `${HEAD}network:\n  existing:\n    vpcId: vpc-0123456789abcdef0\n    subnetIds: [subnet-0123456789abcdef0]\n    securityGroupIds: [sg-0123456789abcdef0]\n`,
  ],
  [
    'network/cidr',
    `${HEAD}network:\n  vpc:\n    cidr: 10.0.1.0/16\n    availabilityZones: [us-east-1a]\n`,
    7,
    11,
    '10.0.1.0/16 has host bits set',
    `${HEAD}network:\n  vpc:\n    cidr: 10.0.0.0/16\n    availabilityZones: [us-east-1a]\n`,
  ],
  [
    'network/zone-slot',
    `${HEAD}network:\n  vpc:\n    cidr: 10.0.0.0/16\n    availabilityZones: [us-east-1a, us-east-1i]\n    publicSubnets: true\n`,
    8,
    37,
    'availability zone us-east-1i needs subnet slot 8 (its letter), but /20 subnets of a /16 leave 8 slots for private subnets',
    `${HEAD}network:\n  vpc:\n    cidr: 10.0.0.0/16\n    availabilityZones: [us-east-1a, us-east-1i]\n    publicSubnets: true\n    subnetPrefixLength: 21\n`,
  ],
  [
    'network/azs-in-region',
    `${HEAD}network:\n  vpc:\n    cidr: 10.0.0.0/16\n    availabilityZones: [us-east-1a, eu-west-1b]\n`,
    8,
    37,
    'availability zone eu-west-1b is not in the pipeline region us-east-1',
    `${HEAD}network:\n  vpc:\n    cidr: 10.0.0.0/16\n    availabilityZones: [us-east-1a, us-east-1b]\n`,
  ],
  [
    'network/nat-needs-public-subnets',
    `${HEAD}network:\n  vpc:\n    cidr: 10.0.0.0/16\n    availabilityZones: [us-east-1a]\n    natGateways: single\n`,
    9,
    18,
    'natGateways: single needs public subnets',
    `${HEAD}network:\n  vpc:\n    cidr: 10.0.0.0/16\n    availabilityZones: [us-east-1a]\n    natGateways: single\n    publicSubnets: true\n`,
  ],
  [
    'security/data-residency',
    `${HEAD}security:\n  dataResidency: [eu-west-1, eu-central-1]\n`,
    3,
    9,
    'region us-east-1 is outside the declared data residency (eu-west-1, eu-central-1)',
    `${HEAD}security:\n  dataResidency: [us-east-1]\n`,
  ],
  [
    'security/shield-with-waf',
    `${HEAD}security:\n  shield: true\n`,
    6,
    11,
    'security.waf is off',
    `${HEAD}security:\n  shield: true\n  waf: {}\n`,
  ],
  [
    'security/permissions-boundary-account',
    `${HEAD}security:\n  iam:\n    permissionsBoundaryArn: arn:aws:iam::999999999999:policy/boundary\n`,
    7,
    29,
    'the permissions boundary is in account 999999999999',
    `${HEAD}security:\n  iam:\n    permissionsBoundaryArn: arn:aws:iam::123456789012:policy/boundary\n`,
  ],
];

describe('check stage', () => {
  testRuleCases(cases);

  test('every rule is exercised by a test somewhere under test/', () => {
    const texts = testFiles(join(__dirname)).map((f) => readFileSync(f, 'utf8'));
    const untested = checkRules.map((r) => r.id).filter((id) => !texts.some((t) => t.includes(`'${id}'`)));
    expect(untested).toEqual([]);
  });

  test('rule ids are unique and described', () => {
    const ids = checkRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of checkRules) expect(r.description.length).toBeGreaterThan(20);
  });

  test('a storage-level lifecycle mistake is reported once, naming every bucket it breaks', () => {
    const ds = diagnosticsOf(
      `${HEAD}storage:\n  lifecycle:\n    tiering: standard-ia\n    tieringAfterDays: 7\n    archiveAfterDays: 60\n`,
    );
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ line: 8, col: 23, path: 'storage.lifecycle.tieringAfterDays' });
    expect(ds[0].message).toBe(
      'buckets checkpoints, curated, features, logs, models, raw: Standard-IA tiering after 7 days; S3 requires at least 30',
    );
  });

  test('interpolation is refused in keys too, and in nested lists', () => {
    const ds = diagnosticsOf(
      `${HEAD}goals:\n  kpis:\n    - {name: auc, metric: a, threshold: 1, direction: higher-is-better}\n  problem: "%{if x}y%{endif}"\n`,
    );
    expect(ds[0]).toMatchObject({ rule: 'core/no-interpolation', path: 'goals.problem' });
  });

  test('the state backend may live in another region (it is not part of the pipeline)', () => {
    expect(() =>
      compileText(`${HEAD}state:\n  backend: s3\n  s3:\n    bucket: tf-state\n    region: eu-central-1\n`),
    ).not.toThrow();
  });
});

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? testFiles(join(dir, d.name)) : d.name.endsWith('.test.ts') ? [join(dir, d.name)] : [],
  );
}
