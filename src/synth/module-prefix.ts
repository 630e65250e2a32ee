import type { ResolvedSpec } from '../model/resolved';
import { standInName } from '../compiler/stand-in';
import type { FileContent } from './synth';

type Json = Record<string, unknown>;

/** The module input that takes the place of the pipeline name in every name derived from it. */
export const NAME_PREFIX_VARIABLE = 'name_prefix';

/** The input's reference, as it is written into names. */
export const NAME_PREFIX_REF = `\${var.${NAME_PREFIX_VARIABLE}}`;

/**
 * A marker for the prefix in texts that are not Terraform expressions yet (Kubernetes
 * manifests become templates in module-bindings.ts, which puts the template variable there).
 */
export const NAME_PREFIX_MARKER = '\u0000name_prefix\u0000';

/** What the name stands in for a template variable of a manifest template. */
export const NAME_PREFIX_TEMPLATE_VAR = 'name_prefix';

/**
 * AWS's limit on the length of the names pipeform derives from the pipeline name, by
 * `resource type.attribute`. Each is the documented maximum of the API's name parameter
 * (the `Length Constraints` of its API reference, e.g. IAM `RoleName` 64, S3 bucket names
 * 63, SageMaker `EndpointName` 63, Lambda `FunctionName` 64, CodeStar Connections
 * `ConnectionName` 32, EventBridge `Name` 64, SQS `QueueName` 80, Step Functions `name` 80).
 * `aws_sagemaker_endpoint_configuration.name_prefix` is the provider's: SageMaker's 63
 * less the 26 characters Terraform appends (CONFIG_NAME_PREFIX_MAX in normalize/serving.ts).
 */
export const NAME_LIMITS: Readonly<Record<string, number>> = {
  'aws_api_gateway_rest_api.name': 1024,
  'aws_appautoscaling_policy.name': 255,
  'aws_appautoscaling_scheduled_action.name': 256,
  'aws_cloudformation_stack.name': 128,
  'aws_cloudwatch_composite_alarm.alarm_name': 255,
  'aws_cloudwatch_dashboard.dashboard_name': 255,
  'aws_cloudwatch_event_rule.name': 64,
  'aws_cloudwatch_log_group.name': 512,
  'aws_cloudwatch_log_resource_policy.policy_name': 255,
  'aws_cloudwatch_metric_alarm.alarm_name': 255,
  'aws_codebuild_project.name': 150,
  'aws_codepipeline.name': 100,
  'aws_codestarconnections_connection.name': 32,
  'aws_eks_cluster.name': 100,
  'aws_eks_node_group.node_group_name': 63,
  'aws_emr_cluster.name': 256,
  'aws_glue_catalog_database.name': 255,
  'aws_glue_connection.name': 255,
  'aws_glue_crawler.name': 255,
  'aws_glue_job.name': 255,
  'aws_glue_security_configuration.name': 255,
  'aws_glue_trigger.name': 255,
  'aws_glue_workflow.name': 255,
  'aws_grafana_workspace.name': 255,
  'aws_iam_role.name': 64,
  'aws_iot_role_alias.alias': 128,
  'aws_kms_alias.name': 256,
  'aws_lambda_function.function_name': 64,
  'aws_launch_template.name': 128,
  'aws_placement_group.name': 255,
  'aws_prometheus_workspace.alias': 100,
  'aws_s3_bucket.bucket': 63,
  'aws_sagemaker_device_fleet.device_fleet_name': 63,
  'aws_sagemaker_domain.domain_name': 63,
  'aws_sagemaker_endpoint.name': 63,
  'aws_sagemaker_endpoint_configuration.name_prefix': 37,
  'aws_sagemaker_feature_group.feature_group_name': 64,
  'aws_sagemaker_model.name': 63,
  'aws_sagemaker_model_package_group.model_package_group_name': 63,
  'aws_sagemaker_monitoring_schedule.name': 63,
  'aws_sagemaker_pipeline.pipeline_name': 256,
  'aws_security_group.name': 255,
  'aws_sfn_state_machine.name': 80,
  'aws_sns_topic.name': 256,
  'aws_sqs_queue.name': 80,
  'aws_wafv2_web_acl.name': 128,
};

/** The name a prefix must fit: the tightest of the module's limits. */
export interface TightestName {
  readonly address: string;
  readonly attribute: string;
  readonly limit: number;
  /** The name with the spec's name, as the module makes it by default. */
  readonly value: string;
  /** Longest prefix that keeps this name within its limit. */
  readonly maxPrefix: number;
}

/** What {@link prefixNames} did to one module. */
export interface NamePrefixReport {
  /** Strings in which the pipeline name became the prefix. */
  readonly strings: number;
  /** The name that bounds the prefix's length; undefined when no name has a known limit. */
  readonly tightest?: TightestName;
}

