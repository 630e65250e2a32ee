import { CloudwatchEventPermission } from '@cdktf/provider-aws/lib/cloudwatch-event-permission';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Construct } from 'constructs';
import type { ResolvedPromotedSource, ResolvedPromotionGate } from '../../model/promotion';
import type { ResolvedServingDeploy } from '../../model/serving';
import { assetObjectKey } from '../assets';
import type { PolicyStatement } from '../iam/policy';
import { stateMachineTelemetryStatements } from '../iam/statements';
import { encryptedLogGroup } from '../logs';
import type { SecurityContext } from '../security-context';
import { readArn } from '../training/registry-sharing';
import { modelApprovedPattern } from './approval';
import { integrationArn } from '../../compiler/arn';

type Scope = Pick<SecurityContext, 'partition' | 'region'>;

/**
 * What a serving endpoint's execution role needs to run a model promoted from the owner:
 * get exactly the objects a registered model is made of (the owner's artifacts prefix and
 * its source archive), decrypt them with the owner's key only through S3, and pull a custom
 * inference image. The owner's bucket policy, key policy and group policy grant the same to
 * this account ({@link import('../training/registry-sharing').RegistrySharing}); both sides are needed.
 */
export function promotedModelStatements(src: ResolvedPromotedSource, sec: Scope): PolicyStatement[] {
  const objects = [
    ...src.reads.map((r) => readArn(sec.partition, r)),
    ...(src.sourceArchive
      ? [
          readArn(sec.partition, {
            bucketName: src.sourceArchive.store.bucketName,
            key: assetObjectKey(src.sourceArchive.asset, src.sourceArchive.store.prefix),
            match: 'exact',
          }),
        ]
      : []),
  ];
  const viaS3 = { 'kms:ViaService': `s3.${sec.region}.amazonaws.com` };
  const statements: PolicyStatement[] = [
    {
      Sid: 'ReadPromotedModelArtifacts',
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: [...new Set(objects)].sort(),
    },
    'arn' in src.key
      ? {
          Sid: 'DecryptPromotedModels',
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:DescribeKey'],
          Resource: src.key.arn,
          Condition: { StringEquals: viaS3 },
        }
      : {
          // The owner's key ARN exists only after the owner's apply; its alias is in the spec.
          // KMS evaluates kms:ResourceAliases on the key itself, so this matches that key only.
          Sid: 'DecryptPromotedModels',
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:DescribeKey'],
          Resource: `arn:${sec.partition}:kms:${sec.region}:${src.ownerAccount}:key/*`,
          Condition: {
            StringEquals: viaS3,
            'ForAnyValue:StringEquals': { 'kms:ResourceAliases': src.key.alias },
          },
        },
  ];
  if (src.imageRepositoryArn) {
    statements.push(
      {
        Sid: 'EcrTokenForPromotedImage',
        Effect: 'Allow',
        Action: 'ecr:GetAuthorizationToken',
        Resource: '*',
      },
      {
        Sid: 'PullPromotedImage',
        Effect: 'Allow',
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        Resource: src.imageRepositoryArn,
      },
    );
  }
  return statements;
}

/**
 * The promotion gate's state machine (JSONata): on the owner's approval event, publish the
 * version and a task token to the approvers' topic and wait; on task success, run the
 * serving deploy for exactly that version and wait for it (`startExecution.sync:2`); a
 * refusal or the timeout ends the run without deploying.
 */
