/* eslint-disable */
/**
 * DO NOT EDIT: generated from schemas/pipeline.schema.json by scripts/gen-types.mjs.
 * Change the schema and run `npm run gen:types`; CI fails when this file is stale.
 */

/**
 * An interface VPC endpoint (com.amazonaws.<region>.<service>): sagemaker-api, sagemaker-runtime, sts, logs, ecr-api, ecr-dkr, monitoring (CloudWatch metrics), events (EventBridge), states (Step Functions), glue, kms, elasticmapreduce (EMR API), ec2, eks, eks-auth (EKS Pod Identity), elasticloadbalancing, autoscaling, secretsmanager, ssm (Parameter Store). docs/endpoints.md lists which workloads need which.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "interfaceEndpointName".
 */
export type InterfaceEndpointName =
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
  | 'elasticmapreduce'
  | 'ec2'
  | 'eks'
  | 'eks-auth'
  | 'elasticloadbalancing'
  | 'autoscaling'
  | 'secretsmanager'
  | 'ssm';
/**
 * A file the pipeline runs or reads when it starts, in one of two forms. A path relative to the spec file, e.g. 'jobs/clean.py': the same apply uploads it (to a content-addressed key under storage.assets, encrypted with the pipeline key) and the consumer reads that object. Or the S3 URI of an object in a bucket this configuration does not create, e.g. 's3://acme-shared-code/jobs/clean.py': read where it is, and the consumer's role may read exactly that object. A URI into one of the pipeline's own buckets is refused: nothing would upload it before the first run. '*' and '?' are refused: IAM policies would read them as wildcards.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "codeFile".
 */
export type CodeFile = string;
/**
 * A directory relative to the spec file, inside the spec's folder (no absolute paths, no '..' out of it, no symbolic links).
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "localDirectory".
 */
export type LocalDirectory = string;

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
  data?: Data;
  features?: Features;
  notebooks?: Notebooks;
  orchestration?: Orchestration;
  training?: Training;
  tracking?: Tracking;
  serving?: Serving;
  monitoring?: Monitoring;
  cicd?: Cicd;
  usage?: Usage;
  state?: State;
  environments?: Environments;
  promotion?: Promotion;
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
 * One KPI: a metric (from the evaluation report, or one the training job emits), its threshold and which side of it is good.
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
   * With source 'evaluation': the path of the metric in the evaluation report (JSON path, dot separated). With source 'training': the name of a metric the training job emits: a built-in algorithm's own (xgboost validation:auc, validation:rmse, ...; linear-learner validation:objective_loss, ...; deepar test:RMSE, test:mean_wQuantileLoss, train:final_loss) or one of training.metricDefinitions; with tuning, the tuning objective metric.
   */
  metric: string;
  /**
   * Where the KPI gate reads the metric: 'evaluation' (the report training.evaluation writes) or 'training' (the final value the training job, or the best tuning job, reports: FinalMetricDataList). 'training' needs no evaluation script, which built-in algorithms such as DeepAR then do without.
   */
  source?: 'evaluation' | 'training';
  /**
   * The value the metric must reach. A ratio metric (accuracy, auc, precision, recall, f1, ...) takes a fraction between 0 and 1.
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
   * The log groups SageMaker creates on its own, shared by every pipeline of the account and region (/aws/sagemaker/TrainingJobs, ProcessingJobs, TransformJobs, CompilationJobs, LabelingJobs, InferenceRecommendationsJobs, NotebookInstances, studio): left alone they keep logs forever, encrypted with an AWS-owned key. 'manage' creates them in this pipeline with logRetentionDays and the pipeline key; do it in one pipeline per account and region (a second one fails with ResourceAlreadyExistsException), and import groups SageMaker already created. They survive terraform destroy (skip_destroy). 'external' states that something else (an account baseline, another pipeline) manages them; hipaa and pci-dss accept it as the documented waiver. 'unmanaged' leaves them to AWS.
   */
  accountLogGroups?: 'unmanaged' | 'manage' | 'external';
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
   * IPv4 CIDR of the VPC, /16 to /24. Each zone's subnets take fixed slots of it given by the zone's letter (a = 0): private subnets in the first half (all of it without public subnets), public subnets in the second, so adding a zone never moves another zone's subnets.
   */
  cidr: string;
  /**
   * Availability zone names in the pipeline region (given here, so no AWS lookup is needed at plan time). A set: the order does not matter, and resources that take one subnet (a single NAT gateway, a notebook instance, EFA node groups, the Glue connection) use the zone that sorts first.
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
   * Prefix length of each subnet. Defaults to the VPC prefix plus 4 (16 slots: zones a-h with public subnets, a-p without).
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
 * An existing VPC to run in (its endpoints, routes and flow logs are yours). Say how its private subnets reach AWS APIs: through NAT (or a proxy), or only through the interface endpoints you list; then the check stage refuses a workload whose endpoint is missing.
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
  /**
   * How the subnets reach AWS APIs: 'nat' (a NAT gateway, proxy or transit route reaches every API) or 'endpoints' (only the interface endpoints listed in interfaceEndpoints, plus S3 and DynamoDB gateway endpoints).
   */
  egress?: 'nat' | 'endpoints';
  /**
   * Interface endpoints the VPC already has (with private DNS). With egress: endpoints, every endpoint a declared workload needs must be here.
   */
  interfaceEndpoints?: InterfaceEndpointName[];
}
/**
 * VPC endpoints of a created VPC. Interface endpoints are derived from the workloads the spec declares (docs/endpoints.md: Glue jobs need glue, kms, logs and monitoring; EMR nodes kms; SageMaker jobs the SageMaker API, STS, logs and ECR; ...), so a VPC without NAT reaches every API its workloads call; 'interface' adds more. Gateway endpoints are free; each interface endpoint costs an hourly fee per AZ.
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
   * Create the interface endpoints the declared workloads need (docs/endpoints.md). Turning it off is an explicit opt-out: without NAT, every endpoint a workload needs must then be listed in 'interface' (the check stage says which).
   */
  derive?: boolean;
  /**
   * Interface endpoints to create in addition to the derived ones (private DNS on), e.g. for APIs your own code calls from the VPC. The derived ones already include secretsmanager and ssm when a workload in the subnets reads a secret or parameter reference.
   */
  interface?: InterfaceEndpointName[];
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
  assets?: AssetStore;
  lifecycle?: Lifecycle;
  /**
   * Buckets by name. Names are the keys; the standard names configure the standard buckets.
   */
  buckets?: {
    [k: string]: Bucket;
  };
}
/**
 * Where the apply uploads the files a spec names by local path (Glue and Spark scripts, training code, TLS certificates, buildspecs): a prefix of a data-lake bucket. Keys are content-addressed ('<prefix><sha256>/<file name>'), so a changed file ships as a new object and its consumers move to it; each consumer's role may read only its own objects. Defaults to '<pipeline>/assets/' in the models bucket.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "assetStore".
 */
