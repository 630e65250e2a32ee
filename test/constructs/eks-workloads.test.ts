import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AUTOSCALER_VERSIONS, instanceTypeInfo } from '../../src/areas/eks/catalog';
import { compileSpec, readSpecFile } from '../../src/compiler';
import { synthesize } from '../../src/synth/synth';
import { parseManifests, validateManifest, type Manifest } from '../harness/kubernetes';
import { compileData, MINIMAL, ROOT } from '../harness/spec';

type Resources = Record<string, Record<string, Record<string, any>>>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Statement = {
  Sid: string;
  Principal?: unknown;
  Action: string | string[];
  Condition?: Record<string, Record<string, string[]>>;
  Resource?: string | string[];
};

const NETWORK = {
  vpc: {
    cidr: '10.0.0.0/16',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    publicSubnets: true,
    natGateways: 'single',
  },
};
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/llm:1';
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
    { name: 'h100', instanceTypes: ['p5.48xlarge', 'p5e.48xlarge'], efa: true, scaling: { maxSize: 4 } },
    { name: 'a10', instanceTypes: ['g5.12xlarge', 'g6.12xlarge'], scaling: { maxSize: 2 } },
  ],
  jobs: [
    {
      name: 'finetune',
      nodeGroup: 'h100',
      image: IMAGE,
      entryPoint: 'train.py',
      nodes: 2,
      reads: [{ bucket: 'curated', prefix: 'llm/sft/' }],
    },
    {
      name: 'probe',
      nodeGroup: 'a10',
      image: IMAGE,
      entryPoint: 'probe.py',
      namespace: 'research',
      serviceAccount: 'prober',
      gpusPerNode: 2,
      resources: { cpu: 16, memoryGiB: 64 },
      reads: [{ bucket: 'features', prefix: 'probe/' }],
      writes: [{ bucket: 'curated', prefix: 'probe-reports/' }],
      checkpoints: { prefix: 'probe/ckpt/' },
    },
  ],
};

function synth(eks: object = EKS) {
  const result = synthesize(compileData({ ...MINIMAL, network: NETWORK, training: { eks } }));
  const json = JSON.parse(result.files.get('main.tf.json') as string);
  const k8s = new Map(
    [...result.files.entries()]
      .filter(([p]) => p.startsWith('k8s/'))
      .map(([p, c]) => [p.slice('k8s/'.length), c as string]),
  );
  return { r: json.resource as Resources, output: json.output, k8s };
}

const doc = (json: unknown): Statement[] => JSON.parse(json as string).Statement;
const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v as string]);
const objects = (k8s: Map<string, string>, file: string): Manifest[] => parseManifests(k8s.get(file) ?? '');
const find = (os: Manifest[], kind: string, name: string) =>
  os.find((o) => o.kind === kind && o.metadata.name === name);

