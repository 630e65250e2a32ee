import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { Construct } from 'constructs';
import type { SecurityContext } from './security-context';

/**
 * A CloudWatch log group as every pipeform log group is: encrypted with the pipeline key
 * and kept for the pipeline's retention (raised by compliance presets).
 */
export function encryptedLogGroup(
  scope: Construct,
  id: string,
  name: string,
  security: SecurityContext,
): CloudwatchLogGroup {
  return new CloudwatchLogGroup(scope, id, {
    name,
    kmsKeyId: security.keyArn,
    retentionInDays: security.logRetentionDays,
  });
}
