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

const alarms = (data: object): Record<string, Alarm> => {
  const { resolved } = compileSpec('pipeline.yaml', Buffer.from(stringify(data)));
  const main = JSON.parse(synthesize(resolved).files.get(MAIN_FILE)!.toString()) as {
    resource: { aws_cloudwatch_metric_alarm?: Record<string, Alarm> };
  };
  return main.resource.aws_cloudwatch_metric_alarm ?? {};
};

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
});
