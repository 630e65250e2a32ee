import { posix } from 'node:path';
import type { ResolvedAsset } from '../../model/assets';
import { REGISTRY_VERSION_RANGE } from '../../spec/schema';
import type {
  ResolvedAsync,
  ResolvedAutoscaling,
  ResolvedDataCapture,
  ResolvedDeployment,
  ResolvedEdge,
  ResolvedEdgeModel,
  ResolvedEdgeRegistry,
  ResolvedEdgeRegistryModel,
  ResolvedEndpoint,
  ResolvedArtifactLocation,
  ResolvedServingImage,
  ResolvedModel,
  ResolvedRegistryEndpoint,
  ResolvedServing,
  ResolvedServingDeploy,
  ResolvedVariant,
} from '../../model/serving';
import type {
  PipelineSpec,
  ServingEdge,
  ServingEndpoint,
  ServingModel,
  ServingShadow,
  ServingVariant,
} from '../../spec/types.generated';
import {
  autoscalingOn,
  dataCaptureOn,
  DEFAULTS,
  defaultMaxExecutionSeconds,
  deploymentSize,
  endpointNameOf,
  endpointNetworkIsolation,
  endpointType,
  instanceFamily,
  LATEST_APPROVED,
  parseImageUri,
  specVariants,
  variantBounds,
  variantModel,
} from '../../areas/serving/catalog';
import { resolveCodeFile } from './assets';
import { normalizeNetwork, placementIdentity } from './network';
import { resolveValues } from './secrets';
import { hashText, shortHash, withPreimages } from '../short-hash';
import { partitionOf } from '../arn';
import { defaultBucketPrefix } from './storage';
import { DEFAULTS as SECURITY_DEFAULTS } from '../../areas/security/catalog';
import { DEFAULTS as CICD_DEFAULTS } from '../../areas/cicd/catalog';

/** ECR repositories of the built-in images, by spec framework name. */
export const BUILTIN_IMAGE_REPOSITORIES: Readonly<Record<string, string>> = {
  xgboost: 'sagemaker-xgboost',
  sklearn: 'sagemaker-scikit-learn',
  pytorch: 'pytorch-inference',
  tensorflow: 'tensorflow-inference',
  'huggingface-pytorch': 'huggingface-pytorch-inference',
  triton: 'sagemaker-tritonserver',
};

/** Longest prefix `name_prefix` takes: SageMaker names are 63 characters and Terraform adds 26. */
export const CONFIG_NAME_PREFIX_MAX = 37;
/** Model names are 63 characters; 7 are kept for `-v<version>` of registry models (versions up to 99999). */
const MODEL_NAME_MAX = 56;
/** The time a serving deploy run gets beyond the endpoints' own deployment limits. */
const DEPLOY_OVERHEAD_SECONDS = 900;

/**
 * The digest naming the endpoint configurations of a registry endpoint: the first 8 hex
 * digits of SHA-256 over the endpoint token and the variant tokens (sorted by variant name),
 * joined with commas. The Terraform configuration computes the same with `sha256()` over
 * the variants the ledger has deployed, so the formula is written once here and once there.
 */
export function configToken(endpointToken: string, variantTokens: readonly string[]): string {
  return hashText([endpointToken, ...variantTokens].join(','));
}

