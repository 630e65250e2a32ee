/**
 * The resolved serving area (issue #6): SageMaker endpoints with every default applied and
 * every AWS name computed, plus the edge fleet. Built by `compiler/normalize/serving.ts`,
 * consumed by `constructs/serving/`.
 */
import type { ResolvedSecretRef } from './secrets';

/** How an endpoint serves. */
export type EndpointType = 'realtime' | 'serverless' | 'async' | 'multi-model';

/** An inference image: an ECR URI, or an AWS image looked up offline by repository and tag. */
export type ResolvedImage =
  | {
      readonly kind: 'uri';
      readonly uri: string;
      /** ARN of the ECR repository the image lives in (its pulls are scoped to it). */
      readonly repositoryArn: string;
    }
  | {
      readonly kind: 'builtin';
      /** Repository name `aws_sagemaker_prebuilt_ecr_image` knows, e.g. `sagemaker-xgboost`. */
      readonly repository: string;
      readonly tag: string;
    };

/** Where a model comes from. */
export type ResolvedModelSource =
  | {
      readonly kind: 'registry';
      /** The model package group, `<pipeline>-models`. */
      readonly packageGroup: string;
      /** `arn:...:model-package/<group>/`; the version is appended. */
      readonly packageArnPrefix: string;
      /** A pinned version; undefined when the version comes from {@link versionVariable}. */
      readonly version?: number;
      /** The Terraform variable holding the version, for `latest-approved`. */
      readonly versionVariable?: {
        /** Variable name, `<endpoint>_<variant>_model_package_version` with `_` for `-`. */
        readonly name: string;
        readonly initialVersion: number;
      };
    }
  | {
      readonly kind: 'artifact';
      /** Spec name of the data-lake bucket. */
      readonly bucket: string;
      /** The bucket's AWS name. */
      readonly bucketName: string;
      /** Object key (model archive) or, for multi-model endpoints, the prefix ending in `/`. */
      readonly key: string;
      readonly image: ResolvedImage;
    };

/** One SageMaker model (immutable in SageMaker: any change creates a model with a new name). */
export interface ResolvedModel {
  /**
   * The model name, `<endpoint>-<variant>[-v<version>]-<hash of every model input>`, so a change
   * yields a new name and the endpoint configuration, and thus a blue/green deployment,
   * follows. For `latest-approved`, the constructs append `-v<version variable>`.
   */
  readonly name: string;
  readonly source: ResolvedModelSource;
  /**
   * Sorted by name: a plain map (the deploy path copies it into new models), where a secret
   * reference appears as its name under `<NAME>_SECRET_ID` / `<NAME>_PARAMETER_NAME`.
   */
  readonly environment: Readonly<Record<string, string>>;
  /** The secrets and parameters the environment references: the execution role may read exactly these. */
  readonly secrets: readonly ResolvedSecretRef[];
}

/** A production or shadow variant. */
export interface ResolvedVariant {
  readonly name: string;
  readonly model: ResolvedModel;
  /** Undefined for serverless variants. */
  readonly instanceType?: string;
  /** Initial instances; undefined for serverless variants. */
  readonly instanceCount?: number;
  /** Relative weight (for a shadow variant: its share of the production weight). */
  readonly weight: number;
  /** Autoscaling bounds; undefined when the variant is not scaled. */
  readonly scaling?: { readonly minInstances: number; readonly maxInstances: number };
}

/** Serverless capacity of the single variant of a serverless endpoint. */
export interface ResolvedServerless {
  readonly memoryMb: number;
  readonly maxConcurrency: number;
  readonly provisionedConcurrency?: number;
}

/** Asynchronous inference: where inputs, outputs and failures live and who is notified. */
export interface ResolvedAsync {
  /** Spec name of the bucket. */
  readonly bucket: string;
  readonly bucketName: string;
  /** `<pipeline>/async/<endpoint>/`, holding input/, output/ and failures/. */
  readonly prefix: string;
  readonly maxConcurrentInvocationsPerInstance?: number;
  /** SNS topic names; undefined when notifications are off. */
  readonly topics?: { readonly success: string; readonly error: string };
}

/** Data capture to the models bucket. */
export interface ResolvedDataCapture {
  readonly samplingPercent: number;
  /** SageMaker capture modes. */
  readonly modes: readonly ('Input' | 'Output')[];
  /** Spec name of the bucket (the models bucket). */
  readonly bucket: string;
  readonly bucketName: string;
  /** `<pipeline>/data-capture/<endpoint>/`. */
  readonly prefix: string;
  readonly csvContentTypes: readonly string[];
  readonly jsonContentTypes: readonly string[];
}

