import { createHash } from 'node:crypto';
import { AutoscalingGroupTagA } from '@cdktf/provider-aws/lib/autoscaling-group-tag';
import type { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Construct } from 'constructs';
import type { ResolvedEks, ResolvedEksJob, ResolvedEksNodeGroup } from '../../model/eks';
import { keyUseStatement, s3ReadStatements, s3WriteStatements, type LakeBuckets } from '../data/access';
import type { PolicyStatement } from '../iam/policy';
import type { SecurityContext } from '../security-context';
import { AUTOSCALER_SERVICE_ACCOUNT, kubernetesEffect, nodeTemplateLabels } from './kubernetes';

/** The ARN of an EKS cluster by name (known before the cluster exists). */
export function clusterArn(sec: SecurityContext, clusterName: string): string {
  return `arn:${sec.partition}:eks:${sec.region}:${sec.account}:cluster/${clusterName}`;
}

/** Props of {@link PodIdentityRole}. */
export interface PodIdentityRoleProps {
  readonly eks: ResolvedEks;
  readonly security: SecurityContext;
  /** Role component name: the role is `<pipeline>-<component>`. */
  readonly component: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly description: string;
  readonly statements: readonly PolicyStatement[];
  /** The cluster resource (the association names it, so it follows the cluster). */
  readonly clusterName: string;
}

/**
 * An IAM role for one Kubernetes service account through EKS Pod Identity: a trust
 * policy that admits only EKS Pod Identity acting for this cluster, namespace and service
 * account (the session tags it sets), and the association that hands the role to that
 * service account's pods. The eks-pod-identity-agent add-on on every node serves the
 * credentials; SDKs pick them up from the variables EKS injects into the pods.
 */
export class PodIdentityRole extends Construct {
  readonly role: IamRole;
  readonly association: EksPodIdentityAssociation;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id);
    const sec = props.security;
    this.role = sec.roles.create(this, 'Role', props.component, {
      services: [],
      podIdentity: {
        clusterArn: clusterArn(sec, props.eks.clusterName),
        namespace: props.namespace,
        serviceAccount: props.serviceAccount,
      },
      description: props.description,
      statements: props.statements,
    });
    this.association = new EksPodIdentityAssociation(this, 'Association', {
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      roleArn: this.role.arn,
    });
  }
}

/**
 * What a training job may do: read its data, read and write its own checkpoint and model
 * prefixes (reading them is how a restart resumes) and its other writes, and use the
 * pipeline key for the SSE-KMS objects. Nothing else: no other prefix, no listing of
 * other buckets, no AWS API beyond S3 and KMS.
 */
export function jobStatements(
  job: ResolvedEksJob,
  buckets: LakeBuckets,
  sec: SecurityContext,
): PolicyStatement[] {
  const owned = [job.checkpoints, job.model, ...job.writes];
  return [
    ...s3ReadStatements('Read', buckets, [...job.reads, ...owned]),
    ...s3WriteStatements('Write', buckets, owned),
    keyUseStatement(sec),
  ];
}

/**
 * The cluster autoscaler's permissions, after the upstream AWS README's policy: describe
 * calls (which take no resource), scaling and terminating only the Auto Scaling groups of
 * this cluster's node groups, and reading those node groups' labels and taints.
 */
export function autoscalerStatements(
  sec: SecurityContext,
  eks: ResolvedEks,
  autoScalingGroupNames: readonly string[],
): PolicyStatement[] {
  const asgArn = `${sec.partition}:autoscaling:${sec.region}:${sec.account}`;
  return [
    {
      Sid: 'DescribeScalingState',
      Effect: 'Allow',
      Action: [
        'autoscaling:DescribeAutoScalingGroups',
        'autoscaling:DescribeAutoScalingInstances',
        'autoscaling:DescribeLaunchConfigurations',
        'autoscaling:DescribeScalingActivities',
        'ec2:DescribeImages',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplateVersions',
        'ec2:GetInstanceTypesFromInstanceRequirements',
      ],
      Resource: '*',
    },
    {
      Sid: 'ScaleTheClusterNodeGroups',
      Effect: 'Allow',
      Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
      Resource: autoScalingGroupNames.map(
        (n) => `arn:${asgArn}:autoScalingGroup:*:autoScalingGroupName/${n}`,
      ),
    },
    {
      Sid: 'ReadTheClusterNodeGroups',
      Effect: 'Allow',
      Action: 'eks:DescribeNodegroup',
      Resource: eks.nodeGroups.map(
        (g) =>
          `arn:${sec.partition}:eks:${sec.region}:${sec.account}:nodegroup/${eks.clusterName}/${g.nodeGroupName}/*`,
      ),
    },
  ];
}

