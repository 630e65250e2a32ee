import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compileSpec, readSpecFile } from '../src/compiler';
import { compileStandIn } from '../src/compiler/stand-in';
import { synthesizeModule } from '../src/synth/module';
import { synthesizeTargets } from '../src/synth/targets';
import {
  checkEvidence,
  EmulatorApiError,
  EmulatorWorkspace,
  explainDrift,
  motoAvailable,
  motoPackageDir,
  patchConfiguration,
  startEmulator,
  type Emulator,
  type EmulatorCredentials,
  type EmulatorGap,
  type MotoEvidence,
  slowResources,
  type PlannedChange,
  type TerraformJson,
  type TfResult,
} from './harness/emulator';
import { runMachine, TaskError, type TaskHandler } from './harness/asl';
import { ROOT } from './harness/spec';

/**
 * Day 0 in an emulated account: every example below is applied from zero into a fresh
 * moto server, re-planned (which must show no changes) and destroyed. Run it with
 * `npm run test:apply`; `.ci/run` runs it when moto is importable.
 *
 * moto is not AWS: where it differs, the difference is listed in GAPS with the line of
 * moto's source that shows it, scoped to a resource type (and attribute). Anything a
 * gap does not explain fails the test. An emulator pass is necessary, not sufficient:
 * what moto accepts and AWS refuses (a missing model package version, EMR security groups
 * without the managed-policy tag) is covered by test/lifecycle.test.ts.
 */

/** The examples applied, in order. Adding one is one line. */
const DEFAULT_EXAMPLES: readonly string[] = ['quickstart', 'realtime-ab', 'batch-etl', 'llm-finetune-eks'];
/** `PIPEFORM_APPLY_EXAMPLES=a,b npm run test:apply` tries other examples (the gap-usage check is then off). */
const EXAMPLES: readonly string[] =
  process.env.PIPEFORM_APPLY_EXAMPLES?.split(',').filter(Boolean) ?? DEFAULT_EXAMPLES;

/** moto's answer to an API it does not implement: HTTP 500 with this error. */
const NOT_IMPLEMENTED = {
  file: 'core/responses.py',
  line: 563,
  quote: 'raise NotImplementedError(f"The {action} action has not been implemented")',
} as const;

/** SageMaker instance families moto's endpoint-config validation knows (see the gap below). */
const MOTO_SAGEMAKER_FAMILIES = new Set([
  'c4',
  'c5',
  'c5d',
  'g4dn',
  'inf1',
  'm4',
  'm5',
  'm5d',
  'p2',
  'p3',
  'r5',
  'r5d',
  't2',
]);

/** The Deny statements with a Condition in a policy document string (none when it is not literal JSON). */
function conditionalDenies(policy: unknown): unknown[] {
  try {
    const doc = JSON.parse(String(policy)) as { Statement?: { Effect?: string; Condition?: unknown }[] };
    return (doc.Statement ?? []).filter((st) => st.Effect === 'Deny' && st.Condition !== undefined);
  } catch {
    return [];
  }
}

/** moto's EKS routes (eks/urls.py) stop at clusters, node groups, Fargate profiles and tags. */
const EKS_NO_ROUTE = (path: string, method: string): MotoEvidence[] => [
  { file: 'eks/urls.py', absent: path },
  { file: 'eks/responses.py', absent: `def ${method}` },
];

/** The ARN-shaped id AWS gives an EKS sub-resource, for stand-ins that others may read. */
const eksArn = (kind: string, cluster: unknown, rest: string) =>
  `arn:aws:eks:us-east-1:123456789012:${kind}/${String(cluster)}/${rest}`;

/**
 * A patch that applies the resource as generated and has the re-plan ignore attributes
 * moto does not keep. For drift that forces a replacement: listing it as `drift` would
 * not do, because the replacement makes every attribute read from the resource unknown
 * and the re-plan changes its dependents too.
 */
const ignoreChanges =
  (...attributes: string[]) =>
  (r: Record<string, unknown>): Record<string, unknown> => {
    const lifecycle = (r.lifecycle ?? {}) as { ignore_changes?: string[] | 'all' };
    if (lifecycle.ignore_changes === 'all') return r;
    const ignore_changes = [...(lifecycle.ignore_changes ?? []), ...attributes];
    return { ...r, lifecycle: { ...lifecycle, ignore_changes } };
  };

const describesEgressToNonCidr = (r: Record<string, unknown>) =>
  r.description !== undefined && r.cidr_ipv4 === undefined && r.cidr_ipv6 === undefined;

