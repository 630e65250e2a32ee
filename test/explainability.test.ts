import { join } from 'node:path';
import { Testing } from 'cdktf';
import { leastPrivilegeProblems } from '../src/constructs/iam/least-privilege';
import type { PolicyStatement } from '../src/constructs/iam/policy';
import { PipelineStack } from '../src/constructs/pipeline-stack';
import type { ResolvedSpec } from '../src/model/resolved';
import { analyzeSpec, compileSpec, readSpecFile } from '../src/compiler';
import { costReport } from '../src/cost';
import { buildGraph } from '../src/graph';
import { testApp } from './harness/cdktf-testing';
import { testRuleCases } from './harness/rules';
import { compileText, diagnosticsOf, ROOT } from './harness/spec';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized JSON of any depth, read by path
type Json = Record<string, any>;

const KEY = '${aws_kms_key.kms.arn}';
const COMPLETE = join('examples', 'complete', 'pipeline.yaml');
const complete = (): ResolvedSpec => compileSpec(COMPLETE, readSpecFile(join(ROOT, COMPLETE))).resolved;
const synth = (spec: ResolvedSpec): Json =>
  JSON.parse(Testing.synth(new PipelineStack(testApp(), 'demo', spec))).resource;
const statementsOf = (r: Json): PolicyStatement[] =>
  JSON.parse(r.aws_iam_role_policy.monitoring_monitors_scorer.policy).Statement;

const HEAD = 'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\n';
const NET = 'network:\n  vpc:\n    cidr: 10.0.0.0/16\n    availabilityZones: [us-east-1a, us-east-1b]\n';
/** Lines 1-12; `endpoint` is line 12 on (one line unless given). */
const BASE = (endpoint = '      model: {registry: {version: 3}}\n', net = NET) =>
  `${HEAD}${net}serving:\n  endpoints:\n    - name: scorer\n${endpoint}`;
/** An explainability monitor: with the default endpoint it is on line 16 (column 23 is `{`). */
const EXPLAIN = (fields = '', before = '') =>
  `monitoring:\n  endpoints:\n    - name: scorer\n${before}      explainability: {schedule: daily${fields}}\n`;
const spec = (opts: { fields?: string; before?: string; endpoint?: string; net?: string } = {}) =>
  `${BASE(opts.endpoint, opts.net)}${EXPLAIN(opts.fields, opts.before)}`;

