import { isAbsolute, posix } from 'node:path';
import { DataTerraformRemoteStateLocal, LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { ResolvedState } from '../model/resolved';

/**
 * A local backend whose state another stack of the same cdktf app can read. cdktf's own
 * LocalBackend hands a consuming stack the path as written (`terraform.tfstate`), which
 * Terraform resolves against the *consumer's* directory and so reads the wrong (or no)
 * state. Stacks are written side by side (`cdktf.out/stacks/<stack>/`), so a relative path
 * is given to the consumer through the producer's directory.
 */
class SiblingLocalBackend extends LocalBackend {
  constructor(
    stack: TerraformStack,
    private readonly statePath: string,
  ) {
    super(stack, { path: statePath });
  }

  getRemoteStateDataSource(scope: Construct, name: string, fromStack: string): DataTerraformRemoteStateLocal {
    const path = isAbsolute(this.statePath) ? this.statePath : posix.join('..', fromStack, this.statePath);
    return new DataTerraformRemoteStateLocal(scope, name, { path, workspace: '${terraform.workspace}' });
  }
}

/** Configures the Terraform backend the spec selects. */
export function configureBackend(stack: TerraformStack, state: ResolvedState): void {
  if (state.backend === 'local') {
    new SiblingLocalBackend(stack, state.path);
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: state.bucket,
    key: state.key,
    region: state.region,
    encrypt: true,
    ...(state.kmsKeyArn ? { kmsKeyId: state.kmsKeyArn } : {}),
  });
  if (state.lockfile) {
    // cdktf 0.21's S3BackendConfig has no field for S3 native locking (Terraform >= 1.10),
    // so it is set as a raw override; no DynamoDB lock table is needed with it.
    backend.addOverride('use_lockfile', true);
  }
}
