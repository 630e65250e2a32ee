import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  changedAttributes,
  checkEvidence,
  explainDrift,
  patchConfiguration,
  slowResources,
  withoutAliases,
  type EmulatorGap,
  type TerraformJson,
} from './harness/emulator';

/**
 * The pure parts of the emulator harness (test/harness/emulator.ts): how gaps patch a
 * configuration, which re-plan changes they explain, and how evidence is checked. The
 * apply itself runs in test/apply.test.ts (`npm run test:apply`).
 */
const evidence = [{ file: 'x.py', absent: 'def x' }] as const;

const config = (): TerraformJson => ({
  resource: {
    aws_emr_cluster: { emr: { name: 'c' } },
    aws_emr_managed_scaling_policy: { emr: { cluster_id: '${aws_emr_cluster.emr.id}' } },
    aws_sfn_state_machine: {
      wf: { definition: '{"ClusterId":"${aws_emr_cluster.emr.id}"}', depends_on: ['aws_emr_cluster.emr'] },
    },
    aws_cloudwatch_metric_alarm: {
      apps: { dimensions: { JobFlowId: '${join(",", [aws_emr_cluster.emr.id])}' } },
    },
    aws_sns_topic: { alerts: { name: 'a' } },
  },
  output: { cluster: { value: '${aws_emr_cluster.emr.id}' } },
});

describe('patchConfiguration', () => {
  const drop: EmulatorGap = {
    id: 'drop-cluster',
    why: 'w',
    evidence,
    resourceType: 'aws_emr_cluster',
    patch: () => undefined,
    dependents: { substitute: () => ({ id: 'j-FIXED' }), dropTypes: ['aws_emr_managed_scaling_policy'] },
  };

  test('a dropped resource: references get the substitute, listed types and what still refers to it go too', () => {
    const { config: out, applied } = patchConfiguration(config(), [drop]);
    expect(out.resource!.aws_emr_cluster).toBeUndefined();
    expect(out.resource!.aws_emr_managed_scaling_policy).toBeUndefined();
    expect(out.resource!.aws_sfn_state_machine.wf).toEqual({
      definition: '{"ClusterId":"j-FIXED"}',
      depends_on: [],
    });
    expect(out.resource!.aws_cloudwatch_metric_alarm).toBeUndefined(); // an expression, not a plain reference
    expect((out.output as Record<string, unknown>).cluster).toEqual({ value: 'j-FIXED' });
    expect(out.resource!.aws_sns_topic.alerts).toEqual({ name: 'a' });
    expect(applied.get('drop-cluster')).toEqual([
      'aws_emr_cluster.emr',
      'aws_cloudwatch_metric_alarm.apps',
      'aws_emr_managed_scaling_policy.emr',
    ]);
  });

  test('import blocks into a dropped resource go with it (Terraform refuses them even when empty)', () => {
    const imports = [
      { for_each: '${local.adopt}', id: '${each.value}', to: 'aws_emr_cluster.emr[each.key]' },
      { id: 'a', to: 'aws_sns_topic.alerts' },
    ];
    const input: TerraformJson = { ...config(), import: imports };
    const { config: out, applied } = patchConfiguration(input, [drop]);
    expect(out.import).toEqual([{ id: 'a', to: 'aws_sns_topic.alerts' }]);
    expect(applied.get('drop-cluster')).toContain('import.aws_emr_cluster.emr[each.key]');
    const { config: none } = patchConfiguration({ ...config(), import: [imports[0]] }, [drop]);
    expect(none.import).toBeUndefined();
  });

  test('without a substitute every dependent is dropped, transitively; the input is not changed', () => {
    const input = config();
    const { config: out } = patchConfiguration(input, [{ ...drop, dependents: undefined }]);
    expect(Object.keys(out.resource!)).toEqual(['aws_sns_topic']);
    expect(input.resource!.aws_emr_cluster.emr).toEqual({ name: 'c' });
  });

  test('a rewriting patch applies only where `where` holds', () => {
    const gap: EmulatorGap = {
      id: 'rename',
      why: 'w',
      evidence,
      resourceType: 'aws_sns_topic',
      where: (r) => r.name === 'a',
      patch: (r) => ({ ...r, name: 'b' }),
    };
    expect(patchConfiguration(config(), [gap]).config.resource!.aws_sns_topic.alerts.name).toBe('b');
    expect(patchConfiguration(config(), [{ ...gap, where: () => false }]).applied.size).toBe(0);
  });
});

