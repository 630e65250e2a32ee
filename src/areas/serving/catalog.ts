/**
 * The serving area's catalog: the inference instance table, the defaults (read from the
 * schema, never restated), the predicates that apply them and the endpoint name builder.
 * Pure: no cdktf, no normalize imports; the check stage, normalize, advice, cost and the
 * graph all read serving defaults from here.
 */
import type { EndpointType, ResolvedDeployment } from '../../model/serving';
import { REGISTRY_VERSION_RANGE, schemaChoiceDefault, schemaDefault, schemaPointer } from '../../spec/schema';
import type {
  ServingEndpoint,
  ServingModel,
  ServingShadow,
  ServingVariant,
} from '../../spec/types.generated';

const ENDPOINT_TYPES: readonly EndpointType[] = ['realtime', 'serverless', 'async', 'multi-model'];

/**
 * An unset `maxInstances` is this many times `instanceCount` (the schema's description of
 * servingVariant.maxInstances says "Defaults to twice instanceCount": a derived default, so
 * it cannot be a schema `default` value).
 */
export const MAX_INSTANCES_PER_INSTANCE = 2;

/** The serving defaults, each read from its schema `default` (the single source). */
export const DEFAULTS = {
  type: schemaChoiceDefault(schemaPointer('servingEndpoint', 'type'), ENDPOINT_TYPES),
  networkIsolation: schemaDefault(schemaPointer('servingEndpoint', 'networkIsolation'), 'boolean'),
  /** The data-lake bucket of `artifact.key`. */
  artifactBucket: schemaDefault(schemaPointer('servingArtifact', 'bucket'), 'string'),
  variant: {
    instanceType: schemaDefault(schemaPointer('servingVariant', 'instanceType'), 'string'),
    instanceCount: schemaDefault(schemaPointer('servingVariant', 'instanceCount'), 'number'),
    weight: schemaDefault(schemaPointer('servingVariant', 'weight'), 'number'),
  },
  shadow: {
    instanceType: schemaDefault(schemaPointer('servingShadow', 'instanceType'), 'string'),
    instanceCount: schemaDefault(schemaPointer('servingShadow', 'instanceCount'), 'number'),
    samplingPercent: schemaDefault(schemaPointer('servingShadow', 'samplingPercent'), 'number'),
  },
  async: {
    bucket: schemaDefault(schemaPointer('servingAsync', 'bucket'), 'string'),
    notifications: schemaDefault(schemaPointer('servingAsync', 'notifications'), 'boolean'),
  },
  dataCapture: {
    samplingPercent: schemaDefault(schemaPointer('servingDataCapture', 'samplingPercent'), 'number'),
    capture: schemaChoiceDefault(schemaPointer('servingDataCapture', 'capture'), [
      'input-and-output',
      'input',
      'output',
    ] as const),
  },
  autoRollback: {
    enabled: schemaDefault(schemaPointer('servingAutoRollback', 'enabled'), 'boolean'),
    maxServerErrorsPerMinute: schemaDefault(
      schemaPointer('servingAutoRollback', 'maxServerErrorsPerMinute'),
      'number',
    ),
    maxClientErrorsPerMinute: schemaDefault(
      schemaPointer('servingAutoRollback', 'maxClientErrorsPerMinute'),
      'number',
    ),
    maxLatencyP99Ms: schemaDefault(schemaPointer('servingAutoRollback', 'maxLatencyP99Ms'), 'number'),
  },
  /** Scheduled scaling actions' time zone. */
  scheduleTimezone: schemaDefault(schemaPointer('servingSchedule', 'timezone'), 'string'),
  public: {
    stageName: schemaDefault(schemaPointer('servingPublic', 'stageName'), 'string'),
    throttleRateLimit: schemaDefault(schemaPointer('servingPublic', 'throttleRateLimit'), 'number'),
    throttleBurstLimit: schemaDefault(schemaPointer('servingPublic', 'throttleBurstLimit'), 'number'),
    tracing: schemaDefault(schemaPointer('servingPublic', 'tracing'), 'boolean'),
  },
  edge: {
    name: schemaDefault(schemaPointer('servingEdge', 'name'), 'string'),
    credentialDurationSeconds: schemaDefault(
      schemaPointer('servingEdge', 'credentialDurationSeconds'),
      'number',
    ),
    telemetry: schemaDefault(schemaPointer('servingEdge', 'telemetry'), 'boolean'),
    devices: schemaDefault(schemaPointer('servingEdge', 'devices'), 'number'),
    runtime: schemaChoiceDefault(schemaPointer('servingEdgeModel', 'runtime'), [
      'dlr',
      'tensorflow-lite',
    ] as const),
  },
  serverless: {
    memoryMb: schemaDefault(schemaPointer('servingServerless', 'memoryMb'), 'number'),
    maxConcurrency: schemaDefault(schemaPointer('servingServerless', 'maxConcurrency'), 'number'),
  },
  deployment: {
    strategy: schemaChoiceDefault(schemaPointer('servingDeployment', 'strategy'), [
      'all-at-once',
      'canary',
      'linear',
    ] as const),
    sizeUnit: schemaChoiceDefault(schemaPointer('servingDeployment', 'sizeUnit'), [
      'percent',
      'instances',
    ] as const),
    waitSeconds: schemaDefault(schemaPointer('servingDeployment', 'waitSeconds'), 'number'),
    terminationWaitSeconds: schemaDefault(
      schemaPointer('servingDeployment', 'terminationWaitSeconds'),
      'number',
    ),
  },
  autoscaling: {
    targetInvocationsPerInstance: schemaDefault(
      schemaPointer('servingAutoscaling', 'targetInvocationsPerInstance'),
      'number',
    ),
    targetBacklogPerInstance: schemaDefault(
      schemaPointer('servingAutoscaling', 'targetBacklogPerInstance'),
      'number',
    ),
    scaleInCooldownSeconds: schemaDefault(
      schemaPointer('servingAutoscaling', 'scaleInCooldownSeconds'),
      'number',
    ),
    scaleOutCooldownSeconds: schemaDefault(
      schemaPointer('servingAutoscaling', 'scaleOutCooldownSeconds'),
      'number',
    ),
  },
} as const;

