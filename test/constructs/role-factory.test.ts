import { Testing, TerraformStack } from 'cdktf';
import {
  leastPrivilegeProblems,
  managedPolicyProblems,
  PolicyError,
} from '../../src/constructs/iam/least-privilege';
import type { PolicyStatement } from '../../src/constructs/iam/policy';
import { RoleFactory, roleName } from '../../src/constructs/iam/role-factory';

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

  test.each(['AdministratorAccess', 'AmazonSageMakerFullAccess'])('refuses the managed policy %s', (name) => {
    expect(managedPolicyProblems([`arn:aws:iam::aws:policy/${name}`])).toHaveLength(1);
  });
});

describe('RoleFactory', () => {
  test('GIVEN a request THEN one role with a scoped trust policy, path, boundary and inline policy', () => {
    const out = JSON.parse(
      Testing.synthScope((scope) => {
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
    const stack = new TerraformStack(Testing.app(), 's');
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
  });

  test('long role names stay within 64 characters and stay stable', () => {
    const long = roleName('a-very-long-pipeline-name', 'an-extremely-long-component-name-for-a-glue-job-x');
    expect(long.length).toBe(64);
    expect(roleName('a-very-long-pipeline-name', 'an-extremely-long-component-name-for-a-glue-job-x')).toBe(
      long,
    );
    expect(roleName('demo', 'etl')).toBe('demo-etl');
  });
});
