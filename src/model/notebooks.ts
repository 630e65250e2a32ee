/** The resolved notebooks area (`notebooks`). */
import type { ResolvedDataLocation } from './data';
import type { ResolvedMlflowClient } from './tracking';

/** A SageMaker domain with user profiles. */
export interface ResolvedNotebookDomain {
  /** `<pipeline>`. */
  readonly domainName: string;
  /** Sorted by name. */
  readonly users: readonly ResolvedNotebookUser[];
  readonly idleShutdownMinutes: number;
  readonly roleComponent: string;
  /** `IAM`, or `SSO` (IAM Identity Center): then every user has `ssoUserName`. */
  readonly authMode: 'IAM' | 'SSO';
  /** The MLflow tracking server the users log to. */
  readonly mlflow?: ResolvedMlflowClient;
  /** With `mlflow`: `<pipeline>-mlflow-env`, the JupyterLab lifecycle configuration that sets MLFLOW_TRACKING_URI. */
  readonly mlflowLifecycleConfigName?: string;
}

/** A user profile of the domain. */
export interface ResolvedNotebookUser {
  readonly name: string;
  /** The IAM Identity Center user name (SSO domains only). */
  readonly ssoUserName?: string;
}

/** A notebook instance that stops itself when idle. */
export interface ResolvedNotebookInstance {
  readonly name: string;
  /** `<pipeline>-<name>`. */
  readonly instanceName: string;
  readonly instanceType: string;
  readonly volumeGiB: number;
  readonly idleStopMinutes: number;
  readonly platform: string;
  /** `<pipeline>-<name>-autostop`. */
  readonly lifecycleConfigName: string;
  readonly roleComponent: string;
}

/** Notebooks: a domain or instances, with the data they may use. */
export interface ResolvedNotebooks {
  readonly domain?: ResolvedNotebookDomain;
  /** Sorted by name. */
  readonly instances: readonly ResolvedNotebookInstance[];
  readonly reads: readonly ResolvedDataLocation[];
  readonly writes: readonly ResolvedDataLocation[];
}
