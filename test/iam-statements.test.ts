/**
 * The one network-interface grant builder (src/constructs/iam/statements.ts): every
 * service's variant may create interfaces only from subnets and security groups of the
 * pipeline VPC, grants each service the actions it needs and no other's, and lets only
 * CodeBuild attach interfaces on the role's behalf (for codebuild.amazonaws.com, in the VPC).
 */
import type { PolicyStatement } from '../src/constructs/iam/policy';
import { leastPrivilegeProblems } from '../src/constructs/iam/least-privilege';
import {
  NETWORK_INTERFACE_SERVICES,
  networkInterfaceStatements,
  type NetworkInterfaceGrant,
} from '../src/constructs/iam/statements';

const sec = { partition: 'aws', region: 'us-east-1', account: '123456789012' };
const VPC = 'vpc-0123456789abcdef0';
const VPC_ARN = `arn:aws:ec2:us-east-1:123456789012:vpc/${VPC}`;
const SIDS = { create: 'Create', manage: 'Manage', describe: 'Describe', authorize: 'Authorize' };
const list = (v: string | readonly string[] | undefined): string[] =>
  v === undefined ? [] : typeof v === 'string' ? [v] : [...v];
const services = Object.keys(NETWORK_INTERFACE_SERVICES) as (keyof typeof NETWORK_INTERFACE_SERVICES)[];

function grants(
  service: keyof typeof NETWORK_INTERFACE_SERVICES,
  extra: Partial<NetworkInterfaceGrant> = {},
) {
  return networkInterfaceStatements(sec, VPC, {
    service: NETWORK_INTERFACE_SERVICES[service],
    sids: SIDS,
    ...extra,
  });
}

/** The statements that let the role create an interface from a subnet or security group. */
function placementGrants(statements: PolicyStatement[]): PolicyStatement[] {
  return statements.filter(
    (s) =>
      list(s.Action).includes('ec2:CreateNetworkInterface') &&
      list(s.Resource).some((r) => /:(subnet|security-group)\//.test(r)),
  );
}

describe.each(services)('the %s variant', (service) => {
  const placements = [
    ['any subnet of the VPC', grants(service)],
    [
      'subnets given by id',
      grants(service, { placement: { subnetIds: ['subnet-a', 'subnet-b'], securityGroupIds: ['sg-1'] } }),
    ],
  ] as const;

  test.each(placements)(
    'with %s: every subnet and security group grant is pinned to the pipeline VPC',
    (_, s) => {
      const placing = placementGrants([...s]);
      expect(placing).not.toHaveLength(0);
      for (const st of placing)
        expect({ sid: st.Sid, condition: st.Condition }).toEqual({
          sid: st.Sid,
          condition: expect.objectContaining({ ArnEquals: { 'ec2:Vpc': VPC_ARN } }) as unknown,
        });
    },
  );

  test('no subnet or security-group `*` without the VPC condition, anywhere', () => {
    for (const st of grants(service)) {
      const wide = list(st.Resource).some((r) => /:(subnet|security-group)\/\*$/.test(r));
      if (wide) expect(st.Condition?.ArnEquals).toEqual({ 'ec2:Vpc': VPC_ARN });
    }
  });

  test('passes the least-privilege check roles are built with', () => {
    expect(leastPrivilegeProblems(grants(service))).toEqual([]);
  });

  test('the interface permission is for the authorizing service only, in the VPC only', () => {
    const permission = grants(service).filter((st) =>
      list(st.Action).includes('ec2:CreateNetworkInterfacePermission'),
    );
    if (service === 'codebuild')
      expect(permission).toEqual([
        expect.objectContaining({
          Sid: 'Authorize',
          Condition: {
            StringEquals: { 'ec2:AuthorizedService': 'codebuild.amazonaws.com' },
            ArnEquals: { 'ec2:Vpc': VPC_ARN },
          },
        }),
      ]);
    else if (service !== 'sagemaker') expect(permission).toEqual([]);
  });
});

test('subnets given by id are granted by id, not as any subnet of the VPC', () => {
  const s = grants('lambda', { placement: { subnetIds: ['subnet-a'], securityGroupIds: ['sg-1'] } });
  expect(placementGrants(s).flatMap((st) => list(st.Resource))).toEqual([
    'arn:aws:ec2:us-east-1:123456789012:security-group/sg-1',
    'arn:aws:ec2:us-east-1:123456789012:subnet/subnet-a',
  ]);
});

test('each service gets the actions its documentation lists, and only those', () => {
  const actions = (service: keyof typeof NETWORK_INTERFACE_SERVICES) =>
    [...new Set(grants(service).flatMap((st) => list(st.Action)))].sort();
  // AWSLambdaVPCAccessExecutionRole
  expect(actions('lambda')).toEqual([
    'ec2:AssignPrivateIpAddresses',
    'ec2:CreateNetworkInterface',
    'ec2:DeleteNetworkInterface',
    'ec2:DescribeNetworkInterfaces',
    'ec2:DescribeSubnets',
    'ec2:UnassignPrivateIpAddresses',
  ]);
  // Glue tags its interfaces; it assigns no secondary addresses.
  expect(actions('glue')).toEqual(expect.arrayContaining(['ec2:CreateTags', 'ec2:DescribeVpcEndpoints']));
  expect(actions('glue')).not.toContain('ec2:AssignPrivateIpAddresses');
  expect(actions('codebuild')).toEqual(
    expect.arrayContaining(['ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface']),
  );
  expect(actions('sagemaker')).toEqual(expect.arrayContaining(['ec2:DeleteNetworkInterfacePermission']));
});

test('a service that attaches interfaces needs a statement id for it', () => {
  const { authorize: _, ...sids } = SIDS;
  expect(() =>
    networkInterfaceStatements(sec, VPC, { service: NETWORK_INTERFACE_SERVICES.codebuild, sids }),
  ).toThrow('internal: the codebuild.amazonaws.com interface grant needs an authorize statement id');
});
