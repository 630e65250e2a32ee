import { createHash } from 'node:crypto';
import type {
  EksAddonName,
  EksAmiType,
  ResolvedEks,
  ResolvedEksAdmin,
  ResolvedEksNodeGroup,
  ResolvedEksTaint,
} from '../../model/eks';
import type { EksNodeGroup, EksTaint, PipelineSpec } from '../../spec/types.generated';
import { parseArn } from '../arn';

/** What accelerates an instance type. */
export type Accelerator = 'nvidia' | 'neuron' | 'none';

/** An EC2 family: its accelerator and, per size, the EFA interfaces it takes (0: no EFA). */
export interface InstanceFamily {
  readonly accelerator: Accelerator;
  readonly sizes: Readonly<Record<string, number>>;
}

const cpu = (sizes: string[], efa: Record<string, number> = {}): InstanceFamily => ({
  accelerator: 'none',
  sizes: Object.fromEntries(sizes.map((s) => [s, efa[s] ?? 0])),
});
const M5_SIZES = ['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge'];
const I6_SIZES = [...M5_SIZES, '32xlarge'];
const I7_SIZES = [...M5_SIZES, '48xlarge'];
const G_SIZES = ['xlarge', '2xlarge', '4xlarge', '8xlarge', '12xlarge', '16xlarge', '24xlarge', '48xlarge'];
/** g5/g6/g6e: EFA from 8xlarge up (one interface; see below). */
const G_EFA = { '8xlarge': 1, '12xlarge': 1, '16xlarge': 1, '24xlarge': 1, '48xlarge': 1 };

/**
 * The EC2 families pipeform knows, from the EC2 documentation ("Supported instance types"
 * for EFA, and the accelerated computing specifications). The EFA count is the number of
 * network cards that take an EFA interface: p4d/p4de have 4 (4 x 100 Gbps), p5/p5e 32
 * (32 x 100 Gbps), trn1.32xlarge 8. g5, g6 and g6e are held at one interface: one is valid
 * on every EFA-capable size, while the larger g6e sizes' extra cards are not relied on.
 * Launching with fewer EFA interfaces than cards works (less bandwidth); more fails.
 */
export const INSTANCE_FAMILIES: Readonly<Record<string, InstanceFamily>> = {
  p4d: { accelerator: 'nvidia', sizes: { '24xlarge': 4 } }, // 8 x A100 40 GB
  p4de: { accelerator: 'nvidia', sizes: { '24xlarge': 4 } }, // 8 x A100 80 GB
  p5: { accelerator: 'nvidia', sizes: { '48xlarge': 32 } }, // 8 x H100
  p5e: { accelerator: 'nvidia', sizes: { '48xlarge': 32 } }, // 8 x H200
  g5: { accelerator: 'nvidia', sizes: { ...cpu(G_SIZES).sizes, ...G_EFA } }, // A10G
  g6: { accelerator: 'nvidia', sizes: { ...cpu(G_SIZES).sizes, ...G_EFA } }, // L4
  g6e: { accelerator: 'nvidia', sizes: { ...cpu(G_SIZES).sizes, ...G_EFA } }, // L40S
  trn1: { accelerator: 'neuron', sizes: { '2xlarge': 0, '32xlarge': 8 } }, // AWS Trainium
  m5: cpu(M5_SIZES),
  c5: cpu(['large', 'xlarge', '2xlarge', '4xlarge', '9xlarge', '12xlarge', '18xlarge', '24xlarge']),
  r5: cpu(M5_SIZES),
  m6i: cpu(I6_SIZES, { '32xlarge': 1 }),
  c6i: cpu(I6_SIZES, { '32xlarge': 1 }),
  r6i: cpu(I6_SIZES, { '32xlarge': 1 }),
  m7i: cpu(I7_SIZES, { '48xlarge': 1 }),
  c7i: cpu(I7_SIZES, { '48xlarge': 1 }),
  r7i: cpu(I7_SIZES, { '48xlarge': 1 }),
};

/** An instance type's accelerator and EFA interfaces; undefined when pipeform does not know it. */
export function instanceTypeInfo(
  type: string,
): { accelerator: Accelerator; efaInterfaces: number } | undefined {
  const [family, size] = type.split('.');
  const f = Object.hasOwn(INSTANCE_FAMILIES, family) ? INSTANCE_FAMILIES[family] : undefined;
  if (f === undefined || !Object.hasOwn(f.sizes, size)) return undefined;
  return { accelerator: f.accelerator, efaInterfaces: f.sizes[size] };
}

