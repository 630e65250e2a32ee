/**
 * The in-cluster half of the EKS training cluster: the Kubernetes objects `pipeform synth`
 * writes to `k8s/` beside main.tf.json. Terraform creates the AWS side (cluster, node
 * groups, IAM roles, Pod Identity associations, autoscaler tags); these manifests are what
 * must run inside the cluster for a job to get nodes, GPUs, EFA and credentials:
 *
 *   k8s/kustomization.yaml         kubectl apply -k k8s/ (everything below but the jobs)
 *   k8s/cluster-autoscaler.yaml    grows node groups from zero when pods wait, shrinks idle ones
 *   k8s/nvidia-device-plugin.yaml  advertises nvidia.com/gpu on GPU nodes
 *   k8s/efa-device-plugin.yaml     advertises vpc.amazonaws.com/efa on EFA nodes
 *   k8s/training.yaml              namespaces, service accounts, rendezvous Services of the jobs
 *   k8s/jobs/<job>.yaml            one example Job per workload: kubectl create -f
 *
 * Pure functions of the resolved spec: the same spec gives the same bytes. Every object
 * is checked against the Kubernetes API types at compile time (`satisfies`, which also
 * refuses unknown fields) and validated against the API's JSON schemas in the tests.
 */
import type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import type { IClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import type { INamespace } from 'kubernetes-models/v1/Namespace';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { IToleration } from 'kubernetes-models/v1/Toleration';
import { stringify } from 'yaml';
import { CAPACITY_TYPE_LABEL, GPU_LABEL, NODE_GROUP_LABEL } from '../../areas/eks/catalog';
import type { ResolvedEks, ResolvedEksJob, ResolvedEksNodeGroup, ResolvedEksTaint } from '../../model/eks';
import { VERSION } from '../../version';

/** A Kubernetes object as written: apiVersion, kind, metadata and the rest. */
export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: {
    readonly name?: string;
    readonly namespace?: string;
    readonly [field: string]: unknown;
  };
  readonly [field: string]: unknown;
}

/** Folder (beside main.tf.json) of the manifests. */
export const K8S_DIR = 'k8s';

/** Port of torchrun's c10d rendezvous on the job's first pod. */
export const RENDEZVOUS_PORT = 29400;

/**
 * Seconds a training pod has between SIGTERM and SIGKILL. A spot interruption notice
 * comes two minutes before EC2 reclaims the node and the managed node group drains it
 * on that notice: 90 s leaves the script time to write a last checkpoint and the drain
 * time to finish before the instance goes.
 */
export const TRAINING_GRACE_SECONDS = 90;

/** Finished Jobs (and their pods' logs) stay a week, then Kubernetes deletes them. */
const FINISHED_JOB_TTL_SECONDS = 7 * 24 * 3600;

/** Service account and labels of the cluster autoscaler. */
export const AUTOSCALER_SERVICE_ACCOUNT = 'cluster-autoscaler';
const AUTOSCALER_NAMESPACE = 'kube-system';

const managedBy = { 'app.kubernetes.io/managed-by': 'pipeform' } as const;

/** Kubernetes spells taint effects NoSchedule, EKS NO_SCHEDULE. */
export function kubernetesEffect(
  effect: ResolvedEksTaint['effect'],
): 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' {
  return effect === 'NO_SCHEDULE'
    ? 'NoSchedule'
    : effect === 'PREFER_NO_SCHEDULE'
      ? 'PreferNoSchedule'
      : 'NoExecute';
}

/** Tolerations for exactly these taints (value-exact where the taint has a value). */
function tolerate(taints: readonly ResolvedEksTaint[]): IToleration[] {
  return taints.map((t) =>
    t.value === undefined
      ? { key: t.key, operator: 'Exists', effect: kubernetesEffect(t.effect) }
      : { key: t.key, operator: 'Equal', value: t.value, effect: kubernetesEffect(t.effect) },
  );
}

/** Tolerations for every taint of these groups, deduplicated and sorted. */
function tolerateGroups(groups: readonly ResolvedEksNodeGroup[]): IToleration[] {
  const byKey = new Map<string, IToleration>();
  for (const t of tolerate(groups.flatMap((g) => g.taints))) byKey.set(JSON.stringify(t), t);
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, t]) => t);
}

