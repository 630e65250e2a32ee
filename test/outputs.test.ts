/**
 * The stack outputs registry (src/constructs/outputs.ts): each area lists its outputs and
 * PipelineStack writes them all at once. Output names are a public interface (scripts and
 * module callers read them), so the names each area owns are pinned here; an area's
 * outputs appear exactly when the spec has the area, and dropping an area's list fails.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TerraformStack } from 'cdktf';
import { compileSpec } from '../src/compiler';
import { writeOutputs } from '../src/constructs/outputs';
import { PipelineStack } from '../src/constructs/pipeline-stack';
import type { ResolvedSpec } from '../src/model/resolved';
import { testApp } from './harness/cdktf-testing';
import { compileData, MINIMAL, ROOT } from './harness/spec';

interface Area {
  /** Whether the spec has the area. */
  readonly present: (spec: ResolvedSpec) => boolean;
  /** Every output the area may write. */
  readonly outputs: readonly string[];
}

const AREAS: Readonly<Record<string, Area>> = {
  kms: { present: () => true, outputs: ['kms_key_arn'] },
  storage: { present: () => true, outputs: ['bucket_names', 'bucket_arns'] },
  network: {
    present: (s) => s.network !== undefined,
    outputs: ['vpc_id', 'private_subnet_ids', 'workload_security_group_ids'],
  },
  waf: { present: (s) => s.security.waf !== undefined, outputs: ['web_acl_arn'] },
  eks: {
    present: (s) => s.eks !== undefined,
    outputs: ['eks_cluster_name', 'eks_cluster_endpoint', 'eks_oidc_provider_arn', 'eks_job_role_arns'],
  },
  tracking: {
    present: (s) => s.tracking?.mlflow !== undefined,
    outputs: ['mlflow_tracking_server_arn', 'mlflow_tracking_server_url'],
  },
  data: {
    present: (s) => Boolean(s.data || s.orchestration || s.features || s.notebooks),
    outputs: [
      'glue_job_names',
      'emr_cluster_id',
      'emr_serverless_application_id',
      'lambda_function_names',
      'etl_state_machine_arn',
      'etl_failure_topic_arn',
      'feature_group_names',
      'sagemaker_domain_id',
      'notebook_instance_names',
    ],
  },
  training: {
    present: (s) => s.training !== undefined,
    outputs: ['training_pipeline_arn', 'model_package_group_name', 'training_role_arn'],
  },
  serving: {
    present: (s) => s.serving !== undefined,
    outputs: [
      'promotion_approval_topic_arn',
      'endpoint_names',
      'serving_status',
      'serving_deploy_state_machine_arn',
      'front_door_urls',
    ],
  },
  cicd: {
    present: (s) => s.cicd !== undefined,
    outputs: ['cicd_pipeline_name', 'cicd_connection_arn', 'cicd_approval_topic_arn'],
  },
  monitoring: {
    present: (s) => s.monitoring !== undefined,
    outputs: [
      'alerts_topic_arn',
      'dashboard_name',
      'prometheus_endpoint',
      'grafana_endpoint',
      'retraining_rule_arn',
    ],
  },
  goals: { present: (s) => s.goals.kpis.length > 0, outputs: ['kpis'] },
};

type Outputs = Record<string, { description?: string; value?: unknown }>;

function synthOutputs(spec: ResolvedSpec): Outputs {
  const stack = new PipelineStack(testApp(), spec.name, spec);
  return (stack.toTerraform() as { output?: Outputs }).output ?? {};
}

function example(name: string): ResolvedSpec {
  const file = join('examples', name, 'pipeline.yaml');
  return compileSpec(file, readFileSync(join(ROOT, file))).resolved;
}

const cases: [string, () => ResolvedSpec][] = [
  ['the complete example', () => example('complete')],
  ['the quickstart example', () => example('quickstart')],
  ['the minimal spec', () => compileData(MINIMAL)],
];

describe.each(cases)('stack outputs of %s', (_, load) => {
  const spec = load();
  const outputs = synthOutputs(spec);

  test('every output has a description', () => {
    for (const [name, o] of Object.entries(outputs))
      expect({ name, description: o.description?.trim() ?? '' }).toEqual({
        name,
        description: expect.stringMatching(/\S/) as unknown,
      });
  });

  test('every output belongs to exactly one area', () => {
    const owners = new Map<string, string[]>();
    for (const [area, a] of Object.entries(AREAS))
      for (const n of a.outputs) owners.set(n, [...(owners.get(n) ?? []), area]);
    for (const name of Object.keys(outputs))
      expect({ name, owners: owners.get(name) ?? [] }).toEqual({ name, owners: [expect.any(String)] });
  });

  test.each(Object.keys(AREAS))('the %s outputs appear iff the spec has the area', (area) => {
    const a = AREAS[area];
    const written = a.outputs.filter((n) => n in outputs);
    expect({ area, writes: written.length > 0 }).toEqual({ area, writes: a.present(spec) });
  });
});

test('the complete example has every area, so no area of the registry goes untested', () => {
  const spec = example('complete');
  expect(Object.keys(AREAS).filter((area) => !AREAS[area].present(spec))).toEqual([]);
});

describe('writeOutputs', () => {
  const stack = () => new TerraformStack(testApp(), 'stack');

  test('refuses a name two areas use, naming both', () => {
    expect(() =>
      writeOutputs(stack(), [
        { area: 'serving', outputs: [{ name: 'endpoint_names', description: 'a', value: 'x' }] },
        { area: 'monitoring', outputs: [{ name: 'endpoint_names', description: 'b', value: 'y' }] },
      ]),
    ).toThrow(
      'internal: stack output endpoint_names of area monitoring is already an output of area serving',
    );
  });

  test('refuses an output without a description', () => {
    expect(() =>
      writeOutputs(stack(), [{ area: 'kms', outputs: [{ name: 'k', description: ' ', value: 'x' }] }]),
    ).toThrow('internal: stack output k of area kms has no description');
  });

  test('writes each output with its description and value, returned by name', () => {
    const s = stack();
    const written = writeOutputs(s, [
      { area: 'a', outputs: [{ name: 'one', description: 'First.', value: 'v1' }] },
      { area: 'b', outputs: [{ name: 'two', description: 'Second.', value: ['v2'], sensitive: true }] },
    ]);
    expect([...written.keys()]).toEqual(['one', 'two']);
    expect((s.toTerraform() as { output: Outputs }).output).toEqual({
      one: { description: 'First.', value: 'v1' },
      two: { description: 'Second.', value: ['v2'], sensitive: true },
    });
  });
});
