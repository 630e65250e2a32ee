import { EmrBlockPublicAccessConfiguration } from '@cdktf/provider-aws/lib/emr-block-public-access-configuration';
import { EmrCluster } from '@cdktf/provider-aws/lib/emr-cluster';
import { EmrInstanceFleet } from '@cdktf/provider-aws/lib/emr-instance-fleet';
import { EmrManagedScalingPolicy } from '@cdktf/provider-aws/lib/emr-managed-scaling-policy';
import { EmrSecurityConfiguration } from '@cdktf/provider-aws/lib/emr-security-configuration';
import { EmrserverlessApplication } from '@cdktf/provider-aws/lib/emrserverless-application';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Construct } from 'constructs';
import type { ResolvedCodeLocation } from '../../model/assets';
import type { ResolvedEmr, ResolvedEmrCluster } from '../../model/data';
import { AssetUploads } from '../assets';
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
import {
  EMR_MANAGED_TAG,
  emrClusterRequest,
  emrClusterResources,
  type RunJobFlowRequest,
} from './emr-cluster';

/** Props of {@link EmrArea}. */
export interface EmrAreaProps {
  readonly emr: ResolvedEmr;
  readonly security: SecurityContext;
  readonly buckets: LakeBuckets;
  /** Catalog names of the pipeline's Glue databases (the metastore EMR may use). */
  readonly catalogDatabases: readonly string[];
  /** Scripts the workflow's EMR steps run: the instance or job role may read them. */
  readonly stepScripts: readonly ResolvedCodeLocation[];
}

/**
 * The EMR security configuration: at rest S3 SSE-KMS and local disks plus EBS with the
 * pipeline key; in transit TLS from a PEM zip; IMDSv2 only on every node.
 */
export function emrSecurityConfiguration(
  c: ResolvedEmrCluster,
  keyArn: string,
  /** `s3://` URI of the certificate zip (the upload's, so the configuration waits for it). */
  certificatesUri: string | undefined,
): object {
  const certs = c.tlsCertificates && certificatesUri;
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
                S3Object: certs,
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

/** The roles a workflow passes when it creates a cluster for a run. */
export interface EmrClusterRoles {
  readonly serviceRoleArn: string;
  readonly instanceRoleArn: string;
}

/**
 * Amazon EMR. Cluster mode: the cluster definition every cluster is built from (instance
 * fleets mixing on-demand and spot, managed scaling, auto-termination when idle, logs
 * (encrypted) in the logs bucket, private subnets with EMR-managed security groups, a
 * security configuration), block public access, a service role and an instance profile of
 * their own; the long-lived interactive cluster when the spec asks for one. Serverless mode:
 * an application with auto start/stop and a capacity cap, plus the role its job runs use.
 */
export class EmrArea extends Construct {
  /** The long-lived interactive cluster; undefined unless `cluster.interactive`. */
  readonly cluster?: EmrCluster;
  /** The cluster definition as a RunJobFlow request: what the workflow creates for each run. */
  readonly clusterRequest?: RunJobFlowRequest;
  /** The roles in the request, for the workflow's iam:PassRole. */
  readonly clusterRoles?: EmrClusterRoles;
  readonly application?: EmrserverlessApplication;
  /** Role of serverless job runs (Step Functions passes it to StartJobRun). */
  readonly jobRoleArn?: string;
  /** Prefix in the logs bucket where cluster and job logs go. */
  readonly logPrefix: string;
  /** `s3://` URI of the TLS certificate zip, when in-transit encryption is on. */
  readonly tlsCertificatesUri?: string;

  constructor(scope: Construct, id: string, props: EmrAreaProps) {
    super(scope, id);
    const { emr: e, security: sec, buckets } = props;
    this.logPrefix = e.logPrefix;
    const logs = lakeBucket(buckets, 'logs');
    const uploads = AssetUploads.of(this);
    const certificates = e.cluster?.tlsCertificates ? uploads.locate(e.cluster.tlsCertificates) : undefined;
    const readObjects = [
      ...props.stepScripts.map((s) => uploads.locate(s).arn),
      ...(certificates ? [certificates.arn] : []),
    ];
    this.tlsCertificatesUri = certificates?.uri;
    const dataStatements = (purpose: string): PolicyStatement[] => [
      ...(readObjects.length > 0 ? [s3ObjectReadStatement(purpose, readObjects)] : []),
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
      configuration: JSON.stringify(emrSecurityConfiguration(c, sec.keyArn, this.tlsCertificatesUri)),
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
          // AmazonEMRServicePolicy_v2 lets EMR launch into subnets and security groups only
          // when they carry for-use-with-amazon-emr-managed-policies=true
          // (CreateInTaggedNetwork, https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEMRServicePolicy_v2.html).
          // The EMR-managed groups below are tagged; the subnets and the workload groups are
          // shared with other workloads (or belong to an existing network), and tagging them
          // would let every EMR cluster in the account launch into them and edit their rules
          // (ManageSecurityGroups). This statement admits exactly them, for this role only.
          // CreateLaunchTemplate* is absent on purpose: those actions authorize only the
          // launch-template resource, never a subnet or group (EC2 service authorization
          // reference; the managed policy grants them on EMR-tagged templates).
          Sid: 'LaunchIntoThePipelineNetwork',
          Effect: 'Allow',
          Action: ['ec2:CreateFleet', 'ec2:CreateNetworkInterface', 'ec2:RunInstances'],
          Resource: [
            ...ec2Arns(sec, 'subnet', network.privateSubnetIds),
            ...ec2Arns(sec, 'security-group', network.securityGroupIds),
          ],
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

    this.clusterRoles = { serviceRoleArn: serviceRole.arn, instanceRoleArn: instanceRole.arn };
    this.clusterRequest = emrClusterRequest({
      emr: e,
      cluster: c,
      serviceRoleArn: serviceRole.arn,
      instanceProfileArn: profile.arn,
      securityConfigurationName: securityConfiguration.name,
      logUri: `s3://${logs.bucket}/${e.logPrefix}`,
      keyArn: sec.keyArn,
      subnetIds: network.privateSubnetIds,
      managedGroups: {
        primary: groups.primary.id,
        core: groups.core.id,
        serviceAccess: groups['service-access'].id,
      },
      additionalGroupIds: network.securityGroupIds,
    });
    if (!c.interactive) return;

    // The interactive cluster: the same definition, kept by Terraform.
    const resources = emrClusterResources(this.clusterRequest);
    this.cluster = new EmrCluster(this, 'Cluster', {
      ...resources.cluster,
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
      ...resources.taskFleet,
      clusterId: this.cluster.id,
      lifecycle: { ignoreChanges: ['target_on_demand_capacity', 'target_spot_capacity'] },
    });
    new EmrManagedScalingPolicy(this, 'Scaling', { ...resources.scaling, clusterId: this.cluster.id });
  }
}
