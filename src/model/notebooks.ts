/** The resolved notebooks area (`notebooks`). */
import type { ResolvedDataLocation } from './data';

/** A SageMaker domain with user profiles. */
export interface ResolvedNotebookDomain {
  /** `<pipeline>`. */
  readonly domainName: string;
  /** Sorted. */
  readonly users: readonly string[];
  readonly idleShutdownMinutes: number;
  readonly roleComponent: string;
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
