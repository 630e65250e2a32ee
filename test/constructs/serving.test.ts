import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { PipelineStack } from '../../src/constructs/pipeline-stack';
import { leastPrivilegeProblems } from '../../src/constructs/iam/least-privilege';
import { compileData, MINIMAL } from '../harness/spec';
import { initValidatePlan } from '../harness/terraform';
import { testApp } from '../harness/cdktf-testing';

type Block = Record<string, unknown>;
type Resources = Record<string, Record<string, Block>>;
interface Synthesized {
  resource: Resources;
  data: Resources;
  variable?: Record<string, Block>;
  output: Record<string, { value: unknown }>;
  json: string;
}

const NETWORK = { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } };
const KEY = '${aws_kms_key.kms.arn}';
const MODELS = 'demo-123456789012-us-east-1-models';
const XGB = { framework: 'xgboost', version: '1.7-1' };

function synth(serving: object, extra: object = {}, file = 'pipeline.yaml'): Synthesized {
  const stack = new PipelineStack(
    testApp(),
    'demo',
    compileData({ ...MINIMAL, network: NETWORK, ...extra, serving }, file),
  );
  const json = Testing.synth(stack);
  const parsed = JSON.parse(json);
  return {
    resource: parsed.resource,
    data: parsed.data ?? {},
    variable: parsed.variable,
    output: parsed.output,
    json,
  };
}

const keys = (r: Resources, type: string, prefix = '') =>
  Object.keys(r[type] ?? {})
    .filter((k) => k.startsWith(prefix))
    .sort();
const statementsOf = (r: Resources, name: string) =>
  JSON.parse(r.aws_iam_role_policy[name].policy as string).Statement as {
    Sid: string;
    Action: string | string[];
    Resource: string | string[];
    Condition?: unknown;
  }[];

/** The A/B endpoint of the realtime-ab example, with a front door. */
const AB = {
  endpoints: [
    {
      name: 'scorer',
      variants: [
        {
          name: 'champion',
          model: { artifact: { key: 'scorer/champion.tar.gz' }, builtinImage: XGB },
          instanceType: 'ml.c6i.xlarge',
          instanceCount: 2,
          weight: 90,
          maxInstances: 6,
        },
        {
          name: 'challenger',
          model: { artifact: { key: 'scorer/challenger.tar.gz' }, builtinImage: XGB },
          instanceType: 'ml.c6i.xlarge',
          weight: 10,
        },
      ],
      deployment: { strategy: 'canary', size: 10, waitSeconds: 300, autoRollback: { maxLatencyP99Ms: 250 } },
      autoscaling: {
        targetInvocationsPerInstance: 300,
        schedules: [
          {
            name: 'business-hours',
            schedule: 'cron(0 7 ? * MON-FRI *)',
            minInstances: 2,
            variants: ['champion'],
          },
        ],
      },
      public: { throttleRateLimit: 50, throttleBurstLimit: 80 },
    },
  ],
};