/** The node template of a group as the autoscaler reads it from its Auto Scaling group's tags. */
export function nodeTemplateTags(g: ResolvedEksNodeGroup): Record<string, string> {
  const prefix = 'k8s.io/cluster-autoscaler/node-template';
  return {
    ...Object.fromEntries(Object.entries(nodeTemplateLabels(g)).map(([k, v]) => [`${prefix}/label/${k}`, v])),
    ...Object.fromEntries(
      g.taints.map((t) => [`${prefix}/taint/${t.key}`, `${t.value ?? ''}:${kubernetesEffect(t.effect)}`]),
    ),
    ...(g.offers.gpus > 0 ? { [`${prefix}/resources/nvidia.com/gpu`]: String(g.offers.gpus) } : {}),
    ...(g.efaInterfaces > 0
      ? { [`${prefix}/resources/vpc.amazonaws.com/efa`]: String(g.efaInterfaces) }
      : {}),
  };
}

/** A construct id per tag key (`label-workload`), unique in the group even where slugs meet. */
function tagIds(keys: readonly string[]): Map<string, string> {
  const ids = new Map<string, string>();
  const taken = new Set<string>();
  for (const key of [...keys].sort()) {
    const kind = key.split('/')[3];
    const rest = key.split('/').slice(4).join('/');
    let id = `autoscaler-${kind}-${rest.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
    if (taken.has(id)) id += `-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
    taken.add(id);
    ids.set(key, id);
  }
  return ids;
}

/**
 * Tags the Auto Scaling group behind a managed node group with its node template, so the
 * cluster autoscaler can scale it up from zero nodes: it has no node to copy labels,
 * taints and extended resources (GPUs, EFA devices) from, and EKS does not put a managed
 * node group's labels and taints on its Auto Scaling group. Tags do not propagate to the
 * instances (the kubelet gets the labels and taints from EKS).
 */
export function tagForAutoscaler(scope: Construct, g: ResolvedEksNodeGroup, nodeGroup: EksNodeGroup): void {
  const tags = nodeTemplateTags(g);
  const ids = tagIds(Object.keys(tags));
  const asg = nodeGroup.resources.get(0).autoscalingGroups.get(0).name;
  for (const [key, value] of Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : 1))) {
    new AutoscalingGroupTagA(scope, ids.get(key) ?? key, {
      autoscalingGroupName: asg,
      tag: { key, value, propagateAtLaunch: false },
    });
  }
}

/** The autoscaler's Pod Identity role, scoped to these node groups' Auto Scaling groups. */
export function autoscalerRole(
  scope: Construct,
  eks: ResolvedEks,
  sec: SecurityContext,
  clusterName: string,
  nodeGroups: readonly EksNodeGroup[],
): PodIdentityRole {
  return new PodIdentityRole(scope, 'cluster-autoscaler', {
    eks,
    security: sec,
    component: eks.autoscaler.roleComponent,
    namespace: 'kube-system',
    serviceAccount: AUTOSCALER_SERVICE_ACCOUNT,
    description: `pipeform ${sec.pipeline}: cluster autoscaler of EKS cluster ${eks.clusterName}`,
    statements: autoscalerStatements(
      sec,
      eks,
      nodeGroups.map((ng) => ng.resources.get(0).autoscalingGroups.get(0).name),
    ),
    clusterName,
  });
}
