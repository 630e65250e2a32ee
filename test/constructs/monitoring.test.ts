import { join } from 'node:path';
import { Testing } from 'cdktf';
import { parse } from 'yaml';
import { compileSpec, readSpecFile } from '../../src/compiler';
import { PipelineStack } from '../../src/constructs/pipeline-stack';
import { leastPrivilegeProblems } from '../../src/constructs/iam/least-privilege';
import type { PolicyStatement } from '../../src/constructs/iam/policy';
import type { ResolvedSpec } from '../../src/model/resolved';
import { compileData, MINIMAL, ROOT } from '../harness/spec';
import { plannedOutputs } from '../harness/terraform';
import { testApp } from '../harness/cdktf-testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized JSON of any depth, read by path
type Json = Record<string, any>;

const KEY = '${aws_kms_key.kms.arn}';
const TOPIC = '${aws_sns_topic.monitoring_alerts.arn}';
const SUBNETS = [
  '${aws_subnet.network_private_us-east-1a.id}',
  '${aws_subnet.network_private_us-east-1b.id}',
].map((s) => s.replace(/-/g, '_'));
const GROUPS = ['${aws_security_group.network_workloads.id}'];
const COMPLETE = join('examples', 'complete', 'pipeline.yaml');

function synth(spec: ResolvedSpec): { config: Json; resource: Json; json: string } {
  const json = Testing.synth(new PipelineStack(testApp(), 'demo', spec));
  const config = JSON.parse(json);
  return { config, resource: config.resource, json };
}
const complete = (): ResolvedSpec => compileSpec(COMPLETE, readSpecFile(join(ROOT, COMPLETE))).resolved;
const statementsOf = (r: Json, name: string): PolicyStatement[] =>
  JSON.parse(r.aws_iam_role_policy[name].policy).Statement;

const NETWORK = { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } };
const small = (monitoring: object, serving: object) =>
  compileData({ ...MINIMAL, network: NETWORK, serving, monitoring });

