import type { PolicyStatement } from './policy';

/** Statement ids of {@link vpcInterfaceStatements}, unique within the policy they join. */
export interface VpcInterfaceSids {
  /** Creating an interface with a subnet and security groups of the pipeline VPC. */
  readonly create: string;
  /** Managing the interfaces themselves. */
  readonly manage: string;
  readonly describe: string;
}

/**
 * What a SageMaker role needs to run jobs or endpoints in the pipeline VPC: SageMaker
 * creates the network interfaces with the role, so it may create one only from a subnet and
 * security groups of that VPC (`ec2:Vpc`; any other subnet of the account is refused),
 * manage network interfaces, and describe the network. The one builder for training and
 * processing jobs, Model Monitor jobs and endpoints.
 */
export function vpcInterfaceStatements(
  sec: { readonly partition: string; readonly region: string; readonly account: string },
  vpcId: string,
  sids: VpcInterfaceSids,
): PolicyStatement[] {
  const ec2 = (resource: string) => `arn:${sec.partition}:ec2:${sec.region}:${sec.account}:${resource}`;
  return [
    {
      Sid: sids.create,
      Effect: 'Allow',
      Action: 'ec2:CreateNetworkInterface',
      Resource: [ec2('security-group/*'), ec2('subnet/*')],
      Condition: { ArnEquals: { 'ec2:Vpc': ec2(`vpc/${vpcId}`) } },
    },
    {
      Sid: sids.manage,
      Effect: 'Allow',
      Action: [
        'ec2:CreateNetworkInterface',
        'ec2:CreateNetworkInterfacePermission',
        'ec2:DeleteNetworkInterface',
        'ec2:DeleteNetworkInterfacePermission',
      ],
      Resource: ec2('network-interface/*'),
    },
    describeNetworkStatement(sids.describe),
  ];
}

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

/**
 * What a Step Functions state machine needs for its execution logs and X-Ray traces. Log
 * delivery is configured through account-level calls that take no resource ARN, and X-Ray
 * telemetry calls take none either, hence `*`.
 */
export function stateMachineTelemetryStatements(): PolicyStatement[] {
  return [
    {
      Sid: 'DeliverExecutionLogs',
      Effect: 'Allow',
      Action: [
        'logs:CreateLogDelivery',
        'logs:DeleteLogDelivery',
        'logs:DescribeLogGroups',
        'logs:DescribeResourcePolicies',
        'logs:GetLogDelivery',
        'logs:ListLogDeliveries',
        'logs:PutResourcePolicy',
        'logs:UpdateLogDelivery',
      ],
      Resource: '*',
    },
    {
      Sid: 'SendTraces',
      Effect: 'Allow',
      Action: [
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ],
      Resource: '*',
    },
  ];
}