/** The implicit variant of serverless endpoints and of endpoints that list none. */
export const DEFAULT_VARIANT = 'primary';

/** The default autoscaling upper bound of a variant of `instanceCount` instances. */
export const defaultMaxInstances = (instanceCount: number): number =>
  MAX_INSTANCES_PER_INSTANCE * instanceCount;

/** What pipeform knows about an inference instance family. */
export interface InstanceFamily {
  readonly sizes: readonly string[];
  readonly accelerator: 'cpu' | 'gpu' | 'inferentia';
  /** Local NVMe instance storage: encrypted in hardware, and SageMaker refuses a volume KMS key. */
  readonly localStorage: boolean;
  /** Deployment guardrails (canary, linear) work; Inf1 falls back to all at once. */
  readonly guardrails: boolean;
}

const M5 = ['large', 'xlarge', '2xlarge', '4xlarge', '12xlarge', '24xlarge'];
const C5 = ['large', 'xlarge', '2xlarge', '4xlarge', '9xlarge', '18xlarge'];
const GEN6 = [
  'large',
  'xlarge',
  '2xlarge',
  '4xlarge',
  '8xlarge',
  '12xlarge',
  '16xlarge',
  '24xlarge',
  '32xlarge',
];
const G5 = ['xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '48xlarge'];
const cpu = (sizes: readonly string[], localStorage = false): InstanceFamily => ({
  sizes,
  accelerator: 'cpu',
  localStorage,
  guardrails: true,
});

/**
 * The SageMaker inference instance families pipeform accepts (`ml.<family>.<size>`): the
 * current general-purpose, compute- and memory-optimized CPU families, the GPU families
 * used for inference, and AWS Inferentia. A type outside this table is refused with a
 * suggestion; add a family here (with its sizes) when SageMaker hosting offers it.
 */
export const INFERENCE_INSTANCE_FAMILIES: Readonly<Record<string, InstanceFamily>> = {
  t2: cpu(['medium', 'large', 'xlarge', '2xlarge']),
  m5: cpu(M5),
  m5d: cpu(M5, true),
  m6i: cpu(GEN6),
  m7i: cpu([
    'large',
    'xlarge',
    '2xlarge',
    '4xlarge',
    '8xlarge',
    '12xlarge',
    '16xlarge',
    '24xlarge',
    '48xlarge',
  ]),
  c5: cpu(C5),
  c5d: cpu(C5, true),
  c6i: cpu(GEN6),
  c7g: cpu(['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge']),
  r5: cpu(M5),
  r5d: cpu(M5, true),
  g4dn: {
    sizes: ['xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge'],
    accelerator: 'gpu',
    localStorage: true,
    guardrails: true,
  },
  g5: { sizes: G5, accelerator: 'gpu', localStorage: true, guardrails: true },
  g6: { sizes: G5, accelerator: 'gpu', localStorage: true, guardrails: true },
  p3: {
    sizes: ['2xlarge', '8xlarge', '16xlarge'],
    accelerator: 'gpu',
    localStorage: false,
    guardrails: true,
  },
  p4d: { sizes: ['24xlarge'], accelerator: 'gpu', localStorage: true, guardrails: true },
  inf1: {
    sizes: ['xlarge', '2xlarge', '6xlarge', '24xlarge'],
    accelerator: 'inferentia',
    localStorage: false,
    guardrails: false,
  },
  inf2: {
    sizes: ['xlarge', '8xlarge', '24xlarge', '48xlarge'],
    accelerator: 'inferentia',
    localStorage: false,
    guardrails: true,
  },
};

/** Every instance type of {@link INFERENCE_INSTANCE_FAMILIES}, e.g. `ml.c6i.xlarge`. */
export const INFERENCE_INSTANCE_TYPES: readonly string[] = Object.entries(
  INFERENCE_INSTANCE_FAMILIES,
).flatMap(([family, f]) => f.sizes.map((size) => `ml.${family}.${size}`));

/** The family of an instance type in the table; undefined for an unknown type. */
export function instanceFamily(instanceType: string): InstanceFamily | undefined {
  if (!INFERENCE_INSTANCE_TYPES.includes(instanceType)) return undefined;
  return INFERENCE_INSTANCE_FAMILIES[instanceType.split('.')[1]];
}

/** The type of an endpoint with its default. */
export const endpointType = (e: ServingEndpoint): EndpointType => e.type ?? DEFAULTS.type;

/** Network isolation with its default: on, except for serverless endpoints (outside the VPC, never isolated). */
export const endpointNetworkIsolation = (e: ServingEndpoint): boolean =>
  endpointType(e) !== 'serverless' && (e.networkIsolation ?? DEFAULTS.networkIsolation);

/** The production variants an endpoint will have, as the spec says or the default one. */
export function specVariants(e: ServingEndpoint): readonly ServingVariant[] {
  if (endpointType(e) === 'serverless') return [{ name: DEFAULT_VARIANT }];
  return e.variants ?? [{ name: DEFAULT_VARIANT }];
}

/** The model a variant serves: its own, else the endpoint's. */
export const variantModel = (
  e: ServingEndpoint,
  v: ServingVariant | ServingShadow,
): ServingModel | undefined => v.model ?? e.model;

/** Data capture is on unless switched off; serverless endpoints do not support it. */
export const dataCaptureOn = (e: ServingEndpoint): boolean =>
  e.dataCapture?.enabled ?? endpointType(e) !== 'serverless';

/** Autoscaling is on unless switched off; serverless endpoints scale by themselves. */
export const autoscalingOn = (e: ServingEndpoint): boolean =>
  e.autoscaling?.enabled ?? endpointType(e) !== 'serverless';

/** Autoscaling bounds of a variant with their defaults. */
export function variantBounds(v: ServingVariant): { minInstances: number; maxInstances: number } {
  const count = v.instanceCount ?? DEFAULTS.variant.instanceCount;
  const minInstances = v.minInstances ?? count;
  return { minInstances, maxInstances: v.maxInstances ?? Math.max(minInstances, defaultMaxInstances(count)) };
}

/** The SageMaker endpoint name of an endpoint. */
export const endpointNameOf = (pipeline: string, e: Pick<ServingEndpoint, 'name'>): string =>
  `${pipeline}-${e.name}`;

/** The registry version the serving deploy resolves: the newest approved package of the group. */
export const LATEST_APPROVED = 'latest-approved';

/** Bounds of a pinned registry version, from the schema. */
export { REGISTRY_VERSION_RANGE };

/** Reserved: the edge fleet's construct id sits beside the endpoints'. */
export const RESERVED_ENDPOINT_NAMES = ['edge'];
/** Time a deployment gets for provisioning the new fleet, on top of the baking time. */
export const DEPLOYMENT_PROVISIONING_SECONDS = 1800;
/** SageMaker's bounds of MaximumExecutionTimeoutInSeconds. */
export const MAX_EXECUTION_RANGE = [600, 14400] as const;
/** Default canary size and linear step, in percent. */
export const DEFAULT_STEP_PERCENT = { canary: 10, linear: 25 } as const;

/** The canary size or linear step with its default; undefined for all-at-once. */
export function deploymentSize(e: ServingEndpoint): ResolvedDeployment['size'] {
  const d = e.deployment ?? {};
  const strategy = d.strategy ?? DEFAULTS.deployment.strategy;
  if (strategy === 'all-at-once') return undefined;
  return {
    unit: d.sizeUnit ?? DEFAULTS.deployment.sizeUnit,
    value: d.size ?? DEFAULT_STEP_PERCENT[strategy],
  };
}

/**
 * Traffic-shifting steps of a deployment, each followed by a baking period: one for
 * all-at-once, two for a canary, and for linear as many as it takes to move everything
 * (for instance steps: on the largest variant).
 */
export function deploymentSteps(e: ServingEndpoint): number {
  const strategy = e.deployment?.strategy ?? DEFAULTS.deployment.strategy;
  const size = deploymentSize(e);
  if (strategy === 'all-at-once' || size === undefined) return 1;
  if (strategy === 'canary') return 2;
  if (size.unit === 'percent') return Math.ceil(100 / size.value);
  const largest = Math.max(...specVariants(e).map((v) => v.instanceCount ?? DEFAULTS.variant.instanceCount));
  return Math.ceil(largest / size.value);
}

/** The deployment time every baking period and the termination wait need. */
export function deploymentBakingSeconds(e: ServingEndpoint): number {
  const d = e.deployment ?? {};
  return (
    deploymentSteps(e) * (d.waitSeconds ?? DEFAULTS.deployment.waitSeconds) +
    (d.terminationWaitSeconds ?? DEFAULTS.deployment.terminationWaitSeconds)
  );
}

/** The default bound of a deployment: baking plus provisioning time, within SageMaker's range. */
export function defaultMaxExecutionSeconds(e: ServingEndpoint): number {
  const wanted = deploymentBakingSeconds(e) + DEPLOYMENT_PROVISIONING_SECONDS;
  return Math.min(MAX_EXECUTION_RANGE[1], Math.max(MAX_EXECUTION_RANGE[0], wanted));
}

/** The ECR URI's parts: `<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<repository>[:tag|@digest]`. */
export function parseImageUri(
  uri: string,
): { account: string; region: string; repository: string } | undefined {
  const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(uri);
  return m ? { account: m[1], region: m[2], repository: m[3] } : undefined;
}

/** Provisioning template names are at most 36 characters (CreateProvisioningTemplate). */
export const PROVISIONING_TEMPLATE_NAME_MAX = 36;
