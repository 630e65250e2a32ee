import type { ResolvedFeatures } from '../../model/features';
import type { PipelineSpec } from '../../spec/types.generated';
import { catalogName, DEFAULTS } from '../../areas/data/catalog';
import { byName } from './data';

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
      online: g.online ?? DEFAULTS.features.online,
      ...(g.onlineTtlDays !== undefined ? { onlineTtlDays: g.onlineTtlDays } : {}),
      offline: g.offline ?? DEFAULTS.features.offline,
      tableFormat: (g.tableFormat ?? DEFAULTS.features.tableFormat) === 'iceberg' ? 'Iceberg' : 'Glue',
      tableName: catalogName(p, g.name),
    })),
    databaseName: catalogName(p, 'feature_store'),
    offlinePrefix: 'feature-store/',
    roleComponent: 'features',
  };
}
