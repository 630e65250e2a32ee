/** The resolved Feature Store area (`features`). */

/** One feature as SageMaker types it. */
export interface ResolvedFeatureDefinition {
  readonly name: string;
  readonly type: 'Integral' | 'Fractional' | 'String';
}

/** A feature group with its online and offline stores. */
export interface ResolvedFeatureGroup {
  readonly name: string;
  /** `<pipeline>-<name>`. */
  readonly featureGroupName: string;
  readonly description: string;
  readonly recordId: string;
  readonly eventTime: string;
  /** In the spec's order (SageMaker keeps it). */
  readonly features: readonly ResolvedFeatureDefinition[];
  readonly online: boolean;
  readonly onlineTtlDays?: number;
  readonly offline: boolean;
  readonly tableFormat: 'Iceberg' | 'Glue';
  /** Offline store table: `<pipeline>_<name>`, `-` as `_`. */
  readonly tableName: string;
}

/** Feature Store. */
export interface ResolvedFeatures {
  /** Sorted by name. */
  readonly groups: readonly ResolvedFeatureGroup[];
  /** Glue database of the offline stores' tables: `<pipeline>_feature_store`. */
  readonly databaseName: string;
  /** Where offline stores write in the features bucket: `feature-store/`. */
  readonly offlinePrefix: string;
  readonly roleComponent: string;
}
