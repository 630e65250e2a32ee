import type { ResolvedDataLocation } from './data';

/**
 * The resolved EKS training cluster (`training.eks`): every default applied and every AWS
 * name computed, so the construct layer only translates it into resources.
 */

/** EKS AMI types pipeform offers (x86_64; AL2 ones only up to Kubernetes 1.32). */
export type EksAmiType =
  | 'AL2023_x86_64_NVIDIA'
  | 'AL2023_x86_64_NEURON'
  | 'AL2023_x86_64_STANDARD'
  | 'AL2_x86_64_GPU'
  | 'AL2_x86_64';

/** The core add-ons pipeform installs, by their EKS add-on name. */
export type EksAddonName =
  'vpc-cni' | 'coredns' | 'kube-proxy' | 'aws-ebs-csi-driver' | 'eks-pod-identity-agent';

/** A taint as the EKS API spells it. */
export interface ResolvedEksTaint {
  readonly key: string;
  /** Absent for a taint without a value. */
  readonly value?: string;
  readonly effect: 'NO_SCHEDULE' | 'PREFER_NO_SCHEDULE' | 'NO_EXECUTE';
}

/** One managed node group with its launch template. */
export interface ResolvedEksNodeGroup {
  /** Spec name: construct id and address part. */
  readonly name: string;
  /** EKS node group name, `<cluster>-<name>` (hash-shortened to EKS's 63 characters). */
  readonly nodeGroupName: string;
  /** Launch template name, `<cluster>-<name>`. */
  readonly launchTemplateName: string;
  /** In the order given: the priority order for ON_DEMAND. */
  readonly instanceTypes: readonly string[];
  readonly capacityType: 'SPOT' | 'ON_DEMAND';
  /** Runs GPU workloads (decides the default AMI, taint, label and disk size). */
  readonly gpu: boolean;
  readonly amiType: EksAmiType;
  readonly scaling: { readonly minSize: number; readonly desiredSize: number; readonly maxSize: number };
  readonly diskSizeGiB: number;
  /**
   * EFA interfaces in the launch template: the fewest any listed type takes (one per
   * network card); 0 when EFA is off.
   */
  readonly efaInterfaces: number;
  /** Cluster placement group name; undefined when the group is not placed. */
  readonly placementGroupName?: string;
  /** Sorted by key. */
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly ResolvedEksTaint[];
  readonly imdsHopLimit: number;
  readonly autoRepair: boolean;
  /**
   * What one node offers a pod, from the smallest listed type (the cluster autoscaler's
   * node template and the job fit check use the same numbers).
   */
  readonly offers: ResolvedNodeOffer;
}

/** The resources one node of a group offers, as the smallest of its instance types has them. */
export interface ResolvedNodeOffer {
  readonly vcpus: number;
  readonly memoryGiB: number;
  /** `nvidia.com/gpu` devices (0 without NVIDIA GPUs). */
  readonly gpus: number;
  /** `vpc.amazonaws.com/efa` devices: the EFA interfaces of the launch template (0 without EFA). */
  readonly efa: number;
  /** Every type of the group supports EFA with RDMA (GPUDirect: p4d, p4de, p5, p5e, trn1). */
  readonly efaRdma: boolean;
}

/** A prefix the job owns in a data-lake bucket. */
export type ResolvedJobOutput = ResolvedDataLocation;