export interface AssetStore {
  /**
   * Data-lake bucket (spec name). Its lifecycle must neither archive nor expire the prefix (services cannot read archived objects).
   */
  bucket?: string;
  /**
   * Key prefix, ending in '/'. Defaults to '<pipeline>/assets/'.
   */
  prefix?: string;
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
   * Only objects under this prefix are archived. Empty means the whole bucket. '*' and '?' are refused, as in every key pattern: S3 takes them literally, IAM as wildcards.
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
   * Only objects under this prefix are archived. Empty means the whole bucket. '*' and '?' are refused, as in every key pattern: S3 takes them literally, IAM as wildcards.
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
 * Data processing: AWS Glue (catalog, crawlers, ETL jobs) and Amazon EMR (Spark, Hive, Presto/Trino).
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "data".
 */
export interface Data {
  glue?: Glue;
  emr?: Emr;
}
/**
 * AWS Glue: Data Catalog databases, crawlers over the data lake, ETL jobs and workflows. Every job and crawler gets the pipeline's Glue security configuration (S3 SSE-KMS, CloudWatch SSE-KMS, job bookmarks CSE-KMS), its own role and, with a network, runs in the private subnets.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "glue".
 */
export interface Glue {
  /**
   * Manage the Data Catalog encryption settings (metadata SSE-KMS with the pipeline key, connection passwords encrypted). This is one account-wide setting per region: turn it off when another pipeline or team already manages it.
   */
  catalogEncryption?: boolean;
  /**
   * Data Catalog databases. Catalog names are '<pipeline>_<name>' with '-' as '_' (Athena-friendly).
   *
   * @minItems 1
   */
  databases?: [GlueDatabase, ...GlueDatabase[]];
  /**
   * Crawlers that keep catalog tables in step with data-lake prefixes.
   */
  crawlers?: GlueCrawler[];
  /**
   * Spark ETL jobs.
   */
  jobs?: GlueJob[];
  /**
   * Glue workflows: stages of crawlers and jobs chained by triggers; each stage starts when every member of the stage before it succeeded.
   */
  workflows?: GlueWorkflow[];
}
/**
 * A Data Catalog database.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "glueDatabase".
 */
export interface GlueDatabase {
  /**
   * Spec name of the database, unique among databases.
   */
  name: string;
  /**
   * What the database holds.
   */
  description?: string;
}
/**
 * A crawler over data-lake prefixes, writing tables into one catalog database.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "glueCrawler".
 */
export interface GlueCrawler {
  /**
   * Spec name of the crawler, unique among crawlers.
   */
  name: string;
  /**
   * What the crawler catalogs.
   */
  description?: string;
  /**
   * Spec name of the database (under glue.databases) the tables go to.
   */
  database: string;
  /**
   * Data-lake prefixes to crawl. The crawler may read only these.
   *
   * @minItems 1
   * @maxItems 50
   */
  targets: [DataLocation, ...DataLocation[]];
  /**
   * When to crawl, as a Glue cron expression. Without it the crawler runs on demand or from a workflow.
   */
  schedule?: string;
  /**
   * 'everything' re-reads every folder; 'new-folders-only' crawls only folders added since the last run (cheaper; needs schemaChange update and delete 'log').
   */
  recrawl?: 'everything' | 'new-folders-only';
  schemaChange?: GlueSchemaChange;
  /**
   * Prefix of the table names the crawler creates.
   */
  tablePrefix?: string;
}
/**
 * A place in the data lake: a bucket of storage.buckets and a key prefix. Access is granted to exactly this prefix.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "dataLocation".
 */
export interface DataLocation {
  /**
   * Spec name of a data-lake bucket (a standard bucket such as raw or curated, or one under storage.buckets).
   */
  bucket: string;
  /**
   * Key prefix, ending in '/'. Empty means the whole bucket. '*' and '?' are refused: IAM policies would read them as wildcards.
   */
  prefix?: string;
}
/**
 * What the crawler does when it finds a changed or deleted schema.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "glueSchemaChange".
 */
export interface GlueSchemaChange {
  /**
   * On a changed schema: update the table, or only log the change.
   */
  update?: 'update-in-database' | 'log';
  /**
   * On deleted data: mark the table deprecated, delete it, or only log.
   */
  delete?: 'deprecate-in-database' | 'delete-from-database' | 'log';
}
/**
 * A Spark ETL job (glueetl) running 'script'. Auto scaling, job bookmarks, metrics and continuous logging to encrypted log groups are on; non-urgent jobs run as Flex (spare capacity, lower price).
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "glueJob".
 */
export interface GlueJob {
  /**
   * Spec name of the job, unique among jobs. The Glue job is named '<pipeline>-<name>'.
   */
  name: string;
  /**
   * What the job does.
   */
  description?: string;
  /**
   * The job's script: a path relative to the spec file, shipped by the apply (e.g. 'glue/sessionize.py'), or the S3 URI of an object in a bucket the pipeline does not create (e.g. 's3://acme-shared-code/glue/sessionize.py'). A URI into one of the pipeline's own buckets is refused: nothing would upload it before the first run. '*' and '?' are refused: IAM policies would read them as wildcards.
   */
  script: string;
  /**
   * Language of the script.
   */
  language?: 'python' | 'scala';
  /**
   * Main class of a Scala script (required for scala).
   */
  scalaClass?: string;
  /**
   * Glue version (Spark runtime).
   */
  glueVersion?: '4.0' | '5.0';
  /**
   * Worker type: G.1X (4 vCPU, 16 GB), G.2X, G.4X, G.8X. Flex runs on G.1X and G.2X only.
   */
  workerType?: 'G.1X' | 'G.2X' | 'G.4X' | 'G.8X';
  /**
   * Number of workers; with auto scaling, the most the job may scale to.
   */
  workers?: number;
  /**
   * Let Glue add and remove workers as the job needs them (pay for what is used).
   */
  autoScaling?: boolean;
  /**
   * Run with Flex execution (spare capacity, about a third cheaper, may start later). Defaults to on for G.1X and G.2X workers: set false for time-critical jobs.
   */
  flex?: boolean;
  /**
   * Job bookmarks: each run processes only data not processed before (encrypted with the key).
   */
  bookmarks?: boolean;
  /**
   * A run is stopped after this many minutes (caps the cost of a stuck run).
   */
  timeoutMinutes?: number;
  /**
   * Retries of a failed run.
   */
  maxRetries?: number;
  /**
   * Runs of the job that may run at the same time.
   */
  maxConcurrentRuns?: number;
  /**
   * Data-lake prefixes the job reads (its role may read only these and the script).
   *
   * @maxItems 50
   */
  reads?: DataLocation[];
  /**
   * Data-lake prefixes the job writes (its role may write only these).
   *
   * @maxItems 50
   */
  writes?: DataLocation[];
  /**
   * Extra default arguments passed to the script, e.g. '--target-table: events'. Arguments pipeform manages (bookmarks, logging, scaling) come from the fields above. Glue has no secret arguments: a secret reference ({ secret: ... } or { parameter: ... }) passes its name as --<name>-secret-id (or --<name>-parameter-name) and lets the job's role read exactly that secret.
   */
  arguments?: {
    [k: string]: string | SecretRef;
  };
}
/**
 * A reference to a sensitive value kept in AWS Secrets Manager ('secret') or SSM Parameter Store ('parameter', a SecureString) instead of the value itself: main.tf.json, generated/ and the Terraform state hold only the name, and the role of the component that reads it may read exactly that secret or parameter (GetSecretValue, GetParameter(s)) and nothing else. CodeBuild resolves it natively (a SECRETS_MANAGER or PARAMETER_STORE variable under the same name). Lambda functions, SageMaker containers and Glue jobs get the reference under a derived key and read the value at run time: DB_PASSWORD becomes DB_PASSWORD_SECRET_ID (DB_PASSWORD_PARAMETER_NAME for a parameter), --db-password becomes --db-password-secret-id (--db-password-parameter-name). Exactly one of 'secret' and 'parameter'.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "secretRef".
 */
export interface SecretRef {
  /**
   * The Secrets Manager secret: its name (read access to arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-?????? of the pipeline's account and region, so each environment reads its own account's secret) or its full ARN (required for a secret of another account, together with kmsKeyArn).
   */
  secret?: string;
  /**
   * CodeBuild only (its 'secret-id:json-key' form): the key of a JSON secret whose value the variable gets. Elsewhere the workload reads the whole secret and parses it.
   */
  jsonKey?: string;
  /**
   * CodeBuild only: the staging label of the version to read. Defaults to AWSCURRENT (the current version).
   */
  versionStage?: string;
  /**
   * The SSM parameter (a SecureString) by name, in the pipeline's account and region; read access to exactly arn:<partition>:ssm:<region>:<account>:parameter/<name>. Names cannot begin with 'aws' or 'ssm'.
   */
  parameter?: string;
  /**
   * The customer managed KMS key (its key ARN: IAM authorizes Decrypt on the key, not on an alias) that encrypts the secret or parameter: the reading role may then decrypt with it, only through Secrets Manager or SSM (kms:ViaService). Leave it out for the AWS managed keys (aws/secretsmanager, aws/ssm), which need no grant, and for the pipeline key, which every role that reads references may already use. Required for a secret of another account (the AWS managed key cannot be shared).
   */
  kmsKeyArn?: string;
}
/**
 * A Glue workflow: a start trigger (scheduled or on demand) and one conditional trigger per later stage.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "glueWorkflow".
 */
export interface GlueWorkflow {
  /**
   * Spec name of the workflow, unique among workflows.
   */
  name: string;
  /**
   * What the workflow does.
   */
  description?: string;
  /**
   * When to start the workflow (Glue cron). Without it the workflow starts on demand.
   */
  schedule?: string;
  /**
   * Runs of the workflow that may run at the same time.
   */
  maxConcurrentRuns?: number;
  /**
   * Stages in order. Members of a stage run in parallel; the next stage starts when all of them succeeded.
   *
   * @minItems 1
   * @maxItems 50
   */
  stages: [GlueWorkflowStage, ...GlueWorkflowStage[]];
}
/**
 * One stage of a workflow: crawlers and jobs that run together.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "glueWorkflowStage".
 */
export interface GlueWorkflowStage {
  /**
   * Spec name of the stage, unique in the workflow (names its trigger).
   */
  name: string;
  /**
   * Crawlers (spec names under glue.crawlers) this stage runs.
   *
   * @maxItems 50
   */
  crawlers?: string[];
  /**
   * Jobs (spec names under glue.jobs) this stage runs.
   *
   * @maxItems 50
   */
  jobs?: string[];
}
/**
 * Amazon EMR: a cluster with spot/on-demand instance fleets, managed scaling and auto-termination in the private subnets, or EMR Serverless with auto start/stop. Encryption at rest (S3 SSE-KMS, local disks and EBS) uses the pipeline key; in transit uses TLS.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "emr".
 */
export interface Emr {
  /**
   * 'cluster' runs Spark on EMR clusters built from data.emr.cluster: one per workflow run (created, used and terminated by the workflow) and, with cluster.interactive, a long-lived one for interactive use; 'serverless' runs jobs on EMR Serverless (no cluster to manage, pay per job).
   */
  mode?: 'cluster' | 'serverless';
  /**
   * EMR release, e.g. emr-7.5.0. Clusters need emr-6.1.0 or later (managed scaling, auto-termination); serverless needs emr-6.6.0 or later.
   */
  releaseLabel?: string;
  /**
   * Applications to install. Trino needs emr-6.4.0 or later; serverless runs exactly one of Spark and Hive.
   *
   * @minItems 1
   * @maxItems 30
   */
  applications?: [
    'Spark' | 'Hive' | 'Presto' | 'Trino' | 'Hadoop' | 'Livy' | 'Tez' | 'JupyterEnterpriseGateway',
    ...('Spark' | 'Hive' | 'Presto' | 'Trino' | 'Hadoop' | 'Livy' | 'Tez' | 'JupyterEnterpriseGateway')[],
  ];
  /**
   * Data-lake prefixes jobs read (the instance or job role may read only these and the step scripts).
   *
   * @maxItems 50
   */
  reads?: DataLocation[];
  /**
   * Data-lake prefixes jobs write.
   *
   * @maxItems 50
   */
  writes?: DataLocation[];
  /**
   * Use the Glue Data Catalog as the Hive metastore of Spark, Hive, Presto and Trino (catalog access on the pipeline's databases).
   */
  glueCatalog?: boolean;
  cluster?: EmrCluster;
  serverless?: EmrServerless;
}
/**
 * The EMR cluster definition (mode: cluster). The workflow's emr steps run on a cluster created from it for each run and terminated afterwards (also when a step fails); with interactive: true, a long-lived cluster from the same definition is kept for interactive use. The core fleet (HDFS) defaults to 2 on-demand units; the task fleet (compute only, grown by managed scaling) to 0 units, all spot. tlsCertificates is a zip with privateKey.pem, certificateChain.pem and trustedCertificates.pem (EMR's PEM certificate provider) for in-transit encryption.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "emrCluster".
 */
export interface EmrCluster {
  /**
   * Also keep a long-lived cluster for interactive use (notebooks, ad-hoc steps). It terminates itself after idleTimeoutMinutes; the next terraform apply creates it again. Scheduled workflows never use it: their steps get a cluster per run.
   */
  interactive?: boolean;
  primary?: EmrPrimaryFleet;
  core?: EmrFleet;
  task?: EmrFleet;
  /**
   * How spot capacity is chosen across the fleets' instance types.
   */
  spotAllocation?: 'price-capacity-optimized' | 'capacity-optimized' | 'lowest-price' | 'diversified';
  /**
   * Minutes to wait for spot capacity before switching to on-demand.
   */
  spotTimeoutMinutes?: number;
  /**
   * EBS gp3 volume per instance (encrypted with the key).
   */
  ebsGiB?: number;
  scaling?: EmrScaling;
  /**
   * A cluster terminates itself after this many idle minutes (auto-termination): the interactive cluster between uses, a per-run cluster left behind by a stopped or timed-out workflow execution.
   */
  idleTimeoutMinutes?: number;
  /**
   * TLS between nodes and for application traffic. Needs tlsCertificates; turning it off is an explicit opt-out.
   */
  inTransitEncryption?: boolean;
  /**
   * The PEM certificate zip (privateKey.pem, certificateChain.pem, trustedCertificates.pem): a path relative to the spec file, shipped by the apply (e.g. 'emr/tls-certificates.zip'), or the S3 URI of an object in a bucket the pipeline does not create (e.g. 's3://acme-pki/emr/clicks-tls.zip'). The zip holds a private key: a local one is copied into assets/ beside main.tf.json (keep that folder out of version control, or use the S3 form), and only the EMR roles may read the uploaded object. A URI into one of the pipeline's own buckets is refused.
   */
  tlsCertificates?: string;
  /**
   * Manage EMR block public access (no security group may open ports to the internet). One account-wide setting per region: turn it off when someone else manages it.
   */
  blockPublicAccess?: boolean;
}
/**
 * The primary node fleet: one on-demand instance.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "emrPrimaryFleet".
 */
export interface EmrPrimaryFleet {
  /**
   * Instance types EMR may choose from.
   *
   * @minItems 1
   * @maxItems 30
   */
  instanceTypes?: [string, ...string[]];
}
/**
 * An instance fleet mixing on-demand and spot capacity (one unit per instance).
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "emrFleet".
 */
export interface EmrFleet {
  /**
   * Instance types EMR may choose from (more types, better spot availability).
   *
   * @minItems 1
   * @maxItems 30
   */
  instanceTypes?: [string, ...string[]];
  /**
   * Target capacity in units (instances).
   */
  units?: number;
  /**
   * Share of the units on spot instances, 0-100.
   */
  spotPercent?: number;
}
/**
 * EMR managed scaling limits, in instance-fleet units (core and task nodes).
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "emrScaling".
 */
export interface EmrScaling {
  /**
   * Fewest units the cluster scales in to. Defaults to the core fleet's units.
   */
  minUnits?: number;
  /**
   * Most units the cluster scales out to.
   */
  maxUnits?: number;
  /**
   * Most on-demand units; capacity above it is spot. Defaults to the core fleet's units.
   */
  maxOnDemandUnits?: number;
  /**
   * Most core units; capacity above it goes to the task fleet. Defaults to the core fleet's units.
   */
  maxCoreUnits?: number;
}
/**
 * Settings of an EMR Serverless application (mode: serverless).
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "emrServerless".
 */
export interface EmrServerless {
  /**
   * CPU architecture of the workers: arm64 (Graviton) costs about 20% less where the job's libraries support it.
   */
  architecture?: 'x86_64' | 'arm64';
  /**
   * The application stops after this many idle minutes (auto-stop; it starts again on the next job).
   */
  idleTimeoutMinutes?: number;
  /**
   * Maximum vCPUs across all running jobs (caps the cost).
   */
  maxVcpu?: number;
  /**
   * Maximum memory across all running jobs.
   */
  maxMemoryGiB?: number;
  /**
   * Maximum disk across all running jobs.
   */
  maxDiskGiB?: number;
}
/**
 * SageMaker Feature Store: feature groups shared across projects, with an online store (low-latency reads) and an offline store in the features bucket, cataloged in Glue for Athena. Both stores are encrypted with the pipeline key.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "features".
 */
export interface Features {
  /**
   * Feature groups. Names are '<pipeline>-<name>'.
   */
  groups?: FeaturesGroup[];
}
/**
 * A feature group: a record identifier, an event time and typed features.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "featuresGroup".
 */
export interface FeaturesGroup {
  /**
   * Spec name of the group, unique among groups.
   */
  name: string;
  /**
   * What the features describe.
   */
  description?: string;
  /**
   * The feature that identifies a record (string or integral).
   */
  recordId: string;
  /**
   * The feature that holds the record's event time (fractional: Unix seconds, or string: ISO-8601).
   */
  eventTime: string;
  /**
   * The features, including the record identifier and event time.
   *
   * @minItems 2
   * @maxItems 2500
   */
  features: [FeaturesDefinition, FeaturesDefinition, ...FeaturesDefinition[]];
  /**
   * Keep the latest record per identifier in the online store for low-latency reads (encrypted with the key).
   */
  online?: boolean;
  /**
   * Online records expire after this many days. Unset: they never expire.
   */
  onlineTtlDays?: number;
  /**
   * Keep every record in the offline store (the features bucket, cataloged in Glue) for training and batch queries.
   */
  offline?: boolean;
  /**
   * Format of the offline store: iceberg (compaction, fewer small files: cheaper queries) or glue.
   */
  tableFormat?: 'iceberg' | 'glue';
}
/**
 * One feature and its type.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "featuresDefinition".
 */
export interface FeaturesDefinition {
  /**
   * Feature name, unique in the group.
   */
  name: string;
  /**
   * integral (whole numbers), fractional (decimals) or string.
   */
  type: 'integral' | 'fractional' | 'string';
}
/**
 * Interactive analysis (Jupyter): a SageMaker domain (Studio, VPC only) with user profiles, or notebook instances. Either way: in the private subnets, storage encrypted with the key, no direct internet, and idle compute stops itself.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "notebooks".
 */
export interface Notebooks {
  domain?: NotebooksDomain;
  /**
   * Notebook instances ('<pipeline>-<name>'): root access off, IMDSv2 only, a lifecycle configuration that stops them when idle.
   */
  instances?: NotebooksInstance[];
  /**
   * Data-lake prefixes notebooks read.
   *
   * @maxItems 50
   */
  reads?: DataLocation[];
  /**
   * Data-lake prefixes notebooks write.
   *
   * @maxItems 50
   */
  writes?: DataLocation[];
}
/**
 * A SageMaker domain '<pipeline>' with IAM authentication, VPC-only network access and its EFS volume encrypted with the key.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "notebooksDomain".
 */
export interface NotebooksDomain {
  /**
   * User profiles of the domain.
   *
   * @minItems 1
   * @maxItems 100
   */
  users: [NotebooksUser, ...NotebooksUser[]];
  /**
   * How users sign in: 'IAM' (presigned URLs for IAM principals) or 'SSO' (IAM Identity Center, which must be enabled in the account's organization; each user then names its Identity Center user in 'ssoUserName'). Changing it replaces the domain and its user profiles.
   */
  authMode?: 'IAM' | 'SSO';
  /**
   * JupyterLab apps shut down after this many idle minutes.
   */
  idleShutdownMinutes?: number;
}
/**
 * A domain user profile.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "notebooksUser".
 */
export interface NotebooksUser {
  /**
   * User profile name, unique in the domain.
   */
  name: string;
  /**
   * With authMode 'SSO' (required there, refused otherwise): the user's IAM Identity Center user name (single_sign_on_user_value, identified by UserName). Changing it replaces the profile.
   */
  ssoUserName?: string;
}
/**
 * A notebook instance.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "notebooksInstance".
 */
export interface NotebooksInstance {
  /**
   * Spec name of the instance, unique among instances.
   */
  name: string;
  /**
   * ML instance type.
   */
  instanceType?: string;
  /**
   * Size of the ML storage volume (encrypted with the key).
   */
  volumeGiB?: number;
  /**
   * The instance stops itself after this many minutes without kernel activity.
   */
  idleStopMinutes?: number;
  /**
   * Platform (Amazon Linux and JupyterLab version).
   */
  platform?: 'notebook-al2-v3' | 'notebook-al2-v2';
}
/**
 * Event-driven preprocessing with Lambda (filtering, feature extraction) and the multi-step ETL workflow with Step Functions.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "orchestration".
 */
export interface Orchestration {
  /**
   * Lambda functions for lightweight preprocessing. Each has its own role, an encrypted dead-letter queue, X-Ray tracing, environment encrypted with the key and a log group with retention; with a network it runs in the private subnets.
   */
  functions?: LambdaFunction[];
  workflow?: Workflow;
}
/**
 * A Lambda function. Its code is a local directory (zipped deterministically beside the generated Terraform) or a zip in a bucket the pipeline does not create.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "lambdaFunction".
 */
export interface LambdaFunction {
  /**
   * Spec name of the function, unique among functions. The function is named '<pipeline>-<name>'.
   */
  name: string;
  /**
   * What the function does.
   */
  description?: string;
  code: LambdaCode;
  /**
   * Entry point, e.g. index.handler (Python: module.function; Node.js: file.export).
   */
  handler: string;
  /**
   * Lambda runtime.
   */
  runtime?:
    | 'python3.13'
    | 'python3.12'
    | 'python3.11'
    | 'python3.10'
    | 'nodejs22.x'
    | 'nodejs20.x'
    | 'java21'
    | 'java17'
    | 'provided.al2023';
  /**
   * arm64 (Graviton) costs about 20% less per GB-second; x86_64 for code with x86-only native libraries.
   */
  architecture?: 'arm64' | 'x86_64';
  /**
   * Memory (CPU scales with it).
   */
  memoryMiB?: number;
  /**
   * Longest a single invocation may run.
   */
  timeoutSeconds?: number;
  /**
   * Concurrent executions reserved for (and capping) this function. Unset: shares the account's unreserved pool.
   */
  reservedConcurrency?: number;
  /**
   * Send events that failed every retry to an SQS queue encrypted with the key (kept 14 days).
   */
  deadLetterQueue?: boolean;
  /**
   * Environment variables, encrypted at rest with the pipeline key. A sensitive value is a secret reference ({ secret: <name or ARN> } or { parameter: <name> }): the function gets <NAME>_SECRET_ID (or <NAME>_PARAMETER_NAME) holding the name, and read access to exactly that secret; read it with the AWS SDK or the AWS Parameters and Secrets Lambda Extension.
   */
  environment?: {
    [k: string]: string | SecretRef;
  };
  /**
   * S3 events that invoke the function: objects created (or removed) under a prefix of a data-lake bucket.
   *
   * @maxItems 50
   */
  triggers?: LambdaTrigger[];
  /**
   * Data-lake prefixes the function reads (trigger prefixes are readable too).
   *
   * @maxItems 50
   */
  reads?: DataLocation[];
  /**
   * Data-lake prefixes the function writes.
   *
   * @maxItems 50
   */
  writes?: DataLocation[];
}
/**
 * Where the function's code comes from: exactly one of 'directory' (local, e.g. 'functions/validate') and 's3' (e.g. 's3://acme-artifacts/lambda/validate.zip').
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "lambdaCode".
 */
export interface LambdaCode {
  /**
   * A directory relative to the spec file, e.g. 'functions/validate'. The build zips its files deterministically (sorted, fixed timestamps) into assets/ beside main.tf.json and uploads the zip with the function.
   */
  directory?: string;
  /**
   * The deployment zip as the S3 URI of an object in a bucket the pipeline does not create, e.g. 's3://acme-artifacts/lambda/validate.zip' (the function's role needs no access: Lambda reads it with your credentials at apply time). A URI into one of the pipeline's own buckets is refused: use 'directory'.
   */
  s3?: string;
}
/**
 * An S3 event notification on a data-lake bucket.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "lambdaTrigger".
 */
export interface LambdaTrigger {
  /**
   * Spec name of a data-lake bucket.
   */
  bucket: string;
  /**
   * Only keys under this prefix. '*' and '?' are refused: IAM policies would read them as wildcards.
   */
  prefix?: string;
  /**
   * Only keys ending with this, e.g. .json. '*' and '?' are refused, as in every key pattern: S3 takes them literally, IAM as wildcards.
   */
  suffix?: string;
  /**
   * Which events: objects created, removed, or both.
   *
   * @minItems 1
   * @maxItems 50
   */
  events?: ['created' | 'removed', ...('created' | 'removed')[]];
}
/**
 * The multi-step ETL as a Step Functions state machine '<pipeline>-etl': steps run in order through service integrations that wait for completion (Glue, EMR) or return (Lambda, SageMaker pipeline start), with retries; emr steps in cluster mode run on a cluster created for the execution (createCluster.sync) and terminated after the last of them or on failure; a failure is published to an encrypted SNS topic. Execution data is logged to an encrypted log group, tracing is on, and the state machine is encrypted with the key.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "workflow".
 */
export interface Workflow {
  /**
   * What the workflow does.
   */
  description?: string;
  /**
   * Start the workflow on a schedule (EventBridge): cron(...) or rate(...). Without it, start it on demand or from other automation.
   */
  schedule?: string;
  /**
   * An execution fails after this many minutes.
   */
  timeoutMinutes?: number;
  retry?: WorkflowRetry;
  /**
   * Email addresses subscribed to the failure topic (each confirms by email).
   *
   * @maxItems 50
   */
  notifyEmails?: string[];
  /**
   * Steps in the order they run.
   *
   * @minItems 1
   * @maxItems 100
   */
  steps: [WorkflowStep, ...WorkflowStep[]];
}
/**
 * How a failed step is retried (exponential backoff) before the workflow fails.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "workflowRetry".
 */
export interface WorkflowRetry {
  /**
   * Retries after the first failure (0: no retry).
   */
  maxAttempts?: number;
  /**
   * Wait before the first retry.
   */
  intervalSeconds?: number;
  /**
   * Each further wait is this many times the one before.
   */
  backoffRate?: number;
}
/**
 * One step. 'lambda' invokes a function (orchestration.functions); 'glue-job' runs a Glue job and waits (data.glue.jobs); 'glue-crawler' starts a crawler (data.glue.crawlers) and polls it until its crawl ends (an already running crawl is waited for, not failed); 'emr' runs a Spark script and waits (data.emr): on a cluster the workflow creates for the run, or on EMR Serverless; 'sagemaker-pipeline' starts the training pipeline '<pipeline>-training' (training).
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "workflowStep".
 */
export interface WorkflowStep {
  /**
   * Spec name of the step, unique in the workflow (the state name).
   */
  name: string;
  /**
   * What the step runs.
   */
  type: 'lambda' | 'glue-job' | 'glue-crawler' | 'emr' | 'sagemaker-pipeline';
  /**
   * lambda: spec name of the function.
   */
  function?: string;
  /**
   * glue-job: spec name of the Glue job.
   */
  job?: string;
  /**
   * glue-crawler: spec name of the crawler.
   */
  crawler?: string;
  /**
   * glue-crawler: seconds between two looks at the crawler's state (Step Functions has no waiting integration for crawlers, so the workflow polls GetCrawler).
   */
  pollSeconds?: number;
  /**
   * glue-crawler: the step fails when the crawler is still crawling after this many minutes (counted in polls; the crawl itself goes on).
   */
  crawlTimeoutMinutes?: number;
  /**
   * glue-job: arguments for this run, e.g. '--day: latest'.
   */
  arguments?: {
    [k: string]: string;
  };
  /**
   * emr: the Spark script: a path relative to the spec file, shipped by the apply (e.g. 'spark/customer_features.py'), or the S3 URI of an object in a bucket the pipeline does not create (e.g. 's3://acme-shared-code/spark/customer_features.py'). A URI into one of the pipeline's own buckets is refused.
   */
  script?: string;
  /**
   * emr: arguments passed to the script.
   *
   * @maxItems 100
   */
  args?: string[];
  /**
   * sagemaker-pipeline: pipeline parameters for this execution.
   */
  parameters?: {
    [k: string]: string;
  };
  retry?: WorkflowRetry;
  /**
   * The step fails after this many minutes (for Glue jobs, also stops the run; glue-crawler steps use crawlTimeoutMinutes).
   */
  timeoutMinutes?: number;
  /**
   * emr (cluster mode): 'transient' runs the step on the cluster the workflow creates for this run (created before the first such step, terminated after the last, also on failure); 'interactive' adds it to the long-lived interactive cluster (data.emr.cluster.interactive), only for workflows without a schedule, since that cluster terminates itself when idle.
   */
  cluster?: 'transient' | 'interactive';
}
/**
 * Model training: a SageMaker pipeline (process, train, evaluate, KPI gate, register) and optional EKS GPU training clusters.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "training".
 */
export interface Training {
  /**
   * What trains the model. Built-in algorithms (xgboost, linear-learner, deepar) and framework images (pytorch, tensorflow, sklearn) resolve to the AWS image for the pipeline region with no AWS call; lightgbm and custom run your own image ('image'). Setting any SageMaker training key requires 'algorithm' and 'data', and 'evaluation' unless every KPI has source 'training'.
   */
  algorithm?:
    'xgboost' | 'linear-learner' | 'deepar' | 'lightgbm' | 'pytorch' | 'tensorflow' | 'sklearn' | 'custom';
  /**
   * Built-ins: the image tag (xgboost '1.7-1', linear-learner and deepar '1'). Frameworks: the framework version (pytorch '2.3.0', tensorflow '2.14.1', sklearn '1.2-1'); the tag adds cpu/gpu from the instance type and the Python version.
   */
  version?: string;
  /**
   * Python of the framework image (frameworks only). Defaults: pytorch py311, tensorflow py310, sklearn py3.
   */
  pythonVersion?: string;
  /**
   * Your own training image in ECR (<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> or @sha256:<digest>), in the pipeline region. Required for lightgbm and custom; replaces the AWS image otherwise.
   */
  image?: string;
  /**
   * Script mode (pytorch, tensorflow, sklearn): the training script inside the source (code.directory, or 'sourceArchive'), e.g. train.py. Also the inference script of the registered model.
   */
  entryPoint?: string;
  /**
   * Script mode: the tar.gz of your source directory. With code.directory it is the name of the archive pipeform builds from that directory; with an S3 code location, its key relative to that prefix. With network isolation it reaches the container as the 'code' channel.
   */
  sourceArchive?: string;
  /**
   * Static hyperparameters by name (numbers and booleans are passed as text; frameworks get them JSON-encoded, as the SageMaker SDK does). Required ones: xgboost num_round; linear-learner predictor_type; deepar context_length, prediction_length, time_freq, epochs (tuned ones count). Never secrets: hyperparameters are visible to anyone who may call DescribeTrainingJob; pass a secret as a reference in training.environment.
   */
  hyperparameters?: {
    /**
     * A hyperparameter value: a string, number or boolean. Never a secret (hyperparameters are visible to anyone who may call DescribeTrainingJob): pass one by reference in training.environment.
     */
    [k: string]: string | number | boolean;
  };
  environment?: JobEnvironment;
  /**
   * Metrics your own code prints, each extracted from the logs with a regular expression (frameworks, lightgbm and custom only: built-in algorithms emit their own). A tuning objective of your own code must be listed here.
   *
   * @maxItems 40
   */
  metricDefinitions?: TrainingMetricDefinition[];
  /**
   * Training instance type (ml.* family and size, validated against pipeform's instance table). Also the default of the InstanceType pipeline parameter.
   */
  instanceType?: string;
  /**
   * Other instance types a run may pick through the InstanceType pipeline parameter. They must match 'instanceType' in accelerator (CPU or GPU) and storage (EBS or local NVMe), as the image and volume settings depend on both. Not allowed with 'distributed'.
   *
   * @maxItems 10
   */
  instanceTypeChoices?:
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
  /**
   * Training instances per job. Built-in algorithms distribute on their own; frameworks need 'distributed' to use more than one.
   */
  instanceCount?: number;
  /**
   * EBS volume per training instance, encrypted with the pipeline key. Ignored for instance types with local NVMe storage (p4d, p5, g5, ...), which is encrypted by the instance.
   */
  volumeSizeGb?: number;
  /**
   * Longest a training job may run (MaxRuntimeInSeconds).
   */
  maxRuntimeSeconds?: number;
  /**
   * Managed spot training (up to 90% cheaper). On by default; needs checkpoints so an interrupted job resumes instead of restarting.
   */
  spot?: boolean;
  /**
   * Spot only: longest a job may take including waiting for spot capacity (MaxWaitTimeInSeconds), at least 'maxRuntimeSeconds'. Defaults to twice the runtime, at most 28 days.
   */
  maxWaitSeconds?: number;
  checkpointing?: TrainingCheckpointing;
  /**
   * Training and processing containers make no network calls (EnableNetworkIsolation); SageMaker moves data and code in and out. Opt out only for code that must call out.
   */
  networkIsolation?: boolean;
  /**
   * Encrypt traffic between the instances of a distributed job (EnableInterContainerTrafficEncryption).
   */
  interContainerEncryption?: boolean;
  data?: TrainingData;
  baseModel?: TrainingBaseModel;
  code?: TrainingCode;
  processing?: TrainingProcessing;
  evaluation?: TrainingEvaluation;
  distributed?: TrainingDistributed;
  tuning?: TrainingTuning;
  registration?: TrainingRegistration;
  eks?: Eks;
}
/**
 * Environment variables of the SageMaker job's container (CreateTrainingJob / CreateProcessingJob Environment). A sensitive value is a secret reference: the container gets <NAME>_SECRET_ID (or <NAME>_PARAMETER_NAME) holding the name, the training role may read exactly that secret, and the code reads it at run time (it needs training.networkIsolation: false and a way to Secrets Manager or SSM).
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "jobEnvironment".
 */
export interface JobEnvironment {
  [k: string]: string | SecretRef;
}
/**
 * A metric extracted from the training logs.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "trainingMetricDefinition".
 */
export interface TrainingMetricDefinition {
  /**
   * Metric name, e.g. 'validation:f1'; unique.
   */
  name: string;
  /**
   * Regular expression with one capture group for the value, e.g. f1=([0-9.]+).
   */
  regex: string;
}
/**
 * Checkpoints to s3://<checkpoints bucket>/<pipeline>/training/checkpoints/<execution id>/, so spot interruptions resume. Switching them off with spot on is refused unless 'waiveSpotRisk' says interrupted jobs may restart from scratch.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "trainingCheckpointing".
 */
export interface TrainingCheckpointing {
  /**
   * Save checkpoints to the checkpoints bucket.
   */
  enabled?: boolean;
  /**
   * Where the training code writes checkpoints in the container.
   */
  localPath?: string;
  /**
   * With spot on and checkpoints off: accept that an interrupted job restarts from the beginning (for jobs short enough that this is cheaper than checkpointing).
   */
  waiveSpotRisk?: boolean;
}
/**
 * Where the training data lives: channels under s3://<bucket>/<prefix> (train/, validation/, test/; deepar: train/, test/). The TrainingDataPrefix pipeline parameter may point a run at another folder under the prefix; the pipeline role reads nothing else.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "trainingData".
 */
export interface TrainingData {
  /**
   * Data-lake bucket (spec name) holding the data, e.g. curated or features.
   */
  bucket?: string;
  /**
   * Key prefix of the data, ending in '/'. With 'processing', the processed data is written here, one folder per execution.
   */
  prefix: string;
  /**
   * Content type of the channels. Defaults: text/csv for xgboost, linear-learner and lightgbm; none (the algorithm default) for deepar, frameworks and custom.
   */
  contentType?: string;
  /**
   * How data reaches the container: 'File' (copied first), 'FastFile' (streamed on demand), 'Pipe'.
   */
  inputMode?: 'File' | 'FastFile' | 'Pipe';
  /**
   * Give each instance its own share of the train channel (ShardedByS3Key) instead of a full copy.
   */
  sharded?: boolean;
}
/**
 * Transfer learning: training starts from a trained model instead of from scratch. One of 's3' (a model artifact you pin, given to the job as its 'model' input channel), 'jumpstart' (a SageMaker JumpStart model's training artifact, pinned by its key, from the JumpStart bucket of the pipeline region, given as the 'model' channel like 's3'), 'huggingface' (a Hugging Face Hub model id your pytorch or tensorflow script loads) and 'champion' (the last approved version of the pipeline's own registry, looked up when each run starts; with 's3' or 'jumpstart' as the first run's model). Your code (frameworks, your own image) does the fine-tuning; pipeform's built-in algorithms (xgboost, linear-learner, deepar) do not support incremental training, which AWS offers only for its image classification, object detection and semantic segmentation algorithms. The cost report counts usage.fineTuneHoursShare of the training hours.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "trainingBaseModel".
 */
export interface TrainingBaseModel {
  /**
   * The model artifact (an S3 object, typically model.tar.gz) the job gets as the 'model' channel: /opt/ml/input/data/model/<file name> in the container. Pinned at plan time: the pipeline role may read exactly this object.
   */
  s3?: string;
  /**
   * A SageMaker JumpStart model, pinned: pipeform resolves its bucket for the pipeline region (jumpstart-cache-prod-<region>, or jumpstart-private-cache-prod-<region> when gated) with no AWS call, and gives s3://<bucket>/<artifactKey> to the job as the 'model' channel, like 's3'. The artifact key is in the model's spec only, so you pin it: copy it from sagemaker.model_uris.retrieve(model_id=..., model_version=..., model_scope='training') or from the model's spec (training_artifact_key). The training image stays yours (training.algorithm): it must be the model's framework (for example pytorch for huggingface-* models).
   */
  jumpstart?: {
    /**
     * The JumpStart model id, for example huggingface-llm-mistral-7b or pytorch-ic-mobilenet-v2 (pipeform does not look it up: the artifact the job gets is artifactKey; the id and version say which model and release the key belongs to).
     */
    modelId: string;
    /**
     * The JumpStart model version artifactKey belongs to, pinned (semver, no '*': a wildcard would not say which artifact the key is).
     */
    version: string;
    /**
     * The training artifact's key in the JumpStart bucket (no bucket, no s3://; no * or ?, which IAM would read as wildcards), for example huggingface-training/train-huggingface-llm-mistral-7b.tar.gz; a key ending in '/' names a prefix (uncompressed artifacts). The pipeline role may read exactly this object (or prefix).
     */
    artifactKey: string;
    /**
     * The model's artifacts are in the gated bucket (jumpstart-private-cache-prod-<region>; the model spec's gated_bucket), which serves models with an end-user license agreement: needs acceptEula true.
     */
    gated?: boolean;
    /**
     * You accept the end-user license agreement of a gated model: the model channel carries ModelAccessConfig AcceptEula true, as the SageMaker Python SDK sends with accept_eula=True. Read the license first.
     */
    acceptEula?: boolean;
  };
  /**
   * A Hugging Face Hub model id (<name> or <organization>/<name>), passed to your script as the hyperparameter model_name_or_path, the argument the Hugging Face example scripts read. The container downloads it from the Hub at run time: needs networkIsolation false and internet egress (NAT).
   */
  huggingface?: string;
  /**
   * Fine-tune the current champion: a Lambda step at the start of each run looks up the newest approved version of '<name>-models' and gives its ModelDataUrl to the job as the 'model' channel, so retraining on KPI evidence continues from the model in production. Before any version is approved the channel holds 's3' when set, else a placeholder object 'none' (your script starts from scratch when /opt/ml/input/data/model has no model.tar.gz).
   */
  champion?: boolean;
  /**
   * huggingface only: the branch, tag or commit of the model, passed as the hyperparameter model_revision (the Hugging Face example scripts' argument). A commit id pins the weights: every run trains from the same model.
   */
  revision?: string;
}
/**
 * Where the training code comes from, in exactly one of three forms. 'directory' (e.g. 'training'): a folder beside the spec; the processing and evaluation scripts are files in it, framework algorithms (pytorch, tensorflow, sklearn) get a deterministic sourcedir.tar.gz of it, and the apply uploads them. 's3' (e.g. 's3://acme-ml-code/churn/'): a prefix in a bucket the pipeline does not create. 'bucket' and 'prefix': a prefix of the data lake (default: '<pipeline>/code/' in models), allowed only when cicd's Build stage publishes the code there (PIPEFORM_CODE_URI). The pipeline role reads only these objects.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "trainingCode".
 */
export interface TrainingCode {
  /**
   * A directory relative to the spec file, e.g. 'training'. Scripts (processing.script, evaluation.script, entryPoint) are paths inside it; each script is uploaded on its own, and framework algorithms also get the whole directory as a deterministic tar.gz (sorted entries, fixed times, owners and modes).
   */
  directory?: string;
  /**
   * An S3 prefix in a bucket the pipeline does not create, ending in '/', e.g. 's3://acme-ml-code/churn/'. Scripts and the source archive are keys under it; the pipeline role may read only that prefix.
   */
  s3?: string;
  /**
   * Data-lake bucket (spec name) holding the code that the CI/CD build publishes.
   */
  bucket?: string;
  /**
   * Key prefix of the published code, ending in '/'. Defaults to '<pipeline>/code/'.
   */
  prefix?: string;
}
/**
 * An optional first step: a processing job that prepares the train/validation/test data for training and evaluation.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "trainingProcessing".
 */
export interface TrainingProcessing {
  /**
   * Preprocessing script (python3) relative to 'code.prefix'. It reads the input from /opt/ml/processing/input/data and writes one folder per training channel plus test: /opt/ml/processing/train, validation (deepar: none) and test.
   */
  script: string;
  /**
   * Processing image in ECR, in the pipeline region. Defaults to the AWS scikit-learn image.
   */
  image?: string;
  /**
   * Processing instance type.
   */
  instanceType?: string;
  /**
   * Processing instances.
   */
  instanceCount?: number;
  /**
   * EBS volume per instance, encrypted with the pipeline key (ignored for local NVMe instance types).
   */
  volumeSizeGb?: number;
  /**
   * Longest the processing job may run.
   */
  maxRuntimeSeconds?: number;
  /**
   * Command-line arguments for the script (visible in DescribeProcessingJob: never secrets; use 'environment' with a secret reference).
   *
   * @maxItems 50
   */
  arguments?: string[];
  environment?: JobEnvironment;
  input: TrainingProcessingInput;
}
/**
 * The raw input of the processing step, s3://<bucket>/<prefix>; the InputDataPrefix pipeline parameter may point a run at another folder under it.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "trainingProcessingInput".
 */
export interface TrainingProcessingInput {
  /**
   * Data-lake bucket (spec name) holding the input.
   */
  bucket?: string;
  /**
   * Key prefix of the input, ending in '/'.
   */
  prefix: string;
}
/**
 * The evaluation step: a processing job that scores the trained (or best tuned) model on the test data and writes a JSON report; the KPI gate reads it for every KPI with source 'evaluation'. Optional when every KPI has source 'training' (the gate then reads the training job's own metrics).
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "trainingEvaluation".
 */
export interface TrainingEvaluation {
  /**
   * Evaluation script (python3) relative to 'code.prefix'. It reads the model from /opt/ml/processing/model and the test data from /opt/ml/processing/test, and writes /opt/ml/processing/evaluation/evaluation.json holding every goals.kpis metric path.
   */
  script: string;
  /**
   * Evaluation image in ECR, in the pipeline region. Defaults to the training image for xgboost, sklearn and your own images, the CPU framework image for pytorch and tensorflow, and the scikit-learn image for linear-learner and deepar.
   */
  image?: string;
  /**
   * Processing instance type.
   */
  instanceType?: string;
  /**
   * Processing instances.
   */
  instanceCount?: number;
  /**
   * EBS volume per instance, encrypted with the pipeline key (ignored for local NVMe instance types).
   */
  volumeSizeGb?: number;
  /**
   * Longest the processing job may run.
   */
  maxRuntimeSeconds?: number;
  /**
   * Command-line arguments for the script (visible in DescribeProcessingJob: never secrets; use 'environment' with a secret reference).
   *
   * @maxItems 50
   */
  arguments?: string[];
  environment?: JobEnvironment;
}
/**
 * Distributed training for pytorch and tensorflow (and your own images). Multi-node GPU jobs need EFA-capable instance types; 'data-parallel' needs ml.p4d, ml.p4de or ml.p5. The instance type is pinned (no instanceTypeChoices).
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "trainingDistributed".
 */
export interface TrainingDistributed {
  /**
   * 'data-parallel': SageMaker distributed data parallel (smddp, pytorch); 'model-parallel': SageMaker model parallel over MPI (tensor and pipeline partitioning, pytorch); 'horovod' and 'mpi': MPI with processes per host.
   */
  strategy: 'data-parallel' | 'model-parallel' | 'horovod' | 'mpi';
  /**
   * MPI processes per instance (model-parallel, horovod, mpi). Defaults to the GPUs per instance (1 on CPU instances).
   */
  processesPerHost?: number;
  /**
   * Extra mpirun options, e.g. '-x NCCL_DEBUG=INFO'.
   */
  customMpiOptions?: string;
  modelParallel?: TrainingModelParallel;
}
/**
 * SageMaker model parallel settings (mp_parameters), 'model-parallel' only.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "trainingModelParallel".
 */
export interface TrainingModelParallel {
  /**
   * Pipeline partitions of the model.
   */
  partitions?: number;
  /**
   * GPUs each layer is split across (tensor parallelism).
   */
  tensorParallelDegree?: number;
  /**
   * Microbatches per batch for pipeline parallelism.
   */
  microbatches?: number;
  /**
   * Data parallelism across model replicas.
   */
  ddp?: boolean;
}
/**
 * Automatic model tuning: the training step becomes a tuning step, and the best model feeds evaluation and registration. Its training jobs get the same spot, encryption, isolation and VPC settings, but no checkpoint location: a tuning job has one for all its trials, and parallel trials would resume each other's checkpoints, so an interrupted spot trial starts over.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "trainingTuning".
 */
export interface TrainingTuning {
  objective: TrainingTuningObjective;
  /**
   * 'bayesian' (learns from earlier jobs), 'random' (fully parallel) or 'hyperband' (stops weak jobs early; needs earlyStopping off).
   */
  strategy?: 'bayesian' | 'random' | 'hyperband';
  /**
   * Hyperparameters to search, unique by name; none may also be a static hyperparameter.
   *
   * @minItems 1
   * @maxItems 30
   */
  ranges: [TrainingParameterRange, ...TrainingParameterRange[]];
  /**
   * Training jobs in total.
   */
  maxJobs?: number;
  /**
   * Training jobs at a time (at most maxJobs). Fewer gives the bayesian strategy more to learn from.
   */
  maxParallelJobs?: number;
  /**
   * 'auto' stops jobs unlikely to beat the best so far; 'off' runs every job to the end.
   */
  earlyStopping?: 'auto' | 'off';
  hyperband?: TrainingHyperband;
}
/**
 * The metric tuning optimizes.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "trainingTuningObjective".
 */
export interface TrainingTuningObjective {
  /**
   * Metric name: a built-in algorithm's metric (e.g. validation:auc, test:RMSE) or one of 'metricDefinitions'.
   */
  metric: string;
  /**
   * Whether higher or lower values are better.
   */
  direction: 'maximize' | 'minimize';
}
/**
 * One hyperparameter range: 'min'/'max' for continuous and integer (whole numbers), 'values' for categorical.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "trainingParameterRange".
 */
export interface TrainingParameterRange {
  /**
   * Hyperparameter name.
   */
  name: string;
  /**
   * Kind of range.
   */
  type: 'continuous' | 'integer' | 'categorical';
  /**
   * Lowest value (continuous, integer).
   */
  min?: number;
  /**
   * Highest value (continuous, integer), above min.
   */
  max?: number;
  /**
   * How values are sampled: 'logarithmic' needs min > 0, 'reverse-logarithmic' (continuous) needs 0 <= min < max < 1.
   */
  scaling?: 'auto' | 'linear' | 'logarithmic' | 'reverse-logarithmic';
  /**
   * The values to try (categorical), unique.
   *
   * @minItems 1
   * @maxItems 30
   */
  values?: [string, ...string[]];
}
/**
 * Hyperband resource bounds (strategy 'hyperband'), in epochs or iterations as your code counts them.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "trainingHyperband".
 */
export interface TrainingHyperband {
  /**
   * Resource a job gets before it may be stopped. At most 20,000 (the SageMaker API limit).
   */
  minResource: number;
  /**
   * Resource the best jobs get at most. At most 20,000 (the SageMaker API limit).
   */
  maxResource: number;
}
/**
 * Registration into the model package group '<pipeline>-models' when every KPI passes.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "trainingRegistration".
 */
export interface TrainingRegistration {
  /**
   * 'manual': packages wait as PendingManualApproval for a reviewer; 'automatic': packages that pass the KPI gate are Approved at once.
   */
  approval?: 'manual' | 'automatic';
  /**
   * Instance types the model may serve on in real time.
   *
   * @minItems 1
   * @maxItems 10
   */
  inferenceInstanceTypes?:
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
  /**
   * Instance types for batch transform.
   *
   * @minItems 1
   * @maxItems 10
   */
  transformInstanceTypes?:
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
  /**
   * Request content types the model accepts. Defaults to the data's content type (application/json when it has none).
   *
   * @minItems 1
   * @maxItems 10
   */
  contentTypes?:
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
  /**
   * Response MIME types the model returns. Defaults to contentTypes.
   *
   * @minItems 1
   * @maxItems 10
   */
  responseTypes?:
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
 * An EKS cluster for large-scale GPU training: private API endpoint, secrets encrypted with the pipeline key, every control-plane log type, an OIDC provider for IRSA, access entries for the admins, core add-ons (with the EKS Pod Identity agent), GPU node groups with EFA and cluster placement, the cluster autoscaler (scaling node groups from zero), and training jobs with their own IAM roles. `pipeform synth` also writes the in-cluster pieces as Kubernetes manifests in k8s/ (apply with kubectl apply -k). Needs a network in two availability zones (a VPC pipeform creates also needs NAT: nodes call the EC2 API).
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "eks".
 */
export interface Eks {
  /**
   * Short name of the cluster; the EKS cluster is named <pipeline>-<name>.
   */
  name?: string;
  /**
   * Kubernetes version, pinned here so upgrades are explicit changes to the spec. Node groups follow it.
   */
  version: '1.29' | '1.30' | '1.31' | '1.32' | '1.33';
  endpoint?: EksEndpoint;
  /**
   * How IAM principals authenticate: 'API' (EKS access entries only) or 'API_AND_CONFIG_MAP' (access entries plus the legacy aws-auth ConfigMap, for migrations).
   */
  authenticationMode?: 'API' | 'API_AND_CONFIG_MAP';
  /**
   * IAM role or user ARNs (in the pipeline account) that administer the cluster: each gets an access entry with AmazonEKSClusterAdminPolicy on the whole cluster. The principal running Terraform gets no implicit access.
   *
   * @minItems 1
   * @maxItems 10
   */
  admins:
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
  /**
   * EKS support policy: 'STANDARD' (the cluster is upgraded automatically when standard support ends; no extended-support charge) or 'EXTENDED' (stays on the version for up to 12 more months, at six times the hourly control-plane price).
   */
  supportType?: 'STANDARD' | 'EXTENDED';
  addons?: EksAddons;
  /**
   * Managed node groups, each with its own launch template. Names are unique.
   *
   * @minItems 1
   */
  nodeGroups: [EksNodeGroup, ...EksNodeGroup[]];
  /**
   * Training workloads. Each gets a namespace and service account, an IAM role through EKS Pod Identity that reads only its 'reads' and writes only its checkpoint and model prefixes (and 'writes'), a headless Service for torchrun's rendezvous, and an example Indexed Job in k8s/jobs/<name>.yaml that requests what its node group offers. Names are unique.
   *
   * @maxItems 50
   */
  jobs?: EksJob[];
}
/**
 * Access to the Kubernetes API endpoint. The private endpoint is always on; the public one is off unless turned on with a list of allowed CIDRs.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "eksEndpoint".
 */
export interface EksEndpoint {
  /**
   * Also expose the API endpoint publicly, reachable only from publicAccessCidrs.
   */
  publicAccess?: boolean;
  /**
   * IPv4 CIDRs allowed to reach the public endpoint; required when publicAccess is on. Judged on their union: together at most a /8's worth of addresses (16,777,216), never 0.0.0.0/0 whole or in pieces.
   *
   * @minItems 1
   * @maxItems 40
   */
  publicAccessCidrs?: [string, ...string[]];
}
/**
 * Version overrides for the core add-ons pipeform always installs: vpc-cni (pod networking, with its own IRSA role holding AmazonEKS_CNI_Policy), coredns (cluster DNS), kube-proxy (service networking), aws-ebs-csi-driver (persistent volumes, with its own IRSA role) and eks-pod-identity-agent (hands pods the credentials of their EKS Pod Identity role). Without a version, EKS installs its default for the cluster version.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "eksAddons".
 */
export interface EksAddons {
  'vpc-cni'?: EksAddon;
  coredns?: EksAddon;
  'kube-proxy'?: EksAddon;
  'aws-ebs-csi-driver'?: EksAddon;
  'eks-pod-identity-agent'?: EksAddon;
}
/**
 * One core add-on's settings.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "eksAddon".
 */
export interface EksAddon {
  /**
   * Add-on version to pin, e.g. v1.19.2-eksbuild.1 (aws eks describe-addon-versions lists them). Default: the EKS default for the cluster version.
   */
  version?: string;
}
/**
 * A managed node group: instance types, capacity type, scaling, and a launch template with IMDSv2, an encrypted root volume and, for EFA, EFA interfaces in a cluster placement group.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "eksNodeGroup".
 */
export interface EksNodeGroup {
  /**
   * Short name of the node group, unique in the cluster; the EKS node group is named <cluster>-<name>.
   */
  name: string;
  /**
   * EC2 instance types, in priority order for ON_DEMAND. Spot groups list several (capacity diversity). Known families: p4d, p4de, p5, p5e, g5, g6, g6e (NVIDIA GPUs), trn1 (AWS Trainium), m5, m6i, m7i, c5, c6i, c7i, r5, r6i, r7i (CPU).
   *
   * @minItems 1
   * @maxItems 20
   */
  instanceTypes:
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
        string,
        string,
        string,
        string,
      ];
  /**
   * SPOT (up to 90% cheaper, can be interrupted: checkpoint training) or ON_DEMAND.
   */
  capacityType?: 'SPOT' | 'ON_DEMAND';
  /**
   * The group runs GPU workloads: the NVIDIA AMI, the nvidia.com/gpu=true:NoSchedule taint and the nvidia.com/gpu.present label. Defaults to true when an instance type has NVIDIA GPUs.
   */
  gpu?: boolean;
  /**
   * EKS AMI type. Defaults to AL2023_x86_64_NVIDIA for GPU groups, AL2023_x86_64_NEURON for Trainium types, AL2023_x86_64_STANDARD otherwise. AL2 AMIs stop at Kubernetes 1.32.
   */
  amiType?:
    | 'AL2023_x86_64_NVIDIA'
    | 'AL2023_x86_64_NEURON'
    | 'AL2023_x86_64_STANDARD'
    | 'AL2_x86_64_GPU'
    | 'AL2_x86_64';
  scaling: EksScaling;
  /**
   * Size of the encrypted gp3 root volume. Defaults to 200 GiB for GPU and Trainium groups (their container images are large), 50 GiB otherwise.
   */
  diskSizeGiB?: number;
  /**
   * Attach Elastic Fabric Adapter interfaces (one per network card, as many as every listed type takes) for NCCL/MPI across nodes. Only EFA-capable instance types; the group then runs in the first private subnet (EFA traffic stays in one subnet).
   */
  efa?: boolean;
  /**
   * Launch the nodes into a cluster placement group (one AZ, low-latency network) for multi-node training; the group then runs in the first private subnet. Defaults to the value of efa.
   */
  placementGroup?: boolean;
  /**
   * Kubernetes labels on every node of the group.
   */
  labels?: {
    [k: string]: string;
  };
  /**
   * Kubernetes taints on every node. Defaults to nvidia.com/gpu=true:NoSchedule for GPU groups (so only pods that ask for GPUs land there) and none otherwise; [] removes the default.
   *
   * @maxItems 50
   */
  taints?: EksTaint[];
  /**
   * IMDSv2 (always required) response hop limit. 1 keeps pods from reaching the instance metadata and the node role's credentials (pods use EKS Pod Identity or IRSA); 2 lets pods reach it.
   */
  imdsHopLimit?: number;
  /**
   * EKS node auto repair: replace nodes that turn unhealthy (e.g. GPU failures).
   */
  autoRepair?: boolean;
}
/**
 * Node counts: minSize <= desiredSize <= maxSize. The cluster autoscaler moves the desired size between minSize and maxSize as pods need nodes; Terraform sets desiredSize at creation only.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "eksScaling".
 */
export interface EksScaling {
  /**
   * Fewest nodes; 0 lets an idle GPU group cost nothing.
   */
  minSize?: number;
  /**
   * Nodes at creation. Defaults to minSize.
   */
  desiredSize?: number;
  /**
   * Most nodes.
   */
  maxSize: number;
}
/**
 * A Kubernetes taint.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "eksTaint".
 */
export interface EksTaint {
  /**
   * Taint key, e.g. nvidia.com/gpu.
   */
  key: string;
  /**
   * Taint value (may be empty).
   */
  value?: string;
  /**
   * What the taint does to pods that do not tolerate it.
   */
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}
/**
 * A training workload: PyTorch under torchrun, one pod per node of one node group, NCCL over EFA where the group has it, credentials from its own EKS Pod Identity role, checkpoints to its own prefix so a spot interruption resumes from the last one.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "eksJob".
 */
export interface EksJob {
  /**
   * Short name of the job, unique in the cluster: the Job, its Service, IAM role (<pipeline>-<cluster>-job-<name>) and default prefixes are named after it.
   */
  name: string;
  /**
   * Name of the node group (training.eks.nodeGroups) the job runs on: its pods select that group and tolerate its taints, and request what one of its nodes offers.
   */
  nodeGroup: string;
  /**
   * Training container image in ECR, in the pipeline region (<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> or @sha256:<digest>). It needs PyTorch with torchrun, and for EFA groups libfabric and the aws-ofi-nccl plugin (as the AWS Deep Learning Containers have).
   */
  image: string;
  /**
   * The training script in the image that torchrun starts on every node, e.g. /workspace/train.py. It reads CHECKPOINT_S3_URI on start and resumes from the newest checkpoint there.
   */
  entryPoint: string;
  /**
   * Arguments passed to the script.
   *
   * @maxItems 100
   */
  args?: string[];
  /**
   * Kubernetes namespace of the job (created by the manifests); not default or kube-*.
   */
  namespace?: string;
  /**
   * Kubernetes service account the job's pods run as; its EKS Pod Identity association gives them the job's IAM role. Defaults to the job name. One job per service account.
   */
  serviceAccount?: string;
  /**
   * Nodes (one pod each) the job trains on; at most the node group's maxSize.
   */
  nodes?: number;
  /**
   * NVIDIA GPUs each pod requests (nvidia.com/gpu); torchrun starts one process per GPU. Defaults to all GPUs of the node group's instance type (0 on CPU groups). At most what the group's smallest type has.
   */
  gpusPerNode?: number;
  /**
   * CPU and memory each pod requests, besides GPUs and EFA. Must leave 10% of the node group's smallest type for the kubelet, the OS and the DaemonSets.
   */
  resources?: {
    /**
     * vCPUs per pod.
     */
    cpu?: number;
    /**
     * Memory per pod in GiB.
     */
    memoryGiB?: number;
  };
  /**
   * Data-lake locations the job reads (training data, base model weights). Read access is granted to exactly these prefixes.
   *
   * @maxItems 20
   */
  reads?:
    | []
    | [DataLocation]
    | [DataLocation, DataLocation]
    | [DataLocation, DataLocation, DataLocation]
    | [DataLocation, DataLocation, DataLocation, DataLocation]
    | [DataLocation, DataLocation, DataLocation, DataLocation, DataLocation]
    | [DataLocation, DataLocation, DataLocation, DataLocation, DataLocation, DataLocation]
    | [DataLocation, DataLocation, DataLocation, DataLocation, DataLocation, DataLocation, DataLocation]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ];
  /**
   * Further data-lake locations the job writes (e.g. evaluation reports), besides its checkpoints and model.
   *
   * @maxItems 20
   */
  writes?:
    | []
    | [DataLocation]
    | [DataLocation, DataLocation]
    | [DataLocation, DataLocation, DataLocation]
    | [DataLocation, DataLocation, DataLocation, DataLocation]
    | [DataLocation, DataLocation, DataLocation, DataLocation, DataLocation]
    | [DataLocation, DataLocation, DataLocation, DataLocation, DataLocation, DataLocation]
    | [DataLocation, DataLocation, DataLocation, DataLocation, DataLocation, DataLocation, DataLocation]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ]
    | [
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
        DataLocation,
      ];
  /**
   * Where the job writes its checkpoints: a prefix of a data-lake bucket, writable (and readable, to resume) by this job alone.
   */
  checkpoints?: {
    /**
     * Data-lake bucket (spec name).
     */
    bucket?: string;
    /**
     * Key prefix, ending in '/'. Defaults to <pipeline>/eks/<job name>/.
     */
    prefix?: string;
  };
  /**
   * Where the job writes its trained model: a prefix of a data-lake bucket, writable (and readable, to resume) by this job alone.
   */
  model?: {
    /**
     * Data-lake bucket (spec name).
     */
    bucket?: string;
    /**
     * Key prefix, ending in '/'. Defaults to <pipeline>/eks/<job name>/.
     */
    prefix?: string;
  };
  /**
   * How often the job restarts after a failure or a lost node (torchrun restarts and Job retries), each time from the last checkpoint. Pods evicted by a node drain (spot interruption, scale-down) do not count.
   */
  maxRestarts?: number;
}
/**
 * Experiment tracking shared by the training jobs and the notebooks.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "tracking".
 */