/** `text`, cut to `max` characters with a hash of the whole when it is longer. */
function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 9).replace(/-+$/, '')}-${shortHash(text)}`;
}

interface Context {
  readonly spec: PipelineSpec;
  /** The spec file: local model archives are relative to its folder. */
  readonly specFile: string;
  readonly pipeline: string;
  readonly partition: string;
  readonly bucketPrefix: string;
  /** The model package group registry models come from, and its ARN prefix. */
  readonly group: string;
  readonly packageArnPrefix: string;
  readonly registryOwner?: RegistryOwner;
}

/**
 * Where a promoted environment's registry lives: another environment's model package group
 * (`promotion`), in that environment's account. Undefined: the pipeline's own group.
 */
export interface RegistryOwner {
  readonly account: string;
  /** The owner's pipeline name: its group is `<pipeline>-models`. */
  readonly pipeline: string;
  /** Approvals wait for this environment's own approval gate before the deploy starts. */
  readonly gated: boolean;
}

/**
 * Where a variant's model archive is. `artifact.file` resolves like every code field; its
 * upload (id `serving-<endpoint>-<variant>`, the address of the model it feeds) ends in
 * `<endpoint>-<variant>-<file name>`, so two variants naming one archive write two objects
 * rather than one key from two resources (destroying either would delete the other's).
 */
function resolveArchive(
  artifact: NonNullable<ServingModel['artifact']>,
  endpoint: string,
  variant: string,
  c: Context,
): ResolvedArtifactLocation {
  if (artifact.file !== undefined) {
    return resolveCodeFile(
      artifact.file,
      c.specFile,
      `serving-${endpoint}-${variant}`,
      'file',
      `${endpoint}-${variant}-${posix.basename(artifact.file)}`,
    );
  }
  const bucket = artifact.bucket ?? DEFAULTS.artifactBucket;
  return { kind: 'lake', bucket, bucketName: `${c.bucketPrefix}-${bucket}`, key: artifact.key ?? '' };
}

/**
 * What a model name hashes of its source. A lake key in the shape names had before
 * `artifact.file` existed (so upgrading pipeform renames no deployed model); a file as the
 * spec gives it, not an asset's `path`, which holds the spec's folder on this machine: the
 * same spec must give the same names everywhere. A local archive's content is hashed in
 * by {@link withArchiveDigests}.
 */
function sourceIdentity(source: ResolvedModel['source']): unknown {
  if (source.kind === 'registry') return { ...source, version: undefined };
  const { location: l, image } = source;
  if (l.kind === 'lake')
    return { kind: source.kind, bucket: l.bucket, bucketName: l.bucketName, key: l.key, image };
  const archive =
    l.kind === 's3'
      ? l
      : { kind: l.kind, id: l.asset.id, source: l.asset.source, fileName: l.asset.fileName };
  return { kind: source.kind, archive, image };
}

function resolveImage(m: ServingModel, c: Context): ResolvedServingImage {
  if (m.builtinImage) {
    return {
      kind: 'builtin',
      repository: BUILTIN_IMAGE_REPOSITORIES[m.builtinImage.framework],
      tag: m.builtinImage.version,
    };
  }
  const uri = m.image ?? '';
  const parts = parseImageUri(uri);
  if (!parts) throw new Error(`internal: image ${JSON.stringify(uri)} passed the check stage unparsed`);
  return {
    kind: 'uri',
    uri,
    repositoryArn: `arn:${c.partition}:ecr:${parts.region}:${parts.account}:repository/${parts.repository}`,
  };
}

function resolveModel(
  e: ServingEndpoint,
  variant: string,
  m: ServingModel,
  c: Context,
  vpc: { inVpc: boolean; networkIsolation: boolean },
): ResolvedModel {
  const endpointName = endpointNameOf(c.pipeline, e);
  const { values: environment, secrets } = resolveValues(m.environment, 'env');
  let source: ResolvedModel['source'];
  if (m.registry) {
    const group = c.group;
    const version = m.registry.version;
    if (typeof version === 'string' && version !== LATEST_APPROVED) {
      throw new Error(`internal: registry version ${JSON.stringify(version)} passed the check stage`);
    }
    source = {
      kind: 'registry',
      packageGroup: group,
      packageArnPrefix: c.packageArnPrefix,
      version: typeof version === 'string' ? LATEST_APPROVED : version,
    };
  } else {
    source = {
      kind: 'artifact',
      location: resolveArchive(m.artifact ?? {}, e.name, variant, c),
      image: resolveImage(m, c),
    };
  }
  // Every input of the (immutable) SageMaker model: when one changes, so does the name.
  // The version is left out of a registry model's hash: it ends the name instead (`-v<n>`).
  const hash = shortHash({
    source: sourceIdentity(source),
    environment,
    vpc,
    // Only where the model runs (subnets, security groups), not the rest of the network:
    // adding an interface endpoint must not rename (replace) every model.
    network: vpc.inVpc ? placementIdentity(normalizeNetwork(c.spec)) : null,
    rolePath: c.spec.security?.iam?.rolePath ?? SECURITY_DEFAULTS.iam.rolePath,
    multiModel: endpointType(e) === 'multi-model',
  });
  const base = `${endpointName}-${variant}`;
  const name =
    base.length + 9 <= MODEL_NAME_MAX ? `${base}-${hash}` : `${fit(base, MODEL_NAME_MAX - 9)}-${hash}`;
  return { name, source, environment, secrets };
}

function resolveDeployment(e: ServingEndpoint, endpointName: string): ResolvedDeployment {
  const d = e.deployment ?? {};
  const r = d.autoRollback ?? {};
  const size = deploymentSize(e);
  return {
    strategy: d.strategy ?? DEFAULTS.deployment.strategy,
    ...(size ? { size } : {}),
    waitSeconds: d.waitSeconds ?? DEFAULTS.deployment.waitSeconds,
    terminationWaitSeconds: d.terminationWaitSeconds ?? DEFAULTS.deployment.terminationWaitSeconds,
    maxExecutionSeconds: d.maxExecutionSeconds ?? defaultMaxExecutionSeconds(e),
    ...((r.enabled ?? DEFAULTS.autoRollback.enabled)
      ? {
          autoRollback: {
            maxServerErrorsPerMinute:
              r.maxServerErrorsPerMinute ?? DEFAULTS.autoRollback.maxServerErrorsPerMinute,
            maxClientErrorsPerMinute:
              r.maxClientErrorsPerMinute ?? DEFAULTS.autoRollback.maxClientErrorsPerMinute,
            maxLatencyP99Ms: r.maxLatencyP99Ms ?? DEFAULTS.autoRollback.maxLatencyP99Ms,
            alarmNames: {
              serverErrors: `${endpointName}-server-errors`,
              clientErrors: `${endpointName}-client-errors`,
              modelLatency: `${endpointName}-model-latency-p99`,
            },
          },
        }
      : {}),
  };
}

function resolveAutoscaling(
  e: ServingEndpoint,
  variants: readonly string[],
): ResolvedAutoscaling | undefined {
  if (!autoscalingOn(e)) return undefined;
  const a = e.autoscaling ?? {};
  const backlog = endpointType(e) === 'async';
  return {
    metric: backlog ? 'backlog-per-instance' : 'invocations-per-instance',
    target: backlog
      ? (a.targetBacklogPerInstance ?? DEFAULTS.autoscaling.targetBacklogPerInstance)
      : (a.targetInvocationsPerInstance ?? DEFAULTS.autoscaling.targetInvocationsPerInstance),
    scaleInCooldownSeconds: a.scaleInCooldownSeconds ?? DEFAULTS.autoscaling.scaleInCooldownSeconds,
    scaleOutCooldownSeconds: a.scaleOutCooldownSeconds ?? DEFAULTS.autoscaling.scaleOutCooldownSeconds,
    schedules: [...(a.schedules ?? [])]
      .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
      .map((s) => ({
        name: s.name,
        schedule: s.schedule,
        timezone: s.timezone ?? DEFAULTS.scheduleTimezone,
        ...(s.minInstances !== undefined ? { minInstances: s.minInstances } : {}),
        ...(s.maxInstances !== undefined ? { maxInstances: s.maxInstances } : {}),
        variants: [...(s.variants ?? variants)].sort(),
      })),
  };
}

/**
 * The variant tokens of a registry endpoint (each variant's block, model name included,
 * version excluded) and the configuration token over them.
 */
function variantTokensOf(
  endpointToken: string,
  variants: readonly ResolvedVariant[],
  shadow: ResolvedVariant | undefined,
): Pick<ResolvedRegistryEndpoint, 'variantTokens' | 'token'> {
  const variantTokens = Object.fromEntries(
    [...variants, ...(shadow ? [shadow] : [])]
      .map((v) => [
        v.name,
        shortHash({
          name: v.name,
          model: v.model.name,
          registry: v.model.source.kind === 'registry',
          instanceType: v.instanceType,
          instanceCount: v.instanceCount,
          weight: v.weight,
          shadow: v === shadow,
        }),
      ])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return { variantTokens, token: configToken(endpointToken, Object.values(variantTokens)) };
}

/** Hex characters of the hash that ends every model name. */
const MODEL_HASH_CHARS = 8;

/**
 * The endpoint with the content of its local model archives in the model names. A model is
 * immutable and named after its inputs; an archive's bytes are one, but only the build reads
 * them (`digestOf`: the SHA-256 of what it uploads). Each such model's hash becomes the hash
 * of its normalized name and that digest, so a changed archive gives a new model name: the
 * new model is created first and the endpoint configuration, and with it the endpoint,
 * moves to it. A registry endpoint's tokens follow the new names. The build applies this
 * once, before anything reads the names.
 */
export function withArchiveDigests(
  ep: ResolvedEndpoint,
  digestOf: (asset: ResolvedAsset) => string,
): ResolvedEndpoint {
  const named = (v: ResolvedVariant): ResolvedVariant => {
    const s = v.model.source;
    if (s.kind !== 'artifact' || s.location.kind !== 'asset') return v;
    const stem = v.model.name.slice(0, -MODEL_HASH_CHARS);
    const hash = shortHash({ name: v.model.name, archive: digestOf(s.location.asset) });
    return { ...v, model: { ...v.model, name: `${stem}${hash}` } };
  };
  const variants = ep.variants.map(named);
  const shadow = ep.shadow ? named(ep.shadow) : undefined;
  return {
    ...ep,
    variants,
    ...(shadow ? { shadow } : {}),
    ...(ep.registry
      ? { registry: { ...ep.registry, ...variantTokensOf(ep.registry.endpointToken, variants, shadow) } }
      : {}),
  };
}

function resolveEndpoint(e: ServingEndpoint, c: Context): ResolvedEndpoint {
  const type = endpointType(e);
  const endpointName = endpointNameOf(c.pipeline, e);
  const inVpc = type !== 'serverless';
  const networkIsolation = endpointNetworkIsolation(e);
  const vpc = { inVpc, networkIsolation };
  const modelOf = (v: ServingVariant | ServingShadow): ResolvedModel => {
    const m = variantModel(e, v);
    if (m === undefined) throw new Error(`internal: variant ${v.name} of ${e.name} has no model after check`);
    return resolveModel(e, v.name, m, c, vpc);
  };
  const scaled = autoscalingOn(e);
  const variants: ResolvedVariant[] = [...specVariants(e)]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((v) => ({
      name: v.name,
      model: modelOf(v),
      ...(type === 'serverless'
        ? {}
        : {
            instanceType: v.instanceType ?? DEFAULTS.variant.instanceType,
            instanceCount: v.instanceCount ?? DEFAULTS.variant.instanceCount,
          }),
      weight: v.weight ?? DEFAULTS.variant.weight,
      ...(scaled ? { scaling: variantBounds(v) } : {}),
    }));
  const shadow: ResolvedVariant | undefined = e.shadow
    ? {
        name: e.shadow.name,
        model: modelOf(e.shadow),
        instanceType: e.shadow.instanceType ?? DEFAULTS.shadow.instanceType,
        instanceCount: e.shadow.instanceCount ?? DEFAULTS.shadow.instanceCount,
        // The shadow's weight relative to the production weight is the share of requests copied.
        weight: ((e.shadow.samplingPercent ?? DEFAULTS.shadow.samplingPercent) / 100) * variants[0].weight,
      }
    : undefined;
  const instanceTypes = [...variants, ...(shadow ? [shadow] : [])].flatMap((v) =>
    v.instanceType ? [v.instanceType] : [],
  );
  const hashTail = `-${shortHash(endpointName)}-`;
  const volumeKey = !instanceTypes.some((t) => instanceFamily(t)?.localStorage === true);
  const dataCapture = dataCaptureOn(e) ? resolveDataCapture(e, c) : undefined;
  const asyncConfig = type === 'async' ? resolveAsync(e, c, endpointName) : undefined;
  const serverless =
    type === 'serverless'
      ? {
          memoryMb: e.serverless?.memoryMb ?? DEFAULTS.serverless.memoryMb,
          maxConcurrency: e.serverless?.maxConcurrency ?? DEFAULTS.serverless.maxConcurrency,
          ...(e.serverless?.provisionedConcurrency !== undefined
            ? { provisionedConcurrency: e.serverless.provisionedConcurrency }
            : {}),
        }
      : undefined;
  const registry: ResolvedRegistryEndpoint | undefined = [...variants, ...(shadow ? [shadow] : [])].some(
    (v) => v.model.source.kind === 'registry',
  )
    ? (() => {
        const endpointToken = shortHash({ type, volumeKey, dataCapture, async: asyncConfig, serverless });
        return {
          ledgerName: `/pipeform/${c.pipeline}/serving/${e.name}`,
          packageGroup: c.group,
          endpointToken,
          ...variantTokensOf(endpointToken, variants, shadow),
        };
      })()
    : undefined;
  return {
    name: e.name,
    endpointName,
    configNamePrefix:
      endpointName.length + 1 <= CONFIG_NAME_PREFIX_MAX
        ? `${endpointName}-`
        : `${endpointName.slice(0, CONFIG_NAME_PREFIX_MAX - hashTail.length).replace(/-+$/, '')}${hashTail}`,
    type,
    variants,
    ...(shadow ? { shadow } : {}),
    ...(serverless ? { serverless } : {}),
    ...(asyncConfig ? { async: asyncConfig } : {}),
    inVpc,
    networkIsolation,
    volumeKey,
    ...(dataCapture ? { dataCapture } : {}),
    deployment: resolveDeployment(e, endpointName),
    ...(scaled
      ? {
          autoscaling: resolveAutoscaling(
            e,
            variants.map((v) => v.name),
          ),
        }
      : {}),
    ...(e.public
      ? {
          public: {
            apiName: endpointName,
            stageName: e.public.stageName ?? DEFAULTS.public.stageName,
            throttleRateLimit: e.public.throttleRateLimit ?? DEFAULTS.public.throttleRateLimit,
            throttleBurstLimit: e.public.throttleBurstLimit ?? DEFAULTS.public.throttleBurstLimit,
            tracing: e.public.tracing ?? DEFAULTS.public.tracing,
            accessLogGroupName: `/pipeform/${c.pipeline}/api-gateway/${e.name}`,
          },
        }
      : {}),
    logGroupName: `/aws/sagemaker/Endpoints/${endpointName}`,
    roleComponent: `serving-${e.name}`,
    ...(registry ? { registry } : {}),
  };
}

function resolveDataCapture(e: ServingEndpoint, c: Context): ResolvedDataCapture {
  const dc = e.dataCapture ?? {};
  const capture = dc.capture ?? DEFAULTS.dataCapture.capture;
  return {
    samplingPercent: dc.samplingPercent ?? DEFAULTS.dataCapture.samplingPercent,
    modes:
      capture === 'input-and-output' ? ['Input', 'Output'] : capture === 'input' ? ['Input'] : ['Output'],
    bucket: 'models',
    bucketName: `${c.bucketPrefix}-models`,
    prefix: `${c.pipeline}/data-capture/${e.name}/`,
    csvContentTypes: [...(dc.csvContentTypes ?? [])].sort(),
    jsonContentTypes: [...(dc.jsonContentTypes ?? [])].sort(),
  };
}

function resolveAsync(e: ServingEndpoint, c: Context, endpointName: string): ResolvedAsync {
  const bucket = e.async?.bucket ?? DEFAULTS.async.bucket;
  return {
    bucket,
    bucketName: `${c.bucketPrefix}-${bucket}`,
    prefix: `${c.pipeline}/async/${e.name}/`,
    ...(e.async?.maxConcurrentInvocationsPerInstance !== undefined
      ? { maxConcurrentInvocationsPerInstance: e.async.maxConcurrentInvocationsPerInstance }
      : {}),
    ...((e.async?.notifications ?? DEFAULTS.async.notifications)
      ? { topics: { success: `${endpointName}-success`, error: `${endpointName}-error` } }
      : {}),
  };
}

/**
 * The endpoints the CI/CD Deploy stage deploys (behind its manual approval): the listed
 * ones, or every endpoint with a variant serving `latest-approved`; none when the spec has
 * no CI/CD Deploy stage (it needs training, whose registry it deploys from). The serving
 * deploy starts on approval by itself only for the other registry endpoints.
 */
export function cicdDeployEndpoints(spec: PipelineSpec): readonly string[] {
  const c = spec.cicd;
  if (c === undefined || spec.training === undefined || !(c.deploy?.enabled ?? CICD_DEFAULTS.deployEnabled))
    return [];
  const latest = (e: ServingEndpoint) =>
    [...specVariants(e), ...(e.shadow ? [e.shadow] : [])].some(
      (v) => variantModel(e, v)?.registry?.version === LATEST_APPROVED,
    );
  const wanted = c.deploy?.endpoints;
  return (spec.serving?.endpoints ?? [])
    .filter((e) => latest(e) && (wanted === undefined || wanted.includes(e.name)))
    .map((e) => e.name)
    .sort();
}

/** The serving deploy of a pipeline whose endpoints serve from the registry. */
function resolveDeploy(spec: PipelineSpec, c: Context, endpoints: readonly ResolvedEndpoint[]) {
  const registry = endpoints.filter((e) => e.registry !== undefined);
  if (registry.length === 0) return undefined;
  const group = c.group;
  const name = `${c.pipeline}-serving-deploy`;
  const minutes = spec.cicd?.deploy?.timeoutMinutes;
  const deploy: ResolvedServingDeploy = {
    stateMachineName: name,
    roleComponent: 'serving-deploy',
    logGroupName: `/aws/vendedlogs/states/${name}`,
    ledgerPath: `/pipeform/${c.pipeline}/serving`,
    packageGroup: group,
    packageArnPrefix: c.packageArnPrefix,
    ...(c.registryOwner
      ? {
          promotion: {
            ownerAccount: c.registryOwner.account,
            packageGroupArn: `arn:${c.partition}:sagemaker:${spec.region}:${c.registryOwner.account}:model-package-group/${group}`,
            gated: c.registryOwner.gated,
          },
        }
      : {}),
    ruleName: `${c.pipeline}-serving-approved`,
    eventsRoleComponent: 'serving-deploy-events',
    pinsPath: `/pipeform/${c.pipeline}/serving-pins`,
    pinsRulePrefix: `${c.pipeline}-pin-`,
    pinsRoleComponent: 'serving-pins',
    endpoints: registry.map((e) => e.name),
    cicdEndpoints: cicdDeployEndpoints(spec).filter((n) => registry.some((e) => e.name === n)),
    // Endpoints deploy one after another, each within its own deployment limit.
    timeoutSeconds:
      minutes !== undefined
        ? minutes * 60
        : registry.reduce((sum, e) => sum + e.deployment.maxExecutionSeconds, DEPLOY_OVERHEAD_SECONDS),
    versionRange: REGISTRY_VERSION_RANGE,
  };
  return deploy;
}

/**
 * Resolves the serving area: every endpoint with its variants, models, deployment,
 * autoscaling, data capture and front door decided and named, sorted by name; and the
 * edge fleet. Undefined when the spec has no serving section. Local model archives are
 * relative to `specFile`'s folder.
 */
export function normalizeServing(
  spec: PipelineSpec,
  specFile: string,
  registryOwner?: RegistryOwner,
): ResolvedServing | undefined {
  const serving = spec.serving;
  if (serving === undefined) return undefined;
  const partition = partitionOf(spec.region);
  const group = `${registryOwner?.pipeline ?? spec.name}-models`;
  const c: Context = {
    spec,
    specFile,
    pipeline: spec.name,
    partition,
    bucketPrefix: spec.storage?.bucketPrefix ?? defaultBucketPrefix(spec),
    group,
    packageArnPrefix: `arn:${partition}:sagemaker:${spec.region}:${registryOwner?.account ?? spec.account}:model-package/${group}/`,
    ...(registryOwner ? { registryOwner } : {}),
  };
  const modelsBucketName = `${c.bucketPrefix}-models`;
  const edge = serving.edge;
  const { result, preimages } = withPreimages(() => {
    const endpoints = [...(serving.endpoints ?? [])]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((e) => resolveEndpoint(e, c));
    const deploy = resolveDeploy(spec, c, endpoints);
    return {
      endpoints,
      ...(deploy ? { deploy } : {}),
      ...(edge ? { edge: resolveEdge(edge, spec.name, modelsBucketName, c) } : {}),
      modelsBucketName,
    };
  });
  return { ...result, hashPreimages: Object.fromEntries(preimages) };
}

/**
 * AWS-provided Greengrass runtime components by spec name, with the version line the
 * component docs list ("variant.DLR ... component version 1.6.x installs DLR v1.6.0";
 * "variant.TensorFlowLite ... installs TensorFlow Lite version 2.5.0").
 */
export const EDGE_RUNTIMES: Readonly<
  Record<string, { readonly component: string; readonly version: string }>
> = {
  dlr: { component: 'variant.DLR', version: '~1.6.0' },
  'tensorflow-lite': { component: 'variant.TensorFlowLite', version: '~2.5.0' },
};

/** The edge fleet: names, prefixes and one component per model, sorted by name. */
function resolveEdge(
  edge: ServingEdge,
  pipeline: string,
  modelsBucketName: string,
  c: Context,
): ResolvedEdge {
  const name = edge.name ?? DEFAULTS.edge.name;
  const fleetName = `${pipeline}-${name}`;
  const prefix = `${pipeline}/edge/`;
  const modelsPrefix = `${prefix}models/`;
  const componentPrefix = `${pipeline}.${name}.`;
  const sorted = [...(edge.models ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const models = sorted
    .filter((m) => m.registry !== true)
    .map((m): ResolvedEdgeModel => {
      const runtime = EDGE_RUNTIMES[m.runtime ?? DEFAULTS.edge.runtime];
      if (m.artifact === undefined || m.version === undefined) {
        throw new Error(`internal: edge model ${m.name} without artifact and version passed the check stage`);
      }
      return {
        name: m.name,
        componentName: `${componentPrefix}${m.name}`,
        version: m.version,
        artifactUri: `s3://${modelsBucketName}/${modelsPrefix}${m.artifact.key}`,
        runtimeComponent: runtime.component,
        runtimeVersion: runtime.version,
        ...(m.run !== undefined ? { run: m.run } : {}),
      };
    });
  const compiledPrefix = `${prefix}compiled/`;
  const registryModels = sorted
    .filter((m) => m.registry === true)
    .map((m): ResolvedEdgeRegistryModel => {
      const runtime = EDGE_RUNTIMES[m.runtime ?? DEFAULTS.edge.runtime];
      const k = m.compile;
      return {
        name: m.name,
        componentName: `${componentPrefix}${m.name}`,
        runtimeComponent: runtime.component,
        runtimeVersion: runtime.version,
        ...(m.run !== undefined ? { run: m.run } : {}),
        ...(k
          ? {
              compile: {
                framework: k.framework,
                dataInputConfig: k.dataInputConfig,
                ...(k.frameworkVersion !== undefined ? { frameworkVersion: k.frameworkVersion } : {}),
                ...(k.targetDevice !== undefined ? { targetDevice: k.targetDevice } : {}),
                ...(k.targetPlatform !== undefined ? { targetPlatform: { ...k.targetPlatform } } : {}),
              },
            }
          : {}),
        compiledPrefix: `${compiledPrefix}${m.name}/`,
      };
    });
  const registryName = `${fleetName}-edge-registry`;
  const registry: ResolvedEdgeRegistry | undefined =
    registryModels.length > 0
      ? {
          packageGroup: c.group,
          packageArnPrefix: c.packageArnPrefix,
          stateMachineName: registryName,
          thingGroupName: `${fleetName}-registry`,
          logGroupName: `/aws/vendedlogs/states/${registryName}`,
          ruleName: `${fleetName}-edge-approved`,
          compilationJobPrefix: `${fleetName}-`,
          artifactsPrefix: `${pipeline}/training/artifacts/`,
          compiledPrefix,
          models: registryModels,
        }
      : undefined;
  const telemetry = edge.telemetry ?? DEFAULTS.edge.telemetry;
  return {
    name,
    fleetName,
    description: edge.description ?? `pipeform ${pipeline} edge devices`,
    roleAlias: `${fleetName}-edge`,
    credentialDurationSeconds: edge.credentialDurationSeconds ?? DEFAULTS.edge.credentialDurationSeconds,
    bucket: 'models',
    bucketName: modelsBucketName,
    prefix,
    modelsPrefix,
    telemetryPrefix: `${prefix}telemetry/`,
    devicePolicyName: `${fleetName}-device`,
    claimPolicyName: `${fleetName}-claim`,
    templateName: fleetName,
    componentPrefix,
    models,
    ...(models.length > 0 ? { stackName: `${fleetName}-edge-models` } : {}),
    ...(registry ? { registry } : {}),
    ...(telemetry ? { telemetryRuleName: `${fleetName.replace(/-/g, '_')}_telemetry` } : {}),
    devices: edge.devices ?? DEFAULTS.edge.devices,
  };
}
