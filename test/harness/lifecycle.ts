/**
 * Lifecycle checks over synthesized Terraform JSON: what the first apply and the first
 * scheduled run need, judged from the output alone (no pipeform internals), so the checks
 * keep holding while the code that produces the output changes.
 *
 * 1. `unwritten-code`: code, scripts, certificates and model artifacts read from a key in a
 *    bucket the configuration creates must be written by the configuration (an
 *    `aws_s3_object` with that bucket and key). The bucket is empty on day 0.
 * 2. `unguaranteed-model-version`: an `aws_sagemaker_model` that names a version of a model
 *    package group the configuration creates must be gated on the deploy ledger (its
 *    `count`/`for_each` reads an SSM parameter): the group is empty on day 0, and
 *    CreateModel fails for a version that does not exist.
 * 3. `scheduled-step-on-idle-cluster`: a scheduled workflow must not add steps to an
 *    `aws_emr_cluster` that terminates on its own (idle auto-termination, or no
 *    keep-alive once its steps are done): after the first idle period the cluster is gone.
 * 4. `emr-security-group-untagged`: every security group the configuration gives to EMR
 *    carries `for-use-with-amazon-emr-managed-policies = true`, without which
 *    AmazonEMRServicePolicy_v2 does not let EMR launch instances with it, or the cluster's
 *    service role has its own statement allowing the launch actions on exactly that group
 *    (`...:security-group/${aws_security_group.<name>.id}`).
 */

/** The parts of a Terraform JSON configuration the checks read. */
export interface TfJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  locals?: Record<string, unknown>;
  provider?: { aws?: { default_tags?: unknown }[] | { default_tags?: unknown } };
  [key: string]: unknown;
}

export type LifecycleRule =
  | 'unwritten-code'
  | 'unguaranteed-model-version'
  | 'scheduled-step-on-idle-cluster'
  | 'emr-security-group-untagged';

export interface LifecycleViolation {
  readonly rule: LifecycleRule;
  /** The resource that would fail (`type.name`). */
  readonly address: string;
  /** Where in it (attribute path, or state name inside a definition). */
  readonly attribute: string;
  readonly detail: string;
}

/** The tag AmazonEMRServicePolicy_v2 requires on security groups EMR may use. */
export const EMR_MANAGED_POLICY_TAG = 'for-use-with-amazon-emr-managed-policies';

// ---------------------------------------------------------------------------------------
// Small helpers over cdktf's JSON (single blocks are objects, repeated ones lists).

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A block or list of blocks as a list. */
function blocks(v: unknown): Obj[] {
  if (Array.isArray(v)) return v.filter(isObj);
  return isObj(v) ? [v] : [];
}

function resources(config: TfJson, type: string): [string, Obj][] {
  return Object.entries(config.resource?.[type] ?? {}).sort(([a], [b]) => a.localeCompare(b));
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Names of resources of `type` an expression refers to (`${type.name.attr}`, `type.name` in HCL). */
function refsTo(type: string, text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(new RegExp(`(?<![\\w.])${type}\\.([A-Za-z0-9_-]+)`, 'g'))) out.add(m[1]);
  return [...out].sort();
}

// ---------------------------------------------------------------------------------------
// Rule 1: code read from a created bucket must be written by the configuration.

/** One place where a resource reads code (or a certificate, or a model artifact) from S3. */
export interface CodeRead {
  readonly address: string;
  readonly attribute: string;
  /** What is read: `code`, `certificate`, `model artifact`. */
  readonly kind: string;
  readonly bucket: string;
  readonly key: string;
}

/** File types that are code or certificates wherever they appear in a job's arguments. */
const CODE_FILE = /\.(py|jar|zip|egg|whl|sh|r|scala|pem|crt|sql|ipynb)$|(^|\/)sourcedir\.tar\.gz$/i;
/** spark-submit options whose value is a comma-separated list of code files. */
const CODE_OPTIONS = new Set(['--py-files', '--jars', '--files', '--archives']);
/** Glue job arguments whose value is a comma-separated list of code files. */
const GLUE_CODE_ARGUMENTS = ['--extra-py-files', '--extra-jars', '--extra-files'];