export interface Tracking {
  mlflow?: TrackingMlflow;
}
/**
 * A SageMaker managed MLflow tracking server '<pipeline>-mlflow'. Its artifact store is the models bucket under '<pipeline>/mlflow/' (encrypted with the pipeline key), under a role that reads and writes only that prefix. The training pipeline's jobs and the Studio domain's users may log to it (MLFLOW_TRACKING_URI is the server ARN, as the sagemaker-mlflow plugin expects); jobs need training.networkIsolation false to reach it.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "trackingMlflow".
 */
export interface TrackingMlflow {
  /**
   * Server size (AWS suggests Small for up to 25 users, Medium up to 50, Large up to 100). Changed in place: the server restarts.
   */
  size?: 'Small' | 'Medium' | 'Large';
  /**
   * MLflow major.minor version of the server (e.g. '2.16'; the provider stores only major.minor, so a patch level would show as a change on every plan). Without it SageMaker picks its current default at creation. Changing it replaces the server (runs and experiments live in the server: export them first).
   */
  version?: string;
  /**
   * Start of the weekly maintenance window, UTC, as Day:HH:MM.
   */
  maintenanceWindow?: string;
  /**
   * Register each model logged to MLflow's model registry in SageMaker Model Registry as well. Only models registered under the name of the pipeline's model package group ('<pipeline>-models') can land there: the server's role may write only that group. Off by default: such packages bypass the training pipeline's KPI gate (they arrive as PendingManualApproval). Needs training.algorithm.
   */
  automaticModelRegistration?: boolean;
}
/**
 * Model serving: SageMaker endpoints (real-time, serverless, async, multi-model) with A/B variants, blue/green deployment with auto-rollback on generated alarms, autoscaling, data capture, an optional public front door behind the WAF, and models on edge devices (AWS IoT Greengrass v2).
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "serving".
 */