describe('GIVEN the complete example with explainability on the scorer endpoint', () => {
  const r = synth(complete());
  const stack = r.aws_cloudformation_stack.monitoring_monitors_scorer_model_explainability;
  const t = JSON.parse(stack.template_body);
  const d = t.Resources.Definition;
  const baseline =
    's3://fraud-123456789012-us-east-1-models/fraud/monitoring/scorer/baseline/explainability/';

  test('THEN a stack <endpoint>-model-explainability holds a Clarify definition with a generated name', () => {
    expect(stack.name).toBe('fraud-scorer-model-explainability');
    expect(d.Type).toBe('AWS::SageMaker::ModelExplainabilityJobDefinition');
    expect(d.Properties.JobDefinitionName).toBeUndefined();
    expect(d.Properties.ModelExplainabilityAppSpecification).toEqual({
      ImageUri: '${data.aws_sagemaker_prebuilt_ecr_image.monitoring_monitors_clarify_image.registry_path}',
      ConfigUri: `${baseline}analysis_config.json`,
    });
    expect(d.Properties.ModelExplainabilityBaselineConfig).toEqual({
      ConstraintsResource: { S3Uri: `${baseline}analysis.json` },
    });
    expect(d.Properties.ModelExplainabilityJobInput).toEqual({
      EndpointInput: {
        EndpointName: 'fraud-scorer',
        LocalPath: '/opt/ml/processing/input/endpoint',
        S3DataDistributionType: 'FullyReplicated',
        S3InputMode: 'File',
        ProbabilityAttribute: '0',
      },
    });
    expect(d.Properties.RoleArn).toBe('${aws_iam_role.monitoring_monitors_scorer.arn}');
  });

  test('THEN it is encrypted like the other monitors, but not network-isolated: it invokes the endpoint', () => {
    expect(d.Properties.ModelExplainabilityJobOutputConfig).toEqual({
      KmsKeyId: KEY,
      MonitoringOutputs: [
        {
          S3Output: {
            LocalPath: '/opt/ml/processing/output',
            S3Uri: 's3://fraud-123456789012-us-east-1-models/fraud/monitoring/scorer/reports/explainability/',
            S3UploadMode: 'EndOfJob',
          },
        },
      ],
    });
    expect(d.Properties.JobResources.ClusterConfig.VolumeKmsKeyId).toBe(KEY);
    expect(d.Properties.NetworkConfig.EnableInterContainerTrafficEncryption).toBe(true);
    expect(d.Properties.NetworkConfig.EnableNetworkIsolation).toBe(false);
    expect(d.Properties.NetworkConfig.VpcConfig).toEqual(
      JSON.parse(r.aws_cloudformation_stack.monitoring_monitors_scorer_model_bias.template_body).Resources
        .Definition.Properties.NetworkConfig.VpcConfig,
    );
  });

  test('THEN the schedule is of type ModelExplainability on the live endpoint and waits for the deploy like bias', () => {
    expect(t.Resources.Schedule.Properties).toEqual({
      MonitoringScheduleName: 'fraud-scorer-model-explainability',
      EndpointName: 'fraud-scorer',
      MonitoringScheduleConfig: {
        MonitoringType: 'ModelExplainability',
        MonitoringJobDefinitionName: { 'Fn::Select': [1, { 'Fn::Split': ['/', { Ref: 'Definition' }] }] },
        ScheduleConfig: { ScheduleExpression: 'cron(0 0 ? * * *)' },
      },
    });
    const bias = r.aws_cloudformation_stack.monitoring_monitors_scorer_model_bias;
    expect(bias.for_each).toBeDefined();
    expect(stack.for_each).toBe(bias.for_each.replace(/model-bias/g, 'model-explainability'));
  });

  test('THEN the monitor role may invoke only the monitored endpoint, and reads its baseline and writes its reports', () => {
    const s = statementsOf(r);
    expect(leastPrivilegeProblems(s)).toEqual([]);
    const invokes = s.filter((x) => [x.Action].flat().some((a) => String(a).startsWith('sagemaker:')));
    expect(invokes).toEqual([
      {
        Sid: 'InvokeMonitoredEndpoint',
        Effect: 'Allow',
        Action: 'sagemaker:InvokeEndpoint',
        Resource: 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/fraud-scorer',
      },
    ]);
    expect(s.find((x) => x.Sid === 'ReadCaptureBaselinesGroundTruth')?.Resource).toContain(
      'arn:aws:s3:::fraud-123456789012-us-east-1-models/fraud/monitoring/scorer/baseline/explainability/*',
    );
    expect(s.find((x) => x.Sid === 'WriteReports')?.Resource).toContain(
      'arn:aws:s3:::fraud-123456789012-us-east-1-models/fraud/monitoring/scorer/reports/explainability/*',
    );
  });
});

describe('GIVEN a monitor without explainability', () => {
  test('THEN there is no explainability stack and the role may not invoke the endpoint', () => {
    const r = synth(compileText(`${BASE()}monitoring:\n  endpoints:\n    - name: scorer\n`));
    expect(r.aws_cloudformation_stack?.monitoring_monitors_scorer_model_explainability).toBeUndefined();
    expect(statementsOf(r).find((x) => x.Sid === 'InvokeMonitoredEndpoint')).toBeUndefined();
  });
});

describe('cost and graph', () => {
  test('THEN each explainability run is one more processing job, and the monitor node names it', () => {
    const base = `${BASE()}monitoring:\n  endpoints:\n    - name: scorer\n      dataQuality: {enabled: false}\n`;
    const job = (text: string) =>
      costReport(analyzeSpec('pipeline.yaml', Buffer.from(`${text}usage: {monitoringJobMinutes: 12}\n`)));
    const usd = (text: string) => job(text).lines.find((l) => l.component === 'monitoring/scorer')?.usd;
    const daily = usd(`${base}      explainability: {schedule: daily}\n`);
    const hourly = usd(`${base}      explainability: {schedule: hourly}\n`);
    // 730 h a month: ~30.4 daily runs or 730 hourly runs of 12 minutes each.
    expect(daily).toBeGreaterThan(0);
    expect((hourly ?? 0) / (daily ?? 1)).toBeCloseTo(24, 6);
    expect(usd(base)).toBe(0);
    const node = buildGraph(compileText(`${base}      explainability: {}\n`))
      .stages.find((s) => s.id === 'monitoring')
      ?.nodes.find((n) => n.id === 'monitoring_monitor_scorer');
    expect(node?.detail).toBe('scorer: no quality, feature attribution');
  });
});

