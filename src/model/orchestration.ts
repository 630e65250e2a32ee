/**
 * The resolved orchestration area: Lambda functions for lightweight preprocessing and the
 * Step Functions workflow of the multi-step ETL.
 */
import type { ResolvedCodeLocation } from './assets';
import type { ResolvedDataLocation } from './data';
import type { ResolvedSecretRef } from './secrets';

/** Where a function's code comes from. */
export type ResolvedLambdaCode =
  | {
      readonly kind: 'directory';
      /** As written in the spec (relative to the spec file). */
      readonly directory: string;
      /** The directory as the build reads it: joined onto the spec file's directory. */
      readonly path: string;
      /** File name of the zip under assets/, `lambda-<name>.zip`. */
      readonly assetName: string;
    }
  /** A zip read where it is, in a bucket the configuration does not create. */
  | { readonly kind: 's3'; readonly bucketName: string; readonly key: string };

/** An S3 event notification that invokes a function. */
export interface ResolvedLambdaTrigger {
  /** Spec name of the bucket. */
  readonly bucket: string;
  readonly prefix: string;
  readonly suffix: string;
  /** S3 event names, e.g. `s3:ObjectCreated:*`. */
  readonly events: readonly string[];
}

/** A Lambda function. */
export interface ResolvedLambdaFunction {
  readonly name: string;
  /** `<pipeline>-<name>`. */
  readonly functionName: string;
  readonly description: string;
  readonly code: ResolvedLambdaCode;
  readonly handler: string;
  readonly runtime: string;
  readonly architecture: 'arm64' | 'x86_64';
  readonly memoryMiB: number;
  readonly timeoutSeconds: number;
  readonly reservedConcurrency?: number;
  /** `<pipeline>-<name>-dlq`; undefined when the dead-letter queue is turned off. */
  readonly deadLetterQueueName?: string;
  /** Sorted by name; a secret reference appears as its name under `<NAME>_SECRET_ID` / `<NAME>_PARAMETER_NAME`. */
  readonly environment: Readonly<Record<string, string>>;
  /** The secrets and parameters the environment references: the role may read exactly these. */
  readonly secrets: readonly ResolvedSecretRef[];
  /** Sorted by bucket, prefix, suffix. */
  readonly triggers: readonly ResolvedLambdaTrigger[];
  /** Reads, including the trigger prefixes. */
  readonly reads: readonly ResolvedDataLocation[];
  readonly writes: readonly ResolvedDataLocation[];
  /** `/aws/lambda/<functionName>`: where Lambda writes. */
  readonly logGroupName: string;
  readonly roleComponent: string;
}

/** How a failed step is retried (Step Functions Retry fields). */
export interface ResolvedWorkflowRetry {
  readonly maxAttempts: number;
  readonly intervalSeconds: number;
  readonly backoffRate: number;
}

/** What a step runs. */
export type ResolvedWorkflowTarget =
  | { readonly type: 'lambda'; readonly function: string }
  | { readonly type: 'glue-job'; readonly job: string; readonly arguments: Readonly<Record<string, string>> }
  | {
      readonly type: 'glue-crawler';
      /** Spec name of the crawler (data.glue.crawlers). */
      readonly crawler: string;
      /** Wait between two GetCrawler calls. */
      readonly pollSeconds: number;
      /**
       * GetCrawler calls before the step fails as timed out: the crawl timeout over the poll
       * interval, rounded up (the loop counts them; see workflow.ts for why not a TimeoutSeconds).
       */
      readonly maxPolls: number;
    }
  | {
      readonly type: 'emr';
      readonly script: ResolvedCodeLocation;
      readonly args: readonly string[];
      /**
       * Where the step runs: the cluster the workflow creates for the run (`transient`), the
       * long-lived interactive cluster, or EMR Serverless (`data.emr.mode: serverless`).
       */
      readonly runsOn: EmrStepTarget;
    }
  | {
      readonly type: 'sagemaker-pipeline';
      /** `<pipeline>-training`. */
      readonly pipelineName: string;
      /** Sorted by name. */
      readonly parameters: Readonly<Record<string, string>>;
    };

/** Where an emr step runs. */
export type EmrStepTarget = 'transient' | 'interactive' | 'serverless';

/** The cluster a workflow creates for each run of its transient emr steps. */
export interface ResolvedTransientCluster {
  /** The first and last transient emr steps: the cluster is created before one, terminated after the other. */
  readonly firstStep: string;
  readonly lastStep: string;
  /** Cluster names are `<namePrefix><execution name>`. */
  readonly namePrefix: string;
  /** Tag every per-run cluster carries; the workflow role may act only on clusters with it. */
  readonly tag: { readonly key: string; readonly value: string };
}

/** One step (one Task state, named after the step). */
export interface ResolvedWorkflowStep {
  readonly name: string;
  readonly target: ResolvedWorkflowTarget;
  readonly retry: ResolvedWorkflowRetry;
  readonly timeoutSeconds?: number;
}

/** The Step Functions workflow of the multi-step ETL. */
export interface ResolvedWorkflow {
  /** `<pipeline>-etl`. */
  readonly stateMachineName: string;
  readonly description: string;
  readonly schedule?: string;
  /** `<pipeline>-etl-schedule`: the EventBridge rule when there is a schedule. */
  readonly scheduleRuleName: string;
  readonly timeoutSeconds: number;
  /** In the spec's order: the order is the meaning. */
  readonly steps: readonly ResolvedWorkflowStep[];
  /** Present when some emr step runs on a per-run cluster. */
  readonly transientCluster?: ResolvedTransientCluster;
  /** `/aws/vendedlogs/states/<pipeline>-etl` (the prefix keeps log resource policies small). */
  readonly logGroupName: string;
  /** `<pipeline>-etl-failures`. */
  readonly failureTopicName: string;
  /** Sorted. */
  readonly notifyEmails: readonly string[];
  readonly roleComponent: string;
  readonly scheduleRoleComponent: string;
}

/** The orchestration area. */
export interface ResolvedOrchestration {
  /** Sorted by name. */
  readonly functions: readonly ResolvedLambdaFunction[];
  /** Undefined when the spec has no workflow. */
  readonly workflow?: ResolvedWorkflow;
}
