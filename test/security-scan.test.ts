import { join } from 'node:path';
import { compileSpec, readSpecFile } from '../src/compiler';
import { leastPrivilegeProblems } from '../src/constructs/iam/least-privilege';
import type { PolicyStatement } from '../src/constructs/iam/policy';
import { synthesizeTargets } from '../src/synth/targets';
import { examples, ROOT } from './harness/spec';

type Resource = Record<string, unknown>;
type Config = { resource?: Record<string, Record<string, Resource>> };

// In a module the key is `local.pipeline_kms_key_arn`: the caller's key or the one the
// module creates (the test below checks that is all the local can be).
const PIPELINE_KEY =
  /^(\$\{aws_kms_key\.kms\.arn\}|\$\{local\.pipeline_kms_key_arn\}|arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]+)$/;
const MODULE_KEY_LOCAL = '${coalesce(var.kms_key_arn, one(aws_kms_key.kms[*].arn))}';

/** Reads a nested attribute; cdktf writes single blocks as objects and repeated ones as lists. */
function dig(value: unknown, path: string[]): unknown[] {
  if (path.length === 0) return [value];
  if (Array.isArray(value)) return value.flatMap((v) => dig(v, path));
  if (value === null || typeof value !== 'object') return [undefined];
  return dig((value as Record<string, unknown>)[path[0]], path.slice(1));
}

/**
 * Every resource type an example emits is classified: either it takes a KMS key (and the
 * attribute that holds it), or it does not. A new type fails the scan until it is added
 * here, so nothing that takes a key can slip through without one.
 */