/** Positions in `standIn` where the stand-in name stands, each checked to hold the real name in `real`. */
function namePositions(
  real: string,
  standIn: string,
  name: string,
  sentinel: string,
  where: string,
): number[] {
  if (real.length !== standIn.length) {
    throw new Error(`internal: ${where} has another length under the stand-in name; names cannot line up`);
  }
  const at: number[] = [];
  for (let i = standIn.indexOf(sentinel); i >= 0; i = standIn.indexOf(sentinel, i + sentinel.length)) {
    if (real.slice(i, i + name.length) !== name) {
      throw new Error(
        `internal: ${where} derives "${real.slice(i, i + name.length)}" from the pipeline name ${name}: only the name itself can become the prefix`,
      );
    }
    at.push(i);
  }
  // Anything else that differs is a hash of a name (hex): a letter of the stand-in there is a cut name.
  const covered = new Set(at.flatMap((i) => Array.from({ length: name.length }, (_, k) => i + k)));
  for (let i = 0; i < real.length; i++) {
    if (real[i] !== standIn[i] && !covered.has(i) && /[g-z]/.test(standIn[i])) {
      throw new Error(
        `internal: ${where} holds a cut pipeline name ("${real}"); a prefix cannot replace part of it`,
      );
    }
  }
  return at;
}

/** `real` with the name at `at` replaced by `to`. */
function splice(real: string, at: readonly number[], length: number, to: string): string {
  let out = '';
  let from = 0;
  for (const i of at) {
    out += real.slice(from, i) + to;
    from = i + length;
  }
  return out + real.slice(from);
}

/**
 * The strings of `real` in which the pipeline name stands where `standIn` (the same
 * configuration compiled under the stand-in name) has the stand-in: there the name is
 * replaced with `to`. Everything else keeps the real value, so the default prefix (the
 * name) gives today's configuration byte for byte. A value that differs only in hex (a
 * hash over a name) keeps the real hash: it stays unique per prefix because the names
 * beside it carry the prefix.
 */
function substitute(
  real: unknown,
  standIn: unknown,
  name: string,
  sentinel: string,
  to: string,
  where: string,
  seen: (where: string, value: string, count: number) => void,
): unknown {
  if (typeof real === 'string') {
    if (real === standIn) return real;
    if (typeof standIn !== 'string')
      throw new Error(`internal: ${where} is no string under the stand-in name`);
    const at = namePositions(real, standIn, name, sentinel, where);
    if (at.length === 0) return real;
    seen(where, real, at.length);
    return splice(real, at, name.length, to);
  }
  if (Array.isArray(real)) {
    if (!Array.isArray(standIn) || standIn.length !== real.length)
      throw new Error(`internal: ${where} has another shape under the stand-in name`);
    return real.map((v, i) => substitute(v, standIn[i], name, sentinel, to, `${where}[${i}]`, seen));
  }
  if (real !== null && typeof real === 'object') {
    const other = standIn as Json;
    const keys = Object.keys(real as Json);
    if (other === null || typeof other !== 'object' || keys.join('\n') !== Object.keys(other).join('\n'))
      throw new Error(`internal: ${where} has other keys under the stand-in name`);
    return Object.fromEntries(
      keys.map((k) => [
        k,
        substitute((real as Json)[k], other[k], name, sentinel, to, `${where}.${k}`, seen),
      ]),
    );
  }
  return real;
}

/** Configuration groups whose strings are expressions (variable and output descriptions are not). */
const EXPRESSION_GROUPS = ['resource', 'data', 'locals'] as const;

/**
 * Makes every name a module derives from the pipeline name start with the `name_prefix`
 * input instead, so two instances of one module live side by side in one account. The
 * names are found by difference: `standIn` is the same spec compiled under a stand-in
 * name of the same length (compiler/stand-in.ts), so wherever its configuration holds the
 * stand-in, the real one holds a name derived from the pipeline name, cut and hashed at
 * the same places. The input defaults to the pipeline name (today's names, so existing
 * callers keep their names and addresses) and is validated against the tightest AWS
 * name limit among the module's resources.
 *
 * `main` and `standInMain` are synthesized configurations (Terraform JSON, before the
 * caller bindings); `files` and `standInFiles` the files beside them, whose Kubernetes
 * manifests get {@link NAME_PREFIX_MARKER} where the name stands.
 */
