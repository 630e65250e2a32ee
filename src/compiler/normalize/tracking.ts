import type { ResolvedMlflow, ResolvedMlflowClient, ResolvedTracking } from '../../model/tracking';
import type { PipelineSpec } from '../../spec/types.generated';
import {
  DEFAULTS,
  MLFLOW_TRACKING_URI,
  mlflowArtifactPrefix,
  mlflowServerName,
} from '../../areas/tracking/catalog';
import { partitionOf } from '../arn';
import { defaultBucketPrefix } from './storage';

/** Resolves `tracking.mlflow` with every default, or undefined without it. */
export function normalizeMlflow(spec: PipelineSpec): ResolvedMlflow | undefined {
  const m = spec.tracking?.mlflow;
  if (m === undefined) return undefined;
  const p = spec.name;
  const serverName = mlflowServerName(p);
  const bucketName = `${spec.storage?.bucketPrefix ?? defaultBucketPrefix(spec)}-models`;
  const prefix = mlflowArtifactPrefix(p);
  const register =
    (m.automaticModelRegistration ?? DEFAULTS.mlflow.automaticModelRegistration) &&
    spec.training?.algorithm !== undefined;
  return {
    serverName,
    serverArn: `arn:${partitionOf(spec.region)}:sagemaker:${spec.region}:${spec.account}:mlflow-tracking-server/${serverName}`,
    size: m.size ?? DEFAULTS.mlflow.size,
    ...(m.version !== undefined ? { version: m.version } : {}),
    maintenanceWindow: m.maintenanceWindow ?? DEFAULTS.mlflow.maintenanceWindow,
    artifacts: { bucketName, prefix, uri: `s3://${bucketName}/${prefix}` },
    // The group the training pipeline registers into (normalize/training.ts names it the same way).
    ...(register ? { autoRegistrationGroup: `${p}-models` } : {}),
    roleComponent: 'mlflow',
  };
}

/** Resolves `tracking`, or undefined without it. */
export function normalizeTracking(spec: PipelineSpec): ResolvedTracking | undefined {
  if (spec.tracking === undefined) return undefined;
  const mlflow = normalizeMlflow(spec);
  return mlflow ? { mlflow } : {};
}

/** What a job or a Studio user needs to log to the server, or undefined without one. */
export function mlflowClient(spec: PipelineSpec): ResolvedMlflowClient | undefined {
  const m = normalizeMlflow(spec);
  return m ? { serverArn: m.serverArn, artifacts: m.artifacts } : undefined;
}

/** An environment with MLFLOW_TRACKING_URI added (the check stage refuses a user's own), sorted. */
export function withTrackingUri(
  environment: Readonly<Record<string, string>>,
  client: ResolvedMlflowClient | undefined,
): Readonly<Record<string, string>> {
  if (client === undefined) return environment;
  const all: Record<string, string> = { ...environment, [MLFLOW_TRACKING_URI]: client.serverArn };
  return Object.fromEntries(
    Object.keys(all)
      .sort()
      .map((k) => [k, all[k]!]),
  );
}