const TAKES_KEY: Record<string, string[]> = {
  aws_s3_bucket_server_side_encryption_configuration: [
    'rule',
    'apply_server_side_encryption_by_default',
    'kms_master_key_id',
  ],
  aws_cloudwatch_log_group: ['kms_key_id'],
  // EKS (#5): secrets envelope encryption, node root volumes, and the Auto Scaling grant.
  aws_eks_cluster: ['encryption_config', 'provider', 'key_arn'],
  aws_launch_template: ['block_device_mappings', 'ebs', 'kms_key_id'],
  aws_kms_grant: ['key_id'],
  // Serving (#6). Endpoint configurations also encrypt data capture and async output with
  // the key (asserted in test/constructs/serving.test.ts); local-NVMe instance types take none.
  aws_sagemaker_endpoint_configuration: ['kms_key_arn'],
  aws_sns_topic: ['kms_master_key_id'],
  // Data processing (#4). The Glue security configuration also encrypts CloudWatch logs and
  // bookmarks, and feature groups their online store, with the key (asserted in
  // test/constructs/glue.test.ts and feature-store.test.ts).
  aws_glue_security_configuration: ['encryption_configuration', 's3_encryption', 'kms_key_arn'],
  aws_glue_data_catalog_encryption_settings: [
    'data_catalog_encryption_settings',
    'encryption_at_rest',
    'sse_aws_kms_key_id',
  ],
  aws_emr_cluster: ['log_encryption_kms_key_id'],
  aws_lambda_function: ['kms_key_arn'],
  aws_sqs_queue: ['kms_master_key_id'],
  aws_sfn_state_machine: ['encryption_configuration', 'kms_key_id'],
  aws_sagemaker_feature_group: ['offline_store_config', 's3_storage_config', 'kms_key_id'],
  aws_sagemaker_domain: ['kms_key_id'],
  aws_sagemaker_notebook_instance: ['kms_key_id'],
  // CI/CD (#7): pipeline artifacts and build output; logs and the approval topic are covered above.
  aws_codepipeline: ['artifact_store', 'encryption_key', 'id'],
  aws_codebuild_project: ['encryption_key'],
  // Uploaded scripts, code and certificates (src/constructs/assets.ts): SSE-KMS with the pipeline key.
  aws_s3_object: ['kms_key_id'],
  // Monitoring (#7). Data-quality jobs also encrypt their volumes with the key, and the
  // model-quality stack's template carries it for output and volumes (asserted in
  // test/constructs/monitoring.test.ts).
  aws_prometheus_workspace: ['kms_key_arn'],
  aws_sagemaker_data_quality_job_definition: ['data_quality_job_output_config', 'kms_key_id'],
};
const TAKES_NO_KEY = new Set([
  'aws_kms_key',
  'aws_kms_alias',
  'aws_s3_bucket', // encrypted through its aws_s3_bucket_server_side_encryption_configuration, asserted below
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_logging',
  'aws_s3_bucket_lifecycle_configuration',
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_iam_role_policy_attachment',
  'aws_vpc',
  'aws_subnet',
  'aws_route_table',
  'aws_route',
  'aws_route_table_association',
  'aws_internet_gateway',
  'aws_nat_gateway',
  'aws_eip',
  'aws_default_security_group',
  'aws_security_group',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
  'aws_vpc_endpoint',
  'aws_flow_log',
  'aws_wafv2_web_acl',
  'aws_wafv2_web_acl_logging_configuration',
  'aws_wafv2_web_acl_association',
  'aws_cloudwatch_log_resource_policy',
  'aws_shield_protection',
  // EKS (#5): node volumes are encrypted through their aws_launch_template
  'aws_eks_node_group',
  'aws_eks_addon',
  'aws_eks_access_entry',
  'aws_eks_access_policy_association',
  'aws_iam_openid_connect_provider',
  'aws_placement_group',
  // EKS workloads (#14): Pod Identity associations bind a role to a service account; the
  // autoscaler's node-template tags are metadata on the node groups' Auto Scaling groups.
  'aws_eks_pod_identity_association',
  'aws_autoscaling_group_tag',
  // SageMaker training (#5): the pipeline's jobs get the key inside its definition
  // (asserted in test/constructs/training.test.ts); the model package group takes none.
  'aws_sagemaker_pipeline',
  'aws_sagemaker_model_package_group',
  'aws_sagemaker_model_package_group_policy', // promotion: the serving accounts' read grant
  // Serving (#6)
  'aws_sagemaker_model',
  'aws_sagemaker_endpoint',
  'aws_cloudwatch_metric_alarm',
  'aws_appautoscaling_target',
  'aws_appautoscaling_policy',
  'aws_appautoscaling_scheduled_action',
  'aws_iot_role_alias',
  // Greengrass edge fleet: IoT registry and policy objects hold no data; the telemetry rule's
  // S3 action has no key argument (the bucket's default encryption is the pipeline key).
  'aws_iot_thing_group',
  'aws_iot_policy',
  'aws_iot_provisioning_template',
  'aws_iot_topic_rule',
  'aws_api_gateway_rest_api',
  'aws_api_gateway_resource',
  'aws_api_gateway_method',
  'aws_api_gateway_integration',
  'aws_api_gateway_method_response',
  'aws_api_gateway_integration_response',
  'aws_api_gateway_deployment',
  'aws_api_gateway_stage', // no cache cluster: nothing at rest to encrypt
  'aws_api_gateway_method_settings',
  // Data processing (#4): jobs and crawlers are encrypted through their Glue security
  // configuration, catalog objects through the catalog encryption settings, EMR nodes
  // through the EMR security configuration (the key sits in its JSON, asserted in
  // test/constructs/emr.test.ts); EMR Serverless takes no key (its storage is encrypted by
  // the service, job logs get the key in each run's configuration).
  'aws_glue_catalog_database',
  'aws_glue_connection',
  'aws_glue_crawler',
  'aws_glue_job',
  'aws_glue_trigger',
  'aws_glue_workflow',
  'aws_emr_security_configuration',
  'aws_emr_block_public_access_configuration',
  'aws_emr_instance_fleet',
  'aws_emr_managed_scaling_policy',
  'aws_emrserverless_application',
  'aws_iam_instance_profile',
  'aws_lambda_permission',
  'aws_s3_bucket_notification',
  'aws_sns_topic_subscription',
  'aws_cloudwatch_event_rule',
  'aws_cloudwatch_event_target',
  'aws_cloudwatch_event_permission', // promotion: the owner account may put events on this bus
  'aws_sagemaker_user_profile',
  'aws_sagemaker_notebook_instance_lifecycle_configuration',
  // A Studio lifecycle configuration is a start script (here: MLFLOW_TRACKING_URI), no data at rest.
  'aws_sagemaker_studio_lifecycle_config',
  // tracking.mlflow: the server takes no key; its artifacts land in the models bucket, which
  // its default encryption (the pipeline key) covers, and the metadata store is AWS-managed.
  'aws_sagemaker_mlflow_tracking_server',
  // CI/CD (#7): a connection holds no data (the provider's OAuth token stays with AWS)
  'aws_codestarconnections_connection',
  // Monitoring (#7): the model-quality job definition and schedule live in a CloudFormation
  // stack whose template holds the key; schedules, alarms, dashboards, topic policies, the
  // scraper (writes into the encrypted workspace) and Grafana (no data at rest) take none.
  'aws_cloudformation_stack',
  'aws_sagemaker_monitoring_schedule',
  'aws_cloudwatch_composite_alarm',
  'aws_cloudwatch_dashboard',
  'aws_sns_topic_policy',
  'aws_prometheus_scraper',
  'aws_grafana_workspace',
]);