/** The cluster autoscaler: service account, RBAC (upstream's, nothing more) and the Deployment. */
export function clusterAutoscaler(eks: ResolvedEks): KubernetesObject[] {
  const labels = { 'app.kubernetes.io/name': 'cluster-autoscaler', ...managedBy };
  const meta = { name: 'cluster-autoscaler', labels };
  const subject = {
    kind: 'ServiceAccount',
    name: AUTOSCALER_SERVICE_ACCOUNT,
    namespace: AUTOSCALER_NAMESPACE,
  };
  const a = eks.autoscaler;
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      // Credentials come from the EKS Pod Identity association of this service account.
      metadata: { ...meta, name: AUTOSCALER_SERVICE_ACCOUNT, namespace: AUTOSCALER_NAMESPACE },
    } satisfies IServiceAccount,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta,
      // The rules of kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/examples/
      // cluster-autoscaler-autodiscover.yaml (release 1.32), plus the reads the project's
      // Helm chart (9.46, app 1.32) adds (cron jobs, volume attachments), without the
      // legacy extensions API group. Config maps stay namespaced (the Role below).
      rules: [
        { apiGroups: [''], resources: ['events', 'endpoints'], verbs: ['create', 'patch'] },
        { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
        { apiGroups: [''], resources: ['pods/status'], verbs: ['update'] },
        {
          apiGroups: [''],
          resources: ['endpoints'],
          resourceNames: ['cluster-autoscaler'],
          verbs: ['get', 'update'],
        },
        { apiGroups: [''], resources: ['nodes'], verbs: ['watch', 'list', 'get', 'update'] },
        {
          apiGroups: [''],
          resources: [
            'namespaces',
            'pods',
            'services',
            'replicationcontrollers',
            'persistentvolumeclaims',
            'persistentvolumes',
          ],
          verbs: ['watch', 'list', 'get'],
        },
        { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['watch', 'list'] },
        {
          apiGroups: ['apps'],
          resources: ['statefulsets', 'replicasets', 'daemonsets'],
          verbs: ['watch', 'list', 'get'],
        },
        {
          apiGroups: ['storage.k8s.io'],
          resources: [
            'storageclasses',
            'csinodes',
            'csidrivers',
            'csistoragecapacities',
            'volumeattachments',
          ],
          verbs: ['watch', 'list', 'get'],
        },
        { apiGroups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch', 'patch'] },
        { apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
        {
          apiGroups: ['coordination.k8s.io'],
          resources: ['leases'],
          resourceNames: ['cluster-autoscaler'],
          verbs: ['get', 'update'],
        },
      ],
    } satisfies IClusterRole,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { ...meta, namespace: AUTOSCALER_NAMESPACE },
      rules: [
        { apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'list', 'watch'] },
        {
          apiGroups: [''],
          resources: ['configmaps'],
          resourceNames: ['cluster-autoscaler-status', 'cluster-autoscaler-priority-expander'],
          verbs: ['delete', 'get', 'update', 'watch'],
        },
      ],
    } satisfies IRole,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-autoscaler' },
      subjects: [subject],
    } satisfies IClusterRoleBinding,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { ...meta, namespace: AUTOSCALER_NAMESPACE },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cluster-autoscaler' },
      subjects: [subject],
    } satisfies IRoleBinding,
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { ...meta, namespace: AUTOSCALER_NAMESPACE },
      spec: {
        replicas: 1,
        selector: { matchLabels: { 'app.kubernetes.io/name': 'cluster-autoscaler' } },
        template: {
          metadata: { labels },
          spec: {
            priorityClassName: 'system-cluster-critical',
            serviceAccountName: AUTOSCALER_SERVICE_ACCOUNT,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 65534,
              fsGroup: 65534,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'cluster-autoscaler',
                image: a.image,
                command: [
                  './cluster-autoscaler',
                  '--cloud-provider=aws',
                  // Managed node groups' Auto Scaling groups carry these tags (EKS adds them).
                  `--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/${eks.clusterName}`,
                  '--expander=least-waste',
                  // A finished training pod's /dev/shm must not pin its GPU node.
                  '--skip-nodes-with-local-storage=false',
                  '--stderrthreshold=info',
                  '--v=2',
                ],
                // The region cannot come from instance metadata: pods do not reach it (hop limit 1).
                env: [{ name: 'AWS_REGION', value: eks.region }],
                resources: {
                  requests: { cpu: '100m', memory: '600Mi' },
                  limits: { memory: '600Mi' },
                },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ['ALL'] },
                  readOnlyRootFilesystem: true,
                },
              },
            ],
          },
        },
      },
    } satisfies IDeployment,
  ];
}