export interface Serving {
  /**
   * Inference endpoints, each with a name unique in the spec. Endpoints other than serverless run in the private subnets of 'network'.
   */
  endpoints?: ServingEndpoint[];
  edge?: ServingEdge;
}
/**
 * One SageMaker endpoint. The AWS name is '<pipeline>-<name>'.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "servingEndpoint".
 */
export interface ServingEndpoint {
  /**
   * Endpoint name, unique in the spec ('edge' is reserved for the edge fleet). Used in resource names, alarm names and outputs.
   */
  name: string;
  /**
   * How the endpoint serves: 'realtime' (instances, A/B variants, optional shadow), 'serverless' (pay per request, scales to zero: low-traffic models), 'async' (queued requests with large payloads, results in S3 and SNS notifications) or 'multi-model' (one instance fleet serving many models from an S3 prefix).
   */
  type?: 'realtime' | 'serverless' | 'async' | 'multi-model';
  model?: ServingModel;
  /**
   * Production variants and their traffic weights (A/B testing between a champion and a challenger). Not for serverless endpoints, which have one implicit variant 'primary'. Defaults to one variant 'primary'.
   *
   * @minItems 1
   * @maxItems 10
   */
  variants?:
    | [ServingVariant]
    | [ServingVariant, ServingVariant]
    | [ServingVariant, ServingVariant, ServingVariant]
    | [ServingVariant, ServingVariant, ServingVariant, ServingVariant]
    | [ServingVariant, ServingVariant, ServingVariant, ServingVariant, ServingVariant]
    | [ServingVariant, ServingVariant, ServingVariant, ServingVariant, ServingVariant, ServingVariant]
    | [
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
      ]
    | [
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
      ]
    | [
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
      ]
    | [
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
        ServingVariant,
      ];
  shadow?: ServingShadow;
  serverless?: ServingServerless;
  async?: ServingAsync;
  /**
   * Run the model containers without network access (they still read their artifacts through SageMaker). Serverless endpoints do not support network isolation and always run without it.
   */
  networkIsolation?: boolean;
  dataCapture?: ServingDataCapture;
  deployment?: ServingDeployment;
  autoscaling?: ServingAutoscaling;
  public?: ServingPublic;
}
/**
 * The model every variant serves unless the variant names its own.
 */
