import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { leastPrivilegeProblems } from '../src/constructs/iam/least-privilege';
import type { PolicyStatement } from '../src/constructs/iam/policy';
import { examples, ROOT } from './harness/spec';

type Resource = Record<string, unknown>;
type Config = { resource?: Record<string, Record<string, Resource>> };

const PIPELINE_KEY = /^(\$\{aws_kms_key\.kms\.arn\}|arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+)$/;

/** Reads a nested attribute; cdktf writes single blocks as objects and repeated ones as lists. */
function dig(value: unknown, path: string[]): unknown[] {
  if (path.length === 0) return [value];
  if (Array.isArray(value)) return value.flatMap((v) => dig(v, path));
  if (value === null || typeof value !== 'object') return [undefined];
  return dig((value as Record<string, unknown>)[path[0]], path.slice(1));
}

/**
 * Every resource type an example emits is classified: either it takes a KMS key (and the
 * attribute that holds it), or it does not. A new type fails the scan until it is added
 * here, so nothing that takes a key can slip through without one.
 */
const TAKES_KEY: Record<string, string[]> = {
  aws_s3_bucket_server_side_encryption_configuration: [
    'rule',
    'apply_server_side_encryption_by_default',
    'kms_master_key_id',
  ],
  aws_cloudwatch_log_group: ['kms_key_id'],
};
const TAKES_NO_KEY = new Set([
  'aws_kms_key',
  'aws_kms_alias',
  'aws_s3_bucket', // encrypted through its aws_s3_bucket_server_side_encryption_configuration, asserted below
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_logging',
  'aws_s3_bucket_lifecycle_configuration',
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_iam_role_policy_attachment',
  'aws_vpc',
  'aws_subnet',
  'aws_route_table',
  'aws_route',
  'aws_route_table_association',
  'aws_internet_gateway',
  'aws_nat_gateway',
  'aws_eip',
  'aws_default_security_group',
  'aws_security_group',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
  'aws_vpc_endpoint',
  'aws_flow_log',
  'aws_wafv2_web_acl',
  'aws_wafv2_web_acl_logging_configuration',
  'aws_wafv2_web_acl_association',
  'aws_cloudwatch_log_resource_policy',
  'aws_shield_protection',
]);

const policyDocs = (config: Config): [string, { Statement: PolicyStatement[] }][] =>
  Object.entries(config.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).flatMap(([name, r]) =>
      ['policy', 'assume_role_policy']
        .filter((attr) => typeof r[attr] === 'string' && (r[attr] as string).startsWith('{'))
        .map((attr): [string, { Statement: PolicyStatement[] }] => [
          `${type}.${name}.${attr}`,
          JSON.parse(r[attr] as string),
        ]),
    ),
  );

describe.each(examples())('security scan: generated/$name', ({ name }) => {
  const config: Config = JSON.parse(readFileSync(join(ROOT, 'generated', name, 'main.tf.json'), 'utf8'));
  const resources = config.resource ?? {};

  test('no identity policy breaks least privilege', () => {
    const problems = Object.entries(resources)
      .filter(([type]) => type === 'aws_iam_role_policy' || type === 'aws_iam_policy')
      .flatMap(([type, byName]) =>
        Object.entries(byName).flatMap(([n, r]) =>
          leastPrivilegeProblems(JSON.parse(r.policy as string).Statement).map((p) => `${type}.${n}: ${p}`),
        ),
      );
    expect(problems).toEqual([]);
  });

  test('no Allow statement with a wildcard principal lacks an account condition', () => {
    // VPC endpoint policies name Principal "*" by design; they must then pin the account.
    const accountKeys = ['aws:ResourceAccount', 'aws:SourceAccount', 'aws:PrincipalAccount'];
    const open = policyDocs(config).flatMap(([where, doc]) =>
      doc.Statement.filter(
        (s) =>
          s.Effect === 'Allow' &&
          (s.Principal === '*' || JSON.stringify(s.Principal ?? {}).includes('"*"')) &&
          !accountKeys.some((k) => JSON.stringify(s.Condition ?? {}).includes(`"${k}"`)),
      ).map((s) => `${where}: ${s.Sid}`),
    );
    expect(open).toEqual([]);
  });

  test('every resource type is classified, and every one that takes a KMS key has the pipeline key', () => {
    const unclassified = Object.keys(resources).filter((t) => !(t in TAKES_KEY) && !TAKES_NO_KEY.has(t));
    expect(unclassified).toEqual([]);
    const missing = Object.entries(TAKES_KEY).flatMap(([type, path]) =>
      Object.entries(resources[type] ?? {}).flatMap(([n, r]) =>
        dig(r, path).every((v) => typeof v === 'string' && PIPELINE_KEY.test(v)) ? [] : [`${type}.${n}`],
      ),
    );
    expect(missing).toEqual([]);
  });

  test('every bucket has SSE-KMS, a public-access block and a TLS-only policy', () => {
    for (const n of Object.keys(resources.aws_s3_bucket ?? {})) {
      expect(resources.aws_s3_bucket_server_side_encryption_configuration[n]).toBeDefined();
      expect(resources.aws_s3_bucket_public_access_block[n]).toMatchObject({
        block_public_policy: true,
        restrict_public_buckets: true,
      });
      expect(resources.aws_s3_bucket_policy[n].policy).toContain('aws:SecureTransport');
    }
  });
});
