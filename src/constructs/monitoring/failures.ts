import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import type { ResolvedFailureWatch } from '../../model/monitoring';

/** An EventBridge event pattern, in EventBridge's own field names. */
export interface EventPattern {
  readonly source: readonly string[];
  readonly 'detail-type': readonly string[];
  readonly resources?: readonly string[];
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** Glue job run states that mean the run did not succeed. */
export const GLUE_JOB_FAILED_STATES = ['ERROR', 'FAILED', 'TIMEOUT'];

/** Props of {@link FailureWatch}. */
export interface FailureWatchProps {
  readonly failures: ResolvedFailureWatch;
  readonly topicArn: string;
  /** The EMR cluster's id (cluster mode). */
  readonly emrClusterId?: string;
  /** The EMR Serverless application's id (serverless mode). */
  readonly emrApplicationId?: string;
}

/**
 * Failure notifications for the batch components. Run failures that CloudWatch metrics do
 * not carry (Glue job and crawler runs, EMR steps and clusters, EMR Serverless job runs,
 * training pipeline executions) go from EventBridge rules straight to the alerts topic; the
 * rest are alarms (Lambda errors and dead letters, Step Functions executions, YARN
 * applications on EMR) that notify the topic and its recovery.
 */
export class FailureWatch extends Construct {
  /** The EventBridge rules that publish failures to the topic. */
  readonly rules: CloudwatchEventRule[] = [];
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: FailureWatchProps) {
    super(scope, id);
    const f = props.failures;
    const topic = props.topicArn;
    if (f.glue) {
      const glue = new Construct(this, 'glue');
      if (f.glue.jobNames.length > 0) {
        this.rule(glue, 'jobs', f.glue.jobRuleName, 'failed Glue job runs', topic, {
          source: ['aws.glue'],
          'detail-type': ['Glue Job State Change'],
          detail: { jobName: [...f.glue.jobNames], state: GLUE_JOB_FAILED_STATES },
        });
      }
      if (f.glue.crawlerNames.length > 0) {
        this.rule(glue, 'crawlers', f.glue.crawlerRuleName, 'failed Glue crawler runs', topic, {
          source: ['aws.glue'],
          'detail-type': ['Glue Crawler State Change'],
          detail: { crawlerName: [...f.glue.crawlerNames], state: ['Failed'] },
        });
      }
    }
    if (f.emr) {
      const emr = new Construct(this, 'emr');
      if (f.emr.mode === 'cluster' && props.emrClusterId) {
        this.rule(
          emr,
          'Rule',
          f.emr.ruleName,
          'failed EMR steps, and the EMR cluster terminating with errors',
          topic,
          {
            source: ['aws.emr'],
            'detail-type': ['EMR Cluster State Change', 'EMR Step Status Change'],
            detail: { clusterId: [props.emrClusterId], state: ['FAILED', 'TERMINATED_WITH_ERRORS'] },
          },
        );
        if (f.emr.appsFailedAlarmName) {
          this.alarm(emr, 'appsfailed', {
            alarmName: f.emr.appsFailedAlarmName,
            description: 'YARN applications failed on the EMR cluster',
            namespace: 'AWS/ElasticMapReduce',
            metricName: 'AppsFailed',
            statistic: 'Maximum',
            dimensions: { JobFlowId: props.emrClusterId },
            topic,
          });
        }
      }
      if (f.emr.mode === 'serverless' && props.emrApplicationId) {
        this.rule(emr, 'Rule', f.emr.ruleName, 'failed EMR Serverless job runs', topic, {
          source: ['aws.emr-serverless'],
          'detail-type': ['EMR Serverless Job Run State Change'],
          detail: { applicationId: [props.emrApplicationId], state: ['FAILED'] },
        });
      }
    }
    if (f.functions.length > 0) {
      const lambda = new Construct(this, 'lambda');
      for (const fn of f.functions) {
        const scope = new Construct(lambda, fn.name);
        this.alarm(scope, 'errors', {
          alarmName: fn.errorsAlarmName,
          description: `Lambda function ${fn.functionName} returned errors`,
          namespace: 'AWS/Lambda',
          metricName: 'Errors',
          statistic: 'Sum',
          dimensions: { FunctionName: fn.functionName },
          topic,
        });
        if (fn.deadLetter) {
          this.alarm(scope, 'deadletter', {
            alarmName: fn.deadLetter.alarmName,
            description: `events ${fn.functionName} could not process are waiting in ${fn.deadLetter.queueName}`,
            namespace: 'AWS/SQS',
            metricName: 'ApproximateNumberOfMessagesVisible',
            statistic: 'Maximum',
            dimensions: { QueueName: fn.deadLetter.queueName },
            topic,
          });
        }
      }
    }
    if (f.workflow) {
      const w = f.workflow;
      const metric = (id: string, metricName: string) => ({
        id,
        returnData: false,
        metric: {
          namespace: 'AWS/States',
          metricName,
          stat: 'Sum',
          period: 300,
          dimensions: { StateMachineArn: w.stateMachineArn },
        },
      });
      this.alarms.push(
        new CloudwatchMetricAlarm(this, 'workflow', {
          alarmName: w.alarmName,
          alarmDescription: `pipeform: executions of ${w.stateMachineName} failed, timed out or were aborted`,
          comparisonOperator: 'GreaterThanThreshold',
          threshold: 0,
          evaluationPeriods: 1,
          treatMissingData: 'notBreaching',
          metricQuery: [
            metric('failed', 'ExecutionsFailed'),
            metric('timedout', 'ExecutionsTimedOut'),
            metric('aborted', 'ExecutionsAborted'),
            {
              id: 'unsuccessful',
              expression: 'SUM([failed, timedout, aborted])',
              label: 'Unsuccessful executions',
              returnData: true,
            },
          ],
          alarmActions: [topic],
          okActions: [topic],
        }),
      );
    }
    if (f.training) {
      const t = f.training;
      this.rule(
        new Construct(this, 'training'),
        'Rule',
        t.ruleName,
        `failed executions of ${t.pipelineName}`,
        topic,
        {
          source: ['aws.sagemaker'],
          'detail-type': ['SageMaker Model Building Pipeline Execution Status Change'],
          detail: { pipelineArn: [t.pipelineArn], currentPipelineExecutionStatus: ['Failed'] },
        },
      );
    }
  }

