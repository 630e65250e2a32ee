import { Testing } from 'cdktf';
import { PipelineStack } from '../../src/constructs/pipeline-stack';
import { compileData, MINIMAL } from '../harness/spec';
import { testApp } from '../harness/cdktf-testing';

type Resources = Record<string, Record<string, Record<string, unknown>>>;
type Statement = {
  Sid: string;
  Principal?: unknown;
  Action: unknown;
  Condition?: unknown;
  Resource?: unknown;
};

const NETWORK = {
  vpc: {
    cidr: '10.0.0.0/16',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    publicSubnets: true,
    natGateways: 'single',
  },
};
const EXISTING = {
  existing: {
    vpcId: 'vpc-0123456789abcdef0',
    subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
    securityGroupIds: ['sg-0123456789abcdef0'],
  },
};
const KEY = '${aws_kms_key.kms.arn}';
const SUBNETS = [
  '${aws_subnet.network_private_us_east_1a.id}',
  '${aws_subnet.network_private_us_east_1b.id}',
];
const WORKLOAD_SG = '${aws_security_group.network_workloads.id}';

const EKS = {
  version: '1.32',
  admins: ['arn:aws:iam::123456789012:role/ml-admin'],
  nodeGroups: [
    {
      name: 'system',
      instanceTypes: ['m7i.xlarge'],
      capacityType: 'ON_DEMAND',
      scaling: { minSize: 1, maxSize: 3 },
    },
    {
      name: 'h100',
      instanceTypes: ['p5.48xlarge', 'p5e.48xlarge'],
      efa: true,
      scaling: { maxSize: 4 },
    },
    {
      name: 'a10',
      instanceTypes: ['g5.12xlarge', 'g5.24xlarge'],
      scaling: { maxSize: 2 },
    },
  ],
};

function synth(eks: object = EKS, network: object = NETWORK, opts: { module?: boolean } = {}) {
  const stack = new PipelineStack(
    testApp(),
    'demo',
    compileData({ ...MINIMAL, network, training: { eks } }),
    opts,
  );
  const parsed = JSON.parse(Testing.synth(stack));
  return {
    r: parsed.resource as Resources,
    output: parsed.output as Record<string, { value: unknown }>,
    locals: parsed.locals as Record<string, unknown>,
  };
}

const doc = (json: unknown): Statement[] => JSON.parse(json as string).Statement;
const keys = (r: Resources, type: string) => Object.keys(r[type] ?? {}).sort();