export interface ServingModel {
  registry?: ServingRegistryModel;
  artifact?: ServingArtifact;
  /**
   * Inference image in ECR, in the pipeline region, e.g. '123456789012.dkr.ecr.us-east-1.amazonaws.com/scorer:1.4'. Only with 'artifact'.
   */
  image?: string;
  builtinImage?: ServingBuiltinImage;
  /**
   * Environment variables of the model container. A secret reference passes its name as <NAME>_SECRET_ID (or <NAME>_PARAMETER_NAME) and lets the endpoint's execution role read exactly that secret; the container reads it at run time, so it needs a way to Secrets Manager (networkIsolation: false; in a VPC without NAT the secretsmanager endpoint is derived).
   */
  environment?: {
    [k: string]: string | SecretRef;
  };
}
/**
 * A model package of the pipeline's registry (the model package group '<pipeline>-models'). Such an endpoint is not created by 'terraform apply': the serving deploy (the Step Functions state machine '<pipeline>-serving-deploy') creates it when the versions it serves are approved, and the next 'terraform apply' adopts it (see docs/day-0-1-2.md).
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "servingRegistryModel".
 */
export interface ServingRegistryModel {
  /**
   * A pinned version number (1 to 99999: the endpoint waits until that version exists and is approved), or 'latest-approved' (the newest approved version: each approval in the group deploys it blue/green).
   */
  version: number | string;
}
/**
 * Where the model archive comes from: exactly one of 'file' (a model.tar.gz the same apply uploads, or one in a bucket of your own, e.g. {file: models/basket/model.tar.gz}) and 'key' (an object or, for a multi-model endpoint, a prefix in a data-lake bucket, e.g. {bucket: models, key: stores/}). A single-model archive under 'key' must be in the bucket before the first apply: pipeform creates the data-lake buckets empty, so prefer 'file'.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "servingArtifact".
 */
export interface ServingArtifact {
  /**
   * The model archive (a gzip-compressed tar holding the model files) as a path relative to the spec file, e.g. 'models/basket/model.tar.gz': the same apply uploads it (to a content-addressed key under storage.assets, encrypted with the pipeline key), so the model exists on day 0, and a changed archive creates a new model the endpoint moves to blue/green. Or the S3 URI of an archive in a bucket this configuration does not create, e.g. 's3://acme-models/basket/model.tar.gz', read where it is (the execution role may read exactly that object). Not with 'bucket' or 'key', and not for a multi-model endpoint, which serves a prefix ('key').
   */
  file?: string;
  /**
   * Data-lake bucket (its spec name) holding the object or prefix named by 'key'. Only with 'key'.
   */
  bucket?: string;
  /**
   * Object key of the model archive (model.tar.gz) in the data-lake bucket 'bucket', e.g. 'basket/model.tar.gz'; for a multi-model endpoint, the prefix holding the models, ending in '/', e.g. 'stores/'. The data lake starts empty: a single archive must be put there before the first apply (use 'file' to let the apply upload it); a multi-model prefix may fill up later. '*' and '?' are refused: IAM policies would read them as wildcards.
   */
  key?: string;
}
/**
 * An AWS-provided inference image, looked up for the pipeline region without any AWS call.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "servingBuiltinImage".
 */
export interface ServingBuiltinImage {
  /**
   * The framework or server: xgboost, sklearn, pytorch, tensorflow, huggingface-pytorch or triton (Triton serves GPU multi-model endpoints).
   */
  framework: 'xgboost' | 'sklearn' | 'pytorch' | 'tensorflow' | 'huggingface-pytorch' | 'triton';
  /**
   * Image tag, e.g. '1.7-1' for xgboost or '2.1.0-cpu-py310' for pytorch.
   */
  version: string;
}
/**
 * A production variant: a model on its own instances with a share of the traffic.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "servingVariant".
 */
export interface ServingVariant {
  /**
   * Variant name, unique in the endpoint. Keep it across deployments: blue/green updates need the same variant names.
   */
  name: string;
  model?: ServingModel1;
  /**
   * Inference instance type (ml.*), e.g. ml.c6i.large for CPU or ml.g5.xlarge for GPU. Types with local NVMe storage (ml.*d, ml.g4dn, ml.g5, ml.g6, ml.p4d) encrypt their volumes in hardware, so the endpoint then takes no KMS key for them. SageMaker refuses to change the type of an autoscaled variant: switch autoscaling off for that apply.
   */
  instanceType?: string;
  /**
   * Instances the variant starts with.
   */
  instanceCount?: number;
  /**
   * Relative traffic weight; traffic splits in proportion to the weights of all variants.
   */
  weight?: number;
  /**
   * Autoscaling lower bound. Defaults to instanceCount. 0 only for async endpoints, which queue requests while no instance runs: pipeform then adds a step scaling policy that a CloudWatch alarm on HasBacklogWithoutCapacity triggers, so the first request scales out from zero.
   */
  minInstances?: number;
  /**
   * Autoscaling upper bound. Defaults to twice instanceCount.
   */
  maxInstances?: number;
}
/**
 * The model of this variant; defaults to the endpoint's model.
 */