describe('EKS workloads', () => {
  describe('GIVEN two jobs: finetune on the spot H100 EFA group, probe on the A10 group', () => {
    const { r, output, k8s } = synth();

    test('THEN each job role trusts only EKS Pod Identity for its own namespace, service account and cluster', () => {
      const expected = {
        finetune: { ns: 'training', sa: 'finetune' },
        probe: { ns: 'research', sa: 'prober' },
      };
      for (const [job, { ns, sa }] of Object.entries(expected)) {
        const trust = doc(r.aws_iam_role[`eks_job_${job}`].assume_role_policy);
        expect(trust).toEqual([
          {
            Sid: 'AssumedByEksPodIdentity',
            Effect: 'Allow',
            Principal: { Service: 'pods.eks.amazonaws.com' },
            Action: ['sts:AssumeRole', 'sts:TagSession'],
            Condition: {
              StringEquals: {
                'aws:SourceAccount': '123456789012',
                'aws:RequestTag/eks-cluster-arn': 'arn:aws:eks:us-east-1:123456789012:cluster/demo-training',
                'aws:RequestTag/kubernetes-namespace': ns,
                'aws:RequestTag/kubernetes-service-account': sa,
              },
            },
          },
        ]);
        // Exactly one association hands the role out, to exactly that service account.
        const assocs = Object.values(r.aws_eks_pod_identity_association).filter(
          (a) => a.role_arn === `\${aws_iam_role.eks_job_${job}.arn}`,
        );
        expect(assocs).toEqual([
          {
            cluster_name: '${aws_eks_cluster.eks.name}',
            namespace: ns,
            service_account: sa,
            role_arn: `\${aws_iam_role.eks_job_${job}.arn}`,
          },
        ]);
      }
      expect(r.aws_iam_role.eks_job_finetune.name).toBe('demo-training-job-finetune');
      expect(output.eks_job_role_arns.value).toEqual({
        finetune: '${aws_iam_role.eks_job_finetune.arn}',
        probe: '${aws_iam_role.eks_job_probe.arn}',
      });
    });

    test("THEN each job's policy names only its own prefixes and the pipeline key", () => {
      const allowed: Record<string, string[]> = {
        finetune: [
          'lake_curated.arn}/llm/sft/',
          'lake_checkpoints.arn}/demo/eks/finetune/',
          'lake_models.arn}/demo/eks/finetune/',
        ],
        probe: [
          'lake_features.arn}/probe/',
          'lake_curated.arn}/probe-reports/',
          'lake_checkpoints.arn}/probe/ckpt/',
          'lake_models.arn}/demo/eks/probe/',
        ],
      };
      for (const [job, prefixes] of Object.entries(allowed)) {
        const statements = doc(r.aws_iam_role_policy[`eks_job_${job}`].policy);
        for (const s of statements) {
          for (const res of list(s.Resource)) {
            if (res === '${aws_kms_key.kms.arn}') continue;
            // A bucket ARN alone only with ListBucket limited by s3:prefix to the job's prefixes.
            if (/^\$\{aws_s3_bucket\.lake_[a-z]+\.arn\}$/.test(res)) {
              expect(s.Action).toBe('s3:ListBucket');
              const bucket = res.slice('${aws_s3_bucket.'.length, -1);
              const own = prefixes.filter((p) => p.startsWith(bucket)).map((p) => p.split('}/')[1]);
              expect(own.length).toBeGreaterThan(0);
              for (const p of s.Condition?.StringLike['s3:prefix'] ?? [])
                expect(own.some((o) => p === o || p === `${o}*`)).toBe(true);
              continue;
            }
            expect(prefixes.some((p) => res === `\${aws_s3_bucket.${p}*`)).toBe(true);
          }
        }
        // Every prefix is reachable: the job can read its data and write its checkpoints and model.
        const text = JSON.stringify(statements);
        for (const p of prefixes) expect(text).toContain(`\${aws_s3_bucket.${p}*`);
      }
      // Writes go only to what the job owns: not to its inputs.
      const put = doc(r.aws_iam_role_policy.eks_job_finetune.policy).filter((s) =>
        list(s.Action).includes('s3:PutObject'),
      );
      expect(put.flatMap((s) => list(s.Resource)).sort()).toEqual([
        '${aws_s3_bucket.lake_checkpoints.arn}/demo/eks/finetune/*',
        '${aws_s3_bucket.lake_models.arn}/demo/eks/finetune/*',
      ]);
    });

    test('THEN every group that starts at zero has a scaler that can reach it: IAM on its Auto Scaling group, and tags that say what a node would offer', () => {
      const policy = doc(r.aws_iam_role_policy.eks_cluster_autoscaler.policy);
      const scale = policy.find((s) => list(s.Action).includes('autoscaling:SetDesiredCapacity'));
      expect(list(scale?.Action).sort()).toEqual([
        'autoscaling:SetDesiredCapacity',
        'autoscaling:TerminateInstanceInAutoScalingGroup',
      ]);
      const tags = Object.values(r.aws_autoscaling_group_tag);
      for (const [name, g] of Object.entries(r.aws_eks_node_group)) {
        const asg = `\${aws_eks_node_group.${name}.resources[0].autoscaling_groups[0].name}`;
        expect(list(scale?.Resource)).toContain(
          `arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/${asg}`,
        );
        const mine = Object.fromEntries(
          tags.filter((t) => t.autoscaling_group_name === asg).map((t) => [t.tag.key, t.tag.value]),
        );
        const T = 'k8s.io/cluster-autoscaler/node-template';
        expect(mine[`${T}/label/eks.amazonaws.com/nodegroup`]).toBe(g.node_group_name);
        expect(mine[`${T}/label/eks.amazonaws.com/capacityType`]).toBe(g.capacity_type);
        for (const [k, v] of Object.entries(g.labels as Record<string, string>))
          expect(mine[`${T}/label/${k}`]).toBe(v);
        for (const t of g.taint as { key: string; value: string; effect: string }[])
          expect(mine[`${T}/taint/${t.key}`]).toBe(
            `${t.value}:${t.effect === 'NO_SCHEDULE' ? 'NoSchedule' : t.effect}`,
          );
        for (const t of tags.filter((x) => x.autoscaling_group_name === asg))
          expect(t.tag.propagate_at_launch).toBe(false);
      }
      const h100 = Object.fromEntries(
        tags
          .filter((t) => t.autoscaling_group_name.includes('eks_h100.'))
          .map((t) => [t.tag.key.split('/').slice(3).join('/'), t.tag.value]),
      );
      expect(h100['resources/nvidia.com/gpu']).toBe('8');
      expect(h100['resources/vpc.amazonaws.com/efa']).toBe('32');
      expect(r.aws_eks_node_group.eks_h100.scaling_config.min_size).toBe(0);
      // The autoscaler's identity: Pod Identity for kube-system/cluster-autoscaler, the Deployment's service account.
      expect(r.aws_eks_pod_identity_association.eks_cluster_autoscaler).toMatchObject({
        namespace: 'kube-system',
        service_account: 'cluster-autoscaler',
        role_arn: '${aws_iam_role.eks_cluster_autoscaler.arn}',
      });
      const ca = objects(k8s, 'cluster-autoscaler.yaml');
      const deployment = find(ca, 'Deployment', 'cluster-autoscaler');
      const pod = deployment?.spec.template.spec;
      expect(pod.serviceAccountName).toBe('cluster-autoscaler');
      expect(pod.containers[0].image).toBe(
        `registry.k8s.io/autoscaling/cluster-autoscaler:${AUTOSCALER_VERSIONS['1.32']}`,
      );
      expect(pod.containers[0].command).toContain(
        '--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/demo-training',
      );
      expect(pod.containers[0].env).toEqual([{ name: 'AWS_REGION', value: 'us-east-1' }]);
      // Least-privilege RBAC: no wildcards, no secrets, writes only where the autoscaler acts.
      const rules = find(ca, 'ClusterRole', 'cluster-autoscaler')?.rules as {
        resources: string[];
        verbs: string[];
      }[];
      for (const rule of rules) {
        expect(rule.verbs).not.toContain('*');
        expect(rule.resources).not.toContain('*');
        expect(rule.resources).not.toContain('secrets');
      }
      const writes = rules.filter((x) =>
        x.verbs.some((v) => ['create', 'update', 'patch', 'delete'].includes(v)),
      );
      expect(writes.flatMap((x) => x.resources).sort()).toEqual([
        'endpoints',
        'endpoints',
        'events',
        'jobs',
        'leases',
        'leases',
        'nodes',
        'pods/eviction',
        'pods/status',
      ]);
    });

    test('THEN the manifests validate against the Kubernetes API schemas, and the kustomization lists every file but the jobs', () => {
      expect([...k8s.keys()].sort()).toEqual([
        'cluster-autoscaler.yaml',
        'efa-device-plugin.yaml',
        'jobs/finetune.yaml',
        'jobs/probe.yaml',
        'kustomization.yaml',
        'nvidia-device-plugin.yaml',
        'training.yaml',
      ]);
      for (const [file, text] of k8s) {
        if (file === 'kustomization.yaml') continue;
        expect(text.startsWith('# Generated by pipeform')).toBe(true);
        const os = parseManifests(text);
        expect(os.length).toBeGreaterThan(0);
        for (const o of os) expect(() => validateManifest(o)).not.toThrow();
      }
      const kustomization = parseManifests(k8s.get('kustomization.yaml') ?? '')[0];
      expect(kustomization).toMatchObject({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
      });
      expect(kustomization.resources).toEqual([
        'cluster-autoscaler.yaml',
        'efa-device-plugin.yaml',
        'nvidia-device-plugin.yaml',
        'training.yaml',
      ]);
    });

    test('THEN the validation refuses a broken object (the schemas are really applied)', () => {
      const job = objects(k8s, 'jobs/finetune.yaml')[0];
      expect(() => validateManifest({ ...job, spec: { ...job.spec, completions: 'two' } })).toThrow(
        /completions/,
      );
      const ds = find(objects(k8s, 'nvidia-device-plugin.yaml'), 'DaemonSet', 'nvidia-device-plugin');
      expect(() =>
        validateManifest({
          ...ds!,
          spec: { ...ds!.spec, template: { spec: { containers: [{ image: 'x' }] } } },
        }),
      ).toThrow(/name/);
    });

    test('THEN each job requests what its node group offers, selects it, tolerates its taints, and runs as its service account', () => {
      const groups = r.aws_eks_node_group;
      for (const file of ['jobs/finetune.yaml', 'jobs/probe.yaml']) {
        const job = objects(k8s, file)[0];
        const pod = job.spec.template.spec;
        const group = Object.values(groups).find(
          (g) => g.node_group_name === pod.nodeSelector['eks.amazonaws.com/nodegroup'],
        );
        expect(group).toBeDefined();
        const types = (group?.instance_types as string[]).map((t) => instanceTypeInfo(t)!);
        const min = (f: (i: (typeof types)[number]) => number) => Math.min(...types.map(f));
        const req = pod.containers[0].resources.requests;
        expect(req['nvidia.com/gpu'] ?? 0).toBeLessThanOrEqual(min((i) => i.gpus));
        expect(req['vpc.amazonaws.com/efa'] ?? 0).toBeLessThanOrEqual(min((i) => i.efa));
        if (req.cpu !== undefined) expect(req.cpu).toBeLessThanOrEqual(min((i) => i.vcpus));
        expect(pod.containers[0].resources.limits).toEqual(
          Object.fromEntries(Object.entries(req).filter(([k]) => k.includes('/'))),
        );
        for (const t of group?.taint as { key: string; value: string }[])
          expect(pod.tolerations).toContainEqual({
            key: t.key,
            operator: 'Equal',
            value: t.value,
            effect: 'NoSchedule',
          });
        expect(job.spec.completions).toBeLessThanOrEqual(group?.scaling_config.max_size);
        const sa = find(objects(k8s, 'training.yaml'), 'ServiceAccount', pod.serviceAccountName);
        expect(sa?.metadata.namespace).toBe(job.metadata.namespace);
        expect(pod.subdomain).toBe(job.metadata.name);
        expect(find(objects(k8s, 'training.yaml'), 'Service', job.metadata.name)?.spec.clusterIP).toBe(
          'None',
        );
      }
      const finetune = objects(k8s, 'jobs/finetune.yaml')[0];
      const c = finetune.spec.template.spec.containers[0];
      expect(c.resources.requests).toEqual({ 'nvidia.com/gpu': 8, 'vpc.amazonaws.com/efa': 32 });
      const env = Object.fromEntries(c.env.map((e: { name: string; value: string }) => [e.name, e.value]));
      expect(env).toMatchObject({
        FI_PROVIDER: 'efa',
        FI_EFA_USE_DEVICE_RDMA: '1',
        CHECKPOINT_S3_URI: 's3://demo-123456789012-us-east-1-checkpoints/demo/eks/finetune/',
        MODEL_S3_URI: 's3://demo-123456789012-us-east-1-models/demo/eks/finetune/',
        DATA_S3_URIS: 's3://demo-123456789012-us-east-1-curated/llm/sft/',
        AWS_REGION: 'us-east-1',
      });
      expect(c.command).toEqual(['torchrun']);
      expect(c.args).toEqual([
        '--nnodes=2',
        '--nproc-per-node=8',
        '--rdzv-backend=c10d',
        '--rdzv-endpoint=finetune-0.finetune:29400',
        '--rdzv-id=finetune',
        '--max-restarts=10',
        'train.py',
      ]);
      // EFA without RDMA on g5/g6; no EFA devices where the group has none.
      const probe = objects(k8s, 'jobs/probe.yaml')[0].spec.template.spec.containers[0];
      expect(probe.resources.requests).toEqual({ cpu: 16, memory: '64Gi', 'nvidia.com/gpu': 2 });
      expect(probe.env.map((e: { name: string }) => e.name)).not.toContain('FI_PROVIDER');
      expect(probe.args[1]).toBe('--nproc-per-node=2');
    });

    test('THEN a spot interruption is survivable: drained pods are replaced without counting, restarts are bounded, the pod has time to checkpoint', () => {
      const job = objects(k8s, 'jobs/finetune.yaml')[0];
      expect(job.spec).toMatchObject({
        completionMode: 'Indexed',
        completions: 2,
        parallelism: 2,
        backoffLimit: 20,
        podFailurePolicy: {
          rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }],
        },
      });
      const pod = job.spec.template;
      expect(pod.spec.restartPolicy).toBe('Never');
      expect(pod.spec.terminationGracePeriodSeconds).toBeLessThan(120);
      expect(pod.metadata.annotations['cluster-autoscaler.kubernetes.io/safe-to-evict']).toBe('false');
      // The spot group's nodes stay in one subnet (one AZ) in a cluster placement group: the job's pods are together.
      const g = r.aws_eks_node_group.eks_h100;
      expect(g.capacity_type).toBe('SPOT');
      expect(g.subnet_ids).toHaveLength(1);
      expect(r.aws_launch_template.eks_h100.placement).toEqual({
        group_name: '${aws_placement_group.eks_h100.name}',
      });
    });

    test('THEN the device plugins run exactly where the devices are', () => {
      const nvidia = find(objects(k8s, 'nvidia-device-plugin.yaml'), 'DaemonSet', 'nvidia-device-plugin');
      expect(
        nvidia?.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution,
      ).toEqual({
        nodeSelectorTerms: [
          { matchExpressions: [{ key: 'nvidia.com/gpu.present', operator: 'In', values: ['true'] }] },
        ],
      });
      expect(nvidia?.spec.template.spec.tolerations).toContainEqual({
        key: 'nvidia.com/gpu',
        operator: 'Equal',
        value: 'true',
        effect: 'NoSchedule',
      });
      const efa = find(objects(k8s, 'efa-device-plugin.yaml'), 'DaemonSet', 'aws-efa-k8s-device-plugin');
      const terms =
        efa?.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
      expect(terms.nodeSelectorTerms[0].matchExpressions).toEqual([
        { key: 'eks.amazonaws.com/nodegroup', operator: 'In', values: ['demo-training-h100'] },
      ]);
      expect(efa?.spec.template.spec.containers[0].image).toBe(
        '602401143452.dkr.ecr.us-east-1.amazonaws.com/eks/aws-efa-k8s-device-plugin:v0.5.20',
      );
      // Training namespaces enforce Pod Security baseline; job service accounts carry no API token.
      const training = objects(k8s, 'training.yaml');
      for (const ns of ['research', 'training'])
        expect(find(training, 'Namespace', ns)?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe(
          'baseline',
        );
      expect(find(training, 'ServiceAccount', 'prober')?.automountServiceAccountToken).toBe(false);
    });
  });

  describe('GIVEN a CPU-only cluster without jobs', () => {
    const { r, k8s } = synth({ ...EKS, nodeGroups: [EKS.nodeGroups[0]], jobs: undefined });

    test('THEN only the autoscaler runs in the cluster: no device plugins, no training objects', () => {
      expect([...k8s.keys()].sort()).toEqual(['cluster-autoscaler.yaml', 'kustomization.yaml']);
      expect(parseManifests(k8s.get('kustomization.yaml') ?? '')[0].resources).toEqual([
        'cluster-autoscaler.yaml',
      ]);
      expect(r.aws_eks_pod_identity_association).toEqual({
        eks_cluster_autoscaler: expect.objectContaining({ namespace: 'kube-system' }),
      });
    });
  });

  test('every supported Kubernetes version has an autoscaler of its minor version', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'pipeline.schema.json'), 'utf8'));
    for (const v of schema.definitions.eks.properties.version.enum as string[])
      expect(AUTOSCALER_VERSIONS[v]).toMatch(new RegExp(`^v${v.replace('.', '\\.')}\\.[0-9]+$`));
  });

  test('the EFA device plugin comes from the EKS registry of the pipeline region', () => {
    const text = (region: string) => {
      const spec = {
        ...MINIMAL,
        region,
        network: { ...NETWORK, vpc: { ...NETWORK.vpc, availabilityZones: [`${region}a`, `${region}b`] } },
      };
      const eks = { ...EKS, jobs: undefined };
      return synthesize(compileData({ ...spec, training: { eks } })).files.get(
        'k8s/efa-device-plugin.yaml',
      ) as string;
    };
    expect(text('eu-south-1')).toContain(
      'image: 590381155156.dkr.ecr.eu-south-1.amazonaws.com/eks/aws-efa-k8s-device-plugin:',
    );
    expect(text('eu-west-1')).toContain(
      'image: 602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks/aws-efa-k8s-device-plugin:',
    );
  });
});

