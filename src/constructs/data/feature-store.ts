import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { SagemakerFeatureGroup } from '@cdktf/provider-aws/lib/sagemaker-feature-group';
import { Construct } from 'constructs';
import type { ResolvedFeatures } from '../../model/features';
import type { SecurityContext } from '../security-context';
import {
  catalogStatement,
  keyUseStatement,
  lakeBucket,
  s3ReadStatements,
  s3WriteStatements,
  type LakeBuckets,
} from './access';

/** The data-lake bucket that holds offline stores. */
export const FEATURES_BUCKET = 'features';

/** Props of {@link FeatureStore}. */
export interface FeatureStoreProps {
  readonly features: ResolvedFeatures;
  readonly security: SecurityContext;
  readonly buckets: LakeBuckets;
}

/**
 * SageMaker Feature Store: feature groups with an online store encrypted with the key
 * (on-demand throughput) and an offline store in the features bucket (SSE-KMS with the
 * key, Iceberg by default) whose Glue table Feature Store creates in the pipeline's
 * feature-store database. One role for the groups, scoped to that prefix and database.
 */
export class FeatureStore extends Construct {
  readonly groups: ReadonlyMap<string, SagemakerFeatureGroup>;

  constructor(scope: Construct, id: string, props: FeatureStoreProps) {
    super(scope, id);
    const { features: f, security: sec, buckets } = props;
    const bucket = lakeBucket(buckets, FEATURES_BUCKET);
    const offline = f.groups.some((g) => g.offline);
    const database = offline
      ? new GlueCatalogDatabase(this, 'Database', {
          name: f.databaseName,
          description: `pipeform ${sec.pipeline}: offline feature store tables`,
        })
      : undefined;
    const location = [{ bucket: FEATURES_BUCKET, prefix: f.offlinePrefix }];
    const role = sec.roles.create(this, 'Role', f.roleComponent, {
      services: ['sagemaker.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: Feature Store groups`,
      statements: [
        ...(offline
          ? [
              ...s3ReadStatements('OfflineStore', buckets, location),
              ...s3WriteStatements('OfflineStore', buckets, location),
              {
                // Feature Store checks the bucket's ownership before writing the offline store.
                Sid: 'OfflineStoreBucketAcl',
                Effect: 'Allow' as const,
                Action: 's3:GetBucketAcl',
                Resource: bucket.arn,
              },
              catalogStatement(
                'OfflineStore',
                sec,
                [f.databaseName],
                ['glue:CreateTable', 'glue:GetDatabase', 'glue:GetTable', 'glue:UpdateTable'],
              ),
            ]
          : []),
        keyUseStatement(sec),
      ],
    });

    const groups = new Map<string, SagemakerFeatureGroup>();
    for (const g of f.groups) {
      groups.set(
        g.name,
        new SagemakerFeatureGroup(this, g.name, {
          featureGroupName: g.featureGroupName,
          description: g.description,
          recordIdentifierFeatureName: g.recordId,
          eventTimeFeatureName: g.eventTime,
          roleArn: role.arn,
          featureDefinition: g.features.map((d) => ({ featureName: d.name, featureType: d.type })),
          ...(g.online
            ? {
                onlineStoreConfig: {
                  enableOnlineStore: true,
                  storageType: 'Standard',
                  securityConfig: { kmsKeyId: sec.keyArn },
                  ...(g.onlineTtlDays ? { ttlDuration: { unit: 'Days', value: g.onlineTtlDays } } : {}),
                },
                // Pay per request: feature reads and writes are spiky.
                throughputConfig: { throughputMode: 'OnDemand' },
              }
            : {}),
          ...(g.offline && database
            ? {
                offlineStoreConfig: {
                  s3StorageConfig: {
                    s3Uri: `s3://${bucket.bucket}/${f.offlinePrefix}`,
                    kmsKeyId: sec.keyArn,
                  },
                  dataCatalogConfig: {
                    catalog: 'AwsDataCatalog',
                    database: database.name,
                    tableName: g.tableName,
                  },
                  disableGlueTableCreation: false,
                  tableFormat: g.tableFormat,
                },
              }
            : {}),
          // SageMaker checks the role's access when the group is created.
          dependsOn: role.policyDependables,
        }),
      );
    }
    this.groups = groups;
  }
}