/**
 * The NVIDIA device plugin, as NVIDIA's static manifest (deployments/static/
 * nvidia-device-plugin.yml) has it, limited to nodes pipeform labels as GPU nodes and
 * tolerating the GPU groups' taints.
 */
export function nvidiaDevicePlugin(eks: ResolvedEks, image: string): KubernetesObject[] {
  const labels = { 'app.kubernetes.io/name': 'nvidia-device-plugin', ...managedBy };
  const groups = eks.nodeGroups.filter((g) => g.offers.gpus > 0);
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'nvidia-device-plugin', namespace: 'kube-system', labels },
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/name': 'nvidia-device-plugin' } },
        updateStrategy: { type: 'RollingUpdate' },
        template: {
          metadata: { labels },
          spec: {
            priorityClassName: 'system-node-critical',
            automountServiceAccountToken: false,
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [
                    { matchExpressions: [{ key: GPU_LABEL, operator: 'In', values: ['true'] }] },
                  ],
                },
              },
            },
            tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, ...tolerateGroups(groups)],
            containers: [
              {
                name: 'nvidia-device-plugin',
                image,
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
                resources: { requests: { cpu: '10m', memory: '50Mi' } },
                volumeMounts: [{ name: 'device-plugins', mountPath: '/var/lib/kubelet/device-plugins' }],
              },
            ],
            volumes: [
              {
                name: 'device-plugins',
                hostPath: { path: '/var/lib/kubelet/device-plugins', type: 'Directory' },
              },
            ],
          },
        },
      },
    } satisfies IDaemonSet,
  ];
}

/**
 * The EFA device plugin, as aws/eks-charts' aws-efa-k8s-device-plugin chart renders it
 * (host network, privileged to open /dev/infiniband), on the EFA node groups only.
 */
export function efaDevicePlugin(eks: ResolvedEks, image: string): KubernetesObject[] {
  const labels = { 'app.kubernetes.io/name': 'aws-efa-k8s-device-plugin', ...managedBy };
  const groups = eks.nodeGroups.filter((g) => g.efaInterfaces > 0);
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'aws-efa-k8s-device-plugin', namespace: 'kube-system', labels },
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/name': 'aws-efa-k8s-device-plugin' } },
        updateStrategy: { type: 'RollingUpdate' },
        template: {
          metadata: { labels },
          spec: {
            priorityClassName: 'system-node-critical',
            automountServiceAccountToken: false,
            hostNetwork: true,
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [
                    {
                      matchExpressions: [
                        { key: NODE_GROUP_LABEL, operator: 'In', values: groups.map((g) => g.nodeGroupName) },
                      ],
                    },
                  ],
                },
              },
            },
            tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, ...tolerateGroups(groups)],
            containers: [
              {
                name: 'aws-efa-k8s-device-plugin',
                image,
                securityContext: { privileged: true, allowPrivilegeEscalation: true, runAsUser: 0 },
                resources: { requests: { cpu: '10m', memory: '20Mi' } },
                volumeMounts: [
                  { name: 'device-plugins', mountPath: '/var/lib/kubelet/device-plugins' },
                  { name: 'infiniband', mountPath: '/dev/infiniband/' },
                ],
              },
            ],
            volumes: [
              { name: 'device-plugins', hostPath: { path: '/var/lib/kubelet/device-plugins' } },
              { name: 'infiniband', hostPath: { path: '/dev/infiniband/' } },
            ],
          },
        },
      },
    } satisfies IDaemonSet,
  ];
}

