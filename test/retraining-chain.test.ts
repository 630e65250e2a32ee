import { join } from 'node:path';
import { Testing } from 'cdktf';
import { compileSpec, readSpecFile } from '../src/compiler';
import { PipelineStack } from '../src/constructs/pipeline-stack';
import type { PolicyStatement } from '../src/constructs/iam/policy';
import type { ResolvedSpec } from '../src/model/resolved';
import { compileData, MINIMAL, ROOT } from './harness/spec';
import { testApp } from './harness/cdktf-testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized JSON of any depth, read by path
type Json = Record<string, any>;

const COMPLETE = join('examples', 'complete', 'pipeline.yaml');

/** A `${type.address.attr}` reference, split. */
function reference(ref: string): { type: string; address: string; attr: string } {
  const m = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$/.exec(ref);
  if (!m) throw new Error(`not a resource reference: ${ref}`);
  return { type: m[1], address: m[2], attr: m[3] };
}

/** The resource of a type whose attribute has this value (exactly one). */
function only(resources: Json, type: string, predicate: (r: Json) => boolean): [string, Json] {
  const found = Object.entries((resources[type] ?? {}) as Json).filter(([, r]) => predicate(r));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

/**
 * Walks the loop in the synthesized Terraform, from a KPI to the training pipeline, following
 * only what the JSON says (names, patterns, references):
 * KPI -> alarm (threshold, comparison) -> composite alarm rule -> EventBridge rule pattern
 * -> target -> the pipeline ARN, started through a role allowed to start only it.
 */
function walk(spec: ResolvedSpec, kpiName: string) {
  const resources: Json = JSON.parse(Testing.synth(new PipelineStack(testApp(), 'chain', spec))).resource;
  const kpi = spec.goals.kpis.find((k) => k.name === kpiName);
  if (!kpi) throw new Error(`no KPI ${kpiName}`);

  // 1. The KPI's alarm: its threshold, on the wrong side.
  const [, alarm] = only(
    resources,
    'aws_cloudwatch_metric_alarm',
    (a) => typeof a.alarm_name === 'string' && a.alarm_name.endsWith(`-kpi-${kpi.name}`),
  );

  // 2. The composite alarm that counts it as evidence, outside the cooldown.
  const [, composite] = only(resources, 'aws_cloudwatch_composite_alarm', (c) =>
    c.alarm_rule.includes(`ALARM(${JSON.stringify(alarm.alarm_name)})`),
  );
  const cooldownName = /AND NOT ALARM\("([^"]+)"\)$/.exec(composite.alarm_rule)?.[1];
  const [, cooldown] = only(resources, 'aws_cloudwatch_metric_alarm', (a) => a.alarm_name === cooldownName);

  // 3. The EventBridge rule whose pattern names that composite alarm entering ALARM.
  const compositeArn = `arn:aws:cloudwatch:${spec.region}:${spec.account}:alarm:${composite.alarm_name}`;
  const [ruleAddress, rule] = only(resources, 'aws_cloudwatch_event_rule', (r) => {
    const p = r.event_pattern ? JSON.parse(r.event_pattern) : {};
    return (p.resources ?? []).includes(compositeArn);
  });
  const pattern = JSON.parse(rule.event_pattern);

  // 4. Its target, 5. the pipeline it starts, 6. the role it starts it with.
  const [, target] = only(
    resources,
    'aws_cloudwatch_event_target',
    (t) => t.rule === `\${aws_cloudwatch_event_rule.${ruleAddress}.name}`,
  );
  const pipelineName = /:pipeline\/(.+)$/.exec(target.arn)?.[1];
  const [, pipeline] = only(resources, 'aws_sagemaker_pipeline', (p) => p.pipeline_name === pipelineName);
  const role = reference(target.role_arn);
  const trust = JSON.parse(resources.aws_iam_role[role.address].assume_role_policy)
    .Statement as PolicyStatement[];
  const policy = JSON.parse(resources.aws_iam_role_policy[role.address].policy)
    .Statement as PolicyStatement[];
  return {
    resources,
    kpi,
    alarm,
    composite,
    cooldown,
    compositeArn,
    rule,
    pattern,
    target,
    pipeline,
    trust,
    policy,
  };
}