/** Where moto 5.2.1 differs from AWS, each with the evidence in moto's own source. */
const GAPS: readonly EmulatorGap[] = [
  {
    id: 's3-logging-target-policy',
    why:
      'PutBucketLogging is refused unless the target bucket policy grants logging.s3.amazonaws.com on exactly ' +
      '"<bucket>/<target prefix>*", and a policy with a Principal "*" statement (our TLS-only denies) makes the ' +
      'check call .get on a string (HTTP 500). AWS accepts a grant on a covering prefix and does not parse ' +
      'other statements this way. The logging resources are left out of the emulated apply.',
    evidence: [
      { file: 's3/models.py', line: 1367, quote: '.get("Principal", {}).get("Service")' },
      { file: 's3/models.py', line: 1377, quote: `{target_prefix if target_prefix else ''}*"` },
    ],
    resourceType: 'aws_s3_bucket_logging',
    patch: () => undefined,
  },
  {
    id: 's3-conditional-statement-denies',
    why:
      'moto evaluates a bucket policy statement whose Condition it cannot match (it passes no request context, ' +
      'so aws:SecureTransport and s3:TlsVersion are never known) as DENIED whatever its Effect, so the TLS-only ' +
      'Deny statements refuse every object write, even over TLS. AWS applies a Deny only when its condition ' +
      'holds. The conditional Deny statements are left out of the emulated bucket policies.',
    evidence: [
      {
        file: 'iam/access_control.py',
        line: 493,
        quote: 'if not self._check_conditions(incoming_condition_values):',
      },
      { file: 'iam/access_control.py', line: 494, quote: 'return PermissionResult.DENIED' },
    ],
    resourceType: 'aws_s3_bucket_policy',
    where: (r) => conditionalDenies(r.policy).length > 0,
    patch: (r) => {
      const doc = JSON.parse(String(r.policy)) as { Statement: Record<string, unknown>[] };
      const kept = doc.Statement.filter((st) => !(st.Effect === 'Deny' && st.Condition !== undefined));
      return { ...r, policy: JSON.stringify({ ...doc, Statement: kept }) };
    },
  },
  {
    id: 'appautoscaling-tags',
    why:
      'Application Auto Scaling has no ListTagsForResource in moto (HTTP 500 "not implemented"); the provider ' +
      'reads tags of every scalable target, so a target can be neither created nor refreshed. Targets, and the ' +
      'scaling policies and scheduled actions that reference them, are left out of the emulated apply; ' +
      'test/constructs/serving.test.ts covers them offline.',
    evidence: [
      NOT_IMPLEMENTED,
      { file: 'applicationautoscaling/responses.py', absent: 'def list_tags_for_resource' },
    ],
    resourceType: 'aws_appautoscaling_target',
    patch: () => undefined,
  },
  {
    id: 'sfn-validate-definition',
    why:
      'moto implements no ValidateStateMachineDefinition; the provider validates every state machine definition ' +
      'with it (on create, update and plan) and fails on the HTTP 500. State machines are left out of the ' +
      'emulated apply; what refers to their ARN or name gets a fixed one. test/constructs/workflow.test.ts ' +
      'checks the definitions offline.',
    evidence: [
      NOT_IMPLEMENTED,
      { file: 'stepfunctions/responses.py', absent: 'def validate_state_machine_definition' },
    ],
    resourceType: 'aws_sfn_state_machine',
    patch: () => undefined,
    dependents: {
      substitute: (r, name) => {
        const sm = typeof r.name === 'string' ? r.name : name;
        return { arn: `arn:aws:states:us-east-1:123456789012:stateMachine:${sm}`, name: sm, id: sm };
      },
    },
  },
  {
    id: 'glue-connection',
    why:
      'GetConnection answers the connection input nested under "Connection" but no ConnectionType, so the ' +
      're-plan sees it change, and DeleteConnection is not implemented (HTTP 500), so destroy fails. The ' +
      'connection is left out; jobs that name it get its literal name.',
    evidence: [
      { file: 'glue/models.py', line: 2477, quote: '"Connection": self.connection_input,' },
      { file: 'glue/models.py', absent: '"ConnectionType"' },
      { file: 'glue/responses.py', absent: 'def delete_connection' },
    ],
    resourceType: 'aws_glue_connection',
    patch: () => undefined,
    dependents: { substitute: (r) => ({ name: String(r.name), id: `123456789012:${String(r.name)}` }) },
  },
  {
    id: 'glue-workflow-tags',
    why: 'A workflow keeps its tags on the object but never gives them to the tagger that GetTags reads.',
    evidence: [
      { file: 'glue/models.py', line: 2536, quote: 'self.tags = tags' },
      {
        file: 'glue/models.py',
        line: 668,
        quote: 'return self.tagger.get_tag_dict_for_resource(resource_id)',
      },
    ],
    resourceType: 'aws_glue_workflow',
    drift: ['tags', 'tags_all'],
  },
  {
    id: 'lambda-dlq-and-key',
    why:
      'GetFunction builds the configuration from a fixed list of keys without DeadLetterConfig and KMSKeyArn, so ' +
      'the re-plan sees the dead-letter queue and the environment key removed.',
    evidence: [
      {
        file: 'awslambda/models.py',
        line: 769,
        quote: 'def get_configuration(self, on_create: bool = False)',
      },
      { file: 'awslambda/models.py', line: 789, quote: '"TracingConfig": self.tracing_config,' },
    ],
    resourceType: 'aws_lambda_function',
    drift: ['dead_letter_config', 'kms_key_arn'],
  },
  {
    id: 'sagemaker-domain-id',
    why:
      'CreateDomain answers DomainArn and Url but no DomainId, so the provider waits for a domain with an empty ' +
      'id. The domain and its user profiles are left out; references to its id get a fixed one.',
    evidence: [
      {
        file: 'sagemaker/models.py',
        line: 5166,
        quote: 'return {"DomainArn": domain.arn, "Url": domain.url}',
      },
    ],
    resourceType: 'aws_sagemaker_domain',
    patch: () => undefined,
    dependents: {
      substitute: () => ({
        id: 'd-emulatorgap00',
        arn: 'arn:aws:sagemaker:us-east-1:123456789012:domain/d-emulatorgap00',
      }),
      dropTypes: ['aws_sagemaker_user_profile', 'aws_sagemaker_space', 'aws_sagemaker_app'],
    },
  },
  {
    id: 'sagemaker-feature-group-tags',
    why:
      'ListTags looks the ARN up in a table of resource types without "feature-group" and calls .get on None ' +
      '(HTTP 500); the provider lists tags on every refresh. Feature groups are left out; references to their ' +
      'name and ARN get the literal values.',
    evidence: [
      {
        file: 'sagemaker/models.py',
        line: 3039,
        quote: 'resource = resources.get(target_resource).get(target_name)',
      },
      { file: 'sagemaker/models.py', line: 3035, quote: '"model-card": self.model_cards,' },
    ],
    resourceType: 'aws_sagemaker_feature_group',
    patch: () => undefined,
    dependents: {
      substitute: (r) => {
        const name = String(r.feature_group_name);
        const arn = `arn:aws:sagemaker:us-east-1:123456789012:feature-group/${name.toLowerCase()}`;
        return { feature_group_name: name, id: name, arn };
      },
    },
  },
  {
    id: 'kms-rotation-period',
    why: 'GetKeyRotationStatus answers only KeyRotationEnabled, never RotationPeriodInDays, so the re-plan sees 0.',
    evidence: [
      { file: 'kms/responses.py', line: 388, quote: 'json.dumps({"KeyRotationEnabled": rotation_enabled})' },
    ],
    resourceType: 'aws_kms_key',
    drift: ['rotation_period_in_days'],
  },
  {
    id: 'sagemaker-endpoint-instance-types',
    why:
      'CreateEndpointConfig checks the instance type against a fixed list from before the 6th-generation ' +
      'families (ml.c6i, ml.m6i, ml.g5, ... are refused). Types outside the list are swapped for ml.m5.xlarge ' +
      'in the emulated copy only.',
    evidence: [
      {
        file: 'sagemaker/models.py',
        line: 733,
        quote: 'if not validators.is_one_of(instance_type, VALID_INSTANCE_TYPES):',
      },
    ],
    resourceType: 'aws_sagemaker_endpoint_configuration',
    patch: (r) => {
      const swap = (variants: unknown) =>
        Array.isArray(variants)
          ? variants.map((v: Record<string, unknown>) => {
              const family = /^ml\.([a-z0-9]+)\./.exec(String(v.instance_type ?? ''))?.[1];
              return family && !MOTO_SAGEMAKER_FAMILIES.has(family)
                ? { ...v, instance_type: 'ml.m5.xlarge' }
                : v;
            })
          : variants;
      return {
        ...r,
        production_variants: swap(r.production_variants),
        shadow_production_variants: swap(r.shadow_production_variants),
      };
    },
  },
  {
    id: 'eks-addons',
    why:
      'moto routes no /clusters/<name>/addons path, so CreateAddon answers a 404 HTML page. Each add-on is ' +
      'replaced by a terraform_data stand-in holding the same arguments (cluster name, IAM role, versions), ' +
      'so the node groups that wait for the networking add-ons still wait for it.',
    evidence: EKS_NO_ROUTE('addons', 'create_addon'),
    resourceType: 'aws_eks_addon',
    standIn: (r) => ({
      id: `${String(r.cluster_name)}:${String(r.addon_name)}`,
      arn: eksArn('addon', r.cluster_name, `${String(r.addon_name)}/emulated`),
    }),
  },
  {
    id: 'eks-access-entries',
    why:
      'moto routes no /clusters/<name>/access-entries path (CreateAccessEntry answers a 404). Access entries ' +
      'become terraform_data stand-ins with the same cluster, principal and type.',
    evidence: EKS_NO_ROUTE('access-entries', 'create_access_entry'),
    resourceType: 'aws_eks_access_entry',
    standIn: (r) => ({
      id: `${String(r.cluster_name)}:${String(r.principal_arn)}`,
      access_entry_arn: eksArn('access-entry', r.cluster_name, 'emulated'),
    }),
  },
  {
    id: 'eks-access-policy-associations',
    why:
      'AssociateAccessPolicy lives under the access-entries path moto does not route (404). Associations ' +
      'become terraform_data stand-ins with the same cluster, principal, policy and scope.',
    evidence: EKS_NO_ROUTE('access-policies', 'associate_access_policy'),
    resourceType: 'aws_eks_access_policy_association',
    standIn: (r) => ({
      id: `${String(r.cluster_name)}#${String(r.principal_arn)}#${String(r.policy_arn)}`,
    }),
  },
  {
    id: 'eks-pod-identity-associations',
    why:
      'moto routes no /clusters/<name>/pod-identity-associations path (CreatePodIdentityAssociation answers ' +
      'a 404). Associations become terraform_data stand-ins with the same cluster, namespace, service account ' +
      'and role, so the role ARN is still resolved from the real IAM role.',
    evidence: EKS_NO_ROUTE('pod-identity-associations', 'create_pod_identity_association'),
    resourceType: 'aws_eks_pod_identity_association',
    standIn: (r) => ({
      association_id: `a-emulated-${String(r.service_account)}`,
      association_arn: eksArn(
        'podidentityassociation',
        r.cluster_name,
        `a-emulated-${String(r.service_account)}`,
      ),
    }),
  },
  {
    id: 'ec2-placement-groups',
    why:
      'moto implements no placement groups: CreatePlacementGroup has no handler in the EC2 responses and ' +
      'answers HTTP 500 "not implemented". Placement groups become terraform_data stand-ins; the launch ' +
      'templates that name them still apply, with the same group name.',
    evidence: [NOT_IMPLEMENTED, { file: 'ec2/responses/__init__.py', absent: 'Placement' }],
    resourceType: 'aws_placement_group',
    standIn: (r) => ({
      id: String(r.name),
      arn: `arn:aws:ec2:us-east-1:123456789012:placement-group/${String(r.name)}`,
    }),
  },
  {
    id: 'eks-node-group-autoscaling-group',
    why:
      'A managed node group in moto reports an Auto Scaling group name ("eks-<uuid>") but creates no group in ' +
      'the Auto Scaling backend, and CreateOrUpdateTags indexes the groups by that name (KeyError, HTTP 500). ' +
      'The node-template tags for cluster-autoscaler become terraform_data stand-ins whose input still reads ' +
      "the ASG name from the real node group's resources.",
    evidence: [
      { file: 'eks/models.py', line: 238, quote: '"autoScalingGroups": [{"name": "eks-" + self.uuid}],' },
      { file: 'eks/models.py', absent: 'autoscaling_backends' },
      { file: 'autoscaling/models.py', line: 1746, quote: 'group = self.autoscaling_groups[group_name]' },
    ],
    resourceType: 'aws_autoscaling_group_tag',
    where: (r) => /\$\{aws_eks_node_group\.[\w-]+\.resources\b/.test(String(r.autoscaling_group_name)),
    standIn: () => ({}),
  },
  {
    id: 'eks-cluster-access-config',
    why:
      'CreateCluster reads no accessConfig and DescribeCluster answers none, so the re-plan sees the ' +
      'authentication mode and bootstrap setting removed; bootstrap_cluster_creator_admin_permissions forces a ' +
      'new cluster, and with it new node groups, a new OIDC provider and new IRSA trust policies. The re-plan ' +
      'ignores access_config (it is still sent on create).',
    evidence: [
      { file: 'eks/responses.py', absent: 'accessConfig' },
      { file: 'eks/models.py', absent: 'access_config' },
    ],
    resourceType: 'aws_eks_cluster',
    patch: ignoreChanges('access_config'),
  },
  {
    id: 'eks-cluster-upgrade-policy',
    why:
      'CreateCluster reads no upgradePolicy and DescribeCluster answers none, so the re-plan sees the support ' +
      'type (STANDARD) added again, an in-place update.',
    evidence: [
      {
        file: 'eks/responses.py',
        line: 29,
        quote: 'remote_network_config = self._get_param("remoteNetworkConfig")',
      },
      { file: 'eks/responses.py', absent: 'upgradePolicy' },
    ],
    resourceType: 'aws_eks_cluster',
    drift: ['upgrade_policy'],
  },
  {
    id: 'eks-node-group-repair-config',
    why:
      'CreateNodegroup reads no nodeRepairConfig (only UpdateNodegroupConfig does), so a node group is created ' +
      'without node auto repair and the re-plan sets it again, an in-place update.',
    evidence: [
      { file: 'eks/responses.py', line: 84, quote: 'release_version = self._get_param("releaseVersion")' },
      { file: 'eks/responses.py', line: 86, quote: 'nodegroup = self.eks_backend.create_nodegroup(' },
      { file: 'eks/responses.py', line: 153, quote: 'def update_nodegroup_config(self)' },
      {
        file: 'eks/responses.py',
        line: 160,
        quote: 'node_repair_config = self._get_param("nodeRepairConfig")',
      },
    ],
    resourceType: 'aws_eks_node_group',
    where: (r) => r.node_repair_config !== undefined,
    drift: ['node_repair_config'],
  },
  {
    id: 'eks-node-group-remote-access',
    why:
      'moto gives a node group created without remoteAccess a default one (SSH key "eksKeypair"); the re-plan ' +
      'sees a remote_access block the configuration does not have, which forces a new node group (and new ASG ' +
      'names for the cluster-autoscaler policy and tags). AWS sets no remote access for a node group with a ' +
      'launch template. The re-plan ignores remote_access.',
    evidence: [
      { file: 'eks/models.py', line: 58, quote: 'DEFAULT_REMOTE_ACCESS = {"ec2SshKey": "eksKeypair"}' },
      {
        file: 'eks/models.py',
        line: 247,
        quote: 'self.remote_access = remote_access or DEFAULT_REMOTE_ACCESS',
      },
    ],
    resourceType: 'aws_eks_node_group',
    where: (r) => r.remote_access === undefined,
    patch: ignoreChanges('remote_access'),
  },
  {
    id: 'ec2-launch-template-own-tags',
    why:
      "CreateLaunchTemplate copies the template's own tags (TagSpecifications of type launch-template, here the " +
      "provider default tags) into the version's LaunchTemplateData, so the re-plan reads a tag_specifications " +
      'block the configuration does not have and updates the template, making a new version that every node ' +
      'group using it would roll to. The re-plan ignores tag_specifications (they are still sent on create).',
    evidence: [
      {
        file: 'ec2/responses/launch_templates.py',
        line: 34,
        quote: 'parsed_template_data["TagSpecifications"].extend(converted_tag_spec)',
      },
    ],
    resourceType: 'aws_launch_template',
    patch: ignoreChanges('tag_specifications'),
  },
  ...(['aws_vpc_security_group_egress_rule', 'aws_vpc_security_group_ingress_rule'] as const).map(
    (resourceType): EmulatorGap => ({
      id: `${resourceType}-description`,
      why:
        'A rule keeps its description only inside the CIDR range; a rule that references a prefix list or a ' +
        'security group reads back without one.',
      evidence: [
        { file: 'ec2/models/security_groups.py', line: 96, quote: 'return self.ip_range.get("Description")' },
      ],
      resourceType,
      where: describesEgressToNonCidr,
      drift: ['description'],
    }),
  ),
];

const moto = motoAvailable();
if (!moto.ok) {
  // Said plainly, so a skipped run is never mistaken for a pass.
  console.warn(`apply.test.ts: skipped, the AWS emulator is not available (${moto.reason})`);
}
const describeWithMoto = moto.ok ? describe : describe.skip;

const usedGaps = new Set<string>();
/** What each step took, printed at the end (the run's timing is part of what it reports). */
const timings: string[] = [];
const timed = (example: string, step: string, r: TfResult) => {
  const slow = slowResources(r.output)
    .slice(0, 3)
    .map((x) => `${x.address} ${x.seconds}s`);
  timings.push(
    `${example} ${step}: ${r.seconds.toFixed(0)}s${slow.length ? ` (slowest: ${slow.join(', ')})` : ''}`,
  );
};
const render = (c: PlannedChange) => `${c.address} (${c.actions.join('/')}: ${c.attributes.join(', ')})`;

describeWithMoto('apply, re-plan and destroy in the AWS emulator', () => {
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator?.stop();
    console.log(`emulator run (moto ${moto.ok ? moto.version : '-'}):\n${timings.join('\n')}`);
  });

  test('every gap quotes the line of moto that shows it', () => {
    const dir = motoPackageDir();
    for (const gap of GAPS) {
      expect(gap.evidence.length).toBeGreaterThan(0);
      expect(gap.drift !== undefined || gap.patch !== undefined || gap.standIn !== undefined).toBe(true);
      expect({ gap: gap.id, problems: gap.evidence.flatMap((e) => checkEvidence(dir, e) ?? []) }).toEqual({
        gap: gap.id,
        problems: [],
      });
    }
  });

  describe.each(EXAMPLES)('%s', (example) => {
    let ws: EmulatorWorkspace;

    beforeAll(async () => {
      await emulator.reset();
      ws = new EmulatorWorkspace(join(ROOT, 'generated', example), emulator, GAPS);
      for (const id of ws.patched.keys()) usedGaps.add(id);
    });
    afterAll(() => ws?.remove());

    test('apply from zero succeeds', () => {
      const init = ws.init();
      if (init.status !== 0) throw new Error(`terraform init failed:\n${init.output}`);
      const r = ws.apply();
      timed(example, 'apply', r);
      for (const [id, addresses] of ws.patched) timings.push(`${example} gap ${id}: ${addresses.join(', ')}`);
      if (r.status !== 0) throw new Error(`terraform apply failed (${r.seconds}s):\n${errorsOf(r.output)}`);
      expect(ws.state().length).toBeGreaterThan(0);
    });

    test('the re-plan is empty, apart from listed emulator gaps', () => {
      const r = ws.plan();
      timed(example, 're-plan', r);
      if (r.status === 1) throw new Error(`terraform plan failed:\n${errorsOf(r.output)}`);
      const { explained, unexplained } = explainDrift(r.changes, GAPS, ws.config);
      for (const e of explained) for (const id of e.gaps) usedGaps.add(id);
      expect(unexplained.map(render)).toEqual([]);
      expect(r.status === 0 || explained.length > 0).toBe(true);
    });

    test('destroy removes everything, after refusing to drop a bucket that still holds data', () => {
      // Protected on purpose: data-lake buckets have force_destroy false, so a bucket that
      // holds objects survives `terraform destroy` until someone empties it.
      const bucket = ws
        .resources()
        .find((r) => r.type === 'aws_s3_bucket' && r.values.force_destroy === false)?.values.bucket as string;
      expect(bucket).toBeDefined();
      emulator.aws('s3', 'put_object', { Bucket: bucket, Key: 'day-2/data.csv', Body: 'a,b\n' });
      const refused = ws.destroy();
      timed(example, 'destroy (refused)', refused);
      expect(refused.status).not.toBe(0);
      expect(refused.output).toMatch(/BucketNotEmpty/);
      expect(ws.state()).toContain(ws.resources().find((r) => r.values.bucket === bucket)?.address);

      const versions = emulator.aws('s3', 'list_object_versions', { Bucket: bucket }) as {
        Versions?: { Key: string; VersionId: string }[];
        DeleteMarkers?: { Key: string; VersionId: string }[];
      };
      for (const v of [...(versions.Versions ?? []), ...(versions.DeleteMarkers ?? [])]) {
        emulator.aws('s3', 'delete_object', { Bucket: bucket, Key: v.Key, VersionId: v.VersionId });
      }
      const r = ws.destroy();
      timed(example, 'destroy', r);
      if (r.status !== 0) throw new Error(`terraform destroy failed:\n${errorsOf(r.output)}`);
      expect(ws.state()).toEqual([]);

      // Protected on purpose: the pipeline key is scheduled for deletion, not deleted, so
      // data encrypted with it can be recovered within the window.
      const keys = emulator.aws('kms', 'list_keys') as { Keys: { KeyId: string }[] };
      const states = keys.Keys.map(
        (k) =>
          (emulator.aws('kms', 'describe_key', { KeyId: k.KeyId }) as { KeyMetadata: { KeyState: string } })
            .KeyMetadata.KeyState,
      );
      expect(states.length).toBeGreaterThan(0);
      expect(new Set(states)).toEqual(new Set(['PendingDeletion']));
    });
  });

  (EXAMPLES === DEFAULT_EXAMPLES ? test : test.skip)(
    'every gap listed is still needed by some example',
    () => {
      expect(GAPS.map((g) => g.id).filter((id) => !usedGaps.has(id))).toEqual([]);
    },
  );
});

