/** The resolved experiment tracking area (`tracking`). */

/** An S3 prefix of a data-lake bucket (the MLflow artifact store). */
export interface ResolvedTrackingLocation {
  /** Global bucket name. */
  readonly bucketName: string;
  /** Key prefix, ending in `/`. */
  readonly prefix: string;
  /** `s3://<bucketName>/<prefix>`. */
  readonly uri: string;
}

/** A SageMaker managed MLflow tracking server. */
export interface ResolvedMlflow {
  /** `<pipeline>-mlflow`. */
  readonly serverName: string;
  /** `arn:<partition>:sagemaker:<region>:<account>:mlflow-tracking-server/<serverName>`: MLFLOW_TRACKING_URI. */
  readonly serverArn: string;
  readonly size: 'Small' | 'Medium' | 'Large';
  /** major.minor; undefined: SageMaker's default at creation. */
  readonly version?: string;
  /** `Day:HH:MM`, UTC. */
  readonly maintenanceWindow: string;
  /** The models bucket under `<pipeline>/mlflow/`. */
  readonly artifacts: ResolvedTrackingLocation;
  /** Set when logged models are registered in SageMaker Model Registry: the only group the server may write. */
  readonly autoRegistrationGroup?: string;
  /** The role factory component: the server's role is `<pipeline>-mlflow`. */
  readonly roleComponent: string;
}

/** Experiment tracking shared by training jobs and notebooks. */
export interface ResolvedTracking {
  readonly mlflow?: ResolvedMlflow;
}

/**
 * What a client of the tracking server (a training job, a Studio user) is given: the
 * server to call and the artifact prefix the MLflow client writes to directly.
 */
export interface ResolvedMlflowClient {
  readonly serverArn: string;
  readonly artifacts: ResolvedTrackingLocation;
}
