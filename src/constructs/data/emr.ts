import { EmrBlockPublicAccessConfiguration } from '@cdktf/provider-aws/lib/emr-block-public-access-configuration';
import { EmrCluster } from '@cdktf/provider-aws/lib/emr-cluster';
import { EmrInstanceFleet } from '@cdktf/provider-aws/lib/emr-instance-fleet';
import { EmrManagedScalingPolicy } from '@cdktf/provider-aws/lib/emr-managed-scaling-policy';
import { EmrSecurityConfiguration } from '@cdktf/provider-aws/lib/emr-security-configuration';
import { EmrserverlessApplication } from '@cdktf/provider-aws/lib/emrserverless-application';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { ResolvedDataObject, ResolvedEmr, ResolvedEmrCluster, ResolvedEmrFleet } from '../../model/data';
import type { PolicyStatement } from '../iam/policy';
import type { SecurityContext } from '../security-context';
import {
  CATALOG_WRITE,
  catalogStatement,
  ec2Arns,
  keyUseStatement,
  lakeBucket,
  s3ObjectReadStatement,
  s3ReadStatements,
  s3WriteStatements,
  type LakeBuckets,
} from './access';

/** The tag AmazonEMRServicePolicy_v2 requires on the network resources EMR may use. */
export const EMR_MANAGED_TAG = { 'for-use-with-amazon-emr-managed-policies': 'true' };

/** Props of {@link EmrArea}. */
export interface EmrAreaProps {
  readonly emr: ResolvedEmr;
  readonly security: SecurityContext;
  readonly buckets: LakeBuckets;
  /** Catalog names of the pipeline's Glue databases (the metastore EMR may use). */
  readonly catalogDatabases: readonly string[];
  /** Scripts the workflow's EMR steps run: the instance or job role may read them. */
  readonly stepScripts: readonly ResolvedDataObject[];
}

/** Configuration classifications that make each engine use the Glue Data Catalog as its metastore. */
export function glueCatalogConfigurations(applications: readonly string[]): object[] {
  const factory = {
    'hive.metastore.client.factory.class':
      'com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory',
  };
  const byApp: Record<string, object> = {
    Spark: { Classification: 'spark-hive-site', Properties: factory },
    Hive: { Classification: 'hive-site', Properties: factory },
    Presto: { Classification: 'presto-connector-hive', Properties: { 'hive.metastore': 'glue' } },
    Trino: { Classification: 'trino-connector-hive', Properties: { 'hive.metastore': 'glue' } },
  };
  return applications.flatMap((a) => (byApp[a] ? [byApp[a]] : []));
}

/**
 * The EMR security configuration: at rest S3 SSE-KMS and local disks plus EBS with the
 * pipeline key; in transit TLS from a PEM zip; IMDSv2 only on every node.
 */
export function emrSecurityConfiguration(
  c: ResolvedEmrCluster,
  keyArn: string,
  buckets: LakeBuckets,
): object {
  const certs = c.tlsCertificates;
  return {
    EncryptionConfiguration: {
      EnableAtRestEncryption: true,
      EnableInTransitEncryption: certs !== undefined,
      AtRestEncryptionConfiguration: {
        S3EncryptionConfiguration: { EncryptionMode: 'SSE-KMS', AwsKmsKey: keyArn },
        LocalDiskEncryptionConfiguration: {
          EncryptionKeyProviderType: 'AwsKms',
          AwsKmsKey: keyArn,
          EnableEbsEncryption: true,
        },
      },
      ...(certs
        ? {
            InTransitEncryptionConfiguration: {
              TLSCertificateConfiguration: {
                CertificateProviderType: 'PEM',
                S3Object: `s3://${lakeBucket(buckets, certs.bucket).bucket}/${certs.key}`,
              },
            },
          }
        : {}),
    },
    InstanceMetadataServiceConfiguration: {
      MinimumInstanceMetadataServiceVersion: 2,
      HttpPutResponseHopLimit: 1,
    },
  };
}

/**
 * Amazon EMR. Cluster mode: instance fleets mixing on-demand and spot, managed scaling,
 * auto-termination when idle, logs (encrypted) in the logs bucket, private subnets with
 * EMR-managed security groups, a security configuration, block public access, a service
 * role and an instance profile of their own. Serverless mode: an application with auto
 * start/stop and a capacity cap, plus the role its job runs use.
 */
export class EmrArea extends Construct {
  readonly cluster?: EmrCluster;
  readonly application?: EmrserverlessApplication;
  /** Role of serverless job runs (Step Functions passes it to StartJobRun). */
  readonly jobRoleArn?: string;
  /** Prefix in the logs bucket where cluster and job logs go. */
  readonly logPrefix: string;