export interface ServingModel1 {
  registry?: ServingRegistryModel;
  artifact?: ServingArtifact;
  /**
   * Inference image in ECR, in the pipeline region, e.g. '123456789012.dkr.ecr.us-east-1.amazonaws.com/scorer:1.4'. Only with 'artifact'.
   */
  image?: string;
  builtinImage?: ServingBuiltinImage;
  /**
   * Environment variables of the model container. A secret reference passes its name as <NAME>_SECRET_ID (or <NAME>_PARAMETER_NAME) and lets the endpoint's execution role read exactly that secret; the container reads it at run time, so it needs a way to Secrets Manager (networkIsolation: false; in a VPC without NAT the secretsmanager endpoint is derived).
   */
  environment?: {
    [k: string]: string | SecretRef;
  };
}
/**
 * A shadow variant (realtime endpoints with one production variant): receives a copy of a share of the requests, its responses are discarded, so a new model is tested on live traffic without risk.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "servingShadow".
 */
export interface ServingShadow {
  /**
   * Shadow variant name, unique in the endpoint.
   */
  name: string;
  model: ServingModel2;
  /**
   * Inference instance type (ml.*).
   */
  instanceType?: string;
  /**
   * Instances of the shadow variant.
   */
  instanceCount?: number;
  /**
   * Percentage of the requests copied to the shadow variant.
   */
  samplingPercent?: number;
}
/**
 * The model under test.
 */
export interface ServingModel2 {
  registry?: ServingRegistryModel;
  artifact?: ServingArtifact;
  /**
   * Inference image in ECR, in the pipeline region, e.g. '123456789012.dkr.ecr.us-east-1.amazonaws.com/scorer:1.4'. Only with 'artifact'.
   */
  image?: string;
  builtinImage?: ServingBuiltinImage;
  /**
   * Environment variables of the model container. A secret reference passes its name as <NAME>_SECRET_ID (or <NAME>_PARAMETER_NAME) and lets the endpoint's execution role read exactly that secret; the container reads it at run time, so it needs a way to Secrets Manager (networkIsolation: false; in a VPC without NAT the secretsmanager endpoint is derived).
   */
  environment?: {
    [k: string]: string | SecretRef;
  };
}
/**
 * Serverless capacity: memory and concurrency (billed per request; no VPC, network isolation or data capture).
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "servingServerless".
 */
export interface ServingServerless {
  /**
   * Memory of each worker, in MB.
   */
  memoryMb?: 1024 | 2048 | 3072 | 4096 | 5120 | 6144;
  /**
   * Concurrent invocations before requests are throttled.
   */
  maxConcurrency?: number;
  /**
   * Workers kept warm to avoid cold starts (billed while provisioned). Off unless set; at most maxConcurrency.
   */
  provisionedConcurrency?: number;
}
/**
 * Asynchronous inference: requests are queued, inputs are read from and results written to the data lake under '<pipeline>/async/<endpoint>/' (input/, output/, failures/), and SNS topics report success and errors.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "servingAsync".
 */
export interface ServingAsync {
  /**
   * Data-lake bucket (spec name) for inputs, outputs and failures.
   */
  bucket?: string;
  /**
   * Requests each instance works on at once. SageMaker chooses when unset.
   */
  maxConcurrentInvocationsPerInstance?: number;
  /**
   * Create SNS topics (encrypted with the pipeline key) for successful and failed requests.
   */
  notifications?: boolean;
}
/**
 * Capture of requests and responses to the models bucket under '<pipeline>/data-capture/<endpoint>/', encrypted with the pipeline key. On by default because model monitoring needs it; serverless endpoints do not support it.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "servingDataCapture".
 */
