import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import type { ResolvedCodeLocation } from '../../model/assets';
import type { ResolvedWorkflow, ResolvedWorkflowStep } from '../../model/orchestration';
import { AssetUploads } from '../assets';
import type { PolicyStatement } from '../iam/policy';
import { stateMachineTelemetryStatements } from '../iam/statements';
import { encryptedLogGroup } from '../logs';
import type { SecurityContext } from '../security-context';
import { keyUseStatement, type LakeBuckets } from './access';

/** A Retry rule of the Amazon States Language. */
export interface AslRetry {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds: number;
  readonly MaxAttempts: number;
  readonly BackoffRate: number;
}

/** A Catch rule. */
export interface AslCatch {
  readonly ErrorEquals: readonly string[];
  readonly ResultPath: string;
  readonly Next: string;
}

/** A Task state: one service integration. */
export interface AslTask {
  readonly Type: 'Task';
  readonly Comment?: string;
  readonly Resource: string;
  readonly Parameters: Readonly<Record<string, unknown>>;
  /** `null`: the task's result is dropped and the state's input passes on unchanged. */
  readonly ResultPath: string | null;
  readonly TimeoutSeconds?: number;
  readonly Retry?: readonly AslRetry[];
  readonly Catch?: readonly AslCatch[];
  readonly Next?: string;
  readonly End?: true;
}

/** A Fail state. */
export interface AslFail {
  readonly Type: 'Fail';
  readonly Error: string;
  readonly Cause: string;
}

export type AslState = AslTask | AslFail;

/** A state machine definition. */
export interface AslDefinition {
  readonly Comment: string;
  readonly StartAt: string;
  readonly TimeoutSeconds: number;
  readonly States: Readonly<Record<string, AslState>>;
}

/** What the steps run, as the definition references them (ARNs, names, ids from the configuration). */
export interface WorkflowTargets {
  readonly partition: string;
  readonly functionArn: (name: string) => string;
  readonly jobName: (name: string) => string;
  readonly emr?:
    | { readonly mode: 'cluster'; readonly clusterId: string }
    | {
        readonly mode: 'serverless';
        readonly applicationId: string;
        readonly jobRoleArn: string;
        readonly logUri: string;
        readonly keyArn: string;
      };
  /** `s3://` URI of an emr step's script (an upload's, so the state machine waits for it). */
  readonly scriptUri: (script: ResolvedCodeLocation) => string;
  readonly topicArn: string;
}

/** States the workflow adds after the steps (step names are lowercase, so these never clash). */
export const NOTIFY_STATE = 'NotifyFailure';
export const FAILED_STATE = 'Failed';

/** The Task of one step: its integration, parameters and timeout. */
function task(step: ResolvedWorkflowStep, t: WorkflowTargets): Pick<AslTask, 'Resource' | 'Parameters'> {
  const arn = (integration: string) => `arn:${t.partition}:states:::${integration}`;
  const target = step.target;
  switch (target.type) {
    case 'lambda':
      return {
        Resource: arn('lambda:invoke'),
        Parameters: { FunctionName: t.functionArn(target.function), 'Payload.$': '$' },
      };
    case 'glue-job':
      return {
        Resource: arn('glue:startJobRun.sync'),
        Parameters: {
          JobName: t.jobName(target.job),
          ...(Object.keys(target.arguments).length > 0 ? { Arguments: target.arguments } : {}),
          // Glue stops the run itself at the step's timeout (minutes), so nothing keeps billing.
          ...(step.timeoutSeconds !== undefined ? { Timeout: Math.ceil(step.timeoutSeconds / 60) } : {}),
        },
      };
    case 'emr': {
      const script = t.scriptUri(target.script);
      const emr = t.emr;
      if (emr === undefined) throw new Error('internal: an emr step without data.emr');
      if (emr.mode === 'cluster') {
        return {
          Resource: arn('elasticmapreduce:addStep.sync'),
          Parameters: {
            ClusterId: emr.clusterId,
            Step: {
              Name: step.name,
              ActionOnFailure: 'CONTINUE',
              HadoopJarStep: {
                Jar: 'command-runner.jar',
                Args: ['spark-submit', '--deploy-mode', 'cluster', script, ...target.args],
              },
            },
          },
        };
      }
      return {
        Resource: arn('emr-serverless:startJobRun.sync'),
        Parameters: {
          ApplicationId: emr.applicationId,
          ExecutionRoleArn: emr.jobRoleArn,
          Name: step.name,
          JobDriver: { SparkSubmit: { EntryPoint: script, EntryPointArguments: [...target.args] } },
          ConfigurationOverrides: {
            MonitoringConfiguration: {
              S3MonitoringConfiguration: { LogUri: emr.logUri, EncryptionKeyArn: emr.keyArn },
            },
          },
        },
      };
    }
    case 'sagemaker-pipeline':
      return {
        Resource: arn('aws-sdk:sagemaker:startPipelineExecution'),
        Parameters: {
          PipelineName: target.pipelineName,
          ...(Object.keys(target.parameters).length > 0
            ? {
                PipelineParameters: Object.entries(target.parameters).map(([Name, Value]) => ({
                  Name,
                  Value,
                })),
              }
            : {}),
        },
      };
  }
}

