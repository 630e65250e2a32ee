import { Testing, TerraformStack } from 'cdktf';
import {
  leastPrivilegeProblems,
  managedPolicyProblems,
  PolicyError,
} from '../../src/constructs/iam/least-privilege';
import type { PolicyStatement } from '../../src/constructs/iam/policy';
import { RoleFactory, roleName, type RoleRequest } from '../../src/constructs/iam/role-factory';

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

  const trustOf = (request: Partial<RoleRequest>) => {
    const out = JSON.parse(
      Testing.synthScope((scope) => {
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
    const stack = new TerraformStack(Testing.app(), 's');
    expect(() =>
      factory().create(stack, 'none', 'none', { services: [], description: 'x', statements: [] }),
    ).toThrow(/names no service and no federated principal/);
  });
});
