/**
 * The resolved serving area (issue #6): SageMaker endpoints with every default applied and
 * every AWS name computed, plus the edge fleet. Built by `compiler/normalize/serving.ts`,
 * consumed by `constructs/serving/`.
 */
import type { ResolvedCodeLocation } from './assets';
import type { ResolvedSecretRef } from './secrets';

/** How an endpoint serves. */
export type EndpointType = 'realtime' | 'serverless' | 'async' | 'multi-model';

/** An inference image: an ECR URI, or an AWS image looked up offline by repository and tag. */
export type ResolvedServingImage =
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
      /** A pinned version, or the newest approved one. */
      readonly version: number | 'latest-approved';
    }
  | {
      readonly kind: 'artifact';
      /** Where the model archive (or, for a multi-model endpoint, the prefix of archives) is. */
      readonly location: ResolvedArtifactLocation;
      readonly image: ResolvedServingImage;
    };

/**
 * Where a model's archive is: a key in a data-lake bucket (`artifact.key`), or `artifact.file`
 * as every code field resolves it: a local archive the same apply uploads (`asset`), or an
 * object in a bucket the pipeline does not create (`s3`).
 */
export type ResolvedArtifactLocation =
  | {
      readonly kind: 'lake';
      /** Spec name of the data-lake bucket. */
      readonly bucket: string;
      /** The bucket's AWS name. */
      readonly bucketName: string;
      /** Object key (model archive) or, for multi-model endpoints, the prefix ending in `/`. */
      readonly key: string;
    }
  | ResolvedCodeLocation;

/** One SageMaker model (immutable in SageMaker: any change creates a model with a new name). */
export interface ResolvedModel {
  /**
   * The model name, `<endpoint>-<variant>-<hash of every model input>`, so a change yields a
   * new name and the endpoint configuration, and thus a blue/green deployment, follows. A
   * registry model is named `<name>-v<version>` (at most 63 characters) once its version is
   * known: the serving deploy and Terraform both append it. The content of a local archive
   * (`source.location.kind === 'asset'`) is an input only the build reads: until the build
   * completes the hash with it (`withArchiveDigests` in compiler/normalize/serving.ts), the
   * name hashes the archive's path only.
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
  /**
   * Prefix of the endpoint configuration names, at most 37 characters: Terraform's
   * `name_prefix` for endpoints it deploys; for registry endpoints, `<prefix><token>-<suffix>`.
   */
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
  /**
   * Set when a variant serves from the registry: the serving deploy creates the endpoint once
   * the versions exist and are approved, and Terraform adopts it from the ledger.
   */
  readonly registry?: ResolvedRegistryEndpoint;
}

/**
 * What Terraform and the serving deploy agree on for an endpoint served from the registry.
 * The token is a digest of everything in the endpoint configuration except the registry
 * versions: when it and the versions match the ledger, Terraform plans exactly what the
 * deploy created.
 */
export interface ResolvedRegistryEndpoint {
  /** The ledger: an SSM parameter `/pipeform/<pipeline>/serving/<endpoint>` only the deploy writes. */
  readonly ledgerName: string;
  /** The model package group, `<pipeline>-models`. */
  readonly packageGroup: string;
  /** Digest of the endpoint-level configuration (capture, async output, key). */
  readonly endpointToken: string;
  /** Digest of each variant's block (model name included, version excluded), by variant name. */
  readonly variantTokens: Readonly<Record<string, string>>;
  /** {@link configToken} over all variants: what the deploy records in the ledger. */
  readonly token: string;
}

/** The serving deploy: the state machine that brings registry endpoints up and moves them to new versions. */
export interface ResolvedServingDeploy {
  /** `<pipeline>-serving-deploy`. */
  readonly stateMachineName: string;
  /** Role factory component of its role, `serving-deploy`. */
  readonly roleComponent: string;
  /** `/aws/vendedlogs/states/<pipeline>-serving-deploy`. */
  readonly logGroupName: string;
  /** Path holding the ledgers, `/pipeform/<pipeline>/serving`. */
  readonly ledgerPath: string;
  /** The model package group, `<pipeline>-models`. */
  readonly packageGroup: string;
  /** `arn:...:model-package/<group>/`. */
  readonly packageArnPrefix: string;
  /**
   * Set when the group is another environment's (`promotion`): SageMaker lists a group of
   * another account by its ARN only, the approval rule matches events from that account, and
   * with `gated` the rule starts the promotion gate instead of the deploy.
   */
  readonly promotion?: {
    readonly ownerAccount: string;
    readonly packageGroupArn: string;
    readonly gated: boolean;
  };
  /** The EventBridge rule starting it on approvals (endpoints the CI/CD pipeline does not deploy). */
  readonly ruleName: string;
  /** Role factory component of the rule's target role, `serving-deploy-events`. */
  readonly eventsRoleComponent: string;
  /** Module only: where the `model_versions` pins are written, `/pipeform/<pipeline>/serving-pins`. */
  readonly pinsPath: string;
  /** Module only: the rule starting the deploy when a pin changes is `<pipeline>-pin-<endpoint>`. */
  readonly pinsRulePrefix: string;
  /** Module only: role factory component of those rules' target role, `serving-pins`. */
  readonly pinsRoleComponent: string;
  /** Registry endpoints by spec name, sorted. */
  readonly endpoints: readonly string[];
  /**
   * Those the CI/CD Deploy stage deploys after its manual approval, sorted; the rule
   * `ruleName` starts the deploy directly for the others.
   */
  readonly cicdEndpoints: readonly string[];
  /** Longest a run may take: every endpoint's deployment limit plus 15 minutes. */
  readonly timeoutSeconds: number;
  /** Inclusive bounds of a version number, from the schema. */
  readonly versionRange: readonly [number, number];
}