  /** An EventBridge rule whose matches go to the alerts topic. */
  private rule(
    scope: Construct,
    id: string,
    name: string,
    description: string,
    topicArn: string,
    pattern: EventPattern,
  ): void {
    const holder = id === 'Rule' ? scope : new Construct(scope, id);
    const rule = new CloudwatchEventRule(holder, 'Rule', {
      name,
      description: `pipeform: ${description}`,
      eventPattern: JSON.stringify(pattern),
      state: 'ENABLED',
    });
    new CloudwatchEventTarget(holder, 'Target', { rule: rule.name, arn: topicArn, targetId: 'alerts' });
    this.rules.push(rule);
  }

  /** A failure alarm: any non-zero five-minute value notifies the topic. */
  private alarm(
    scope: Construct,
    id: string,
    a: {
      alarmName: string;
      description: string;
      namespace: string;
      metricName: string;
      statistic: string;
      dimensions: Record<string, string>;
      topic: string;
    },
  ): void {
    this.alarms.push(
      new CloudwatchMetricAlarm(scope, id, {
        alarmName: a.alarmName,
        alarmDescription: `pipeform: ${a.description}`,
        namespace: a.namespace,
        metricName: a.metricName,
        statistic: a.statistic,
        dimensions: a.dimensions,
        period: 300,
        evaluationPeriods: 1,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: 0,
        treatMissingData: 'notBreaching',
        alarmActions: [a.topic],
        okActions: [a.topic],
      }),
    );
  }
}
