import { parseArn } from '../arn';
import type { CheckContext, CheckRule } from '../check';
import { everywhere, exposureOf, isAligned, parseCidr, sharePercent, type Exposure } from '../cidr';
import type { Diagnostic } from '../diagnostics';
import {
  adminId,
  AL2_AMI_TYPES,
  amiAccelerator,
  DEFAULTS,
  instanceTypeInfo,
  KNOWN_INSTANCE_TYPES,
  nodeGroupBasics,
  nodeOffer,
  reservedNamespace,
} from '../../areas/eks/catalog';
import { DEFAULTS as NETWORK_DEFAULTS } from '../../areas/network/catalog';
import { parseEcrImage } from '../../areas/training/catalog';
import { didYouMean } from '../suggest';
import type { Eks, EksJob, EksNodeGroup } from '../../spec/types.generated';
import { duplicateNames, unknownBuckets, unknownRef } from './references';

const EKS = ['training', 'eks'] as const;
const groupPath = (i: number, ...rest: (string | number)[]) => [...EKS, 'nodeGroups', i, ...rest];

/** Runs `f` over every node group of `training.eks` (none without a cluster). */
function eachGroup(
  ctx: CheckContext,
  f: (ng: EksNodeGroup, i: number, eks: Eks) => Diagnostic[],
): Diagnostic[] {
  const eks = ctx.spec.training?.eks;
  return eks ? eks.nodeGroups.flatMap((ng, i) => f(ng, i, eks)) : [];
}

/** EFA-capable types to suggest, the largest GPU ones first. */
const EFA_EXAMPLES = 'p5.48xlarge, p5e.48xlarge, p4d.24xlarge, p4de.24xlarge, g6e.48xlarge, g5.48xlarge';

const ACCELERATOR_NAMES = { nvidia: 'an NVIDIA GPU', neuron: 'an AWS Trainium accelerator' } as const;

/** What a too-wide public allow-list lets in, and the limit (issue 13: judged on the union). */
function tooWideMessage(subjectAndVerb: string, e: Exposure): string {
  return `${subjectAndVerb} ${e.addresses.toLocaleString('en-US')} addresses (${sharePercent(e)} of the IPv${e.family} internet) reach the Kubernetes API endpoint; at most a /8's worth (${e.limit.toLocaleString('en-US')}) may`;
}