/** The error blocks of Terraform output (the whole output when there are none). */
function errorsOf(output: string): string {
  const blocks = output.split(/\n(?=(?:│ )?Error: )/).filter((b) => /^(?:│ )?Error: /.test(b));
  return blocks.length ? blocks.join('\n').slice(0, 20000) : output.slice(-20000);
}

/**
 * A module is applied as its caller would: the module from `pipeform module`, with only a
 * provider in another region, into an emulated account that is not the spec's. Everything
 * it creates lands in that account and region.
 */
describeWithMoto('a module applied by a caller in another account and region', () => {
  const ACCOUNT = '999999999999';
  const REGION = 'us-west-2';
  const PREFIX = 'blue';
  let emulator: Emulator;
  let ws: EmulatorWorkspace;
  let spec: { account: string; region: string };

  beforeAll(async () => {
    emulator = await startEmulator({ account: ACCOUNT });
    const file = join('examples', 'quickstart', 'pipeline.yaml');
    const bytes = readSpecFile(join(ROOT, file));
    const resolved = compileSpec(file, bytes).resolved;
    spec = resolved;
    const dir = mkdtempSync(join(tmpdir(), 'pipeform-module-apply-'));
    // As the CLI writes it (with name_prefix), and called with a prefix other than the name.
    const standIn = compileStandIn(join(ROOT, file), bytes);
    for (const [name, content] of synthesizeModule(resolved, file, undefined, { standIn }).files) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    // All a caller adds: a provider and a backend. The emulator override adds its endpoints and keys.
    writeFileSync(
      join(dir, 'caller.tf.json'),
      JSON.stringify({
        terraform: { backend: { local: { path: 'terraform.tfstate' } } },
        provider: { aws: { region: REGION } },
      }),
    );
    writeFileSync(join(dir, 'terraform.tfvars.json'), JSON.stringify({ name_prefix: PREFIX }));
    ws = new EmulatorWorkspace(dir, emulator, GAPS);
  });
  afterAll(async () => {
    ws?.remove();
    await emulator?.stop();
  });

  test('applies, re-plans empty and destroys, with every ARN and name in the caller account and region and its name_prefix', () => {
    expect([spec.account, spec.region]).not.toEqual([ACCOUNT, REGION]);
    const init = ws.init();
    if (init.status !== 0) throw new Error(`terraform init failed:\n${init.output}`);
    const r = ws.apply();
    timed('quickstart module', 'apply', r);
    if (r.status !== 0) throw new Error(`terraform apply failed (${r.seconds}s):\n${errorsOf(r.output)}`);
    const resources = ws.resources();
    const key = resources.find((x) => x.type === 'aws_kms_key')!;
    expect(key.values.arn).toMatch(new RegExp(`^arn:aws:kms:${REGION}:${ACCOUNT}:key/`));
    expect(String(key.values.policy)).toContain(`logs.${REGION}.amazonaws.com`);
    const buckets = resources.filter((x) => x.type === 'aws_s3_bucket').map((x) => String(x.values.bucket));
    expect(buckets.length).toBeGreaterThan(0);
    for (const b of buckets) expect(b.startsWith(`${PREFIX}-${ACCOUNT}-${REGION}-`)).toBe(true);
    const aliases = resources.filter((x) => x.type === 'aws_kms_alias').map((x) => String(x.values.name));
    expect(aliases).toEqual([`alias/${PREFIX}`]);
    // Nothing in the state names the spec's account or region.
    const state = JSON.stringify(resources.map((x) => x.values));
    expect(state).not.toContain(spec.account);
    expect(state).not.toMatch(new RegExp(`(?<![a-z0-9])${spec.region}(?![a-z0-9])`));
    const keys = emulator.aws('kms', 'list_keys', {}, REGION) as { Keys: { KeyId: string }[] };
    expect(keys.Keys.length).toBeGreaterThan(0);

    const plan = ws.plan();
    if (plan.status === 1) throw new Error(`terraform plan failed:\n${errorsOf(plan.output)}`);
    expect(explainDrift(plan.changes, GAPS, ws.config).unexplained.map(render)).toEqual([]);

    const d = ws.destroy();
    if (d.status !== 0) throw new Error(`terraform destroy failed:\n${errorsOf(d.output)}`);
    expect(ws.state()).toEqual([]);
  });
});