/** Splits an S3 location (`s3://b/k`, `arn:...:s3:::b/k`, `${aws_s3_bucket.x.arn}/k`) into bucket and key. */
export function splitS3(location: string): { bucket: string; key: string } | undefined {
  let rest: string;
  const arnRef = /^(\$\{aws_s3_bucket\.[A-Za-z0-9_-]+\.arn\})\/(.*)$/.exec(location);
  if (arnRef) return { bucket: arnRef[1], key: arnRef[2] };
  if (location.startsWith('s3://')) rest = location.slice(5);
  else if (/^arn:aws[a-z-]*:s3:::/.test(location)) rest = location.replace(/^arn:aws[a-z-]*:s3:::/, '');
  else return undefined;
  // The bucket ends at the first '/' outside a ${...} expression.
  let depth = 0;
  for (let i = 0; i < rest.length; i++) {
    if (rest.startsWith('${', i)) depth++;
    else if (rest[i] === '}' && depth > 0) depth--;
    else if (rest[i] === '/' && depth === 0) return { bucket: rest.slice(0, i), key: rest.slice(i + 1) };
  }
  return { bucket: rest, key: '' };
}

/** The address of the bucket resource an expression or literal name denotes, if the configuration creates it. */
function createdBucket(config: TfJson, bucket: string, seen = new Set<string>()): string | undefined {
  const ref = /^\$\{aws_s3_bucket\.([A-Za-z0-9_-]+)\.(bucket|id|arn)\}$/.exec(bucket);
  if (ref) return config.resource?.aws_s3_bucket?.[ref[1]] ? `aws_s3_bucket.${ref[1]}` : undefined;
  const objRef = /^\$\{aws_s3_object\.([A-Za-z0-9_-]+)\.bucket\}$/.exec(bucket);
  if (objRef) {
    const obj = config.resource?.aws_s3_object?.[objRef[1]];
    if (!obj || seen.has(objRef[1])) return undefined;
    seen.add(objRef[1]);
    return createdBucket(config, String(obj.bucket ?? ''), seen);
  }
  if (bucket.includes('${')) return undefined;
  const found = resources(config, 'aws_s3_bucket').find(([, r]) => r.bucket === bucket);
  return found ? `aws_s3_bucket.${found[0]}` : undefined;
}

/** Whether the configuration writes `key` (or, for a prefix ending in '/', something under it) into the bucket. */
/**
 * Prefixes a CodeBuild project of the configuration publishes to: pipeform's Build stage
 * syncs the repository's training code to `PIPEFORM_CODE_URI`, and CodePipeline runs it
 * once on creation, before any training run can read the code.
 */
function publishedPrefixes(config: TfJson): { bucket: string; key: string }[] {
  return resources(config, 'aws_codebuild_project').flatMap(([, p]) =>
    blocks(p.environment)
      .flatMap((e) => blocks(e.environment_variable))
      .filter((v) => v.name === 'PIPEFORM_CODE_URI' && typeof v.value === 'string')
      .flatMap((v) => {
        const s3 = splitS3(String(v.value));
        return s3 ? [s3] : [];
      }),
  );
}

function written(config: TfJson, bucketAddress: string, key: string): boolean {
  const published = publishedPrefixes(config).some(
    (p) => createdBucket(config, p.bucket) === bucketAddress && p.key.endsWith('/') && key.startsWith(p.key),
  );
  if (published) return true;
  const objects = [...resources(config, 'aws_s3_object'), ...resources(config, 'aws_s3_bucket_object')];
  for (const name of refsTo('aws_s3_object', key)) {
    const obj = config.resource?.aws_s3_object?.[name];
    if (obj && createdBucket(config, String(obj.bucket ?? '')) === bucketAddress) return true;
  }
  return objects.some(([, o]) => {
    if (createdBucket(config, String(o.bucket ?? '')) !== bucketAddress) return false;
    const k = String(o.key ?? '');
    return k === key || (key.endsWith('/') && k.startsWith(key));
  });
}

function read(address: string, attribute: string, kind: string, location: unknown): CodeRead[] {
  if (typeof location !== 'string') return [];
  const s3 = splitS3(location);
  return s3 ? [{ address, attribute, kind, ...s3 }] : [];
}