/** One training workload on the cluster (`training.eks.jobs[]`). */
export interface ResolvedEksJob {
  /** Spec name: construct id, Job and Service name. */
  readonly name: string;
  /** Spec name of the node group the pods run on. */
  readonly nodeGroup: string;
  readonly image: string;
  readonly entryPoint: string;
  readonly args: readonly string[];
  readonly namespace: string;
  readonly serviceAccount: string;
  /** IAM role component name: the role is `<pipeline>-<roleComponent>`. */
  readonly roleComponent: string;
  readonly nodes: number;
  readonly gpusPerNode: number;
  /** EFA devices each pod requests: all the node offers (0 without EFA). */
  readonly efaPerNode: number;
  /** Set FI_EFA_USE_DEVICE_RDMA=1 (the group's types support RDMA over EFA). */
  readonly efaRdma: boolean;
  /** CPU and memory requests; undefined: none (the pod takes the whole node through its devices). */
  readonly resources?: { readonly cpu?: number; readonly memoryGiB?: number };
  /** Sorted and deduplicated. */
  readonly reads: readonly ResolvedDataLocation[];
  /** Sorted and deduplicated; the checkpoint and model prefixes are not repeated here. */
  readonly writes: readonly ResolvedDataLocation[];
  readonly checkpoints: ResolvedJobOutput;
  readonly model: ResolvedJobOutput;
  /** `s3://<bucket name>/<prefix>` of the checkpoints, the model and the reads (what the pod's environment names). */
  readonly uris: { readonly checkpoints: string; readonly model: string; readonly reads: readonly string[] };
  readonly maxRestarts: number;
  /** The node group's taints, which the pods tolerate. */
  readonly tolerations: readonly ResolvedEksTaint[];
  /** The EKS node group name the pods select (`eks.amazonaws.com/nodegroup`). */
  readonly nodeGroupName: string;
}

/** The cluster autoscaler pipeform runs in kube-system. */
export interface ResolvedEksAutoscaler {
  /** Image whose minor version matches the cluster's, e.g. `registry.k8s.io/autoscaling/cluster-autoscaler:v1.32.7`. */
  readonly image: string;
  /** IAM role component name: the role is `<pipeline>-<roleComponent>`. */
  readonly roleComponent: string;
}

/** The in-cluster pieces besides the autoscaler: device plugins, each only where a group needs it. */
export interface ResolvedEksDevicePlugins {
  /** NVIDIA device plugin image; undefined when no group has NVIDIA GPUs. */
  readonly nvidia?: string;
  /** EFA device plugin image (the region's EKS registry); undefined when no group has EFA. */
  readonly efa?: string;
}

/** An access entry with cluster-admin rights. */
export interface ResolvedEksAdmin {
  /** Construct id derived from the ARN's resource (`role-ml-admin`), unique in the cluster. */
  readonly id: string;
  readonly principalArn: string;
}

/** One core add-on. */
export interface ResolvedEksAddon {
  readonly name: EksAddonName;
  /** Undefined: the EKS default for the cluster version. */
  readonly version?: string;
}

/** The EKS training cluster. */
export interface ResolvedEks {
  /** Spec name (default `training`). */
  readonly name: string;
  /** EKS cluster name, `<pipeline>-<name>`. */
  readonly clusterName: string;
  /** The pipeline region, which in-cluster software is told (pods cannot reach IMDS to learn it: hop limit 1). */
  readonly region: string;
  readonly version: string;
  /** The private endpoint is always on. */
  readonly endpoint: { readonly publicAccess: boolean; readonly publicAccessCidrs: readonly string[] };
  readonly authenticationMode: 'API' | 'API_AND_CONFIG_MAP';
  readonly supportType: 'STANDARD' | 'EXTENDED';
  /** `/aws/eks/<cluster>/cluster`, the name EKS writes control-plane logs to. */
  readonly logGroupName: string;
  /** Every control-plane log type, sorted. */
  readonly logTypes: readonly string[];
  /** Sorted by id. */
  readonly admins: readonly ResolvedEksAdmin[];
  /** Always the five core add-ons, sorted by name. */
  readonly addons: readonly ResolvedEksAddon[];
  /** Sorted by name. */
  readonly nodeGroups: readonly ResolvedEksNodeGroup[];
  readonly autoscaler: ResolvedEksAutoscaler;
  readonly devicePlugins: ResolvedEksDevicePlugins;
  /** Sorted by name. */
  readonly jobs: readonly ResolvedEksJob[];
}
