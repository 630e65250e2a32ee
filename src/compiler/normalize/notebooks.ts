import type { ResolvedNotebooks } from '../../model/notebooks';
import type { PipelineSpec } from '../../spec/types.generated';
import { DEFAULTS, notebookInstanceName } from '../../areas/notebooks/catalog';
import { byName, resolveLocations } from './data';
import { mlflowClient } from './tracking';

/** Resolves `notebooks` with every default. */
export function normalizeNotebooks(spec: PipelineSpec): ResolvedNotebooks {
  const n = spec.notebooks ?? {};
  const p = spec.name;
  const mlflow = mlflowClient(spec);
  return {
    ...(n.domain
      ? {
          domain: {
            domainName: p,
            users: byName(n.domain.users).map((u) => ({
              name: u.name,
              ...(u.ssoUserName !== undefined ? { ssoUserName: u.ssoUserName } : {}),
            })),
            idleShutdownMinutes: n.domain.idleShutdownMinutes ?? DEFAULTS.domain.idleShutdownMinutes,
            roleComponent: 'notebooks',
            authMode: n.domain.authMode ?? DEFAULTS.domain.authMode,
            ...(mlflow ? { mlflow, mlflowLifecycleConfigName: `${p}-mlflow-env` } : {}),
          },
        }
      : {}),
    instances: byName(n.instances).map((i) => ({
      name: i.name,
      instanceName: notebookInstanceName(p, i.name),
      instanceType: i.instanceType ?? DEFAULTS.instance.instanceType,
      volumeGiB: i.volumeGiB ?? DEFAULTS.instance.volumeGiB,
      idleStopMinutes: i.idleStopMinutes ?? DEFAULTS.instance.idleStopMinutes,
      platform: i.platform ?? DEFAULTS.instance.platform,
      lifecycleConfigName: `${p}-${i.name}-autostop`,
      roleComponent: `notebook-${i.name}`,
    })),
    reads: resolveLocations(n.reads),
    writes: resolveLocations(n.writes),
  };
}
