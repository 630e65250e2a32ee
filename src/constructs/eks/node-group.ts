import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import {
  LaunchTemplate,
  type LaunchTemplateNetworkInterfaces,
} from '@cdktf/provider-aws/lib/launch-template';
import { PlacementGroup } from '@cdktf/provider-aws/lib/placement-group';
import { Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { ResolvedEksNodeGroup } from '../../model/eks';
import type { NetworkContext } from '../security-context';

/** Root device of the EKS-optimized AL2 and AL2023 AMIs. */
export const ROOT_DEVICE = '/dev/xvda';

/** Props of {@link EksTrainingNodeGroup}. */
export interface EksTrainingNodeGroupProps {
  readonly group: ResolvedEksNodeGroup;
  readonly clusterName: string;
  /** The cluster's Kubernetes version: node groups follow cluster upgrades. */
  readonly version: string;
  readonly nodeRoleArn: string;
  readonly network: NetworkContext;
  readonly keyArn: string;
  /** What must exist before nodes launch: node role policies, the CNI, the key grant. */
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * The launch template's network interfaces for EFA: one EFA interface per network card,
 * device index 0 on card 0 and 1 on the others (EC2's layout for multi-card instances).
 * Security groups sit on the interfaces, as a template with interfaces cannot name them
 * at the top level. Exported for tests.
 */
export function efaInterfaces(
  count: number,
  securityGroupIds: readonly string[],
): LaunchTemplateNetworkInterfaces[] {
  return Array.from({ length: count }, (_, card) => ({
    deviceIndex: card === 0 ? 0 : 1,
    networkCardIndex: card,
    interfaceType: 'efa',
    securityGroups: [...securityGroupIds],
    deleteOnTermination: 'true',
  }));
}

/** The first subnet: EFA and cluster placement keep a node group in one subnet. */
function firstSubnet(ids: readonly string[]): string {
  return ids[0];
}

/**
 * One managed node group with its launch template: IMDSv2 only (hop limit from the spec,
 * 1 by default so pods cannot take the node role's credentials), an encrypted gp3 root
 * volume with the pipeline key, the workload security group, and for EFA groups the EFA
 * interfaces and a cluster placement group. EFA and placement groups keep a group in one
 * subnet (EFA's OS-bypass traffic does not cross subnets; a cluster placement group lives
 * in one AZ), the first private subnet; other groups span all private subnets.
 */
export class EksTrainingNodeGroup extends Construct {
  readonly resource: EksNodeGroup;

  constructor(scope: Construct, id: string, props: EksTrainingNodeGroupProps) {
    super(scope, id);
    const { group: g, network } = props;
    const placement = g.placementGroupName
      ? new PlacementGroup(this, 'PlacementGroup', {
          name: g.placementGroupName,
          strategy: 'cluster',
          tags: { Name: g.placementGroupName },
        })
      : undefined;
    const efa = g.efaInterfaces > 0;
    const template = new LaunchTemplate(this, 'LaunchTemplate', {
      name: g.launchTemplateName,
      description: `pipeform: nodes of EKS node group ${g.nodeGroupName}`,
      // The node group pins the version it uses; the default just tracks the latest.
      updateDefaultVersion: true,
      blockDeviceMappings: [
        {
          deviceName: ROOT_DEVICE,
          ebs: {
            volumeSize: g.diskSizeGiB,
            volumeType: 'gp3',
            encrypted: 'true',
            kmsKeyId: props.keyArn,
            deleteOnTermination: 'true',
          },
        },
      ],
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: g.imdsHopLimit,
        instanceMetadataTags: 'disabled',
      },
      ...(efa
        ? { networkInterfaces: efaInterfaces(g.efaInterfaces, network.securityGroupIds) }
        : { vpcSecurityGroupIds: [...network.securityGroupIds] }),
      ...(placement ? { placement: { groupName: placement.name } } : {}),
      tagSpecifications: ['instance', 'volume', 'network-interface'].map((resourceType) => ({
        resourceType,
        tags: { Name: g.nodeGroupName },
      })),
    });
    const oneSubnet = efa || placement !== undefined;
    this.resource = new EksNodeGroup(this, 'Resource', {
      clusterName: props.clusterName,
      nodeGroupName: g.nodeGroupName,
      version: props.version,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: oneSubnet ? [firstSubnet(network.privateSubnetIds)] : [...network.privateSubnetIds],
      instanceTypes: [...g.instanceTypes],
      capacityType: g.capacityType,
      amiType: g.amiType,
      // Disk size and remote access live in the launch template; EKS refuses both here.
      launchTemplate: { id: template.id, version: Token.asString(template.latestVersion) },
      scalingConfig: {
        minSize: g.scaling.minSize,
        desiredSize: g.scaling.desiredSize,
        maxSize: g.scaling.maxSize,
      },
      labels: { ...g.labels },
      taint: g.taints.map((t) => ({
        key: t.key,
        effect: t.effect,
        ...(t.value !== undefined ? { value: t.value } : {}),
      })),
      nodeRepairConfig: { enabled: g.autoRepair },
      // The cluster autoscaler (or a person) moves the desired size; Terraform only sets it at creation.
      // EKS cannot change a node group's subnets (the provider replaces the group, draining every
      // node): a group keeps the zones it was created in, and one created later gets every zone
      // (docs/architecture.md, "Day-2 stability").
      lifecycle: { ignoreChanges: ['scaling_config[0].desired_size', 'subnet_ids'] },
      dependsOn: [...props.dependsOn],
    });
  }
}
