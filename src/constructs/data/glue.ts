import { GlueCatalogDatabase } from '@cdktf/provider-aws/lib/glue-catalog-database';
import { GlueConnection } from '@cdktf/provider-aws/lib/glue-connection';
import { GlueCrawler } from '@cdktf/provider-aws/lib/glue-crawler';
import { GlueDataCatalogEncryptionSettings } from '@cdktf/provider-aws/lib/glue-data-catalog-encryption-settings';
import { GlueJob } from '@cdktf/provider-aws/lib/glue-job';
import { GlueSecurityConfiguration } from '@cdktf/provider-aws/lib/glue-security-configuration';
import { GlueTrigger, type GlueTriggerActions } from '@cdktf/provider-aws/lib/glue-trigger';
import { GlueWorkflow } from '@cdktf/provider-aws/lib/glue-workflow';
import { Construct } from 'constructs';
import type { ResolvedGlue, ResolvedGlueCrawler, ResolvedGlueJob } from '../../model/data';
import type { ResolvedNetwork } from '../../model/resolved';
import { roleName } from '../iam/role-factory';
import type { PolicyStatement } from '../iam/policy';
import { secretReadStatements } from '../iam/secrets';
import { encryptedLogGroup } from '../logs';
import { AssetUploads } from '../assets';
import type { SecurityContext } from '../security-context';
import {
  CATALOG_WRITE,
  catalogStatement,
  eniStatements,
  firstSubnet,
  keyUseStatement,
  logGroupArn,
  logWriteStatement,
  s3ObjectReadStatement,
  s3ReadStatements,
  s3WriteStatements,
  s3Uri,
  type LakeBuckets,
} from './access';

/** Props of {@link GlueArea}. */
export interface GlueAreaProps {
  readonly glue: ResolvedGlue;
  readonly security: SecurityContext;
  readonly buckets: LakeBuckets;
  /** The resolved network: a created VPC tells the connection its availability zone. */
  readonly network?: ResolvedNetwork;
}

/** Log groups Glue writes to when a security configuration encrypts CloudWatch logs. */
export function glueLogGroups(securityConfiguration: string, role: string) {
  return {
    /** Continuous logs of every job (shared by Glue per security configuration). */
    continuous: `/aws-glue/jobs/logs-v2-${securityConfiguration}`,
    output: `/aws-glue/jobs/${securityConfiguration}-role/${role}/output`,
    error: `/aws-glue/jobs/${securityConfiguration}-role/${role}/error`,
    crawler: `/aws-glue/crawlers-role/${role}-${securityConfiguration}`,
  };
}

/** Default arguments of a job: what the spec's fields decide; user arguments may not override them. */
export function jobArguments(j: ResolvedGlueJob): {
  defaults: Record<string, string>;
  fixed: Record<string, string>;
} {
  return {
    defaults: {
      ...j.arguments,
      '--job-language': j.language,
      ...(j.scalaClass ? { '--class': j.scalaClass } : {}),
      '--job-bookmark-option': j.bookmarks ? 'job-bookmark-enable' : 'job-bookmark-disable',
      ...(j.autoScaling ? { '--enable-auto-scaling': 'true' } : {}),
    },
    // Runs cannot turn observability off.
    fixed: {
      '--enable-continuous-cloudwatch-log': 'true',
      '--enable-continuous-log-filter': 'true',
      '--enable-glue-datacatalog': 'true',
      '--enable-metrics': 'true',
      '--enable-observability-metrics': 'true',
    },
  };
}

/**
 * AWS Glue: catalog databases and encryption settings, one security configuration (S3
 * SSE-KMS, CloudWatch SSE-KMS, bookmarks CSE-KMS) on every job and crawler, crawlers, Spark
 * ETL jobs in the private subnets (through a NETWORK connection), and workflows of triggers.
 * Every job and crawler has its own role, scoped to its prefixes, databases and log groups.
 */