describe('normalize: explainability', () => {
  test('THEN the defaults are a daily schedule and the baseline prefix in the models bucket', () => {
    expect(
      compileText(spec({ fields: '' }).replace('{schedule: daily}', '{}')).monitoring?.monitors[0]
        .explainability,
    ).toEqual({
      scheduleName: 'demo-scorer-model-explainability',
      stackName: 'demo-scorer-model-explainability',
      scheduleExpression: 'cron(0 0 ? * * *)',
      periodSeconds: 86400,
      baseline: {
        bucketName: 'demo-123456789012-us-east-1-models',
        prefix: 'demo/monitoring/scorer/baseline/explainability/',
      },
      reports: {
        bucketName: 'demo-123456789012-us-east-1-models',
        prefix: 'demo/monitoring/scorer/reports/explainability/',
      },
    });
  });

  test('THEN an hourly schedule and attributes are passed through', () => {
    const x = compileText(
      spec({ fields: ", featuresAttribute: features, inferenceAttribute: '1'" }).replace('daily', 'hourly'),
    ).monitoring?.monitors[0].explainability;
    expect(x).toMatchObject({
      scheduleExpression: 'cron(0 * ? * * *)',
      periodSeconds: 3600,
      featuresAttribute: 'features',
      inferenceAttribute: '1',
    });
  });
});

describe('check rules: explainability', () => {
  const EXISTING = (endpoints: string) =>
    `network:\n  existing:\n    vpcId: vpc-0123456789abcdef0\n    subnetIds: [subnet-0123456789abcdef0]\n    securityGroupIds: [sg-0123456789abcdef0]\n    egress: endpoints\n    interfaceEndpoints: [${endpoints}]\n`;
  const MONITOR_ENDPOINTS = 'sagemaker-api, sts, logs, ecr-api, ecr-dkr, kms, monitoring';
  testRuleCases([
    [
      'monitoring/data-capture',
      spec({ endpoint: '      model: {registry: {version: 3}}\n      dataCapture: {capture: output}\n' }),
      13,
      30,
      'endpoint "scorer" captures only responses, but its monitor needs requests (data quality) and requests (explainability)',
      spec({
        endpoint: '      model: {registry: {version: 3}}\n      dataCapture: {capture: input}\n',
      }).replace(
        '    - name: scorer\n      explainability',
        '    - name: scorer\n      dataQuality: {enabled: true}\n      explainability',
      ),
    ],
    [
      'monitoring/bucket-reference',
      spec({ fields: ', baseline: {bucket: curate}' }),
      16,
      60,
      '"curate"',
      spec({ fields: ', baseline: {bucket: curated}' }),
    ],
    [
      'monitoring/schedule-runtime',
      spec({
        before: '      maxRuntimeMinutes: 90\n      dataQuality: {enabled: false}\n',
      }).replace('daily', 'hourly'),
      16,
      26,
      'jobs of an hourly schedule run at most 60 minutes, but maxRuntimeMinutes is 90',
      spec({ before: '      maxRuntimeMinutes: 90\n      dataQuality: {enabled: false}\n' }),
    ],
  ]);

  test('network/workload-endpoints: an existing VPC without sagemaker-runtime is refused at the explainability monitor', () => {
    const at = (net: string, monitor: string) =>
      diagnosticsOf(`${BASE(undefined, net)}monitoring:\n  endpoints:\n    - name: scorer\n${monitor}`)
        .filter((d) => d.rule === 'network/workload-endpoints')
        .map((d) => [d.path, d.line, d.col]);
    // The endpoint itself needs sagemaker-runtime too (its callers in the VPC invoke it).
    expect(at(EXISTING(MONITOR_ENDPOINTS), '      explainability: {}\n')).toEqual([
      ['serving.endpoints[0]', 14, 7],
      ['monitoring.endpoints[0].explainability', 19, 23],
    ]);
    expect(
      diagnosticsOf(`${BASE(undefined, EXISTING(MONITOR_ENDPOINTS))}${EXPLAIN()}`).find((d) =>
        d.path.endsWith('explainability'),
      )?.message,
    ).toContain('Clarify explainability jobs need the sagemaker-runtime interface endpoint');
    expect(at(EXISTING(MONITOR_ENDPOINTS), '      dataQuality: {enabled: true}\n')).toEqual([
      ['serving.endpoints[0]', 14, 7],
    ]);
    expect(() =>
      compileText(`${BASE(undefined, EXISTING(`${MONITOR_ENDPOINTS}, sagemaker-runtime`))}${EXPLAIN()}`),
    ).not.toThrow();
  });
});
