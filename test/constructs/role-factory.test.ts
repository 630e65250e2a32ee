import { TerraformStack } from 'cdktf';
import {
  leastPrivilegeProblems,
  managedPolicyProblems,
  PolicyError,
} from '../../src/constructs/iam/least-privilege';
import type { PolicyStatement } from '../../src/constructs/iam/policy';
import { RoleFactory, roleName, type RoleRequest } from '../../src/constructs/iam/role-factory';
import { synthScope, testApp } from '../harness/cdktf-testing';

const factory = (extra: object = {}) =>
  new RoleFactory({
    pipeline: 'demo',
    account: '123456789012',
    partition: 'aws',
    path: '/pipeform/',
    ...extra,
  });
const allow = (
  Action: string | string[],
  Resource: string | string[] = 'arn:aws:s3:::b/*',
): PolicyStatement => ({ Sid: 'S', Effect: 'Allow', Action, Resource });

describe('least privilege', () => {
  test.each([
    ['"*" action', allow('*')],
    ['iam:*', allow('iam:*')],
    ['s3:*', allow('s3:*')],
    ['S3:* in another case', allow('S3:*')],
    ['service wildcard on every resource', allow('glue:*', '*')],
    ['a wildcard hidden in a list', allow(['s3:GetObject', '*'])],
    ['no resource', { Sid: 'S', Effect: 'Allow', Action: 's3:GetObject' } as PolicyStatement],
  ])('refuses %s', (_name, statement) => {
    expect(leastPrivilegeProblems([statement])).toHaveLength(1);
  });

  test.each([
    ['a scoped action', allow('s3:GetObject')],
    ['a scoped wildcard on a scoped resource', allow('s3:Get*')],
    [
      'a single action on every resource (some APIs have no resource ARN)',
      allow('ecr:GetAuthorizationToken', '*'),
    ],
    ['a Deny of everything', { Sid: 'D', Effect: 'Deny', Action: '*', Resource: '*' } as PolicyStatement],
  ])('accepts %s', (_name, statement) => {
    expect(leastPrivilegeProblems([statement])).toEqual([]);
  });

  const prefixCondition = (values: string | string[], operator = 'StringLike'): PolicyStatement => ({
    ...allow('s3:ListBucket', 'arn:aws:s3:::b'),
    Condition: { [operator]: { 's3:prefix': values } },
  });
  // The trailing "*" pipeform adds to a prefix is the only wildcard an S3 key pattern may hold:
  // IAM reads "*" and "?" anywhere as wildcards, S3 keys hold them as plain characters.
  test.each([
    ['the whole bucket', 'arn:aws:s3:::b/*', true],
    ['a prefix with one trailing *', 'arn:aws:s3:::b/a/*', true],
    ['one object', 'arn:aws:s3:::b/a/model.tar.gz', true],
    ['a bucket with no key', 'arn:aws:s3:::b', true],
    ['a referenced bucket and a prefix', '${aws_s3_bucket.lake_curated.arn}/a/*', true],
    ['a cdktf token and a prefix', '${TfToken[TOKEN.12]}/a/b=1/*', true],
    ['a partition reference', '${data.aws_partition.p.partition}:s3:::b/a/*', true],
    ['a * inside the prefix', 'arn:aws:s3:::b/*/a/*', false],
    ['a ? inside the prefix', 'arn:aws:s3:::b/a?/*', false],
    ['two trailing *', 'arn:aws:s3:::b/a/**', false],
    ['a * prefix on a referenced bucket', '${aws_s3_bucket.lake_curated.arn}/*/*', false],
    ['a ? on a cdktf token', '${TfToken[TOKEN.12]}/a?', false],
    ['a wildcard bucket', 'arn:aws:s3:::lake-*/a/*', false],
    ['a wildcard in another partition', 'arn:aws-cn:s3:::b/*/a/*', false],
  ])('S3 object ARN: %s (%s) scoped=%s', (_name, resource, ok) => {
    const arn = resource.startsWith('${data') ? `arn:${resource}` : resource;
    expect(leastPrivilegeProblems([allow(['s3:GetObject', 's3:PutObject'], arn)])).toHaveLength(ok ? 0 : 1);
  });

  test('GIVEN a reference followed by a wildcard key on a statement without S3 actions THEN it is not an S3 object', () => {
    // e.g. an EMR Serverless application ARN and its job runs.
    expect(
      leastPrivilegeProblems([allow('emr-serverless:StartJobRun', '${TfToken[TOKEN.1]}/jobruns/*')]),
    ).toEqual([]);
  });

  test.each([
    ['an exact prefix', 'a/', true],
    ['a prefix and one trailing *', ['a/', 'a/*'], true],
    ['the whole bucket', '*', true],
    ['a * inside', '*/', false],
    ['a * inside, before the trailing one', ['a/', '*/*'], false],
    ['a ? inside', 'a?/*', false],
    ['two trailing *', 'a/**', false],
  ])('s3:prefix condition: %s (%j) scoped=%s', (_name, values, ok) => {
    expect(leastPrivilegeProblems([prefixCondition(values)])).toHaveLength(ok ? 0 : 1);
  });

  test('GIVEN a wildcard s3:prefix under any operator or key case THEN it is refused', () => {
    expect(leastPrivilegeProblems([prefixCondition('*/', 'StringEquals')])).toHaveLength(1);
    expect(
      leastPrivilegeProblems([
        { ...allow('s3:ListBucket', 'arn:aws:s3:::b'), Condition: { StringLike: { 'S3:Prefix': '*/*' } } },
      ]),
    ).toHaveLength(1);
  });

  test('GIVEN a wildcard S3 resource in a Deny THEN it is allowed (a wider deny grants nothing)', () => {
    expect(
      leastPrivilegeProblems([
        { Sid: 'D', Effect: 'Deny', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*/*' },
      ]),
    ).toEqual([]);
  });

  test.each(['AdministratorAccess', 'AmazonSageMakerFullAccess'])('refuses the managed policy %s', (name) => {
    expect(managedPolicyProblems([`arn:aws:iam::aws:policy/${name}`])).toHaveLength(1);
  });
});

describe('RoleFactory', () => {
  test('GIVEN a request THEN one role with a scoped trust policy, path, boundary and inline policy', () => {
    const out = JSON.parse(
      synthScope((scope) => {
        factory({ permissionsBoundaryArn: 'arn:aws:iam::123456789012:policy/boundary' }).create(
          scope,
          'etl',
          'etl',
          {
            services: ['glue.amazonaws.com'],
            description: 'Glue job etl',
            statements: [allow(['s3:GetObject', 's3:PutObject'])],
          },
        );
      }),
    );
    const role = Object.values(out.resource.aws_iam_role)[0] as Record<string, string>;
    expect(role).toMatchObject({
      name: 'demo-etl',
      path: '/pipeform/',
      permissions_boundary: 'arn:aws:iam::123456789012:policy/boundary',
    });
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AssumedByService',
          Effect: 'Allow',
          Principal: { Service: ['glue.amazonaws.com'] },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
        },
      ],
    });
    const policy = Object.values(out.resource.aws_iam_role_policy)[0] as Record<string, string>;
    expect(JSON.parse(policy.policy).Statement[0].Action).toEqual(['s3:GetObject', 's3:PutObject']);
  });

  test('GIVEN a wildcard statement THEN it refuses at build time, naming the role and the problem', () => {
    const stack = new TerraformStack(testApp(), 's');
    expect(() =>
      factory().create(stack, 'bad', 'bad', {
        services: ['glue.amazonaws.com'],
        description: 'x',
        statements: [allow('s3:*')],
      }),
    ).toThrow(PolicyError);
    expect(() =>
      factory().create(stack, 'bad2', 'bad2', {
        services: ['glue.amazonaws.com'],
        description: 'x',
        statements: [allow('*', '*')],
      }),
    ).toThrow(/role demo-bad2 is not least-privilege:\n {2}- S: action "\*" allows everything/);
    expect(() =>
      factory().create(stack, 'bad3', 'bad3', {
        services: ['sagemaker.amazonaws.com'],
        description: 'x',
        statements: [],
        managedPolicyArns: ['arn:aws:iam::aws:policy/AmazonSageMakerFullAccess'],
      }),
    ).toThrow(PolicyError);
    expect(() =>
      factory().create(stack, 'bad4', 'bad4', {
        services: ['glue.amazonaws.com'],
        description: 'x',
        statements: [allow(['s3:DeleteObject', 's3:PutObject'], '${TfToken[TOKEN.3]}/*/*')],
      }),
    ).toThrow(
      /role demo-bad4 is not least-privilege:\n {2}- S: S3 object resource .* has a wildcard other than one trailing/,
    );
  });

  test('long role names stay within 64 characters and stay stable', () => {
    const long = roleName('a-very-long-pipeline-name', 'an-extremely-long-component-name-for-a-glue-job-x');
    expect(long.length).toBe(64);
    expect(roleName('a-very-long-pipeline-name', 'an-extremely-long-component-name-for-a-glue-job-x')).toBe(
      long,
    );
    expect(roleName('demo', 'etl')).toBe('demo-etl');
  });

  const trustOf = (request: Partial<RoleRequest>) => {
    const out = JSON.parse(
      synthScope((scope) => {
        factory().create(scope, 'r', 'r', { services: [], description: 'x', statements: [], ...request });
      }),
    );
    const role = Object.values(out.resource.aws_iam_role)[0] as Record<string, string>;
    return JSON.parse(role.assume_role_policy).Statement;
  };
  const irsa = {
    providerArn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC',
    issuer: 'oidc.eks.us-east-1.amazonaws.com/id/ABC',
    subject: 'system:serviceaccount:kube-system:ebs-csi-controller-sa',
  };

  test('GIVEN a federated trust (IRSA) THEN web identity for exactly one subject and the STS audience', () => {
    expect(trustOf({ federated: irsa })).toEqual([
      {
        Sid: 'AssumedByWebIdentity',
        Effect: 'Allow',
        Principal: { Federated: irsa.providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            'oidc.eks.us-east-1.amazonaws.com/id/ABC:sub': irsa.subject,
            'oidc.eks.us-east-1.amazonaws.com/id/ABC:aud': 'sts.amazonaws.com',
          },
        },
      },
    ]);
  });

  test('GIVEN services and a federated trust THEN both statements; an audience can be set', () => {
    const statements = trustOf({
      services: ['ec2.amazonaws.com'],
      sourceAccountCondition: false,
      federated: { ...irsa, audience: 'my-app' },
    });
    expect(statements.map((s: { Sid: string }) => s.Sid)).toEqual([
      'AssumedByService',
      'AssumedByWebIdentity',
    ]);
    expect(statements[0]).not.toHaveProperty('Condition');
    expect(statements[1].Condition.StringEquals['oidc.eks.us-east-1.amazonaws.com/id/ABC:aud']).toBe(
      'my-app',
    );
  });

  test('GIVEN neither services nor a federated principal THEN it refuses (nobody could assume the role)', () => {
    const stack = new TerraformStack(testApp(), 's');
    expect(() =>
      factory().create(stack, 'none', 'none', { services: [], description: 'x', statements: [] }),
    ).toThrow(/names no service and no federated principal/);
  });
});