describe('monitoring of the complete example', () => {
  const { resource: r, config, json } = synth(complete());
  const alarms: Json = r.aws_cloudwatch_metric_alarm;

  test('THEN the alerts topic is encrypted with the pipeline key and only this account’s alarms and rules publish, over TLS', () => {
    expect(r.aws_sns_topic.monitoring_alerts).toEqual({ name: 'fraud-alerts', kms_master_key_id: KEY });
    const policy = JSON.parse(r.aws_sns_topic_policy.monitoring_alerts.policy).Statement;
    expect(policy).toEqual([
      {
        Sid: 'AlarmsAndEventsOfThisAccountPublish',
        Effect: 'Allow',
        Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
        Action: 'sns:Publish',
        Resource: TOPIC,
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      },
      {
        Sid: 'PublishOnlyOverTls',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: TOPIC,
        Condition: { Bool: { 'aws:SecureTransport': false } },
      },
    ]);
    expect(
      Object.values(r.aws_sns_topic_subscription as Json).filter((s: Json) => s.topic_arn === TOPIC),
    ).toEqual([
      { topic_arn: TOPIC, protocol: 'email', endpoint: 'risk-ml-oncall@example.com' },
      {
        topic_arn: TOPIC,
        protocol: 'https',
        endpoint: 'https://events.pagerduty.com/integration/fraud-ml/enqueue',
      },
    ]);
  });

  test('THEN the key lets CloudWatch and EventBridge of this account encrypt what they publish to it', () => {
    const key = JSON.parse(r.aws_kms_key.kms.policy).Statement;
    expect(key).toContainEqual({
      Sid: 'AlarmsAndEventsPublishToEncryptedTopics',
      Effect: 'Allow',
      Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
    });
  });

  test('THEN every alarm notifies the topic, and the rollback alarms are reused, not duplicated', () => {
    for (const [name, a] of Object.entries(alarms)) {
      if (name === 'monitoring_retraining_cooldown') continue; // a guard, not a problem
      expect([name, a.alarm_actions]).toEqual([name, [TOPIC]]);
      expect([name, a.ok_actions]).toEqual([name, [TOPIC]]);
    }
    expect(Object.keys(alarms).filter((n) => n.startsWith('serving_scorer'))).toEqual([
      'serving_scorer_client_errors',
      'serving_scorer_model_latency',
      'serving_scorer_server_errors',
    ]);
    expect(
      Object.keys(alarms)
        .filter((n) => n.startsWith('monitoring_endpoints_scorer'))
        .sort(),
    ).toEqual([
      'monitoring_endpoints_scorer_cpu',
      'monitoring_endpoints_scorer_disk',
      'monitoring_endpoints_scorer_memory',
      'monitoring_endpoints_scorer_modelerrors',
    ]);
  });

  test('THEN CPU is alarmed in percent of the whole instance (4 vCPUs on ml.c6i.xlarge), busiest variant', () => {
    const cpu = alarms.monitoring_endpoints_scorer_cpu;
    expect(cpu).toMatchObject({ alarm_name: 'fraud-scorer-cpu', threshold: 80, evaluation_periods: 3 });
    expect(
      cpu.metric_query.map((q: Json) => q.expression ?? `${q.metric.namespace} ${q.metric.metric_name}`),
    ).toEqual([
      '/aws/sagemaker/Endpoints CPUUtilization',
      '/aws/sagemaker/Endpoints CPUUtilization',
      'm_challenger / 4',
      'm_champion / 4',
      'MAX([s_challenger, s_champion])',
    ]);
    expect(alarms.monitoring_endpoints_scorer_modelerrors).toMatchObject({
      threshold: 2,
      treat_missing_data: 'notBreaching',
    });
  });

  test('THEN Glue, EMR and training pipeline failures reach the topic through EventBridge', () => {
    const rules = r.aws_cloudwatch_event_rule;
    const pattern = (n: string) => JSON.parse(rules[n].event_pattern);
    expect(pattern('monitoring_failures_glue_jobs')).toEqual({
      source: ['aws.glue'],
      'detail-type': ['Glue Job State Change'],
      detail: { jobName: ['fraud-sessionize'], state: ['ERROR', 'FAILED', 'TIMEOUT'] },
    });
    expect(pattern('monitoring_failures_glue_crawlers').detail).toEqual({
      crawlerName: ['fraud-raw-payments'],
      state: ['Failed'],
    });
    expect(pattern('monitoring_failures_emr').detail).toEqual({
      clusterId: ['${aws_emr_cluster.emr.id}'],
      state: ['FAILED', 'TERMINATED_WITH_ERRORS'],
    });
    expect(pattern('monitoring_failures_training')).toEqual({
      source: ['aws.sagemaker'],
      'detail-type': ['SageMaker Model Building Pipeline Execution Status Change'],
      detail: {
        pipelineArn: ['arn:aws:sagemaker:us-east-1:123456789012:pipeline/fraud-training'],
        currentPipelineExecutionStatus: ['Failed'],
      },
    });
    for (const n of ['glue_jobs', 'glue_crawlers', 'emr', 'training']) {
      expect(r.aws_cloudwatch_event_target[`monitoring_failures_${n}`]).toMatchObject({ arn: TOPIC });
    }
  });

  test('THEN Lambda errors and dead letters, EMR failed apps and unsuccessful workflow executions are alarms', () => {
    expect(alarms.monitoring_failures_lambda_validate_payments_errors).toMatchObject({
      namespace: 'AWS/Lambda',
      metric_name: 'Errors',
      dimensions: { FunctionName: 'fraud-validate-payments' },
    });
    expect(alarms.monitoring_failures_lambda_validate_payments_deadletter.namespace).toBe('AWS/SQS');
    expect(alarms.monitoring_failures_emr_appsfailed.dimensions).toEqual({
      JobFlowId: '${aws_emr_cluster.emr.id}',
    });
    const wf = alarms.monitoring_failures_workflow;
    expect(wf.metric_query.at(-1).expression).toBe('SUM([failed, timedout, aborted])');
    expect(wf.metric_query[0].metric.dimensions).toEqual({
      StateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:fraud-etl',
    });
  });

  test('THEN data quality runs in the private subnets, isolated, encrypted, against the baseline in the lake', () => {
    const dq = r.aws_sagemaker_data_quality_job_definition.monitoring_monitors_scorer_data_quality;
    expect(dq.name).toBeUndefined(); // immutable: generated names let a change replace it before removal
    expect(dq.lifecycle).toEqual({ create_before_destroy: true });
    expect(dq.data_quality_job_output_config.kms_key_id).toBe(KEY);
    expect(dq.job_resources.cluster_config).toEqual({
      instance_count: 1,
      instance_type: 'ml.m5.xlarge',
      volume_size_in_gb: 20,
      volume_kms_key_id: KEY,
    });
    expect(dq.network_config).toEqual({
      enable_inter_container_traffic_encryption: true,
      enable_network_isolation: true,
      vpc_config: { subnets: SUBNETS, security_group_ids: GROUPS },
    });
    expect(dq.data_quality_baseline_config).toEqual({
      constraints_resource: {
        s3_uri: 's3://fraud-123456789012-us-east-1-models/fraud/baselines/scorer/constraints.json',
      },
      statistics_resource: {
        s3_uri: 's3://fraud-123456789012-us-east-1-models/fraud/baselines/scorer/statistics.json',
      },
    });
    expect(dq.data_quality_job_input.endpoint_input.endpoint_name).toBe('fraud-scorer');
    expect(dq.depends_on).toContain('aws_sagemaker_endpoint.serving_scorer');
    expect(config.data.aws_sagemaker_prebuilt_ecr_image.monitoring_monitors.repository_name).toBe(
      'sagemaker-model-monitor-analyzer',
    );
    // Real Terraform evaluates the image expression: the untagged URI AWS documents
    // (the data source's registry_path alone would end in ':1').
    const outputs = plannedOutputs({
      data: {
        aws_sagemaker_prebuilt_ecr_image: {
          monitoring_monitors: config.data.aws_sagemaker_prebuilt_ecr_image.monitoring_monitors,
        },
      },
      locals: { model_monitor_image: config.locals.model_monitor_image },
      output: { image: { value: dq.data_quality_app_specification.image_uri } },
    });
    expect(outputs.image).toBe(
      '156813124566.dkr.ecr.us-east-1.amazonaws.com/sagemaker-model-monitor-analyzer',
    );
    expect(r.aws_sagemaker_monitoring_schedule.monitoring_monitors_scorer_data_quality).toMatchObject({
      name: 'fraud-scorer-data-quality',
      monitoring_schedule_config: {
        monitoring_job_definition_name:
          '${aws_sagemaker_data_quality_job_definition.monitoring_monitors_scorer_data_quality["fraud-scorer-data-quality"].name}',
        monitoring_type: 'DataQuality',
        schedule_config: { schedule_expression: 'cron(0 * ? * * *)' },
      },
    });
  });

  test('THEN the drift alarm takes the largest drift of the chosen features from Model Monitor', () => {
    const drift = alarms.monitoring_monitors_scorer_data_quality_drift;
    expect(drift).toMatchObject({
      alarm_name: 'fraud-scorer-drift',
      threshold: 0.2,
      comparison_operator: 'GreaterThanThreshold',
    });
    expect(drift.metric_query[0].metric).toEqual({
      namespace: 'aws/sagemaker/Endpoints/data-metrics',
      metric_name: 'feature_baseline_drift_spend_24h',
      stat: 'Maximum',
      period: 3600,
      dimensions: { Endpoint: 'fraud-scorer', MonitoringSchedule: 'fraud-scorer-data-quality' },
    });
    expect(drift.metric_query.at(-1).expression).toBe('MAX([f0, f1, f2])');
  });

  test('THEN model quality is a CloudFormation stack holding the definition (encrypted, isolated) and its schedule', () => {
    const stack = r.aws_cloudformation_stack.monitoring_monitors_scorer_model_quality;
    expect(stack.name).toBe('fraud-scorer-model-quality');
    const t = JSON.parse(stack.template_body);
    const d = t.Resources.Definition;
    expect(d.Type).toBe('AWS::SageMaker::ModelQualityJobDefinition');
    expect(d.Properties.JobDefinitionName).toBeUndefined();
    expect(d.Properties.ModelQualityAppSpecification.ProblemType).toBe('BinaryClassification');
    expect(d.Properties.ModelQualityJobOutputConfig.KmsKeyId).toBe(KEY);
    expect(d.Properties.JobResources.ClusterConfig.VolumeKmsKeyId).toBe(KEY);
    expect(d.Properties.NetworkConfig).toEqual({
      EnableInterContainerTrafficEncryption: true,
      EnableNetworkIsolation: true,
      VpcConfig: { SecurityGroupIds: GROUPS, Subnets: SUBNETS },
    });
    expect(d.Properties.ModelQualityJobInput).toEqual({
      EndpointInput: {
        EndpointName: 'fraud-scorer',
        LocalPath: '/opt/ml/processing/input/endpoint',
        S3DataDistributionType: 'FullyReplicated',
        S3InputMode: 'File',
        ProbabilityAttribute: '0',
        ProbabilityThresholdAttribute: 0.5,
        StartTimeOffset: '-PT72H',
        EndTimeOffset: '-PT48H',
      },
      GroundTruthS3Input: { S3Uri: 's3://fraud-123456789012-us-east-1-curated/ground-truth/scorer/' },
    });
    expect(t.Resources.Schedule.Properties).toMatchObject({
      MonitoringScheduleName: 'fraud-scorer-model-quality',
      MonitoringScheduleConfig: {
        MonitoringType: 'ModelQuality',
        ScheduleConfig: { ScheduleExpression: 'cron(0 0 ? * * *)' },
      },
    });
  });

  test('THEN bias drift is a CloudFormation stack of a Clarify definition (encrypted, isolated) and its schedule', () => {
    const stack = r.aws_cloudformation_stack.monitoring_monitors_scorer_model_bias;
    expect(stack.name).toBe('fraud-scorer-model-bias');
    expect(stack.for_each).toBe(
      r.aws_cloudformation_stack.monitoring_monitors_scorer_model_quality.for_each?.replace(
        /model-quality/g,
        'model-bias',
      ),
    );
    const t = JSON.parse(stack.template_body);
    const d = t.Resources.Definition;
    expect(d.Type).toBe('AWS::SageMaker::ModelBiasJobDefinition');
    expect(d.Properties.JobDefinitionName).toBeUndefined();
    const baseline = 's3://fraud-123456789012-us-east-1-models/fraud/monitoring/scorer/baseline/bias/';
    expect(d.Properties.ModelBiasAppSpecification).toEqual({
      ImageUri: '${data.aws_sagemaker_prebuilt_ecr_image.monitoring_monitors_clarify_image.registry_path}',
      ConfigUri: `${baseline}analysis_config.json`,
    });
    expect(config.data.aws_sagemaker_prebuilt_ecr_image.monitoring_monitors_clarify_image).toEqual({
      repository_name: 'sagemaker-clarify-processing',
      image_tag: '1.0',
    });
    expect(d.Properties.ModelBiasBaselineConfig).toEqual({
      ConstraintsResource: { S3Uri: `${baseline}analysis.json` },
    });
    expect(d.Properties.ModelBiasJobOutputConfig.KmsKeyId).toBe(KEY);
    expect(d.Properties.JobResources.ClusterConfig.VolumeKmsKeyId).toBe(KEY);
    expect(d.Properties.RoleArn).toBe('${aws_iam_role.monitoring_monitors_scorer.arn}');
    expect(d.Properties.NetworkConfig).toEqual({
      EnableInterContainerTrafficEncryption: true,
      EnableNetworkIsolation: true,
      VpcConfig: { SecurityGroupIds: GROUPS, Subnets: SUBNETS },
    });
    expect(d.Properties.ModelBiasJobInput).toEqual({
      EndpointInput: {
        EndpointName: 'fraud-scorer',
        LocalPath: '/opt/ml/processing/input/endpoint',
        S3DataDistributionType: 'FullyReplicated',
        S3InputMode: 'File',
        ProbabilityAttribute: '0',
        ProbabilityThresholdAttribute: 0.5,
        StartTimeOffset: '-PT72H',
        EndTimeOffset: '-PT48H',
      },
      GroundTruthS3Input: { S3Uri: 's3://fraud-123456789012-us-east-1-curated/ground-truth/scorer/' },
    });
    expect(t.Resources.Schedule.Properties).toMatchObject({
      MonitoringScheduleName: 'fraud-scorer-model-bias',
      EndpointName: 'fraud-scorer',
      MonitoringScheduleConfig: {
        MonitoringType: 'ModelBias',
        MonitoringJobDefinitionName: { 'Fn::Select': [1, { 'Fn::Split': ['/', { Ref: 'Definition' }] }] },
        ScheduleConfig: { ScheduleExpression: 'cron(0 0 ? * * *)' },
      },
    });
  });

  test('THEN the monitor role reads only the endpoint’s capture, baselines and ground truth, and is least-privilege', () => {
    const s = statementsOf(r, 'monitoring_monitors_scorer');
    expect(leastPrivilegeProblems(s)).toEqual([]);
    expect(s.find((x) => x.Sid === 'ReadCaptureBaselinesGroundTruth')?.Resource).toEqual([
      'arn:aws:s3:::fraud-123456789012-us-east-1-curated/ground-truth/scorer/*',
      'arn:aws:s3:::fraud-123456789012-us-east-1-models/fraud/baselines/scorer/*',
      'arn:aws:s3:::fraud-123456789012-us-east-1-models/fraud/data-capture/scorer/*',
      'arn:aws:s3:::fraud-123456789012-us-east-1-models/fraud/monitoring/scorer/baseline/bias/*',
      'arn:aws:s3:::fraud-123456789012-us-east-1-models/fraud/monitoring/scorer/baseline/explainability/*',
    ]);
    expect(s.find((x) => x.Sid === 'WriteReports')?.Resource).toEqual([
      'arn:aws:s3:::fraud-123456789012-us-east-1-models/fraud/monitoring/scorer/reports/bias/*',
      'arn:aws:s3:::fraud-123456789012-us-east-1-models/fraud/monitoring/scorer/reports/data-quality/*',
      'arn:aws:s3:::fraud-123456789012-us-east-1-models/fraud/monitoring/scorer/reports/explainability/*',
      'arn:aws:s3:::fraud-123456789012-us-east-1-models/fraud/monitoring/scorer/reports/model-quality/*',
    ]);
  });

  test('THEN Prometheus is encrypted and logs to an encrypted group; the scraper reads the EKS cluster', () => {
    expect(r.aws_prometheus_workspace.monitoring_prometheus).toEqual({
      alias: 'fraud',
      kms_key_arn: KEY,
      logging_configuration: { log_group_arn: '${aws_cloudwatch_log_group.monitoring_prometheus.arn}:*' },
    });
    const scraper = r.aws_prometheus_scraper.monitoring_prometheus_scraper;
    expect(scraper.source).toEqual([
      {
        eks: [{ cluster_arn: '${aws_eks_cluster.eks.arn}', subnet_ids: SUBNETS, security_group_ids: GROUPS }],
      },
    ]);
    expect(scraper.destination).toEqual([
      { amp: [{ workspace_arn: '${aws_prometheus_workspace.monitoring_prometheus.arn}' }] },
    ]);
    const yaml = parse(scraper.scrape_configuration);
    expect(yaml.scrape_configs.map((j: Json) => j.job_name)).toEqual([
      'kubernetes-apiservers',
      'kubernetes-cadvisor',
      'kubernetes-pods',
    ]);
  });

  test('THEN Grafana is for this account, signs in through IAM Identity Center, runs in the private subnets with its own role', () => {
    expect(r.aws_grafana_workspace.monitoring_grafana).toMatchObject({
      name: 'fraud',
      account_access_type: 'CURRENT_ACCOUNT',
      authentication_providers: ['AWS_SSO'],
      permission_type: 'CUSTOMER_MANAGED',
      role_arn: '${aws_iam_role.monitoring_grafana.arn}',
      data_sources: ['CLOUDWATCH', 'PROMETHEUS'],
      notification_destinations: ['SNS'],
      vpc_configuration: { subnet_ids: SUBNETS, security_group_ids: GROUPS },
    });
    expect(JSON.parse(r.aws_iam_role.monitoring_grafana.assume_role_policy).Statement[0].Principal).toEqual({
      Service: ['grafana.amazonaws.com'],
    });
    const s = statementsOf(r, 'monitoring_grafana');
    expect(leastPrivilegeProblems(s)).toEqual([]);
    expect(s.find((x) => x.Sid === 'QueryPrometheus')?.Resource).toBe(
      '${aws_prometheus_workspace.monitoring_prometheus.arn}',
    );
  });

  test('THEN every log group pipeform creates has the key and a retention', () => {
    for (const [name, g] of Object.entries(r.aws_cloudwatch_log_group as Json)) {
      expect([name, g.kms_key_id, typeof g.retention_in_days]).toEqual([name, KEY, 'number']);
    }
  });

  test('THEN the dashboard has one section per component, and its alarm widget lists every alarm', () => {
    const body = JSON.parse(r.aws_cloudwatch_dashboard.monitoring_dashboard.dashboard_body);
    const headings = body.widgets
      .filter((w: Json) => w.type === 'text')
      .map((w: Json) => w.properties.markdown.split('\n')[0]);
    expect(headings).toEqual([
      '## Endpoint scorer',
      '## Training pipeline',
      '## Glue jobs',
      '## EMR cluster',
      '## Lambda functions',
      '## Step Functions workflow',
      '## EKS training cluster',
    ]);
    const listed = body.widgets.find((w: Json) => w.type === 'alarm').properties.alarms;
    // Every metric alarm but the cooldown (a guard, not a problem), the serving deploy's
    // failure alarm included, plus the composite; each once.
    expect([...listed].sort()).toEqual(
      [
        ...Object.keys(alarms)
          .filter((k) => k !== 'monitoring_retraining_cooldown')
          .map((k) => `\${aws_cloudwatch_metric_alarm.${k}.arn}`),
        '${aws_cloudwatch_composite_alarm.monitoring_retraining.arn}',
      ].sort(),
    );
    expect(listed).toContain('${aws_cloudwatch_metric_alarm.serving_deploy_failed.arn}');
    expect(listed).toContain('${aws_cloudwatch_metric_alarm.serving_scorer_server_errors.arn}');
    for (const w of body.widgets) expect(w.x + w.width).toBeLessThanOrEqual(24);
  });

  test('THEN the same spec synthesizes the same bytes', () => {
    expect(synth(complete()).json).toBe(json);
  });
});