describe('EksTrainingCluster', () => {
  describe('GIVEN a cluster with a CPU group, a spot p5 group with EFA and a spot g5 group', () => {
    const { r, output, locals } = synth();
    const cluster = r.aws_eks_cluster?.eks;

    test('THEN a private cluster, version pinned, in the private subnets with the workload security group', () => {
      expect(cluster).toMatchObject({
        name: 'demo-training',
        version: '1.32',
        role_arn: '${aws_iam_role.eks_cluster.arn}',
        vpc_config: {
          endpoint_private_access: true,
          endpoint_public_access: false,
          subnet_ids: SUBNETS,
          security_group_ids: [WORKLOAD_SG],
        },
        upgrade_policy: { support_type: 'STANDARD' },
      });
      expect((cluster.vpc_config as object) ?? {}).not.toHaveProperty('public_access_cidrs');
    });

    test('THEN secrets are encrypted with the pipeline key', () => {
      expect(cluster.encryption_config).toEqual({ resources: ['secrets'], provider: { key_arn: KEY } });
    });

    test('THEN every control-plane log type goes to the EKS log group, created first, encrypted', () => {
      expect(cluster.enabled_cluster_log_types).toEqual([
        'api',
        'audit',
        'authenticator',
        'controllerManager',
        'scheduler',
      ]);
      expect(r.aws_cloudwatch_log_group.eks).toMatchObject({
        name: '/aws/eks/demo-training/cluster',
        kms_key_id: KEY,
        retention_in_days: 365,
      });
      expect(cluster.depends_on).toEqual(
        expect.arrayContaining([
          'aws_cloudwatch_log_group.eks',
          'aws_iam_role_policy_attachment.eks_cluster_managed_amazoneksclusterpolicy',
        ]),
      );
    });

    test('THEN API authentication, no implicit admin for the creator, and an admin access entry per spec admin', () => {
      expect(cluster.access_config).toEqual({
        authentication_mode: 'API',
        bootstrap_cluster_creator_admin_permissions: false,
      });
      expect(r.aws_eks_access_entry.eks_admin_role_ml_admin).toMatchObject({
        cluster_name: '${aws_eks_cluster.eks.name}',
        principal_arn: 'arn:aws:iam::123456789012:role/ml-admin',
        type: 'STANDARD',
      });
      expect(r.aws_eks_access_policy_association.eks_admin_role_ml_admin).toMatchObject({
        policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
        principal_arn: '${aws_eks_access_entry.eks_admin_role_ml_admin.principal_arn}',
        access_scope: { type: 'cluster' },
      });
    });

    test('THEN the cluster role trusts EKS in this account, with EKS cluster policy and key use for secrets', () => {
      const role = r.aws_iam_role.eks_cluster;
      expect(role.name).toBe('demo-training-cluster');
      expect(doc(role.assume_role_policy)).toEqual([
        expect.objectContaining({
          Principal: { Service: ['eks.amazonaws.com'] },
          Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
        }),
      ]);
      expect(r.aws_iam_role_policy_attachment.eks_cluster_managed_amazoneksclusterpolicy.policy_arn).toBe(
        'arn:aws:iam::aws:policy/AmazonEKSClusterPolicy',
      );
      expect(doc(r.aws_iam_role_policy.eks_cluster.policy)).toEqual([
        expect.objectContaining({
          Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ListGrants'],
          Resource: KEY,
        }),
      ]);
    });

    test('THEN an OIDC provider for IRSA from the cluster issuer, for STS, without a fetched thumbprint', () => {
      const oidc = r.aws_iam_openid_connect_provider.eks;
      expect(oidc).toMatchObject({
        url: '${aws_eks_cluster.eks.identity[0].oidc[0].issuer}',
        client_id_list: ['sts.amazonaws.com'],
      });
      expect(oidc).not.toHaveProperty('thumbprint_list');
      expect(r).not.toHaveProperty('data');
    });

    test('THEN the five core add-ons, conflicts overwritten, the DaemonSets (vpc-cni, kube-proxy, the Pod Identity agent) before the nodes, the others after', () => {
      expect(keys(r, 'aws_eks_addon')).toEqual([
        'eks_aws_ebs_csi_driver',
        'eks_coredns',
        'eks_eks_pod_identity_agent',
        'eks_kube_proxy',
        'eks_vpc_cni',
      ]);
      for (const a of Object.values(r.aws_eks_addon)) {
        expect(a).toMatchObject({
          resolve_conflicts_on_create: 'OVERWRITE',
          resolve_conflicts_on_update: 'OVERWRITE',
        });
        expect(a).not.toHaveProperty('addon_version');
      }
      const nodeGroups = [
        'aws_eks_node_group.eks_a10',
        'aws_eks_node_group.eks_h100',
        'aws_eks_node_group.eks_system',
      ];
      expect(r.aws_eks_addon.eks_coredns.depends_on).toEqual(nodeGroups);
      expect(r.aws_eks_addon.eks_aws_ebs_csi_driver.depends_on).toEqual(expect.arrayContaining(nodeGroups));
      for (const g of Object.values(r.aws_eks_node_group)) {
        expect(g.depends_on).toEqual(
          expect.arrayContaining([
            'aws_eks_addon.eks_vpc_cni',
            'aws_eks_addon.eks_kube_proxy',
            'aws_eks_addon.eks_eks_pod_identity_agent',
            'aws_kms_grant.eks',
          ]),
        );
      }
    });

    test('THEN vpc-cni and EBS CSI run with IRSA roles bound to their service accounts', () => {
      const issuer = '${local.eks_oidc_issuer}';
      expect(locals.eks_oidc_issuer).toBe(
        '${replace(aws_eks_cluster.eks.identity[0].oidc[0].issuer, "https://", "")}',
      );
      for (const [addon, sa, policy] of [
        ['vpc_cni', 'aws-node', 'amazoneks_cni_policy'],
        ['aws_ebs_csi_driver', 'ebs-csi-controller-sa', 'amazonebscsidriverpolicy'],
      ]) {
        expect(r.aws_eks_addon[`eks_${addon}`].service_account_role_arn).toBe(
          `\${aws_iam_role.eks_${addon}.arn}`,
        );
        expect(doc(r.aws_iam_role[`eks_${addon}`].assume_role_policy)).toEqual([
          {
            Sid: 'AssumedByWebIdentity',
            Effect: 'Allow',
            Principal: { Federated: '${aws_iam_openid_connect_provider.eks.arn}' },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: {
              StringEquals: {
                [`${issuer}:sub`]: `system:serviceaccount:kube-system:${sa}`,
                [`${issuer}:aud`]: 'sts.amazonaws.com',
              },
            },
          },
        ]);
        expect(r.aws_iam_role_policy_attachment[`eks_${addon}_managed_${policy}`]).toBeDefined();
      }
      expect(
        r.aws_iam_role_policy_attachment.eks_aws_ebs_csi_driver_managed_amazonebscsidriverpolicy.policy_arn,
      ).toBe('arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy');
      const ebsKey = doc(r.aws_iam_role_policy.eks_aws_ebs_csi_driver.policy);
      expect(ebsKey.map((s) => s.Resource)).toEqual([KEY, KEY]);
      expect(ebsKey[1].Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': true } });
    });

    test('THEN the node role trusts EC2 without a SourceAccount condition and holds no CNI policy', () => {
      const role = r.aws_iam_role.eks_nodes;
      const trust = doc(role.assume_role_policy);
      expect(trust).toEqual([expect.objectContaining({ Principal: { Service: ['ec2.amazonaws.com'] } })]);
      expect(trust[0]).not.toHaveProperty('Condition');
      const attached = Object.entries(r.aws_iam_role_policy_attachment)
        .filter(([, a]) => a.role === '${aws_iam_role.eks_nodes.name}')
        .map(([, a]) => a.policy_arn)
        .sort();
      expect(attached).toEqual([
        'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
        'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
      ]);
      expect(r.aws_iam_role_policy).not.toHaveProperty('eks_nodes');
    });

    test('THEN Auto Scaling may use the pipeline key for the encrypted root volumes (a grant)', () => {
      expect(r.aws_kms_grant.eks).toMatchObject({
        key_id: KEY,
        grantee_principal:
          'arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
        retire_on_delete: true,
      });
      expect(r.aws_kms_grant.eks.operations).toContain('GenerateDataKeyWithoutPlaintext');
    });

    test('THEN every launch template requires IMDSv2 (hop limit 1) and encrypts a gp3 root volume with the key', () => {
      expect(keys(r, 'aws_launch_template')).toEqual(['eks_a10', 'eks_h100', 'eks_system']);
      for (const lt of Object.values(r.aws_launch_template)) {
        expect(lt.metadata_options).toEqual({
          http_endpoint: 'enabled',
          http_tokens: 'required',
          http_put_response_hop_limit: 1,
          instance_metadata_tags: 'disabled',
        });
        expect(lt.block_device_mappings).toEqual([
          {
            device_name: '/dev/xvda',
            ebs: expect.objectContaining({ encrypted: 'true', kms_key_id: KEY, volume_type: 'gp3' }),
          },
        ]);
      }
      expect(r.aws_launch_template.eks_system.vpc_security_group_ids).toEqual([WORKLOAD_SG]);
      expect(r.aws_launch_template.eks_system).not.toHaveProperty('network_interfaces');
      expect(r.aws_launch_template.eks_system).not.toHaveProperty('placement');
    });

    test('THEN the EFA group gets 32 EFA interfaces (one per p5 network card) and a cluster placement group', () => {
      const lt = r.aws_launch_template.eks_h100;
      const nics = lt.network_interfaces as Record<string, unknown>[];
      expect(nics).toHaveLength(32);
      expect(nics[0]).toEqual({
        device_index: 0,
        network_card_index: 0,
        interface_type: 'efa',
        security_groups: [WORKLOAD_SG],
        delete_on_termination: 'true',
      });
      expect(nics.map((n) => n.network_card_index)).toEqual(Array.from({ length: 32 }, (_, i) => i));
      expect(nics.slice(1).every((n) => n.device_index === 1 && n.interface_type === 'efa')).toBe(true);
      expect(lt).not.toHaveProperty('vpc_security_group_ids');
      expect(lt.placement).toEqual({ group_name: '${aws_placement_group.eks_h100.name}' });
      expect(r.aws_placement_group.eks_h100).toMatchObject({
        name: 'demo-training-h100',
        strategy: 'cluster',
      });
      expect(keys(r, 'aws_placement_group')).toEqual(['eks_h100']);
    });

    test('THEN node groups: GPU AMI, capacity type, taint and label for GPU groups, scaling, launch template', () => {
      const h100 = r.aws_eks_node_group.eks_h100;
      expect(h100).toMatchObject({
        cluster_name: '${aws_eks_cluster.eks.name}',
        node_group_name: 'demo-training-h100',
        version: '${aws_eks_cluster.eks.version}',
        node_role_arn: '${aws_iam_role.eks_nodes.arn}',
        ami_type: 'AL2023_x86_64_NVIDIA',
        capacity_type: 'SPOT',
        instance_types: ['p5.48xlarge', 'p5e.48xlarge'],
        scaling_config: { min_size: 0, desired_size: 0, max_size: 4 },
        labels: { 'nvidia.com/gpu.present': 'true' },
        taint: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' }],
        launch_template: {
          id: '${aws_launch_template.eks_h100.id}',
          version: '${aws_launch_template.eks_h100.latest_version}',
        },
        node_repair_config: { enabled: true },
        lifecycle: { ignore_changes: ['scaling_config[0].desired_size', 'subnet_ids'] },
      });
      // EFA and the placement group keep the group in one subnet; the others span all.
      expect(h100.subnet_ids).toEqual([SUBNETS[0]]);
      expect(r.aws_eks_node_group.eks_a10.subnet_ids).toEqual(SUBNETS);
      expect(r.aws_eks_node_group.eks_system).toMatchObject({
        ami_type: 'AL2023_x86_64_STANDARD',
        capacity_type: 'ON_DEMAND',
        labels: {},
        taint: [],
      });
      for (const g of Object.values(r.aws_eks_node_group)) {
        expect(g).not.toHaveProperty('disk_size');
        expect(g).not.toHaveProperty('remote_access');
      }
    });

    test('THEN outputs: cluster name, endpoint and OIDC provider ARN', () => {
      expect(output.eks_cluster_name.value).toBe('${aws_eks_cluster.eks.name}');
      expect(output.eks_cluster_endpoint.value).toBe('${aws_eks_cluster.eks.endpoint}');
      expect(output.eks_oidc_provider_arn.value).toBe('${aws_iam_openid_connect_provider.eks.arn}');
    });
  });

  test('GIVEN a public endpoint with CIDRs THEN only those CIDRs reach it', () => {
    const { r } = synth({ ...EKS, endpoint: { publicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] } });
    expect(r.aws_eks_cluster.eks.vpc_config).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: true,
      public_access_cidrs: ['203.0.113.0/24'],
    });
  });

  test('GIVEN pinned add-on versions and IMDS hop limit 2 THEN they are used', () => {
    const { r } = synth({
      ...EKS,
      addons: { 'vpc-cni': { version: 'v1.19.2-eksbuild.1' } },
      nodeGroups: [{ ...EKS.nodeGroups[0], imdsHopLimit: 2 }],
    });
    expect(r.aws_eks_addon.eks_vpc_cni.addon_version).toBe('v1.19.2-eksbuild.1');
    expect(r.aws_eks_addon.eks_coredns).not.toHaveProperty('addon_version');
    expect(r.aws_launch_template.eks_system.metadata_options).toMatchObject({
      http_put_response_hop_limit: 2,
    });
  });

  test('GIVEN an existing network THEN the cluster and nodes use its subnets and security groups', () => {
    const { r } = synth(EKS, EXISTING);
    expect(r.aws_eks_cluster.eks.vpc_config).toMatchObject({
      subnet_ids: EXISTING.existing.subnetIds,
      security_group_ids: EXISTING.existing.securityGroupIds,
    });
    expect(r.aws_eks_node_group.eks_h100.subnet_ids).toEqual([EXISTING.existing.subnetIds[0]]);
  });

  test('GIVEN a module with an existing network THEN one-subnet groups take the first subnet of the input', () => {
    const { r } = synth(EKS, EXISTING, { module: true });
    const inputs = EXISTING.existing.subnetIds.map((_, i) => `\${element(var.private_subnet_ids, ${i})}`);
    expect(r.aws_eks_cluster.eks.vpc_config).toMatchObject({ subnet_ids: inputs });
    expect(r.aws_eks_node_group.eks_h100.subnet_ids).toEqual([inputs[0]]);
    expect(r.aws_eks_node_group.eks_a10.subnet_ids).toEqual(inputs);
  });

  test('GIVEN no training.eks THEN no EKS resources and no EKS outputs', () => {
    const parsed = JSON.parse(
      Testing.synth(new PipelineStack(testApp(), 'demo', compileData({ ...MINIMAL, network: NETWORK }))),
    );
    expect(Object.keys(parsed.resource).filter((t) => t.startsWith('aws_eks'))).toEqual([]);
    expect(Object.keys(parsed.output).filter((o) => o.startsWith('eks_'))).toEqual([]);
  });
});
