import type { ResolvedNotebooks } from '../../model/notebooks';
import type { PipelineSpec } from '../../spec/types.generated';
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
            idleShutdownMinutes: n.domain.idleShutdownMinutes ?? 60,
            roleComponent: 'notebooks',
            authMode: n.domain.authMode ?? 'IAM',
            ...(mlflow ? { mlflow, mlflowLifecycleConfigName: `${p}-mlflow-env` } : {}),
          },
        }
      : {}),
    instances: byName(n.instances).map((i) => ({
      name: i.name,
      instanceName: `${p}-${i.name}`,
      instanceType: i.instanceType ?? 'ml.t3.medium',
      volumeGiB: i.volumeGiB ?? 20,
      idleStopMinutes: i.idleStopMinutes ?? 60,
      platform: i.platform ?? 'notebook-al2-v3',
      lifecycleConfigName: `${p}-${i.name}-autostop`,
      roleComponent: `notebook-${i.name}`,
    })),
    reads: resolveLocations(n.reads),
    writes: resolveLocations(n.writes),
  };
}
