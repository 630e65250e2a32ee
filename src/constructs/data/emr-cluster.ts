import type { EmrClusterConfig } from '@cdktf/provider-aws/lib/emr-cluster';
import type { EmrInstanceFleetConfig } from '@cdktf/provider-aws/lib/emr-instance-fleet';
import type { EmrManagedScalingPolicyConfig } from '@cdktf/provider-aws/lib/emr-managed-scaling-policy';
import { Fn } from 'cdktf';
import type { ResolvedEmr, ResolvedEmrCluster, ResolvedEmrFleet } from '../../model/data';

/**
 * One source of truth for every EMR cluster pipeform asks for. The definition is built once,
 * in the shape of the EMR RunJobFlow request: the Step Functions workflow sends it as the
 * Parameters of `createCluster.sync` (which "uses the same request syntax as runJobFlow",
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr.html), and the long-lived
 * interactive cluster is its translation into `aws_emr_cluster` + the task fleet + the
 * managed scaling policy. Nothing about a cluster is decided anywhere else, so the two
 * cannot drift (test/emr-day1.test.ts compares them field by field in the output).
 */

/**
 * RunJobFlow fields a per-run cluster is created without. Step Functions validates the
 * Parameters of its optimized `createCluster` integration against a schema of its own and
 * refuses a definition with a field it does not know ("SCHEMA_VALIDATION_FAILED: The field
 * ... is not supported by Step Functions", https://github.com/aws/aws-cdk/issues/17452);
 * the AWS CDK's EmrCreateCluster task, which follows that schema, sends neither of these.
 * A definition refused there would fail the first apply, so only the interactive cluster
 * sets them. Their effect on a per-run cluster: its logs land in the logs bucket, whose
 * default encryption is SSE-KMS with the same pipeline key, and EMR's default applies to
 * unhealthy-node replacement on a cluster that lives for one run.
 */
export const NOT_IN_CREATE_CLUSTER = ['LogEncryptionKmsKeyId', 'Instances.UnhealthyNodeReplacement'] as const;

/** The tag AmazonEMRServicePolicy_v2 requires on the network resources EMR may use. */
export const EMR_MANAGED_TAG = { 'for-use-with-amazon-emr-managed-policies': 'true' };

/** An EBS volume on every instance of a fleet. */
export interface RunJobFlowEbs {
  readonly EbsBlockDeviceConfigs: readonly {
    readonly VolumeSpecification: { readonly SizeInGB: number; readonly VolumeType: 'gp3' };
    readonly VolumesPerInstance: number;
  }[];
}

/** One instance fleet of the request. */
export interface RunJobFlowFleet {
  readonly Name: string;
  readonly InstanceFleetType: 'MASTER' | 'CORE' | 'TASK';
  readonly TargetOnDemandCapacity: number;
  /** Omitted for the primary fleet (always one on-demand node). */
  readonly TargetSpotCapacity?: number;
  readonly InstanceTypeConfigs: readonly {
    readonly InstanceType: string;
    readonly WeightedCapacity: number;
    readonly EbsConfiguration: RunJobFlowEbs;
  }[];
  readonly LaunchSpecifications: {
    readonly OnDemandSpecification: { readonly AllocationStrategy: 'lowest-price' };
    readonly SpotSpecification?: {
      readonly AllocationStrategy: string;
      readonly TimeoutAction: 'SWITCH_TO_ON_DEMAND';
      readonly TimeoutDurationMinutes: number;
    };
  };
}

/** The RunJobFlow request of a cluster built from `data.emr.cluster` (EMR API field names). */
export interface RunJobFlowRequest {
  readonly Name: string;
  readonly ReleaseLabel: string;
  readonly Applications: readonly { readonly Name: string }[];
  readonly ServiceRole: string;
  readonly JobFlowRole: string;
  readonly SecurityConfiguration: string;
  readonly LogUri: string;
  readonly LogEncryptionKmsKeyId: string;
  readonly Instances: {
    readonly Ec2SubnetIds: readonly string[];
    readonly EmrManagedMasterSecurityGroup: string;
    readonly EmrManagedSlaveSecurityGroup: string;
    readonly ServiceAccessSecurityGroup: string;
    readonly AdditionalMasterSecurityGroups: readonly string[];
    readonly AdditionalSlaveSecurityGroups: readonly string[];
    /** Steps are added after the cluster is up, so it must wait for them. */
    readonly KeepJobFlowAliveWhenNoSteps: true;
    readonly TerminationProtected: false;
    readonly UnhealthyNodeReplacement: true;
    readonly InstanceFleets: readonly RunJobFlowFleet[];
  };
  readonly ManagedScalingPolicy: {
    readonly ComputeLimits: {
      readonly UnitType: 'InstanceFleetUnits';
      readonly MinimumCapacityUnits: number;
      readonly MaximumCapacityUnits: number;
      readonly MaximumOnDemandCapacityUnits: number;
      readonly MaximumCoreCapacityUnits: number;
    };
  };
  readonly AutoTerminationPolicy: { readonly IdleTimeout: number };
  readonly ScaleDownBehavior: 'TERMINATE_AT_TASK_COMPLETION';
  /** Absent when no engine uses the Glue Data Catalog. */
  readonly Configurations?: readonly object[];
  readonly Tags: readonly { readonly Key: string; readonly Value: string }[];
}