const policyDocs = (config: Config): [string, { Statement: PolicyStatement[] }][] =>
  Object.entries(config.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).flatMap(([name, r]) =>
      ['policy', 'assume_role_policy']
        .filter((attr) => typeof r[attr] === 'string' && (r[attr] as string).startsWith('{'))
        .map((attr): [string, { Statement: PolicyStatement[] }] => [
          `${type}.${name}.${attr}`,
          JSON.parse(r[attr] as string),
        ]),
    ),
  );

/**
 * Every configuration each example synthesizes now (one per environment), from the spec:
 * the scan judges what the code produces today, not what was committed under generated/.
 */
const configs = examples().flatMap(({ name, file }) => {
  const { files } = synthesizeTargets(compileSpec(file, readSpecFile(join(ROOT, file))), file);
  return [...files.entries()]
    .filter(([path]) => path === 'main.tf.json' || path.endsWith('/main.tf.json'))
    .map(([path, content]) => ({
      name: join(name, path),
      config: JSON.parse(
        typeof content === 'string' ? content : Buffer.from(content).toString('utf8'),
      ) as Config,
    }));
});

describe.each(configs)('security scan: $name (freshly synthesized)', ({ config }) => {
  const resources = config.resource ?? {};

  test('no identity policy breaks least privilege', () => {
    const problems = Object.entries(resources)
      .filter(([type]) => type === 'aws_iam_role_policy' || type === 'aws_iam_policy')
      .flatMap(([type, byName]) =>
        Object.entries(byName).flatMap(([n, r]) =>
          leastPrivilegeProblems(JSON.parse(r.policy as string).Statement).map((p) => `${type}.${n}: ${p}`),
        ),
      );
    expect(problems).toEqual([]);
  });

  test('no Allow statement with a wildcard principal lacks an account condition', () => {
    // VPC endpoint policies name Principal "*" by design; they must then pin the account.
    const accountKeys = ['aws:ResourceAccount', 'aws:SourceAccount', 'aws:PrincipalAccount'];
    const open = policyDocs(config).flatMap(([where, doc]) =>
      doc.Statement.filter(
        (s) =>
          s.Effect === 'Allow' &&
          (s.Principal === '*' || JSON.stringify(s.Principal ?? {}).includes('"*"')) &&
          !accountKeys.some((k) => JSON.stringify(s.Condition ?? {}).includes(`"${k}"`)),
      ).map((s) => `${where}: ${s.Sid}`),
    );
    expect(open).toEqual([]);
  });

  test('every resource type is classified, and every one that takes a KMS key has the pipeline key', () => {
    const unclassified = Object.keys(resources).filter((t) => !(t in TAKES_KEY) && !TAKES_NO_KEY.has(t));
    expect(unclassified).toEqual([]);
    const locals = (config as { locals?: Record<string, unknown> }).locals ?? {};
    if ('pipeline_kms_key_arn' in locals) expect(locals.pipeline_kms_key_arn).toBe(MODULE_KEY_LOCAL);
    const missing = Object.entries(TAKES_KEY).flatMap(([type, path]) =>
      Object.entries(resources[type] ?? {}).flatMap(([n, r]) =>
        dig(r, path).every((v) => typeof v === 'string' && PIPELINE_KEY.test(v)) ? [] : [`${type}.${n}`],
      ),
    );
    expect(missing).toEqual([]);
  });

  test('every bucket has SSE-KMS, a public-access block and a TLS-only policy', () => {
    for (const n of Object.keys(resources.aws_s3_bucket ?? {})) {
      expect(resources.aws_s3_bucket_server_side_encryption_configuration[n]).toBeDefined();
      expect(resources.aws_s3_bucket_public_access_block[n]).toMatchObject({
        block_public_policy: true,
        restrict_public_buckets: true,
      });
      expect(resources.aws_s3_bucket_policy[n].policy).toContain('aws:SecureTransport');
    }
  });
});
