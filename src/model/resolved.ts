/**
 * The resolved spec: what the normalize stage produces and the build stage consumes.
 * Every default is applied and every derived name computed, so constructs never guess.
 * (The input shape is generated from the schema in spec/types.generated.ts; this is the
 * compiler's own model of a fully decided pipeline.)
 */

import type { ResolvedAssetStore } from './assets';
import type { ResolvedData } from './data';
import type { ResolvedOrchestration } from './orchestration';
import type { ResolvedFeatures } from './features';
import type { ResolvedNotebooks } from './notebooks';
import type { ResolvedTracking } from './tracking';
import type { ResolvedEks } from './eks';
import type { ResolvedServing } from './serving';
import type { ResolvedMonitoring } from './monitoring';
import type { ResolvedCicd } from './cicd';
import type { ResolvedTraining } from './training';
import type { ResolvedPromotion } from './promotion';

/** A KPI with its comparison spelled out. */
export interface ResolvedKpi {
  readonly name: string;
  readonly metric: string;
  readonly threshold: number;
  readonly direction: 'higher-is-better' | 'lower-is-better';
  /**
   * Where the KPI gate reads it: the evaluation report (`metric` is a JSON path in it) or
   * the training job's own final metrics (`metric` is a metric name it emits).
   */
  readonly source: 'evaluation' | 'training';
}

/** The pipeline key: created by pipeform, or an existing one the user brings. */
export interface ResolvedKms {
  readonly existingKeyArn?: string;
  readonly rotationPeriodDays: number;
  readonly deletionWindowDays: number;
  readonly admins: readonly string[];
  /** Alias name, `alias/<pipeline>`. */
  readonly alias: string;
}

/** Where objects move after `tieringAfterDays`: S3 Intelligent-Tiering, Standard-IA, or nowhere. */
export type Tiering = 'intelligent-tiering' | 'standard-ia' | 'none';
/** The archive storage class objects move to after `archive.afterDays`. */
export type ArchiveClass = 'GLACIER_IR' | 'GLACIER' | 'DEEP_ARCHIVE';

/** Lifecycle of one bucket after merging storage-level and bucket-level settings. */
export interface ResolvedLifecycle {
  readonly tiering: Tiering;
  readonly tieringAfterDays: number;
  readonly archive?: {
    readonly afterDays: number;
    readonly storageClass: ArchiveClass;
    readonly prefix: string;
  };
  readonly expireAfterDays?: number;
  readonly noncurrentVersionExpiryDays: number;
  readonly abortIncompleteUploadsAfterDays: number;
}

/** What a bucket is for decides its special handling. */
export type BucketRole = 'data' | 'checkpoints' | 'logs';

/** One data-lake bucket with its settings decided. */
export interface ResolvedBucket {
  /** Spec name (the key under storage.buckets); construct ids and addresses use it. */
  readonly name: string;
  /** The global S3 bucket name. */
  readonly bucketName: string;
  readonly purpose: string;
  readonly role: BucketRole;
  readonly versioning: boolean;
  /** Server access logs to the logs bucket (always false for the logs bucket itself). */
  readonly accessLogging: boolean;
  readonly forceDestroy: boolean;
  readonly lifecycle: ResolvedLifecycle;
}

/** The data lake: the bucket name prefix and every bucket. */
export interface ResolvedStorage {
  readonly bucketPrefix: string;
  /** Sorted by name. Always holds the six standard buckets. */
  readonly buckets: readonly ResolvedBucket[];
}

/** Where Terraform keeps the state: beside the configuration, or in an existing S3 bucket. */
export type ResolvedState =
  | { readonly backend: 'local'; readonly path: string }
  | {
      readonly backend: 's3';
      readonly bucket: string;
      readonly key: string;
      readonly region: string;
      readonly kmsKeyArn?: string;
      readonly lockfile: boolean;
    };

/** Compliance presets (docs/compliance.md). */
export type CompliancePreset = 'hipaa' | 'pci-dss' | 'gdpr';

/** One subnet pipeform creates. */
export interface ResolvedSubnet {
  /** Construct id and address part, e.g. `private-us-east-1a`. */
  readonly name: string;
  readonly availabilityZone: string;
  readonly cidr: string;
}

/** A VPC pipeform creates. */
export interface ResolvedVpc {
  readonly cidr: string;
  readonly availabilityZones: readonly string[];
  readonly privateSubnets: readonly ResolvedSubnet[];
  /** Empty unless public subnets were asked for. */
  readonly publicSubnets: readonly ResolvedSubnet[];
  readonly natGateways: 'none' | 'single' | 'per-az';
}

