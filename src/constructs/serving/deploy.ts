import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { Construct } from 'constructs';
import type { ResolvedServingDeploy } from '../../model/serving';
import type { PolicyStatement } from '../iam/policy';
import { policyChars, ROLE_POLICY_CHARS } from '../iam/role-factory';
import { stateMachineTelemetryStatements } from '../iam/statements';
import { encryptedLogGroup } from '../logs';
import type { SecurityContext } from '../security-context';
import { modelApprovedPattern } from './approval';
import { servingDeployDefinition } from './deploy-definition';
import type { DeployTarget } from './deploy-requests';
import { modelVersionsInput, pinnableEndpoints, pinnedDefinition, VersionPins } from './version-pins';

/** One registry endpoint as the deploy role sees it. */
export interface DeployRoleTarget {
  readonly target: DeployTarget;
  /** The endpoint's execution role, which its models run as (passed to SageMaker). */
  readonly executionRoleArn: string;
  /** The same ARN as text (`PipelineRole.literalArn`), for the compact encoding. */
  readonly executionRoleLiteralArn: string;
  /** Its auto-rollback alarms (SageMaker reads them for the deploy's caller). */
  readonly alarmNames: readonly string[];
}

/**
 * The deploy role: exactly what the state machine calls, on exactly its endpoints' names.
 * Models and configurations of an endpoint are named `<endpoint>-...` and `<prefix>...`;
 * the role passes only the endpoints' execution roles, to SageMaker only; it reads and
 * writes only the ledger parameters. Application Auto Scaling has no name-based resource
 * (scalable targets have generated ARNs), so its calls are limited by condition keys to
 * SageMaker variants' instance counts.
 */
export function deployRoleStatements(
  d: ResolvedServingDeploy,
  targets: readonly DeployRoleTarget[],
  sec: SecurityContext,
): PolicyStatement[] {
  const exact = roleStatements(d, targets, sec, false);
  return policyChars(exact) <= ROLE_POLICY_CHARS ? exact : roleStatements(d, targets, sec, true);
}

/**
 * The deploy role's statements. `compact` (when they do not fit IAM's inline limit; the role
 * factory then spreads them over managed policies) writes the same grants in fewer
 * characters, about 320 per endpoint instead of 700, so 200 endpoints fit the inline policy
 * and the default 10 managed policies: configurations listed once (the endpoint actions join
 * their statement), execution roles by their ARN text instead of a reference (counted at 128),
 * each endpoint's alarms by `alarm:<endpoint>-*` (read only), and the ledgers by the
 * pipeline's own path `/pipeform/<pipeline>/serving/*` (a `/` ends the pipeline name, so no
 * other pipeline's parameter matches).
 */
