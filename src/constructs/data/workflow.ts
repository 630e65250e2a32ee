import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import type { ResolvedCodeLocation } from '../../model/assets';
import type {
  ResolvedTransientCluster,
  ResolvedWorkflow,
  ResolvedWorkflowStep,
} from '../../model/orchestration';
import { AssetUploads } from '../assets';
import type { PolicyStatement } from '../iam/policy';
import { stateMachineTelemetryStatements } from '../iam/statements';
import { encryptedLogGroup } from '../logs';
import type { SecurityContext } from '../security-context';
import { keyUseStatement, type LakeBuckets } from './access';
import type { EmrClusterRoles } from './emr';
import { EMR_MANAGED_TAG, type RunJobFlowRequest } from './emr-cluster';
import { integrationArn } from '../../compiler/arn';

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
  /** Picks what the result keeps before ResultPath places it. */
  readonly ResultSelector?: Readonly<Record<string, string>>;
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

/** A Pass state: places fixed or selected values into the state's data. */
export interface AslPass {
  readonly Type: 'Pass';
  readonly Comment?: string;
  readonly Parameters: Readonly<Record<string, unknown>>;
  readonly ResultPath: string;
  readonly Next: string;
}

/** A Wait state of a fixed number of seconds. */
export interface AslWait {
  readonly Type: 'Wait';
  readonly Comment?: string;
  readonly Seconds: number;
  readonly Next: string;
}

/** One rule of a Choice state (JSONPath comparison operators, possibly under And). */
export type AslChoiceRule = Readonly<Record<string, unknown>> & { readonly Next?: string };

/** A Choice state: the first matching rule's Next, else Default. */
export interface AslChoice {
  readonly Type: 'Choice';
  readonly Comment?: string;
  readonly Choices: readonly AslChoiceRule[];
  readonly Default: string;
}

/** A Succeed state (a Choice cannot end an execution itself). */
export interface AslSucceed {
  readonly Type: 'Succeed';
  readonly Comment?: string;
}

export type AslState = AslTask | AslFail | AslPass | AslWait | AslChoice | AslSucceed;

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
  readonly crawlerName: (name: string) => string;
  readonly emr?:
    | {
        readonly mode: 'cluster';
        /** The interactive cluster, for steps with `cluster: interactive`. */
        readonly interactiveClusterId?: string;
        /** The definition a per-run cluster is created from (RunJobFlow fields). */
        readonly request?: RunJobFlowRequest;
      }
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
  /** Tags every per-run cluster gets besides its definition's: the provider's default tags. */
  readonly clusterTags: Readonly<Record<string, string>>;
}

/** States the workflow adds around the steps (step names are lowercase, so these never clash). */
export const NOTIFY_STATE = 'NotifyFailure';
export const FAILED_STATE = 'Failed';
export const CREATE_CLUSTER_STATE = 'CreateCluster';
export const TERMINATE_CLUSTER_STATE = 'TerminateCluster';
export const TERMINATE_AFTER_FAILURE_STATE = 'TerminateClusterAfterFailure';
/**
 * StartCrawler's error when a crawl is under way. SDK integration errors are
 * `<Service>.<Error>` in PascalCase ("the resulting error field will be composed of the
 * service name and error name, separated by a period",
 * https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html).
 */
export const CRAWLER_RUNNING = 'Glue.CrawlerRunningException';
/** Where the per-run cluster's id is kept in the execution's state. */
const CLUSTER_PATH = '$.emrCluster';

/**
 * The Step Functions managed rules each `.sync` EMR integration waits through (its role
 * needs events:PutTargets/PutRule/DescribeRule on them,
 * https://docs.aws.amazon.com/step-functions/latest/dg/emr-iam.html).
 */
export const EMR_SYNC_RULES = {
  createCluster: 'StepFunctionsGetEventForEMRRunJobFlowRule',
  addStep: 'StepFunctionsGetEventForEMRAddJobFlowStepsRule',
  terminateCluster: 'StepFunctionsGetEventForEMRTerminateJobFlowsRule',
} as const;

/**
 * The Parameters of the per-run cluster's createCluster.sync: the cluster definition (less
 * NOT_IN_CREATE_CLUSTER), named after the execution, tagged with the provider's default tags (which Terraform adds to the
 * interactive cluster but nothing adds to a cluster Step Functions creates) and the
 * workflow's tag, which the workflow role's EMR permissions require.
 */