describe('the retraining chain of the complete example', () => {
  const spec = compileSpec(COMPLETE, readSpecFile(join(ROOT, COMPLETE))).resolved;

  test.each(['auc', 'recall'])('KPI %s -> alarm -> rule -> target -> pipeline', (name) => {
    const c = walk(spec, name);
    // KPI -> alarm threshold and comparison (higher is better: below the goal is evidence).
    expect(c.kpi.direction).toBe('higher-is-better');
    expect(c.alarm).toMatchObject({
      threshold: c.kpi.threshold,
      comparison_operator: 'LessThanThreshold',
      namespace: 'aws/sagemaker/Endpoints/model-metrics',
      metric_name: name,
      dimensions: { Endpoint: 'fraud-scorer', MonitoringSchedule: 'fraud-scorer-model-quality' },
      treat_missing_data: 'notBreaching',
    });
    // The model-quality schedule the alarm's dimension names exists (in the CloudFormation stack)
    // and watches the endpoint the other dimension names.
    const [, stack] = only(c.resources, 'aws_cloudformation_stack', (st) => {
      const schedule = JSON.parse(st.template_body).Resources.Schedule.Properties;
      return schedule.MonitoringScheduleName === c.alarm.dimensions.MonitoringSchedule;
    });
    expect(JSON.parse(stack.template_body).Resources.Schedule.Properties.EndpointName).toBe(
      c.alarm.dimensions.Endpoint,
    );
    // Alarm -> composite (with the drift alarm as evidence too), guarded by the cooldown.
    expect(c.composite.alarm_rule).toBe(
      '(ALARM("fraud-scorer-kpi-auc") OR ALARM("fraud-scorer-kpi-recall") OR ALARM("fraud-scorer-drift")) AND NOT ALARM("fraud-retraining-cooldown")',
    );
    expect(c.cooldown).toMatchObject({
      namespace: 'AWS/Sagemaker/ModelBuildingPipeline',
      metric_name: 'ExecutionStarted',
      dimensions: { PipelineName: c.pipeline.pipeline_name },
      period: 3600,
      evaluation_periods: 24,
      datapoints_to_alarm: 1,
      threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
    });
    // Composite -> rule: only its transition into ALARM.
    expect(c.pattern).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      resources: [c.compositeArn],
      detail: { state: { value: ['ALARM'] } },
    });
    // Rule -> target -> the training pipeline, with the spec's parameters.
    expect(c.target.arn).toBe('arn:aws:sagemaker:us-east-1:123456789012:pipeline/fraud-training');
    expect(c.pipeline.pipeline_name).toBe('fraud-training');
    expect(c.target.sagemaker_pipeline_target).toEqual({
      pipeline_parameter_list: [{ name: 'InstanceType', value: 'ml.m5.4xlarge' }],
    });
    // ... through a role EventBridge assumes, allowed to start that pipeline and nothing else.
    expect(c.trust).toEqual([
      {
        Sid: 'AssumedByService',
        Effect: 'Allow',
        Principal: { Service: ['events.amazonaws.com'] },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      },
    ]);
    expect(c.policy).toEqual([
      {
        Sid: 'StartTheTrainingPipeline',
        Effect: 'Allow',
        Action: 'sagemaker:StartPipelineExecution',
        Resource: c.target.arn,
      },
    ]);
  });

  test('the same threshold gates registration in the training pipeline', () => {
    const c = walk(spec, 'auc');
    const definition = JSON.parse(c.pipeline.pipeline_definition);
    const gate = definition.Steps.find((s: Json) => s.Type === 'Condition');
    expect(JSON.stringify(gate.Arguments.Conditions)).toContain(String(c.kpi.threshold));
  });
});

describe('the retraining chain of a lower-is-better KPI on a custom metric', () => {
  const spec = compileData({
    ...MINIMAL,
    goals: {
      kpis: [
        {
          name: 'auc',
          metric: 'binary_classification_metrics.auc.value',
          threshold: 0.8,
          direction: 'higher-is-better',
        },
        {
          name: 'chargebacks',
          metric: 'business.chargeback_rate',
          threshold: 0.02,
          direction: 'lower-is-better',
        },
      ],
    },
    network: { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } },
    training: {
      algorithm: 'xgboost',
      hyperparameters: { num_round: 100 },
      data: { bucket: 'curated', prefix: 'd/' },
      code: { s3: 's3://acme-ml-code/demo/' },
      evaluation: { script: 'evaluate.py' },
    },
    monitoring: {
      retraining: {
        cooldownHours: 6,
        kpis: [
          {
            kpi: 'chargebacks',
            custom: {
              namespace: 'Checkout',
              name: 'ChargebackRate',
              dimensions: { Market: 'us' },
              periodSeconds: 86400,
            },
          },
        ],
      },
    },
  });

  test('chargebacks above the goal -> alarm -> rule -> target -> pipeline, and nothing without parameters', () => {
    const c = walk(spec, 'chargebacks');
    expect(c.alarm).toMatchObject({
      alarm_name: 'demo-kpi-chargebacks',
      threshold: 0.02,
      comparison_operator: 'GreaterThanThreshold',
      namespace: 'Checkout',
      metric_name: 'ChargebackRate',
      dimensions: { Market: 'us' },
      period: 86400,
    });
    expect(c.composite.alarm_rule).toBe(
      '(ALARM("demo-kpi-chargebacks")) AND NOT ALARM("demo-retraining-cooldown")',
    );
    expect(c.cooldown.evaluation_periods).toBe(6);
    expect(c.target.arn).toBe('arn:aws:sagemaker:us-east-1:123456789012:pipeline/demo-training');
    expect(c.pipeline.pipeline_name).toBe('demo-training');
    expect(c.target.sagemaker_pipeline_target).toEqual({ pipeline_parameter_list: [] });
  });
});