/** Labels of a job's objects; the Service selects its pods by them. */
function jobLabels(job: ResolvedEksJob) {
  return { 'app.kubernetes.io/name': job.name, 'app.kubernetes.io/component': 'training', ...managedBy };
}

/**
 * What the jobs need before they are submitted: their namespaces (Pod Security
 * "baseline" enforced), service accounts (without API tokens: training talks to AWS, not
 * to Kubernetes) and headless Services, whose DNS names (`<job>-<index>.<job>`) torchrun
 * uses to reach the first pod.
 */
export function trainingObjects(eks: ResolvedEks): KubernetesObject[] {
  const namespaces = [...new Set(eks.jobs.map((j) => j.namespace))].sort();
  return [
    ...namespaces.map(
      (name) =>
        ({
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: {
            name,
            labels: {
              ...managedBy,
              'pod-security.kubernetes.io/enforce': 'baseline',
              'pod-security.kubernetes.io/warn': 'baseline',
            },
          },
        }) satisfies INamespace,
    ),
    ...eks.jobs.flatMap((job): KubernetesObject[] => [
      {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: job.serviceAccount, namespace: job.namespace, labels: jobLabels(job) },
        automountServiceAccountToken: false,
      } satisfies IServiceAccount,
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: job.name, namespace: job.namespace, labels: jobLabels(job) },
        spec: {
          clusterIP: 'None',
          // Pods are reachable by name before they are ready: rendezvous happens first.
          publishNotReadyAddresses: true,
          selector: jobLabels(job),
          ports: [{ name: 'rendezvous', port: RENDEZVOUS_PORT, targetPort: RENDEZVOUS_PORT }],
        },
      } satisfies IService,
    ]),
  ];
}

/** The torchrun command line of a job: elastic c10d rendezvous on the first pod, restarts in place. */
export function torchrunArgs(job: ResolvedEksJob): string[] {
  return [
    `--nnodes=${job.nodes}`,
    `--nproc-per-node=${Math.max(job.gpusPerNode, 1)}`,
    '--rdzv-backend=c10d',
    `--rdzv-endpoint=${job.name}-0.${job.name}:${RENDEZVOUS_PORT}`,
    `--rdzv-id=${job.name}`,
    `--max-restarts=${job.maxRestarts}`,
    job.entryPoint,
    ...job.args,
  ];
}

/** The environment of a job's container: where to resume from and write to, and NCCL over EFA. */
export function jobEnvironment(job: ResolvedEksJob, region: string): { name: string; value: string }[] {
  return [
    { name: 'AWS_REGION', value: region },
    { name: 'CHECKPOINT_S3_URI', value: job.uris.checkpoints },
    { name: 'MODEL_S3_URI', value: job.uris.model },
    { name: 'DATA_S3_URIS', value: job.uris.reads.join(',') },
    ...(job.efaPerNode > 0
      ? [
          { name: 'FI_PROVIDER', value: 'efa' },
          // libfabric's EFA provider with fork(): PyTorch data loader workers fork.
          { name: 'FI_EFA_FORK_SAFE', value: '1' },
          ...(job.efaRdma ? [{ name: 'FI_EFA_USE_DEVICE_RDMA', value: '1' }] : []),
        ]
      : []),
    { name: 'NCCL_DEBUG', value: 'WARN' },
  ];
}

/**
 * A job as an Indexed Job: one pod per node on the job's node group (selected by the EKS
 * node group label, its taints tolerated), all of the node's GPUs and EFA devices,
 * torchrun with elastic restarts, and a pod failure policy under which pods evicted by a
 * node drain (spot interruption, rebalance, scale-down) are replaced without counting as
 * failures. Every restart resumes from the newest checkpoint under CHECKPOINT_S3_URI.
 */
