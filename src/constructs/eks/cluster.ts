import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { KmsGrant } from '@cdktf/provider-aws/lib/kms-grant';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Fn, TerraformLocal, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { ResolvedEks } from '../../model/eks';
import type { LakeBuckets } from '../data/access';
import { StackFiles } from '../files';
import type { PolicyStatement } from '../iam/policy';
import { encryptedLogGroup } from '../logs';
import type { NetworkContext, SecurityContext } from '../security-context';
import { BEFORE_NODES, EksCoreAddon, terraformChildren } from './addons';
import { clusterManifests } from './kubernetes';
import { EksTrainingNodeGroup } from './node-group';
import { autoscalerRole, jobStatements, PodIdentityRole, tagForAutoscaler } from './workloads';
import type { StackOutput } from '../outputs';

/** The access policy every spec admin gets, on the whole cluster. */
export const CLUSTER_ADMIN_POLICY = 'AmazonEKSClusterAdminPolicy';

/** Operations the Auto Scaling service-linked role needs to launch nodes with key-encrypted volumes. */
export const AUTOSCALING_KEY_OPERATIONS = [
  'CreateGrant',
  'Decrypt',
  'DescribeKey',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyWithoutPlaintext',
  'ReEncryptFrom',
  'ReEncryptTo',
];

/** The cluster role may use the pipeline key for envelope encryption of Kubernetes secrets. */
export function clusterKeyStatements(keyArn: string): PolicyStatement[] {
  return [
    {
      Sid: 'EncryptSecretsWithPipelineKey',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ListGrants'],
      Resource: keyArn,
    },
  ];
}

/** Props of {@link EksTrainingCluster}. */
export interface EksTrainingClusterProps {
  readonly eks: ResolvedEks;
  readonly security: SecurityContext;
  /** The data lake's buckets: the jobs' roles are scoped to prefixes in them. */
  readonly buckets: LakeBuckets;
}

/**
 * The EKS GPU training cluster. Control plane: private endpoint (public only with CIDRs),
 * Kubernetes secrets encrypted with the pipeline key, every log type into the log group
 * EKS writes to (created first, encrypted, with the pipeline's retention), access entries
 * (API mode) for the spec's admins, the standard support policy unless extended is asked
 * for, the private subnets and the workload security group. Around it: an IAM OIDC
 * provider for IRSA, the core add-ons (vpc-cni and kube-proxy before the nodes, coredns and
 * the EBS CSI driver after them), a node role without the CNI policy (that lives on the
 * vpc-cni add-on's role), a KMS grant that lets Auto Scaling launch nodes whose volumes use
 * the pipeline key, and the node groups. To run jobs: the cluster autoscaler's role
 * (EKS Pod Identity) and the node-template tags on each group's Auto Scaling group that
 * let it grow groups from zero, a Pod Identity role per job scoped to its own prefixes,
 * and the Kubernetes manifests of the in-cluster pieces in `k8s/` (see ./kubernetes.ts).
 */
export class EksTrainingCluster extends Construct {
  readonly cluster: EksCluster;
  readonly oidcProvider: IamOpenidConnectProvider;
  /** Each job's IAM role, by job name. */
  readonly jobRoles: ReadonlyMap<string, IamRole>;

  constructor(scope: Construct, id: string, props: EksTrainingClusterProps) {
    super(scope, id);
    const { eks, security: sec } = props;
    // The check stage refuses an EKS cluster without a network (eks/needs-network).
    const network: NetworkContext | undefined = sec.network;
    if (network === undefined) throw new Error('internal: training.eks needs a network');
    const p = sec.pipeline;
    const policy = (name: string) => `arn:${sec.partition}:iam::aws:policy/${name}`;

    // EKS writes control-plane logs to exactly this name; creating it first makes it ours
    // (encrypted, with retention) instead of an unencrypted group EKS would create.
    const logGroup = encryptedLogGroup(this, 'LogGroup', eks.logGroupName, sec);
    const roles = new Construct(this, 'Roles');
    const clusterRole = sec.roles.create(roles, 'cluster', `${eks.name}-cluster`, {
      services: ['eks.amazonaws.com'],
      description: `pipeform ${p}: control plane of EKS cluster ${eks.clusterName}`,
      statements: clusterKeyStatements(sec.keyArn),
      managedPolicyArns: [policy('AmazonEKSClusterPolicy')],
    });

    this.cluster = new EksCluster(this, 'Resource', {
      name: eks.clusterName,
      version: eks.version,
      roleArn: clusterRole.arn,
      vpcConfig: {
        subnetIds: [...network.privateSubnetIds],
        securityGroupIds: [...network.securityGroupIds],
        endpointPrivateAccess: true,
        endpointPublicAccess: eks.endpoint.publicAccess,
        ...(eks.endpoint.publicAccess ? { publicAccessCidrs: [...eks.endpoint.publicAccessCidrs] } : {}),
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: sec.keyArn } },
      enabledClusterLogTypes: [...eks.logTypes],
      accessConfig: {
        authenticationMode: eks.authenticationMode,
        // Only the spec's admins get access; the principal running Terraform gets none.
        bootstrapClusterCreatorAdminPermissions: false,
      },
      upgradePolicy: { supportType: eks.supportType },
      // The role's policies must be in place before EKS uses it, and stay until it is gone.
      dependsOn: [logGroup, ...terraformChildren(clusterRole.node.scope)],
    });