/** What a cluster runs with besides its definition: the roles, groups, subnets and key of the configuration. */
export interface EmrClusterInputs {
  readonly emr: ResolvedEmr;
  readonly cluster: ResolvedEmrCluster;
  readonly serviceRoleArn: string;
  readonly instanceProfileArn: string;
  readonly securityConfigurationName: string;
  readonly logUri: string;
  readonly keyArn: string;
  readonly subnetIds: readonly string[];
  readonly managedGroups: { readonly primary: string; readonly core: string; readonly serviceAccess: string };
  /** The workload groups: egress to the endpoints and S3, traffic between workloads. */
  readonly additionalGroupIds: readonly string[];
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

/** The cluster definition as a RunJobFlow request. Pure: the same inputs give the same request. */
export function emrClusterRequest(i: EmrClusterInputs): RunJobFlowRequest {
  const { emr: e, cluster: c } = i;
  const ebs: RunJobFlowEbs = {
    EbsBlockDeviceConfigs: [
      { VolumeSpecification: { SizeInGB: c.ebsGiB, VolumeType: 'gp3' }, VolumesPerInstance: 1 },
    ],
  };
  const types = (list: readonly string[]) =>
    list.map((t) => ({ InstanceType: t, WeightedCapacity: 1, EbsConfiguration: ebs }));
  const onDemand = { AllocationStrategy: 'lowest-price' as const };
  const fleet = (name: string, type: 'CORE' | 'TASK', f: ResolvedEmrFleet): RunJobFlowFleet => ({
    Name: name,
    InstanceFleetType: type,
    TargetOnDemandCapacity: f.onDemandUnits,
    TargetSpotCapacity: f.spotUnits,
    InstanceTypeConfigs: types(f.instanceTypes),
    LaunchSpecifications: {
      OnDemandSpecification: onDemand,
      ...(f.spotUnits > 0
        ? {
            SpotSpecification: {
              AllocationStrategy: c.spotAllocation,
              TimeoutAction: 'SWITCH_TO_ON_DEMAND' as const,
              TimeoutDurationMinutes: c.spotTimeoutMinutes,
            },
          }
        : {}),
    },
  });
  const configurations = e.glueCatalog ? glueCatalogConfigurations(e.applications) : [];
  return {
    Name: e.name,
    ReleaseLabel: e.releaseLabel,
    Applications: e.applications.map((Name) => ({ Name })),
    ServiceRole: i.serviceRoleArn,
    JobFlowRole: i.instanceProfileArn,
    SecurityConfiguration: i.securityConfigurationName,
    LogUri: i.logUri,
    LogEncryptionKmsKeyId: i.keyArn,
    Instances: {
      Ec2SubnetIds: [...i.subnetIds],
      EmrManagedMasterSecurityGroup: i.managedGroups.primary,
      EmrManagedSlaveSecurityGroup: i.managedGroups.core,
      ServiceAccessSecurityGroup: i.managedGroups.serviceAccess,
      AdditionalMasterSecurityGroups: [...i.additionalGroupIds],
      AdditionalSlaveSecurityGroups: [...i.additionalGroupIds],
      KeepJobFlowAliveWhenNoSteps: true,
      TerminationProtected: false,
      UnhealthyNodeReplacement: true,
      InstanceFleets: [
        {
          Name: 'primary',
          InstanceFleetType: 'MASTER',
          TargetOnDemandCapacity: 1,
          InstanceTypeConfigs: types(c.primaryInstanceTypes),
          LaunchSpecifications: { OnDemandSpecification: onDemand },
        },
        fleet('core', 'CORE', c.core),
        fleet('task', 'TASK', c.task),
      ],
    },
    ManagedScalingPolicy: {
      ComputeLimits: {
        UnitType: 'InstanceFleetUnits',
        MinimumCapacityUnits: c.scaling.minUnits,
        MaximumCapacityUnits: c.scaling.maxUnits,
        MaximumOnDemandCapacityUnits: c.scaling.maxOnDemandUnits,
        MaximumCoreCapacityUnits: c.scaling.maxCoreUnits,
      },
    },
    AutoTerminationPolicy: { IdleTimeout: c.idleTimeoutSeconds },
    ScaleDownBehavior: 'TERMINATE_AT_TASK_COMPLETION',
    ...(configurations.length > 0 ? { Configurations: configurations } : {}),
    // EMR propagates cluster tags to its instances and volumes, which the managed policy
    // only lets it create with this tag (aws:RequestTag in CreateEMRTaggedInstancesAndVolumes).
    Tags: Object.entries(EMR_MANAGED_TAG).map(([Key, Value]) => ({ Key, Value })),
  };
}

/** The Terraform shape of one fleet (`*_instance_fleet` blocks and `aws_emr_instance_fleet`). */
function fleetConfig(f: RunJobFlowFleet) {
  const spot = f.LaunchSpecifications.SpotSpecification;
  return {
    name: f.Name,
    targetOnDemandCapacity: f.TargetOnDemandCapacity,
    ...(f.TargetSpotCapacity !== undefined ? { targetSpotCapacity: f.TargetSpotCapacity } : {}),
    instanceTypeConfigs: f.InstanceTypeConfigs.map((t) => ({
      instanceType: t.InstanceType,
      weightedCapacity: t.WeightedCapacity,
      ebsConfig: t.EbsConfiguration.EbsBlockDeviceConfigs.map((d) => ({
        size: d.VolumeSpecification.SizeInGB,
        type: d.VolumeSpecification.VolumeType,
        volumesPerInstance: d.VolumesPerInstance,
      })),
    })),
    launchSpecifications: {
      onDemandSpecification: [
        { allocationStrategy: f.LaunchSpecifications.OnDemandSpecification.AllocationStrategy },
      ],
      ...(spot
        ? {
            spotSpecification: [
              {
                allocationStrategy: spot.AllocationStrategy,
                timeoutAction: spot.TimeoutAction,
                timeoutDurationMinutes: spot.TimeoutDurationMinutes,
              },
            ],
          }
        : {}),
    },
  };
}

/** The fleet of a type; the request always has all three. */
function fleetOf(r: RunJobFlowRequest, type: RunJobFlowFleet['InstanceFleetType']): RunJobFlowFleet {
  const f = r.Instances.InstanceFleets.find((x) => x.InstanceFleetType === type);
  if (f === undefined) throw new Error(`internal: the EMR request has no ${type} fleet`);
  return f;
}

/**
 * The request as Terraform resources: the cluster (primary and core fleets inline), the
 * task fleet and the managed scaling policy, which the provider keeps as resources of their own.
 */
export function emrClusterResources(r: RunJobFlowRequest): {
  readonly cluster: Omit<EmrClusterConfig, 'lifecycle'>;
  readonly taskFleet: Omit<EmrInstanceFleetConfig, 'clusterId' | 'lifecycle'>;
  readonly scaling: Omit<EmrManagedScalingPolicyConfig, 'clusterId'>;
} {
  const inst = r.Instances;
  const limits = r.ManagedScalingPolicy.ComputeLimits;
  return {
    cluster: {
      name: r.Name,
      releaseLabel: r.ReleaseLabel,
      applications: r.Applications.map((a) => a.Name),
      serviceRole: r.ServiceRole,
      securityConfiguration: r.SecurityConfiguration,
      logUri: r.LogUri,
      logEncryptionKmsKeyId: r.LogEncryptionKmsKeyId,
      ec2Attributes: {
        subnetIds: [...inst.Ec2SubnetIds],
        instanceProfile: r.JobFlowRole,
        emrManagedMasterSecurityGroup: inst.EmrManagedMasterSecurityGroup,
        emrManagedSlaveSecurityGroup: inst.EmrManagedSlaveSecurityGroup,
        serviceAccessSecurityGroup: inst.ServiceAccessSecurityGroup,
        // The provider takes the additional groups as one comma-separated string.
        additionalMasterSecurityGroups: Fn.join(',', [...inst.AdditionalMasterSecurityGroups]),
        additionalSlaveSecurityGroups: Fn.join(',', [...inst.AdditionalSlaveSecurityGroups]),
      },
      masterInstanceFleet: fleetConfig(fleetOf(r, 'MASTER')),
      coreInstanceFleet: fleetConfig(fleetOf(r, 'CORE')),
      autoTerminationPolicy: { idleTimeout: r.AutoTerminationPolicy.IdleTimeout },
      keepJobFlowAliveWhenNoSteps: inst.KeepJobFlowAliveWhenNoSteps,
      terminationProtection: inst.TerminationProtected,
      unhealthyNodeReplacement: inst.UnhealthyNodeReplacement,
      scaleDownBehavior: r.ScaleDownBehavior,
      ...(r.Configurations ? { configurationsJson: JSON.stringify(r.Configurations) } : {}),
      tags: Object.fromEntries(r.Tags.map((t) => [t.Key, t.Value])),
    },
    taskFleet: fleetConfig(fleetOf(r, 'TASK')),
    scaling: {
      computeLimits: [
        {
          unitType: limits.UnitType,
          minimumCapacityUnits: limits.MinimumCapacityUnits,
          maximumCapacityUnits: limits.MaximumCapacityUnits,
          maximumOndemandCapacityUnits: limits.MaximumOnDemandCapacityUnits,
          maximumCoreCapacityUnits: limits.MaximumCoreCapacityUnits,
        },
      ],
    },
  };
}
