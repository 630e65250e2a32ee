import { CloudwatchCompositeAlarm } from '@cdktf/provider-aws/lib/cloudwatch-composite-alarm';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Construct } from 'constructs';
import type { ResolvedRetraining } from '../../model/monitoring';
import type { SecurityContext } from '../security-context';
import type { EventPattern } from './failures';
import { retrainingRoleStatements } from './policies';

/** Where SageMaker Pipelines publishes execution counts, by PipelineName. */
export const PIPELINE_METRICS_NAMESPACE = 'AWS/Sagemaker/ModelBuildingPipeline';

/**
 * The composite alarm rule: any evidence alarm, unless the training pipeline started within
 * the cooldown. Alarm names are quoted as CloudWatch's rule syntax requires.
 */
export function evidenceRule(evidence: readonly string[], cooldown: string): string {
  const any = evidence.map((name) => `ALARM(${JSON.stringify(name)})`).join(' OR ');
  return `(${any}) AND NOT ALARM(${JSON.stringify(cooldown)})`;
}

/** The EventBridge pattern of the composite alarm entering ALARM. */
export function evidencePattern(alarmArn: string): EventPattern {
  return {
    source: ['aws.cloudwatch'],
    'detail-type': ['CloudWatch Alarm State Change'],
    resources: [alarmArn],
    detail: { state: { value: ['ALARM'] } },
  };
}

/** Props of {@link Retraining}. */
export interface RetrainingProps {
  readonly retraining: ResolvedRetraining;
  readonly security: SecurityContext;
  readonly topicArn: string;
  /** The drift alarms the monitors created, by name. */
  readonly driftAlarms: ReadonlyMap<string, CloudwatchMetricAlarm>;
}

/**
 * Retraining on evidence, as a chain of resources:
 *
 * 1. one alarm per KPI on its production metric (Model Monitor's model-quality metric of the
 *    endpoint, or a custom metric), firing when it crosses the KPI's goals.kpis threshold in
 *    the wrong direction; the drift alarms of the monitors count as evidence too;
 * 2. the cooldown alarm, in ALARM while any execution of the training pipeline started within
 *    the cooldown (SageMaker Pipelines' ExecutionStarted metric, whoever started it);
 * 3. the composite alarm `<pipeline>-retraining`: any evidence AND NOT the cooldown;
 * 4. an EventBridge rule on the composite alarm entering ALARM;
 * 5. its target, the SageMaker pipeline `<pipeline>-training`, started through a role that may
 *    start that pipeline and nothing else.
 *
 * Why it cannot loop: the rule fires only on a transition into ALARM; the start of a
 * retraining puts the cooldown alarm into ALARM, which takes the composite back to OK; while
 * the evidence persists, the composite can enter ALARM again only when the cooldown ends. So
 * the pipeline starts at most once per cooldown, however the metrics move. Missing data
 * (no traffic, no ground truth yet) never counts as evidence.
 */
export class Retraining extends Construct {
  readonly kpiAlarms: CloudwatchMetricAlarm[];
  readonly cooldownAlarm: CloudwatchMetricAlarm;
  readonly evidence: CloudwatchCompositeAlarm;
  readonly rule: CloudwatchEventRule;
  readonly target: CloudwatchEventTarget;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: RetrainingProps) {
    super(scope, id);
    const { retraining: r, security: sec, topicArn } = props;
    const notify = { alarmActions: [topicArn], okActions: [topicArn] };
    this.kpiAlarms = r.kpiAlarms.map(
      (k) =>
        // The alarm name (unique, checked) without the pipeline prefix names the construct.
        new CloudwatchMetricAlarm(this, k.alarmName.slice(sec.pipeline.length + 1), {
          alarmName: k.alarmName,
          alarmDescription: `pipeform: KPI ${k.kpi} in production (${k.namespace} ${k.metricName}) is ${k.comparison === 'LessThanThreshold' ? 'below' : 'above'} its goal ${k.threshold}: evidence for retraining`,
          namespace: k.namespace,
          metricName: k.metricName,
          dimensions: { ...k.dimensions },
          statistic: k.statistic,
          period: k.periodSeconds,
          evaluationPeriods: k.evaluationPeriods,
          datapointsToAlarm: k.evaluationPeriods,
          comparisonOperator: k.comparison,
          threshold: k.threshold,
          treatMissingData: 'notBreaching',
          ...notify,
        }),
    );
    this.cooldownAlarm = new CloudwatchMetricAlarm(this, 'cooldown', {
      alarmName: r.cooldown.alarmName,
      alarmDescription: `pipeform: ${r.pipelineName} started within the last ${r.cooldown.hours} hours; retraining waits`,
      namespace: PIPELINE_METRICS_NAMESPACE,
      metricName: 'ExecutionStarted',
      dimensions: { PipelineName: r.pipelineName },
      statistic: 'Sum',
      period: 3600,
      evaluationPeriods: r.cooldown.hours,
      datapointsToAlarm: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      treatMissingData: 'notBreaching',
    });
    const drift = r.driftAlarmNames.map((name) => {
      const alarm = props.driftAlarms.get(name);
      if (alarm === undefined) throw new Error(`internal: drift alarm ${name} was not built`);
      return alarm;
    });
    const evidence = [...r.kpiAlarms.map((k) => k.alarmName), ...r.driftAlarmNames];
    this.evidence = new CloudwatchCompositeAlarm(this, 'Evidence', {
      alarmName: r.compositeAlarmName,
      alarmDescription: `pipeform: evidence that the model needs retraining (a KPI or drift alarm) outside the cooldown; starts ${r.pipelineName}`,
      alarmRule: evidenceRule(evidence, r.cooldown.alarmName),
      ...notify,
      dependsOn: [...this.kpiAlarms, ...drift, this.cooldownAlarm],
    });

    this.role = sec.roles.create(this, 'Role', r.roleComponent, {
      services: ['events.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: EventBridge starts ${r.pipelineName} when the retraining alarm fires`,
      statements: retrainingRoleStatements(r),
    });
    this.rule = new CloudwatchEventRule(this, 'Rule', {
      name: r.ruleName,
      description: `pipeform: start ${r.pipelineName} when ${r.compositeAlarmName} enters ALARM`,
      eventPattern: JSON.stringify(evidencePattern(r.compositeAlarmArn)),
      state: 'ENABLED',
      dependsOn: [this.evidence],
    });
    this.target = new CloudwatchEventTarget(this, 'Target', {
      rule: this.rule.name,
      targetId: 'training-pipeline',
      arn: r.pipelineArn,
      roleArn: this.role.arn,
      sagemakerPipelineTarget: {
        pipelineParameterList: r.parameters.map((p) => ({ name: p.name, value: p.value })),
      },
      retryPolicy: { maximumEventAgeInSeconds: 3600, maximumRetryAttempts: 3 },
    });
  }
}
