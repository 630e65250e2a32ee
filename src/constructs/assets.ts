import { TerraformStack } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';

/** Folder (beside main.tf.json) that holds the files constructs contribute. */
export const ASSET_DIR = 'assets';

/**
 * Files a configuration needs besides its Terraform JSON (e.g. Lambda deployment zips),
 * collected per stack and written beside main.tf.json by synthesis. A construct adds
 * bytes under a name and gets the path to reference from Terraform, relative to the
 * module (`${path.module}/assets/<name>`), so the output directory can move as a whole.
 * The bytes must be deterministic: they are part of the generated output.
 */
export class StackAssets extends Construct {
  private readonly byName = new Map<string, Uint8Array>();

  /** The registry of the stack that holds `scope` (created on first use). */
  static of(scope: IConstruct): StackAssets {
    const stack = TerraformStack.of(scope);
    const found = stack.node.tryFindChild('Assets');
    return found instanceof StackAssets ? found : new StackAssets(stack, 'Assets');
  }

  /** The files of `stack` by path relative to the output directory (empty when none were added). */
  static filesOf(stack: TerraformStack): ReadonlyMap<string, Uint8Array> {
    const found = stack.node.tryFindChild('Assets');
    if (!(found instanceof StackAssets)) return new Map();
    return new Map(
      [...found.byName.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, bytes]) => [`${ASSET_DIR}/${name}`, bytes]),
    );
  }

  /** Adds a file; returns the path Terraform reads it from. One name holds one content. */
  add(name: string, bytes: Uint8Array): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name))
      throw new Error(`internal: asset name ${JSON.stringify(name)}`);
    const existing = this.byName.get(name);
    if (existing !== undefined && Buffer.compare(Buffer.from(existing), Buffer.from(bytes)) !== 0) {
      throw new Error(`internal: asset ${name} added twice with different content`);
    }
    this.byName.set(name, bytes);
    return `\${path.module}/${ASSET_DIR}/${name}`;
  }
}