/**
 * The state machine definition: the steps in order, each retried with backoff and caught
 * into a notification on the failure topic, then a Fail state. Built as typed objects and
 * serialized with JSON.stringify, so it is deterministic and references resolve inside it.
 */
export function workflowDefinition(w: ResolvedWorkflow, t: WorkflowTargets): AslDefinition {
  const states: Record<string, AslState> = {};
  w.steps.forEach((step, i) => {
    const next = w.steps[i + 1];
    states[step.name] = {
      Type: 'Task',
      Comment: `${step.target.type} step ${step.name}`,
      ...task(step, t),
      ResultPath: null,
      ...(step.timeoutSeconds !== undefined ? { TimeoutSeconds: step.timeoutSeconds } : {}),
      ...(step.retry.maxAttempts > 0
        ? {
            Retry: [
              {
                ErrorEquals: ['States.ALL'],
                IntervalSeconds: step.retry.intervalSeconds,
                MaxAttempts: step.retry.maxAttempts,
                BackoffRate: step.retry.backoffRate,
              },
            ],
          }
        : {}),
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: NOTIFY_STATE }],
      ...(next ? { Next: next.name } : { End: true as const }),
    };
  });
  states[NOTIFY_STATE] = {
    Type: 'Task',
    Comment: 'Publish the failure to the topic',
    Resource: `arn:${t.partition}:states:::sns:publish`,
    Parameters: {
      TopicArn: t.topicArn,
      Subject: `${w.stateMachineName} failed`,
      'Message.$': 'States.JsonToString($)',
    },
    ResultPath: null,
    Next: FAILED_STATE,
  };
  states[FAILED_STATE] = {
    Type: 'Fail',
    Error: 'StepFailed',
    Cause: 'A step failed after its retries; the failure was published to the topic',
  };
  return {
    Comment: w.description,
    StartAt: w.steps[0].name,
    TimeoutSeconds: w.timeoutSeconds,
    States: states,
  };
}

/** Props of {@link WorkflowArea}. */
export interface WorkflowAreaProps {
  readonly workflow: ResolvedWorkflow;
  readonly security: SecurityContext;
  readonly buckets: LakeBuckets;
  readonly targets: Omit<WorkflowTargets, 'topicArn' | 'partition' | 'scriptUri'>;
  /** ARNs the workflow role may act on, by integration (from the constructs it references). */
  readonly grants: {
    readonly functionArns: readonly string[];
    readonly jobArns: readonly string[];
    readonly emrClusterArn?: string;
    readonly emrApplicationArn?: string;
    readonly emrJobRoleArn?: string;
    readonly trainingPipelineArn?: string;
  };
}

/**
 * The multi-step ETL as a Step Functions state machine: encrypted with the key, execution
 * data logged to an encrypted log group, X-Ray tracing on, failures published to an
 * encrypted SNS topic, and an optional EventBridge schedule with a role that may only start
 * this state machine.
 */