/** Rules on the cluster and its node groups. */
const clusterRules: readonly CheckRule[] = [
  {
    id: 'eks/needs-network',
    description:
      'An EKS cluster runs in the private subnets of a network, in at least two availability zones (EKS requires two for the control plane).',
    run: (ctx) => {
      const eks = ctx.spec.training?.eks;
      if (!eks) return [];
      const n = ctx.spec.network;
      if (n === undefined) {
        return [
          ctx.report(
            EKS,
            'an EKS cluster runs in private subnets, but the spec has no network',
            'add network.vpc with cidr and at least two availabilityZones (and natGateways: single), or network.existing',
            { key: true },
          ),
        ];
      }
      if (n.vpc && n.vpc.availabilityZones.length < 2) {
        return [
          ctx.report(
            ['network', 'vpc', 'availabilityZones'],
            'EKS needs subnets in at least two availability zones; the VPC has one',
            'list a second availability zone',
          ),
        ];
      }
      if (!n.vpc && n.existing && n.existing.subnetIds.length < 2) {
        return [
          ctx.report(
            ['network', 'existing', 'subnetIds'],
            'EKS needs subnets in at least two availability zones; the network names one subnet',
            'add a private subnet of a second availability zone',
          ),
        ];
      }
      return [];
    },
  },
  {
    id: 'eks/node-egress',
    description:
      'EKS nodes reach the EC2 API (the VPC CNI assigns pod IPs through it); a VPC pipeform creates has no EC2 endpoint, so it needs NAT.',
    run: (ctx) => {
      const vpc = ctx.spec.network?.vpc;
      if (!ctx.spec.training?.eks || !vpc || (vpc.natGateways ?? NETWORK_DEFAULTS.vpc.natGateways) !== 'none')
        return [];
      return [
        ctx.report(
          vpc.natGateways === undefined ? ['network', 'vpc'] : ['network', 'vpc', 'natGateways'],
          'EKS nodes need the EC2 API for pod networking (VPC CNI), but the VPC has no NAT gateway',
          'set network.vpc.natGateways: single (or per-az) with publicSubnets: true; egress stays HTTPS-only',
          { key: vpc.natGateways === undefined },
        ),
      ];
    },
  },
  {
    id: 'eks/public-endpoint',
    description:
      "The public API endpoint is off by default; when on it needs a list of allowed CIDRs whose union covers at most a /8's worth of addresses (never 0.0.0.0/0, whole or in pieces).",
    run: (ctx) => {
      const endpoint = ctx.spec.training?.eks?.endpoint;
      if (!endpoint) return [];
      const at = [...EKS, 'endpoint'];
      const cidrs = endpoint.publicAccessCidrs ?? [];
      if (!(endpoint.publicAccess ?? DEFAULTS.endpointPublicAccess)) {
        return endpoint.publicAccessCidrs
          ? [
              ctx.report(
                [...at, 'publicAccessCidrs'],
                'publicAccessCidrs is set but the public endpoint is off',
                'remove publicAccessCidrs, or set publicAccess: true',
                { key: true },
              ),
            ]
          : [];
      }
      if (cidrs.length === 0) {
        return [
          ctx.report(
            [...at, 'publicAccess'],
            'the public endpoint is on without publicAccessCidrs; it would be open to the internet',
            'add publicAccessCidrs with your office or VPN ranges, e.g. [203.0.113.0/24]',
          ),
        ];
      }
      const exposureHint =
        'list only the ranges that administer the cluster (office, VPN, bastion), or keep the endpoint private';
      const list = [...at, 'publicAccessCidrs'];
      const formats = cidrs.flatMap((text, i) => {
        const c = parseCidr(text);
        const path = [...list, i];
        if (!c) return [ctx.report(path, `${JSON.stringify(text)} is not an IPv4 CIDR`, 'octets are 0-255')];
        return isAligned(c)
          ? []
          : [ctx.report(path, `${text} has host bits set`, 'use the network address of the range')];
      });
      // What reaches the endpoint is the union of the ranges, not each range alone
      // ([0.0.0.0/1, 128.0.0.0/1] is the whole internet). Blame single ranges where they
      // are enough on their own, the list where only the union is.
      const exposure = exposureOf(cidrs).flatMap((e) => {
        const single = cidrs.map((text, i) => ({ i, text, e: exposureOf([text])[0] }));
        const own = single.filter((x) => x.e?.family === e.family);
        if (e.whole) {
          const open = own.filter((x) => x.e.whole);
          return open.length > 0
            ? open.map((x) =>
                ctx.report(
                  [...list, x.i],
                  `${x.text} opens the Kubernetes API endpoint to the whole internet`,
                  exposureHint,
                ),
              )
            : [
                ctx.report(
                  list,
                  `publicAccessCidrs together cover all of ${everywhere(e.family)}: the Kubernetes API endpoint would be open to the whole internet`,
                  exposureHint,
                  { key: true },
                ),
              ];
        }
        const wide = own.filter((x) => x.e.tooWide);
        if (wide.length > 0)
          return wide.map((x) =>
            ctx.report([...list, x.i], tooWideMessage(`${x.text} lets`, x.e), exposureHint),
          );
        return e.tooWide
          ? [
              ctx.report(list, tooWideMessage('publicAccessCidrs together let', e), exposureHint, {
                key: true,
              }),
            ]
          : [];
      });
      return [...formats, ...exposure];
    },
  },
  {
    id: 'eks/admins-in-account',
    description:
      'Cluster admins are roles or users of the pipeline account, each named once (their access entries are named after them).',
    run: (ctx) => {
      const admins = ctx.spec.training?.eks?.admins ?? [];
      const seen = new Map<string, number>();
      return admins.flatMap((text, i) => {
        const path = [...EKS, 'admins', i];
        const arn = parseArn(text);
        if (arn && arn.account !== ctx.spec.account) {
          return [
            ctx.report(
              path,
              `cluster admin is in account ${arn.account}, not the pipeline account ${ctx.spec.account}`,
              'name a role or user of the pipeline account',
            ),
          ];
        }
        const id = adminId(text);
        const first = seen.get(id);
        if (first !== undefined) {
          return [
            ctx.report(
              path,
              `cluster admin ${text} gets the same access-entry name as admins[${first}] (${id})`,
              'name each principal once',
            ),
          ];
        }
        seen.set(id, i);
        return [];
      });
    },
  },
  {
    id: 'eks/unique-node-groups',
    description:
      'Node group names are unique: node groups, launch templates and placement groups are named after them.',
    run: (ctx) => {
      const seen = new Map<string, number>();
      return eachGroup(ctx, (ng, i) => {
        const first = seen.get(ng.name);
        if (first === undefined) {
          seen.set(ng.name, i);
          return [];
        }
        return [
          ctx.report(
            groupPath(i, 'name'),
            `node group name ${JSON.stringify(ng.name)} is already used by nodeGroups[${first}]`,
            'give each node group its own name',
          ),
        ];
      });
    },
  },
  {
    id: 'eks/instance-types-known',
    description:
      'Instance types are ones pipeform knows (GPU, EFA and Trainium capabilities are checked against its table).',
    run: (ctx) =>
      eachGroup(ctx, (ng, i) =>
        ng.instanceTypes.flatMap((type, j) => {
          if (instanceTypeInfo(type)) return [];
          const near = didYouMean(type, KNOWN_INSTANCE_TYPES);
          return [
            ctx.report(
              groupPath(i, 'instanceTypes', j),
              `unknown instance type ${JSON.stringify(type)}${near ? `; did you mean "${near}"?` : ''}`,
              'known families: p4d, p4de, p5, p5e, g5, g6, g6e, trn1, m5, m6i, m7i, c5, c6i, c7i, r5, r6i, r7i',
            ),
          ];
        }),
      ),
  },
  {
    id: 'eks/gpu-instance-types',
    description:
      'A GPU workload (gpu: true or an NVIDIA AMI) runs on NVIDIA GPU types and a Neuron AMI on Trainium types: otherwise nodes have no usable accelerator.',
    run: (ctx) =>
      eachGroup(ctx, (ng, i) => {
        const b = nodeGroupBasics(ng);
        const out: Diagnostic[] = [];
        const amiAcc = amiAccelerator(b.amiType);
        if (b.gpu && amiAcc !== 'nvidia') {
          out.push(
            ctx.report(
              groupPath(i, 'amiType'),
              `node group "${ng.name}" runs a GPU workload, but AMI type ${b.amiType} has no NVIDIA driver`,
              'use amiType AL2023_x86_64_NVIDIA, or set gpu: false',
            ),
          );
          return out;
        }
        const needed = b.gpu ? 'nvidia' : amiAcc;
        if (needed === 'none') return out;
        const why = ng.gpu
          ? 'gpu: true'
          : ng.amiType
            ? `amiType ${ng.amiType}`
            : needed === 'nvidia'
              ? 'gpu defaults to true: other types of the group have NVIDIA GPUs'
              : 'its AMI defaults to AL2023_x86_64_NEURON: other types of the group are Trainium';
        ng.instanceTypes.forEach((type, j) => {
          const info = instanceTypeInfo(type);
          if (info === undefined || info.accelerator === needed) return;
          out.push(
            ctx.report(
              groupPath(i, 'instanceTypes', j),
              `${type} has no ${needed === 'nvidia' ? 'NVIDIA GPU' : 'AWS Trainium accelerator'}, but node group "${ng.name}" needs ${ACCELERATOR_NAMES[needed]} (${why})`,
              needed === 'nvidia'
                ? 'use GPU types (p5, p5e, p4d, p4de, g6e, g6, g5), or move CPU types to a group with gpu: false'
                : 'use trn1 types, or another amiType',
            ),
          );
        });
        return out;
      }),
  },
  {
    id: 'eks/efa-instance-types',
    description:
      'EFA is requested only on instance types that support it: a launch template with EFA interfaces fails to launch elsewhere.',
    run: (ctx) =>
      eachGroup(ctx, (ng, i) =>
        (ng.efa ?? DEFAULTS.nodeGroup.efa)
          ? ng.instanceTypes.flatMap((type, j) => {
              const info = instanceTypeInfo(type);
              return info === undefined || info.efaInterfaces > 0
                ? []
                : [
                    ctx.report(
                      groupPath(i, 'instanceTypes', j),
                      `${type} does not support EFA, but node group "${ng.name}" sets efa: true`,
                      `use EFA-capable types (${EFA_EXAMPLES}), or set efa: false`,
                    ),
                  ];
            })
          : [],
      ),
  },
  {
    id: 'eks/spot-diversity',
    description:
      'A spot node group lists at least two instance types: spot capacity of one type alone is often unavailable (capacity diversity).',
    run: (ctx) =>
      eachGroup(ctx, (ng, i) =>
        nodeGroupBasics(ng).capacityType === 'SPOT' && ng.instanceTypes.length < 2
          ? [
              ctx.report(
                groupPath(i, 'instanceTypes'),
                `spot node group "${ng.name}" lists one instance type; spot capacity of a single type is often unavailable`,
                'list two or more interchangeable types (e.g. p5.48xlarge and p5e.48xlarge), or set capacityType: ON_DEMAND',
              ),
            ]
          : [],
      ),
  },
  {
    id: 'eks/scaling',
    description: 'Node group sizes are ordered: minSize <= desiredSize <= maxSize.',
    run: (ctx) =>
      eachGroup(ctx, (ng, i) => {
        const { minSize, desiredSize, maxSize } = nodeGroupBasics(ng).scaling;
        if (minSize > maxSize) {
          return [
            ctx.report(
              groupPath(i, 'scaling', 'minSize'),
              `minSize ${minSize} is above maxSize ${maxSize}`,
              `set minSize to at most ${maxSize}`,
            ),
          ];
        }
        if (desiredSize < minSize || desiredSize > maxSize) {
          return [
            ctx.report(
              groupPath(i, 'scaling', 'desiredSize'),
              `desiredSize ${desiredSize} is outside minSize ${minSize} .. maxSize ${maxSize}`,
              `set desiredSize between ${minSize} and ${maxSize}`,
            ),
          ];
        }
        return [];
      }),
  },
  {
    id: 'eks/ami-version',
    description: 'AL2 AMI types exist only up to Kubernetes 1.32: EKS publishes AL2023 AMIs alone from 1.33.',
    run: (ctx) =>
      eachGroup(ctx, (ng, i, eks) => {
        const ami = nodeGroupBasics(ng).amiType;
        const [major, minor] = eks.version.split('.').map(Number);
        return AL2_AMI_TYPES.includes(ami) && (major > 1 || minor >= 33)
          ? [
              ctx.report(
                groupPath(i, 'amiType'),
                `EKS publishes no ${ami} AMI for Kubernetes ${eks.version}`,
                `use ${ami === 'AL2_x86_64_GPU' ? 'AL2023_x86_64_NVIDIA' : 'AL2023_x86_64_STANDARD'}, or version 1.32`,
              ),
            ]
          : [];
      }),
  },
  {
    id: 'eks/system-node-group',
    description:
      'At least one node group is untainted with minSize >= 1, so CoreDNS and the EBS CSI controller always have a node (the add-ons fail otherwise).',
    run: (ctx) => {
      const eks = ctx.spec.training?.eks;
      if (!eks) return [];
      const fits = eks.nodeGroups.some((ng) => {
        const b = nodeGroupBasics(ng);
        return b.scaling.minSize >= 1 && b.taints.every((t) => t.effect === 'PreferNoSchedule');
      });
      return fits
        ? []
        : [
            ctx.report(
              [...EKS, 'nodeGroups'],
              'no node group can run CoreDNS and the EBS CSI controller: every group is tainted (GPU groups are by default) or scales to zero',
              'add a small CPU group, e.g. {name: system, instanceTypes: [m7i.large, m6i.large], scaling: {minSize: 1, maxSize: 3}}',
              { key: true },
            ),
          ];
    },
  },
];

