/**
 * src/synth/synth.ts skips cdktf's "preparing" resolve for a stack alone in its app (every
 * stack `synthesize` builds): that pass only turns references into another stack's resources
 * into cross-stack outputs, and it was a sixth of a synth (docs/benchmarks.md). These tests
 * pin both sides: alone, the pass is skipped and the bytes are those of a fully prepared
 * stack; beside another stack, cdktf's preparation runs and a cross-stack reference works.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { PipelineStack } from '../src/constructs/pipeline-stack';
import { MAIN_FILE, render, synthesize } from '../src/synth/synth';
import { compileText, ROOT } from './harness/spec';

const COMPLETE = join(ROOT, 'examples', 'complete', 'pipeline.yaml');
const complete = () => compileText(readFileSync(COMPLETE, 'utf8'), COMPLETE);

afterEach(() => jest.restoreAllMocks());

describe('cdktf preparation of a stack', () => {
  test('a stack alone in its app gets its backend but no preparing resolve', () => {
    const prepare = jest.spyOn(TerraformStack.prototype, 'prepareStack');
    const backend = jest.spyOn(TerraformStack.prototype, 'ensureBackendExists');
    synthesize(complete());
    expect(prepare).not.toHaveBeenCalled();
    expect(backend).toHaveBeenCalledTimes(1);
  });

  test('skipping it writes the bytes cdktf preparation writes (examples/complete)', () => {
    const spec = complete();
    const alone = synthesize(spec, 'pipeline.yaml').files.get(MAIN_FILE);
    // The same stack with a sibling: render runs cdktf's full prepareStack.
    const app = new App({ outdir: '/tmp/pipeform-prepare-unused', skipValidation: true });
    const stack = new PipelineStack(app, spec.name, spec);
    new TerraformStack(app, 'sibling');
    const prepare = jest.spyOn(stack, 'prepareStack');
    const prepared = render(stack, 'pipeline.yaml').files.get(MAIN_FILE);
    expect(prepare).toHaveBeenCalledTimes(1);
    expect(alone).toBe(prepared);
  });

  test('beside another stack, a reference into it becomes a cross-stack output and remote state', () => {
    const app = new App({ outdir: '/tmp/pipeform-prepare-unused', skipValidation: true });
    const producer = new TerraformStack(app, 'producer');
    new AwsProvider(producer, 'aws', { region: 'us-east-1' });
    const bucket = new S3Bucket(producer, 'bucket', { bucket: 'b' });
    const consumer = new TerraformStack(app, 'consumer');
    new AwsProvider(consumer, 'aws', { region: 'us-east-1' });
    new TerraformOutput(consumer, 'name', { value: bucket.bucket });
    render(producer, 'p');
    const main = JSON.parse(render(consumer, 'c').files.get(MAIN_FILE) as string) as {
      data?: Record<string, unknown>;
      output: Record<string, { value: string }>;
    };
    expect(Object.keys(main.data ?? {})).toContain('terraform_remote_state');
    expect(main.output.name.value).toMatch(/terraform_remote_state\./);
  });
});