/** The S3 code files among a step's command-line arguments. */
function codeInArgs(address: string, attribute: string, args: unknown): CodeRead[] {
  if (!Array.isArray(args)) return [];
  const out: CodeRead[] = [];
  args.forEach((arg, i) => {
    if (typeof arg !== 'string') return;
    const afterOption = i > 0 && CODE_OPTIONS.has(String(args[i - 1]));
    for (const part of afterOption ? arg.split(',') : [arg]) {
      const s3 = splitS3(part);
      if (s3 && (afterOption || CODE_FILE.test(s3.key)))
        out.push({ address, attribute: `${attribute}[${i}]`, kind: 'code', ...s3 });
    }
  });
  return out;
}

function commaList(address: string, attribute: string, value: unknown): CodeRead[] {
  if (typeof value !== 'string') return [];
  return value.split(',').flatMap((v) => read(address, attribute, 'code', v.trim()));
}

/** Walks Step Functions states, into Parallel branches and Map iterators. */
function states(definition: unknown, prefix = ''): [string, Obj][] {
  if (!isObj(definition) || !isObj(definition.States)) return [];
  return Object.entries(definition.States).flatMap(([name, st]) => {
    if (!isObj(st)) return [];
    const here: [string, Obj][] = [[`${prefix}${name}`, st]];
    const nested = [
      ...blocks(st.Branches).flatMap((b, i) => states(b, `${prefix}${name}.Branches[${i}].`)),
      ...(isObj(st.Iterator) ? states(st.Iterator, `${prefix}${name}.Iterator.`) : []),
      ...(isObj(st.ItemProcessor) ? states(st.ItemProcessor, `${prefix}${name}.ItemProcessor.`) : []),
    ];
    return [...here, ...nested];
  });
}

function stateMachineCodeReads(address: string, definition: unknown): CodeRead[] {
  return states(definition).flatMap(([name, st]) => {
    const resource = String(st.Resource ?? '');
    const p = isObj(st.Parameters) ? st.Parameters : {};
    const at = `definition.States.${name}.Parameters`;
    if (/elasticmapreduce:createCluster/.test(resource)) {
      return [
        ...blocks(p.BootstrapActions).flatMap((b, i) =>
          read(
            address,
            `${at}.BootstrapActions[${i}].ScriptBootstrapAction.Path`,
            'code',
            (b.ScriptBootstrapAction as Obj)?.Path,
          ),
        ),
        ...blocks(p.Steps).flatMap((s, i) => hadoopStep(address, `${at}.Steps[${i}]`, s)),
      ];
    }
    if (/elasticmapreduce:addStep/.test(resource)) return hadoopStep(address, `${at}.Step`, p.Step);
    if (/emr-serverless:startJobRun/.test(resource)) {
      const spark = isObj(p.JobDriver) && isObj(p.JobDriver.SparkSubmit) ? p.JobDriver.SparkSubmit : {};
      return [
        ...read(address, `${at}.JobDriver.SparkSubmit.EntryPoint`, 'code', spark.EntryPoint),
        ...codeInArgs(address, `${at}.JobDriver.SparkSubmit.EntryPointArguments`, spark.EntryPointArguments),
        ...codeInArgs(
          address,
          `${at}.JobDriver.SparkSubmit.SparkSubmitParameters`,
          typeof spark.SparkSubmitParameters === 'string' ? spark.SparkSubmitParameters.split(/\s+/) : [],
        ),
      ];
    }
    if (/glue:startJobRun/.test(resource) && isObj(p.Arguments)) {
      const args = p.Arguments;
      return GLUE_CODE_ARGUMENTS.flatMap((a) => commaList(address, `${at}.Arguments.${a}`, args[a]));
    }
    return [];
  });
}

function hadoopStep(address: string, at: string, step: unknown): CodeRead[] {
  const jar = isObj(step) && isObj(step.HadoopJarStep) ? step.HadoopJarStep : {};
  return [
    ...read(address, `${at}.HadoopJarStep.Jar`, 'code', jar.Jar),
    ...codeInArgs(address, `${at}.HadoopJarStep.Args`, jar.Args),
  ];
}

