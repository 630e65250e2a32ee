import { stringify } from 'yaml';
import { compileSpec } from '../src/compiler';
import { MAIN_FILE, synthesize } from '../src/synth/synth';
import { MINIMAL } from './harness/spec';

/**
 * The deploy state machines (serving deploy, edge registry) fail quietly otherwise: the
 * endpoints or devices keep their old model. Their `<state machine>-failed` alarms notify the
 * monitoring alerts topic, like every other pipeform alarm, when the spec has monitoring.
 */
type Alarm = {
  alarm_name: string;
  metric_name: string;
  dimensions: Record<string, string>;
  alarm_actions?: string[];
  ok_actions?: string[];
};
const NET = { network: { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } } };
const TOPIC = '${aws_sns_topic.monitoring_alerts.arn}';
const ENDPOINTS = [
  {
    name: 'scorer',
    variants: [{ name: 'main', model: { registry: { version: 1 } }, instanceType: 'ml.m5.large' }],
  },
];
const EDGE = {
  name: 'cameras',
  models: [{ name: 'plain', registry: true }],
};
const TRAINING = {
  goals: { kpis: [{ name: 'auc', metric: 'metrics.auc', threshold: 0.8, direction: 'higher-is-better' }] },
  training: {
    algorithm: 'xgboost',
    hyperparameters: { num_round: 200, objective: 'binary:logistic' },
    data: { prefix: 'churn/' },
    code: { s3: 's3://acme-ml-code/demo/' },
    evaluation: { script: 'evaluate.py' },
  },
};
const MONITORING = { monitoring: { endpoints: [{ name: 'scorer' }] } };

type Resources = {
  aws_cloudwatch_metric_alarm?: Record<string, Alarm>;
  aws_cloudwatch_composite_alarm?: Record<string, unknown>;
  aws_cloudwatch_dashboard?: Record<string, { dashboard_body: string }>;
};
const resources = (data: object): Resources => {
  const { resolved } = compileSpec('pipeline.yaml', Buffer.from(stringify(data)));
  const main = JSON.parse(synthesize(resolved).files.get(MAIN_FILE)!.toString()) as { resource: Resources };
  return main.resource;
};
const alarms = (data: object): Record<string, Alarm> => resources(data).aws_cloudwatch_metric_alarm ?? {};

/** The alarm ARNs of the dashboard's alarm status widgets, in order. */
const dashboardAlarms = (r: Resources): string[] => {
  const body = JSON.parse(
    r.aws_cloudwatch_dashboard?.monitoring_dashboard.dashboard_body ?? '{"widgets":[]}',
  ) as {
    widgets: { type: string; properties: { alarms?: string[] } }[];
  };
  return body.widgets.filter((w) => w.type === 'alarm').flatMap((w) => w.properties.alarms ?? []);
};
/** The ARN reference of every alarm resource of the configuration (metric and composite). */
const alarmRefs = (r: Resources): string[] => [
  ...Object.keys(r.aws_cloudwatch_metric_alarm ?? {}).map((k) => `\${aws_cloudwatch_metric_alarm.${k}.arn}`),
  ...Object.keys(r.aws_cloudwatch_composite_alarm ?? {}).map(
    (k) => `\${aws_cloudwatch_composite_alarm.${k}.arn}`,
  ),
];

describe('failure alarms of the deploy state machines', () => {
  const spec = { ...MINIMAL, ...NET, ...TRAINING, serving: { endpoints: ENDPOINTS, edge: EDGE } };

  test('with monitoring: the serving deploy and edge registry alarms notify the alerts topic, on alarm and on OK', () => {
    const a = alarms({ ...spec, ...MONITORING });
    expect(a.serving_deploy_failed).toMatchObject({
      metric_name: 'ExecutionsFailed',
      dimensions: { StateMachineArn: '${aws_sfn_state_machine.serving_deploy.arn}' },
      alarm_actions: [TOPIC],
      ok_actions: [TOPIC],
    });
    expect(a.serving_edge_registry_failed).toMatchObject({
      metric_name: 'ExecutionsFailed',
      alarm_actions: [TOPIC],
      ok_actions: [TOPIC],
    });
  });

  test('without monitoring: the alarms exist (state in the console) with no action, and no topic is invented', () => {
    const a = alarms(spec);
    for (const id of ['serving_deploy_failed', 'serving_edge_registry_failed']) {
      expect(a[id]).toBeDefined();
      expect(a[id].alarm_actions).toBeUndefined();
      expect(a[id].ok_actions).toBeUndefined();
    }
  });

  test('with monitoring: the dashboard lists both failure alarms, and only alarms the configuration has', () => {
    const r = resources({ ...spec, ...MONITORING });
    const listed = dashboardAlarms(r);
    expect(listed).toContain('${aws_cloudwatch_metric_alarm.serving_deploy_failed.arn}');
    expect(listed).toContain('${aws_cloudwatch_metric_alarm.serving_edge_registry_failed.arn}');
    expect(listed.filter((a) => !alarmRefs(r).includes(a))).toEqual([]);
  });
});

describe('the dashboard without a serving deploy (day 0)', () => {
  // An endpoint of an archive and an image: no registry version, so no deploy state machine.
  const ARTIFACT_ENDPOINT = {
    name: 'scorer',
    model: {
      artifact: { file: 's3://acme-models/scorer/model.tar.gz' },
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/scorer:1.4',
    },
  };

  test('lists the endpoint alarms and no deploy failure alarm, and every alarm it lists exists', () => {
    const r = resources({ ...MINIMAL, ...NET, serving: { endpoints: [ARTIFACT_ENDPOINT] }, monitoring: {} });
    expect(r.aws_cloudwatch_metric_alarm?.serving_deploy_failed).toBeUndefined();
    const listed = dashboardAlarms(r);
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.filter((a) => a.includes('deploy_failed') || a.includes('registry_failed'))).toEqual([]);
    expect(listed.filter((a) => !alarmRefs(r).includes(a))).toEqual([]);
  });
});
