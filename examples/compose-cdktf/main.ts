/**
 * A cdktf app of one's own: the pipeline of analytics.yaml, built by pipeform's
 * PipelineStack, with the reporting team's constructs added to the same stack. They read
 * the pipeline's key and buckets from the stack's public properties.
 *
 *   npm install && npm run build && npx cdktf synth   (or: node dist/main.js)
 *   terraform -chdir=cdktf.out/stacks/analytics init && terraform -chdir=cdktf.out/stacks/analytics plan
 */
import { App, TerraformOutput } from 'cdktf';
import {
  compileSpec,
  formatDiagnostic,
  PipelineStack,
  readSpecFile,
  SpecError,
  type ResolvedSpec,
} from 'pipeform';
import { Reporting } from './reporting';

/** The pipeline plus the team's additions, in one stack (one state, one plan). */
function build(app: App, spec: ResolvedSpec): PipelineStack {
  const stack = new PipelineStack(app, spec.name, spec);
  const reporting = new Reporting(stack, 'reporting', {
    bucketPrefix: spec.storage.bucketPrefix,
    keyArn: stack.keyArn,
    source: stack.bucket('curated'),
  });
  new TerraformOutput(stack, 'reports_bucket_name', { value: reporting.bucket.bucket });
  new TerraformOutput(stack, 'reports_policy_arn', { value: reporting.policy.arn });
  return stack;
}

const file = process.env.PIPEFORM_SPEC ?? 'analytics.yaml';
try {
  const { resolved } = compileSpec(file, readSpecFile(file));
  const app = new App();
  build(app, resolved);
  // Writes cdktf.out/stacks/analytics/cdk.tf.json and, beside it, the function's zip in assets/.
  app.synth();
} catch (e) {
  // A spec problem is reported at its file:line:column, like `pipeform validate` does.
  if (!(e instanceof SpecError)) throw e;
  process.stderr.write(`${e.diagnostics.map(formatDiagnostic).join('\n')}\n`);
  process.exit(1);
}