/** The rollback alarms pipeform generates for an endpoint. */
export interface ResolvedAutoRollback {
  readonly maxServerErrorsPerMinute: number;
  readonly maxClientErrorsPerMinute: number;
  readonly maxLatencyP99Ms: number;
  /** CloudWatch alarm names. */
  readonly alarmNames: {
    readonly serverErrors: string;
    readonly clientErrors: string;
    readonly modelLatency: string;
  };
}

/** Blue/green deployment settings. */
export interface ResolvedDeployment {
  readonly strategy: 'all-at-once' | 'canary' | 'linear';
  /** Canary size or linear step; undefined for all-at-once. */
  readonly size?: { readonly unit: 'percent' | 'instances'; readonly value: number };
  readonly waitSeconds: number;
  readonly terminationWaitSeconds: number;
  readonly maxExecutionSeconds: number;
  /** Undefined when auto-rollback is off. */
  readonly autoRollback?: ResolvedAutoRollback;
}

/** A scheduled change of a variant's autoscaling bounds. */
export interface ResolvedSchedule {
  readonly name: string;
  readonly schedule: string;
  readonly timezone: string;
  readonly minInstances?: number;
  readonly maxInstances?: number;
  /** Production variants it applies to, sorted. */
  readonly variants: readonly string[];
}

/** Autoscaling of the production variants. */
export interface ResolvedAutoscaling {
  /** What target tracking follows: invocations (realtime, multi-model) or queue backlog (async). */
  readonly metric: 'invocations-per-instance' | 'backlog-per-instance';
  readonly target: number;
  readonly scaleInCooldownSeconds: number;
  readonly scaleOutCooldownSeconds: number;
  /** Sorted by name. */
  readonly schedules: readonly ResolvedSchedule[];
}

/** The public front door. */
export interface ResolvedPublic {
  /** REST API name, `<pipeline>-<endpoint>`. */
  readonly apiName: string;
  readonly stageName: string;
  readonly throttleRateLimit: number;
  readonly throttleBurstLimit: number;
  readonly tracing: boolean;
  /** Access log group, `/pipeform/<pipeline>/api-gateway/<endpoint>`. */
  readonly accessLogGroupName: string;
}

/** One endpoint, fully decided. */
export interface ResolvedEndpoint {
  /** Spec name; construct ids and addresses use it. */
  readonly name: string;
  /** The SageMaker endpoint name, `<pipeline>-<name>`. */
  readonly endpointName: string;
  /** Prefix of the endpoint configuration names (a new configuration per change), at most 37 characters. */
  readonly configNamePrefix: string;
  readonly type: EndpointType;
  /** Production variants, sorted by name. */
  readonly variants: readonly ResolvedVariant[];
  readonly shadow?: ResolvedVariant;
  readonly serverless?: ResolvedServerless;
  readonly async?: ResolvedAsync;
  /** Runs in the private subnets with the workload security groups (all but serverless). */
  readonly inVpc: boolean;
  readonly networkIsolation: boolean;
  /**
   * Whether the endpoint configuration takes the pipeline key. False when a variant runs on
   * an instance type with local NVMe storage: SageMaker refuses a key there, as those volumes
   * are encrypted in hardware.
   */
  readonly volumeKey: boolean;
  readonly dataCapture?: ResolvedDataCapture;
  readonly deployment: ResolvedDeployment;
  /** Undefined when the endpoint is not scaled (serverless, or switched off). */
  readonly autoscaling?: ResolvedAutoscaling;
  readonly public?: ResolvedPublic;
  /** The log group SageMaker writes container logs to, `/aws/sagemaker/Endpoints/<endpointName>`. */
  readonly logGroupName: string;
  /** Role factory component of the execution role, `serving-<name>`. */
  readonly roleComponent: string;
}

/** The edge device fleet. */
export interface ResolvedEdge {
  readonly name: string;
  /** `<pipeline>-<name>`. */
  readonly fleetName: string;
  readonly description: string;
  readonly roleAlias: string;
  readonly credentialDurationSeconds: number;
  /** Spec name of the bucket (the models bucket). */
  readonly bucket: string;
  readonly bucketName: string;
  /** `<pipeline>/edge/`. */
  readonly prefix: string;
}

/** The serving area. */
export interface ResolvedServing {
  /** Sorted by name. */
  readonly endpoints: readonly ResolvedEndpoint[];
  readonly edge?: ResolvedEdge;
  /** The models bucket (data capture, edge output). */
  readonly modelsBucketName: string;
}
