import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { TerraformResource, type ITerraformDependable } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import type { EksAddonName, ResolvedEksAddon } from '../../model/eks';
import type { PolicyStatement } from '../iam/policy';
import type { SecurityContext } from '../security-context';

/** The cluster's OIDC provider, for IRSA trust. */
export interface IrsaProvider {
  readonly providerArn: string;
  /** The issuer URL without `https://`. */
  readonly issuer: string;
}

/** What an add-on's own IAM role (IRSA) is: its service account and AWS managed policy. */
interface AddonIdentity {
  readonly serviceAccount: string;
  /** Managed policy name, below `arn:<partition>:iam::aws:policy/`. */
  readonly managedPolicy: string;
  readonly description: string;
}

/**
 * Add-ons that call AWS APIs get a role of their own, bound to their service account in
 * kube-system. The CNI policy sits here rather than on the node role (EKS best practice):
 * only the aws-node pods can assign IPs, not every pod on the node.
 */
export const ADDON_IDENTITIES: Readonly<Partial<Record<EksAddonName, AddonIdentity>>> = {
  'vpc-cni': {
    serviceAccount: 'aws-node',
    managedPolicy: 'AmazonEKS_CNI_Policy',
    description: 'assigns pod IPs (VPC CNI)',
  },
  'aws-ebs-csi-driver': {
    serviceAccount: 'ebs-csi-controller-sa',
    managedPolicy: 'service-role/AmazonEBSCSIDriverPolicy',
    description: 'creates and attaches EBS volumes (EBS CSI driver)',
  },
};

/**
 * DaemonSets the nodes need from their first minute: installed before the node groups (the
 * Pod Identity agent too, so a node serves credentials as soon as it joins); the
 * Deployments (coredns, the EBS CSI controller) after them.
 */
export const BEFORE_NODES: readonly EksAddonName[] = ['eks-pod-identity-agent', 'kube-proxy', 'vpc-cni'];

/**
 * The EBS CSI driver may encrypt volumes with the pipeline key (a StorageClass naming it):
 * use the key, and create grants only for AWS resources (EBS attaching the volume).
 */
export function ebsCsiKeyStatements(keyArn: string): PolicyStatement[] {
  return [
    {
      Sid: 'EncryptVolumesWithPipelineKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      Resource: keyArn,
    },
    {
      Sid: 'GrantsForEbsOnly',
      Effect: 'Allow',
      Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
      Resource: keyArn,
      Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
    },
  ];
}

/** Props of {@link EksCoreAddon}. */
export interface EksCoreAddonProps {
  readonly addon: ResolvedEksAddon;
  readonly clusterName: string;
  /** The spec name of the cluster: role names are `<pipeline>-<eks name>-<addon>`. */
  readonly eksName: string;
  readonly irsa: IrsaProvider;
  readonly security: SecurityContext;
  readonly dependsOn: readonly ITerraformDependable[];
}

/**
 * One EKS managed add-on, with its own IRSA role when it calls AWS. Conflicts resolve to
 * OVERWRITE on create and on update: EKS installs self-managed copies of vpc-cni, coredns
 * and kube-proxy with the cluster, which the managed add-on has to take over, and the
 * spec stays the source of truth afterwards (hand edits to managed fields are reverted).
 * Versions default to EKS's default for the cluster version unless the spec pins one.
 */
export class EksCoreAddon extends Construct {
  readonly resource: EksAddon;

  constructor(scope: Construct, id: string, props: EksCoreAddonProps) {
    super(scope, id);
    const { addon, security: sec } = props;
    const identity = ADDON_IDENTITIES[addon.name];
    const role = identity
      ? sec.roles.create(this, 'Role', `${props.eksName}-${addon.name}`, {
          services: [],
          federated: {
            providerArn: props.irsa.providerArn,
            issuer: props.irsa.issuer,
            subject: `system:serviceaccount:kube-system:${identity.serviceAccount}`,
          },
          description: `pipeform ${sec.pipeline}: ${identity.description} in EKS cluster ${props.clusterName}`,
          statements: addon.name === 'aws-ebs-csi-driver' ? ebsCsiKeyStatements(sec.keyArn) : [],
          managedPolicyArns: [`arn:${sec.partition}:iam::aws:policy/${identity.managedPolicy}`],
        })
      : undefined;
    // The role's policies are attached before the add-on starts using it.
    const dependsOn = [...props.dependsOn, ...(role ? terraformChildren(role.node.scope) : [])];
    this.resource = new EksAddon(this, 'Resource', {
      clusterName: props.clusterName,
      addonName: addon.name,
      ...(addon.version !== undefined ? { addonVersion: addon.version } : {}),
      ...(role ? { serviceAccountRoleArn: role.arn } : {}),
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
    });
  }
}

/** The Terraform resources directly under a construct (a role and its policy attachments). */
export function terraformChildren(scope: IConstruct | undefined): ITerraformDependable[] {
  return (scope?.node.children ?? []).filter((c) => TerraformResource.isTerraformResource(c));
}