/**
 * Environments as module instances, day 1 for an existing user: an environment applied
 * from the flat layout (pipeform before module instances) is planned and applied with its
 * new root, which calls modules/pipeline. The moved blocks carry every resource to
 * `module.pipeline.<address>`: nothing is created or destroyed.
 */
describeWithMoto('environments: the state of a flat environment moves into the module instance', () => {
  const ACCOUNT = '111111111111';
  const file = join('examples', 'multi-env', 'pipeline.yaml');
  let emulator: Emulator;
  let flat: EmulatorWorkspace;
  let layout: EmulatorWorkspace;
  let moduleConfig: TerraformJson;

  beforeAll(async () => {
    emulator = await startEmulator({ account: ACCOUNT });
    const { targets, files } = synthesizeTargets(compileSpec(file, readSpecFile(join(ROOT, file))), file);
    const write = (dir: string, entries: Iterable<[string, string | Uint8Array]>) => {
      for (const [name, content] of entries) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), content);
      }
      return dir;
    };
    const dev = targets.find((t) => t.dir === 'dev')!;
    // The environment's state bucket is not in the emulator: state stays local (before init).
    const localState: [string, string] = [
      'zz_backend_override.tf.json',
      JSON.stringify({ terraform: { backend: { local: { path: 'terraform.tfstate' } } } }),
    ];
    // The flat layout, as pipeform wrote it before: the whole configuration in dev/.
    flat = new EmulatorWorkspace(
      write(mkdtempSync(join(tmpdir(), 'pipeform-flat-')), [...dev.result.files, localState]),
      emulator,
      GAPS,
    );
    const generated = write(mkdtempSync(join(tmpdir(), 'pipeform-layout-')), [
      ...files,
      [`dev/${localState[0]}`, localState[1]],
    ]);
    layout = new EmulatorWorkspace(join(generated, 'dev'), emulator, GAPS);
    // The module beside the copied root, with the same emulator patches as the flat apply.
    const module = join(layout.dir, '..', 'modules', 'pipeline');
    cpSync(join(generated, 'modules', 'pipeline'), module, { recursive: true });
    const main = JSON.parse(readFileSync(join(module, 'main.tf.json'), 'utf8')) as TerraformJson;
    moduleConfig = patchConfiguration(main, GAPS).config;
    writeFileSync(join(module, 'main.tf.json'), JSON.stringify(moduleConfig, null, 2));
  });
  afterAll(async () => {
    flat?.remove();
    layout?.remove();
    await emulator?.stop();
  });

  test('day 0 flat, then the module layout: every resource moves, nothing is added, destroyed or changed beyond emulator gaps', () => {
    const init = flat.init();
    if (init.status !== 0) throw new Error(`terraform init failed:\n${init.output}`);
    const r = flat.apply();
    timed('multi-env dev (flat)', 'apply', r);
    if (r.status !== 0) throw new Error(`terraform apply failed (${r.seconds}s):\n${errorsOf(r.output)}`);
    const before = flat.state();
    expect(before.length).toBeGreaterThan(0);
    expect(before.some((a) => a.startsWith('module.'))).toBe(false);

    copyFileSync(join(flat.dir, 'terraform.tfstate'), join(layout.dir, 'terraform.tfstate'));
    const init2 = layout.init();
    if (init2.status !== 0) throw new Error(`terraform init failed:\n${init2.output}`);
    const plan = layout.plan();
    if (plan.status === 1) throw new Error(`terraform plan failed:\n${errorsOf(plan.output)}`);
    // Every resource moves, nothing is added or destroyed, and the only updates are what the
    // flat layout's own re-plan shows in moto (listed gaps: a rule's description it drops).
    // Not applied: moto refuses to rewrite those rules (ModifySecurityGroupRules), as it
    // would for the flat layout.
    expect(plan.output).toMatch(/Plan: 0 to add, \d+ to change, 0 to destroy\./);
    // A move without changes prints "has moved to"; one with an update, "(moved from ...)".
    const movedTo = [
      ...[...plan.output.matchAll(/# (\S+) has moved to (\S+)/g)].map((m) => [m[1], m[2]]),
      ...[...plan.output.matchAll(/# (\S+) will be updated in-place\n\s*# \(moved from (\S+)\)/g)].map(
        (m) => [m[2], m[1]],
      ),
    ];
    const moved = (a: string) =>
      `module.pipeline.${a}`.replace(/^(module\.pipeline\.aws_kms_(?:key|alias)\.kms)$/, '$1[0]');
    expect(movedTo.sort()).toEqual(before.map((a) => [a, moved(a)]).sort());
    expect(
      plan.changes.filter((c) => c.actions.some((x) => x === 'create' || x === 'delete')).map(render),
    ).toEqual([]);
    expect(explainDrift(plan.changes, GAPS, moduleConfig).unexplained.map(render)).toEqual([]);
  });
});

/**
 * Promotion (examples/promotion) in two emulated accounts of one server: dev, the owner,
 * trains and owns the registry; prod serves dev's approved versions. Both apply from zero
 * (dev first), each signed with a key of its own account, re-plan empty, then day 1: a
 * version is registered and approved in dev's group, prod's serving deploy (its state
 * machine from prod's own Terraform, run by the interpreter of test/harness/asl.ts) sends
 * its requests to the emulator as prod, and prod's next plan adopts what it created
 * through the ledger's import blocks, replacing nothing. Then both are destroyed.
 */
describeWithMoto('promotion: dev owns the registry, prod serves it, in two accounts', () => {
  const DEV = '111111111111';
  const PROD = '222222222222';
  const REGION = 'eu-west-1';
  const GROUP = 'churn-dev-models';
  /** What moto lacks for the promotion's cross-account pieces, beyond GAPS. */
  const PROMOTION_GAPS: readonly EmulatorGap[] = [
    {
      id: 'sagemaker-model-package-group-policy',
      why:
        'moto implements no PutModelPackageGroupPolicy (nor Get/Delete): the group policy that lets prod read ' +
        "dev's packages becomes a terraform_data stand-in holding the same group name and policy document, " +
        'so the policy is still evaluated against the real group.',
      evidence: [
        NOT_IMPLEMENTED,
        { file: 'sagemaker/responses.py', absent: 'def put_model_package_group_policy' },
      ],
      resourceType: 'aws_sagemaker_model_package_group_policy',
      standIn: (r) => ({ id: String(r.model_package_group_name) }),
    },
    {
      id: 'sagemaker-model-network-isolation',
      why:
        'CreateModel never reads EnableNetworkIsolation and the model object fixes it at False, so the model the ' +
        'serving deploy created with network isolation reads back without it, and adopting it would force a new ' +
        'model (enable_network_isolation forces replacement). The re-plan ignores enable_network_isolation (it is ' +
        'still sent on create, by Terraform and by the deploy).',
      evidence: [
        { file: 'sagemaker/responses.py', line: 33, quote: 'tags = self._get_param("Tags")' },
        { file: 'sagemaker/models.py', line: 943, quote: 'self.enable_network_isolation = False' },
      ],
      resourceType: 'aws_sagemaker_model',
      patch: ignoreChanges('enable_network_isolation'),
    },
    {
      id: 'sagemaker-endpoint-deployment-config',
      why:
        'CreateEndpoint keeps no DeploymentConfig (moto has no UpdateEndpoint at all) and DescribeEndpoint answers ' +
        "none, so the endpoint the deploy created with prod's blue/green config and rollback alarms reads back " +
        'without them, and adopting it would replace the endpoint. The re-plan ignores deployment_config.',
      evidence: [
        { file: 'sagemaker/models.py', absent: 'DeploymentConfig' },
        { file: 'sagemaker/models.py', absent: 'deployment_config' },
      ],
      resourceType: 'aws_sagemaker_endpoint',
      patch: ignoreChanges('deployment_config'),
    },
  ];
  /**
   * moto implements no DeleteModelPackageGroup (HTTP 500 "not implemented"), so destroy
   * cannot remove dev's group. The destroy test takes the group out of dev's state first
   * (`terraform state rm`) and checks that it is the one thing left in the emulator. None of
   * the single-account examples applied above has a group; this is the first to need it.
   */
  const NO_GROUP_DELETE: readonly MotoEvidence[] = [
    NOT_IMPLEMENTED,
    { file: 'sagemaker/responses.py', absent: 'def delete_model_package_group' },
  ];
  /**
   * moto keeps packages per account and resolves a group or package ARN in the caller's
   * account: ListModelPackages keeps only the name after the last "/" of a group ARN, and
   * DescribeModelPackage looks the ARN up in the caller's own table. So a read of dev's
   * registry from prod finds nothing, whatever dev's group policy says (AWS answers it
   * from the owner's registry when the group policy grants it). The deploy's reads of
   * dev's registry, and only those, are sent with dev's key.
   */
  const CROSS_ACCOUNT_REGISTRY: readonly MotoEvidence[] = [
    {
      file: 'sagemaker/models.py',
      line: 4469,
      quote: 'model_package_group_name = model_package_group_name.split("/")[-1]',
    },
    {
      file: 'sagemaker/models.py',
      line: 4512,
      quote: 'model_package = self.model_packages.get(model_package_name_mapped)',
    },
  ];
  const gaps = [...GAPS, ...PROMOTION_GAPS];
  const used = new Set<string>();
  let emulator: Emulator;
  let dev: EmulatorWorkspace;
  let prod: EmulatorWorkspace;
  let devKey: EmulatorCredentials;
  let prodKey: EmulatorCredentials;

  beforeAll(async () => {
    emulator = await startEmulator();
    devKey = emulator.createAccount(DEV);
    prodKey = emulator.createAccount(PROD);
    dev = new EmulatorWorkspace(join(ROOT, 'generated', 'promotion', 'dev'), emulator, gaps, devKey);
    prod = new EmulatorWorkspace(join(ROOT, 'generated', 'promotion', 'prod'), emulator, gaps, prodKey);
    for (const ws of [dev, prod]) for (const id of ws.patched.keys()) used.add(id);
  });
  afterAll(async () => {
    dev?.remove();
    prod?.remove();
    await emulator?.stop();
  });

  const replan = (name: string, ws: EmulatorWorkspace) => {
    const r = ws.plan();
    timed(`promotion ${name}`, 're-plan', r);
    if (r.status === 1) throw new Error(`terraform plan failed:\n${errorsOf(r.output)}`);
    const { explained, unexplained } = explainDrift(r.changes, gaps, ws.config);
    for (const e of explained) for (const id of e.gaps) used.add(id);
    return { r, unexplained: unexplained.map(render) };
  };

  test('the gaps quote moto', () => {
    const dir = motoPackageDir();
    const evidence = [
      ...PROMOTION_GAPS.flatMap((g) => g.evidence),
      ...CROSS_ACCOUNT_REGISTRY,
      ...NO_GROUP_DELETE,
    ];
    expect(evidence.flatMap((e) => checkEvidence(dir, e) ?? [])).toEqual([]);
  });

  test('dev, then prod, apply from zero, each in its own account, and re-plan empty', () => {
    for (const [name, ws] of [
      ['dev', dev],
      ['prod', prod],
    ] as const) {
      const init = ws.init();
      if (init.status !== 0) throw new Error(`terraform init failed:\n${init.output}`);
      const r = ws.apply();
      timed(`promotion ${name}`, 'apply', r);
      if (r.status !== 0)
        throw new Error(`terraform apply of ${name} failed (${r.seconds}s):\n${errorsOf(r.output)}`);
    }
    // Each landed in its account: the provider's allowed_account_ids already refused any
    // other, and every resource's own ARN names it (an event target's `arn` is where it
    // sends: dev's forwarding rule targets prod's default bus).
    const foreign = (ws: EmulatorWorkspace, account: string) =>
      ws
        .resources()
        .filter((x) => x.type !== 'aws_cloudwatch_event_target')
        .flatMap((x) => {
          const arn = x.values.arn;
          const m = typeof arn === 'string' ? /^arn:aws:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(arn) : null;
          return m && m[1] !== account ? [`${x.address}: ${String(arn)}`] : [];
        });
    expect(foreign(dev, DEV)).toEqual([]);
    expect(foreign(prod, PROD)).toEqual([]);
    const forwarding = dev.resources().filter((x) => x.type === 'aws_cloudwatch_event_target');
    expect(forwarding.map((x) => x.values.arn)).toContain(
      `arn:aws:events:${REGION}:${PROD}:event-bus/default`,
    );
    const groups = (key: EmulatorCredentials) =>
      (
        emulator.aws('sagemaker', 'list_model_package_groups', {}, REGION, key) as {
          ModelPackageGroupSummaryList: { ModelPackageGroupName: string }[];
        }
      ).ModelPackageGroupSummaryList.map((g) => g.ModelPackageGroupName);
    expect(groups(devKey)).toEqual([GROUP]);
    expect(groups(prodKey)).toEqual([]);

    for (const [name, ws] of [
      ['dev', dev],
      ['prod', prod],
    ] as const) {
      expect({ name, changes: replan(name, ws).unexplained }).toEqual({ name, changes: [] });
    }
  });

  test("day 1: a version approved in dev is deployed by prod's serving deploy, and prod's next plan adopts it", async () => {
    // dev's training pipeline registers a version (moto runs no pipeline; its registration
    // step would make this call) from an artifact under the prefix prod may read.
    const devState = JSON.parse(readFileSync(join(dev.dir, 'terraform.tfstate'), 'utf8')) as {
      resources: {
        mode: string;
        type: string;
        name: string;
        instances: { attributes: Record<string, unknown> }[];
      }[];
    };
    const image = devState.resources.find(
      (r) =>
        r.mode === 'data' && r.type === 'aws_sagemaker_prebuilt_ecr_image' && r.name === 'training_image',
    )!.instances[0].attributes.registry_path as string;
    const bucket = dev.resources().find((x) => x.address === 'aws_s3_bucket.lake_models')!.values
      .bucket as string;
    const artifact = 'churn-dev/training/artifacts/churn-train-1/output/model.tar.gz';
    emulator.aws('s3', 'put_object', { Bucket: bucket, Key: artifact, Body: 'model' }, REGION, devKey);
    const pkg = emulator.aws(
      'sagemaker',
      'create_model_package',
      {
        ModelPackageGroupName: GROUP,
        ModelApprovalStatus: 'PendingManualApproval',
        InferenceSpecification: {
          Containers: [{ Image: image, ModelDataUrl: `s3://${bucket}/${artifact}` }],
          SupportedContentTypes: ['text/csv'],
          SupportedResponseMIMETypes: ['text/csv'],
          SupportedRealtimeInferenceInstanceTypes: ['ml.m5.large'],
        },
      },
      REGION,
      devKey,
    ) as { ModelPackageArn: string };
    const ownerPackages = `arn:aws:sagemaker:${REGION}:${DEV}:model-package/${GROUP}/`;
    expect(pkg.ModelPackageArn).toBe(`${ownerPackages}1`);
    // The approval, as a reviewer in dev makes it.
    emulator.aws(
      'sagemaker',
      'update_model_package',
      { ModelPackageArn: pkg.ModelPackageArn, ModelApprovalStatus: 'Approved' },
      REGION,
      devKey,
    );

    // prod's serving deploy, from prod's own Terraform, with the references Terraform
    // resolves at apply time taken from prod's state. test/promotion-deploy.test.ts plays
    // the gate that starts it with exactly this input once prod's approver answers.
    const raw = JSON.parse(
      readFileSync(join(ROOT, 'generated', 'promotion', 'prod', 'main.tf.json'), 'utf8'),
    ) as { resource: { aws_sfn_state_machine: Record<string, { definition: string }> } };
    const values = new Map(prod.resources().map((x) => [x.address, x.values]));
    const definition = JSON.parse(
      raw.resource.aws_sfn_state_machine.serving_deploy.definition.replace(
        /\$\{([a-z0-9_]+\.[a-z0-9_]+)\.([a-z0-9_]+)\}/g,
        (_whole, address: string, attr: string) => {
          const v = values.get(address)?.[attr];
          if (typeof v !== 'string') throw new Error(`prod's state has no ${address}.${attr}`);
          return v;
        },
      ),
    ) as Parameters<typeof runMachine>[0];
    const ownerGroup = `arn:aws:sagemaker:${REGION}:${DEV}:model-package-group/${GROUP}`;
    const calls: string[] = [];
    const handle: TaskHandler = (service, action, args: Record<string, unknown>) => {
      // The reads of dev's registry (see CROSS_ACCOUNT_REGISTRY); everything else is prod's.
      const owner =
        (action === 'listModelPackages' && args.ModelPackageGroupName === ownerGroup) ||
        (action === 'describeModelPackage' && String(args.ModelPackageName).startsWith(ownerPackages));
      calls.push(`${owner ? 'dev' : 'prod'} ${service}:${action}`);
      const client = service === 'applicationautoscaling' ? 'application-autoscaling' : service;
      const operation = action.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      try {
        return emulator.aws(client, operation, args, REGION, owner ? devKey : prodKey);
      } catch (e) {
        if (!(e instanceof EmulatorApiError)) throw e;
        // As Step Functions names an SDK error: <Service>.<Code>Exception.
        const prefix = { sagemaker: 'SageMaker', ssm: 'Ssm' }[service] ?? 'ApplicationAutoScaling';
        throw new TaskError(`${prefix}.${e.code.replace(/(?<!Exception)$/, 'Exception')}`, e.message);
      }
    };
    const start = Date.now();
    const { output } = await runMachine(definition, { endpoints: ['scorer'], version: '1' }, handle);
    timings.push(
      `promotion prod serving deploy: ${((Date.now() - start) / 1000).toFixed(0)}s, ${calls.length} calls`,
    );
    expect(output).toEqual({
      endpoints: [expect.objectContaining({ endpoint: 'scorer', status: 'serving' })],
    });
    expect(calls.filter((c) => c.startsWith('dev '))).toEqual(['dev sagemaker:describeModelPackage']);

    // Everything the deploy made is in prod, from dev's package; dev has no endpoint.
    const endpoint = emulator.aws(
      'sagemaker',
      'describe_endpoint',
      { EndpointName: 'churn-prod-scorer' },
      REGION,
      prodKey,
    ) as {
      EndpointArn: string;
      EndpointConfigName: string;
    };
    expect(endpoint.EndpointArn).toBe(`arn:aws:sagemaker:${REGION}:${PROD}:endpoint/churn-prod-scorer`);
    const config = emulator.aws(
      'sagemaker',
      'describe_endpoint_config',
      { EndpointConfigName: endpoint.EndpointConfigName },
      REGION,
      prodKey,
    ) as { ProductionVariants: { ModelName: string }[] };
    const model = emulator.aws(
      'sagemaker',
      'describe_model',
      { ModelName: config.ProductionVariants[0].ModelName },
      REGION,
      prodKey,
    ) as { PrimaryContainer: { ModelPackageName: string }; ModelArn: string };
    expect(model.PrimaryContainer.ModelPackageName).toBe(pkg.ModelPackageArn);
    expect(model.ModelArn.split(':')[4]).toBe(PROD);
    const devEndpoints = emulator.aws('sagemaker', 'list_endpoints', {}, REGION, devKey) as {
      Endpoints: { EndpointName: string }[];
    };
    expect(devEndpoints.Endpoints.map((e) => e.EndpointName)).not.toContain('churn-prod-scorer');

    // prod's next plan adopts the model, configuration and endpoint through the ledger's
    // import blocks (the autoscaling imports are out with the appautoscaling-tags gap) and
    // replaces or creates nothing.
    const { r, unexplained } = replan('prod after the deploy', prod);
    expect(r.status).toBe(2);
    expect([...r.imported].sort()).toEqual([
      'aws_appautoscaling_policy.serving_scorer_main["sagemaker/endpoint/churn-prod-scorer/variant/main/sagemaker:variant:DesiredInstanceCount/churn-prod-scorer-main-target-tracking"]',
      `aws_sagemaker_endpoint.serving_scorer["churn-prod-scorer"]`,
      `aws_sagemaker_endpoint_configuration.serving_scorer["${endpoint.EndpointConfigName}"]`,
      `aws_sagemaker_model.serving_scorer_main["v1"]`,
    ]);
    expect(
      r.changes.filter((c) => c.actions.includes('create') || c.actions.includes('delete')).map(render),
    ).toEqual([]);
    expect(unexplained).toEqual([]);
    // Only the adoption is applied: the in-place updates a listed gap explains (the security
    // group rules' descriptions) moto refuses to make (ModifySecurityGroupRules), as in the
    // environments test above.
    const adopt = prod.apply(r.imported);
    timed('promotion prod', 'apply (adopt)', adopt);
    if (adopt.status !== 0) throw new Error(`terraform apply failed:\n${errorsOf(adopt.output)}`);
    expect(prod.state()).toEqual(expect.arrayContaining([...r.imported]));
    expect(replan('prod after adopting', prod).unexplained).toEqual([]);
  });

  test('prod, then dev, destroy everything', () => {
    // The artifact the day-1 version was trained into: the models bucket keeps data on
    // destroy (force_destroy false), so it is emptied first, as its owner would.
    const bucket = dev.resources().find((x) => x.address === 'aws_s3_bucket.lake_models')!.values
      .bucket as string;
    const versions = emulator.aws(
      's3',
      'list_object_versions',
      { Bucket: bucket, Prefix: 'churn-dev/training/artifacts/' },
      REGION,
      devKey,
    ) as {
      Versions?: { Key: string; VersionId: string }[];
      DeleteMarkers?: { Key: string; VersionId: string }[];
    };
    for (const v of [...(versions.Versions ?? []), ...(versions.DeleteMarkers ?? [])]) {
      emulator.aws(
        's3',
        'delete_object',
        { Bucket: bucket, Key: v.Key, VersionId: v.VersionId },
        REGION,
        devKey,
      );
    }
    const group = 'aws_sagemaker_model_package_group.training';
    expect(dev.forget(group).status).toBe(0);
    for (const [name, ws] of [
      ['prod', prod],
      ['dev', dev],
    ] as const) {
      const r = ws.destroy();
      timed(`promotion ${name}`, 'destroy', r);
      if (r.status !== 0) throw new Error(`terraform destroy of ${name} failed:\n${errorsOf(r.output)}`);
      expect({ name, state: ws.state() }).toEqual({ name, state: [] });
    }
    const endpoints = emulator.aws('sagemaker', 'list_endpoints', {}, REGION, prodKey) as {
      Endpoints: unknown[];
    };
    expect(endpoints.Endpoints).toEqual([]);
    // The one thing NO_GROUP_DELETE leaves behind in dev: its group.
    const left = emulator.aws('sagemaker', 'list_model_package_groups', {}, REGION, devKey) as {
      ModelPackageGroupSummaryList: { ModelPackageGroupName: string }[];
    };
    expect(left.ModelPackageGroupSummaryList.map((g) => g.ModelPackageGroupName)).toEqual([GROUP]);
  });

  test('every promotion gap listed is needed', () => {
    expect(PROMOTION_GAPS.map((g) => g.id).filter((id) => !used.has(id))).toEqual([]);
  });
});