/** A model of the edge fleet: one Greengrass component version. */
export interface ResolvedEdgeModel {
  readonly name: string;
  /** `<pipeline>.<fleet>.<model>`. */
  readonly componentName: string;
  readonly version: string;
  /** `s3://<models bucket>/<pipeline>/edge/models/<key>`. */
  readonly artifactUri: string;
  /** The AWS-provided runtime component the model depends on, e.g. `variant.DLR`. */
  readonly runtimeComponent: string;
  /** Its version requirement, e.g. `~1.6.0`. */
  readonly runtimeVersion: string;
  readonly run?: string;
}

/** SageMaker Neo settings of a registry edge model (CreateCompilationJob InputConfig/OutputConfig). */
export interface ResolvedEdgeCompile {
  readonly framework: string;
  readonly frameworkVersion?: string;
  readonly dataInputConfig: string;
  readonly targetDevice?: string;
  readonly targetPlatform?: { readonly os: string; readonly arch: string; readonly accelerator?: string };
}

/** A model of the edge fleet deployed from the registry's approved versions by the edge registry state machine. */
export interface ResolvedEdgeRegistryModel {
  readonly name: string;
  /** `<pipeline>.<fleet>.<model>`; its versions are `1.0.<model package version>`. */
  readonly componentName: string;
  readonly runtimeComponent: string;
  readonly runtimeVersion: string;
  readonly run?: string;
  readonly compile?: ResolvedEdgeCompile;
  /** `<pipeline>/edge/compiled/<model>/`: where Neo writes (and devices read) the compiled model. */
  readonly compiledPrefix: string;
}

/** The fleet's registry path: approval -> (Neo) -> component version -> deployment. */
export interface ResolvedEdgeRegistry {
  readonly packageGroup: string;
  /** `arn:...:model-package/<group>/`. */
  readonly packageArnPrefix: string;
  /** `<pipeline>-<fleet>-edge-registry`. */
  readonly stateMachineName: string;
  /**
   * `<fleet>-registry`: the thing group the state machine deploys to. Provisioning puts every
   * device in it and in the fleet's group, so the stack's deployment (to the fleet's group) and
   * the registry deployment never replace each other: a device runs the union of both.
   */
  readonly thingGroupName: string;
  readonly logGroupName: string;
  readonly ruleName: string;
  /** Compilation jobs are named `<prefix><model>-<package version>`. */
  readonly compilationJobPrefix: string;
  /** `<pipeline>/training/artifacts/`: where the registered model archives are. */
  readonly artifactsPrefix: string;
  /** `<pipeline>/edge/compiled/`. */
  readonly compiledPrefix: string;
  /** Sorted by name. */
  readonly models: readonly ResolvedEdgeRegistryModel[];
}

/** The edge fleet on AWS IoT Greengrass v2. */
export interface ResolvedEdge {
  readonly name: string;
  /** `<pipeline>-<name>`: the thing group, and the prefix of every device's thing name. */
  readonly fleetName: string;
  readonly description: string;
  readonly roleAlias: string;
  readonly credentialDurationSeconds: number;
  /** Spec name of the bucket (the models bucket). */
  readonly bucket: string;
  readonly bucketName: string;
  /** `<pipeline>/edge/`. */
  readonly prefix: string;
  /** `<pipeline>/edge/models/`: the only prefix devices read. */
  readonly modelsPrefix: string;
  /** `<pipeline>/edge/telemetry/`: where the topic rule writes. */
  readonly telemetryPrefix: string;
  /** IoT policy of the devices, attached to the thing group. */
  readonly devicePolicyName: string;
  /** IoT policy of the claim certificate: provisioning topics only. */
  readonly claimPolicyName: string;
  /** Fleet provisioning template (at most 36 characters). */
  readonly templateName: string;
  /** `<pipeline>.<name>.`: every component name of the fleet starts with it. */
  readonly componentPrefix: string;
  /** Sorted by name. */
  readonly models: readonly ResolvedEdgeModel[];
  /** The registry path; present when a model has registry: true. */
  readonly registry?: ResolvedEdgeRegistry;
  /** The CloudFormation stack of the components and the deployment; present with models. */
  readonly stackName?: string;
  /** The telemetry topic rule (letters, digits and `_` only); present with telemetry on. */
  readonly telemetryRuleName?: string;
  /** Expected active core devices (cost estimate). */
  readonly devices: number;
}

/** The serving area. */
export interface ResolvedServing {
  /** Sorted by name. */
  readonly endpoints: readonly ResolvedEndpoint[];
  readonly edge?: ResolvedEdge;
  /** The models bucket (data capture, edge output). */
  readonly modelsBucketName: string;
  /** Present when an endpoint serves from the registry. */
  readonly deploy?: ResolvedServingDeploy;
  /**
   * The text each hash in the endpoints' names and tokens was computed from (hex => text,
   * compiler/short-hash.ts): a shared environment module computes those hashes in
   * Terraform from the same text with its inputs in it (synth/environment-roots.ts).
   */
  readonly hashPreimages: Readonly<Record<string, string>>;
}