function roleStatements(
  d: ResolvedServingDeploy,
  targets: readonly DeployRoleTarget[],
  sec: SecurityContext,
  compact: boolean,
): PolicyStatement[] {
  const arn = (service: string, resource: string) =>
    `arn:${sec.partition}:${service}:${sec.region}:${sec.account}:${resource}`;
  const endpoints = targets.map((t) => arn('sagemaker', `endpoint/${t.target.endpointName}`));
  const configs = targets.map((t) => arn('sagemaker', `endpoint-config/${t.target.configPrefix}*`));
  const models = targets.map((t) => arn('sagemaker', `model/${t.target.endpointName}-*`));
  const alarms = targets.flatMap((t) =>
    compact && t.alarmNames.length > 0 && t.alarmNames.every((a) => a.startsWith(`${t.target.endpointName}-`))
      ? [arn('cloudwatch', `alarm:${t.target.endpointName}-*`)]
      : t.alarmNames.map((a) => arn('cloudwatch', `alarm:${a}`)),
  );
  const endpointActions = [
    'sagemaker:AddTags',
    'sagemaker:CreateEndpoint',
    'sagemaker:DescribeEndpoint',
    'sagemaker:UpdateEndpoint',
  ];
  const configActions = [
    'sagemaker:AddTags',
    'sagemaker:CreateEndpointConfig',
    'sagemaker:DeleteEndpointConfig',
    'sagemaker:DescribeEndpointConfig',
  ];
  const scaling = {
    StringEquals: {
      'application-autoscaling:service-namespace': 'sagemaker',
      'application-autoscaling:scalable-dimension': 'sagemaker:variant:DesiredInstanceCount',
    },
  };
  const statements: PolicyStatement[] = [
    {
      // ListModelPackages takes no resource; it lists names and states only.
      Sid: 'FindLatestApprovedVersion',
      Effect: 'Allow',
      Action: 'sagemaker:ListModelPackages',
      Resource: '*',
    },
    {
      Sid: 'ReadPackages',
      Effect: 'Allow',
      Action: 'sagemaker:DescribeModelPackage',
      Resource: `${d.packageArnPrefix}*`,
    },
    {
      Sid: 'ManageEndpointModels',
      Effect: 'Allow',
      Action: [
        'sagemaker:AddTags',
        'sagemaker:CreateModel',
        'sagemaker:DeleteModel',
        'sagemaker:DescribeModel',
      ],
      Resource: models,
    },
    {
      Sid: 'ManageEndpointConfigs',
      Effect: 'Allow',
      // CreateEndpoint and UpdateEndpoint authorize on the configuration too.
      Action: compact ? [...new Set([...configActions, ...endpointActions])].sort() : configActions,
      Resource: configs,
    },
    {
      Sid: 'DeployEndpoints',
      Effect: 'Allow',
      Action: endpointActions,
      Resource: compact ? endpoints : [...endpoints, ...configs],
    },
    {
      Sid: 'PassEndpointExecutionRoles',
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: [...new Set(targets.map((t) => (compact ? t.executionRoleLiteralArn : t.executionRoleArn)))],
      Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    },
    {
      // Endpoint configurations encrypt volumes and captured data with the key through grants.
      Sid: 'GrantKeyToEndpoints',
      Effect: 'Allow',
      Action: 'kms:CreateGrant',
      Resource: sec.keyArn,
      Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
    },
    {
      // The state machine's own data (execution history) is encrypted with the key.
      Sid: 'UseThePipelineKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
      Resource: sec.keyArn,
    },
    {
      Sid: 'ReadWriteLedgers',
      Effect: 'Allow',
      Action: ['ssm:GetParameter', 'ssm:PutParameter'],
      Resource: compact
        ? arn('ssm', `parameter${d.ledgerPath}/*`)
        : targets.map((t) => arn('ssm', `parameter${t.target.ledger}`)),
    },
  ];
  if (alarms.length > 0) {
    statements.push({
      // CreateEndpoint and UpdateEndpoint check the auto-rollback alarms as the caller.
      Sid: 'ReadRollbackAlarms',
      Effect: 'Allow',
      Action: 'cloudwatch:DescribeAlarms',
      Resource: alarms,
    });
  }
  if (targets.some((t) => t.target.scaling.length > 0)) {
    statements.push(
      {
        Sid: 'ScaleVariants',
        Effect: 'Allow',
        Action: [
          'application-autoscaling:DescribeScalableTargets',
          'application-autoscaling:PutScalingPolicy',
          'application-autoscaling:PutScheduledAction',
          'application-autoscaling:RegisterScalableTarget',
          'application-autoscaling:TagResource',
        ],
        Resource: '*',
        Condition: scaling,
      },
      {
        // The first registration creates Application Auto Scaling's role for SageMaker variants.
        Sid: 'CreateScalingServiceRole',
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: `arn:${sec.partition}:iam::${sec.account}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`,
        Condition: {
          StringEquals: { 'iam:AWSServiceName': 'sagemaker.application-autoscaling.amazonaws.com' },
        },
      },
    );
  }
  return [...statements, ...stateMachineTelemetryStatements()];
}

/** Props of {@link ServingDeploy}. */
export interface ServingDeployProps {
  readonly deploy: ResolvedServingDeploy;
  readonly targets: readonly DeployRoleTarget[];
  readonly security: SecurityContext;
  /** Emitted as a module: the `model_versions` input pins endpoints (version-pins.ts). */
  readonly module?: boolean;
}

/**
 * The serving deploy: the Step Functions state machine `<pipeline>-serving-deploy` (AWS SDK
 * integrations, JSONata) that brings registry endpoints up and moves them to new versions,
 * with a role limited to them, execution logs in an encrypted group, X-Ray, the pipeline
 * key; and the EventBridge rule that starts it when a version of the group is approved, for
 * the endpoints the CI/CD pipeline does not deploy behind its own approval.
 */