export function transientClusterParameters(
  request: RunJobFlowRequest,
  cluster: ResolvedTransientCluster,
  defaultTags: Readonly<Record<string, string>>,
): Record<string, unknown> {
  // NOT_IN_CREATE_CLUSTER: fields Step Functions' createCluster refuses (see there).
  const { Name: _name, Tags, LogEncryptionKmsKeyId: _logKey, Instances, ...rest } = request;
  const { UnhealthyNodeReplacement: _replace, ...instances } = Instances;
  const own = new Set(Tags.map((t) => t.Key));
  return {
    'Name.$': `States.Format('${cluster.namePrefix}{}', $$.Execution.Name)`,
    ...rest,
    Instances: instances,
    Tags: [
      ...Object.entries(defaultTags)
        .filter(([k]) => !own.has(k) && k !== cluster.tag.key)
        .map(([Key, Value]) => ({ Key, Value })),
      ...Tags,
      { Key: cluster.tag.key, Value: cluster.tag.value },
    ],
  };
}

/** The Task of one step: its integration, parameters and timeout. */
function task(step: ResolvedWorkflowStep, t: WorkflowTargets): Pick<AslTask, 'Resource' | 'Parameters'> {
  const arn = (integration: string) => integrationArn(t.partition, integration);
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
    case 'glue-crawler':
      // An SDK integration: Step Functions has no .sync for crawlers, so crawlerStates polls.
      return {
        Resource: arn('aws-sdk:glue:startCrawler'),
        Parameters: { Name: t.crawlerName(target.crawler) },
      };
    case 'emr': {
      const script = t.scriptUri(target.script);
      const emr = t.emr;
      if (emr === undefined) throw new Error('internal: an emr step without data.emr');
      if (emr.mode === 'cluster') {
        if (target.runsOn === 'interactive' && emr.interactiveClusterId === undefined)
          throw new Error('internal: an interactive emr step without the interactive cluster');
        return {
          Resource: arn('elasticmapreduce:addStep.sync'),
          Parameters: {
            ...(target.runsOn === 'interactive'
              ? { ClusterId: emr.interactiveClusterId }
              : { 'ClusterId.$': `${CLUSTER_PATH}.ClusterId` }),
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

/** Where a crawler step keeps its poll count and the crawler's last GetCrawler answer. */
const CRAWLER_PATH = '$.crawler';

/** The name of one of a step's own states: '.' never occurs in a step name, so no clash. */
export const stepState = (step: string, part: string): string => `${step}.${part}`;

/**
 * The states of a glue-crawler step after its startCrawler Task (named after the step):
 * a poll loop Start -> Wait -> GetCrawler -> Ready? (-> Count -> Wait) -> Outcome?. The
 * time limit counts GetCrawler calls (`maxPolls`) with States.MathAdd, because
 * TimeoutSeconds exists only on Task states in the States Language: a Parallel or Map
 * wrapper takes none (https://states-language.net/spec.html, "Task State" lists
 * TimeoutSeconds; "Parallel State" does not), and the workflow's own TimeoutSeconds would
 * end the whole execution without the failure notice. A crawl that ends FAILED or
 * CANCELLED, or outlives the limit, becomes `$.error` (Error and Cause, the shape a Catch
 * writes, with the crawler's ErrorMessage as the Cause when it has one) and goes to the
 * step's failure path like a caught error, so the notice and any cluster cleanup still run.
 * GetCrawler's answer (https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-crawler-crawling.html):
 * Crawler.State is READY, RUNNING or STOPPING; Crawler.LastCrawl.Status is SUCCEEDED,
 * CANCELLED or FAILED, with ErrorMessage on failure.
 */
function crawlerLoop(
  step: ResolvedWorkflowStep & { readonly target: { readonly type: 'glue-crawler' } },
  t: WorkflowTargets,
  retry: readonly AslRetry[],
  failTo: string,
  after: { Next: string } | { End: true },
): Record<string, AslState> {
  const { target } = step;
  const s = (part: string) => stepState(step.name, part);
  const crawler = t.crawlerName(target.crawler);
  const status = `${CRAWLER_PATH}.status.Crawler`;
  const done = 'Next' in after ? after.Next : s('Done');
  const failure = (comment: string, error: string, cause: Record<string, string>): AslPass => ({
    Type: 'Pass',
    Comment: comment,
    Parameters: { Error: error, ...cause },
    ResultPath: '$.error',
    Next: failTo,
  });
  const states: Record<string, AslState> = {
    [s('Start')]: {
      Type: 'Pass',
      Comment: `Crawler ${crawler} is crawling: start counting polls`,
      Parameters: { polls: 1 },
      ResultPath: CRAWLER_PATH,
      Next: s('Wait'),
    },
    [s('Wait')]: { Type: 'Wait', Seconds: target.pollSeconds, Next: s('GetCrawler') },
    [s('GetCrawler')]: {
      Type: 'Task',
      Comment: `Look at crawler ${crawler}'s state`,
      Resource: integrationArn(t.partition, 'aws-sdk:glue:getCrawler'),
      Parameters: { Name: crawler },
      ResultPath: `${CRAWLER_PATH}.status`,
      ...(retry.length > 0 ? { Retry: retry } : {}),
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: failTo }],
      Next: s('Ready'),
    },
    [s('Ready')]: {
      Type: 'Choice',
      Comment: `READY: the crawl ended; otherwise poll again, at most ${target.maxPolls} times`,
      Choices: [
        { Variable: `${status}.State`, StringEquals: 'READY', Next: s('Outcome') },
        { Variable: `${CRAWLER_PATH}.polls`, NumericGreaterThanEquals: target.maxPolls, Next: s('TimedOut') },
      ],
      Default: s('Count'),
    },
    [s('Count')]: {
      Type: 'Pass',
      Parameters: { 'polls.$': `States.MathAdd(${CRAWLER_PATH}.polls, 1)` },
      ResultPath: CRAWLER_PATH,
      Next: s('Wait'),
    },
    [s('Outcome')]: {
      Type: 'Choice',
      Comment: 'How the crawl ended (a Choice on a missing field fails, so presence comes first)',
      Choices: [
        { Variable: `${status}.LastCrawl.Status`, IsPresent: false, Next: s('NoCrawl') },
        { Variable: `${status}.LastCrawl.Status`, StringEquals: 'SUCCEEDED', Next: done },
        { Variable: `${status}.LastCrawl.ErrorMessage`, IsPresent: true, Next: s('CrawlFailed') },
      ],
      Default: s('CrawlNotSucceeded'),
    },
    [s('CrawlFailed')]: failure('The crawl failed: its error message is the cause', 'CrawlerFailed', {
      'Cause.$': `${status}.LastCrawl.ErrorMessage`,
    }),
    [s('CrawlNotSucceeded')]: failure(
      'The crawl was cancelled (or failed without a message)',
      'CrawlerFailed',
      {
        'Cause.$': `States.Format('crawler ${crawler} ended its crawl {}', ${status}.LastCrawl.Status)`,
      },
    ),
    [s('NoCrawl')]: failure('The crawler is READY but reports no crawl', 'CrawlerFailed', {
      Cause: `crawler ${crawler} is READY but reports no last crawl`,
    }),
    [s('TimedOut')]: failure('The crawl outlived the step time limit', 'CrawlerTimeout', {
      Cause: `crawler ${crawler} was still crawling after ${target.maxPolls} polls ${target.pollSeconds} s apart`,
    }),
  };
  // A Choice cannot end the execution: a crawler step that is the last one ends in Succeed.
  if (!('Next' in after)) states[s('Done')] = { Type: 'Succeed', Comment: 'The crawl succeeded' };
  return states;
}

/** Retries of the per-run cluster's termination: a cluster left running keeps billing. */
const TERMINATE_RETRY: AslRetry = {
  ErrorEquals: ['States.ALL'],
  IntervalSeconds: 30,
  MaxAttempts: 4,
  BackoffRate: 2,
};

/**
 * The state machine definition: the steps in order, each retried with backoff and caught
 * into a notification on the failure topic, then a Fail state. Transient emr steps run on a
 * cluster created for the execution just before the first of them (createCluster.sync) and
 * terminated just after the last (terminateCluster.sync); a failure of any of them is caught
 * into the termination first, so no run leaves a cluster behind. Built as typed objects and
 * serialized with JSON.stringify, so it is deterministic and references resolve inside it.
 */
export function workflowDefinition(w: ResolvedWorkflow, t: WorkflowTargets): AslDefinition {
  const states: Record<string, AslState> = {};
  const arn = (integration: string) => integrationArn(t.partition, integration);
  const tc = w.transientCluster;
  const firstIndex = tc ? w.steps.findIndex((s) => s.name === tc.firstStep) : -1;
  const lastIndex = tc ? w.steps.findIndex((s) => s.name === tc.lastStep) : -1;
  const onCluster = (i: number) => tc !== undefined && i >= firstIndex && i <= lastIndex;
  const catchInto = (next: string) => [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: next }];
  /** The state that runs step i (its cluster's creation, for the first transient step). */
  const entry = (i: number) => (tc && i === firstIndex ? CREATE_CLUSTER_STATE : w.steps[i].name);
  const after = (i: number) =>
    tc && i === lastIndex
      ? { Next: TERMINATE_CLUSTER_STATE }
      : i + 1 < w.steps.length
        ? { Next: entry(i + 1) }
        : { End: true as const };

  w.steps.forEach((step, i) => {
    const retry: AslRetry[] =
      step.retry.maxAttempts > 0
        ? [
            {
              ErrorEquals: ['States.ALL'],
              IntervalSeconds: step.retry.intervalSeconds,
              MaxAttempts: step.retry.maxAttempts,
              BackoffRate: step.retry.backoffRate,
            },
          ]
        : [];
    const failTo = onCluster(i) ? TERMINATE_AFTER_FAILURE_STATE : NOTIFY_STATE;
    const target = step.target;
    if (target.type === 'glue-crawler') {
      // Several states: the start, then the poll loop, whose success chains on to the next step.
      const loop = stepState(step.name, 'Start');
      states[step.name] = {
        Type: 'Task',
        Comment: `glue-crawler step ${step.name}`,
        ...task(step, t),
        ResultPath: null,
        // A crawl already under way (another run, the crawler's schedule, a Glue workflow) is
        // waited for: its end is the catalog state this step wants. MaxAttempts 0: never
        // retried (Retry is evaluated before Catch, and States.ALL would match it).
        Retry: [
          { ErrorEquals: [CRAWLER_RUNNING], IntervalSeconds: 1, MaxAttempts: 0, BackoffRate: 1 },
          ...retry,
        ],
        Catch: [
          { ErrorEquals: [CRAWLER_RUNNING], ResultPath: CRAWLER_PATH, Next: loop },
          ...catchInto(failTo),
        ],
        Next: loop,
      };
      Object.assign(states, crawlerLoop({ ...step, target }, t, retry, failTo, after(i)));
      return;
    }
    states[step.name] = {
      Type: 'Task',
      Comment: `${step.target.type} step ${step.name}`,
      ...task(step, t),
      ResultPath: null,
      ...(step.timeoutSeconds !== undefined ? { TimeoutSeconds: step.timeoutSeconds } : {}),
      ...(retry.length > 0 ? { Retry: retry } : {}),
      Catch: catchInto(failTo),
      ...after(i),
    };
  });
  if (tc) {
    const emr = t.emr;
    if (emr?.mode !== 'cluster' || emr.request === undefined)
      throw new Error('internal: transient emr steps without the cluster definition');
    const terminate = (comment: string, next: { Next: string } | { End: true }): AslTask => ({
      Type: 'Task',
      Comment: comment,
      Resource: arn('elasticmapreduce:terminateCluster.sync'),
      Parameters: { 'ClusterId.$': `${CLUSTER_PATH}.ClusterId` },
      ResultPath: null,
      Retry: [TERMINATE_RETRY],
      Catch: catchInto(NOTIFY_STATE),
      ...next,
    });
    states[CREATE_CLUSTER_STATE] = {
      Type: 'Task',
      Comment: `Create this run's EMR cluster (data.emr.cluster) for ${
        tc.firstStep === tc.lastStep ? `step ${tc.firstStep}` : `steps ${tc.firstStep} to ${tc.lastStep}`
      }`,
      Resource: arn('elasticmapreduce:createCluster.sync'),
      Parameters: transientClusterParameters(emr.request, tc, t.clusterTags),
      ResultSelector: { 'ClusterId.$': '$.ClusterId' },
      ResultPath: CLUSTER_PATH,
      // A cluster that failed to start has terminated itself: nothing to clean up.
      Catch: catchInto(NOTIFY_STATE),
      Next: w.steps[firstIndex].name,
    };
    states[TERMINATE_CLUSTER_STATE] = terminate(
      "Terminate this run's EMR cluster after its last step",
      lastIndex + 1 < w.steps.length ? { Next: w.steps[lastIndex + 1].name } : { End: true },
    );
    states[TERMINATE_AFTER_FAILURE_STATE] = terminate(
      "A step failed: terminate this run's EMR cluster, then notify",
      {
        Next: NOTIFY_STATE,
      },
    );
  }
  states[NOTIFY_STATE] = {
    Type: 'Task',
    Comment: 'Publish the failure to the topic',
    Resource: arn('sns:publish'),
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
    StartAt: entry(0),
    TimeoutSeconds: w.timeoutSeconds,
    States: states,
  };
}

/**
 * What the workflow role needs for emr steps on clusters (Step Functions' own templates,
 * https://docs.aws.amazon.com/step-functions/latest/dg/emr-iam.html, scoped down): adding
 * and watching steps on the interactive cluster by its ARN; creating per-run clusters only
 * with the workflow's tag and the EMR managed-policy tag (RunJobFlow takes no resource, so
 * aws:RequestTag is the scope), and acting only on clusters that carry the workflow's tag
 * (elasticmapreduce:ResourceTag on the cluster resource); passing exactly the EMR service
 * and instance roles; the managed rules the .sync integrations wait through; and the EMR
 * cleanup service-linked role createCluster needs once per account
 * (https://docs.aws.amazon.com/emr/latest/ManagementGuide/using-service-linked-roles.html).
 */
export function emrClusterStatements(
  w: ResolvedWorkflow,
  sec: Pick<SecurityContext, 'partition' | 'region' | 'account'>,
  grants: WorkflowAreaProps['grants'],
): PolicyStatement[] {
  const targets = new Set(w.steps.flatMap((s) => (s.target.type === 'emr' ? [s.target.runsOn] : [])));
  const out: PolicyStatement[] = [];
  const rules: string[] = [];
  const stepActions = [
    'elasticmapreduce:AddJobFlowSteps',
    'elasticmapreduce:CancelSteps',
    'elasticmapreduce:DescribeStep',
  ];
  if (targets.has('interactive') && grants.emrInteractiveClusterArn) {
    out.push({
      Sid: 'RunStepsOnTheInteractiveCluster',
      Effect: 'Allow',
      Action: stepActions,
      Resource: grants.emrInteractiveClusterArn,
    });
    rules.push(EMR_SYNC_RULES.addStep);
  }
  const tc = w.transientCluster;
  if (tc && grants.emrClusterRoles) {
    const p = sec.partition;
    out.push(
      {
        Sid: 'CreateClustersForRuns',
        Effect: 'Allow',
        Action: 'elasticmapreduce:RunJobFlow',
        Resource: '*',
        Condition: {
          StringEquals: {
            [`aws:RequestTag/${tc.tag.key}`]: tc.tag.value,
            ...Object.fromEntries(
              Object.entries(EMR_MANAGED_TAG).map(([k, v]) => [`aws:RequestTag/${k}`, v]),
            ),
          },
        },
      },
      {
        Sid: 'RunStepsOnAndTerminateTheRunsClusters',
        Effect: 'Allow',
        Action: [
          ...stepActions,
          'elasticmapreduce:DescribeCluster',
          'elasticmapreduce:TerminateJobFlows',
        ].sort(),
        Resource: `arn:${p}:elasticmapreduce:${sec.region}:${sec.account}:cluster/*`,
        Condition: { StringEquals: { [`elasticmapreduce:ResourceTag/${tc.tag.key}`]: tc.tag.value } },
      },
      {
        Sid: 'PassTheEmrServiceRole',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: grants.emrClusterRoles.serviceRoleArn,
        Condition: { StringEquals: { 'iam:PassedToService': 'elasticmapreduce.amazonaws.com' } },
      },
      {
        Sid: 'PassTheEmrInstanceRole',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: grants.emrClusterRoles.instanceRoleArn,
        Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      },
      {
        Sid: 'CreateTheEmrCleanupRole',
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: `arn:${p}:iam::${sec.account}:role/aws-service-role/elasticmapreduce.amazonaws.com*/AWSServiceRoleForEMRCleanup*`,
        Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticmapreduce.amazonaws.com' } },
      },
    );
    rules.push(EMR_SYNC_RULES.createCluster, EMR_SYNC_RULES.addStep, EMR_SYNC_RULES.terminateCluster);
  }
  if (rules.length > 0) {
    out.push({
      Sid: 'WaitForEmr',
      Effect: 'Allow',
      Action: ['events:DescribeRule', 'events:PutRule', 'events:PutTargets'],
      Resource: [...new Set(rules)]
        .sort()
        .map((r) => `arn:${sec.partition}:events:${sec.region}:${sec.account}:rule/${r}`),
    });
  }
  return out;
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
    /** The crawlers glue-crawler steps start and poll. */
    readonly crawlerArns: readonly string[];
    /** The interactive cluster, when a step runs on it. */
    readonly emrInteractiveClusterArn?: string;
    /** The roles a per-run cluster is created with, when steps run on one. */
    readonly emrClusterRoles?: EmrClusterRoles;
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
      ...(grants.crawlerArns.length > 0
        ? [
            {
              // Exactly what the step's states call: startCrawler, then getCrawler in the loop.
              Sid: 'RunGlueCrawlers',
              Effect: 'Allow' as const,
              Action: ['glue:GetCrawler', 'glue:StartCrawler'],
              Resource: [...grants.crawlerArns],
            },
          ]
        : []),
      ...emrClusterStatements(w, sec, grants),
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