const jobPath = (i: number, ...rest: (string | number)[]) => [...EKS, 'jobs', i, ...rest];

/** Runs `f` over every job of `training.eks` with its node group (undefined when it names none). */
function eachJob(
  ctx: CheckContext,
  f: (job: EksJob, i: number, group: EksNodeGroup | undefined, eks: Eks) => Diagnostic[],
): Diagnostic[] {
  const eks = ctx.spec.training?.eks;
  if (eks === undefined) return [];
  return (eks.jobs ?? []).flatMap((j, i) =>
    f(
      j,
      i,
      eks.nodeGroups.find((g) => g.name === j.nodeGroup),
      eks,
    ),
  );
}

/** Share of a node's vCPUs and memory a job may request: the rest is for the kubelet, OS and DaemonSets. */
export const JOB_NODE_SHARE = 0.9;

/** Rules on the training jobs: identity, placement and fit. */
const jobRules: readonly CheckRule[] = [
  {
    id: 'eks/job-unique',
    description:
      'Job names are unique (Jobs, Services, IAM roles and prefixes are named after them), and no two jobs share a namespace and service account (each service account has one IAM role).',
    run: (ctx) => {
      const jobs = ctx.spec.training?.eks?.jobs;
      const out = duplicateNames(ctx, jobs, [...EKS, 'jobs'], 'job');
      const seen = new Map<string, number>();
      (jobs ?? []).forEach((j, i) => {
        const key = `${j.namespace ?? DEFAULTS.job.namespace}/${j.serviceAccount ?? j.name}`;
        const first = seen.get(key);
        if (first === undefined) seen.set(key, i);
        else if (jobs![first].name !== j.name) {
          out.push(
            ctx.report(
              j.serviceAccount !== undefined ? jobPath(i, 'serviceAccount') : jobPath(i, 'name'),
              `job "${j.name}" runs as service account ${key}, which jobs[${first}] ("${jobs![first].name}") already uses; the two would share one IAM role`,
              'give each job its own service account (the default is the job name)',
            ),
          );
        }
      });
      return out;
    },
  },
  {
    id: 'eks/job-namespace',
    description: "Jobs run in namespaces of their own, not in 'default' or Kubernetes' kube-* namespaces.",
    run: (ctx) =>
      eachJob(ctx, (j, i) =>
        j.namespace !== undefined && reservedNamespace(j.namespace)
          ? [
              ctx.report(
                jobPath(i, 'namespace'),
                `namespace ${JSON.stringify(j.namespace)} belongs to Kubernetes; training jobs get a namespace of their own`,
                `use a namespace such as ${DEFAULTS.job.namespace} (the default)`,
              ),
            ]
          : [],
      ),
  },
  {
    id: 'eks/job-node-group',
    description:
      'A job names a node group of the cluster with NVIDIA GPUs or CPUs (pipeform installs the NVIDIA and EFA device plugins, not the Neuron one).',
    run: (ctx) =>
      eachJob(ctx, (j, i, group, eks) => {
        if (group === undefined) {
          return [
            unknownRef(
              ctx,
              jobPath(i, 'nodeGroup'),
              'node group',
              j.nodeGroup,
              eks.nodeGroups.map((g) => g.name),
              'training.eks.nodeGroups',
            ),
          ];
        }
        const b = nodeGroupBasics(group);
        return !b.gpu && amiAccelerator(b.amiType) === 'neuron'
          ? [
              ctx.report(
                jobPath(i, 'nodeGroup'),
                `node group "${group.name}" runs AWS Trainium; pipeform's jobs run on NVIDIA GPU or CPU groups`,
                'choose a GPU group (p5, p4d, g6e, ...) for the job',
              ),
            ]
          : [];
      }),
  },
  {
    id: 'eks/job-fits',
    description:
      "A job fits its node group: at most maxSize nodes, at most the GPUs of the group's smallest type per pod, and CPU and memory requests that leave 10% of that type for the system.",
    run: (ctx) =>
      eachJob(ctx, (j, i, group) => {
        if (group === undefined) return [];
        const out: Diagnostic[] = [];
        const offer = nodeOffer(group);
        const { maxSize } = nodeGroupBasics(group).scaling;
        const nodes = j.nodes ?? DEFAULTS.job.nodes;
        if (nodes > maxSize) {
          out.push(
            ctx.report(
              jobPath(i, 'nodes'),
              `job "${j.name}" needs ${nodes} nodes, but node group "${group.name}" grows to ${maxSize} at most`,
              `set nodes to at most ${maxSize}, or raise the group's scaling.maxSize to ${nodes}`,
            ),
          );
        }
        if (j.gpusPerNode !== undefined && j.gpusPerNode > offer.gpus) {
          const smallest = group.instanceTypes.find((t) => instanceTypeInfo(t)?.gpus === offer.gpus);
          out.push(
            ctx.report(
              jobPath(i, 'gpusPerNode'),
              offer.gpus === 0
                ? `job "${j.name}" asks for ${j.gpusPerNode} GPUs per node, but node group "${group.name}" has no NVIDIA GPUs`
                : `job "${j.name}" asks for ${j.gpusPerNode} GPUs per node, but ${smallest ?? 'the smallest type'} of node group "${group.name}" has ${offer.gpus}`,
              offer.gpus === 0
                ? 'run the job on a GPU node group, or set gpusPerNode: 0'
                : `set gpusPerNode to at most ${offer.gpus}, or use larger instance types`,
            ),
          );
        }
        const limits: [keyof NonNullable<EksJob['resources']>, number, string][] = [
          ['cpu', Math.floor(offer.vcpus * JOB_NODE_SHARE), 'vCPUs'],
          ['memoryGiB', Math.floor(offer.memoryGiB * JOB_NODE_SHARE), 'GiB of memory'],
        ];
        for (const [key, limit, unit] of limits) {
          const asked = j.resources?.[key];
          if (asked !== undefined && asked > limit) {
            out.push(
              ctx.report(
                jobPath(i, 'resources', key),
                `job "${j.name}" requests ${asked} ${unit} per pod, but a node of group "${group.name}" can give a pod ${limit} (90% of its smallest type)`,
                `request at most ${limit}, or omit it`,
              ),
            );
          }
        }
        return out;
      }),
  },
  {
    id: 'eks/job-image',
    description:
      'Job images are ECR URIs in the pipeline region (no cross-region pulls on every node start).',
    run: (ctx) =>
      eachJob(ctx, (j, i) => {
        const parsed = parseEcrImage(j.image);
        if (!parsed) {
          return [
            ctx.report(
              jobPath(i, 'image'),
              `${JSON.stringify(j.image)} is not an ECR image URI`,
              `use <account>.dkr.ecr.${ctx.spec.region}.amazonaws.com/<repository>:<tag> (or @sha256:<digest>)`,
            ),
          ];
        }
        return parsed.region === ctx.spec.region
          ? []
          : [
              ctx.report(
                jobPath(i, 'image'),
                `the image is in region ${parsed.region}, but the pipeline region is ${ctx.spec.region}`,
                `replicate the repository to ${ctx.spec.region} and use that URI`,
              ),
            ];
      }),
  },
  {
    id: 'eks/job-buckets',
    description: "A job's reads, writes, checkpoints and model name buckets of the data lake.",
    run: (ctx) => unknownBuckets(ctx, ctx.spec.training?.eks?.jobs, [...EKS, 'jobs']),
  },
];

/** Every EKS rule. */
export const eksRules: readonly CheckRule[] = [...clusterRules, ...jobRules];
