import { createHash } from 'node:crypto';
import type {
  ResolvedEks,
  ResolvedEksAdmin,
  ResolvedEksJob,
  ResolvedEksNodeGroup,
  ResolvedEksTaint,
  ResolvedJobOutput,
} from '../../model/eks';
import type { EksJob, EksNodeGroup, EksTaint, PipelineSpec } from '../../spec/types.generated';
import {
  adminId,
  amiAccelerator,
  AUTOSCALER_GPU_LABEL,
  AUTOSCALER_VERSIONS,
  DEFAULTS,
  defaultJobPrefix,
  EKS_ADDONS,
  EKS_LOG_TYPES,
  eksRegistry,
  GPU_LABEL,
  IN_CLUSTER_IMAGES,
  nodeGroupBasics,
  nodeOffer,
} from '../../areas/eks/catalog';
import { resolveLocations } from './data';
import { normalizeStorage } from './storage';

/** EKS node group names are at most 63 characters. */
const NODE_GROUP_NAME_MAX = 63;

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
  const offers = nodeOffer(ng);
  const labels: Record<string, string> = {
    ...(b.gpu ? { [GPU_LABEL]: 'true', [AUTOSCALER_GPU_LABEL]: 'nvidia' } : {}),
    ...(ng.labels ?? {}),
  };
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
    efaInterfaces: offers.efa,
    ...((ng.placementGroup ?? b.efa) ? { placementGroupName: full } : {}),
    labels: Object.fromEntries(Object.entries(labels).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))),
    taints: b.taints.map((t) => ({
      key: t.key,
      ...(t.value !== undefined ? { value: t.value } : {}),
      effect: EFFECTS[t.effect],
    })),
    imdsHopLimit: ng.imdsHopLimit ?? DEFAULTS.nodeGroup.imdsHopLimit,
    autoRepair: ng.autoRepair ?? DEFAULTS.nodeGroup.autoRepair,
    offers,
  };
}

function normalizeJob(
  j: EksJob,
  spec: PipelineSpec,
  eksName: string,
  groups: readonly ResolvedEksNodeGroup[],
): ResolvedEksJob {
  const pipeline = spec.name;
  const group = groups.find((g) => g.name === j.nodeGroup);
  // The check stage refuses a job whose node group does not exist (eks/job-node-group).
  if (group === undefined) throw new Error(`internal: job ${j.name} names no node group`);
  const prefix = defaultJobPrefix(pipeline, j.name);
  const checkpoints = {
    bucket: j.checkpoints?.bucket ?? DEFAULTS.job.checkpointsBucket,
    prefix: j.checkpoints?.prefix ?? prefix,
  };
  const model = { bucket: j.model?.bucket ?? DEFAULTS.job.modelBucket, prefix: j.model?.prefix ?? prefix };
  const own = new Set([checkpoints, model].map((l) => `${l.bucket}/${l.prefix}`));
  const reads = resolveLocations(j.reads);
  const buckets = new Map(normalizeStorage(spec).buckets.map((b) => [b.name, b.bucketName]));
  const uri = (l: ResolvedJobOutput) => `s3://${buckets.get(l.bucket) ?? l.bucket}/${l.prefix}`;
  return {
    name: j.name,
    nodeGroup: group.name,
    nodeGroupName: group.nodeGroupName,
    image: j.image,
    entryPoint: j.entryPoint,
    args: [...(j.args ?? [])],
    namespace: j.namespace ?? DEFAULTS.job.namespace,
    serviceAccount: j.serviceAccount ?? j.name,
    roleComponent: `${eksName}-job-${j.name}`,
    nodes: j.nodes ?? DEFAULTS.job.nodes,
    gpusPerNode: j.gpusPerNode ?? group.offers.gpus,
    efaPerNode: group.offers.efa,
    efaRdma: group.offers.efaRdma,
    ...(j.resources !== undefined ? { resources: { ...j.resources } } : {}),
    reads,
    writes: resolveLocations(j.writes).filter((l) => !own.has(`${l.bucket}/${l.prefix}`)),
    checkpoints,
    model,
    uris: { checkpoints: uri(checkpoints), model: uri(model), reads: reads.map(uri) },
    maxRestarts: j.maxRestarts ?? DEFAULTS.job.maxRestarts,
    tolerations: group.taints,
  };
}

/** Resolves `training.eks`; undefined when the spec has no EKS cluster. */
export function normalizeEks(spec: PipelineSpec): ResolvedEks | undefined {
  const eks = spec.training?.eks;
  if (eks === undefined) return undefined;
  const name = eks.name ?? DEFAULTS.name;
  const clusterName = `${spec.name}-${name}`;
  const nodeGroups = eks.nodeGroups.map((ng) => normalizeNodeGroup(ng, clusterName)).sort(byName);
  const admins: ResolvedEksAdmin[] = eks.admins
    .map((arn) => ({ id: adminId(arn), principalArn: arn }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    name,
    clusterName,
    region: spec.region,
    version: eks.version,
    endpoint: {
      publicAccess: eks.endpoint?.publicAccess ?? DEFAULTS.endpointPublicAccess,
      publicAccessCidrs: [...(eks.endpoint?.publicAccessCidrs ?? [])].sort(),
    },
    authenticationMode: eks.authenticationMode ?? DEFAULTS.authenticationMode,
    supportType: eks.supportType ?? DEFAULTS.supportType,
    logGroupName: `/aws/eks/${clusterName}/cluster`,
    logTypes: [...EKS_LOG_TYPES].sort(),
    admins,
    addons: EKS_ADDONS.map((addon) => {
      const version = eks.addons?.[addon]?.version;
      return { name: addon, ...(version !== undefined ? { version } : {}) };
    }),
    nodeGroups,
    autoscaler: {
      image: `registry.k8s.io/autoscaling/cluster-autoscaler:${AUTOSCALER_VERSIONS[eks.version]}`,
      roleComponent: `${name}-cluster-autoscaler`,
    },
    devicePlugins: {
      ...(nodeGroups.some((g) => g.offers.gpus > 0) ? { nvidia: IN_CLUSTER_IMAGES.nvidiaDevicePlugin } : {}),
      ...(nodeGroups.some((g) => g.efaInterfaces > 0)
        ? {
            efa: `${eksRegistry(spec.region)}/eks/aws-efa-k8s-device-plugin:${IN_CLUSTER_IMAGES.efaDevicePluginTag}`,
          }
        : {}),
    },
    jobs: (eks.jobs ?? []).map((j) => normalizeJob(j, spec, name, nodeGroups)).sort(byName),
  };
}
