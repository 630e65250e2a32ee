import { LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import type { ResolvedState } from '../model/resolved';

/** Configures the Terraform backend the spec selects. */
export function configureBackend(stack: TerraformStack, state: ResolvedState): void {
  if (state.backend === 'local') {
    new LocalBackend(stack, { path: state.path });
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
