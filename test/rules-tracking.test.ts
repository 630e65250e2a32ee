import pipelineSchema from '../schemas/pipeline.schema.json';
import { trackingRules } from '../src/compiler/rules/tracking';
import { testRuleCases, type RuleCase } from './harness/rules';
import { compileText, diagnosticsOf } from './harness/spec';

const HEAD = 'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\n';
const GOALS =
  'goals:\n  kpis:\n    - {name: auc, metric: classification_metrics.auc.value, threshold: 0.8, direction: higher-is-better}\n';
/** A VPC with a NAT gateway (lines 8-13). */
const NAT =
  'network:\n  vpc:\n    cidr: 10.0.0.0/16\n    availabilityZones: [us-east-1a, us-east-1b]\n    publicSubnets: true\n    natGateways: single\n';
/** Training on lines 14-20, the jobs not network-isolated. */
const TRAINING =
  "training:\n  algorithm: xgboost\n  hyperparameters: {num_round: 100}\n  data: {bucket: curated, prefix: d/}\n  evaluation: {script: evaluate.py}\n  code: {s3: 's3://acme-ml-code/demo/'}\n  networkIsolation: false\n";
/** Tracking on lines 21-22. */
const TRACKING = 'tracking:\n  mlflow: {size: Small}\n';
const GOOD = `${HEAD}${GOALS}${NAT}${TRAINING}${TRACKING}`;

/** [rule, a spec that breaks it, line, col, message fragment, a spec that keeps it]. */
const cases: RuleCase[] = [
  [
    'tracking/job-network',
    GOOD.replace('  networkIsolation: false\n', ''),
    14,
    1,
    'training jobs run network-isolated (training.networkIsolation, on by default), so they cannot reach the MLflow tracking server',
    GOOD,
  ],
  [
    'tracking/egress',
    GOOD.replace('    publicSubnets: true\n    natGateways: single\n', ''),
    20,
    3,
    "the MLflow tracking server is reached at its HTTPS endpoint, but the network's private subnets have no NAT",
    GOOD,
  ],
  [
    'tracking/auto-registration',
    `${HEAD}${TRACKING.replace('{size: Small}', '{automaticModelRegistration: true}')}`,
    6,
    40,
    'automaticModelRegistration registers into the model package group of the training pipeline, but the spec has no training.algorithm',
    `${HEAD}${TRACKING}`,
  ],
  [
    'tracking/environment',
    GOOD.replace(
      '  networkIsolation: false\n',
      "  networkIsolation: false\n  environment: {MLFLOW_TRACKING_URI: 'http://mine'}\n",
    ),
    21,
    17,
    'MLFLOW_TRACKING_URI is set by pipeform to the ARN of the tracking server of tracking.mlflow',
    GOOD.replace('  networkIsolation: false\n', "  networkIsolation: false\n  environment: {MY_VAR: 'x'}\n"),
  ],
];

describe('check rules: tracking', () => {
  testRuleCases(cases);

  test('every tracking rule has a case here', () => {
    expect(trackingRules.map((r) => r.id).sort()).toEqual(cases.map(([rule]) => rule).sort());
  });

  test('an explicit networkIsolation: true is reported at the key', () => {
    const [d] = diagnosticsOf(GOOD.replace('networkIsolation: false', 'networkIsolation: true'));
    expect(d).toMatchObject({ rule: 'tracking/job-network', line: 20, col: 3 });
  });

  test('an existing network without NAT egress is told to set egress: nat', () => {
    const existing =
      'network:\n  existing:\n    vpcId: vpc-0123456789abcdef0\n    subnetIds: [subnet-0123456789abcdef0, subnet-0123456789abcdef1]\n    securityGroupIds: [sg-0123456789abcdef0]\n    egress: endpoints\n';
    const ds = diagnosticsOf(GOOD.replace(NAT, existing)).filter((d) => d.rule === 'tracking/egress');
    expect(ds).toHaveLength(1);
    expect(ds[0].hint).toContain('network.existing.egress: nat');
  });

  test('a server without jobs or Studio users needs no egress, and MLflow for a notebook-only spec compiles', () => {
    expect(() => compileText(`${HEAD}${TRACKING}`)).not.toThrow();
    const resolved = compileText(`${HEAD}${TRACKING}`);
    expect(resolved.tracking?.mlflow).toEqual({
      serverName: 'demo-mlflow',
      serverArn: 'arn:aws:sagemaker:us-east-1:123456789012:mlflow-tracking-server/demo-mlflow',
      size: 'Small',
      maintenanceWindow: 'Sun:03:00',
      artifacts: {
        bucketName: 'demo-123456789012-us-east-1-models',
        prefix: 'demo/mlflow/',
        uri: 's3://demo-123456789012-us-east-1-models/demo/mlflow/',
      },
      roleComponent: 'mlflow',
    });
  });

  test('the defaults the schema documents are the ones applied', () => {
    const m = compileText(`${HEAD}${TRACKING.replace('{size: Small}', '{}')}`).tracking!.mlflow!;
    const props = pipelineSchema.definitions.trackingMlflow.properties;
    expect(m.size).toBe(props.size.default);
    expect(m.maintenanceWindow).toBe(props.maintenanceWindow.default);
    expect(m.autoRegistrationGroup === undefined).toBe(props.automaticModelRegistration.default === false);
  });
});
