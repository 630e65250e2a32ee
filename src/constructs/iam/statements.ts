import type { PolicyStatement } from './policy';

/**
 * The read-only EC2 calls every service that runs in the VPC makes to place its network
 * interfaces. EC2 Describe actions support no resource-level permissions, hence `*`.
 */
export function describeNetworkStatement(sid: string): PolicyStatement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Action: [
      'ec2:DescribeDhcpOptions',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
      'ec2:DescribeVpcs',
    ],
    Resource: '*',
  };
}