describe('Serving', () => {
  describe('GIVEN an A/B realtime endpoint with a canary rollout, autoscaling and a public front door', () => {
    const { resource: r, output } = synth(AB, { security: { waf: {}, shield: true } });
    const endpoint = r.aws_sagemaker_endpoint.serving_scorer;
    const config = r.aws_sagemaker_endpoint_configuration.serving_scorer;

    test('THEN the endpoint deploys blue/green as a 10% canary, baked 5 minutes, with a time limit', () => {
      expect(endpoint.name).toBe('demo-scorer');
      expect(endpoint.endpoint_config_name).toBe(
        '${aws_sagemaker_endpoint_configuration.serving_scorer.name}',
      );
      expect((endpoint.deployment_config as Block).blue_green_update_policy).toEqual({
        traffic_routing_configuration: {
          type: 'CANARY',
          canary_size: { type: 'CAPACITY_PERCENT', value: 10 },
          wait_interval_in_seconds: 300,
        },
        termination_wait_in_seconds: 300,
        maximum_execution_timeout_in_seconds: 2 * 300 + 300 + 1800,
      });
    });

    test('THEN it rolls back on exactly the three alarms generated for it', () => {
      const alarms = keys(r, 'aws_cloudwatch_metric_alarm');
      expect(alarms).toEqual([
        'serving_scorer_client_errors',
        'serving_scorer_model_latency',
        'serving_scorer_server_errors',
      ]);
      const referenced = (
        (endpoint.deployment_config as Block).auto_rollback_configuration as {
          alarms: { alarm_name: string }[];
        }
      ).alarms
        .map((a) => a.alarm_name)
        .sort();
      expect(referenced).toEqual(alarms.map((a) => `\${aws_cloudwatch_metric_alarm.${a}.alarm_name}`));
    });

    test('THEN each alarm combines both production variants by EndpointName and VariantName', () => {
      const latency = r.aws_cloudwatch_metric_alarm.serving_scorer_model_latency;
      expect(latency).toMatchObject({
        alarm_name: 'demo-scorer-model-latency-p99',
        comparison_operator: 'GreaterThanThreshold',
        // 250 ms in ModelLatency's microseconds
        threshold: 250000,
        evaluation_periods: 3,
        datapoints_to_alarm: 2,
        treat_missing_data: 'notBreaching',
      });
      const queries = latency.metric_query as {
        id: string;
        expression?: string;
        metric?: Block;
        return_data: boolean;
      }[];
      expect(queries.map((q) => q.id)).toEqual(['v_challenger', 'v_champion', 'combined']);
      expect(queries[1].metric).toEqual({
        namespace: 'AWS/SageMaker',
        metric_name: 'ModelLatency',
        stat: 'p99',
        period: 60,
        dimensions: { EndpointName: 'demo-scorer', VariantName: 'champion' },
      });
      expect(queries[2]).toMatchObject({ expression: 'MAX([v_challenger, v_champion])', return_data: true });
      const errors = r.aws_cloudwatch_metric_alarm.serving_scorer_server_errors;
      expect(errors).toMatchObject({ alarm_name: 'demo-scorer-server-errors', threshold: 5 });
      const errorQueries = errors.metric_query as { expression?: string; metric?: Block }[];
      expect(errorQueries[0].metric).toMatchObject({ metric_name: 'Invocation5XXErrors', stat: 'Sum' });
      expect(errorQueries[2].expression).toBe('SUM([v_challenger, v_champion])');
      expect(r.aws_cloudwatch_metric_alarm.serving_scorer_client_errors).toMatchObject({ threshold: 50 });
    });

    test('THEN the configuration splits traffic 90/10, is encrypted, and is replaced before it is destroyed', () => {
      expect(config.production_variants).toEqual([
        {
          variant_name: 'challenger',
          model_name: '${aws_sagemaker_model.serving_scorer_challenger.name}',
          instance_type: 'ml.c6i.xlarge',
          initial_instance_count: 1,
          initial_variant_weight: 10,
        },
        {
          variant_name: 'champion',
          model_name: '${aws_sagemaker_model.serving_scorer_champion.name}',
          instance_type: 'ml.c6i.xlarge',
          initial_instance_count: 2,
          initial_variant_weight: 90,
        },
      ]);
      expect(config).toMatchObject({
        kms_key_arn: KEY,
        name_prefix: 'demo-scorer-',
        lifecycle: { create_before_destroy: true },
      });
    });

    test('THEN data capture writes 20% of inputs and outputs to the models bucket, encrypted', () => {
      expect(config.data_capture_config).toEqual({
        enable_capture: true,
        initial_sampling_percentage: 20,
        destination_s3_uri: 's3://${aws_s3_bucket.lake_models.bucket}/demo/data-capture/scorer/',
        kms_key_id: KEY,
        capture_options: [{ capture_mode: 'Input' }, { capture_mode: 'Output' }],
      });
    });

    test('THEN each variant scales on invocations per instance between its bounds; schedules where named', () => {
      expect(r.aws_appautoscaling_target.serving_scorer_champion).toEqual({
        service_namespace: 'sagemaker',
        resource_id: 'endpoint/${aws_sagemaker_endpoint.serving_scorer.name}/variant/champion',
        scalable_dimension: 'sagemaker:variant:DesiredInstanceCount',
        min_capacity: 2,
        max_capacity: 6,
      });
      expect(r.aws_appautoscaling_target.serving_scorer_challenger).toMatchObject({
        min_capacity: 1,
        max_capacity: 2,
      });
      expect(r.aws_appautoscaling_policy.serving_scorer_champion).toMatchObject({
        name: 'demo-scorer-champion-target-tracking',
        policy_type: 'TargetTrackingScaling',
        resource_id: '${aws_appautoscaling_target.serving_scorer_champion.resource_id}',
        target_tracking_scaling_policy_configuration: {
          target_value: 300,
          scale_in_cooldown: 300,
          scale_out_cooldown: 60,
          predefined_metric_specification: {
            predefined_metric_type: 'SageMakerVariantInvocationsPerInstance',
          },
        },
      });
      expect(keys(r, 'aws_appautoscaling_scheduled_action')).toEqual([
        'serving_scorer_champion_business_hours',
      ]);
      expect(r.aws_appautoscaling_scheduled_action.serving_scorer_champion_business_hours).toMatchObject({
        schedule: 'cron(0 7 ? * MON-FRI *)',
        timezone: 'UTC',
        scalable_target_action: { min_capacity: '2' },
      });
    });

    test('THEN the front door is a regional REST API calling InvokeEndpoint with SigV4 callers only', () => {
      expect(r.aws_api_gateway_rest_api.serving_scorer_front_door).toMatchObject({
        name: 'demo-scorer',
        endpoint_configuration: { types: ['REGIONAL'] },
      });
      expect(r.aws_api_gateway_method.serving_scorer_front_door).toMatchObject({
        http_method: 'POST',
        authorization: 'AWS_IAM',
      });
      expect(r.aws_api_gateway_integration.serving_scorer_front_door).toMatchObject({
        type: 'AWS',
        integration_http_method: 'POST',
        uri: 'arn:aws:apigateway:us-east-1:runtime.sagemaker:path//endpoints/${aws_sagemaker_endpoint.serving_scorer.name}/invocations',
        credentials: '${aws_iam_role.serving_scorer_front_door.arn}',
      });
      // API Gateway sends no aws:SourceAccount when it assumes integration credentials.
      expect(
        JSON.parse(r.aws_iam_role.serving_scorer_front_door.assume_role_policy as string).Statement,
      ).toEqual([
        {
          Sid: 'AssumedByService',
          Effect: 'Allow',
          Principal: { Service: ['apigateway.amazonaws.com'] },
          Action: 'sts:AssumeRole',
        },
      ]);
      expect(statementsOf(r, 'serving_scorer_front_door')).toEqual([
        {
          Sid: 'InvokeThisEndpoint',
          Effect: 'Allow',
          Action: 'sagemaker:InvokeEndpoint',
          Resource: 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/demo-scorer',
        },
      ]);
    });

    test('THEN the stage is throttled, traced and access-logged to an encrypted log group', () => {
      const stage = r.aws_api_gateway_stage.serving_scorer_front_door;
      expect(stage).toMatchObject({ stage_name: 'v1', xray_tracing_enabled: true });
      const logs = stage.access_log_settings as { destination_arn: string; format: string };
      expect(logs.destination_arn).toBe('${aws_cloudwatch_log_group.serving_scorer_front_door.arn}');
      expect(JSON.parse(logs.format)).toMatchObject({
        requestId: '$context.requestId',
        status: '$context.status',
      });
      expect(r.aws_cloudwatch_log_group.serving_scorer_front_door).toMatchObject({
        name: '/pipeform/demo/api-gateway/scorer',
        kms_key_id: KEY,
        retention_in_days: 365,
      });
      expect(r.aws_api_gateway_method_settings.serving_scorer_front_door).toMatchObject({
        method_path: '*/*',
        settings: {
          throttling_rate_limit: 50,
          throttling_burst_limit: 80,
          metrics_enabled: true,
          logging_level: 'OFF',
          data_trace_enabled: false,
        },
      });
    });

    test('THEN the web ACL is associated with the stage, and Shield protects it', () => {
      expect(r.aws_wafv2_web_acl_association.waf_scorer).toEqual({
        resource_arn: '${aws_api_gateway_stage.serving_scorer_front_door.arn}',
        web_acl_arn: '${aws_wafv2_web_acl.waf.arn}',
      });
      expect(r.aws_shield_protection.waf_scorer).toMatchObject({
        resource_arn: '${aws_api_gateway_stage.serving_scorer_front_door.arn}',
      });
    });

    test('THEN outputs name the endpoint and its front door URL', () => {
      expect(output.endpoint_names.value).toEqual({ scorer: 'demo-scorer' });
      expect(output.front_door_urls.value).toEqual({
        scorer: '${aws_api_gateway_stage.serving_scorer_front_door.invoke_url}/invocations',
      });
    });

    test('THEN the execution role reads the models bucket, writes data capture only, and logs to its own group', () => {
      const statements = statementsOf(r, 'serving_scorer');
      expect(leastPrivilegeProblems(statements as never)).toEqual([]);
      const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
      expect(bySid.ReadModelArtifacts.Resource).toEqual([
        `arn:aws:s3:::${MODELS}/scorer/challenger.tar.gz`,
        `arn:aws:s3:::${MODELS}/scorer/champion.tar.gz`,
      ]);
      expect(bySid.WriteDataCapture).toMatchObject({
        Action: 's3:PutObject',
        Resource: `arn:aws:s3:::${MODELS}/demo/data-capture/scorer/*`,
      });
      expect(bySid.WriteContainerLogs.Resource).toEqual([
        '${aws_cloudwatch_log_group.serving_scorer.arn}',
        '${aws_cloudwatch_log_group.serving_scorer.arn}:*',
      ]);
      expect(bySid.GrantKeyToVolumes.Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': true } });
      expect(r.aws_cloudwatch_log_group.serving_scorer).toMatchObject({
        name: '/aws/sagemaker/Endpoints/demo-scorer',
        kms_key_id: KEY,
      });
      expect(r.aws_sagemaker_endpoint.serving_scorer.depends_on).toEqual([
        'aws_iam_role_policy.serving_scorer',
      ]);
    });
  });

  describe('GIVEN a serverless endpoint', () => {
    const { resource: r, data } = synth({
      endpoints: [
        {
          name: 'lite',
          type: 'serverless',
          model: { artifact: { key: 'lite/model.tar.gz' }, builtinImage: XGB },
        },
      ],
    });

    test('THEN a serverless variant with the key, no data capture and no autoscaling', () => {
      const config = r.aws_sagemaker_endpoint_configuration.serving_lite;
      expect(config.production_variants).toEqual([
        {
          variant_name: 'primary',
          model_name: '${aws_sagemaker_model.serving_lite_primary.name}',
          initial_variant_weight: 1,
          serverless_config: { memory_size_in_mb: 2048, max_concurrency: 20 },
        },
      ]);
      expect(config.kms_key_arn).toBe(KEY);
      expect(config.data_capture_config).toBeUndefined();
      expect(r.aws_appautoscaling_target).toBeUndefined();
    });

    test('THEN its model runs outside the VPC (serverless has none) on the built-in image', () => {
      const model = r.aws_sagemaker_model.serving_lite_primary;
      expect(model.vpc_config).toBeUndefined();
      expect(model.enable_network_isolation).toBe(false);
      expect(model.primary_container).toEqual({
        image: '${data.aws_sagemaker_prebuilt_ecr_image.serving_lite_primary.registry_path}',
        model_data_url: 's3://${aws_s3_bucket.lake_models.bucket}/lite/model.tar.gz',
      });
      expect(data.aws_sagemaker_prebuilt_ecr_image.serving_lite_primary).toEqual({
        repository_name: 'sagemaker-xgboost',
        image_tag: '1.7-1',
      });
      const statements = statementsOf(r, 'serving_lite');
      expect(statements.map((s) => s.Sid)).not.toContain('ManageEndpointInterfaces');
      expect(statements.find((s) => s.Sid === 'ReadModelArtifacts')?.Resource).toEqual([
        `arn:aws:s3:::${MODELS}/lite/model.tar.gz`,
      ]);
    });
  });

  describe('GIVEN a model archive as artifact.file', () => {
    /** A spec folder holding models/lite.tar.gz with `bytes`; returns the spec file's path. */
    const specDir = (bytes: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'pipeform-archive-'));
      mkdirSync(join(dir, 'models'));
      writeFileSync(join(dir, 'models', 'lite.tar.gz'), bytes);
      return join(dir, 'pipeline.yaml');
    };
    const lite = (file: string) => ({
      endpoints: [{ name: 'lite', type: 'serverless', model: { artifact: { file }, builtinImage: XGB } }],
    });
    const sha = (bytes: string) => createHash('sha256').update(bytes).digest('hex');
    const UPLOAD = 'aws_s3_object.assets_serving_lite_primary';
    const v1 = synth(lite('models/lite.tar.gz'), {}, specDir('archive v1'));
    const v2 = synth(lite('models/lite.tar.gz'), {}, specDir('archive v2'));

    test('THEN the apply uploads it, encrypted with the pipeline key, at a key holding its content hash', () => {
      expect(v1.resource.aws_s3_object.assets_serving_lite_primary).toEqual({
        bucket: '${aws_s3_bucket.lake_models.id}',
        key: `demo/assets/${sha('archive v1').slice(0, 32)}/lite-primary-lite.tar.gz`,
        source: '${path.module}/assets/serving-lite-primary-lite-primary-lite.tar.gz',
        source_hash: sha('archive v1'),
        server_side_encryption: 'aws:kms',
        kms_key_id: KEY,
        bucket_key_enabled: true,
        lifecycle: { create_before_destroy: true },
      });
    });

    test('THEN the model reads the upload by its own key (so it is created after it)', () => {
      expect(v1.resource.aws_sagemaker_model.serving_lite_primary.primary_container).toMatchObject({
        model_data_url: `s3://\${aws_s3_bucket.lake_models.bucket}/\${${UPLOAD}.key}`,
      });
    });

    test('THEN the execution role reads exactly that object', () => {
      const bySid = Object.fromEntries(statementsOf(v1.resource, 'serving_lite').map((x) => [x.Sid, x]));
      expect(bySid.ReadModelArtifacts.Resource).toEqual([
        `arn:aws:s3:::\${aws_s3_bucket.lake_models.bucket}/\${${UPLOAD}.key}`,
      ]);
      expect(bySid.LocateBuckets.Resource).toEqual([`arn:aws:s3:::${MODELS}`]);
    });

    test('THEN a changed archive is a new object and a new model, each created first, and the endpoint moves to it', () => {
      const model = (s: Synthesized) => s.resource.aws_sagemaker_model.serving_lite_primary;
      const key = (s: Synthesized) => s.resource.aws_s3_object.assets_serving_lite_primary.key;
      expect(key(v2)).not.toBe(key(v1));
      expect(model(v1).name).toMatch(/^demo-lite-primary-[0-9a-f]{8}$/);
      expect(model(v2).name).toMatch(/^demo-lite-primary-[0-9a-f]{8}$/);
      expect(model(v2).name).not.toBe(model(v1).name);
      expect(model(v2).lifecycle).toEqual({ create_before_destroy: true });
      // The configuration names the model by reference and is replaced (new name) before it is
      // destroyed; the endpoint names the configuration: a new model is a blue/green deployment.
      const config = v2.resource.aws_sagemaker_endpoint_configuration.serving_lite;
      expect(config).toMatchObject({
        name_prefix: 'demo-lite-',
        lifecycle: { create_before_destroy: true },
        production_variants: [
          expect.objectContaining({ model_name: '${aws_sagemaker_model.serving_lite_primary.name}' }),
        ],
      });
      expect(v2.resource.aws_sagemaker_endpoint.serving_lite.endpoint_config_name).toBe(
        '${aws_sagemaker_endpoint_configuration.serving_lite.name}',
      );
    });

    test('THEN the same archive in another folder gives the same bytes', () => {
      expect(synth(lite('models/lite.tar.gz'), {}, specDir('archive v1')).json).toBe(v1.json);
    });

    test('THEN an archive in a bucket of your own is read where it is, and only that object', () => {
      const { resource: r } = synth(lite('s3://acme-models/lite/model.tar.gz'));
      expect(r.aws_s3_object).toBeUndefined();
      expect(r.aws_sagemaker_model.serving_lite_primary.primary_container).toMatchObject({
        model_data_url: 's3://acme-models/lite/model.tar.gz',
      });
      const bySid = Object.fromEntries(statementsOf(r, 'serving_lite').map((x) => [x.Sid, x]));
      expect(bySid.ReadModelArtifacts.Resource).toEqual(['arn:aws:s3:::acme-models/lite/model.tar.gz']);
      expect(bySid.LocateBuckets.Resource).toEqual(['arn:aws:s3:::acme-models']);
    });

    test('GIVEN a registry endpoint with a file challenger THEN the deploy, the tokens and Terraform follow the archive', () => {
      const mixed = (specFile: string) =>
        JSON.parse(
          synth(
            {
              endpoints: [
                {
                  name: 'scorer',
                  variants: [
                    { name: 'champion', model: { registry: { version: 'latest-approved' } } },
                    {
                      name: 'challenger',
                      model: { artifact: { file: 'models/lite.tar.gz' }, builtinImage: XGB },
                    },
                  ],
                },
              ],
            },
            {},
            specFile,
          ).json,
        ) as { resource: Resources; locals: Record<string, Record<string, string>> };
      const a = mixed(specDir('archive v1'));
      const b = mixed(specDir('archive v2'));
      const name = (c: typeof a) => c.resource.aws_sagemaker_model.serving_scorer_challenger.name as string;
      expect(name(b)).not.toBe(name(a));
      // The serving deploy puts the artifact model into the configurations it creates by that name.
      expect(a.resource.aws_sfn_state_machine.serving_deploy.definition).toContain(`"${name(a)}"`);
      expect(a.locals.serving_scorer_tokens.champion).toBe(b.locals.serving_scorer_tokens.champion);
      expect(a.locals.serving_scorer_tokens.challenger).not.toBe(b.locals.serving_scorer_tokens.challenger);
    });
  });

  describe('GIVEN a multi-model endpoint on an own ECR image', () => {
    const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/tenants:1.0';
    const { resource: r } = synth({
      endpoints: [{ name: 'tenants', type: 'multi-model', model: { artifact: { key: 'tenants/' }, image } }],
    });

    test('THEN one MultiModel container over the prefix; the role reads and lists only that prefix', () => {
      expect(r.aws_sagemaker_model.serving_tenants_primary.primary_container).toEqual({
        image,
        mode: 'MultiModel',
        model_data_url: 's3://${aws_s3_bucket.lake_models.bucket}/tenants/',
      });
      const bySid = Object.fromEntries(statementsOf(r, 'serving_tenants').map((s) => [s.Sid, s]));
      expect(bySid.ReadModelArtifacts.Resource).toEqual([`arn:aws:s3:::${MODELS}/tenants/*`]);
      expect(bySid.ListMultiModelPrefix).toMatchObject({
        Resource: `arn:aws:s3:::${MODELS}`,
        Condition: { StringLike: { 's3:prefix': ['tenants/*'] } },
      });
      expect(bySid.PullModelImages.Resource).toEqual([
        'arn:aws:ecr:us-east-1:123456789012:repository/tenants',
      ]);
    });
  });

  describe('GIVEN an async endpoint', () => {
    const { resource: r } = synth({
      endpoints: [
        {
          name: 'batch',
          type: 'async',
          model: { artifact: { key: 'batch/model.tar.gz' }, builtinImage: XGB },
          async: { maxConcurrentInvocationsPerInstance: 4 },
        },
      ],
    });

    test('THEN results and failures go to the data lake, encrypted, and SNS (encrypted) reports them', () => {
      expect(r.aws_sagemaker_endpoint_configuration.serving_batch.async_inference_config).toEqual({
        output_config: {
          s3_output_path: 's3://${aws_s3_bucket.lake_models.bucket}/demo/async/batch/output/',
          s3_failure_path: 's3://${aws_s3_bucket.lake_models.bucket}/demo/async/batch/failures/',
          kms_key_id: KEY,
          notification_config: {
            success_topic: '${aws_sns_topic.serving_batch_success.arn}',
            error_topic: '${aws_sns_topic.serving_batch_error.arn}',
          },
        },
        client_config: { max_concurrent_invocations_per_instance: 4 },
      });
      expect(r.aws_sns_topic.serving_batch_success).toEqual({
        name: 'demo-batch-success',
        kms_master_key_id: KEY,
      });
      const bySid = Object.fromEntries(statementsOf(r, 'serving_batch').map((s) => [s.Sid, s]));
      expect(bySid.ReadAsyncInputs.Resource).toBe(`arn:aws:s3:::${MODELS}/demo/async/batch/input/*`);
      expect(bySid.NotifyAsyncResults.Resource).toEqual([
        '${aws_sns_topic.serving_batch_error.arn}',
        '${aws_sns_topic.serving_batch_success.arn}',
      ]);
    });

    test('THEN it scales on the queue backlog per instance (async endpoints publish no invocation metrics)', () => {
      expect(
        (
          r.aws_appautoscaling_policy.serving_batch_primary
            .target_tracking_scaling_policy_configuration as Block
        ).customized_metric_specification,
      ).toEqual({
        namespace: 'AWS/SageMaker',
        metric_name: 'ApproximateBacklogSizePerInstance',
        statistic: 'Average',
        dimensions: [{ name: 'EndpointName', value: 'demo-batch' }],
      });
    });
  });

  describe('GIVEN an async endpoint that scales to zero', () => {
    const { resource: r } = synth({
      endpoints: [
        {
          name: 'batch',
          type: 'async',
          model: { artifact: { key: 'batch/model.tar.gz' }, builtinImage: XGB },
          variants: [{ name: 'primary', instanceType: 'ml.m5.large', minInstances: 0, maxInstances: 3 }],
        },
      ],
    });

    test('THEN the target goes down to 0, backlog tracking stays, and an alarm on HasBacklogWithoutCapacity steps out from zero', () => {
      expect(r.aws_appautoscaling_target.serving_batch_primary).toMatchObject({
        min_capacity: 0,
        max_capacity: 3,
      });
      expect(r.aws_appautoscaling_policy.serving_batch_primary.policy_type).toBe('TargetTrackingScaling');
      const policies = Object.values(r.aws_appautoscaling_policy as Block) as Block[];
      const step = policies.find((p) => p.policy_type === 'StepScaling') as Block;
      expect(step).toMatchObject({
        name: 'demo-batch-primary-scale-out-from-zero',
        step_scaling_policy_configuration: {
          adjustment_type: 'ChangeInCapacity',
          metric_aggregation_type: 'Average',
          step_adjustment: [{ metric_interval_lower_bound: '0', scaling_adjustment: 1 }],
        },
      });
      const alarms = Object.values(r.aws_cloudwatch_metric_alarm as Block) as Block[];
      const alarm = alarms.find((a) => a.metric_name === 'HasBacklogWithoutCapacity') as Block;
      expect(alarm).toMatchObject({
        alarm_name: 'demo-batch-primary-backlog-without-capacity',
        namespace: 'AWS/SageMaker',
        dimensions: { EndpointName: 'demo-batch' },
        threshold: 1,
        comparison_operator: 'GreaterThanOrEqualToThreshold',
        treat_missing_data: 'missing',
      });
      expect(alarm.alarm_actions).toEqual([
        '${aws_appautoscaling_policy.serving_batch_primary_scale_out_from_zero.arn}',
      ]);
      expect(r.aws_cloudwatch_metric_alarm.serving_batch_primary_backlog_without_capacity).toBe(alarm);
    });
  });

  test('GIVEN an async endpoint that keeps an instance THEN no scale-out-from-zero policy or alarm', () => {
    const { resource: r } = synth({
      endpoints: [
        {
          name: 'batch',
          type: 'async',
          model: { artifact: { key: 'batch/model.tar.gz' }, builtinImage: XGB },
        },
      ],
    });
    const policies = Object.values(r.aws_appautoscaling_policy as Block) as Block[];
    expect(policies.map((p) => p.policy_type)).toEqual(['TargetTrackingScaling']);
  });

  describe('GIVEN a GPU endpoint with a shadow variant, auto-rollback off and a linear rollout in instances', () => {
    const { resource: r } = synth({
      endpoints: [
        {
          name: 'vision',
          model: {
            artifact: { key: 'vision/2.tar.gz' },
            builtinImage: { framework: 'pytorch', version: '2.3' },
          },
          variants: [{ name: 'primary', instanceType: 'ml.g5.xlarge', instanceCount: 4 }],
          shadow: {
            name: 'next',
            model: {
              artifact: { key: 'vision/3.tar.gz' },
              builtinImage: { framework: 'pytorch', version: '2.3' },
            },
            instanceType: 'ml.g5.xlarge',
            samplingPercent: 50,
          },
          deployment: {
            strategy: 'linear',
            size: 1,
            sizeUnit: 'instances',
            autoRollback: { enabled: false },
          },
          dataCapture: { enabled: false },
          autoscaling: { enabled: false },
        },
      ],
    });
    const config = r.aws_sagemaker_endpoint_configuration.serving_vision;

    test('THEN the configuration takes no key: SageMaker refuses one with local NVMe volumes', () => {
      expect(config.kms_key_arn).toBeUndefined();
    });

    test('THEN the shadow gets half of the production weight', () => {
      expect(config.shadow_production_variants).toEqual([
        {
          variant_name: 'next',
          model_name: '${aws_sagemaker_model.serving_vision_next.name}',
          instance_type: 'ml.g5.xlarge',
          initial_instance_count: 1,
          initial_variant_weight: 0.5,
        },
      ]);
    });

    test('THEN no alarms, no rollback, no capture, no scaling; linear steps of one instance', () => {
      expect(r.aws_cloudwatch_metric_alarm).toBeUndefined();
      expect(r.aws_appautoscaling_target).toBeUndefined();
      expect(config.data_capture_config).toBeUndefined();
      const deployment = r.aws_sagemaker_endpoint.serving_vision.deployment_config as Block;
      expect(deployment.auto_rollback_configuration).toBeUndefined();
      expect((deployment.blue_green_update_policy as Block).traffic_routing_configuration).toEqual({
        type: 'LINEAR',
        linear_step_size: { type: 'INSTANCE_COUNT', value: 1 },
        wait_interval_in_seconds: 600,
      });
    });
  });

  describe('GIVEN an edge fleet on Greengrass with a model', () => {
    const { resource: r } = synth({
      edge: {
        name: 'cameras',
        models: [{ name: 'stock-out', version: '1.2.0', artifact: { key: 'stock-out/model.tar.gz' } }],
      },
    });
    const ARN = 'arn:aws:iot:us-east-1:123456789012';
    const iotPolicy = (name: string) =>
      JSON.parse(r.aws_iot_policy[name].policy as string) as { Statement: Stmt[] };
    const device = iotPolicy('serving_edge_device');
    const claim = iotPolicy('serving_edge_claim');
    /** What `thing` may do over a connection whose certificate is attached to it. */
    const asThing = (thing: string) => (action: string, resource: string) =>
      iotAllows(device, action, resource, {
        'iot:Connection.Thing.ThingName': thing,
        'iot:Connection.Thing.IsAttached': 'true',
      });

    test('THEN the device policy lets a device of the fleet act only as itself', () => {
      const me = asThing('demo-cameras-0001');
      expect(me('iot:Connect', `${ARN}:client/demo-cameras-0001`)).toBe(true);
      expect(me('iot:Connect', `${ARN}:client/demo-cameras-0002`)).toBe(false);
      expect(me('iot:Publish', `${ARN}:topic/demo-cameras/demo-cameras-0001/telemetry`)).toBe(true);
      expect(me('iot:Publish', `${ARN}:topic/demo-cameras/demo-cameras-0002/telemetry`)).toBe(false);
      expect(me('iot:Subscribe', `${ARN}:topicfilter/$aws/things/demo-cameras-0001/jobs/notify`)).toBe(true);
      expect(me('iot:Subscribe', `${ARN}:topicfilter/$aws/things/demo-cameras-0002/jobs/notify`)).toBe(false);
      expect(me('iot:Publish', `${ARN}:topic/$aws/provisioning-templates/demo-cameras/provision/json`)).toBe(
        false,
      );
      expect(me('iot:UpdateThingShadow', `${ARN}:thing/demo-cameras-0002`)).toBe(false);
      // A thing outside the fleet cannot connect, even under its own name.
      expect(asThing('other-1')('iot:Connect', `${ARN}:client/other-1`)).toBe(false);
      expect(me('iot:AssumeRoleWithCertificate', '${aws_iot_role_alias.serving_edge.arn}')).toBe(true);
      expect(
        me(
          'greengrass:GetComponentVersionArtifact',
          'arn:aws:greengrass:us-east-1:123456789012:components:other.Model:versions:1.0.0',
        ),
      ).toBe(false);
      expect(
        me(
          'greengrass:GetComponentVersionArtifact',
          'arn:aws:greengrass:us-east-1:123456789012:components:demo.cameras.stock-out:versions:1.2.0',
        ),
      ).toBe(true);
    });

    test('THEN the claim certificate can only provision, through this template', () => {
      const c = (action: string, resource: string) => iotAllows(claim, action, resource, {});
      expect(c('iot:Connect', `${ARN}:client/demo-cameras-0001`)).toBe(true);
      expect(c('iot:Publish', `${ARN}:topic/$aws/certificates/create/json`)).toBe(true);
      expect(c('iot:Publish', `${ARN}:topic/$aws/provisioning-templates/demo-cameras/provision/json`)).toBe(
        true,
      );
      expect(c('iot:Publish', `${ARN}:topic/$aws/provisioning-templates/other/provision/json`)).toBe(false);
      expect(c('iot:Publish', `${ARN}:topic/demo-cameras/demo-cameras-0001/telemetry`)).toBe(false);
      expect(c('iot:AssumeRoleWithCertificate', '${aws_iot_role_alias.serving_edge.arn}')).toBe(false);
      expect(c('iot:Connect', `${ARN}:client/anything`)).toBe(false);
    });

    test('THEN the token exchange role reads only the edge models prefix and is behind the role alias', () => {
      const trust = JSON.parse(r.aws_iam_role.serving_edge.assume_role_policy as string).Statement[0];
      expect(trust.Principal.Service).toEqual(['credentials.iot.amazonaws.com']);
      const st = statementsOf(r, 'serving_edge');
      const s3 = st.filter((s) => ([] as string[]).concat(s.Action).some((a) => a.startsWith('s3:')));
      expect(s3.flatMap((s) => ([] as string[]).concat(s.Action)).sort()).toEqual([
        's3:GetBucketLocation',
        's3:GetObject',
      ]);
      expect(s3.find((s) => s.Action === 's3:GetObject')?.Resource).toBe(
        `arn:aws:s3:::${MODELS}/demo/edge/models/*`,
      );
      expect(
        st.some((s) =>
          ([] as string[]).concat(s.Action).some((a) => /Put|Delete/.test(a) && a.startsWith('s3:')),
        ),
      ).toBe(false);
      expect(r.aws_iot_role_alias.serving_edge).toEqual({
        alias: 'demo-cameras-edge',
        role_arn: '${aws_iam_role.serving_edge.arn}',
        credential_duration: 3600,
      });
    });

    test('THEN provisioning registers only things of the fleet into its group with the device policy', () => {
      const t = r.aws_iot_provisioning_template.serving_edge_provisioning;
      expect(t).toMatchObject({ name: 'demo-cameras', type: 'FLEET_PROVISIONING', enabled: true });
      const body = JSON.parse(t.template_body as string);
      expect(body.Resources.thing.Properties).toEqual({
        ThingName: { 'Fn::Join': ['', ['demo-cameras-', { Ref: 'SerialNumber' }]] },
        ThingGroups: ['demo-cameras'],
      });
      expect(body.Resources.policy.Properties.PolicyName).toBe('demo-cameras-device');
      const bySid = Object.fromEntries(statementsOf(r, 'serving_edge_provisioning').map((s) => [s.Sid, s]));
      expect(bySid.RegisterFleetThings.Resource).toBe(`${ARN}:thing/demo-cameras-*`);
      expect(bySid.ReadDevicePolicy.Resource).toBe(`${ARN}:policy/demo-cameras-device`);
    });

    test('THEN the model is a component version deployed to the thing group, rolling back on failure', () => {
      const stack = r.aws_cloudformation_stack.serving_edge;
      expect(stack.name).toBe('demo-cameras-edge-models');
      const tpl = JSON.parse(stack.template_body as string);
      const recipe = JSON.parse(tpl.Resources.ModelstockZout.Properties.InlineRecipe);
      expect(recipe).toMatchObject({
        ComponentName: 'demo.cameras.stock-out',
        ComponentVersion: '1.2.0',
        ComponentDependencies: { 'variant.DLR': { VersionRequirement: '~1.6.0', DependencyType: 'HARD' } },
      });
      expect(recipe.Manifests[0].Artifacts).toEqual([
        { URI: `s3://${MODELS}/demo/edge/models/stock-out/model.tar.gz`, Unarchive: 'NONE' },
      ]);
      expect(tpl.Resources.Deployment.Properties).toMatchObject({
        TargetArn: '${aws_iot_thing_group.serving_edge.arn}',
        Components: { 'demo.cameras.stock-out': { ComponentVersion: '1.2.0' } },
        DeploymentPolicies: { FailureHandlingPolicy: 'ROLLBACK' },
      });
      expect(tpl.Resources.Deployment.DependsOn).toEqual(['ModelstockZout']);
      // CloudFormation acts with its own role: only the fleet's components, group and things.
      expect(stack.iam_role_arn).toBe('${aws_iam_role.serving_edge_models.arn}');
      expect(stack.depends_on).toEqual(['aws_iam_role_policy.serving_edge_models']);
      const bySid = Object.fromEntries(statementsOf(r, 'serving_edge_models').map((s) => [s.Sid, s]));
      expect(bySid.FleetComponents.Resource).toBe(
        'arn:aws:greengrass:us-east-1:123456789012:components:demo.cameras.*',
      );
      expect(bySid.ReadEdgeModels.Resource).toBe(`arn:aws:s3:::${MODELS}/demo/edge/models/*`);
      expect(bySid.FleetThings.Resource).toBe(`${ARN}:thing/demo-cameras-*`);
    });

    test('THEN telemetry lands under its own prefix, and failures in an encrypted log group', () => {
      const rule = r.aws_iot_topic_rule.serving_edge_telemetry;
      expect(rule.sql).toBe(
        "SELECT *, topic(2) AS thing, timestamp() AS received FROM 'demo-cameras/+/telemetry'",
      );
      expect((rule.s3 as Block[])[0].key).toBe(
        'demo/edge/telemetry/$${topic(2)}/$${timestamp()}-$${newuuid()}.json',
      );
      expect(r.aws_cloudwatch_log_group.serving_edge_telemetry.kms_key_id).toBe(KEY);
      const bySid = Object.fromEntries(statementsOf(r, 'serving_edge_telemetry').map((s) => [s.Sid, s]));
      expect(bySid.WriteTelemetry.Resource).toBe(`arn:aws:s3:::${MODELS}/demo/edge/telemetry/*`);
      expect(r.aws_sagemaker_device_fleet).toBeUndefined();
    });
  });

  test('GIVEN an edge fleet without models or telemetry THEN there is no stack and no rule', () => {
    const { resource: r } = synth({ edge: { telemetry: false } });
    expect(r.aws_iot_thing_group.serving_edge.name).toBe('demo-devices');
    expect(r.aws_cloudformation_stack).toBeUndefined();
    expect(r.aws_iot_topic_rule).toBeUndefined();
  });

  describe('GIVEN the A/B endpoint serving a pinned champion and a latest-approved challenger from the registry', () => {
    const registry = {
      endpoints: [
        {
          ...AB.endpoints[0],
          variants: [
            { ...AB.endpoints[0].variants[0], model: { registry: { version: 3 } } },
            { ...AB.endpoints[0].variants[1], model: { registry: { version: 'latest-approved' } } },
          ],
        },
      ],
    };
    const s = synth(registry, { security: { waf: {}, shield: true } });
    const parsed = JSON.parse(s.json);
    const r = s.resource;

    test('THEN every resource that needs a version exists only once the ledger has the endpoint', () => {
      for (const [type, name] of [
        ['aws_sagemaker_model', 'serving_scorer_champion'],
        ['aws_sagemaker_model', 'serving_scorer_challenger'],
        ['aws_sagemaker_endpoint_configuration', 'serving_scorer'],
        ['aws_sagemaker_endpoint', 'serving_scorer'],
        ['aws_appautoscaling_target', 'serving_scorer_champion'],
        ['aws_appautoscaling_policy', 'serving_scorer_champion'],
        ['aws_appautoscaling_scheduled_action', 'serving_scorer_champion_business_hours'],
      ]) {
        expect(String(r[type][name].for_each)).toMatch(/local\.serving_scorer_(deployed|versions)/);
      }
      expect(s.variable).toBeUndefined();
      expect(parsed.data.aws_ssm_parameters_by_path.serving).toEqual({
        path: '/pipeform/demo/serving',
        recursive: false,
      });
      expect(parsed.locals.serving_scorer_deployed).toBe('${contains(keys(local.serving_ledger), "scorer")}');
    });

    test('THEN models carry their version at the end of a static prefix, from the ledger', () => {
      const champion = r.aws_sagemaker_model.serving_scorer_champion;
      expect(champion.name).toMatch(
        /^\$\{format\("%s-v%d", "demo-scorer-champion-[0-9a-f]{8}", each\.value\)\}$/,
      );
      expect(champion.primary_container).toEqual({
        model_package_name:
          '${format("%s%d", "arn:aws:sagemaker:us-east-1:123456789012:model-package/demo-models/", each.value)}',
      });
    });

    test('THEN the endpoint, its configuration, models and scaling are adopted by import blocks', () => {
      const to = (parsed.import as { to: string }[]).map((i) => i.to).sort();
      expect(to).toEqual([
        'aws_appautoscaling_policy.serving_scorer_challenger[each.key]',
        'aws_appautoscaling_policy.serving_scorer_champion[each.key]',
        'aws_appautoscaling_target.serving_scorer_challenger[each.key]',
        'aws_appautoscaling_target.serving_scorer_champion[each.key]',
        'aws_sagemaker_endpoint.serving_scorer[each.key]',
        'aws_sagemaker_endpoint_configuration.serving_scorer[each.key]',
        'aws_sagemaker_model.serving_scorer_challenger[each.key]',
        'aws_sagemaker_model.serving_scorer_champion[each.key]',
      ]);
      expect(parsed.terraform.required_version).toBe('>= 1.7.0');
    });

    test('THEN the front door, alarms and outputs exist from day 0, by the endpoint name', () => {
      expect(r.aws_api_gateway_integration.serving_scorer_front_door.uri).toContain(
        '/endpoints/demo-scorer/invocations',
      );
      // Three alarms of the endpoint, by its name, and the serving deploy's failure alarm.
      expect(keys(r, 'aws_cloudwatch_metric_alarm')).toEqual([
        'serving_deploy_failed',
        'serving_scorer_client_errors',
        'serving_scorer_model_latency',
        'serving_scorer_server_errors',
      ]);
      expect(s.output.endpoint_names.value).toEqual({ scorer: 'demo-scorer' });
      expect(s.output.serving_status.value).toEqual({
        scorer:
          '${local.serving_scorer_deployed ? format("serving %s", local.serving_scorer_config) : "waiting for version 3 of demo-models to exist and be approved"}',
      });
    });

    test('THEN the serving deploy may deploy only this endpoint, pass only its role, and write only its ledger', () => {
      const statements = statementsOf(r, 'serving_deploy');
      expect(leastPrivilegeProblems(statements as never)).toEqual([]);
      const bySid = Object.fromEntries(statements.map((x) => [x.Sid, x]));
      const sm = 'arn:aws:sagemaker:us-east-1:123456789012';
      expect(bySid.DeployEndpoints.Resource).toEqual([
        `${sm}:endpoint/demo-scorer`,
        `${sm}:endpoint-config/demo-scorer-*`,
      ]);
      expect(bySid.ManageEndpointModels.Resource).toEqual([`${sm}:model/demo-scorer-*`]);
      expect(bySid.PassEndpointExecutionRoles).toMatchObject({
        Resource: ['${aws_iam_role.serving_scorer.arn}'],
        Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      });
      expect(bySid.ReadWriteLedgers.Resource).toEqual([
        'arn:aws:ssm:us-east-1:123456789012:parameter/pipeform/demo/serving/scorer',
      ]);
      expect(bySid.ScaleVariants.Condition).toEqual({
        StringEquals: {
          'application-autoscaling:service-namespace': 'sagemaker',
          'application-autoscaling:scalable-dimension': 'sagemaker:variant:DesiredInstanceCount',
        },
      });
    });

    test('THEN an approval in the group starts the deploy for the endpoint', () => {
      const rule = r.aws_cloudwatch_event_rule.serving_deploy_approved;
      expect(JSON.parse(rule.event_pattern as string)).toEqual({
        source: ['aws.sagemaker'],
        'detail-type': ['SageMaker Model Package State Change'],
        detail: { ModelPackageGroupName: ['demo-models'], ModelApprovalStatus: ['Approved'] },
      });
      expect(JSON.parse(r.aws_cloudwatch_event_target.serving_deploy_approved.input as string)).toEqual({
        endpoints: ['scorer'],
      });
    });
  });

  test('GIVEN no serving section THEN no serving resources or outputs', () => {
    const out = JSON.parse(Testing.synth(new PipelineStack(testApp(), 'demo', compileData(MINIMAL))));
    expect(Object.keys(out.resource).filter((t) => t.startsWith('aws_sagemaker'))).toEqual([]);
    expect(out.output.endpoint_names).toBeUndefined();
    expect(out.output.front_door_urls).toBeUndefined();
  });

  test('GIVEN the paths the examples do not take THEN real Terraform validates and plans them', () => {
    const { json } = synth(
      {
        endpoints: [
          {
            name: 'vision',
            model: { registry: { version: 2 }, environment: { LOG_LEVEL: 'info' } },
            variants: [{ name: 'primary', instanceType: 'ml.g5.xlarge', instanceCount: 4 }],
            shadow: {
              name: 'next',
              model: { registry: { version: 'latest-approved' } },
              instanceType: 'ml.g5.xlarge',
            },
            deployment: { strategy: 'linear', size: 1, sizeUnit: 'instances' },
            dataCapture: { capture: 'input', csvContentTypes: ['text/csv'] },
          },
          {
            name: 'tenants',
            type: 'multi-model',
            model: {
              artifact: { key: 'tenants/' },
              image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/tenants:1.0',
            },
            public: {},
          },
        ],
        edge: {},
      },
      { security: { waf: {}, shield: true } },
    );
    const dir = mkdtempSync(join(tmpdir(), 'pipeform-serving-'));
    writeFileSync(join(dir, 'main.tf.json'), json);
    const run = initValidatePlan(dir);
    if (!run.ok) throw new Error(`terraform ${run.step} failed:\n${run.output}`);
    expect(run.checkOutput).not.toContain('Warning:');
  });
});