/** A literal string, or a SageMaker pipeline `Std:Join` of literals (anything else: undefined). */
function pipelineString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (isObj(v) && isObj(v['Std:Join'])) {
    const j = v['Std:Join'] as { On?: string; Values?: unknown[] };
    const parts = (j.Values ?? []).map(pipelineString);
    return parts.every((x) => x !== undefined) ? parts.join(j.On ?? '') : undefined;
  }
  return undefined;
}

/** A hyperparameter value as SageMaker framework containers read it (JSON-encoded strings decoded). */
function hyperparameter(v: unknown): string | undefined {
  const s = pipelineString(v);
  if (s === undefined) return undefined;
  const decoded = parseJson(s);
  return typeof decoded === 'string' ? decoded : s;
}

function pipelineSteps(steps: unknown, prefix: string): [string, Obj][] {
  return blocks(steps).flatMap((step) => {
    const name = `${prefix}${String(step.Name ?? '?')}`;
    const args = isObj(step.Arguments) ? step.Arguments : {};
    return [
      [name, step] as [string, Obj],
      ...pipelineSteps(args.IfSteps, `${name}.IfSteps.`),
      ...pipelineSteps(args.ElseSteps, `${name}.ElseSteps.`),
    ];
  });
}

function trainingJobCode(address: string, at: string, job: unknown): CodeRead[] {
  if (!isObj(job)) return [];
  const hp = isObj(job.HyperParameters)
    ? job.HyperParameters
    : isObj(job.StaticHyperParameters)
      ? job.StaticHyperParameters
      : {};
  const field = isObj(job.HyperParameters) ? 'HyperParameters' : 'StaticHyperParameters';
  return [
    ...read(
      address,
      `${at}.${field}.sagemaker_submit_directory`,
      'code',
      hyperparameter(hp.sagemaker_submit_directory),
    ),
    ...blocks(job.InputDataConfig).flatMap((c, i) =>
      c.ChannelName === 'code'
        ? read(
            address,
            `${at}.InputDataConfig[${i}]`,
            'code',
            pipelineString(
              (c.DataSource as Obj)?.S3DataSource && ((c.DataSource as Obj).S3DataSource as Obj).S3Uri,
            ),
          )
        : [],
    ),
  ];
}

function sagemakerPipelineCodeReads(address: string, definition: unknown): CodeRead[] {
  if (!isObj(definition)) return [];
  return pipelineSteps(definition.Steps, '').flatMap(([name, step]) => {
    const args = isObj(step.Arguments) ? step.Arguments : {};
    const at = `pipeline_definition.Steps.${name}.Arguments`;
    if (step.Type === 'Processing') {
      return blocks(args.ProcessingInputs).flatMap((input, i) => {
        const s3 = isObj(input.S3Input) ? input.S3Input : {};
        const uri = pipelineString(s3.S3Uri);
        const s3Split = uri ? splitS3(uri) : undefined;
        const isCode =
          input.InputName === 'code' ||
          /\/code\/?$/.test(String(s3.LocalPath ?? '')) ||
          (s3Split !== undefined && CODE_FILE.test(s3Split.key));
        return isCode ? read(address, `${at}.ProcessingInputs[${i}]`, 'code', uri) : [];
      });
    }
    if (step.Type === 'Training') return trainingJobCode(address, at, args);
    if (step.Type === 'Tuning') {
      return [
        ...trainingJobCode(address, `${at}.TrainingJobDefinition`, args.TrainingJobDefinition),
        ...blocks(args.TrainingJobDefinitions).flatMap((d, i) =>
          trainingJobCode(address, `${at}.TrainingJobDefinitions[${i}]`, d),
        ),
      ];
    }
    return [];
  });
}

/** Model Monitor job definitions whose app specification may run user code. */
const MONITOR_APP_SPECS: Record<string, string> = {
  aws_sagemaker_data_quality_job_definition: 'data_quality_app_specification',
  aws_sagemaker_model_quality_job_definition: 'model_quality_app_specification',
  aws_sagemaker_model_bias_job_definition: 'model_bias_app_specification',
  aws_sagemaker_model_explainability_job_definition: 'model_explainability_app_specification',
};

