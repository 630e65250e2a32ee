/**
 * The EKS area's catalog: the instance type table, the labels, images and registries the
 * cluster uses, the defaults (read from the schema, never restated) and the predicates
 * the check stage, normalize, advice and cost share. Pure: no cdktf, no normalize imports.
 */
import type { EksAddonName, EksAmiType, ResolvedNodeOffer } from '../../model/eks';
import { parseArn } from '../../compiler/arn';
import { schemaChoiceDefault, schemaDefault, schemaPointer } from '../../spec/schema';
import type { EksNodeGroup, EksTaint } from '../../spec/types.generated';

const job = (...names: string[]) => schemaPointer('eksJob', ...names);
const group = (name: string) => schemaPointer('eksNodeGroup', name);

/** The EKS defaults, each read from its schema `default` (the single source). */
export const DEFAULTS = {
  name: schemaDefault(schemaPointer('eks', 'name'), 'string'),
  authenticationMode: schemaChoiceDefault(schemaPointer('eks', 'authenticationMode'), [
    'API',
    'API_AND_CONFIG_MAP',
  ] as const),
  supportType: schemaChoiceDefault(schemaPointer('eks', 'supportType'), ['STANDARD', 'EXTENDED'] as const),
  endpointPublicAccess: schemaDefault(schemaPointer('eksEndpoint', 'publicAccess'), 'boolean'),
  nodeGroup: {
    capacityType: schemaChoiceDefault(group('capacityType'), ['SPOT', 'ON_DEMAND'] as const),
    efa: schemaDefault(group('efa'), 'boolean'),
    imdsHopLimit: schemaDefault(group('imdsHopLimit'), 'number'),
    autoRepair: schemaDefault(group('autoRepair'), 'boolean'),
    minSize: schemaDefault(schemaPointer('eksScaling', 'minSize'), 'number'),
  },
  job: {
    namespace: schemaDefault(job('namespace'), 'string'),
    nodes: schemaDefault(job('nodes'), 'number'),
    checkpointsBucket: schemaDefault(job('checkpoints', 'bucket'), 'string'),
    modelBucket: schemaDefault(job('model', 'bucket'), 'string'),
    maxRestarts: schemaDefault(job('maxRestarts'), 'number'),
  },
} as const;

/** What accelerates an instance type. */
export type Accelerator = 'nvidia' | 'neuron' | 'none';

/** One instance size: what a node of it offers. */
export interface InstanceSize {
  readonly vcpus: number;
  readonly memoryGiB: number;
  /** NVIDIA GPUs (0 for CPU and Trainium types). */
  readonly gpus: number;
  /** Network cards that take an EFA interface (0: no EFA). */
  readonly efa: number;
}

/** An EC2 family: its accelerator, whether its EFA does RDMA, and its sizes. */
export interface InstanceFamily {
  readonly accelerator: Accelerator;
  /** EFA with RDMA (GPUDirect), so NCCL may set FI_EFA_USE_DEVICE_RDMA=1. */
  readonly efaRdma: boolean;
  readonly sizes: Readonly<Record<string, InstanceSize>>;
}

/** `[vcpus, memoryGiB, gpus?, efa?]` per size, the table's compact form. */
type SizeRow = readonly [number, number, number?, number?];

const family = (
  accelerator: Accelerator,
  rows: Readonly<Record<string, SizeRow>>,
  efaRdma = false,
): InstanceFamily => ({
  accelerator,
  efaRdma,
  sizes: Object.fromEntries(
    Object.entries(rows).map(([size, [vcpus, memoryGiB, gpus = 0, efa = 0]]) => [
      size,
      { vcpus, memoryGiB, gpus, efa },
    ]),
  ),
});