export class ServingDeploy extends Construct {
  readonly stateMachine: SfnStateMachine;
  readonly definition: Record<string, unknown>;
  readonly rule?: CloudwatchEventRule;
  /**
   * `<state machine>-failed` on ExecutionsFailed; when the spec has monitoring, monitoring
   * points its actions at the alerts topic and lists it on the dashboard (no actions otherwise).
   */
  readonly failedAlarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: ServingDeployProps) {
    super(scope, id);
    const { deploy: d, security: sec } = props;
    const logGroup = encryptedLogGroup(this, 'LogGroup', d.logGroupName, sec);
    const role = sec.roles.create(this, 'Role', d.roleComponent, {
      services: ['states.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: deploys approved versions of ${d.packageGroup} to the endpoints`,
      statements: deployRoleStatements(d, props.targets, sec),
    });
    const targets = props.targets.map((t) => t.target);
    this.definition = servingDeployDefinition(d, targets, sec.partition);
    const pinInput =
      props.module && pinnableEndpoints(targets).length > 0
        ? modelVersionsInput(this, d, targets)
        : undefined;
    this.stateMachine = new SfnStateMachine(this, 'Resource', {
      name: d.stateMachineName,
      type: 'STANDARD',
      roleArn: role.arn,
      // As a module, the caller's pins are expressions inside the definition.
      definition: pinInput ? pinnedDefinition(this.definition, targets) : JSON.stringify(this.definition),
      loggingConfiguration: { logDestination: `${logGroup.arn}:*`, includeExecutionData: true, level: 'ALL' },
      tracingConfiguration: { enabled: true },
      encryptionConfiguration: {
        type: 'CUSTOMER_MANAGED_KMS_KEY',
        kmsKeyId: sec.keyArn,
        kmsDataKeyReusePeriodSeconds: 300,
      },
      dependsOn: role.policyDependables,
    });
    if (pinInput) {
      new VersionPins(this, 'pins', {
        deploy: d,
        stateMachine: this.stateMachine,
        variable: pinInput.variable,
        security: sec,
      });
    }

    // A failed deploy leaves the endpoint on its old version (or waiting): someone must know.
    this.failedAlarm = new CloudwatchMetricAlarm(this, 'failed', {
      alarmName: `${d.stateMachineName}-failed`,
      alarmDescription: `pipeform: an execution of ${d.stateMachineName} failed (the endpoints keep their previous version)`,
      namespace: 'AWS/States',
      metricName: 'ExecutionsFailed',
      dimensions: { StateMachineArn: this.stateMachine.arn },
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: 'GreaterThanThreshold',
      treatMissingData: 'notBreaching',
    });

    const direct = d.endpoints.filter((e) => !d.cicdEndpoints.includes(e));
    // A promoted environment's manual gate starts the deploy instead (serving/promotion.ts).
    if (direct.length > 0 && !d.promotion?.gated) {
      const approvals = new Construct(this, 'approved');
      const eventsRole = sec.roles.create(approvals, 'Role', d.eventsRoleComponent, {
        services: ['events.amazonaws.com'],
        description: `pipeform ${sec.pipeline}: starts ${d.stateMachineName} when a version of ${d.packageGroup} is approved`,
        statements: [
          {
            Sid: 'StartTheServingDeploy',
            Effect: 'Allow',
            Action: 'states:StartExecution',
            Resource: this.stateMachine.arn,
          },
        ],
      });
      this.rule = new CloudwatchEventRule(approvals, 'Rule', {
        name: d.ruleName,
        description: `Deploys ${direct.join(', ')} when a version of ${d.packageGroup} is approved`,
        eventPattern: JSON.stringify(modelApprovedPattern(d.packageGroup, d.promotion?.ownerAccount)),
        state: 'ENABLED',
      });
      new CloudwatchEventTarget(approvals, 'Target', {
        rule: this.rule.name,
        targetId: 'serving-deploy',
        arn: this.stateMachine.arn,
        roleArn: eventsRole.arn,
        // The endpoints the CI/CD pipeline deploys wait for its manual approval instead.
        input: JSON.stringify({ endpoints: direct }),
      });
    }
  }
}
