import { eksRules } from '../src/compiler/rules/eks';
import { compileText, diagnosticsOf } from './harness/spec';
import { testRuleCases, type RuleCase } from './harness/rules';

const HEAD = 'apiVersion: pipeform/v1\nname: demo\nregion: us-east-1\naccount: "123456789012"\n';
/** Lines 5-10. */
const NET =
  'network:\n  vpc:\n    cidr: 10.0.0.0/16\n    availabilityZones: [us-east-1a, us-east-1b]\n    publicSubnets: true\n    natGateways: single\n';
const SYSTEM =
  '      - name: system\n        instanceTypes: [m7i.large, m6i.large]\n        scaling: {minSize: 1, maxSize: 3}\n';
const TRAIN =
  '      - name: train\n        instanceTypes: [p5.48xlarge, p5e.48xlarge]\n        efa: true\n        scaling: {maxSize: 4}\n';

/**
 * A spec with an EKS cluster: with NET, `training` is on line 11, `eks` 12, `version` 13,
 * `admins` 14, then `extra` lines, then `nodeGroups` and the groups.
 */
const spec = (extra = '', groups = SYSTEM + TRAIN, net = NET) =>
  `${HEAD}${net}training:\n  eks:\n    version: "1.32"\n    admins: [arn:aws:iam::123456789012:role/admin]\n${extra}    nodeGroups:\n${groups}`;

/** A job on the train group: with `withJobs`, its name is on line 24, nodeGroup 25, image 26, entryPoint 27, nodes 28. */
const JOB =
  '      - name: ft\n        nodeGroup: train\n        image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/ft:1\n        entryPoint: train.py\n        nodes: 2\n';
/** The default spec with `jobs` (line 23) after the node groups. */
const withJobs = (jobs = JOB, groups = SYSTEM + TRAIN) => `${spec('', groups)}    jobs:\n${jobs}`;