/** Every place a resource of the configuration reads code, a certificate or a model artifact from S3. */
export function codeReads(config: TfJson): CodeRead[] {
  const out: CodeRead[] = [];
  for (const [name, r] of resources(config, 'aws_lambda_function')) {
    if (typeof r.s3_bucket === 'string' && typeof r.s3_key === 'string') {
      out.push({
        address: `aws_lambda_function.${name}`,
        attribute: 's3_key',
        kind: 'code',
        bucket: r.s3_bucket,
        key: r.s3_key,
      });
    }
  }
  for (const [name, r] of resources(config, 'aws_glue_job')) {
    const address = `aws_glue_job.${name}`;
    for (const c of blocks(r.command))
      out.push(...read(address, 'command.script_location', 'code', c.script_location));
    const args = isObj(r.default_arguments) ? r.default_arguments : {};
    for (const a of GLUE_CODE_ARGUMENTS) out.push(...commaList(address, `default_arguments.${a}`, args[a]));
  }
  for (const [name, r] of resources(config, 'aws_emr_security_configuration')) {
    const conf = parseJson(r.configuration) as Obj | undefined;
    const tls = (((conf?.EncryptionConfiguration as Obj)?.InTransitEncryptionConfiguration as Obj)
      ?.TLSCertificateConfiguration ?? {}) as Obj;
    out.push(
      ...read(
        `aws_emr_security_configuration.${name}`,
        'configuration.EncryptionConfiguration.InTransitEncryptionConfiguration.TLSCertificateConfiguration.S3Object',
        'certificate',
        tls.S3Object,
      ),
    );
  }
  for (const [name, r] of resources(config, 'aws_emr_cluster')) {
    const address = `aws_emr_cluster.${name}`;
    blocks(r.bootstrap_action).forEach((b, i) =>
      out.push(...read(address, `bootstrap_action[${i}].path`, 'code', b.path)),
    );
    blocks(r.step).forEach((s, i) =>
      blocks(s.hadoop_jar_step).forEach((h) => {
        out.push(...read(address, `step[${i}].hadoop_jar_step.jar`, 'code', h.jar));
        out.push(...codeInArgs(address, `step[${i}].hadoop_jar_step.args`, h.args));
      }),
    );
  }
  for (const [name, r] of resources(config, 'aws_sfn_state_machine')) {
    out.push(...stateMachineCodeReads(`aws_sfn_state_machine.${name}`, parseJson(r.definition)));
  }
  for (const [name, r] of resources(config, 'aws_sagemaker_pipeline')) {
    out.push(
      ...sagemakerPipelineCodeReads(`aws_sagemaker_pipeline.${name}`, parseJson(r.pipeline_definition)),
    );
  }
  for (const [name, r] of resources(config, 'aws_codebuild_project')) {
    const address = `aws_codebuild_project.${name}`;
    for (const s of blocks(r.source)) {
      out.push(...read(address, 'source.buildspec', 'code', s.buildspec));
      if (s.type === 'S3' && typeof s.location === 'string')
        out.push(...read(address, 'source.location', 'code', `s3://${s.location}`));
    }
  }
  for (const [name, r] of resources(config, 'aws_sagemaker_model')) {
    const address = `aws_sagemaker_model.${name}`;
    const containers: [string, Obj][] = [
      ...blocks(r.primary_container).map((c) => ['primary_container', c] as [string, Obj]),
      ...blocks(r.container).map((c, i) => [`container[${i}]`, c] as [string, Obj]),
    ];
    for (const [at, c] of containers) {
      // A multi-model endpoint loads models from its prefix on demand: a data prefix that fills up later.
      if (c.mode === 'MultiModel') continue;
      out.push(...read(address, `${at}.model_data_url`, 'model artifact', c.model_data_url));
      for (const src of blocks(c.model_data_source))
        for (const s3 of blocks(src.s3_data_source))
          out.push(
            ...read(address, `${at}.model_data_source.s3_data_source.s3_uri`, 'model artifact', s3.s3_uri),
          );
    }
  }
  for (const [type, spec] of Object.entries(MONITOR_APP_SPECS)) {
    for (const [name, r] of resources(config, type)) {
      for (const app of blocks(r[spec])) {
        for (const attr of ['record_preprocessor_source_uri', 'post_analytics_processor_source_uri']) {
          out.push(...read(`${type}.${name}`, `${spec}.${attr}`, 'code', app[attr]));
        }
      }
    }
  }
  return out;
}