/** Every instance type pipeform knows, sorted (for suggestions). */
export const KNOWN_INSTANCE_TYPES: readonly string[] = Object.entries(INSTANCE_FAMILIES)
  .flatMap(([family, f]) => Object.keys(f.sizes).map((size) => `${family}.${size}`))
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
export const EKS_ADDONS: readonly EksAddonName[] = ['aws-ebs-csi-driver', 'coredns', 'kube-proxy', 'vpc-cni'];

/** The taint a GPU group gets unless the spec lists its own. */
export const GPU_TAINT: EksTaint = { key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' };

/** The label a GPU group gets: the NVIDIA device plugin's chart schedules onto nodes with it. */
export const GPU_LABEL = 'nvidia.com/gpu.present';

/** EKS node group names are at most 63 characters. */
const NODE_GROUP_NAME_MAX = 63;

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
  const minSize = ng.scaling.minSize ?? 0;
  return {
    gpu,
    amiType,
    efa: ng.efa ?? false,
    capacityType: ng.capacityType ?? 'SPOT',
    taints: ng.taints ?? (gpu ? [GPU_TAINT] : []),
    scaling: { minSize, desiredSize: ng.scaling.desiredSize ?? minSize, maxSize: ng.scaling.maxSize },
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

/** `name` if it fits in `max` characters, else its first part plus a stable hash. */
export function fitName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, max - 9)}-${hash}`;
}

const EFFECTS: Readonly<Record<EksTaint['effect'], ResolvedEksTaint['effect']>> = {
  NoSchedule: 'NO_SCHEDULE',
  PreferNoSchedule: 'PREFER_NO_SCHEDULE',
  NoExecute: 'NO_EXECUTE',
};

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function normalizeNodeGroup(ng: EksNodeGroup, clusterName: string): ResolvedEksNodeGroup {
  const b = nodeGroupBasics(ng);
  const accelerated = b.gpu || amiAccelerator(b.amiType) !== 'none';
  const efaInterfaces = b.efa
    ? Math.min(...ng.instanceTypes.map((t) => instanceTypeInfo(t)?.efaInterfaces ?? 0))
    : 0;
  const labels: Record<string, string> = { ...(b.gpu ? { [GPU_LABEL]: 'true' } : {}), ...(ng.labels ?? {}) };
  const full = `${clusterName}-${ng.name}`;
  return {
    name: ng.name,
    nodeGroupName: fitName(full, NODE_GROUP_NAME_MAX),
    launchTemplateName: full,
    instanceTypes: [...ng.instanceTypes],
    capacityType: b.capacityType,
    gpu: b.gpu,
    amiType: b.amiType,
    scaling: b.scaling,
    diskSizeGiB: ng.diskSizeGiB ?? (accelerated ? 200 : 50),
    efaInterfaces,
    ...((ng.placementGroup ?? b.efa) ? { placementGroupName: full } : {}),
    labels: Object.fromEntries(Object.entries(labels).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))),
    taints: b.taints.map((t) => ({
      key: t.key,
      ...(t.value !== undefined ? { value: t.value } : {}),
      effect: EFFECTS[t.effect],
    })),
    imdsHopLimit: ng.imdsHopLimit ?? 1,
    autoRepair: ng.autoRepair ?? true,
  };
}

/** Resolves `training.eks`; undefined when the spec has no EKS cluster. */
export function normalizeEks(spec: PipelineSpec): ResolvedEks | undefined {
  const eks = spec.training?.eks;
  if (eks === undefined) return undefined;
  const name = eks.name ?? 'training';
  const clusterName = `${spec.name}-${name}`;
  const admins: ResolvedEksAdmin[] = eks.admins
    .map((arn) => ({ id: adminId(arn), principalArn: arn }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    name,
    clusterName,
    version: eks.version,
    endpoint: {
      publicAccess: eks.endpoint?.publicAccess ?? false,
      publicAccessCidrs: [...(eks.endpoint?.publicAccessCidrs ?? [])].sort(),
    },
    authenticationMode: eks.authenticationMode ?? 'API',
    supportType: eks.supportType ?? 'STANDARD',
    logGroupName: `/aws/eks/${clusterName}/cluster`,
    logTypes: [...EKS_LOG_TYPES].sort(),
    admins,
    addons: EKS_ADDONS.map((addon) => {
      const version = eks.addons?.[addon]?.version;
      return { name: addon, ...(version !== undefined ? { version } : {}) };
    }),
    nodeGroups: eks.nodeGroups.map((ng) => normalizeNodeGroup(ng, clusterName)).sort(byName),
  };
}
