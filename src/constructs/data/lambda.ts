import { createHash } from 'node:crypto';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { Construct } from 'constructs';
import { UsageError } from '../../compiler/diagnostics';
import type { ResolvedLambdaFunction, ResolvedOrchestration } from '../../model/orchestration';
import { StackAssets } from '../assets';
import type { PolicyStatement } from '../iam/policy';
import { secretReadStatements } from '../iam/secrets';
import { encryptedLogGroup } from '../logs';
import type { SecurityContext } from '../security-context';
import {
  eniStatements,
  keyUseStatement,
  lakeBucket,
  logWriteStatement,
  s3ReadStatements,
  s3WriteStatements,
  type LakeBuckets,
} from './access';
import { PackageError, zipDirectory } from './zip';

/** Props of {@link LambdaArea}. */
export interface LambdaAreaProps {
  readonly orchestration: ResolvedOrchestration;
  readonly security: SecurityContext;
  readonly buckets: LakeBuckets;
}

/** Dead-letter messages are kept the longest SQS allows. */
export const DLQ_RETENTION_SECONDS = 14 * 24 * 3600;

/** A readable, stable id of one trigger in a bucket's notification: function, prefix, suffix. */
export function triggerId(fn: string, prefix: string, suffix: string): string {
  return [fn, prefix, suffix]
    .join('-')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 255);
}

/**
 * Lambda functions for lightweight preprocessing: code from a deterministic zip of a local
 * directory (an asset beside main.tf.json) or from the data lake, X-Ray tracing, environment
 * encrypted with the key, an encrypted dead-letter queue, reserved concurrency, a log group
 * with retention, the private subnets when there is a network, and S3 triggers merged into
 * one notification per bucket (S3 keeps one notification configuration per bucket).
 */
export class LambdaArea extends Construct {
  /** Functions by spec name. */
  readonly functions: ReadonlyMap<string, LambdaFunction>;

  constructor(scope: Construct, id: string, props: LambdaAreaProps) {
    super(scope, id);
    const { security: sec, buckets } = props;
    const functions = new Map<string, LambdaFunction>();
    const permissions = new Map<string, LambdaPermission[]>();

    for (const f of props.orchestration.functions) {
      const fnScope = new Construct(this, f.name);
      const fn = this.function(fnScope, f, props);
      functions.set(f.name, fn);
      for (const bucket of [...new Set(f.triggers.map((t) => t.bucket))]) {
        const permission = new LambdaPermission(fnScope, `invoke-from-${bucket}`, {
          statementId: `InvokeFrom${bucket.replace(/-/g, '')}`,
          action: 'lambda:InvokeFunction',
          functionName: fn.functionName,
          principal: 's3.amazonaws.com',
          sourceArn: lakeBucket(buckets, bucket).arn,
          sourceAccount: sec.account,
        });
        permissions.set(bucket, [...(permissions.get(bucket) ?? []), permission]);
      }
    }
    this.functions = functions;

    const byBucket = new Map<string, { fn: string; t: ResolvedLambdaFunction['triggers'][number] }[]>();
    for (const f of props.orchestration.functions) {
      for (const t of f.triggers)
        byBucket.set(t.bucket, [...(byBucket.get(t.bucket) ?? []), { fn: f.name, t }]);
    }
    const triggerScope = new Construct(this, 'triggers');
    for (const bucket of [...byBucket.keys()].sort()) {
      new S3BucketNotification(triggerScope, bucket, {
        bucket: lakeBucket(buckets, bucket).id,
        lambdaFunction: byBucket.get(bucket)!.map(({ fn, t }) => ({
          id: triggerId(fn, t.prefix, t.suffix),
          lambdaFunctionArn: functions.get(fn)!.arn,
          events: [...t.events],
          ...(t.prefix ? { filterPrefix: t.prefix } : {}),
          ...(t.suffix ? { filterSuffix: t.suffix } : {}),
        })),
        // S3 checks that it may invoke each function when the configuration is saved.
        dependsOn: permissions.get(bucket) ?? [],
      });
    }
  }

  private function(scope: Construct, f: ResolvedLambdaFunction, props: LambdaAreaProps): LambdaFunction {
    const { security: sec, buckets } = props;
    const logGroup = encryptedLogGroup(scope, 'LogGroup', f.logGroupName, sec);
    const dlq = f.deadLetterQueueName
      ? new SqsQueue(scope, 'DeadLetterQueue', {
          name: f.deadLetterQueueName,
          kmsMasterKeyId: sec.keyArn,
          kmsDataKeyReusePeriodSeconds: 300,
          messageRetentionSeconds: DLQ_RETENTION_SECONDS,
        })
      : undefined;
    const statements: PolicyStatement[] = [
      logWriteStatement('Function', [logGroup.arn]),
      ...s3ReadStatements('Read', buckets, [...f.reads, ...f.writes]),
      ...s3WriteStatements('Write', buckets, f.writes),
      keyUseStatement(sec),
      {
        // X-Ray takes no resource ARNs.
        Sid: 'SendTraces',
        Effect: 'Allow',
        Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
        Resource: '*',
      },
      ...(dlq
        ? [{ Sid: 'DeadLetters', Effect: 'Allow' as const, Action: 'sqs:SendMessage', Resource: dlq.arn }]
        : []),
      ...eniStatements(sec, 'lambda'),
      ...secretReadStatements(f.secrets, sec),
    ];
    const role = sec.roles.create(scope, 'Role', f.roleComponent, {
      services: ['lambda.amazonaws.com'],
      description: `pipeform ${sec.pipeline}: Lambda function ${f.name}`,
      statements,
    });
    const code = this.code(f);
    const n = sec.network;
    return new LambdaFunction(scope, 'Resource', {
      functionName: f.functionName,
      description: f.description,
      role: role.arn,
      handler: f.handler,
      runtime: f.runtime,
      architectures: [f.architecture],
      memorySize: f.memoryMiB,
      timeout: f.timeoutSeconds,
      ...code,
      ...(f.reservedConcurrency !== undefined ? { reservedConcurrentExecutions: f.reservedConcurrency } : {}),
      kmsKeyArn: sec.keyArn,
      ...(Object.keys(f.environment).length > 0 ? { environment: { variables: { ...f.environment } } } : {}),
      tracingConfig: { mode: 'Active' },
      ...(dlq ? { deadLetterConfig: { targetArn: dlq.arn } } : {}),
      ...(n
        ? { vpcConfig: { subnetIds: [...n.privateSubnetIds], securityGroupIds: [...n.securityGroupIds] } }
        : {}),
      // The log group (with retention and the key) must exist before Lambda would create its own.
      dependsOn: [logGroup, ...role.policyDependables],
    });
  }

  /**
   * The code: a deterministic zip registered as an asset (uploaded with the function), or
   * a zip in a bucket the configuration does not create (Lambda reads it at apply time).
   */
  private code(f: ResolvedLambdaFunction) {
    if (f.code.kind === 's3') return { s3Bucket: f.code.bucketName, s3Key: f.code.key };
    let zip: Uint8Array;
    try {
      zip = zipDirectory(f.code.path);
    } catch (e) {
      if (e instanceof PackageError) {
        throw new UsageError(`function ${f.name}: code.directory ${f.code.directory}: ${e.message}`);
      }
      throw e;
    }
    return {
      filename: StackAssets.of(this).add(f.code.assetName, zip),
      sourceCodeHash: createHash('sha256').update(zip).digest('base64'),
    };
  }
}