describe('examples/llm-finetune-eks', () => {
  test('its committed manifests validate and its jobs fit the node groups its Terraform declares', () => {
    const dir = join(ROOT, 'generated', 'llm-finetune-eks');
    const tf = JSON.parse(readFileSync(join(dir, 'main.tf.json'), 'utf8'));
    const compiled = compileSpec(
      'pipeline.yaml',
      readSpecFile(join(ROOT, 'examples', 'llm-finetune-eks', 'pipeline.yaml')),
    );
    for (const job of compiled.resolved.eks?.jobs ?? []) {
      const m = parseManifests(readFileSync(join(dir, 'k8s', 'jobs', `${job.name}.yaml`), 'utf8'))[0];
      validateManifest(m);
      const pod = m.spec.template.spec;
      const group = Object.values(tf.resource.aws_eks_node_group as Resources[string]).find(
        (g) => g.node_group_name === pod.nodeSelector['eks.amazonaws.com/nodegroup'],
      );
      const types = (group?.instance_types as string[]).map((t) => instanceTypeInfo(t)!);
      const req = pod.containers[0].resources.requests;
      expect(req['nvidia.com/gpu']).toBeLessThanOrEqual(Math.min(...types.map((t) => t.gpus)));
      expect(req['vpc.amazonaws.com/efa']).toBeLessThanOrEqual(Math.min(...types.map((t) => t.efa)));
      expect(m.spec.completions).toBeLessThanOrEqual(group?.scaling_config.max_size);
    }
  });
});