export interface ServingDataCapture {
  /**
   * Capture data. Defaults to on, and to off for serverless endpoints.
   */
  enabled?: boolean;
  /**
   * Percentage of requests captured.
   */
  samplingPercent?: number;
  /**
   * What is captured.
   */
  capture?: 'input-and-output' | 'input' | 'output';
  /**
   * Content types captured as CSV text instead of base64.
   *
   * @maxItems 10
   */
  csvContentTypes?:
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
  /**
   * Content types captured as JSON text instead of base64.
   *
   * @maxItems 10
   */
  jsonContentTypes?:
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
 * How an update reaches production: SageMaker blue/green deployment, shifting traffic all at once, as a canary or linearly, with automatic rollback when the alarms pipeform generates for the endpoint fire.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "servingDeployment".
 */
export interface ServingDeployment {
  /**
   * 'all-at-once' shifts all traffic after the new fleet is ready, 'canary' shifts 'size' first and the rest after 'waitSeconds', 'linear' shifts 'size' every 'waitSeconds'.
   */
  strategy?: 'all-at-once' | 'canary' | 'linear';
  /**
   * Canary size or linear step, in 'sizeUnit'. SageMaker allows a canary of at most 50% and a linear step of 10-50% of a variant's instances. Defaults to 10 (canary) or 25 (linear) percent.
   */
  size?: number;
  /**
   * Unit of 'size': a percentage of each variant's capacity, or a number of instances. Serverless endpoints take percentages only.
   */
  sizeUnit?: 'percent' | 'instances';
  /**
   * Baking time: how long each step is watched by the rollback alarms before the next (and after the last).
   */
  waitSeconds?: number;
  /**
   * How long the old fleet is kept after all traffic moved, for a fast rollback.
   */
  terminationWaitSeconds?: number;
  /**
   * Upper bound of the whole deployment. Defaults to the baking time of every step plus terminationWaitSeconds plus 30 minutes for provisioning (600-14400).
   */
  maxExecutionSeconds?: number;
  autoRollback?: ServingAutoRollback;
}
/**
 * The endpoint alarms pipeform generates (CloudWatch, AWS/SageMaker metrics over the production variants) and SageMaker watches during a deployment: any one in alarm rolls the deployment back. An alarm fires when 2 of 3 one-minute periods breach.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "servingAutoRollback".
 */
export interface ServingAutoRollback {
  /**
   * Generate the alarms and roll back on them.
   */
  enabled?: boolean;
  /**
   * 5xx responses (Invocation5XXErrors) per minute tolerated.
   */
  maxServerErrorsPerMinute?: number;
  /**
   * 4xx responses from the model (Invocation4XXErrors) per minute tolerated: a new model that rejects the requests the old one accepted shows here.
   */
  maxClientErrorsPerMinute?: number;
  /**
   * p99 model latency (ModelLatency) tolerated, in milliseconds.
   */
  maxLatencyP99Ms?: number;
}
/**
 * Application Auto Scaling for every production variant, between the variant's minInstances and maxInstances: target tracking on invocations per instance (backlog per instance for async endpoints), and optional schedules. On by default; serverless endpoints scale by themselves and take none.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "servingAutoscaling".
 */
export interface ServingAutoscaling {
  /**
   * Scale the variants. Defaults to on, and to off for serverless endpoints.
   */
  enabled?: boolean;
  /**
   * Invocations per instance per minute that target tracking aims for (realtime and multi-model).
   */
  targetInvocationsPerInstance?: number;
  /**
   * Queued requests per instance that target tracking aims for (async).
   */
  targetBacklogPerInstance?: number;
  /**
   * Wait after a scale-in before the next one.
   */
  scaleInCooldownSeconds?: number;
  /**
   * Wait after a scale-out before the next one.
   */
  scaleOutCooldownSeconds?: number;
  /**
   * Scheduled changes of the bounds (e.g. more capacity in business hours).
   *
   * @maxItems 20
   */
  schedules?:
    | []
    | [ServingSchedule]
    | [ServingSchedule, ServingSchedule]
    | [ServingSchedule, ServingSchedule, ServingSchedule]
    | [ServingSchedule, ServingSchedule, ServingSchedule, ServingSchedule]
    | [ServingSchedule, ServingSchedule, ServingSchedule, ServingSchedule, ServingSchedule]
    | [ServingSchedule, ServingSchedule, ServingSchedule, ServingSchedule, ServingSchedule, ServingSchedule]
    | [
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
      ]
    | [
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
      ]
    | [
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
      ]
    | [
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
      ]
    | [
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
      ]
    | [
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
      ]
    | [
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
      ]
    | [
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
      ]
    | [
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
      ]
    | [
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
      ]
    | [
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
      ]
    | [
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
      ]
    | [
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
      ]
    | [
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
        ServingSchedule,
      ];
}
/**
 * A scheduled change of the autoscaling bounds.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "servingSchedule".
 */
export interface ServingSchedule {
  /**
   * Schedule name, unique in the endpoint.
   */
  name: string;
  /**
   * When: 'cron(minutes hours day-of-month month day-of-week year)', 'rate(value unit)' or 'at(yyyy-mm-ddThh:mm:ss)'.
   */
  schedule: string;
  /**
   * IANA time zone of the schedule.
   */
  timezone?: string;
  /**
   * New lower bound (0 only for async endpoints, as for variants).
   */
  minInstances?: number;
  /**
   * New upper bound.
   */
  maxInstances?: number;
  /**
   * Variants the schedule applies to. Defaults to every production variant.
   *
   * @minItems 1
   * @maxItems 10
   */
  variants?:
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
 * A public front door: a regional API Gateway REST API with POST /invocations calling the endpoint through a role that may invoke only this endpoint. Callers sign requests with AWS SigV4 (IAM auth). The stage is throttled, traced with X-Ray, writes JSON access logs to an encrypted log group, and the web ACL of security.waf (and Shield when on) is associated with it. Needs security.waf. Access logging needs the account's API Gateway CloudWatch Logs role (an account-wide setting pipeform does not manage).
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "servingPublic".
 */
export interface ServingPublic {
  /**
   * Stage name, the first path segment of the URL.
   */
  stageName?: string;
  /**
   * Steady-state requests per second across all callers.
   */
  throttleRateLimit?: number;
  /**
   * Requests allowed in a burst.
   */
  throttleBurstLimit?: number;
  /**
   * X-Ray tracing of the stage.
   */
  tracing?: boolean;
}
/**
 * Models at the edge on AWS IoT Greengrass v2: an IoT thing group for the fleet, an IoT policy that lets a device act only as itself, the token exchange role (through an IoT role alias) that reads only the edge models, fleet provisioning by claim so devices join on their own, a Greengrass component per model deployed to the group, and device telemetry into the models bucket under '<pipeline>/edge/telemetry/', encrypted. (This replaces SageMaker Edge Manager, which AWS discontinued on 26 April 2024; docs/edge.md.)
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "servingEdge".
 */
export interface ServingEdge {
  /**
   * Fleet name; the thing group, the IoT policies and the provisioning template are named '<pipeline>-<name>...', and provisioned devices are things named '<pipeline>-<name>-<serial number>'.
   */
  name?: string;
  /**
   * What the devices are.
   */
  description?: string;
  /**
   * Lifetime of the temporary credentials devices get through the role alias (at most the role's one-hour session).
   */
  credentialDurationSeconds?: number;
  /**
   * The models the fleet runs: each becomes a Greengrass component version '<pipeline>.<name>.<model>' deployed to the whole thing group. A new artifact needs a new version: component versions are immutable.
   *
   * @maxItems 10
   */
  models?:
    | []
    | [ServingEdgeModel]
    | [ServingEdgeModel, ServingEdgeModel]
    | [ServingEdgeModel, ServingEdgeModel, ServingEdgeModel]
    | [ServingEdgeModel, ServingEdgeModel, ServingEdgeModel, ServingEdgeModel]
    | [ServingEdgeModel, ServingEdgeModel, ServingEdgeModel, ServingEdgeModel, ServingEdgeModel]
    | [
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
      ]
    | [
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
      ]
    | [
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
      ]
    | [
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
      ]
    | [
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
        ServingEdgeModel,
      ];
  /**
   * Deliver what devices publish on '<pipeline>-<name>/<thing name>/telemetry' to the models bucket under '<pipeline>/edge/telemetry/<thing name>/', encrypted with the pipeline key (an IoT topic rule; failed deliveries go to an encrypted log group).
   */
  telemetry?: boolean;
  /**
   * Expected number of active core devices, for the cost estimate (Greengrass bills per device that connects in a month).
   */
  devices?: number;
}
/**
 * A model for the edge fleet, packaged as a Greengrass component.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "servingEdgeModel".
 */
export interface ServingEdgeModel {
  /**
   * Model name, unique in the fleet; part of the component name.
   */
  name: string;
  /**
   * Component version (semantic version 'major.minor.patch') of an artifact model (required with artifact, not allowed with registry: a registry model's component version is '1.0.<model package version>'). Bump it whenever the artifact or the runtime changes: Greengrass never changes a published version.
   */
  version?: string;
  /**
   * The compiled model archive in the models bucket, under '<pipeline>/edge/models/' (the only prefix devices may read). Upload it before the apply: Greengrass reads the artifact when it creates the component version.
   */
  artifact?: {
    /**
     * Object key below '<pipeline>/edge/models/', e.g. 'stock-out/1.0.0/model.tar.gz'.
     */
    key: string;
  };
  /**
   * Deploy the approved versions of the pipeline's model registry (the model package group '<pipeline>-models'; needs training.algorithm) instead of an artifact: each approval starts the state machine '<pipeline>-<fleet>-edge-registry', which (with compile) compiles the package's model with SageMaker Neo, creates the component version '1.0.<package version>' and deploys the registry models to their own thing group '<fleet>-registry', which provisioning (and each approval, for the fleet's earlier devices) puts every device in besides the fleet's group: the stack's artifact models and the registry models never replace each other. Exactly one of artifact and registry.
   */
  registry?: boolean;
  /**
   * Compile a registry model with SageMaker Neo (CreateCompilationJob) for the devices before it is deployed; the output goes to '<pipeline>/edge/compiled/<model>/<package version>/', encrypted with the pipeline key. Only with registry: true. Exactly one of targetDevice and targetPlatform.
   */
  compile?: {
    /**
     * Neo OutputConfig.TargetDevice: the edge device the model runs on (SageMaker API reference, OutputConfig).
     */
    targetDevice?:
      | 'jetson_tx1'
      | 'jetson_tx2'
      | 'jetson_nano'
      | 'jetson_xavier'
      | 'rasp3b'
      | 'rasp4b'
      | 'imx8qm'
      | 'imx8mplus'
      | 'rk3399'
      | 'rk3288'
      | 'aisage'
      | 'sbe_c'
      | 'qcs605'
      | 'qcs603'
      | 'sitara_am57x'
      | 'amba_cv2'
      | 'amba_cv22'
      | 'amba_cv25'
      | 'x86_win32'
      | 'x86_win64'
      | 'coreml';
    /**
     * Neo OutputConfig.TargetPlatform, for a device not in the targetDevice list.
     */
    targetPlatform?: {
      /**
       * TargetPlatform.Os.
       */
      os: 'ANDROID' | 'LINUX';
      /**
       * TargetPlatform.Arch.
       */
      arch: 'X86_64' | 'X86' | 'ARM64' | 'ARM_EABI' | 'ARM_EABIHF';
      /**
       * TargetPlatform.Accelerator.
       */
      accelerator?: 'INTEL_GRAPHICS' | 'MALI' | 'NVIDIA';
    };
    /**
     * Neo InputConfig.Framework: the framework the model was trained with.
     */
    framework:
      'TENSORFLOW' | 'KERAS' | 'MXNET' | 'ONNX' | 'PYTORCH' | 'XGBOOST' | 'TFLITE' | 'DARKNET' | 'SKLEARN';
    /**
     * Neo InputConfig.FrameworkVersion, e.g. '1.13' for PyTorch.
     */
    frameworkVersion?: string;
    /**
     * Neo InputConfig.DataInputConfig: the names and shapes of the model's inputs as a JSON string, e.g. '{"data": [1, 3, 224, 224]}'.
     */
    dataInputConfig: string;
  };
  /**
   * Inference runtime the component depends on: 'dlr' (AWS-provided component variant.DLR, for SageMaker Neo-compiled models) or 'tensorflow-lite' (variant.TensorFlowLite).
   */
  runtime?: 'dlr' | 'tensorflow-lite';
  /**
   * Command the component runs on the device to serve the model; '{artifacts:decompressedPath}' is the unpacked archive. Without it the component only installs the model and its runtime for an application component to use.
   */
  run?: string;
}
/**
 * Monitoring and retraining. An SNS topic '<pipeline>-alerts' (encrypted with the pipeline key) receives every alarm and failure event; CloudWatch alarms watch each component the spec has (endpoints, Glue, EMR, Lambda, Step Functions, the training pipeline); a dashboard '<pipeline>' shows them; SageMaker Model Monitor checks endpoints for drift and model quality; Amazon Managed Prometheus and Grafana are optional; retraining starts the training pipeline only when a KPI or drift alarm says so.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "monitoring".
 */
export interface Monitoring {
  notifications?: MonitoringNotifications;
  alarms?: MonitoringAlarms;
  /**
   * Create the CloudWatch dashboard '<pipeline>' with one section per component the pipeline has.
   */
  dashboard?: boolean;
  /**
   * Endpoints watched by SageMaker Model Monitor (data quality, and model quality when ground truth is given). Each needs data capture, which serving turns on by default.
   */
  endpoints?: MonitoringEndpoint[];
  /**
   * Create an Amazon Managed Service for Prometheus workspace (encrypted with the key, logs in an encrypted log group) and, when training.eks exists, a managed scraper for the EKS cluster.
   */
  prometheus?: boolean;
  /**
   * Create an Amazon Managed Grafana workspace (IAM Identity Center sign-in, this account only) with its own role allowed to read CloudWatch, the Prometheus workspace and to notify the alerts topic; in the private subnets when the spec has a network. Needs IAM Identity Center enabled.
   */
  grafana?: boolean;
  retraining?: MonitoringRetraining;
}
/**
 * Who hears about alarms and failures: subscriptions of the alerts topic.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "monitoringNotifications".
 */
export interface MonitoringNotifications {
  /**
   * Email addresses subscribed to the alerts topic (each confirms by email).
   *
   * @maxItems 50
   */
  emails?: string[];
  /**
   * HTTPS endpoints subscribed to the alerts topic (each confirms the subscription; chat and paging webhooks).
   *
   * @maxItems 20
   */
  https?:
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
        string,
        string,
        string,
        string,
      ];
}
/**
 * The CloudWatch alarms pipeform generates; every alarm notifies the alerts topic.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "monitoringAlarms".
 */
export interface MonitoringAlarms {
  endpoints?: MonitoringEndpointAlarms;
  /**
   * Notify failures: Glue job and crawler runs, EMR steps and clusters, Lambda errors and dead letters, Step Functions executions, and training pipeline executions.
   */
  failures?: boolean;
}
/**
 * Alarms on every endpoint. Errors and p99 latency reuse an endpoint's rollback alarms when it has them (their thresholds are serving.endpoints[].deployment.autoRollback's); these thresholds apply to endpoints whose rollback is off.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "monitoringEndpointAlarms".
 */
export interface MonitoringEndpointAlarms {
  /**
   * 5xx responses per minute, over all production variants, before the alarm fires (2 of 3 minutes).
   */
  maxServerErrorsPerMinute?: number;
  /**
   * 4xx responses per minute from the model before the alarm fires.
   */
  maxClientErrorsPerMinute?: number;
  /**
   * p99 model latency in milliseconds of the slowest variant before the alarm fires.
   */
  maxLatencyP99Ms?: number;
  /**
   * Failed model invocations per minute (InvocationModelErrors: non-2xx responses, timeouts, broken connections) before the alarm fires.
   */
  maxModelErrorsPerMinute?: number;
  /**
   * Alarm when an instance-backed endpoint stays saturated: CPU, memory and disk, and GPU and GPU memory on GPU instances (not for serverless endpoints).
   */
  utilization?: boolean;
  /**
   * CPU use in percent of all vCPUs of an instance (SageMaker reports 100 per vCPU; pipeform divides by the vCPU count).
   */
  maxCpuPercent?: number;
  /**
   * Memory use in percent.
   */
  maxMemoryPercent?: number;
  /**
   * Disk use in percent.
   */
  maxDiskPercent?: number;
  /**
   * GPU use in percent of all GPUs of an instance (divided by the GPU count).
   */
  maxGpuPercent?: number;
  /**
   * GPU memory use in percent of all GPUs of an instance.
   */
  maxGpuMemoryPercent?: number;
  /**
   * How long utilization must stay above its threshold before the alarm fires (5-minute periods).
   */
  utilizationMinutes?: number;
}
/**
 * Model Monitor for one endpoint: a data-quality schedule (drift against a baseline) and, with ground truth, a model-quality schedule whose metrics feed the KPI alarms and a Clarify bias-drift schedule. Jobs run in the private subnets with network isolation, inter-container encryption, and volumes and reports encrypted with the key, under a role that reads only this endpoint's captured data, its baselines and ground truth.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "monitoringEndpoint".
 */
export interface MonitoringEndpoint {
  /**
   * Spec name of a serving endpoint (realtime or async; Model Monitor supports neither serverless nor multi-model endpoints).
   */
  name: string;
  /**
   * Instance type of the monitoring jobs.
   */
  instanceType?: string;
  /**
   * Instances per monitoring job.
   */
  instanceCount?: number;
  /**
   * Storage volume of each job instance, in GB (encrypted with the key).
   */
  volumeSizeGb?: number;
  /**
   * A monitoring job stops after this many minutes (at most 60 for hourly schedules).
   */
  maxRuntimeMinutes?: number;
  dataQuality?: MonitoringDataQuality;
  modelQuality?: MonitoringModelQuality;
  bias?: MonitoringBias;
  explainability?: MonitoringExplainability;
}
/**
 * Data quality: compares captured requests with the baseline statistics and constraints and publishes per-feature drift metrics (namespace aws/sagemaker/Endpoints/data-metrics).
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "monitoringDataQuality".
 */
export interface MonitoringDataQuality {
  /**
   * Run the data-quality schedule.
   */
  enabled?: boolean;
  /**
   * How often the job runs.
   */
  schedule?: 'hourly' | 'daily';
  baseline?: DataLocation1;
  /**
   * Features whose baseline drift (feature_baseline_drift_<feature>) raises the endpoint's drift alarm; without them no drift alarm is created.
   *
   * @maxItems 10
   */
  driftFeatures?:
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
  /**
   * Baseline drift (distance between the captured and the baseline distribution) above which a feature counts as drifted.
   */
  maxDrift?: number;
}
/**
 * A place in the data lake: a bucket of storage.buckets and a key prefix. Access is granted to exactly this prefix.
 */
export interface DataLocation1 {
  /**
   * Spec name of a data-lake bucket (a standard bucket such as raw or curated, or one under storage.buckets).
   */
  bucket: string;
  /**
   * Key prefix, ending in '/'. Empty means the whole bucket. '*' and '?' are refused: IAM policies would read them as wildcards.
   */
  prefix?: string;
}
/**
 * Model quality: merges captured predictions with ground-truth labels and publishes quality metrics (namespace aws/sagemaker/Endpoints/model-metrics, e.g. auc, recall, rmse) that the retraining KPI alarms watch.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "monitoringModelQuality".
 */
export interface MonitoringModelQuality {
  /**
   * The kind of model, deciding which metrics are computed.
   */
  problemType: 'binary-classification' | 'multiclass-classification' | 'regression';
  groundTruth: DataLocation2;
  /**
   * How often the job runs.
   */
  schedule?: 'hourly' | 'daily';
  baseline?: DataLocation3;
  /**
   * The prediction in the captured output: a CSV column index or a JSON path. Defaults to '0' (the first column) unless probabilityAttribute is used.
   */
  inferenceAttribute?: string;
  /**
   * Binary classification: the probability in the captured output (CSV column index or JSON path). Defaults to '0' for binary classification without inferenceAttribute.
   */
  probabilityAttribute?: string;
  /**
   * Binary classification with probabilityAttribute: probabilities at or above it count as the positive class.
   */
  probabilityThreshold?: number;
  /**
   * Hours labels take to arrive: each run evaluates captured data that is at least this old.
   */
  groundTruthDelayHours?: number;
  /**
   * Hours of captured data each run evaluates.
   */
  windowHours?: number;
}
/**
 * A place in the data lake: a bucket of storage.buckets and a key prefix. Access is granted to exactly this prefix.
 */
export interface DataLocation2 {
  /**
   * Spec name of a data-lake bucket (a standard bucket such as raw or curated, or one under storage.buckets).
   */
  bucket: string;
  /**
   * Key prefix, ending in '/'. Empty means the whole bucket. '*' and '?' are refused: IAM policies would read them as wildcards.
   */
  prefix?: string;
}
/**
 * A place in the data lake: a bucket of storage.buckets and a key prefix. Access is granted to exactly this prefix.
 */
export interface DataLocation3 {
  /**
   * Spec name of a data-lake bucket (a standard bucket such as raw or curated, or one under storage.buckets).
   */
  bucket: string;
  /**
   * Key prefix, ending in '/'. Empty means the whole bucket. '*' and '?' are refused: IAM policies would read them as wildcards.
   */
  prefix?: string;
}
/**
 * Bias drift (SageMaker Clarify): merges captured predictions with ground-truth labels and compares post-training bias metrics (e.g. DPPL, DI) per facet with the baseline's, publishing them to CloudWatch (namespace aws/sagemaker/Endpoints/bias-metrics). The job runs like the other monitors: in the private subnets, network-isolated, volumes and reports encrypted with the key, under the endpoint's monitor role.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "monitoringBias".
 */
export interface MonitoringBias {
  groundTruth: DataLocation4;
  baseline?: DataLocation5;
  /**
   * How often the job runs.
   */
  schedule?: 'hourly' | 'daily';
  /**
   * JSON captures: the features in the captured request (a JSON path); CSV captures need none.
   */
  featuresAttribute?: string;
  /**
   * The predicted label in the captured output (CSV column index or JSON path). Without it and without probabilityAttribute, '0' (the first column).
   */
  inferenceAttribute?: string;
  /**
   * The predicted probability in the captured output (CSV column index or JSON path), turned into a label with probabilityThreshold.
   */
  probabilityAttribute?: string;
  /**
   * With probabilityAttribute: probabilities at or above it count as the positive label.
   */
  probabilityThreshold?: number;
  /**
   * Hours labels take to arrive: each run evaluates captured data that is at least this old.
   */
  groundTruthDelayHours?: number;
  /**
   * Hours of captured data each run evaluates.
   */
  windowHours?: number;
}
/**
 * A place in the data lake: a bucket of storage.buckets and a key prefix. Access is granted to exactly this prefix.
 */
export interface DataLocation4 {
  /**
   * Spec name of a data-lake bucket (a standard bucket such as raw or curated, or one under storage.buckets).
   */
  bucket: string;
  /**
   * Key prefix, ending in '/'. Empty means the whole bucket. '*' and '?' are refused: IAM policies would read them as wildcards.
   */
  prefix?: string;
}
/**
 * A place in the data lake: a bucket of storage.buckets and a key prefix. Access is granted to exactly this prefix.
 */
export interface DataLocation5 {
  /**
   * Spec name of a data-lake bucket (a standard bucket such as raw or curated, or one under storage.buckets).
   */
  bucket: string;
  /**
   * Key prefix, ending in '/'. Empty means the whole bucket. '*' and '?' are refused: IAM policies would read them as wildcards.
   */
  prefix?: string;
}
/**
 * Feature-attribution drift (SageMaker Clarify): computes SHAP values of captured requests by calling the monitored (live) endpoint itself, so no shadow endpoint is created, and compares the per-feature attributions with the baseline's (NDCG), publishing them to CloudWatch (namespace aws/sagemaker/Endpoints/explainability-metrics). The job runs in the private subnets with inter-container encryption, volumes and reports encrypted with the key, under the endpoint's monitor role, which may call only this endpoint (sagemaker:InvokeEndpoint). It cannot be network-isolated: it reaches the endpoint through the SageMaker runtime interface endpoint.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "monitoringExplainability".
 */
export interface MonitoringExplainability {
  baseline?: DataLocation6;
  /**
   * How often the job runs. Each run calls the live endpoint for every captured record times the SHAP samples, so it adds load to it.
   */
  schedule?: 'hourly' | 'daily';
  /**
   * JSON captures: the features in the captured request (a JSON path); CSV captures need none.
   */
  featuresAttribute?: string;
  /**
   * The prediction in the captured output whose attributions are computed (CSV column index or JSON path).
   */
  inferenceAttribute?: string;
  /**
   * The predicted probability in the captured output (CSV column index or JSON path).
   */
  probabilityAttribute?: string;
}
/**
 * A place in the data lake: a bucket of storage.buckets and a key prefix. Access is granted to exactly this prefix.
 */
export interface DataLocation6 {
  /**
   * Spec name of a data-lake bucket (a standard bucket such as raw or curated, or one under storage.buckets).
   */
  bucket: string;
  /**
   * Key prefix, ending in '/'. Empty means the whole bucket. '*' and '?' are refused: IAM policies would read them as wildcards.
   */
  prefix?: string;
}
/**
 * Retrain only on evidence: a KPI alarm (a model-quality or custom metric past its goals.kpis threshold in the wrong direction) or a drift alarm raises the composite alarm '<pipeline>-retraining', and an EventBridge rule on its transition to ALARM starts the SageMaker pipeline '<pipeline>-training'. A cooldown keeps it from looping: while any execution of the training pipeline started within cooldownHours, the composite alarm cannot fire; if the evidence still holds when the cooldown ends, it fires then. Needs training.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "monitoringRetraining".
 */
export interface MonitoringRetraining {
  /**
   * The KPIs that trigger retraining and where their metric comes from. Defaults to every goals.kpis entry whose metric path names a model-quality metric (e.g. binary_classification_metrics.auc.value) of a monitored endpoint with modelQuality of that problem type.
   *
   * @maxItems 20
   */
  kpis?:
    | []
    | [MonitoringRetrainingKpi]
    | [MonitoringRetrainingKpi, MonitoringRetrainingKpi]
    | [MonitoringRetrainingKpi, MonitoringRetrainingKpi, MonitoringRetrainingKpi]
    | [MonitoringRetrainingKpi, MonitoringRetrainingKpi, MonitoringRetrainingKpi, MonitoringRetrainingKpi]
    | [
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
      ]
    | [
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
      ]
    | [
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
      ]
    | [
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
      ]
    | [
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
      ]
    | [
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
      ]
    | [
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
      ]
    | [
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
      ]
    | [
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
      ]
    | [
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
      ]
    | [
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
      ]
    | [
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
      ]
    | [
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
      ]
    | [
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
      ]
    | [
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
      ]
    | [
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
        MonitoringRetrainingKpi,
      ];
  /**
   * Drift alarms (monitoring.endpoints[].dataQuality.driftFeatures) also start retraining.
   */
  onDrift?: boolean;
  /**
   * Consecutive breaching monitoring periods before a KPI alarm fires (period x evaluationPeriods at most one day).
   */
  evaluationPeriods?: number;
  /**
   * Hours after any start of the training pipeline during which no retraining starts.
   */
  cooldownHours?: number;
  /**
   * Pipeline parameters of retraining executions (InstanceType, TrainingDataPrefix, InputDataPrefix).
   */
  parameters?: {
    [k: string]: string;
  };
}
/**
 * One KPI that triggers retraining, with the metric that measures it in production.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "monitoringRetrainingKpi".
 */
export interface MonitoringRetrainingKpi {
  /**
   * Name of a goals.kpis entry: its threshold and direction decide the alarm.
   */
  kpi: string;
  /**
   * The monitored endpoint whose model-quality metric measures the KPI. Defaults to the only monitored endpoint with modelQuality.
   */
  endpoint?: string;
  /**
   * Model-quality metric name as Model Monitor publishes it (e.g. auc, recall, f1, rmse). Defaults to the name in the KPI's metric path.
   */
  metric?: string;
  custom?: MonitoringCustomMetric;
}
/**
 * A CloudWatch metric your own code publishes for the KPI (instead of Model Monitor's model-quality metric).
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "monitoringCustomMetric".
 */
export interface MonitoringCustomMetric {
  /**
   * CloudWatch namespace.
   */
  namespace: string;
  /**
   * Metric name.
   */
  name: string;
  /**
   * Metric dimensions by name.
   */
  dimensions?: {
    [k: string]: string;
  };
  /**
   * Statistic the alarm compares.
   */
  statistic?: 'Average' | 'Minimum' | 'Maximum' | 'Sum' | 'SampleCount';
  /**
   * Period of the alarm.
   */
  periodSeconds?: 60 | 300 | 900 | 3600 | 21600 | 86400;
}
/**
 * CI/CD of the model (needs 'training': its model registry '<pipeline>-models'). A CodePipeline (V2) '<pipeline>-cicd' takes the code from Git (through a CodeStar connection) or from a versioned S3 object, builds and tests it in CodeBuild, waits for a manual approval and then deploys the latest approved model package to the serving endpoints that serve 'latest-approved'. An EventBridge rule starts it whenever a version of '<pipeline>-models' is approved. Artifacts, build output and logs are encrypted with the pipeline key.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "cicd".
 */
export interface Cicd {
  source: CicdSource;
  /**
   * Data-lake bucket (spec name) for the pipeline's artifacts. CodePipeline writes them under '<first 20 characters of the pipeline name>/', the only prefix its roles may use.
   */
  artifactBucket?: string;
  build?: CicdBuild;
  approval?: CicdApproval;
  deploy?: CicdDeploy;
}
/**
 * Where the model code comes from: 'git' or 's3', exactly one.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "cicdSource".
 */
export interface CicdSource {
  git?: CicdGitSource;
  s3?: CicdS3Source;
}
/**
 * A Git repository reached through an AWS CodeStar connection. Without 'connectionArn' pipeform creates the connection '<pipeline>-git', which starts PENDING: someone completes the handshake with the provider once, in the console (Developer Tools > Settings > Connections), before the first run.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "cicdGitSource".
 */
export interface CicdGitSource {
  /**
   * Where the repository is hosted.
   */
  provider?: 'github' | 'gitlab' | 'bitbucket';
  /**
   * An existing, available connection in the pipeline account and region, instead of one created by pipeform.
   */
  connectionArn?: string;
  /**
   * The repository as 'owner/name' (GitLab: 'group/subgroup/name').
   */
  repository: string;
  /**
   * Branch the pipeline builds and deploys from.
   */
  branch?: string;
  /**
   * Start the pipeline on every push to the branch.
   */
  detectChanges?: boolean;
}
/**
 * A zip archive in a versioned data-lake bucket; CodePipeline polls it for new versions.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "cicdS3Source".
 */
export interface CicdS3Source {
  /**
   * Data-lake bucket (spec name); it must keep versions.
   */
  bucket: string;
  /**
   * Object key of the source archive, e.g. 'ci/churn-model.zip'.
   */
  key: string;
}
/**
 * The Build stage: CodeBuild project '<pipeline>-build' running the repository's buildspec (model build and tests). It may publish training code under the training code prefix and report test results; its environment names the training pipeline, the model package group and the code location (PIPEFORM_* variables).
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "cicdBuild".
 */
export interface CicdBuild {
  /**
   * Path of the buildspec in the repository.
   */
  buildspec?: string;
  /**
   * A buildspec kept beside the spec instead of in the repository: a path relative to the spec file, shipped by the apply (e.g. 'ci/buildspec.yml'), or the S3 URI of an object in a bucket the pipeline does not create (e.g. 's3://acme-ci/churn/buildspec.yml'). CodeBuild reads it from S3 (same region as the project). Not together with 'buildspec'.
   */
  buildspecFile?: string;
  /**
   * CodeBuild compute size (small: 2 vCPU, 3 GB; medium: 4 vCPU, 7 GB; large: 8 vCPU, 15 GB; xlarge: 36 vCPU, 70 GB; 2xlarge: 72 vCPU, 145 GB).
   */
  computeType?: 'small' | 'medium' | 'large' | 'xlarge' | '2xlarge';
  /**
   * A CodeBuild managed image; images with 'aarch64' in the name run on ARM.
   */
  image?: string;
  /**
   * Build timeout.
   */
  timeoutMinutes?: number;
  /**
   * Run the build in the network's private subnets with the workload security groups (needs 'network'; without NAT the build reaches only the VPC endpoints).
   */
  vpc?: boolean;
  /**
   * Environment variables of the build. Names starting with PIPEFORM_ or CODEBUILD_ are reserved. Plain values are PLAINTEXT variables (visible in the console and the API: never secrets); a secret reference becomes a SECRETS_MANAGER or PARAMETER_STORE variable that CodeBuild resolves when the build starts, and the build role may read exactly that secret.
   */
  environment?: {
    [k: string]: string | SecretRef;
  };
}
/**
 * The manual approval between Build and Deploy. Approvers are notified through the encrypted SNS topic '<pipeline>-cicd-approval'.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "cicdApproval".
 */
export interface CicdApproval {
  /**
   * Email addresses subscribed to the approval topic (each confirms its subscription once).
   *
   * @maxItems 20
   */
  notify?:
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
        string,
        string,
        string,
        string,
      ];
  /**
   * How long an approval may wait before the execution fails.
   */
  timeoutMinutes?: number;
}
/**
 * The Deploy stage: after the manual approval it runs the serving deploy (the Step Functions state machine '<pipeline>-serving-deploy') for its endpoints: models from the approved package, a new endpoint configuration, a blue/green update with auto-rollback, autoscaling, and the ledger the next 'terraform apply' adopts from (nothing to copy back). The pipeline variable MODEL_PACKAGE_VERSION (default 'latest-approved') deploys a given approved version instead, e.g. to roll back.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "cicdDeploy".
 */
