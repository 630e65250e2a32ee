/**
 * The serving area's catalog: the inference instance table, the defaults (read from the
 * schema, never restated), the predicates that apply them and the endpoint name builder.
 * Pure: no cdktf, no normalize imports; the check stage, normalize, advice, cost and the
 * graph all read serving defaults from here.
 */
import type { EndpointType } from '../../model/serving';
import { schemaChoiceDefault, schemaDefault } from '../../spec/schema';
import type {
  ServingEndpoint,
  ServingModel,
  ServingShadow,
  ServingVariant,
} from '../../spec/types.generated';

const property = (definition: string, name: string) => `#/definitions/${definition}/properties/${name}`;
const ENDPOINT_TYPES: readonly EndpointType[] = ['realtime', 'serverless', 'async', 'multi-model'];

/**
 * An unset `maxInstances` is this many times `instanceCount` (the schema's description of
 * servingVariant.maxInstances says "Defaults to twice instanceCount": a derived default, so
 * it cannot be a schema `default` value).
 */
export const MAX_INSTANCES_PER_INSTANCE = 2;

/** The serving defaults, each read from its schema `default` (the single source). */
export const DEFAULTS = {
  type: schemaChoiceDefault(property('servingEndpoint', 'type'), ENDPOINT_TYPES),
  networkIsolation: schemaDefault(property('servingEndpoint', 'networkIsolation'), 'boolean'),
  variant: {
    instanceType: schemaDefault(property('servingVariant', 'instanceType'), 'string'),
    instanceCount: schemaDefault(property('servingVariant', 'instanceCount'), 'number'),
  },
  shadow: {
    instanceType: schemaDefault(property('servingShadow', 'instanceType'), 'string'),
    instanceCount: schemaDefault(property('servingShadow', 'instanceCount'), 'number'),
  },
  serverless: {
    memoryMb: schemaDefault(property('servingServerless', 'memoryMb'), 'number'),
    maxConcurrency: schemaDefault(property('servingServerless', 'maxConcurrency'), 'number'),
  },
  autoscaling: {
    targetInvocationsPerInstance: schemaDefault(
      property('servingAutoscaling', 'targetInvocationsPerInstance'),
      'number',
    ),
    targetBacklogPerInstance: schemaDefault(
      property('servingAutoscaling', 'targetBacklogPerInstance'),
      'number',
    ),
    scaleInCooldownSeconds: schemaDefault(property('servingAutoscaling', 'scaleInCooldownSeconds'), 'number'),
    scaleOutCooldownSeconds: schemaDefault(
      property('servingAutoscaling', 'scaleOutCooldownSeconds'),
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