describe('monitoring variations', () => {
  test('GIVEN an endpoint without auto-rollback THEN monitoring alarms its errors and p99 latency itself', () => {
    const { resource: r } = synth(
      small(
        { alarms: { endpoints: { maxLatencyP99Ms: 200 } } },
        {
          endpoints: [
            {
              name: 'scorer',
              model: { registry: { version: 1 } },
              deployment: { autoRollback: { enabled: false } },
            },
          ],
        },
      ),
    );
    const alarms = r.aws_cloudwatch_metric_alarm;
    expect(Object.keys(alarms).sort()).toEqual([
      'monitoring_endpoints_scorer_4xx',
      'monitoring_endpoints_scorer_5xx',
      'monitoring_endpoints_scorer_cpu',
      'monitoring_endpoints_scorer_disk',
      'monitoring_endpoints_scorer_latency',
      'monitoring_endpoints_scorer_memory',
      'monitoring_endpoints_scorer_modelerrors',
      // The serving deploy state machine's own failure alarm (registry endpoints).
      'serving_deploy_failed',
    ]);
    // ModelLatency is in microseconds.
    expect(alarms.monitoring_endpoints_scorer_latency).toMatchObject({
      alarm_name: 'demo-scorer-latency',
      threshold: 200000,
    });
  });

  test('GIVEN a GPU variant THEN GPU and GPU memory alarms divide by the GPUs of that variant only', () => {
    const { resource: r } = synth(
      small(
        {},
        {
          endpoints: [
            {
              name: 'llm',
              variants: [
                { name: 'cpu', model: { registry: { version: 1 } }, instanceType: 'ml.m5.large' },
                { name: 'gpu', model: { registry: { version: 1 } }, instanceType: 'ml.g5.12xlarge' },
              ],
            },
          ],
        },
      ),
    );
    const gpu = r.aws_cloudwatch_metric_alarm.monitoring_endpoints_llm_gpu;
    expect(gpu.metric_query.map((q: Json) => q.id)).toEqual(['m_gpu', 's_gpu', 'combined']);
    expect(gpu.metric_query[1].expression).toBe('m_gpu / 4');
    expect(r.aws_cloudwatch_metric_alarm.monitoring_endpoints_llm_gpumemory).toBeDefined();
  });

  test('GIVEN a serverless endpoint THEN it has no utilization alarms and its dashboard section no utilization chart', () => {
    const { resource: r } = synth(
      small(
        {},
        {
          endpoints: [
            {
              name: 'scorer',
              type: 'serverless',
              model: {
                artifact: { key: 'm/model.tar.gz' },
                builtinImage: { framework: 'xgboost', version: '1.7-1' },
              },
            },
          ],
        },
      ),
    );
    expect(Object.keys(r.aws_cloudwatch_metric_alarm).filter((n) => n.startsWith('monitoring'))).toEqual([
      'monitoring_endpoints_scorer_modelerrors',
    ]);
    const body = JSON.parse(r.aws_cloudwatch_dashboard.monitoring_dashboard.dashboard_body);
    expect(body.widgets.map((w: Json) => w.properties.title).filter(Boolean)).not.toContain(
      'Utilization (percent, 100 per vCPU or GPU)',
    );
  });

  test('GIVEN failures and the dashboard turned off THEN only the topic and the endpoint alarms remain', () => {
    const { resource: r } = synth(
      small(
        { dashboard: false, alarms: { failures: false } },
        { endpoints: [{ name: 'scorer', model: { registry: { version: 1 } } }] },
      ),
    );
    expect(r.aws_cloudwatch_dashboard).toBeUndefined();
    expect(Object.keys(r.aws_cloudwatch_event_rule ?? {}).filter((k) => k.startsWith('monitoring'))).toEqual(
      [],
    );
    expect(r.aws_sns_topic.monitoring_alerts).toBeDefined();
  });
});