export interface CicdDeploy {
  /**
   * Add the approval and Deploy stages and the EventBridge trigger on model approval; off: the pipeline only builds and tests.
   */
  enabled?: boolean;
  /**
   * Endpoints (spec names) to deploy to. Defaults to every endpoint with a variant serving 'latest-approved' from the registry.
   *
   * @minItems 1
   */
  endpoints?: [string, ...string[]];
  /**
   * Time limit of a serving deploy run (the state machine's TimeoutSeconds). Defaults to the registry endpoints' deployment limits (maxExecutionSeconds) added up, plus 15 minutes.
   */
  timeoutMinutes?: number;
}
/**
 * Usage assumptions for `pipeform cost` and the savings `pipeform advise` estimates. They change no infrastructure: the Terraform is the same with or without them. Every value has a documented default, so an estimate is always possible; state what you know.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "usage".
 */
export interface Usage {
  /**
   * Hours SageMaker training jobs run per month, summed over all runs (tuning trials included); each hour is billed for every instance of the job. EKS GPU node groups are assumed to scale above their desired size for the same hours. At most 74,400: 100 parallel jobs for a 31-day month.
   */
  trainingHoursPerMonth?: number;
  /**
   * With training.baseModel: the share of trainingHoursPerMonth a run takes when it starts from a trained model instead of from scratch (fine-tuning converges in fewer epochs). An assumption of the cost report, like every usage value: measure your runs and set it.
   */
  fineTuneHoursShare?: number;
  /**
   * Hours each SageMaker processing step (preprocessing, evaluation) runs per month. At most 744 (31 days).
   */
  processingHoursPerMonth?: number;
  /**
   * Requests each inference endpoint serves per month, unless `endpoints` gives the endpoint its own number.
   */
  endpointRequestsPerMonth?: number;
  /**
   * Average time an endpoint spends on one request, in milliseconds (serverless endpoints bill for it). At most 3,600,000 (the one-hour limit of an asynchronous invocation).
   */
  averageRequestDurationMs?: number;
  /**
   * Average size of a request plus its response, in KB (serverless data processing). At most 1,048,576 (1 GB, the asynchronous payload limit).
   */
  averagePayloadKb?: number;
  /**
   * Per-endpoint traffic, keyed by endpoint name (a name under serving.endpoints); overrides the pipeline-wide numbers.
   */
  endpoints?: {
    [k: string]: UsageEndpoint;
  };
  /**
   * GB stored in the data lake, spread evenly over the buckets that `bucketGb` does not size.
   */
  dataVolumeGb?: number;
  /**
   * GB stored per bucket, keyed by bucket name (a name under storage.buckets or a standard bucket).
   */
  bucketGb?: {
    /**
     * GB stored in this bucket.
     */
    [k: string]: number;
  };
  /**
   * Share of stored data, in percent, not read for 30 days or more: what tiering moves to cheaper classes.
   */
  coldDataPercent?: number;
  /**
   * Average object size in MB (Intelligent-Tiering charges monitoring per object). At most 5,242,880 (5 TiB, the S3 object size limit).
   */
  averageObjectSizeMb?: number;
  /**
   * Region the raw data comes from; ingesting it from another region than the pipeline region is billed as inter-region transfer. Default: the pipeline region.
   */
  sourceDataRegion?:
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
   * GB ingested into the data lake per month.
   */
  ingestGbPerMonth?: number;
  /**
   * GB per month that workloads in private subnets send through NAT gateways (when the VPC has any).
   */
  natTrafficGbPerMonth?: number;
  /**
   * GB per month through interface VPC endpoints.
   */
  endpointTrafficGbPerMonth?: number;
  /**
   * GB of logs per month ingested into CloudWatch Logs (all log groups, flow logs included).
   */
  logsGbPerMonth?: number;
  /**
   * Hours each Glue job runs per month at its worker count. At most 74,400: 100 concurrent runs for a 31-day month.
   */
  glueJobHoursPerMonth?: number;
  /**
   * DPU-hours each Glue crawler uses per month. At most 74,400.
   */
  glueCrawlerDpuHoursPerMonth?: number;
  /**
   * Hours an EMR cluster is up per month (auto-termination keeps this close to the hours of real work). At most 744 (31 days).
   */
  emrHoursPerMonth?: number;
  /**
   * Hours each notebook (instance or user profile app) runs per month. At most 744 (31 days).
   */
  notebookHoursPerMonth?: number;
  /**
   * Invocations of each Lambda function per month.
   */
  functionInvocationsPerMonth?: number;
  /**
   * Average duration of a Lambda invocation, in milliseconds. At most 900,000 (Lambda's 15-minute limit).
   */
  functionDurationMs?: number;
  /**
   * Minutes each Model Monitor job (data or model quality) runs, on its schedule. At most 1,440 (a monitoring job's 24-hour limit).
   */
  monitoringJobMinutes?: number;
  /**
   * Service Quotas values applied to the account(s) this spec deploys to, keyed by quota code (L-XXXXXXXX): after an increase, state the new value and advise counts against it instead of the AWS default (rules quotas/default-exceeded and quotas/deploy-role-policies), and synth builds against L-0DA4ABF3's. Changes no infrastructure.
   */
  appliedQuotas?: {
    [k: string]: number;
  };
}
/**
 * Traffic of one endpoint.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "usageEndpoint".
 */
export interface UsageEndpoint {
  /**
   * Requests the endpoint serves per month. Default: usage.endpointRequestsPerMonth.
   */
  requestsPerMonth?: number;
  /**
   * Average time per request, in milliseconds. Default: usage.averageRequestDurationMs.
   */
  averageRequestDurationMs?: number;
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
/**
 * Deployment environments of the same pipeline (e.g. dev, prod). Each synthesizes its own stack from this spec plus its overrides. Only where an environment runs may differ (account, network, state, bucket names, admins, tags), never what runs: components, encryption and compliance are the same everywhere, so parity holds by construction.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "environments".
 */
export interface Environments {
  [k: string]: Environment;
}
/**
 * Overrides for one environment. Its stack is named '<name>-<environment>'.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "environment".
 */
export interface Environment {
  /**
   * The AWS account of this environment.
   */
  account?: string;
  /**
   * Tags added to the spec's tags in this environment.
   */
  tags?: {
    [k: string]: string;
  };
  state?: State;
  network?: Network;
  storage?: EnvironmentStorage;
  security?: EnvironmentSecurity;
}
/**
 * Storage settings an environment may change.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "environmentStorage".
 */
export interface EnvironmentStorage {
  /**
   * Prefix of every bucket name in this environment.
   */
  bucketPrefix?: string;
}
/**
 * Security settings an environment may change: who administers the key, and IAM placement.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "environmentSecurity".
 */
export interface EnvironmentSecurity {
  kms?: EnvironmentKms;
  iam?: Iam;
}
/**
 * Key settings an environment may change.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "environmentKms".
 */
export interface EnvironmentKms {
  /**
   * Key administrators in this environment's account.
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
 * Model promotion across environments: one environment trains and owns the model registry, the environments listed in `serve` deploy its approved versions, each after its own approval gate. The owner's model package group, model artifacts and key are shared with the serving accounts, and its approval events are forwarded to them. Needs `environments`, `training` and an endpoint serving from the registry. See docs/promotion.md.
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "promotion".
 */
export interface Promotion {
  /**
   * The environment that trains and owns the model registry: only it gets the training pipeline, the model package group and the CI/CD pipeline. A separate tooling account is an environment of its own that is not listed in `serve`.
   */
  owner: string;
  /**
   * The environments that serve the owner's approved model versions (the owner itself serves only when listed). The others get no training pipeline; their serving deploy reads the owner's registry.
   *
   * @minItems 1
   * @maxItems 10
   */
  serve:
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
  /**
   * What a serving environment other than the owner does when the owner approves a version: `manual` asks its own approvers first (an SNS message with a Step Functions task token; the deploy starts when one of them sends task success), `automatic` deploys at once.
   */
  approval?: 'manual' | 'automatic';
  /**
   * How long a manual approval waits before the promotion of that version lapses (a later approval in the owner asks again).
   */
  approvalTimeoutHours?: number;
}
/**
 * Where a model comes from: a version of the pipeline's model package group ('registry'), or a model archive with a container image ('artifact' plus 'image' or 'builtinImage').
 *
 * This interface was referenced by `PipelineSpec`'s JSON-Schema
 * via the `definition` "servingModel".
 */
export interface ServingModel3 {
  registry?: ServingRegistryModel;
  artifact?: ServingArtifact;
  /**
   * Inference image in ECR, in the pipeline region, e.g. '123456789012.dkr.ecr.us-east-1.amazonaws.com/scorer:1.4'. Only with 'artifact'.
   */
  image?: string;
  builtinImage?: ServingBuiltinImage;
  /**
   * Environment variables of the model container. A secret reference passes its name as <NAME>_SECRET_ID (or <NAME>_PARAMETER_NAME) and lets the endpoint's execution role read exactly that secret; the container reads it at run time, so it needs a way to Secrets Manager (networkIsolation: false; in a VPC without NAT the secretsmanager endpoint is derived).
   */
  environment?: {
    [k: string]: string | SecretRef;
  };
}
