/* eslint-disable */
/**
 * DO NOT EDIT: generated from schemas/pipeline.schema.json by scripts/gen-types.mjs.
 * Change the schema and run `npm run gen:types`; CI fails when this file is stale.
 */

/**
 * A pipeform pipeline: one declarative file compiled into Terraform for a complete, optimized ML pipeline on AWS.
 */
export interface PipelineSpec {
  /**
   * Version of the pipeform spec format this file is written against.
   */
  apiVersion: 'pipeform/v1';
  /**
   * Pipeline name. Prefixes every AWS resource name, so it must be short, lowercase and DNS-safe.
   */
  name: string;
  /**
   * The one AWS region every resource of the pipeline lives in (keeps data and compute together: no inter-region transfer cost).
   */
  region:
    | 'us-east-1'
    | 'us-east-2'
    | 'us-west-1'
    | 'us-west-2'
    | 'ca-central-1'
    | 'sa-east-1'
    | 'eu-west-1'
    | 'eu-west-2'
    | 'eu-west-3'
    | 'eu-central-1'
    | 'eu-central-2'
    | 'eu-north-1'
    | 'eu-south-1'
    | 'eu-south-2'
    | 'ap-south-1'
    | 'ap-south-2'
    | 'ap-northeast-1'
    | 'ap-northeast-2'
    | 'ap-northeast-3'
    | 'ap-southeast-1'
    | 'ap-southeast-2'
    | 'ap-southeast-3'
    | 'ap-southeast-4'
    | 'ap-east-1'
    | 'me-south-1'
    | 'me-central-1'
    | 'il-central-1'
    | 'af-south-1';
  /**
   * The 12-digit AWS account id the pipeline is deployed to. The provider refuses to apply to any other account, and key and bucket policies are scoped to it.
   */
  account: string;
  /**
   * What the pipeline is for. Used in resource descriptions and the module README.
   */
  description?: string;
  /**
   * Tags applied to every resource through the provider's default_tags.
   */
  tags?: {
    [k: string]: string;
  };
  goals?: Goals;
  security?: Security;
  /**
   * Compliance presets. Each adds rules the check stage enforces (a violation fails validation with the rule id and the fix) and tightens defaults where that is safe. See docs/compliance.md.
   *
   * @maxItems 3
   */
  compliance?:
    | []
    | ['hipaa' | 'pci-dss' | 'gdpr']
    | ['hipaa' | 'pci-dss' | 'gdpr', 'hipaa' | 'pci-dss' | 'gdpr']
    | ['hipaa' | 'pci-dss' | 'gdpr', 'hipaa' | 'pci-dss' | 'gdpr', 'hipaa' | 'pci-dss' | 'gdpr'];
  network?: Network;
  storage?: Storage;
  state?: State;
}
/**
 * Business goals: the problem statement and the KPIs the model must meet. KPIs feed the training quality gate and the retraining alarms.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "goals".
 */
export interface Goals {
  /**
   * The problem statement, in one or two sentences.
   */
  problem?: string;
  /**
   * Key performance indicators with the threshold the model must reach.
   *
   * @maxItems 20
   */
  kpis?:
    | []
    | [Kpi]
    | [Kpi, Kpi]
    | [Kpi, Kpi, Kpi]
    | [Kpi, Kpi, Kpi, Kpi]
    | [Kpi, Kpi, Kpi, Kpi, Kpi]
    | [Kpi, Kpi, Kpi, Kpi, Kpi, Kpi]
    | [Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi]
    | [Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi]
    | [Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi]
    | [Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi]
    | [Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi]
    | [Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi]
    | [Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi]
    | [Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi]
    | [Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi]
    | [Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi]
    | [Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi]
    | [Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi]
    | [Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi]
    | [Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi, Kpi];
}
/**
 * One KPI: a metric from the evaluation report, its threshold and which side of it is good.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "kpi".
 */