interface Stmt {
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string>>;
}

/** `*` any string (IoT policy resources), everything else literal. */
const globMatch = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(value);

/**
 * Whether an IoT policy allows `action` on `resource` for a connection with these variable
 * values: Terraform's `$${` escapes are undone, `${var}` substituted, Bool and StringLike
 * conditions evaluated (the only ones pipeform writes). No statement denies.
 */
function iotAllows(
  doc: { Statement: Stmt[] },
  action: string,
  resource: string,
  vars: Record<string, string>,
): boolean {
  const subst = (s: string) =>
    s
      .replace(/\$\$\{/g, '${')
      .replace(
        /\$\{([^}]+)\}/g,
        (m: string, v: string) => vars[v] ?? (v.startsWith('iot:') ? '\u0000unresolved' : m),
      );
  return doc.Statement.some((st) => {
    if (st.Effect !== 'Allow') return false;
    if (!([] as string[]).concat(st.Action).some((a) => globMatch(a, action))) return false;
    if (!([] as string[]).concat(st.Resource).some((p) => globMatch(subst(p), resource))) return false;
    return Object.entries(st.Condition ?? {}).every(([op, kv]) =>
      Object.entries(kv).every(([k, want]) => {
        const got = vars[k];
        if (got === undefined) return false;
        return op === 'Bool' ? got === want : op === 'StringLike' ? globMatch(want, got) : false;
      }),
    );
  });
}
