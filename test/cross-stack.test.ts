import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { PipelineStack } from '../src/constructs/pipeline-stack';
import { compileData, MINIMAL } from './harness/spec';

/**
 * A team's stack of its own beside the pipeline's stack in one cdktf app, reading the
 * pipeline key and a bucket through a cross-stack reference. With the default local state,
 * the consumer must read the producer's state file in the producer's stack directory;
 * Terraform itself plans the consumer against a state written there.
 */
describe('a separate stack reads the pipeline through a cross-stack reference', () => {
  const out = mkdtempSync(join(tmpdir(), 'pipeform-xstack-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('terraform plans the consumer with the values from the pipeline stack’s local state', () => {
    const app = new App({ outdir: out, skipValidation: true });
    const pipeline = new PipelineStack(app, 'pipeline', compileData(MINIMAL));
    const team = new TerraformStack(app, 'team');
    new TerraformOutput(team, 'key', { value: pipeline.keyArn, sensitive: true });
    new TerraformOutput(team, 'raw', { value: pipeline.bucket('raw').arn, sensitive: true });
    app.synth();

    const producer = JSON.parse(readFileSync(join(out, 'stacks', 'pipeline', 'cdk.tf.json'), 'utf8')) as {
      terraform: { backend: { local: { path: string } } };
      output: Record<string, { value: string }>;
    };
    // What the pipeline's apply leaves in its state: the outputs cdktf added for the team.
    const values: Record<string, string> = {
      'aws_kms_key.kms.arn': 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'aws_s3_bucket.lake_raw.arn': 'arn:aws:s3:::demo-raw-123456789012',
    };
    const outputs = Object.fromEntries(
      Object.entries(producer.output)
        .filter(([name]) => name.startsWith('cross_stack_output_'))
        .map(([name, o]) => [name, { value: values[o.value.slice(2, -1)], type: 'string', sensitive: true }]),
    );
    expect(Object.keys(outputs)).toHaveLength(2);
    writeFileSync(
      join(out, 'stacks', 'pipeline', producer.terraform.backend.local.path),
      JSON.stringify({
        version: 4,
        terraform_version: '1.11.4',
        serial: 1,
        lineage: 'x',
        outputs,
        resources: [],
      }),
    );

    const teamDir = join(out, 'stacks', 'team');
    const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
    const run = (args: string[]) => spawnSync('terraform', args, { cwd: teamDir, env, encoding: 'utf8' });
    const init = run(['init', '-input=false', '-no-color']);
    expect({ status: init.status, output: init.stdout + init.stderr }).toMatchObject({ status: 0 });
    const plan = run(['plan', '-input=false', '-no-color', '-lock=false', '-out=plan.bin']);
    expect({ status: plan.status, output: plan.stdout + plan.stderr }).toMatchObject({ status: 0 });
    const shown = JSON.parse(run(['show', '-json', 'plan.bin']).stdout) as {
      planned_values: { outputs: Record<string, { value: string }> };
    };
    expect(shown.planned_values.outputs.key.value).toBe(values['aws_kms_key.kms.arn']);
    expect(shown.planned_values.outputs.raw.value).toBe(values['aws_s3_bucket.lake_raw.arn']);
  });
});