describe('patchConfiguration with a stand-in', () => {
  const standIn: EmulatorGap = {
    id: 'stand-in-addon',
    why: 'w',
    evidence,
    resourceType: 'aws_eks_addon',
    standIn: (r) => ({ arn: `arn:addon/${String(r.addon_name)}` }),
  };
  const eks = (): TerraformJson => ({
    resource: {
      aws_eks_cluster: { eks: { name: 'c' } },
      aws_eks_addon: {
        cni: {
          addon_name: 'vpc-cni',
          cluster_name: '${aws_eks_cluster.eks.name}',
          depends_on: ['aws_eks_cluster.eks'],
          lifecycle: { ignore_changes: ['addon_version'] },
        },
      },
      aws_eks_node_group: {
        gpu: { cluster_name: '${aws_eks_cluster.eks.name}', depends_on: ['aws_eks_addon.cni'] },
      },
      aws_sns_topic: { t: { name: '${aws_eks_addon.cni.arn}-${upper(aws_eks_addon.cni.addon_name)}' } },
    },
    output: { addon: { value: '${aws_eks_addon.cni}' } },
  });

  test('the resource becomes terraform_data with its arguments and computed values; references follow it', () => {
    const { config: out, applied } = patchConfiguration(eks(), [standIn]);
    expect(out.resource!.aws_eks_addon).toBeUndefined();
    expect(out.resource!.terraform_data.aws_eks_addon_cni).toEqual({
      input: { addon_name: 'vpc-cni', cluster_name: '${aws_eks_cluster.eks.name}', arn: 'arn:addon/vpc-cni' },
      depends_on: ['aws_eks_cluster.eks'],
    });
    expect(out.resource!.aws_eks_node_group.gpu.depends_on).toEqual(['terraform_data.aws_eks_addon_cni']);
    expect(out.resource!.aws_sns_topic.t.name).toBe(
      '${terraform_data.aws_eks_addon_cni.output.arn}-${upper(terraform_data.aws_eks_addon_cni.output.addon_name)}',
    );
    expect((out.output as Record<string, unknown>).addon).toEqual({
      value: '${terraform_data.aws_eks_addon_cni.output}',
    });
    expect(out.resource!.aws_eks_cluster.eks).toEqual({ name: 'c' });
    expect(applied.get('stand-in-addon')).toEqual(['aws_eks_addon.cni']);
  });

  test('an import block into the resource is dropped (terraform_data cannot be imported)', () => {
    const input: TerraformJson = { ...eks(), import: [{ id: 'c:vpc-cni', to: 'aws_eks_addon.cni' }] };
    const { config: out, applied } = patchConfiguration(input, [standIn]);
    expect(out.import).toBeUndefined();
    expect(applied.get('stand-in-addon')).toEqual(['aws_eks_addon.cni', 'import.aws_eks_addon.cni']);
  });

  test('`where` scopes the stand-in', () => {
    const { config: out, applied } = patchConfiguration(eks(), [{ ...standIn, where: () => false }]);
    expect(out).toEqual(eks());
    expect(applied.size).toBe(0);
  });
});