export function prefixNames(
  spec: ResolvedSpec,
  main: Json,
  standInMain: Json,
  files: ReadonlyMap<string, FileContent>,
  standInFiles: ReadonlyMap<string, FileContent>,
): { main: Json; files: Map<string, FileContent>; report: NamePrefixReport } {
  const name = spec.name;
  const sentinel = standInName(name);
  if (JSON.stringify(main).includes(sentinel))
    throw new Error(`internal: the configuration of ${name} already holds the stand-in name ${sentinel}`);
  let strings = 0;
  const limited: TightestName[] = [];
  const seen = (where: string, value: string, count: number) => {
    strings++;
    const m = /^resource\.([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)$/.exec(where);
    if (!m) return;
    const limit = NAME_LIMITS[`${m[1]}.${m[3]}`];
    if (limit === undefined) return;
    // Only what is all literal is measured here; a name built at plan time from other values
    // (the caller's region in a bucket name) is measured by its own precondition (module-bindings.ts).
    if (value.includes('${')) return;
    const fixed = value.length - count * name.length;
    limited.push({
      address: `${m[1]}.${m[2]}`,
      attribute: m[3],
      limit,
      value,
      maxPrefix: Math.floor((limit - fixed) / count),
    });
  };
  const out: Json = { ...main };
  for (const group of EXPRESSION_GROUPS) {
    if (main[group] === undefined) continue;
    out[group] = substitute(main[group], standInMain[group], name, sentinel, NAME_PREFIX_REF, group, seen);
  }
  if (main.output !== undefined) {
    const outputs = main.output as Record<string, Json>;
    const others = standInMain.output as Record<string, Json>;
    out.output = Object.fromEntries(
      Object.entries(outputs).map(([k, o]) => [
        k,
        {
          ...o,
          value: substitute(o.value, others[k]?.value, name, sentinel, NAME_PREFIX_REF, `output.${k}`, seen),
        },
      ]),
    );
  }
  const prefixedFiles = new Map<string, FileContent>();
  for (const [path, content] of files) {
    const other = standInFiles.get(path);
    if (typeof content !== 'string' || other === content) {
      // Assets (zips, scripts) must not hold the name: the prefix could not reach into them.
      if (other === undefined || (typeof content !== 'string' && !sameBytes(content, other)))
        throw new Error(`internal: ${path} depends on the pipeline name; it cannot follow name_prefix`);
      prefixedFiles.set(path, content);
      continue;
    }
    if (!path.startsWith('k8s/') || typeof other !== 'string')
      throw new Error(`internal: ${path} depends on the pipeline name; it cannot follow name_prefix`);
    const at = namePositions(content, other, name, sentinel, path);
    strings += at.length > 0 ? 1 : 0;
    prefixedFiles.set(path, splice(content, at, name.length, NAME_PREFIX_MARKER));
  }
  const tightest = [...limited].sort(
    (a, b) =>
      a.maxPrefix - b.maxPrefix ||
      (a.address < b.address ? -1 : a.address > b.address ? 1 : 0) ||
      (a.attribute < b.attribute ? -1 : 1),
  )[0];
  const variables = { ...((out.variable as Record<string, Json> | undefined) ?? {}) };
  variables[NAME_PREFIX_VARIABLE] = prefixVariable(name, tightest);
  out.variable = Object.fromEntries(
    Object.keys(variables)
      .sort()
      .map((k) => [k, variables[k]]),
  );
  return { main: out, files: prefixedFiles, report: { strings, ...(tightest ? { tightest } : {}) } };
}

function sameBytes(a: FileContent, b: FileContent): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

/** The pipeline name's own pattern (schemas/pipeline.schema.json `name`), without its length. */
const NAME_CHARACTERS = '^[a-z][a-z0-9-]*[a-z0-9]$';

/** The `name_prefix` variable: the pipeline name by default, as long as the tightest name allows. */
function prefixVariable(name: string, tightest: TightestName | undefined): Json {
  const validation: Json[] = [
    {
      condition: `\${can(regex(${JSON.stringify(NAME_CHARACTERS)}, var.${NAME_PREFIX_VARIABLE}))}`,
      error_message:
        'name_prefix starts every name of the pipeline, so it takes what the pipeline name takes: lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit.',
    },
  ];
  if (tightest) {
    validation.push({
      condition: `\${length(var.${NAME_PREFIX_VARIABLE}) <= ${tightest.maxPrefix}}`,
      error_message:
        `name_prefix may be at most ${tightest.maxPrefix} characters: ${tightest.address}.${tightest.attribute} ` +
        `is "${tightest.value}" with the ${name.length}-character default "${name}", and AWS allows ` +
        `${tightest.limit} characters there, the tightest name limit in this module. Pass a shorter name_prefix.`,
    });
  }
  return {
    default: name,
    description:
      'Starts every name the pipeline derives from its name (buckets, roles, endpoints, parameters), so two instances of this module can share an account. Defaults to the pipeline name: the names of the spec.',
    nullable: false,
    type: 'string',
    validation,
  };
}