/** Rule 1: reads of code from buckets this configuration creates, of keys it does not write. */
export function unwrittenCode(config: TfJson): LifecycleViolation[] {
  return codeReads(config).flatMap((r) => {
    const bucket = createdBucket(config, r.bucket);
    if (!bucket || written(config, bucket, r.key)) return [];
    return [
      {
        rule: 'unwritten-code' as const,
        address: r.address,
        attribute: r.attribute,
        detail: `reads ${r.kind} s3://${r.bucket}/${r.key} from ${bucket}, which the same apply creates empty; no aws_s3_object writes that key`,
      },
    ];
  });
}

// ---------------------------------------------------------------------------------------
// Rule 2: registry versions the first apply cannot guarantee.

const LEDGER = /(?<![\w.])data\.aws_ssm_parameters?(_by_path)?\.[A-Za-z0-9_-]+/;

/** Whether an expression depends on the deploy ledger (an SSM data source), directly or through locals. */
function readsLedger(config: TfJson, expr: unknown, seen = new Set<string>()): boolean {
  const text = JSON.stringify(expr ?? null);
  if (LEDGER.test(text)) return true;
  for (const m of text.matchAll(/(?<![\w.])local\.([A-Za-z0-9_-]+)/g)) {
    if (seen.has(m[1])) continue;
    seen.add(m[1]);
    if (readsLedger(config, config.locals?.[m[1]], seen)) return true;
  }
  return false;
}

/** The package groups this configuration creates, by name and by resource name. */
function createdGroups(config: TfJson): { names: Set<string>; resources: Set<string> } {
  const groups = resources(config, 'aws_sagemaker_model_package_group');
  return {
    names: new Set(groups.map(([, g]) => String(g.model_package_group_name ?? ''))),
    resources: new Set(groups.map(([n]) => n)),
  };
}