/** Private networking: created by pipeform or brought by the user. */
export type ResolvedNetwork =
  | {
      readonly mode: 'create';
      readonly vpc: ResolvedVpc;
      /** `interface`: the endpoints the workloads need (unless `derive: false`) plus the user's, sorted. */
      readonly endpoints: { readonly gateway: boolean; readonly interface: readonly string[] };
      readonly flowLogs: { readonly enabled: boolean; readonly trafficType: 'ALL' | 'ACCEPT' | 'REJECT' };
    }
  | {
      readonly mode: 'existing';
      readonly vpcId: string;
      readonly subnetIds: readonly string[];
      readonly securityGroupIds: readonly string[];
      /** How the subnets reach AWS APIs: through NAT, or only the listed interface endpoints. */
      readonly egress: 'nat' | 'endpoints';
      /** Interface endpoints the VPC already has, sorted. */
      readonly interfaceEndpoints: readonly string[];
    };

/** The web ACL for the public front door. */
export interface ResolvedWaf {
  readonly rateLimit: number;
  readonly managedRuleGroups: readonly string[];
  readonly logging: boolean;
}

/** Security settings shared by every component. */
export interface ResolvedSecurity {
  readonly kms: ResolvedKms;
  /** Retention of every log group pipeform creates (raised by compliance presets). */
  readonly logRetentionDays: number;
  /**
   * The account-shared log groups SageMaker creates on its own: `manage` creates them here
   * (retention and key), `external` means something else manages them, `unmanaged` leaves them to AWS.
   */
  readonly accountLogGroups: 'unmanaged' | 'manage' | 'external';
  /** Regions the data may live in; empty when unrestricted. */
  readonly dataResidency: readonly string[];
  readonly iam: {
    readonly permissionsBoundaryArn?: string;
    readonly rolePath: string;
    /** Managed policies per role the account was granted (quota L-0DA4ABF3, usage.appliedQuotas); unset: the AWS default. */
    readonly attachedPoliciesQuota?: number;
  };
  /** Undefined when no web ACL is wanted. */
  readonly waf?: ResolvedWaf;
  readonly shield: boolean;
}

/** A fully resolved pipeline. */
export interface ResolvedSpec {
  readonly apiVersion: string;
  readonly name: string;
  readonly region: string;
  readonly account: string;
  readonly description: string;
  /** User tags plus pipeform's own, applied as provider default tags. */
  readonly tags: Readonly<Record<string, string>>;
  readonly goals: { readonly problem?: string; readonly kpis: readonly ResolvedKpi[] };
  readonly compliance: readonly CompliancePreset[];
  readonly security: ResolvedSecurity;
  /** Undefined when the spec has no network section. */
  readonly network?: ResolvedNetwork;
  readonly storage: ResolvedStorage;
  /** Where the apply uploads the files the spec names by local path. */
  readonly assets: ResolvedAssetStore;
  /** The EKS GPU training cluster; undefined when the spec has no `training.eks`. */
  readonly eks?: ResolvedEks;
  /** The SageMaker training pipeline; undefined when `training` holds none (only `eks`, or nothing). */
  readonly training?: ResolvedTraining;
  /** Glue and EMR; undefined when the spec has no `data` section. */
  readonly data?: ResolvedData;
  /** Lambda functions and the Step Functions workflow; undefined without `orchestration`. */
  readonly orchestration?: ResolvedOrchestration;
  /** Feature groups; undefined without `features`. */
  readonly features?: ResolvedFeatures;
  /** A SageMaker domain or notebook instances; undefined without `notebooks`. */
  readonly notebooks?: ResolvedNotebooks;
  /** Experiment tracking (MLflow); undefined without `tracking`. */
  readonly tracking?: ResolvedTracking;
  /** Endpoints and the edge fleet; undefined when the spec has no `serving` section. */
  readonly serving?: ResolvedServing;
  /** Alarms, dashboard, Model Monitor, Prometheus/Grafana and retraining; undefined without `monitoring`. */
  readonly monitoring?: ResolvedMonitoring;
  /** The CodePipeline with its build, approval and deploy; undefined without `cicd`. */
  readonly cicd?: ResolvedCicd;
  readonly state: ResolvedState;
  /** This environment's part in the spec's `promotion`; undefined without one. */
  readonly promotion?: ResolvedPromotion;
}
