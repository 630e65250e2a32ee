import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSpec, readSpecFile } from '../src/compiler';
import { bindManifests } from '../src/synth/module-bindings';
import { ROOT } from './harness/spec';
import { cliConfig, scratchDir } from './harness/terraform';

/**
 * A Kubernetes manifest that names the spec's account becomes a template the module renders
 * for its caller; `${` and `%{` already in the manifest (a shell variable in a container
 * command) are text and must render as written, not as template syntax.
 */

const FILE = 'examples/llm-finetune-eks/pipeline.yaml';
const spec = compileSpec(FILE, readSpecFile(join(ROOT, FILE))).resolved;

test('template syntax in a manifest renders as written; the account becomes the caller’s', () => {
  const manifest = [
    'role: arn:aws:iam::123456789012:role/llm-trainer',
    'command: ["sh", "-c", "echo ${HOME} %{ if } $${kept} 100%"]',
    '',
  ].join('\n');
  const bound = bindManifests(new Map([['k8s/job.yaml', manifest]]), spec, 'aws');
  const template = bound?.files.get('k8s/job.yaml.tftpl');
  expect(template).toBeDefined();
  const dir = scratchDir('pipeform-manifest-');
  writeFileSync(join(dir, 'job.yaml.tftpl'), template as string);
  const r = spawnSync('terraform', ['console'], {
    cwd: dir,
    input:
      'jsonencode(templatefile("job.yaml.tftpl", { account_id = "999999999999", region = "us-east-1", partition = "aws" }))\n',
    encoding: 'utf8',
    env: { ...process.env, TF_CLI_CONFIG_FILE: cliConfig(), CHECKPOINT_DISABLE: '1' },
  });
  expect(r.status).toBe(0);
  expect(JSON.parse(JSON.parse(r.stdout.trim()) as string)).toBe(
    manifest.replace('123456789012', '999999999999'),
  );
});
