import { TerraformStack } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';

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