  constructor(scope: Construct, id: string, props: EmrAreaProps) {
    super(scope, id);
    const { emr: e, security: sec, buckets } = props;
    this.logPrefix = e.logPrefix;
    const logs = lakeBucket(buckets, 'logs');
    const dataStatements = (purpose: string): PolicyStatement[] => [
      ...(props.stepScripts.length + (e.cluster?.tlsCertificates ? 1 : 0) > 0
        ? [
            s3ObjectReadStatement(purpose, buckets, [
              ...props.stepScripts,
              ...(e.cluster?.tlsCertificates ? [e.cluster.tlsCertificates] : []),
            ]),
          ]
        : []),
      ...s3ReadStatements(`${purpose}Read`, buckets, [...e.reads, ...e.writes]),
      ...s3WriteStatements(`${purpose}Write`, buckets, [
        ...e.writes,
        { bucket: 'logs', prefix: e.logPrefix },
      ]),
      ...(e.glueCatalog
        ? [
            catalogStatement(
              purpose,
              sec,
              ['default', ...props.catalogDatabases],
              [...CATALOG_WRITE, 'glue:CreateDatabase'],
            ),
          ]
        : []),
      keyUseStatement(sec),
    ];

    if (e.serverless) {
      const s = e.serverless;
      const role = sec.roles.create(this, 'jobs', 'emr-serverless-job', {
        services: ['emr-serverless.amazonaws.com'],
        description: `pipeform ${sec.pipeline}: EMR Serverless job runs of ${e.name}`,
        statements: dataStatements('Jobs'),
      });
      this.jobRoleArn = role.arn;
      this.application = new EmrserverlessApplication(this, 'Application', {
        name: e.name,
        releaseLabel: e.releaseLabel,
        type: s.type,
        architecture: s.architecture,
        autoStartConfiguration: { enabled: true },
        autoStopConfiguration: { enabled: true, idleTimeoutMinutes: s.idleTimeoutMinutes },
        maximumCapacity: s.maximumCapacity,
        ...(sec.network
          ? {
              networkConfiguration: {
                subnetIds: [...sec.network.privateSubnetIds],
                securityGroupIds: [...sec.network.securityGroupIds],
              },
            }
          : {}),
      });
      return;
    }

    const c = e.cluster!;
    const network = sec.network!;
    if (c.blockPublicAccess) {
      new EmrBlockPublicAccessConfiguration(this, 'BlockPublicAccess', {
        blockPublicSecurityGroupRules: true,
      });
    }
    const securityConfiguration = new EmrSecurityConfiguration(this, 'SecurityConfiguration', {
      name: c.securityConfigurationName,
      configuration: JSON.stringify(emrSecurityConfiguration(c, sec.keyArn, buckets)),
    });

    const instanceRole = sec.roles.create(this, 'instance', 'emr-instance', {
      services: ['ec2.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: EC2 instances of EMR cluster ${e.name}`,
      statements: [
        ...dataStatements('Cluster'),
        {
          // EMR's own libraries and bootstrap scripts live in these AWS buckets.
          Sid: 'ReadEmrArtifacts',
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: [
            `arn:${sec.partition}:s3:::${sec.region}.elasticmapreduce/*`,
            `arn:${sec.partition}:s3:::repo.${sec.region}.emr.amazonaws.com/*`,
          ],
        },
      ],
      // EC2 does not send aws:SourceAccount when instances assume their role.
      sourceAccountCondition: false,
    });
    const profile = new IamInstanceProfile(this, 'InstanceProfile', {
      name: instanceRole.name,
      path: instanceRole.path,
      role: instanceRole.name,
    });

    const groups = Object.fromEntries(
      (['primary', 'core', 'service-access'] as const).map((g) => [
        g,
        new SecurityGroup(new Construct(this, g), 'Resource', {
          name: `${e.name}-${g}`,
          description: `EMR-managed: ${g} of ${e.name} (EMR adds the rules it needs)`,
          vpcId: network.vpcId,
          // EMR adds rules that reference the other groups; revoke them so destroy can finish.
          revokeRulesOnDelete: true,
          tags: { Name: `${e.name}-${g}`, ...EMR_MANAGED_TAG },
        }),
      ]),
    );

    const serviceRole = sec.roles.create(this, 'service', 'emr-service', {
      services: ['elasticmapreduce.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: EMR service role of ${e.name}`,
      managedPolicyArns: [`arn:${sec.partition}:iam::aws:policy/service-role/AmazonEMRServicePolicy_v2`],
      statements: [
        {
          Sid: 'PassTheInstanceRole',
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: instanceRole.arn,
          Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
        },
        {
          // The managed policy admits only tagged subnets; these are the pipeline's.
          Sid: 'LaunchInPrivateSubnets',
          Effect: 'Allow',
          Action: [
            'ec2:CreateFleet',
            'ec2:CreateLaunchTemplate',
            'ec2:CreateLaunchTemplateVersion',
            'ec2:CreateNetworkInterface',
            'ec2:RunInstances',
          ],
          Resource: ec2Arns(sec, 'subnet', network.privateSubnetIds),
        },
        keyUseStatement(sec, 'EncryptVolumesWithThePipelineKey'),
        {
          Sid: 'GrantEbsTheKey',
          Effect: 'Allow',
          Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
          Resource: sec.keyArn,
          Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
        },
      ],
    });

    const ebs = [{ size: c.ebsGiB, type: 'gp3', volumesPerInstance: 1 }];
    const typeConfigs = (types: readonly string[]) =>
      types.map((t) => ({ instanceType: t, weightedCapacity: 1, ebsConfig: ebs }));
    const onDemand = [{ allocationStrategy: 'lowest-price' }];
    const launch = (f: ResolvedEmrFleet) => ({
      onDemandSpecification: onDemand,
      ...(f.spotUnits > 0
        ? {
            spotSpecification: [
              {
                allocationStrategy: c.spotAllocation,
                timeoutAction: 'SWITCH_TO_ON_DEMAND',
                timeoutDurationMinutes: c.spotTimeoutMinutes,
              },
            ],
          }
        : {}),
    });
    const configurations = e.glueCatalog ? glueCatalogConfigurations(e.applications) : [];
    const additional = Fn.join(',', [...network.securityGroupIds]);
    this.cluster = new EmrCluster(this, 'Cluster', {
      name: e.name,
      releaseLabel: e.releaseLabel,
      applications: [...e.applications],
      serviceRole: serviceRole.arn,
      securityConfiguration: securityConfiguration.name,
      logUri: `s3://${logs.bucket}/${e.logPrefix}`,
      logEncryptionKmsKeyId: sec.keyArn,
      ec2Attributes: {
        subnetIds: [...network.privateSubnetIds],
        instanceProfile: profile.arn,
        emrManagedMasterSecurityGroup: groups.primary.id,
        emrManagedSlaveSecurityGroup: groups.core.id,
        serviceAccessSecurityGroup: groups['service-access'].id,
        // The workload groups give the nodes their egress (endpoints, S3) and node-to-node traffic.
        additionalMasterSecurityGroups: additional,
        additionalSlaveSecurityGroups: additional,
      },
      masterInstanceFleet: {
        name: 'primary',
        targetOnDemandCapacity: 1,
        instanceTypeConfigs: typeConfigs(c.primaryInstanceTypes),
        launchSpecifications: { onDemandSpecification: onDemand },
      },
      coreInstanceFleet: {
        name: 'core',
        targetOnDemandCapacity: c.core.onDemandUnits,
        targetSpotCapacity: c.core.spotUnits,
        instanceTypeConfigs: typeConfigs(c.core.instanceTypes),
        launchSpecifications: launch(c.core),
      },
      autoTerminationPolicy: { idleTimeout: c.idleTimeoutSeconds },
      keepJobFlowAliveWhenNoSteps: true,
      terminationProtection: false,
      unhealthyNodeReplacement: true,
      scaleDownBehavior: 'TERMINATE_AT_TASK_COMPLETION',
      ...(configurations.length > 0 ? { configurationsJson: JSON.stringify(configurations) } : {}),
      tags: { ...EMR_MANAGED_TAG },
      // Managed scaling moves the core capacity; Terraform must not fight it. A cluster's
      // subnets are fixed at creation (the provider would replace a running cluster): a new
      // availability zone is used by the next cluster (docs/architecture.md, "Day-2 stability").
      lifecycle: {
        ignoreChanges: [
          'core_instance_fleet[0].target_on_demand_capacity',
          'core_instance_fleet[0].target_spot_capacity',
          'ec2_attributes[0].subnet_ids',
        ],
      },
    });
    new EmrInstanceFleet(this, 'task', {
      clusterId: this.cluster.id,
      name: 'task',
      targetOnDemandCapacity: c.task.onDemandUnits,
      targetSpotCapacity: c.task.spotUnits,
      instanceTypeConfigs: typeConfigs(c.task.instanceTypes),
      launchSpecifications: launch(c.task),
      lifecycle: { ignoreChanges: ['target_on_demand_capacity', 'target_spot_capacity'] },
    });
    new EmrManagedScalingPolicy(this, 'Scaling', {
      clusterId: this.cluster.id,
      computeLimits: [
        {
          unitType: 'InstanceFleetUnits',
          minimumCapacityUnits: c.scaling.minUnits,
          maximumCapacityUnits: c.scaling.maxUnits,
          maximumOndemandCapacityUnits: c.scaling.maxOnDemandUnits,
          maximumCoreCapacityUnits: c.scaling.maxCoreUnits,
        },
      ],
    });
  }
}
