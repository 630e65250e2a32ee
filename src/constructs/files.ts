import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TerraformStack } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { StackAssets } from './assets';

/**
 * Text files a configuration ships beside main.tf.json that Terraform does not read (the
 * EKS cluster's Kubernetes manifests under `k8s/`), collected per stack and written by
 * synthesis with the rest, in the same atomic write. Paths are relative to the output
 * directory; the content must be deterministic, it is part of the generated output.
 */
export class StackFiles extends Construct {
  private readonly byPath = new Map<string, string>();

  /** The registry of the stack that holds `scope` (created on first use). */
  static of(scope: IConstruct): StackFiles {
    const stack = TerraformStack.of(scope);
    const found = stack.node.tryFindChild('Files');
    return found instanceof StackFiles ? found : new StackFiles(stack, 'Files');
  }

  /** The files of `stack` by path, sorted (empty when none were added). */
  static filesOf(stack: TerraformStack): ReadonlyMap<string, string> {
    const found = stack.node.tryFindChild('Files');
    if (!(found instanceof StackFiles)) return new Map();
    return new Map([...found.byPath.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  /** Adds a file at `path` (`dir/name.ext`, no `..`); one path holds one content. */
  add(path: string, content: string): void {
    if (!/^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/.test(path) || path.includes('..'))
      throw new Error(`internal: file path ${JSON.stringify(path)}`);
    const existing = this.byPath.get(path);
    if (existing !== undefined && existing !== content)
      throw new Error(`internal: file ${path} added twice with different content`);
    this.byPath.set(path, content);
  }
}

/**
 * Everything `stack` ships beside its Terraform JSON, by path relative to the stack's
 * directory: the assets (`assets/`, read by Terraform as `${path.module}/assets/...`) and
 * the other files (`k8s/`). One list, so `pipeform synth` and `cdktf synth` write the same.
 */
export function besideConfiguration(stack: TerraformStack): ReadonlyMap<string, string | Uint8Array> {
  return new Map<string, string | Uint8Array>([...StackAssets.filesOf(stack), ...StackFiles.filesOf(stack)]);
}

/**
 * Makes an app synthesis (`cdktf synth`, or `app.synth()` in a cdktf app of one's own) write
 * {@link besideConfiguration} into the stack's directory (`<outdir>/stacks/<stack id>/`)
 * next to `cdk.tf.json`. cdktf itself writes only the JSON: without this the configuration
 * names `${path.module}/assets/...` files that are not there (the plan passes on their
 * recorded hashes, the apply fails reading them). `pipeform synth` does not go through the
 * synthesizer; it writes the same files with its own atomic writer.
 */
export function writeBesideOnAppSynth(stack: TerraformStack): void {
  const inner = stack.synthesizer;
  stack.synthesizer = {
    synthesize(session) {
      inner.synthesize(session);
      const dir = join(session.outdir, session.manifest.forStack(stack).workingDirectory);
      for (const [path, content] of besideConfiguration(stack)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
    },
  };
}
