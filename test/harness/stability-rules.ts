import { covers } from './config-diff';
import type { AdditionKind } from './mutations';

/**
 * Provider knowledge for the day-2 stability test: which attribute changes Terraform
 * applies in place. The test fails closed: a change to an attribute not listed here (or a
 * resource type not listed at all) counts as a replacement. Every entry is confirmed
 * against the real provider (hashicorp/aws 5.100.0) by test/replace-forcing.test.ts, which
 * plans a change of exactly that attribute against a prior state and reads the plan's
 * `replace_paths`; the reason names the API call the provider updates it with.
 */
export const IN_PLACE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  aws_cloudformation_stack: {
    // CloudFormation then updates or replaces what is inside; the model-quality job
    // definition has no name of its own, so CloudFormation can replace it safely.
    template_body: 'UpdateStack',
  },
  aws_cloudwatch_dashboard: { dashboard_body: 'PutDashboard' },
  aws_cloudwatch_event_rule: { description: 'PutRule' },
  aws_cloudwatch_event_target: { input: 'PutTargets' },
  aws_cloudwatch_metric_alarm: { metric_query: 'PutMetricAlarm' },
  aws_codebuild_project: {
    build_timeout: 'UpdateProject',
    description: 'UpdateProject',
    'environment.environment_variable': 'UpdateProject',
  },
  aws_codepipeline: { 'stage.action.configuration': 'UpdatePipeline' },
  aws_eks_cluster: {
    // In place since provider 5.25.0 (EKS allows it since 2023-10).
    'vpc_config.subnet_ids': 'UpdateClusterConfig (resourcesVpcConfig)',
  },
  aws_grafana_workspace: { 'vpc_configuration.subnet_ids': 'UpdateWorkspace' },
  aws_iam_role_policy: { policy: 'PutRolePolicy' },
  aws_lambda_function: { 'vpc_config.subnet_ids': 'UpdateFunctionConfiguration' },
  aws_s3_bucket_notification: { lambda_function: 'PutBucketNotificationConfiguration' },
  aws_sagemaker_endpoint: {
    // SageMaker deploys the new configuration blue/green, with the endpoint's rollback alarms.
    endpoint_config_name: 'UpdateEndpoint',
  },
  aws_sagemaker_monitoring_schedule: {
    'monitoring_schedule_config.monitoring_job_definition_name': 'UpdateMonitoringSchedule',
  },
  aws_sagemaker_pipeline: { pipeline_definition: 'UpdatePipeline' },
  aws_sfn_state_machine: {
    // A running execution keeps the definition it started with; new executions get the new one.
    definition: 'UpdateStateMachine',
  },
  aws_vpc_endpoint: {
    route_table_ids: 'ModifyVpcEndpoint',
    subnet_ids: 'ModifyVpcEndpoint',
  },
};

/**
 * Replacements a spec change legitimately causes, by the kind of component added: the
 * resource is immutable in AWS and the change is what the user asked for. `forcedBy` are
 * the paths whose change makes Terraform replace it (test/replace-forcing.test.ts confirms
 * each with the provider); `carries` are paths that change along with them and reach AWS
 * only through that replacement. Each is allowed only on a resource that Terraform can
 * replace without an outage: `create_before_destroy` and a name that changes with it (or
 * one Terraform generates), so the new one exists before the old one goes.
 */
export interface DeclaredReplacement {
  readonly type: string;
  readonly forcedBy: readonly string[];
  readonly carries?: readonly string[];
  readonly why: string;
}

