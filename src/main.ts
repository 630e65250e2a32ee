/**
 * The cdktf app entry (cdktf.json: `node dist/src/main.js`), so `npx cdktf synth` works
 * as well as `pipeform synth`. The spec comes from PIPEFORM_SPEC, defaulting to the
 * quickstart example. A spec with environments gives one stack per environment
 * (`cdktf.out/stacks/<name>-<environment>/`). Each stack directory gets the assets and
 * manifests its configuration reads beside `cdk.tf.json` (PipelineStack writes them).
 */
import { App } from 'cdktf';
import { compileSpec, readSpecFile } from './compiler';
import { formatDiagnostic, SpecError } from './compiler/diagnostics';
import { PipelineStack } from './constructs/pipeline-stack';

const file = process.env.PIPEFORM_SPEC ?? 'examples/quickstart/pipeline.yaml';
try {
  const { resolved, environments } = compileSpec(file, readSpecFile(file));
  const app = new App();
  // One stack per environment (cdktf deploys them separately), or the pipeline itself.
  const specs = environments.length > 0 ? environments.map((e) => e.resolved) : [resolved];
  for (const spec of specs) new PipelineStack(app, spec.name, spec);
  app.synth();
} catch (e) {
  if (e instanceof SpecError) {
    process.stderr.write(`${e.diagnostics.map(formatDiagnostic).join('\n')}\n`);
    process.exit(1);
  }
  throw e;
}
