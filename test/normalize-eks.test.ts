import {
  INSTANCE_FAMILIES,
  instanceTypeInfo,
  KNOWN_INSTANCE_TYPES,
  fitName,
} from '../src/compiler/normalize/eks';
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

  test('cluster defaults: private endpoint, API auth, standard support, every log type, the four core add-ons', () => {
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
      labels: { 'nvidia.com/gpu.present': 'true' },
      taints: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' }],
      imdsHopLimit: 1,
      autoRepair: true,
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
    expect(Object.keys(train?.labels ?? {})).toEqual(['alpha', 'nvidia.com/gpu.present', 'zeta']);
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
    expect(instanceTypeInfo('p4d.24xlarge')).toEqual({ accelerator: 'nvidia', efaInterfaces: 4 });
    expect(instanceTypeInfo('p5.48xlarge')).toEqual({ accelerator: 'nvidia', efaInterfaces: 32 });
    expect(instanceTypeInfo('g5.xlarge')).toEqual({ accelerator: 'nvidia', efaInterfaces: 0 });
    expect(instanceTypeInfo('g6e.8xlarge')).toEqual({ accelerator: 'nvidia', efaInterfaces: 1 });
    expect(instanceTypeInfo('trn1.32xlarge')).toEqual({ accelerator: 'neuron', efaInterfaces: 8 });
    expect(instanceTypeInfo('m5.24xlarge')).toEqual({ accelerator: 'none', efaInterfaces: 0 });
    expect(instanceTypeInfo('c6i.32xlarge')).toEqual({ accelerator: 'none', efaInterfaces: 1 });
    expect(instanceTypeInfo('p5.xlarge')).toBeUndefined();
    expect(instanceTypeInfo('constructor.toString')).toBeUndefined();
    expect(KNOWN_INSTANCE_TYPES).toContain('p4de.24xlarge');
    expect(Object.keys(INSTANCE_FAMILIES)).toEqual(
      expect.arrayContaining(['p4d', 'p4de', 'p5', 'p5e', 'g5', 'g6', 'g6e', 'trn1', 'm5', 'c5', 'r5']),
    );
  });
});