export interface Kpi {
  /**
   * Short name of the KPI, unique in the spec. Used in alarm and output names.
   */
  name: string;
  /**
   * Path of the metric in the evaluation report (JSON path, dot separated).
   */
  metric: string;
  /**
   * The value the metric must reach.
   */
  threshold: number;
  /**
   * Whether higher or lower values of the metric are better.
   */
  direction: 'higher-is-better' | 'lower-is-better';
}
/**
 * Encryption and access settings shared by every component.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "security".
 */
export interface Security {
  kms?: Kms;
  /**
   * Retention of every CloudWatch log group pipeform creates (flow logs, WAF, services). Compliance presets raise the default: pci-dss 365, hipaa 2192 (6 years).
   */
  logRetentionDays?:
    | 1
    | 3
    | 5
    | 7
    | 14
    | 30
    | 60
    | 90
    | 120
    | 150
    | 180
    | 365
    | 400
    | 545
    | 731
    | 1096
    | 1827
    | 2192
    | 2557
    | 2922
    | 3288
    | 3653;
  /**
   * Regions where the pipeline's data may live. With the gdpr preset it is required and must contain the pipeline region (and the state bucket region).
   *
   * @minItems 1
   * @maxItems 30
   */
  dataResidency?: [string, ...string[]];
  iam?: Iam;
  waf?: Waf;
  /**
   * Add AWS Shield Advanced protection to the public inference front door. Shield Advanced is a paid subscription (USD 3,000 per month per organization plus data transfer) that must be active in the account.
   */
  shield?: boolean;
}
/**
 * The customer-managed KMS key that encrypts everything in the pipeline that takes a key.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "kms".
 */
export interface Kms {
  /**
   * Use this existing customer-managed key instead of creating one (bring your own key). It must be in the pipeline region.
   */
  existingKeyArn?: string;
  /**
   * Days between automatic key rotations (rotation is always on).
   */
  rotationPeriodDays?: number;
  /**
   * Waiting period before a scheduled key deletion takes effect.
   */
  deletionWindowDays?: number;
  /**
   * IAM role or user ARNs (in the pipeline's account) allowed to administer the key besides the account root.
   *
   * @maxItems 10
   */
  admins?:
    | []
    | [string]
    | [string, string]
    | [string, string, string]
    | [string, string, string, string]
    | [string, string, string, string, string]
    | [string, string, string, string, string, string]
    | [string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string, string];
}
/**
 * IAM settings applied to every role pipeform creates (one role per component, least privilege).
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "iam".
 */
export interface Iam {
  /**
   * ARN of a managed policy set as the permissions boundary of every role.
   */
  permissionsBoundaryArn?: string;
  /**
   * IAM path of every role.
   */
  rolePath?: string;
}
/**
 * A WAFv2 web ACL (regional) for the public inference front door: AWS managed rule groups and a per-IP rate limit.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "waf".
 */
export interface Waf {
  /**
   * Create the web ACL. Turning it off is an explicit opt-out.
   */
  enabled?: boolean;
  /**
   * Requests one IP may send in a 5-minute window before it is blocked.
   */
  rateLimit?: number;
  /**
   * AWS managed rule groups to apply.
   *
   * @minItems 1
   */
  managedRuleGroups?: [
    'common' | 'known-bad-inputs' | 'ip-reputation' | 'anonymous-ip' | 'sql-injection' | 'linux',
    ...('common' | 'known-bad-inputs' | 'ip-reputation' | 'anonymous-ip' | 'sql-injection' | 'linux')[],
  ];
  /**
   * Send WAF logs to an encrypted CloudWatch log group (retention from security.logRetentionDays).
   */
  logging?: boolean;
}
/**
 * Private networking. Either 'vpc' (pipeform creates it) or 'existing' (bring your own ids). Training, processing and endpoints run in the private subnets; VPC endpoints keep their traffic off the internet and off NAT.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "network".
 */
export interface Network {
  vpc?: Vpc;
  existing?: ExistingNetwork;
  endpoints?: VpcEndpoints;
  flowLogs?: FlowLogs;
}
/**
 * A VPC pipeform creates: private subnets in each availability zone, optional public subnets with NAT.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "vpc".
 */