export function promotionGateDefinition(
  gate: ResolvedPromotionGate,
  src: ResolvedPromotedSource,
  deploy: ResolvedServingDeploy,
  refs: { readonly topicArn: string; readonly deployArn: string; readonly environment: string },
  partition: string,
): Record<string, unknown> {
  const endpoints = [...deploy.endpoints];
  return {
    Comment: `pipeform: deploys versions of ${src.packageGroup} approved in ${src.ownerEnvironment} to ${refs.environment} after approval here`,
    QueryLanguage: 'JSONata',
    TimeoutSeconds: gate.timeoutSeconds + deploy.timeoutSeconds,
    StartAt: 'Init',
    States: {
      Init: {
        Type: 'Pass',
        Assign: {
          version: '{% $string($states.input.detail.ModelPackageVersion) %}',
          package: '{% $states.input.detail.ModelPackageArn %}',
        },
        Next: 'AskApprovers',
      },
      AskApprovers: {
        Type: 'Task',
        Resource: integrationArn(partition, 'sns:publish.waitForTaskToken'),
        Arguments: {
          TopicArn: refs.topicArn,
          Subject: `pipeform: promote ${src.packageGroup} to ${refs.environment}?`.slice(0, 100),
          Message: `{% 'Version ' & $version & ' of ${src.packageGroup} (' & $package & ') was approved in ${src.ownerEnvironment} (${src.ownerAccount}). To deploy it to ${endpoints.join(', ')} in ${refs.environment}, run:\\n\\naws stepfunctions send-task-success --task-token ' & $states.context.Task.Token & ' --task-output "{}"\\n\\nTo refuse it:\\n\\naws stepfunctions send-task-failure --task-token ' & $states.context.Task.Token & ' --error Refused' %}`,
        },
        TimeoutSeconds: gate.timeoutSeconds,
        Catch: [
          { ErrorEquals: ['States.Timeout'], Next: 'Lapsed' },
          { ErrorEquals: ['States.ALL'], Next: 'Refused' },
        ],
        Next: 'Deploy',
      },
      Deploy: {
        Type: 'Task',
        Resource: integrationArn(partition, 'states:startExecution.sync:2'),
        Arguments: {
          StateMachineArn: refs.deployArn,
          Input: {
            endpoints,
            version: '{% $version %}',
            AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID: '{% $states.context.Execution.Id %}',
          },
        },
        Output: '{% $states.result.Output %}',
        End: true,
      },
      Lapsed: {
        Type: 'Fail',
        Error: 'pipeform.ApprovalLapsed',
        Cause: `{% 'nobody approved version ' & $version & ' for ${refs.environment} in time; approve a version in ${src.ownerEnvironment} again to ask again' %}`,
      },
      Refused: {
        Type: 'Fail',
        Error: 'pipeform.PromotionRefused',
        Cause: `{% 'version ' & $version & ' was refused for ${refs.environment}' %}`,
      },
    },
  };
}

/** The gate role: publish to its topic, run the serving deploy and follow it, use the key. */
export function gateRoleStatements(
  refs: { readonly topicArn: string; readonly deployArn: string; readonly deployName: string },
  sec: SecurityContext,
): PolicyStatement[] {
  const arn = (service: string, resource: string) =>
    `arn:${sec.partition}:${service}:${sec.region}:${sec.account}:${resource}`;
  return [
    { Sid: 'AskApprovers', Effect: 'Allow', Action: 'sns:Publish', Resource: refs.topicArn },
    {
      Sid: 'StartTheServingDeploy',
      Effect: 'Allow',
      Action: 'states:StartExecution',
      Resource: refs.deployArn,
    },
    {
      Sid: 'FollowTheServingDeploy',
      Effect: 'Allow',
      Action: ['states:DescribeExecution', 'states:StopExecution'],
      Resource: arn('states', `execution:${refs.deployName}:*`),
    },
    {
      // startExecution.sync completes through this managed rule of Step Functions.
      Sid: 'SyncCompletionRule',
      Effect: 'Allow',
      Action: ['events:DescribeRule', 'events:PutRule', 'events:PutTargets'],
      Resource: arn('events', 'rule/StepFunctionsGetEventsForStepFunctionsExecutionRule'),
    },
    {
      // The topic, this state machine and the deploy's inputs are encrypted with the key.
      Sid: 'UseThePipelineKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
      Resource: sec.keyArn,
    },
    ...stateMachineTelemetryStatements(),
  ];
}