describe('changedAttributes and explainDrift', () => {
  const update = {
    change: {
      actions: ['update'],
      before: { id: 'k', rotation_period_in_days: 0, tags: {} },
      after: { id: 'k', rotation_period_in_days: 365, tags: {} },
      after_unknown: {},
    },
  };
  const replace = {
    change: {
      actions: ['delete', 'create'],
      before: { arn: 'a', enable_network_isolation: false },
      after: { enable_network_isolation: true },
      after_unknown: { arn: true },
      replace_paths: [['enable_network_isolation']],
    },
  };

  test('an update lists the attributes that differ, a replacement the ones forcing it, a create everything', () => {
    expect(changedAttributes(update)).toEqual(['rotation_period_in_days']);
    expect(changedAttributes(replace)).toEqual(['enable_network_isolation']);
    expect(changedAttributes({ change: { actions: ['create'], after: {} } })).toEqual(['*']);
  });

  const gaps: EmulatorGap[] = [
    { id: 'kms', why: 'w', evidence, resourceType: 'aws_kms_key', drift: ['rotation_period_in_days'] },
  ];
  const change = (type: string, attributes: string[]) => ({
    address: `${type}.x`,
    type,
    name: 'x',
    actions: ['update'],
    attributes,
  });

  test('a gap explains only its resource type and attributes; anything more is a real difference', () => {
    const r = explainDrift(
      [
        change('aws_kms_key', ['rotation_period_in_days']),
        change('aws_kms_key', ['rotation_period_in_days', 'description']),
        change('aws_s3_bucket', ['rotation_period_in_days']),
        { ...change('aws_kms_key', ['*']), actions: ['create'] },
      ],
      gaps,
      { resource: { aws_kms_key: { x: {} }, aws_s3_bucket: { x: {} } } },
    );
    expect(r.explained.map((e) => [e.change.attributes, e.gaps])).toEqual([
      [['rotation_period_in_days'], ['kms']],
    ]);
    expect(r.unexplained).toHaveLength(3);
  });
});

describe('provider endpoint aliases', () => {
  test('keeps the first name of each group terraform validate reports', () => {
    const json = JSON.stringify({
      diagnostics: [
        {
          severity: 'warning',
          detail:
            'Only one of the following attributes should be set: "endpoints[0].simpledb", "endpoints[0].sdb"',
        },
        { severity: 'warning', detail: 'something else about "endpoints[0].s3"' },
      ],
    });
    expect(withoutAliases(['s3', 'sdb', 'simpledb', 'sts'], json)).toEqual(['s3', 'sdb', 'sts']);
    expect(withoutAliases(['s3'], 'not json')).toEqual(['s3']);
  });
});

describe('gap evidence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipeform-moto-evidence-'));
  writeFileSync(join(dir, 'responses.py'), 'class R:\n    def create(self):\n        return 1\n');

  test('a quoted line must read as quoted, an absent method must stay absent', () => {
    expect(checkEvidence(dir, { file: 'responses.py', line: 2, quote: 'def create(self)' })).toBeUndefined();
    expect(checkEvidence(dir, { file: 'responses.py', line: 3, quote: 'def create(self)' })).toMatch(/reads/);
    expect(checkEvidence(dir, { file: 'responses.py', absent: 'def validate' })).toBeUndefined();
    expect(checkEvidence(dir, { file: 'responses.py', absent: 'def create' })).toMatch(/now defines/);
    expect(checkEvidence(dir, { file: 'missing.py', absent: 'x' })).toMatch(/does not exist/);
  });
});

test('slowResources reads the slowest steps from Terraform output', () => {
  const out = [
    'aws_s3_bucket.a: Creation complete after 1s [id=a]',
    'aws_s3_bucket_lifecycle_configuration.a: Creation complete after 56s [id=a]',
    'aws_sagemaker_endpoint.e: Destruction complete after 2m5s',
  ].join('\n');
  expect(slowResources(out, 20)).toEqual([
    { address: 'aws_sagemaker_endpoint.e', seconds: 125 },
    { address: 'aws_s3_bucket_lifecycle_configuration.a', seconds: 56 },
  ]);
});