/** [rule, a spec that breaks it, line, col, message fragment, a spec that keeps it]. */
const cases: RuleCase[] = [
  [
    'eks/needs-network',
    spec('', SYSTEM, ''),
    6,
    3,
    'an EKS cluster runs in private subnets, but the spec has no network',
    spec('', SYSTEM),
  ],
  [
    'eks/node-egress',
    spec('', SYSTEM, NET.replace('    publicSubnets: true\n    natGateways: single\n', '')),
    6,
    3,
    'the VPC has no NAT gateway',
    spec('', SYSTEM),
  ],
  [
    'eks/public-endpoint',
    spec('    endpoint:\n      publicAccess: true\n      publicAccessCidrs: [203.0.113.0/24, 0.0.0.0/0]\n'),
    17,
    43,
    '0.0.0.0/0 opens the Kubernetes API endpoint to the whole internet',
    spec('    endpoint:\n      publicAccess: true\n      publicAccessCidrs: [203.0.113.0/24]\n'),
  ],
  [
    'eks/admins-in-account',
    spec().replace(
      'admins: [arn:aws:iam::123456789012:role/admin]',
      'admins: [arn:aws:iam::999999999999:role/admin]',
    ),
    14,
    14,
    'cluster admin is in account 999999999999, not the pipeline account 123456789012',
    spec(),
  ],
  [
    'eks/unique-node-groups',
    spec('', SYSTEM + TRAIN.replace('name: train', 'name: system')),
    19,
    15,
    'node group name "system" is already used by nodeGroups[0]',
    spec(),
  ],
  [
    'eks/instance-types-known',
    spec('', SYSTEM + TRAIN.replace('p5e.48xlarge', 'p5e.48xlage')),
    20,
    38,
    'unknown instance type "p5e.48xlage"; did you mean "p5e.48xlarge"?',
    spec(),
  ],
  [
    'eks/gpu-instance-types',
    spec('', SYSTEM + TRAIN.replace('p5e.48xlarge', 'm7i.48xlarge')),
    20,
    38,
    'm7i.48xlarge has no NVIDIA GPU, but node group "train" needs an NVIDIA GPU (gpu defaults to true',
    spec(),
  ],
  [
    'eks/efa-instance-types',
    spec('', SYSTEM + TRAIN.replace('[p5.48xlarge, p5e.48xlarge]', '[g6.xlarge, g6.48xlarge]')),
    20,
    25,
    'g6.xlarge does not support EFA, but node group "train" sets efa: true',
    spec('', SYSTEM + TRAIN.replace('[p5.48xlarge, p5e.48xlarge]', '[g6.12xlarge, g6.48xlarge]')),
  ],
  [
    'eks/spot-diversity',
    spec('', SYSTEM + TRAIN.replace('[p5.48xlarge, p5e.48xlarge]', '[p5.48xlarge]')),
    20,
    24,
    'spot node group "train" lists one instance type',
    spec(
      '',
      SYSTEM +
        TRAIN.replace('[p5.48xlarge, p5e.48xlarge]', '[p5.48xlarge]').replace(
          '        efa: true\n',
          '        efa: true\n        capacityType: ON_DEMAND\n',
        ),
    ),
  ],
  [
    'eks/scaling',
    spec('', SYSTEM + TRAIN.replace('{maxSize: 4}', '{minSize: 1, desiredSize: 5, maxSize: 4}')),
    22,
    44,
    'desiredSize 5 is outside minSize 1 .. maxSize 4',
    spec('', SYSTEM + TRAIN.replace('{maxSize: 4}', '{minSize: 1, desiredSize: 2, maxSize: 4}')),
  ],
  [
    'eks/ami-version',
    spec('', SYSTEM + TRAIN.replace('efa: true', 'amiType: AL2_x86_64_GPU')).replace('"1.32"', '"1.33"'),
    21,
    18,
    'EKS publishes no AL2_x86_64_GPU AMI for Kubernetes 1.33',
    spec('', SYSTEM + TRAIN.replace('efa: true', 'amiType: AL2_x86_64_GPU')),
  ],
  [
    'eks/system-node-group',
    spec('', TRAIN),
    15,
    5,
    'no node group can run CoreDNS and the EBS CSI controller',
    spec('', TRAIN.replace('{maxSize: 4}', '{minSize: 1, maxSize: 4}') + '        taints: []\n'),
  ],
  [
    'eks/job-unique',
    withJobs(JOB + JOB),
    29,
    15,
    'job name "ft" is already used by training.eks.jobs[0]',
    withJobs(JOB + JOB.replace('name: ft', 'name: ft2')),
  ],
  [
    'eks/job-namespace',
    withJobs(JOB + '        namespace: kube-system\n'),
    29,
    20,
    'namespace "kube-system" belongs to Kubernetes',
    withJobs(JOB + '        namespace: llm\n'),
  ],
  [
    'eks/job-node-group',
    withJobs(JOB.replace('nodeGroup: train', 'nodeGroup: trains')),
    25,
    20,
    'node group "trains" is not defined; did you mean "train"?',
    withJobs(),
  ],
  [
    'eks/job-fits',
    withJobs(JOB.replace('nodes: 2', 'nodes: 5')),
    28,
    16,
    'job "ft" needs 5 nodes, but node group "train" grows to 4 at most',
    withJobs(JOB.replace('nodes: 2', 'nodes: 4')),
  ],
  [
    'eks/job-image',
    withJobs(JOB.replace('ecr.us-east-1', 'ecr.us-west-2')),
    26,
    16,
    'the image is in region us-west-2, but the pipeline region is us-east-1',
    withJobs(),
  ],
  [
    'eks/job-buckets',
    withJobs(JOB + '        reads:\n          - bucket: curatd\n'),
    30,
    21,
    'bucket "curatd" is not defined; did you mean "curated"?',
    withJobs(JOB + '        reads:\n          - bucket: curated\n'),
  ],
];