/** Props of {@link PromotionIntake}. */
export interface PromotionIntakeProps {
  readonly source: ResolvedPromotedSource;
  readonly deploy: ResolvedServingDeploy;
  /** ARN of the serving deploy state machine. */
  readonly deployArn: string;
  /** This environment's name (messages). */
  readonly environment: string;
  readonly security: SecurityContext;
}

/**
 * A serving environment's side of a promotion: its default event bus admits the owner's
 * forwarded approvals (a statement of its own, `aws_cloudwatch_event_permission`, so other
 * statements of the shared bus policy stay), and with `approval: manual` the gate: an
 * encrypted SNS topic for the approvers, the state machine that waits for their answer and
 * then runs the serving deploy, and the rule that starts the gate on the owner's approvals.
 * (With `automatic`, the serving deploy's own rule starts it: see ServingDeploy.)
 */
export class PromotionIntake extends Construct {
  readonly topic?: SnsTopic;
  readonly gate?: SfnStateMachine;

  constructor(scope: Construct, id: string, props: PromotionIntakeProps) {
    super(scope, id);
    const { source: src, deploy: d, security: sec } = props;
    if (src.crossAccount) {
      new CloudwatchEventPermission(this, 'BusPermission', {
        eventBusName: 'default',
        statementId: src.busStatementId,
        principal: src.ownerAccount,
        action: 'events:PutEvents',
      });
    }
    const g = src.gate;
    if (g === undefined) return;
    this.topic = new SnsTopic(this, 'Topic', { name: g.topicName, kmsMasterKeyId: sec.keyArn });
    const logGroup = encryptedLogGroup(this, 'LogGroup', g.logGroupName, sec);
    const role = sec.roles.create(this, 'Role', g.roleComponent, {
      services: ['states.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: asks approvers, then deploys versions promoted from ${src.ownerEnvironment}`,
      statements: gateRoleStatements(
        { topicArn: this.topic.arn, deployArn: props.deployArn, deployName: d.stateMachineName },
        sec,
      ),
    });
    this.gate = new SfnStateMachine(this, 'Resource', {
      name: g.stateMachineName,
      type: 'STANDARD',
      roleArn: role.arn,
      definition: JSON.stringify(
        promotionGateDefinition(
          g,
          src,
          d,
          {
            topicArn: this.topic.arn,
            deployArn: props.deployArn,
            environment: props.environment,
          },
          sec.partition,
        ),
      ),
      loggingConfiguration: { logDestination: `${logGroup.arn}:*`, includeExecutionData: true, level: 'ALL' },
      tracingConfiguration: { enabled: true },
      encryptionConfiguration: {
        type: 'CUSTOMER_MANAGED_KMS_KEY',
        kmsKeyId: sec.keyArn,
        kmsDataKeyReusePeriodSeconds: 300,
      },
      dependsOn: role.policyDependables,
    });
    const approvals = new Construct(this, 'approved');
    const eventsRole = sec.roles.create(approvals, 'Role', d.eventsRoleComponent, {
      services: ['events.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: starts ${g.stateMachineName} when ${src.ownerEnvironment} approves a version of ${src.packageGroup}`,
      statements: [
        {
          Sid: 'StartThePromotionGate',
          Effect: 'Allow',
          Action: 'states:StartExecution',
          Resource: this.gate.arn,
        },
      ],
    });
    const rule = new CloudwatchEventRule(approvals, 'Rule', {
      name: d.ruleName,
      description: `Asks for approval to deploy versions of ${src.packageGroup} approved in ${src.ownerEnvironment}`,
      eventPattern: JSON.stringify(modelApprovedPattern(src.packageGroup, src.ownerAccount)),
      state: 'ENABLED',
    });
    new CloudwatchEventTarget(approvals, 'Target', {
      rule: rule.name,
      targetId: 'promotion-gate',
      arn: this.gate.arn,
      roleArn: eventsRole.arn,
    });
  }
}
