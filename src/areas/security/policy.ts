/**
 * IAM policy statements as typed data, in IAM's own field names: pure, so the areas' size
 * models and the construct layer (src/constructs/iam/) share one definition.
 */

export type Principal =
  | '*'
  | {
      readonly AWS?: string | string[];
      readonly Service?: string | string[];
      /** A web-identity (OIDC) or SAML provider ARN. */
      readonly Federated?: string;
    };

/** One IAM statement, in IAM's own field names. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Principal;
  readonly Action: string | readonly string[];
  /** Required in identity and resource policies; absent only in trust policies. */
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<
    Record<string, Readonly<Record<string, string | number | boolean | readonly string[]>>>
  >;
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
