import type { ResolvedFeatures } from '../../model/features';
import type { PipelineSpec } from '../../spec/types.generated';
import { byName, catalogName } from './data';

const TYPES = { integral: 'Integral', fractional: 'Fractional', string: 'String' } as const;

/** Resolves `features` with every default. */
export function normalizeFeatures(spec: PipelineSpec): ResolvedFeatures {
  const p = spec.name;
  return {
    groups: byName(spec.features?.groups).map((g) => ({
      name: g.name,
      featureGroupName: `${p}-${g.name}`,
      description: g.description ?? `pipeform ${p}: ${g.name} features`,
      recordId: g.recordId,
      eventTime: g.eventTime,
      features: g.features.map((f) => ({ name: f.name, type: TYPES[f.type] })),
      online: g.online ?? true,
      ...(g.onlineTtlDays !== undefined ? { onlineTtlDays: g.onlineTtlDays } : {}),
      offline: g.offline ?? true,
      tableFormat: (g.tableFormat ?? 'iceberg') === 'iceberg' ? 'Iceberg' : 'Glue',
      tableName: catalogName(p, g.name),
    })),
    databaseName: catalogName(p, 'feature_store'),
    offlinePrefix: 'feature-store/',
    roleComponent: 'features',
  };
}