/** Rule 2: models that name a version of a group this configuration creates, not gated on the ledger. */
export function unguaranteedModelVersions(config: TfJson): LifecycleViolation[] {
  const groups = createdGroups(config);
  const out: LifecycleViolation[] = [];
  for (const [name, r] of resources(config, 'aws_sagemaker_model')) {
    const containers: [string, Obj][] = [
      ...blocks(r.primary_container).map((c) => ['primary_container', c] as [string, Obj]),
      ...blocks(r.container).map((c, i) => [`container[${i}]`, c] as [string, Obj]),
    ];
    for (const [at, c] of containers) {
      const pkg = c.model_package_name;
      if (typeof pkg !== 'string') continue;
      const group = /model-package\/([^/]+)\//.exec(pkg)?.[1];
      const inCreatedGroup =
        refsTo('aws_sagemaker_model_package_group', pkg).some((g) => groups.resources.has(g)) ||
        (group !== undefined && groups.names.has(group));
      if (!inCreatedGroup) continue;
      const gated = readsLedger(config, r.count) || readsLedger(config, r.for_each);
      if (gated) continue;
      out.push({
        rule: 'unguaranteed-model-version',
        address: `aws_sagemaker_model.${name}`,
        attribute: `${at}.model_package_name`,
        detail: `serves ${pkg}, a version of a package group the same apply creates empty; CreateModel fails until that version exists, and the model is not gated on the deploy ledger`,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Rule 3: scheduled steps on clusters that terminate on their own.

/** State machines an EventBridge rule with a schedule, or an EventBridge Scheduler schedule, starts. */
function scheduledStateMachines(config: TfJson): Map<string, string> {
  const out = new Map<string, string>();
  const scheduledRules = new Set(
    resources(config, 'aws_cloudwatch_event_rule')
      .filter(([, r]) => typeof r.schedule_expression === 'string')
      .map(([n]) => n),
  );
  for (const [name, t] of resources(config, 'aws_cloudwatch_event_target')) {
    const rule = refsTo('aws_cloudwatch_event_rule', JSON.stringify(t.rule ?? '')).find((r) =>
      scheduledRules.has(r),
    );
    if (!rule) continue;
    for (const sm of refsTo('aws_sfn_state_machine', JSON.stringify(t.arn ?? ''))) {
      out.set(sm, `aws_cloudwatch_event_target.${name} (rule ${rule})`);
    }
  }
  for (const [name, s] of resources(config, 'aws_scheduler_schedule')) {
    for (const t of blocks(s.target))
      for (const sm of refsTo('aws_sfn_state_machine', JSON.stringify(t.arn ?? '')))
        out.set(sm, `aws_scheduler_schedule.${name}`);
  }
  // A scheduled machine that starts another one schedules it too.
  let grew = true;
  while (grew) {
    grew = false;
    for (const [sm, via] of [...out]) {
      const def = parseJson(config.resource?.aws_sfn_state_machine?.[sm]?.definition);
      for (const [, st] of states(def)) {
        if (!/states:startExecution/.test(String(st.Resource ?? ''))) continue;
        for (const child of refsTo('aws_sfn_state_machine', JSON.stringify(st.Parameters ?? {}))) {
          if (!out.has(child)) {
            out.set(child, `${via} via aws_sfn_state_machine.${sm}`);
            grew = true;
          }
        }
      }
    }
  }
  return out;
}

/** Why a cluster terminates on its own, or undefined when it stays up. */
function terminatesOnItsOwn(cluster: Obj): string | undefined {
  const idle = blocks(cluster.auto_termination_policy).find((p) => p.idle_timeout !== undefined);
  if (idle) return `auto-terminates after ${String(idle.idle_timeout)} s idle`;
  if (cluster.keep_job_flow_alive_when_no_steps === false) return 'terminates when it has no steps left';
  return undefined;
}

/** Rule 3: scheduled workflows that add steps to a long-lived cluster which can be gone by then. */
export function scheduledStepsOnIdleClusters(config: TfJson): LifecycleViolation[] {
  const out: LifecycleViolation[] = [];
  for (const [sm, via] of scheduledStateMachines(config)) {
    const def = parseJson(config.resource?.aws_sfn_state_machine?.[sm]?.definition);
    for (const [state, st] of states(def)) {
      if (!/elasticmapreduce:addStep/.test(String(st.Resource ?? ''))) continue;
      const clusterId = (st.Parameters as Obj | undefined)?.ClusterId;
      for (const c of refsTo('aws_emr_cluster', JSON.stringify(clusterId ?? ''))) {
        const cluster = config.resource?.aws_emr_cluster?.[c];
        const why = cluster ? terminatesOnItsOwn(cluster) : undefined;
        if (!why) continue;
        out.push({
          rule: 'scheduled-step-on-idle-cluster',
          address: `aws_sfn_state_machine.${sm}`,
          attribute: `definition.States.${state}.Parameters.ClusterId`,
          detail: `started on a schedule by ${via}, adds a step to aws_emr_cluster.${c}, which ${why}`,
        });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Rule 4: security groups given to EMR carry the managed-policy tag.

const EMR_SG_ATTRIBUTES = [
  'emr_managed_master_security_group',
  'emr_managed_slave_security_group',
  'service_access_security_group',
  'additional_master_security_groups',
  'additional_slave_security_groups',
];
const EMR_SG_PARAMETERS = [
  'EmrManagedMasterSecurityGroup',
  'EmrManagedSlaveSecurityGroup',
  'ServiceAccessSecurityGroup',
  'AdditionalMasterSecurityGroups',
  'AdditionalSlaveSecurityGroups',
];

function defaultTags(config: TfJson): Obj {
  const aws = config.provider?.aws;
  const first = Array.isArray(aws) ? aws[0] : aws;
  const tags = blocks(first?.default_tags)[0]?.tags;
  return isObj(tags) ? tags : {};
}

const tagTrue = (v: unknown) => v === true || v === 'true';

/** What EMR does with a security group when it launches instances (AmazonEMRServicePolicy_v2's tagged statements). */
const EMR_LAUNCH_ACTIONS = ['ec2:CreateFleet', 'ec2:CreateNetworkInterface', 'ec2:RunInstances'];

/**
 * Whether the EMR service role (a reference to an `aws_iam_role`, or its name or ARN) has
 * an inline statement of its own that allows every launch action on exactly this network
 * resource (`kind` `security-group` or `subnet`, `type.name` its Terraform address): the
 * scoped alternative to tagging a resource EMR did not create.
 */
export function serviceRoleMayLaunchWith(
  config: TfJson,
  serviceRole: unknown,
  kind: 'security-group' | 'subnet',
  address: string,
): boolean {
  const roles = refsTo('aws_iam_role', JSON.stringify(serviceRole ?? ''));
  const target = `:${kind}/\${${address}.id}`;
  const statements = resources(config, 'aws_iam_role_policy')
    .filter(([, p]) => refsTo('aws_iam_role', JSON.stringify(p.role ?? '')).some((r) => roles.includes(r)))
    .flatMap(([, p]) => {
      const doc = parseJson(p.policy);
      return isObj(doc) ? blocks(doc.Statement) : [];
    })
    .filter((st) => st.Effect === 'Allow');
  const list = (v: unknown): string[] =>
    Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];
  return EMR_LAUNCH_ACTIONS.every((action) =>
    statements.some(
      (st) => list(st.Action).includes(action) && list(st.Resource).some((r) => r.endsWith(target)),
    ),
  );
}

/** Rule 4: security groups given to EMR (clusters, and clusters a state machine creates) without the tag. */
export function untaggedEmrSecurityGroups(config: TfJson): LifecycleViolation[] {
  const uses: { address: string; attribute: string; value: unknown; serviceRole: unknown }[] = [];
  for (const [name, r] of resources(config, 'aws_emr_cluster')) {
    for (const ec2 of blocks(r.ec2_attributes))
      for (const a of EMR_SG_ATTRIBUTES)
        uses.push({
          address: `aws_emr_cluster.${name}`,
          attribute: `ec2_attributes.${a}`,
          value: ec2[a],
          serviceRole: r.service_role,
        });
  }
  for (const [name, r] of resources(config, 'aws_sfn_state_machine')) {
    for (const [state, st] of states(parseJson(r.definition))) {
      if (!/elasticmapreduce:createCluster/.test(String(st.Resource ?? ''))) continue;
      const instances = isObj(st.Parameters) && isObj(st.Parameters.Instances) ? st.Parameters.Instances : {};
      for (const p of EMR_SG_PARAMETERS) {
        uses.push({
          address: `aws_sfn_state_machine.${name}`,
          attribute: `definition.States.${state}.Parameters.Instances.${p}`,
          value: instances[p],
          serviceRole: isObj(st.Parameters) ? st.Parameters.ServiceRole : undefined,
        });
      }
    }
  }
  const provided = defaultTags(config);
  const out: LifecycleViolation[] = [];
  for (const use of uses) {
    for (const sg of refsTo('aws_security_group', JSON.stringify(use.value ?? ''))) {
      const group = config.resource?.aws_security_group?.[sg];
      if (!group) continue;
      const tags = isObj(group.tags) ? group.tags : {};
      if (tagTrue(tags[EMR_MANAGED_POLICY_TAG]) || tagTrue(provided[EMR_MANAGED_POLICY_TAG])) continue;
      if (serviceRoleMayLaunchWith(config, use.serviceRole, 'security-group', `aws_security_group.${sg}`))
        continue;
      out.push({
        rule: 'emr-security-group-untagged',
        address: use.address,
        attribute: use.attribute,
        detail: `gives aws_security_group.${sg} to EMR without the tag ${EMR_MANAGED_POLICY_TAG} = true; AmazonEMRServicePolicy_v2 does not let EMR launch instances with it`,
      });
    }
  }
  return out;
}

/** Every lifecycle violation of a configuration, rule by rule. */
export function lifecycleViolations(config: TfJson): LifecycleViolation[] {
  return [
    ...unwrittenCode(config),
    ...unguaranteedModelVersions(config),
    ...scheduledStepsOnIdleClusters(config),
    ...untaggedEmrSecurityGroups(config),
  ];
}
