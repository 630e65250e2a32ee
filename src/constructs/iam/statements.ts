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