describe('EKS check rules', () => {
  testRuleCases(cases);

  test('every EKS rule has a case here', () => {
    expect(eksRules.map((r) => r.id).sort()).toEqual(cases.map((c) => c[0]).sort());
  });

  test('EKS needs two availability zones (created VPC) or two subnets (existing network)', () => {
    const oneAz = diagnosticsOf(spec('', SYSTEM, NET.replace('[us-east-1a, us-east-1b]', '[us-east-1a]')));
    expect(oneAz).toHaveLength(1);
    expect(oneAz[0]).toMatchObject({ rule: 'eks/needs-network', path: 'network.vpc.availabilityZones' });
    const existing =
      'network:\n  existing:\n    vpcId: vpc-0123456789abcdef0\n    subnetIds: [subnet-0123456789abcdef0]\n    securityGroupIds: [sg-0123456789abcdef0]\n';
    const ds = diagnosticsOf(spec('', SYSTEM, existing));
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({ rule: 'eks/needs-network', path: 'network.existing.subnetIds' });
    // An existing network needs no NAT check: pipeform cannot see its routes.
    expect(() =>
      compileText(
        spec(
          '',
          SYSTEM,
          existing.replace(
            '[subnet-0123456789abcdef0]',
            '[subnet-0123456789abcdef0, subnet-0123456789abcdef1]',
          ),
        ),
      ),
    ).not.toThrow();
  });

  test('the public endpoint needs CIDRs when on, and CIDRs need it on', () => {
    const noCidrs = diagnosticsOf(spec('    endpoint:\n      publicAccess: true\n'));
    expect(noCidrs[0]).toMatchObject({ rule: 'eks/public-endpoint', line: 16, col: 21 });
    expect(noCidrs[0].message).toContain('without publicAccessCidrs');
    const offWithCidrs = diagnosticsOf(spec('    endpoint:\n      publicAccessCidrs: [203.0.113.0/24]\n'));
    expect(offWithCidrs[0]).toMatchObject({ rule: 'eks/public-endpoint', line: 16, col: 7 });
    expect(offWithCidrs[0].message).toContain('the public endpoint is off');
    const hostBits = diagnosticsOf(
      spec('    endpoint:\n      publicAccess: true\n      publicAccessCidrs: [203.0.113.7/24]\n'),
    );
    expect(hostBits[0].message).toBe('203.0.113.7/24 has host bits set');
  });

  test('GPU rules: explicit gpu: true, an NVIDIA AMI on CPU types, gpu: true with a CPU AMI, Neuron on GPU types', () => {
    const explicit = diagnosticsOf(
      spec('', SYSTEM.replace('        scaling', '        gpu: true\n        scaling') + TRAIN),
    );
    expect(explicit.filter((d) => d.rule === 'eks/gpu-instance-types').map((d) => d.message)).toEqual([
      'm7i.large has no NVIDIA GPU, but node group "system" needs an NVIDIA GPU (gpu: true)',
      'm6i.large has no NVIDIA GPU, but node group "system" needs an NVIDIA GPU (gpu: true)',
    ]);
    const nvidiaAmi = diagnosticsOf(
      spec(
        '',
        SYSTEM.replace('        scaling', '        amiType: AL2023_x86_64_NVIDIA\n        scaling') + TRAIN,
      ),
    );
    expect(nvidiaAmi[0].message).toContain('(amiType AL2023_x86_64_NVIDIA)');
    const cpuAmi = diagnosticsOf(
      spec('', SYSTEM + TRAIN.replace('efa: true', 'amiType: AL2023_x86_64_STANDARD')),
    );
    expect(cpuAmi[0].message).toBe(
      'node group "train" runs a GPU workload, but AMI type AL2023_x86_64_STANDARD has no NVIDIA driver',
    );
    const neuron = diagnosticsOf(
      spec(
        '',
        SYSTEM +
          '      - name: trn\n        instanceTypes: [trn1.32xlarge, g5.48xlarge]\n        gpu: false\n        amiType: AL2023_x86_64_NEURON\n        scaling: {maxSize: 2}\n',
      ),
    );
    expect(neuron[0].message).toContain('g5.48xlarge has no AWS Trainium accelerator');
  });

  test('the default AMI follows the types: Trainium groups get the Neuron AMI', () => {
    const r = compileText(
      spec(
        '',
        SYSTEM +
          '      - name: trn\n        instanceTypes: [trn1.32xlarge, trn1.2xlarge]\n        scaling: {maxSize: 2}\n',
      ),
    );
    expect(r.eks?.nodeGroups.find((g) => g.name === 'trn')).toMatchObject({
      gpu: false,
      amiType: 'AL2023_x86_64_NEURON',
      diskSizeGiB: 200,
      taints: [],
    });
  });

  test('minSize above maxSize is reported at minSize', () => {
    const ds = diagnosticsOf(spec('', SYSTEM + TRAIN.replace('{maxSize: 4}', '{minSize: 5, maxSize: 4}')));
    expect(ds[0]).toMatchObject({ rule: 'eks/scaling', path: 'training.eks.nodeGroups[1].scaling.minSize' });
    expect(ds[0].message).toBe('minSize 5 is above maxSize 4');
  });

  test('two admin ARNs that would share an access-entry name are refused', () => {
    const ds = diagnosticsOf(
      spec().replace(
        'admins: [arn:aws:iam::123456789012:role/admin]',
        'admins: [arn:aws:iam::123456789012:role/ml/admin, arn:aws:iam::123456789012:role/ml-admin]',
      ),
    );
    expect(ds[0]).toMatchObject({ rule: 'eks/admins-in-account', path: 'training.eks.admins[1]' });
    expect(ds[0].message).toContain('same access-entry name as admins[0] (role-ml-admin)');
  });

  test('job fit: GPUs per pod against the smallest type, CPU and memory against 90% of it, at maxSize and above', () => {
    const fit = (extra: string) =>
      diagnosticsOf(withJobs(JOB + extra)).filter((d) => d.rule === 'eks/job-fits');
    // p5 and p5e both have 8 GPUs, 192 vCPUs, 2048 GiB: 90% is 172 vCPUs and 1843 GiB.
    expect(() =>
      compileText(withJobs(JOB + '        gpusPerNode: 8\n        resources: {cpu: 172, memoryGiB: 1843}\n')),
    ).not.toThrow();
    const over = fit('        gpusPerNode: 9\n        resources: {cpu: 173, memoryGiB: 1844}\n');
    expect(over.map((d) => d.path)).toEqual([
      'training.eks.jobs[0].gpusPerNode',
      'training.eks.jobs[0].resources.cpu',
      'training.eks.jobs[0].resources.memoryGiB',
    ]);
    expect(over[0].message).toBe(
      'job "ft" asks for 9 GPUs per node, but p5.48xlarge of node group "train" has 8',
    );
    expect(over[1].message).toContain(
      'requests 173 vCPUs per pod, but a node of group "train" can give a pod 172',
    );
    // The smallest type of a mixed group decides: g5.16xlarge has one GPU, g5.48xlarge eight.
    const mixed = diagnosticsOf(
      withJobs(
        JOB.replace('nodeGroup: train', 'nodeGroup: g5') + '        gpusPerNode: 2\n',
        SYSTEM +
          '      - name: g5\n        instanceTypes: [g5.48xlarge, g5.16xlarge]\n        scaling: {maxSize: 4}\n',
      ),
    );
    expect(mixed[0].message).toBe(
      'job "ft" asks for 2 GPUs per node, but g5.16xlarge of node group "g5" has 1',
    );
    // A CPU group offers no GPUs at all.
    const cpu = diagnosticsOf(
      withJobs(JOB.replace('nodeGroup: train', 'nodeGroup: system') + '        gpusPerNode: 1\n'),
    );
    expect(cpu.find((d) => d.rule === 'eks/job-fits')?.message).toContain(
      'node group "system" has no NVIDIA GPUs',
    );
  });

  test('two jobs on one service account would share a role; Trainium groups run no jobs; images are ECR URIs', () => {
    const shared = diagnosticsOf(
      withJobs(JOB + JOB.replace('name: ft', 'name: ft2') + '        serviceAccount: ft\n'),
    );
    expect(shared).toHaveLength(1);
    expect(shared[0]).toMatchObject({ rule: 'eks/job-unique', path: 'training.eks.jobs[1].serviceAccount' });
    expect(shared[0].message).toContain('already uses; the two would share one IAM role');
    // The same service account name in another namespace is another service account.
    expect(() =>
      compileText(
        withJobs(
          JOB +
            JOB.replace('name: ft', 'name: ft2') +
            '        serviceAccount: ft\n        namespace: other\n',
        ),
      ),
    ).not.toThrow();
    const trn = diagnosticsOf(
      withJobs(
        JOB.replace('nodeGroup: train', 'nodeGroup: trn').replace('nodes: 2', 'nodes: 1'),
        SYSTEM +
          '      - name: trn\n        instanceTypes: [trn1.32xlarge, trn1.2xlarge]\n        scaling: {maxSize: 2}\n',
      ),
    );
    expect(trn[0]).toMatchObject({ rule: 'eks/job-node-group' });
    expect(trn[0].message).toContain('runs AWS Trainium');
    const notEcr = diagnosticsOf(
      withJobs(JOB.replace(/image: .*/, 'image: docker.io/pytorch/pytorch:2.5.1')),
    );
    expect(notEcr[0].message).toBe('"docker.io/pytorch/pytorch:2.5.1" is not an ECR image URI');
    expect(diagnosticsOf(withJobs(JOB + '        namespace: default\n'))[0].rule).toBe('eks/job-namespace');
  });

  test('the Kubernetes version is one of the supported ones (schema enum)', () => {
    const ds = diagnosticsOf(spec().replace('"1.32"', '"1.28"'));
    expect(ds[0]).toMatchObject({ path: 'training.eks.version', line: 13 });
  });
});