export class WorkflowArea extends Construct {
  readonly stateMachine: SfnStateMachine;
  readonly definition: AslDefinition;
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: WorkflowAreaProps) {
    super(scope, id);
    const { workflow: w, security: sec, grants } = props;
    const account = `${sec.region}:${sec.account}`;

    this.topic = new SnsTopic(this, 'FailureTopic', { name: w.failureTopicName, kmsMasterKeyId: sec.keyArn });
    for (const email of w.notifyEmails) {
      new SnsTopicSubscription(this, `notify-${email.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}`, {
        topicArn: this.topic.arn,
        protocol: 'email',
        endpoint: email,
      });
    }
    const logGroup = encryptedLogGroup(this, 'LogGroup', w.logGroupName, sec);

    const types = new Set(w.steps.map((s) => s.target.type));
    const rule = (name: string) => `arn:${sec.partition}:events:${account}:rule/${name}`;
    const statements: PolicyStatement[] = [
      ...(grants.functionArns.length > 0
        ? [
            {
              Sid: 'InvokeFunctions',
              Effect: 'Allow' as const,
              Action: 'lambda:InvokeFunction',
              Resource: grants.functionArns.flatMap((a) => [a, `${a}:*`]),
            },
          ]
        : []),
      ...(grants.jobArns.length > 0
        ? [
            {
              Sid: 'RunGlueJobs',
              Effect: 'Allow' as const,
              Action: ['glue:BatchStopJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:StartJobRun'],
              Resource: [...grants.jobArns],
            },
          ]
        : []),
      ...(types.has('emr') && grants.emrClusterArn
        ? [
            {
              Sid: 'RunEmrSteps',
              Effect: 'Allow' as const,
              Action: [
                'elasticmapreduce:AddJobFlowSteps',
                'elasticmapreduce:CancelSteps',
                'elasticmapreduce:DescribeStep',
              ],
              Resource: grants.emrClusterArn,
            },
            {
              // .sync waits on EMR step events through this Step Functions managed rule.
              Sid: 'WaitForEmrSteps',
              Effect: 'Allow' as const,
              Action: ['events:DescribeRule', 'events:PutRule', 'events:PutTargets'],
              Resource: rule('StepFunctionsGetEventForEMRAddJobFlowStepsRule'),
            },
          ]
        : []),
      ...(types.has('emr') && grants.emrApplicationArn && grants.emrJobRoleArn
        ? [
            {
              Sid: 'RunEmrServerlessJobs',
              Effect: 'Allow' as const,
              Action: [
                'emr-serverless:CancelJobRun',
                'emr-serverless:GetJobRun',
                'emr-serverless:StartJobRun',
              ],
              Resource: [grants.emrApplicationArn, `${grants.emrApplicationArn}/jobruns/*`],
            },
            {
              Sid: 'PassTheJobRole',
              Effect: 'Allow' as const,
              Action: 'iam:PassRole',
              Resource: grants.emrJobRoleArn,
              Condition: { StringEquals: { 'iam:PassedToService': 'emr-serverless.amazonaws.com' } },
            },
            {
              Sid: 'WaitForEmrServerlessJobs',
              Effect: 'Allow' as const,
              Action: ['events:DescribeRule', 'events:PutRule', 'events:PutTargets'],
              Resource: rule('StepFunctionsGetEventsForEMRServerlessJobRule'),
            },
          ]
        : []),
      ...(grants.trainingPipelineArn
        ? [
            {
              Sid: 'StartTrainingPipeline',
              Effect: 'Allow' as const,
              Action: 'sagemaker:StartPipelineExecution',
              Resource: grants.trainingPipelineArn,
            },
          ]
        : []),
      { Sid: 'NotifyFailures', Effect: 'Allow', Action: 'sns:Publish', Resource: this.topic.arn },
      keyUseStatement(sec),
      ...stateMachineTelemetryStatements(),
    ];
    const role = sec.roles.create(this, 'Role', w.roleComponent, {
      services: ['states.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: Step Functions workflow ${w.stateMachineName}`,
      statements,
    });

    this.definition = workflowDefinition(w, {
      ...props.targets,
      partition: sec.partition,
      topicArn: this.topic.arn,
      scriptUri: (script) => AssetUploads.of(this).locate(script).uri,
    });
    this.stateMachine = new SfnStateMachine(this, 'Resource', {
      name: w.stateMachineName,
      type: 'STANDARD',
      roleArn: role.arn,
      definition: JSON.stringify(this.definition),
      loggingConfiguration: { logDestination: `${logGroup.arn}:*`, includeExecutionData: true, level: 'ALL' },
      tracingConfiguration: { enabled: true },
      encryptionConfiguration: {
        type: 'CUSTOMER_MANAGED_KMS_KEY',
        kmsKeyId: sec.keyArn,
        kmsDataKeyReusePeriodSeconds: 300,
      },
    });

    if (w.schedule) {
      const schedule = new Construct(this, 'schedule');
      const scheduleRole = sec.roles.create(schedule, 'Role', w.scheduleRoleComponent, {
        services: ['events.amazonaws.com'],
        description: `pipeform ${sec.pipeline}: starts ${w.stateMachineName} on its schedule`,
        statements: [
          {
            Sid: 'StartTheWorkflow',
            Effect: 'Allow',
            Action: 'states:StartExecution',
            Resource: this.stateMachine.arn,
          },
        ],
      });
      const eventRule = new CloudwatchEventRule(schedule, 'Rule', {
        name: w.scheduleRuleName,
        description: `Starts ${w.stateMachineName}`,
        scheduleExpression: w.schedule,
        state: 'ENABLED',
      });
      new CloudwatchEventTarget(schedule, 'Target', {
        rule: eventRule.name,
        arn: this.stateMachine.arn,
        roleArn: scheduleRole.arn,
      });
    }
  }
}