/** CPU sizes by vCPUs, `perVcpu` GiB of memory each (c: 2, m: 4, r: 8); `efa` names the EFA sizes. */
function cpuRows(sizes: Readonly<Record<string, number>>, perVcpu: number, efa: readonly string[] = []) {
  return Object.fromEntries(
    Object.entries(sizes).map(([size, vcpus]): [string, SizeRow] => [
      size,
      [vcpus, vcpus * perVcpu, 0, efa.includes(size) ? 1 : 0],
    ]),
  );
}
const M5 = {
  large: 2,
  xlarge: 4,
  '2xlarge': 8,
  '4xlarge': 16,
  '8xlarge': 32,
  '12xlarge': 48,
  '16xlarge': 64,
  '24xlarge': 96,
};
const I6 = { ...M5, '32xlarge': 128 };
const I7 = { ...M5, '48xlarge': 192 };
const C5 = {
  large: 2,
  xlarge: 4,
  '2xlarge': 8,
  '4xlarge': 16,
  '9xlarge': 36,
  '12xlarge': 48,
  '18xlarge': 72,
  '24xlarge': 96,
};
/** g5 and g6 (A10G, L4): EFA from 8xlarge up; g6e (L40S) has twice their memory. */
const G_ROWS = (memPerVcpu: number): Record<string, SizeRow> => ({
  xlarge: [4, 4 * memPerVcpu, 1],
  '2xlarge': [8, 8 * memPerVcpu, 1],
  '4xlarge': [16, 16 * memPerVcpu, 1],
  '8xlarge': [32, 32 * memPerVcpu, 1, 1],
  '12xlarge': [48, 48 * memPerVcpu, 4, 1],
  '16xlarge': [64, 64 * memPerVcpu, 1, 1],
  '24xlarge': [96, 96 * memPerVcpu, 4, 1],
  '48xlarge': [192, 192 * memPerVcpu, 8, 1],
});

/**
 * The EC2 families pipeform knows. vCPUs, memory and GPUs are EC2's instance type
 * specifications (the same numbers the cluster autoscaler's generated table,
 * kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go, holds).
 * The EFA count is the number of network cards that take an EFA interface (EC2
 * "Supported instance types" for EFA): p4d/p4de have 4 (4 x 100 Gbps), p5/p5e 32
 * (32 x 100 Gbps), trn1.32xlarge 8. g5, g6 and g6e are held at one interface: one is
 * valid on every EFA-capable size, while the larger g6e sizes' extra cards are not relied
 * on. Launching with fewer EFA interfaces than cards works (less bandwidth); more fails.
 * RDMA over EFA (GPUDirect) exists on p4d, p4de, p5, p5e and trn1, not on the g families.
 */
export const INSTANCE_FAMILIES: Readonly<Record<string, InstanceFamily>> = {
  p4d: family('nvidia', { '24xlarge': [96, 1152, 8, 4] }, true), // 8 x A100 40 GB
  p4de: family('nvidia', { '24xlarge': [96, 1152, 8, 4] }, true), // 8 x A100 80 GB
  p5: family('nvidia', { '48xlarge': [192, 2048, 8, 32] }, true), // 8 x H100
  p5e: family('nvidia', { '48xlarge': [192, 2048, 8, 32] }, true), // 8 x H200
  g5: family('nvidia', G_ROWS(4)), // A10G
  g6: family('nvidia', G_ROWS(4)), // L4
  g6e: family('nvidia', G_ROWS(8)), // L40S
  trn1: family('neuron', { '2xlarge': [8, 32], '32xlarge': [128, 512, 0, 8] }, true), // AWS Trainium
  m5: family('none', cpuRows(M5, 4)),
  c5: family('none', cpuRows(C5, 2)),
  r5: family('none', cpuRows(M5, 8)),
  m6i: family('none', cpuRows(I6, 4, ['32xlarge'])),
  c6i: family('none', cpuRows(I6, 2, ['32xlarge'])),
  r6i: family('none', cpuRows(I6, 8, ['32xlarge'])),
  m7i: family('none', cpuRows(I7, 4, ['48xlarge'])),
  c7i: family('none', cpuRows(I7, 2, ['48xlarge'])),
  r7i: family('none', cpuRows(I7, 8, ['48xlarge'])),
};

/** What pipeform knows of an instance type. */
export interface InstanceTypeInfo extends InstanceSize {
  readonly accelerator: Accelerator;
  /** Same as `efa`: EFA interfaces the type takes. */
  readonly efaInterfaces: number;
  readonly efaRdma: boolean;
}

