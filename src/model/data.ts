/**
 * The resolved data-processing area (`data`): AWS Glue and Amazon EMR, every default
 * applied and every AWS name computed. Shared pieces (data-lake locations) are used by
 * the orchestration, feature and notebook areas too.
 */
import type { ResolvedCodeLocation } from './assets';
import type { ResolvedSecretRef } from './secrets';

/** A prefix of a data-lake bucket; access is granted to exactly this prefix. */
export interface ResolvedDataLocation {
  /** Spec name of the bucket (a key of the data lake's buckets). */
  readonly bucket: string;
  /** Key prefix, `''` for the whole bucket or ending in `/`. */
  readonly prefix: string;
}

/** A Data Catalog database. */
export interface ResolvedGlueDatabase {
  readonly name: string;
  /** Catalog name: `<pipeline>_<name>`, `-` as `_`. */
  readonly catalogName: string;
  readonly description: string;
}

/** A crawler over data-lake prefixes. */
export interface ResolvedGlueCrawler {
  readonly name: string;
  /** `<pipeline>-<name>`. */
  readonly crawlerName: string;
  readonly description: string;
  /** Spec name of the target database. */
  readonly database: string;
  readonly targets: readonly ResolvedDataLocation[];
  readonly schedule?: string;
  readonly recrawlBehavior: 'CRAWL_EVERYTHING' | 'CRAWL_NEW_FOLDERS_ONLY';
  readonly updateBehavior: 'UPDATE_IN_DATABASE' | 'LOG';
  readonly deleteBehavior: 'DEPRECATE_IN_DATABASE' | 'DELETE_FROM_DATABASE' | 'LOG';
  readonly tablePrefix?: string;
  /** Role component name: the role is `<pipeline>-<roleComponent>`. */
  readonly roleComponent: string;
}

/** A Spark ETL job. */
export interface ResolvedGlueJob {
  readonly name: string;
  /** `<pipeline>-<name>`. */
  readonly jobName: string;
  readonly description: string;
  readonly script: ResolvedCodeLocation;
  readonly language: 'python' | 'scala';
  readonly scalaClass?: string;
  readonly glueVersion: '4.0' | '5.0';
  readonly workerType: 'G.1X' | 'G.2X' | 'G.4X' | 'G.8X';
  readonly workers: number;
  readonly autoScaling: boolean;
  readonly flex: boolean;
  readonly bookmarks: boolean;
  readonly timeoutMinutes: number;
  readonly maxRetries: number;
  readonly maxConcurrentRuns: number;
  readonly reads: readonly ResolvedDataLocation[];
  readonly writes: readonly ResolvedDataLocation[];
  /** User arguments, sorted by key; a secret reference appears as its name under `--<name>-secret-id` / `--<name>-parameter-name`. */
  readonly arguments: Readonly<Record<string, string>>;
  /** The secrets and parameters the arguments reference: the job's role may read exactly these. */
  readonly secrets: readonly ResolvedSecretRef[];
  readonly roleComponent: string;
}

/** One stage of a workflow (one trigger). */
export interface ResolvedGlueWorkflowStage {
  readonly name: string;
  /** `<pipeline>-<workflow>-<stage>`. */
  readonly triggerName: string;
  /** Spec names, sorted. */
  readonly crawlers: readonly string[];
  readonly jobs: readonly string[];
}

/** A Glue workflow: a start trigger and a conditional trigger per later stage. */
export interface ResolvedGlueWorkflow {
  readonly name: string;
  /** `<pipeline>-<name>`. */
  readonly workflowName: string;
  readonly description: string;
  readonly schedule?: string;
  readonly maxConcurrentRuns: number;
  /** In the spec's order: the order is the meaning. */
  readonly stages: readonly ResolvedGlueWorkflowStage[];
}

/** AWS Glue. Lists are sorted by name (workflow stages keep their order). */
export interface ResolvedGlue {
  readonly catalogEncryption: boolean;
  /** `<pipeline>-glue`, attached to every job and crawler. */
  readonly securityConfigurationName: string;
  /** `<pipeline>-network`: the NETWORK connection jobs use when the pipeline has a network. */
  readonly connectionName: string;
  readonly databases: readonly ResolvedGlueDatabase[];
  readonly crawlers: readonly ResolvedGlueCrawler[];
  readonly jobs: readonly ResolvedGlueJob[];
  readonly workflows: readonly ResolvedGlueWorkflow[];
}

/** An instance fleet: one unit per instance, split between on-demand and spot. */
export interface ResolvedEmrFleet {
  readonly instanceTypes: readonly string[];
  readonly onDemandUnits: number;
  readonly spotUnits: number;
}

/** Managed scaling limits in instance-fleet units. */
export interface ResolvedEmrScaling {
  readonly minUnits: number;
  readonly maxUnits: number;
  readonly maxOnDemandUnits: number;
  readonly maxCoreUnits: number;
}

/**
 * The EMR cluster definition. Every cluster pipeform asks for is built from it: one per
 * workflow run (created and terminated by the workflow) and, when `interactive`, a
 * long-lived one that terminates itself when idle.
 */
export interface ResolvedEmrCluster {
  /** Keep a long-lived cluster for interactive use (an `aws_emr_cluster`). */
  readonly interactive: boolean;
  readonly primaryInstanceTypes: readonly string[];
  readonly core: ResolvedEmrFleet;
  readonly task: ResolvedEmrFleet;
  /** EC2 Fleet spot allocation strategy, e.g. `price-capacity-optimized`. */
  readonly spotAllocation: string;
  readonly spotTimeoutMinutes: number;
  readonly ebsGiB: number;
  readonly scaling: ResolvedEmrScaling;
  /** Auto-termination: the interactive cluster between uses, a per-run cluster an execution left behind. */
  readonly idleTimeoutSeconds: number;
  /** The PEM certificate zip; undefined when in-transit encryption is turned off. */
  readonly tlsCertificates?: ResolvedCodeLocation;
  readonly blockPublicAccess: boolean;
  /** `<pipeline>-emr`. */
  readonly securityConfigurationName: string;
}

/** An EMR Serverless application that starts on demand and stops when idle. */
export interface ResolvedEmrServerless {
  readonly type: 'spark' | 'hive';
  readonly architecture: 'X86_64' | 'ARM64';
  readonly idleTimeoutMinutes: number;
  /** As the API spells them: `400 vCPU`, `3000 GB`, `20000 GB`. */
  readonly maximumCapacity: { readonly cpu: string; readonly memory: string; readonly disk: string };
}

/** Amazon EMR: a cluster or a serverless application. */
export interface ResolvedEmr {
  readonly mode: 'cluster' | 'serverless';
  /** `<pipeline>-emr`: the cluster or application name. */
  readonly name: string;
  readonly releaseLabel: string;
  /** Sorted. */
  readonly applications: readonly string[];
  readonly reads: readonly ResolvedDataLocation[];
  readonly writes: readonly ResolvedDataLocation[];
  readonly glueCatalog: boolean;
  /** Prefix in the logs bucket for cluster and job logs, `emr/`. */
  readonly logPrefix: string;
  /** Present in cluster mode. */
  readonly cluster?: ResolvedEmrCluster;
  /** Present in serverless mode. */
  readonly serverless?: ResolvedEmrServerless;
}

/** The data-processing area. */
export interface ResolvedData {
  /** Undefined when the spec has no `data.glue`. */
  readonly glue?: ResolvedGlue;
  /** Undefined when the spec has no `data.emr`. */
  readonly emr?: ResolvedEmr;
}
