/**
 * The cdktf app entry (cdktf.json: `node dist/src/main.js`), so `npx cdktf synth` works
 * as well as `pipeform synth`. The spec comes from PIPEFORM_SPEC, defaulting to the
 * quickstart example.
 */
import { App } from 'cdktf';
import { compileSpec, readSpecFile } from './compiler';
import { formatDiagnostic, SpecError } from './compiler/diagnostics';
import { PipelineStack } from './constructs/pipeline-stack';

const file = process.env.PIPEFORM_SPEC ?? 'examples/quickstart/pipeline.yaml';
try {
  const { resolved } = compileSpec(file, readSpecFile(file));
  const app = new App();
  new PipelineStack(app, resolved.name, resolved);
  app.synth();
} catch (e) {
  if (e instanceof SpecError) {
    process.stderr.write(`${e.diagnostics.map(formatDiagnostic).join('\n')}\n`);
    process.exit(1);
  }
  throw e;
}