/** An instance type's accelerator, size and EFA interfaces; undefined when pipeform does not know it. */
export function instanceTypeInfo(type: string): InstanceTypeInfo | undefined {
  const [name, size] = type.split('.');
  const f = Object.hasOwn(INSTANCE_FAMILIES, name) ? INSTANCE_FAMILIES[name] : undefined;
  if (f === undefined || !Object.hasOwn(f.sizes, size)) return undefined;
  const s = f.sizes[size];
  return { ...s, accelerator: f.accelerator, efaInterfaces: s.efa, efaRdma: f.efaRdma && s.efa > 0 };
}

/** Every instance type pipeform knows, sorted (for suggestions). */
export const KNOWN_INSTANCE_TYPES: readonly string[] = Object.entries(INSTANCE_FAMILIES)
  .flatMap(([name, f]) => Object.keys(f.sizes).map((size) => `${name}.${size}`))
  .sort();

/** The accelerator an AMI type has drivers for. */
export function amiAccelerator(ami: EksAmiType): Accelerator {
  if (ami === 'AL2023_x86_64_NVIDIA' || ami === 'AL2_x86_64_GPU') return 'nvidia';
  return ami === 'AL2023_x86_64_NEURON' ? 'neuron' : 'none';
}

/** AMI types EKS publishes only up to Kubernetes 1.32. */
export const AL2_AMI_TYPES: readonly EksAmiType[] = ['AL2_x86_64_GPU', 'AL2_x86_64'];

/** Control-plane log types EKS offers; pipeform turns on all of them. */
export const EKS_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

/** The core add-ons, always installed. */
export const EKS_ADDONS: readonly EksAddonName[] = [
  'aws-ebs-csi-driver',
  'coredns',
  'eks-pod-identity-agent',
  'kube-proxy',
  'vpc-cni',
];

