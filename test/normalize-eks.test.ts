import { INSTANCE_FAMILIES, instanceTypeInfo, KNOWN_INSTANCE_TYPES } from '../src/areas/eks/catalog';
import { fitName } from '../src/compiler/normalize/eks';
import { compileData, MINIMAL } from './harness/spec';

const NETWORK = {
  vpc: {
    cidr: '10.0.0.0/16',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    publicSubnets: true,
    natGateways: 'single',
  },
};
const SYSTEM = {
  name: 'system',
  instanceTypes: ['m7i.large', 'm6i.large'],
  scaling: { minSize: 1, maxSize: 3 },
};

function resolve(eks: object, name = 'demo') {
  const r = compileData({ ...MINIMAL, name, network: NETWORK, training: { eks } });
  if (r.eks === undefined) throw new Error('no eks resolved');
  return r.eks;
}

const minimal = {
  version: '1.32',
  admins: ['arn:aws:iam::123456789012:role/admin'],
  nodeGroups: [
    { name: 'train', instanceTypes: ['p5.48xlarge', 'p5e.48xlarge'], scaling: { maxSize: 4 } },
    SYSTEM,
  ],
};

describe('normalize: training.eks', () => {
  test('no training.eks, no resolved cluster', () => {
    expect(compileData(MINIMAL).eks).toBeUndefined();
  });

  test('cluster defaults: private endpoint, API auth, standard support, every log type, the five core add-ons', () => {
    const eks = resolve(minimal);
    expect(eks).toMatchObject({
      name: 'training',
      clusterName: 'demo-training',
      version: '1.32',
      endpoint: { publicAccess: false, publicAccessCidrs: [] },
      authenticationMode: 'API',
      supportType: 'STANDARD',
      logGroupName: '/aws/eks/demo-training/cluster',
      logTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
      admins: [{ id: 'role-admin', principalArn: 'arn:aws:iam::123456789012:role/admin' }],
    });
    expect(eks.addons).toEqual([
      { name: 'aws-ebs-csi-driver' },
      { name: 'coredns' },
      { name: 'eks-pod-identity-agent' },
      { name: 'kube-proxy' },
      { name: 'vpc-cni' },
    ]);
  });

  test('a GPU group: spot, NVIDIA AMI, GPU taint and label, 200 GiB, IMDS hop limit 1, auto repair, no EFA', () => {
    const train = resolve(minimal).nodeGroups.find((g) => g.name === 'train');
    expect(train).toEqual({
      name: 'train',
      nodeGroupName: 'demo-training-train',
      launchTemplateName: 'demo-training-train',
      instanceTypes: ['p5.48xlarge', 'p5e.48xlarge'],
      capacityType: 'SPOT',
      gpu: true,
      amiType: 'AL2023_x86_64_NVIDIA',
      scaling: { minSize: 0, desiredSize: 0, maxSize: 4 },
      diskSizeGiB: 200,
      efaInterfaces: 0,
      labels: { 'k8s.amazonaws.com/accelerator': 'nvidia', 'nvidia.com/gpu.present': 'true' },
      taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' }],
      imdsHopLimit: 1,
      autoRepair: true,
      offers: { vcpus: 192, memoryGiB: 2048, gpus: 8, efa: 0, efaRdma: false },
    });
  });

  test('a CPU group: standard AMI, no taint, no label, 50 GiB; desired defaults to min', () => {
    const system = resolve(minimal).nodeGroups.find((g) => g.name === 'system');
    expect(system).toMatchObject({
      gpu: false,
      amiType: 'AL2023_x86_64_STANDARD',
      diskSizeGiB: 50,
      labels: {},
      taints: [],
      scaling: { minSize: 1, desiredSize: 1, maxSize: 3 },
    });
    expect(system?.placementGroupName).toBeUndefined();
  });

  test('EFA: one interface per network card of the smallest listed type, and a placement group by default', () => {
    const groups = resolve({
      ...minimal,
      nodeGroups: [
        SYSTEM,
        { name: 'p5', instanceTypes: ['p5.48xlarge', 'p5e.48xlarge'], efa: true, scaling: { maxSize: 2 } },
        { name: 'mixed', instanceTypes: ['p5.48xlarge', 'p4d.24xlarge'], efa: true, scaling: { maxSize: 2 } },
        {
          name: 'loose',
          instanceTypes: ['p4d.24xlarge', 'p4de.24xlarge'],
          efa: true,
          placementGroup: false,
          scaling: { maxSize: 2 },
        },
      ],
    }).nodeGroups;
    const by = Object.fromEntries(groups.map((g) => [g.name, g]));
    expect(by.p5).toMatchObject({ efaInterfaces: 32, placementGroupName: 'demo-training-p5' });
    expect(by.mixed.efaInterfaces).toBe(4);
    // The smallest type in each dimension: a pod sized for it fits on every node of the group.
    expect(by.mixed.offers).toEqual({ vcpus: 96, memoryGiB: 1152, gpus: 8, efa: 4, efaRdma: true });
    expect(by.system.offers).toMatchObject({ gpus: 0, efa: 0 });
    expect(by.loose.efaInterfaces).toBe(4);
    expect(by.loose.placementGroupName).toBeUndefined();
    expect(groups.map((g) => g.name)).toEqual(['loose', 'mixed', 'p5', 'system']);
  });

  test('explicit settings win: taints [] removes the GPU taint; user labels merge, sorted', () => {
    const g = resolve({
      ...minimal,
      name: 'llm',
      endpoint: { publicAccess: true, publicAccessCidrs: ['203.0.113.0/24', '198.51.100.0/24'] },
      authenticationMode: 'API_AND_CONFIG_MAP',
      supportType: 'EXTENDED',
      addons: { coredns: { version: 'v1.11.4-eksbuild.2' } },
      nodeGroups: [
        SYSTEM,
        {
          name: 'train',
          instanceTypes: ['g6.12xlarge', 'g6.48xlarge'],
          capacityType: 'ON_DEMAND',
          taints: [],
          labels: { zeta: 'z', alpha: 'a' },
          diskSizeGiB: 500,
          imdsHopLimit: 2,
          autoRepair: false,
          scaling: { minSize: 1, desiredSize: 2, maxSize: 3 },
        },
      ],
    });
    expect(g).toMatchObject({
      clusterName: 'demo-llm',
      endpoint: { publicAccess: true, publicAccessCidrs: ['198.51.100.0/24', '203.0.113.0/24'] },
      authenticationMode: 'API_AND_CONFIG_MAP',
      supportType: 'EXTENDED',
    });
    expect(g.addons.find((a) => a.name === 'coredns')).toEqual({
      name: 'coredns',
      version: 'v1.11.4-eksbuild.2',
    });
    const train = g.nodeGroups.find((n) => n.name === 'train');
    expect(train).toMatchObject({
      capacityType: 'ON_DEMAND',
      taints: [],
      diskSizeGiB: 500,
      imdsHopLimit: 2,
      autoRepair: false,
      scaling: { minSize: 1, desiredSize: 2, maxSize: 3 },
    });
    expect(Object.keys(train?.labels ?? {})).toEqual([
      'alpha',
      'k8s.amazonaws.com/accelerator',
      'nvidia.com/gpu.present',
      'zeta',
    ]);
  });

  test('long names: node group names fit EKS 63 characters with a stable hash', () => {
    const groups = resolve(
      {
        ...minimal,
        name: 'a-very-long-cluster-name-for-ll',
        nodeGroups: [SYSTEM, { ...SYSTEM, name: 'an-equally-long-node-group-name' }],
      },
      'a-very-long-pipeline-nam',
    ).nodeGroups;
    const long = groups.find((g) => g.name === 'an-equally-long-node-group-name');
    expect(long?.nodeGroupName).toHaveLength(63);
    expect(long?.nodeGroupName).toBe(fitName(long?.launchTemplateName ?? '', 63));
    expect(long?.launchTemplateName).toBe(
      'a-very-long-pipeline-nam-a-very-long-cluster-name-for-ll-an-equally-long-node-group-name',
    );
  });

  test('deterministic: the same spec resolves to the same cluster', () => {
    expect(JSON.stringify(resolve(minimal))).toBe(JSON.stringify(resolve(minimal)));
  });

  test('instance table: GPU, Trainium and CPU families; EFA only where EC2 offers it', () => {
    const info = (t: string) => {
      const i = instanceTypeInfo(t);
      return i && { accelerator: i.accelerator, efaInterfaces: i.efaInterfaces };
    };
    expect(info('p4d.24xlarge')).toEqual({ accelerator: 'nvidia', efaInterfaces: 4 });
    expect(info('p5.48xlarge')).toEqual({ accelerator: 'nvidia', efaInterfaces: 32 });
    expect(info('g5.xlarge')).toEqual({ accelerator: 'nvidia', efaInterfaces: 0 });
    expect(info('g6e.8xlarge')).toEqual({ accelerator: 'nvidia', efaInterfaces: 1 });
    expect(info('trn1.32xlarge')).toEqual({ accelerator: 'neuron', efaInterfaces: 8 });
    expect(info('m5.24xlarge')).toEqual({ accelerator: 'none', efaInterfaces: 0 });
    expect(info('c6i.32xlarge')).toEqual({ accelerator: 'none', efaInterfaces: 1 });
    // What a node offers a pod (EC2's specifications): vCPUs, GiB, GPUs, EFA, RDMA.
    const offer = (t: string) => {
      const i = instanceTypeInfo(t)!;
      return [i.vcpus, i.memoryGiB, i.gpus, i.efa, i.efaRdma];
    };
    expect(offer('p5.48xlarge')).toEqual([192, 2048, 8, 32, true]);
    expect(offer('p5e.48xlarge')).toEqual([192, 2048, 8, 32, true]);
    expect(offer('p4d.24xlarge')).toEqual([96, 1152, 8, 4, true]);
    expect(offer('g5.12xlarge')).toEqual([48, 192, 4, 1, false]);
    expect(offer('g5.16xlarge')).toEqual([64, 256, 1, 1, false]);
    expect(offer('g6e.48xlarge')).toEqual([192, 1536, 8, 1, false]);
    expect(offer('g6.4xlarge')).toEqual([16, 64, 1, 0, false]);
    expect(offer('trn1.32xlarge')).toEqual([128, 512, 0, 8, true]);
    expect(offer('trn1.2xlarge')).toEqual([8, 32, 0, 0, false]);
    expect(offer('c5.9xlarge')).toEqual([36, 72, 0, 0, false]);
    expect(offer('r7i.48xlarge')).toEqual([192, 1536, 0, 1, false]);
    expect(offer('m6i.large')).toEqual([2, 8, 0, 0, false]);
    expect(instanceTypeInfo('p5.xlarge')).toBeUndefined();
    expect(instanceTypeInfo('constructor.toString')).toBeUndefined();
    expect(KNOWN_INSTANCE_TYPES).toContain('p4de.24xlarge');
    expect(Object.keys(INSTANCE_FAMILIES)).toEqual(
      expect.arrayContaining(['p4d', 'p4de', 'p5', 'p5e', 'g5', 'g6', 'g6e', 'trn1', 'm5', 'c5', 'r5']),
    );
  });
});