    // IRSA: AWS validates EKS issuers against its own trust store, so no thumbprint is
    // needed (provider 5.x makes it optional) and none is fetched over the network.
    const issuerUrl = this.cluster.identity.get(0).oidc.get(0).issuer;
    this.oidcProvider = new IamOpenidConnectProvider(this, 'Oidc', {
      url: issuerUrl,
      clientIdList: ['sts.amazonaws.com'],
      tags: { Name: eks.clusterName },
    });
    // The issuer without its scheme prefixes IRSA condition keys. A local keeps the trust
    // policies plain JSON (a function call inside them would put quotes into the keys).
    const issuer = new TerraformLocal(this, 'oidc-issuer', Fn.replace(issuerUrl, 'https://', ''));
    const irsa = { providerArn: this.oidcProvider.arn, issuer: issuer.asString };

    const admins = new Construct(this, 'Admins');
    for (const a of eks.admins) {
      const holder = new Construct(admins, `admin-${a.id}`);
      const entry = new EksAccessEntry(holder, 'AccessEntry', {
        clusterName: this.cluster.name,
        principalArn: a.principalArn,
        type: 'STANDARD',
      });
      new EksAccessPolicyAssociation(holder, 'AdminPolicy', {
        clusterName: this.cluster.name,
        principalArn: entry.principalArn,
        policyArn: `arn:${sec.partition}:eks::aws:cluster-access-policy/${CLUSTER_ADMIN_POLICY}`,
        accessScope: { type: 'cluster' },
      });
    }

    const addons = new Construct(this, 'Addons');
    const addon = (a: ResolvedEks['addons'][number], dependsOn: ITerraformDependable[]) =>
      new EksCoreAddon(addons, a.name, {
        addon: a,
        clusterName: this.cluster.name,
        eksName: eks.name,
        irsa,
        security: sec,
        dependsOn,
      }).resource;
    const beforeNodes = eks.addons.filter((a) => BEFORE_NODES.includes(a.name)).map((a) => addon(a, []));

    const nodeRole = sec.roles.create(roles, 'nodes', `${eks.name}-nodes`, {
      services: ['ec2.amazonaws.com'],
      description: `pipeform ${p}: nodes of EKS cluster ${eks.clusterName}`,
      statements: [],
      managedPolicyArns: [policy('AmazonEKSWorkerNodePolicy'), policy('AmazonEC2ContainerRegistryPullOnly')],
      // EC2 does not send aws:SourceAccount when an instance assumes its role.
      sourceAccountCondition: false,
    });
    // Auto Scaling launches the nodes with its service-linked role, which IAM policies
    // cannot extend; a grant on the pipeline key lets it create the encrypted root volumes.
    // KMS only grants to a role that exists: an account that never ran an Auto Scaling
    // group creates it once with `aws iam create-service-linked-role --aws-service-name
    // autoscaling.amazonaws.com` (creating it here would fail wherever it already exists).
    const grant = new KmsGrant(this, 'AutoScalingKeyGrant', {
      name: `${eks.clusterName}-autoscaling-volumes`,
      keyId: sec.keyArn,
      granteePrincipal: `arn:${sec.partition}:iam::${sec.account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
      operations: [...AUTOSCALING_KEY_OPERATIONS],
      retireOnDelete: true,
    });

    const nodeScope = new Construct(this, 'NodeGroups');
    const nodeGroups = eks.nodeGroups.map((g) => {
      const group = new EksTrainingNodeGroup(nodeScope, g.name, {
        group: g,
        clusterName: this.cluster.name,
        version: this.cluster.version,
        nodeRoleArn: nodeRole.arn,
        network,
        keyArn: sec.keyArn,
        dependsOn: [...terraformChildren(nodeRole.node.scope), grant, ...beforeNodes],
      });
      tagForAutoscaler(group, g, group.resource);
      return group.resource;
    });
    // CoreDNS and the EBS CSI controller are Deployments: they need nodes to become active.
    for (const a of eks.addons.filter((x) => !BEFORE_NODES.includes(x.name))) addon(a, nodeGroups);

    autoscalerRole(this, eks, sec, this.cluster.name, nodeGroups);
    const jobs = new Construct(this, 'Jobs');
    this.jobRoles = new Map(
      eks.jobs.map((job) => [
        job.name,
        new PodIdentityRole(jobs, `job-${job.name}`, {
          eks,
          security: sec,
          component: job.roleComponent,
          namespace: job.namespace,
          serviceAccount: job.serviceAccount,
          description: `pipeform ${p}: training job ${job.name} on EKS cluster ${eks.clusterName}`,
          statements: jobStatements(job, props.buckets, sec),
          clusterName: this.cluster.name,
        }).role,
      ]),
    );
    for (const [path, text] of clusterManifests(eks)) StackFiles.of(this).add(path, text);
  }

  /** The EKS area's outputs: how to reach the cluster, and the roles of its jobs. */
  outputs(): StackOutput[] {
    return [
      {
        name: 'eks_cluster_name',
        description: 'Name of the EKS training cluster (aws eks update-kubeconfig --name ...).',
        value: this.cluster.name,
      },
      {
        name: 'eks_cluster_endpoint',
        description: 'Kubernetes API endpoint of the EKS training cluster.',
        value: this.cluster.endpoint,
      },
      {
        name: 'eks_oidc_provider_arn',
        description:
          "IAM OIDC provider of the EKS cluster, for IRSA roles of your own workloads (pipeform's jobs use EKS Pod Identity).",
        value: this.oidcProvider.arn,
      },
      ...(this.jobRoles.size > 0
        ? [
            {
              name: 'eks_job_role_arns',
              description:
                "IAM role of each EKS training job by name, handed to the job's service account through EKS Pod Identity.",
              value: Object.fromEntries([...this.jobRoles.entries()].map(([name, role]) => [name, role.arn])),
            },
          ]
        : []),
    ];
  }
}