export const DECLARED_REPLACEMENTS: Readonly<Partial<Record<AdditionKind, readonly DeclaredReplacement[]>>> =
  {
    'availability-zone': [
      {
        type: 'aws_sagemaker_model',
        forcedBy: ['name'],
        // The provider plans a vpc_config change as an in-place update, but its update only
        // changes tags (SageMaker has no UpdateModel): without a new name the model would stay
        // in its old subnets with a diff that never goes away. The name hashes the subnets.
        carries: ['vpc_config.subnets'],
        why: 'models run in every private subnet; a model is immutable, so a new one (named after its inputs) is created and the endpoint moves to it blue/green',
      },
      {
        type: 'aws_sagemaker_endpoint_configuration',
        forcedBy: ['production_variants.model_name'],
        why: 'a new endpoint configuration (name_prefix) for the new models; the endpoint moves to it blue/green',
      },
      {
        type: 'aws_sagemaker_data_quality_job_definition',
        forcedBy: ['network_config.vpc_config.subnets'],
        why: 'monitoring jobs run in every private subnet; the definition is immutable and unnamed: a new one is created and the schedule moves to it',
      },
    ],
    variant: [
      {
        type: 'aws_sagemaker_endpoint_configuration',
        forcedBy: ['production_variants'],
        why: 'an endpoint configuration is immutable: a new one (name_prefix) with the added variant, and the endpoint moves to it blue/green',
      },
    ],
  };

/** How the test judges one changed attribute of an existing resource. */
export type Verdict =
  | { readonly ok: true; readonly as: 'in-place' | 'ignored' | 'declared'; readonly why: string }
  | { readonly ok: false; readonly why: string };

/** The `ignore_changes` paths of a resource body (Terraform plans no change under them). */
function ignoredPaths(body: Readonly<Record<string, unknown>> | undefined): string[] {
  const lifecycle = body?.lifecycle as { ignore_changes?: unknown } | undefined;
  const ignore = lifecycle?.ignore_changes;
  return Array.isArray(ignore) ? ignore.map((p) => String(p).replace(/\[\d+\]/g, '')) : [];
}

/** Whether a resource can be replaced without an outage: created first, under another name. */
export function replaceableWithoutOutage(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): boolean {
  const lifecycle = after.lifecycle as { create_before_destroy?: boolean } | undefined;
  if (lifecycle?.create_before_destroy !== true) return false;
  if ('name_prefix' in after || !('name' in after)) return true;
  return JSON.stringify(before.name) !== JSON.stringify(after.name);
}

/**
 * The verdicts on the changed paths of one existing resource, for a spec change of `kind`:
 * one per path, in order. `replaced` is true when a declared replacement applies.
 */
export function judge(
  kind: AdditionKind,
  type: string,
  paths: readonly string[],
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): { verdicts: Verdict[]; replaced: boolean } {
  const ignored = ignoredPaths(after);
  const declared = (DECLARED_REPLACEMENTS[kind] ?? []).find(
    (d) => d.type === type && paths.some((path) => d.forcedBy.some((p) => covers(p, path))),
  );
  const outageFree = replaceableWithoutOutage(before, after);
  const verdicts = paths.map((path): Verdict => {
    if (ignored.some((p) => covers(p, path)))
      return { ok: true, as: 'ignored', why: 'lifecycle.ignore_changes' };
    const inPlace = Object.entries(IN_PLACE[type] ?? {}).find(([p]) => covers(p, path));
    if (inPlace) return { ok: true, as: 'in-place', why: inPlace[1] };
    if (declared && [...declared.forcedBy, ...(declared.carries ?? [])].some((p) => covers(p, path))) {
      return outageFree
        ? { ok: true, as: 'declared', why: declared.why }
        : {
            ok: false,
            why: `declared replacement (${declared.why}), but the resource is not created before it is destroyed under a new name`,
          };
    }
    return { ok: false, why: `not updatable in place (${type} has no in-place entry for ${path})` };
  });
  return { verdicts, replaced: declared !== undefined && outageFree };
}

/**
 * Subnet lists the provider cannot change in place, which pipeform keeps as they were at
 * creation (`lifecycle.ignore_changes`) instead of replacing a resource with state or
 * running work when a zone is added; and the subnet CIDR itself, which is why each zone's
 * CIDR depends only on its letter. test/replace-forcing.test.ts confirms that each of
 * these really forces replacement, so the choice is not made on a wrong premise.
 */
export const FIXED_AT_CREATION: Readonly<Record<string, readonly string[]>> = {
  aws_eks_node_group: ['subnet_ids'],
  aws_emr_cluster: ['ec2_attributes.subnet_ids'],
  aws_prometheus_scraper: ['source.eks.subnet_ids'],
  aws_sagemaker_domain: ['subnet_ids'],
  aws_subnet: ['cidr_block'],
};