export function trainingJob(job: ResolvedEksJob, region: string): KubernetesObject {
  const devices: Record<string, number> = {
    ...(job.gpusPerNode > 0 ? { 'nvidia.com/gpu': job.gpusPerNode } : {}),
    ...(job.efaPerNode > 0 ? { 'vpc.amazonaws.com/efa': job.efaPerNode } : {}),
  };
  const requests: Record<string, number | string> = {
    ...(job.resources?.cpu !== undefined ? { cpu: job.resources.cpu } : {}),
    ...(job.resources?.memoryGiB !== undefined ? { memory: `${job.resources.memoryGiB}Gi` } : {}),
    ...devices,
  };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: job.name, namespace: job.namespace, labels: jobLabels(job) },
    spec: {
      completionMode: 'Indexed',
      completions: job.nodes,
      parallelism: job.nodes,
      // Each restart of the whole group fails every pod once.
      backoffLimit: job.maxRestarts * job.nodes,
      podFailurePolicy: {
        rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }],
      },
      ttlSecondsAfterFinished: FINISHED_JOB_TTL_SECONDS,
      template: {
        metadata: {
          labels: jobLabels(job),
          // The autoscaler must not evict a running training pod to consolidate nodes.
          annotations: { 'cluster-autoscaler.kubernetes.io/safe-to-evict': 'false' },
        },
        spec: {
          restartPolicy: 'Never',
          subdomain: job.name,
          serviceAccountName: job.serviceAccount,
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: TRAINING_GRACE_SECONDS,
          nodeSelector: { [NODE_GROUP_LABEL]: job.nodeGroupName },
          tolerations: tolerate(job.tolerations),
          securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: 'trainer',
              image: job.image,
              command: ['torchrun'],
              args: torchrunArgs(job),
              env: jobEnvironment(job, region),
              ports: [{ name: 'rendezvous', containerPort: RENDEZVOUS_PORT }],
              resources: { requests, ...(Object.keys(devices).length > 0 ? { limits: devices } : {}) },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'shm', mountPath: '/dev/shm' }],
            },
          ],
          // NCCL and data loader workers share memory through /dev/shm; the default is 64 MiB.
          volumes: [{ name: 'shm', emptyDir: { medium: 'Memory' } }],
        },
      },
    },
  } satisfies IJob;
}

/** Labels of a node group's nodes the autoscaler must know before the group has any. */
export function nodeTemplateLabels(g: ResolvedEksNodeGroup): Record<string, string> {
  return { ...g.labels, [NODE_GROUP_LABEL]: g.nodeGroupName, [CAPACITY_TYPE_LABEL]: g.capacityType };
}

/** Objects as one YAML stream, with a banner saying where they come from. */
export function toYaml(objects: readonly KubernetesObject[], what: string): string {
  const banner = `# Generated by pipeform ${VERSION}: ${what}. Do not edit: change the spec and synthesize again.\n`;
  return (
    banner +
    objects.map((o) => `---\n${stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })}`).join('')
  );
}

/** Every manifest file of the cluster, by path relative to the output directory. */
export function clusterManifests(eks: ResolvedEks): Map<string, string> {
  const files = new Map<string, string>();
  const add = (name: string, objects: KubernetesObject[], what: string) =>
    files.set(`${K8S_DIR}/${name}`, toYaml(objects, what));
  add('cluster-autoscaler.yaml', clusterAutoscaler(eks), `cluster autoscaler of ${eks.clusterName}`);
  if (eks.devicePlugins.nvidia !== undefined)
    add(
      'nvidia-device-plugin.yaml',
      nvidiaDevicePlugin(eks, eks.devicePlugins.nvidia),
      'NVIDIA device plugin',
    );
  if (eks.devicePlugins.efa !== undefined)
    add('efa-device-plugin.yaml', efaDevicePlugin(eks, eks.devicePlugins.efa), 'EFA device plugin');
  if (eks.jobs.length > 0)
    add('training.yaml', trainingObjects(eks), 'namespaces, service accounts and Services of the jobs');
  const resources = [...files.keys()].map((p) => p.slice(K8S_DIR.length + 1)).sort();
  files.set(
    `${K8S_DIR}/kustomization.yaml`,
    `# Generated by pipeform ${VERSION}: kubectl apply -k . installs what the cluster runs; jobs/ holds the jobs to submit.\n` +
      stringify(
        { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources },
        { lineWidth: 0 },
      ),
  );
  for (const job of eks.jobs)
    add(
      `jobs/${job.name}.yaml`,
      [trainingJob(job, eks.region)],
      `training job ${job.name}; submit with kubectl create -f (after kubectl apply -k on the folder above)`,
    );
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}