/** The taint a GPU group gets unless the spec lists its own. */
export const GPU_TAINT: EksTaint = { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' };

/** The label a GPU group gets: the NVIDIA device plugin's chart schedules onto nodes with it. */
export const GPU_LABEL = 'nvidia.com/gpu.present';

/**
 * The label the cluster autoscaler's AWS provider reads as "this node has GPUs" (GPULabel in
 * cluster-autoscaler/cloudprovider/aws/aws_cloud_provider.go): a GPU node whose device
 * plugin has not yet advertised its GPUs counts as coming up, not as a node without GPUs,
 * so the autoscaler does not add a second node for the same pod. Only the key matters.
 */
export const AUTOSCALER_GPU_LABEL = 'k8s.amazonaws.com/accelerator';

/** The label EKS puts on every node of a managed node group: its node group name. */
export const NODE_GROUP_LABEL = 'eks.amazonaws.com/nodegroup';

/** The label EKS puts on every node of a managed node group: SPOT or ON_DEMAND. */
export const CAPACITY_TYPE_LABEL = 'eks.amazonaws.com/capacityType';

/**
 * Container images of the in-cluster pieces, pinned: the NVIDIA device plugin
 * (NVIDIA/k8s-device-plugin, deployments/static/nvidia-device-plugin.yml) and the EFA
 * device plugin (aws/eks-charts stable/aws-efa-k8s-device-plugin, appVersion). The EFA
 * plugin is pulled from the EKS add-on registry of the pipeline region.
 */
export const IN_CLUSTER_IMAGES = {
  nvidiaDevicePlugin: 'nvcr.io/nvidia/k8s-device-plugin:v0.19.3',
  efaDevicePluginTag: 'v0.5.20',
} as const;

/**
 * The cluster autoscaler release per Kubernetes minor version (it must match the control
 * plane's minor version): the newest patch tag of each release line in kubernetes/autoscaler.
 */
export const AUTOSCALER_VERSIONS: Readonly<Record<string, string>> = {
  '1.29': 'v1.29.5',
  '1.30': 'v1.30.7',
  '1.31': 'v1.31.5',
  '1.32': 'v1.32.7',
  '1.33': 'v1.33.6',
};

/**
 * The EKS add-on image registry of each region pipeform supports ("View Amazon container
 * image registries for Amazon EKS add-ons", EKS User Guide): 602401143452 in most regions,
 * an account of its own in the opt-in ones.
 */
export const EKS_REGISTRY_ACCOUNTS: Readonly<Record<string, string>> = {
  'af-south-1': '877085696533',
  'ap-east-1': '800184023465',
  'ap-south-2': '900889452093',
  'ap-southeast-3': '296578399912',
  'ap-southeast-4': '491585149902',
  'eu-central-2': '900612956339',
  'eu-south-1': '590381155156',
  'eu-south-2': '455263428931',
  'il-central-1': '066635153087',
  'me-central-1': '759879836304',
  'me-south-1': '558608220178',
};

/** The EKS add-on registry host of a region. */
export function eksRegistry(region: string): string {
  return `${EKS_REGISTRY_ACCOUNTS[region] ?? '602401143452'}.dkr.ecr.${region}.amazonaws.com`;
}

/** Namespaces a job may not use: Kubernetes' own. */
export function reservedNamespace(ns: string): boolean {
  return ns === 'default' || ns.startsWith('kube-');
}

/** The key prefix a job writes its checkpoints and model under unless the spec names one. */
export function defaultJobPrefix(pipeline: string, job: string): string {
  return `${pipeline}/eks/${job}/`;
}

/** The decisions a node group's other defaults and the check rules depend on. */
export function nodeGroupBasics(ng: EksNodeGroup): {
  gpu: boolean;
  amiType: EksAmiType;
  efa: boolean;
  capacityType: 'SPOT' | 'ON_DEMAND';
  taints: readonly EksTaint[];
  scaling: { minSize: number; desiredSize: number; maxSize: number };
} {
  const accelerators = ng.instanceTypes.map((t) => instanceTypeInfo(t)?.accelerator);
  const gpu = ng.gpu ?? accelerators.includes('nvidia');
  const amiType =
    ng.amiType ??
    (gpu
      ? 'AL2023_x86_64_NVIDIA'
      : accelerators.includes('neuron')
        ? 'AL2023_x86_64_NEURON'
        : 'AL2023_x86_64_STANDARD');
  const minSize = ng.scaling.minSize ?? DEFAULTS.nodeGroup.minSize;
  return {
    gpu,
    amiType,
    efa: ng.efa ?? DEFAULTS.nodeGroup.efa,
    capacityType: ng.capacityType ?? DEFAULTS.nodeGroup.capacityType,
    taints: ng.taints ?? (gpu ? [GPU_TAINT] : []),
    scaling: { minSize, desiredSize: ng.scaling.desiredSize ?? minSize, maxSize: ng.scaling.maxSize },
  };
}

/**
 * What one node of a group offers a pod: the smallest of its instance types in each
 * dimension (a pod sized for it fits on any node the group launches), and the EFA
 * interfaces its launch template attaches. Types pipeform does not know (refused by the
 * check stage) count as offering nothing.
 */
export function nodeOffer(ng: EksNodeGroup): ResolvedNodeOffer {
  const infos = ng.instanceTypes.map((t) => instanceTypeInfo(t));
  const min = (f: (i: InstanceTypeInfo) => number) => Math.min(...infos.map((i) => (i ? f(i) : 0)));
  const efa = (ng.efa ?? DEFAULTS.nodeGroup.efa) ? min((i) => i.efaInterfaces) : 0;
  return {
    vcpus: min((i) => i.vcpus),
    memoryGiB: min((i) => i.memoryGiB),
    gpus: nodeGroupBasics(ng).gpu ? min((i) => i.gpus) : 0,
    efa,
    efaRdma: efa > 0 && infos.every((i) => i?.efaRdma === true),
  };
}

/** A construct id from an admin ARN's resource, e.g. `role/ml-admin` -> `role-ml-admin`. */
export function adminId(arn: string): string {
  const resource = parseArn(arn)?.resource ?? arn;
  return resource
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
