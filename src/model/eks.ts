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
export type EksAddonName = 'vpc-cni' | 'coredns' | 'kube-proxy' | 'aws-ebs-csi-driver';

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
  /** Always the four core add-ons, sorted by name. */
  readonly addons: readonly ResolvedEksAddon[];
  /** Sorted by name. */
  readonly nodeGroups: readonly ResolvedEksNodeGroup[];
}