export interface Vpc {
  /**
   * IPv4 CIDR of the VPC, /16 to /24. Subnets are carved from it: private first, then public.
   */
  cidr: string;
  /**
   * Availability zone names in the pipeline region (given here, so no AWS lookup is needed at plan time).
   *
   * @minItems 1
   * @maxItems 6
   */
  availabilityZones:
    | [string]
    | [string, string]
    | [string, string, string]
    | [string, string, string, string]
    | [string, string, string, string, string]
    | [string, string, string, string, string, string];
  /**
   * Prefix length of each subnet. Defaults to the VPC prefix plus 4 (16 subnets).
   */
  subnetPrefixLength?: number;
  /**
   * Create public subnets (with an internet gateway) to host NAT gateways. Nothing else is placed in them.
   */
  publicSubnets?: boolean;
  /**
   * Outbound internet for the private subnets: 'none' (endpoints only, cheapest and most private), 'single' (one shared NAT: cheaper, one AZ's failure cuts egress), 'per-az' (one per AZ: resilient, costs more).
   */
  natGateways?: 'none' | 'single' | 'per-az';
}
/**
 * An existing VPC to run in (its endpoints, routes and flow logs are yours).
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "existingNetwork".
 */
export interface ExistingNetwork {
  /**
   * The VPC id.
   */
  vpcId: string;
  /**
   * Private subnet ids (at least two AZs recommended).
   *
   * @minItems 1
   * @maxItems 16
   */
  subnetIds:
    | [string]
    | [string, string]
    | [string, string, string]
    | [string, string, string, string]
    | [string, string, string, string, string]
    | [string, string, string, string, string, string]
    | [string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string, string, string, string]
    | [string, string, string, string, string, string, string, string, string, string, string, string, string]
    | [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
      ]
    | [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
      ]
    | [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
        string,
      ];
  /**
   * Security groups for pipeline workloads.
   *
   * @minItems 1
   * @maxItems 5
   */
  securityGroupIds:
    | [string]
    | [string, string]
    | [string, string, string]
    | [string, string, string, string]
    | [string, string, string, string, string];
}
/**
 * VPC endpoints of a created VPC. Gateway endpoints are free; each interface endpoint costs an hourly fee per AZ.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "vpcEndpoints".
 */
export interface VpcEndpoints {
  /**
   * Gateway endpoints for S3 and DynamoDB.
   */
  gateway?: boolean;
  /**
   * Interface endpoints (private DNS on).
   */
  interface?: (
    | 'sagemaker-api'
    | 'sagemaker-runtime'
    | 'sts'
    | 'logs'
    | 'ecr-api'
    | 'ecr-dkr'
    | 'monitoring'
    | 'events'
    | 'states'
    | 'glue'
    | 'kms'
  )[];
}
/**
 * VPC flow logs of a created VPC, to an encrypted log group.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "flowLogs".
 */
export interface FlowLogs {
  /**
   * Record flow logs. Turning them off is an explicit opt-out (refused by every compliance preset).
   */
  enabled?: boolean;
  /**
   * Which traffic to record.
   */
  trafficType?: 'ALL' | 'ACCEPT' | 'REJECT';
}
/**
 * The S3 data lake. The standard buckets (raw, curated, features, models, checkpoints, logs) always exist; list a bucket here to tune it or add another.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "storage".
 */
export interface Storage {
  /**
   * Prefix of every bucket name (bucket names are global). Defaults to '<name>-<account>-<region>'.
   */
  bucketPrefix?: string;
  lifecycle?: Lifecycle;
  /**
   * Buckets by name. Names are the keys; the standard names configure the standard buckets.
   */
  buckets?: {
    [k: string]: Bucket;
  };
}
/**
 * Lifecycle defaults for every bucket; a bucket's own lifecycle settings win.
 */