export class GlueArea extends Construct {
  /** Jobs by spec name (the Step Functions workflow starts them). */
  readonly jobs: ReadonlyMap<string, GlueJob>;
  readonly crawlers: ReadonlyMap<string, GlueCrawler>;
  readonly databases: ReadonlyMap<string, GlueCatalogDatabase>;

  constructor(scope: Construct, id: string, props: GlueAreaProps) {
    super(scope, id);
    const { glue: g, security: sec } = props;
    const key = sec.keyArn;

    if (g.catalogEncryption) {
      new GlueDataCatalogEncryptionSettings(this, 'CatalogEncryption', {
        catalogId: sec.account,
        dataCatalogEncryptionSettings: {
          encryptionAtRest: { catalogEncryptionMode: 'SSE-KMS', sseAwsKmsKeyId: key },
          connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true, awsKmsKeyId: key },
        },
      });
    }
    const securityConfiguration = new GlueSecurityConfiguration(this, 'SecurityConfiguration', {
      name: g.securityConfigurationName,
      encryptionConfiguration: {
        s3Encryption: { s3EncryptionMode: 'SSE-KMS', kmsKeyArn: key },
        cloudwatchEncryption: { cloudwatchEncryptionMode: 'SSE-KMS', kmsKeyArn: key },
        jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: key },
      },
    });

    const databases = new Map<string, GlueCatalogDatabase>();
    const dbScope = new Construct(this, 'databases');
    for (const d of g.databases) {
      databases.set(
        d.name,
        new GlueCatalogDatabase(dbScope, d.name, { name: d.catalogName, description: d.description }),
      );
    }
    this.databases = databases;
    const catalogNames = g.databases.map((d) => d.catalogName);

    const crawlers = new Map<string, GlueCrawler>();
    const crawlerScope = new Construct(this, 'crawlers');
    for (const c of g.crawlers) {
      crawlers.set(c.name, this.crawler(crawlerScope, c, props, securityConfiguration.name, databases));
    }
    this.crawlers = crawlers;

    const jobs = new Map<string, GlueJob>();
    if (g.jobs.length > 0) {
      const names = glueLogGroups(g.securityConfigurationName, '');
      // Glue writes every job's continuous logs to this one group per security configuration.
      const continuous = encryptedLogGroup(this, 'ContinuousLogs', names.continuous, sec);
      const connection = sec.network ? this.connection(g, sec, props.network) : undefined;
      const jobScope = new Construct(this, 'jobs');
      for (const j of g.jobs) {
        const job = this.job(jobScope, j, props, {
          securityConfiguration: securityConfiguration.name,
          continuousLogGroupArn: continuous.arn,
          connection: connection?.name,
          catalogNames,
        });
        jobs.set(j.name, job);
      }
    }
    this.jobs = jobs;

    const workflowScope = new Construct(this, 'workflows');
    for (const w of g.workflows) {
      const scope = new Construct(workflowScope, w.name);
      const workflow = new GlueWorkflow(scope, 'Resource', {
        name: w.workflowName,
        description: w.description,
        maxConcurrentRuns: w.maxConcurrentRuns,
      });
      const actions = (stage: (typeof w.stages)[number]): GlueTriggerActions[] => [
        ...stage.crawlers.map((c) => ({ crawlerName: must(crawlers, c).name })),
        ...stage.jobs.map((j) => ({ jobName: must(jobs, j).name })),
      ];
      w.stages.forEach((stage, i) => {
        const base = { name: stage.triggerName, workflowName: workflow.name, actions: actions(stage) };
        if (i === 0) {
          new GlueTrigger(
            scope,
            stage.name,
            w.schedule
              ? { ...base, type: 'SCHEDULED', schedule: w.schedule, startOnCreation: true }
              : { ...base, type: 'ON_DEMAND' },
          );
          return;
        }
        const before = w.stages[i - 1];
        new GlueTrigger(scope, stage.name, {
          ...base,
          type: 'CONDITIONAL',
          startOnCreation: true,
          predicate: {
            logical: 'AND',
            conditions: [
              ...before.crawlers.map((c) => ({
                crawlerName: must(crawlers, c).name,
                crawlState: 'SUCCEEDED',
                logicalOperator: 'EQUALS',
              })),
              ...before.jobs.map((j) => ({
                jobName: must(jobs, j).name,
                state: 'SUCCEEDED',
                logicalOperator: 'EQUALS',
              })),
            ],
          },
        });
      });
    }
  }

  /** The NETWORK connection that places jobs in the first private subnet with the workload groups. */
  private connection(g: ResolvedGlue, sec: SecurityContext, network?: ResolvedNetwork): GlueConnection {
    const n = sec.network!;
    const az = network?.mode === 'create' ? network.vpc.privateSubnets[0]?.availabilityZone : undefined;
    return new GlueConnection(this, 'Connection', {
      name: g.connectionName,
      description: `pipeform ${sec.pipeline}: runs Glue jobs in the private subnets`,
      connectionType: 'NETWORK',
      physicalConnectionRequirements: {
        subnetId: firstSubnet(sec),
        securityGroupIdList: [...n.securityGroupIds],
        ...(az ? { availabilityZone: az } : {}),
      },
    });
  }

  private crawler(
    parent: Construct,
    c: ResolvedGlueCrawler,
    props: GlueAreaProps,
    securityConfiguration: string,
    databases: ReadonlyMap<string, GlueCatalogDatabase>,
  ): GlueCrawler {
    const { security: sec, buckets, glue: g } = props;
    const scope = new Construct(parent, c.name);
    const database = must(databases, c.database);
    const dbName = g.databases.find((d) => d.name === c.database)!.catalogName;
    const logs = glueLogGroups(g.securityConfigurationName, roleName(sec.pipeline, c.roleComponent));
    const logGroup = encryptedLogGroup(scope, 'LogGroup', logs.crawler, sec);
    const statements: PolicyStatement[] = [
      ...s3ReadStatements('Crawl', buckets, c.targets),
      catalogStatement(
        'Crawler',
        sec,
        [dbName],
        [
          ...CATALOG_WRITE,
          ...(c.deleteBehavior === 'DELETE_FROM_DATABASE'
            ? ['glue:BatchDeleteTable', 'glue:DeleteTable']
            : []),
        ],
      ),
      logWriteStatement(
        'Crawler',
        [logGroupArn(sec, logs.crawler)],
        ['logs:AssociateKmsKey', 'logs:CreateLogGroup'],
      ),
      keyUseStatement(sec),
    ];
    const role = sec.roles.create(scope, 'Role', c.roleComponent, {
      services: ['glue.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: Glue crawler ${c.name}`,
      statements,
    });
    return new GlueCrawler(scope, 'Resource', {
      name: c.crawlerName,
      description: c.description,
      role: role.arn,
      databaseName: database.name,
      securityConfiguration,
      s3Target: c.targets.map((t) => ({ path: s3Uri(buckets, t.bucket, t.prefix) })),
      ...(c.schedule ? { schedule: c.schedule } : {}),
      ...(c.tablePrefix ? { tablePrefix: c.tablePrefix } : {}),
      recrawlPolicy: { recrawlBehavior: c.recrawlBehavior },
      schemaChangePolicy: { updateBehavior: c.updateBehavior, deleteBehavior: c.deleteBehavior },
      // New partitions inherit the table's schema; compatible schemas stay one table.
      configuration: JSON.stringify({
        Version: 1,
        CrawlerOutput: { Partitions: { AddOrUpdateBehavior: 'InheritFromTable' } },
        Grouping: { TableGroupingPolicy: 'CombineCompatibleSchemas' },
      }),
      dependsOn: [logGroup],
    });
  }

  private job(
    parent: Construct,
    j: ResolvedGlueJob,
    props: GlueAreaProps,
    shared: {
      securityConfiguration: string;
      continuousLogGroupArn: string;
      connection?: string;
      catalogNames: readonly string[];
    },
  ): GlueJob {
    const { security: sec, buckets, glue: g } = props;
    const scope = new Construct(parent, j.name);
    const logs = glueLogGroups(g.securityConfigurationName, roleName(sec.pipeline, j.roleComponent));
    const output = encryptedLogGroup(scope, 'output', logs.output, sec);
    const error = encryptedLogGroup(scope, 'error', logs.error, sec);
    const glueArn = `arn:${sec.partition}:glue:${sec.region}:${sec.account}`;
    const script = AssetUploads.of(this).locate(j.script);
    const statements: PolicyStatement[] = [
      s3ObjectReadStatement('Script', [script.arn]),
      // Spark reads back what it writes (commits, overwrites), so writes are readable too.
      ...s3ReadStatements('Read', buckets, [...j.reads, ...j.writes]),
      ...s3WriteStatements('Write', buckets, j.writes),
      catalogStatement('Job', sec, ['default', ...shared.catalogNames], CATALOG_WRITE),
      {
        Sid: 'OwnJob',
        Effect: 'Allow',
        Action: ['glue:GetJob', 'glue:GetJobRun'],
        Resource: `${glueArn}:job/${j.jobName}`,
      },
      {
        // Glue authorizes bookmark reads without a resource (the Service Authorization
        // Reference lists no resource type for GetJobBookmark): on the job ARN it grants nothing.
        Sid: 'ReadJobBookmarks',
        Effect: 'Allow',
        Action: 'glue:GetJobBookmark',
        Resource: '*',
      },
      logWriteStatement(
        'Job',
        [logGroupArn(sec, logs.output), logGroupArn(sec, logs.error), shared.continuousLogGroupArn],
        ['logs:AssociateKmsKey', 'logs:CreateLogGroup'],
      ),
      {
        Sid: 'PublishGlueMetrics',
        Effect: 'Allow',
        Action: 'cloudwatch:PutMetricData',
        Resource: '*',
        Condition: { StringEquals: { 'cloudwatch:namespace': 'Glue' } },
      },
      keyUseStatement(sec),
      ...secretReadStatements(j.secrets, sec),
      ...(shared.connection
        ? [
            {
              Sid: 'UseTheNetworkConnection',
              Effect: 'Allow' as const,
              Action: 'glue:GetConnection',
              Resource: [`${glueArn}:catalog`, `${glueArn}:connection/${g.connectionName}`],
            },
            ...eniStatements(sec, 'glue'),
          ]
        : []),
    ];
    const role = sec.roles.create(scope, 'Role', j.roleComponent, {
      services: ['glue.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: Glue job ${j.name}`,
      statements,
    });
    const args = jobArguments(j);
    return new GlueJob(scope, 'Resource', {
      name: j.jobName,
      description: j.description,
      roleArn: role.arn,
      glueVersion: j.glueVersion,
      command: {
        name: 'glueetl',
        scriptLocation: script.uri,
        ...(j.language === 'python' ? { pythonVersion: '3' } : {}),
      },
      workerType: j.workerType,
      numberOfWorkers: j.workers,
      executionClass: j.flex ? 'FLEX' : 'STANDARD',
      timeout: j.timeoutMinutes,
      maxRetries: j.maxRetries,
      executionProperty: { maxConcurrentRuns: j.maxConcurrentRuns },
      securityConfiguration: shared.securityConfiguration,
      defaultArguments: args.defaults,
      nonOverridableArguments: args.fixed,
      ...(shared.connection ? { connections: [shared.connection] } : {}),
      dependsOn: [output, error],
    });
  }
}

/** The construct behind a spec name; the check stage guarantees it exists. */
function must<T>(map: ReadonlyMap<string, T>, name: string): T {
  const v = map.get(name);
  if (v === undefined) throw new Error(`internal: ${JSON.stringify(name)} was not built`);
  return v;
}