export interface Lifecycle {
  /**
   * Storage class current objects move to after 'tieringAfterDays'. 'none' keeps S3 Standard.
   */
  tiering?: 'intelligent-tiering' | 'standard-ia' | 'none';
  /**
   * Days after creation before tiering applies (standard-ia needs at least 30).
   */
  tieringAfterDays?: number;
  /**
   * Days after creation before objects move to the archive class. Defaults to 30 for the checkpoints bucket (long-term checkpoints) and off elsewhere.
   */
  archiveAfterDays?: number;
  /**
   * Archive class for 'archiveAfterDays'.
   */
  archiveStorageClass?: 'GLACIER_IR' | 'GLACIER' | 'DEEP_ARCHIVE';
  /**
   * Only objects under this prefix are archived. Empty means the whole bucket.
   */
  archivePrefix?: string;
  /**
   * Delete current objects this many days after creation. Off unless set.
   */
  expireAfterDays?: number;
  /**
   * Delete noncurrent object versions this many days after they become noncurrent.
   */
  noncurrentVersionExpiryDays?: number;
  /**
   * Abort multipart uploads left incomplete for this many days (their parts cost storage).
   */
  abortIncompleteUploadsAfterDays?: number;
}
/**
 * One data-lake bucket.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "bucket".
 */
export interface Bucket {
  /**
   * What the bucket holds (becomes the 'pipeform:purpose' tag).
   */
  purpose?: string;
  /**
   * Keep object versions (needed for recovery and for noncurrent-version expiry).
   */
  versioning?: boolean;
  /**
   * Write S3 server access logs to the logs bucket.
   */
  accessLogging?: boolean;
  /**
   * Allow terraform destroy to delete a bucket that still holds objects. Off by default: deletion protection.
   */
  forceDestroy?: boolean;
  lifecycle?: Lifecycle1;
}
/**
 * Lifecycle rules: storage-class tiering, archiving, expiry.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "lifecycle".
 */
export interface Lifecycle1 {
  /**
   * Storage class current objects move to after 'tieringAfterDays'. 'none' keeps S3 Standard.
   */
  tiering?: 'intelligent-tiering' | 'standard-ia' | 'none';
  /**
   * Days after creation before tiering applies (standard-ia needs at least 30).
   */
  tieringAfterDays?: number;
  /**
   * Days after creation before objects move to the archive class. Defaults to 30 for the checkpoints bucket (long-term checkpoints) and off elsewhere.
   */
  archiveAfterDays?: number;
  /**
   * Archive class for 'archiveAfterDays'.
   */
  archiveStorageClass?: 'GLACIER_IR' | 'GLACIER' | 'DEEP_ARCHIVE';
  /**
   * Only objects under this prefix are archived. Empty means the whole bucket.
   */
  archivePrefix?: string;
  /**
   * Delete current objects this many days after creation. Off unless set.
   */
  expireAfterDays?: number;
  /**
   * Delete noncurrent object versions this many days after they become noncurrent.
   */
  noncurrentVersionExpiryDays?: number;
  /**
   * Abort multipart uploads left incomplete for this many days (their parts cost storage).
   */
  abortIncompleteUploadsAfterDays?: number;
}
/**
 * Where Terraform keeps the state of this pipeline.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "state".
 */
export interface State {
  /**
   * 'local' writes terraform.tfstate beside the configuration; 's3' uses an S3 bucket with a native lock file.
   */
  backend?: 'local' | 's3';
  /**
   * State file path for the local backend.
   */
  path?: string;
  s3?: S3Backend;
}
/**
 * Settings of the S3 backend (used when backend is 's3'). The state bucket is not part of the pipeline: it must exist before 'terraform init'.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "s3Backend".
 */
export interface S3Backend {
  /**
   * Existing S3 bucket that holds the state.
   */
  bucket: string;
  /**
   * Object key of the state file. Defaults to 'pipeform/<name>/terraform.tfstate'.
   */
  key?: string;
  /**
   * Region of the state bucket. Defaults to the pipeline region.
   */
  region?: string;
  /**
   * KMS key ARN that encrypts the state object. Without it, the bucket's default encryption applies.
   */
  kmsKeyArn?: string;
  /**
   * Use S3 native state locking (a .tflock object beside the state; Terraform >= 1.10).
   */
  lockfile?: boolean;
}
