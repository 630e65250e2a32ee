import { Testing } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Construct } from 'constructs';
import { PipelineStack } from '../../src/constructs/pipeline-stack';
import { compileData, MINIMAL } from '../harness/spec';

/**
 * A library user adds constructs of their own to a PipelineStack. Lowercase ids are named
 * after their path like the pipeline's own; an all-PascalCase path (the cdktf habit) has no
 * spec name to take and gets cdktf's unique id instead of an internal error.
 */
describe('constructs a library user adds', () => {
  function resources(add: (stack: PipelineStack) => void): Record<string, Record<string, unknown>> {
    const stack = new PipelineStack(Testing.app(), 'demo', compileData(MINIMAL));
    add(stack);
    return (JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, unknown>> })
      .resource;
  }

  test('PascalCase ids get cdktf unique ids; lowercase ids keep readable addresses', () => {
    const buckets = resources((stack) => {
      const team = new Construct(stack, 'Reporting');
      new S3Bucket(team, 'Bucket', { bucket: 'demo-reports' });
      new S3Bucket(new Construct(stack, 'audit'), 'Bucket', { bucket: 'demo-audit' });
    }).aws_s3_bucket;
    const byName = Object.fromEntries(
      Object.entries(buckets).map(([address, r]) => [(r as { bucket?: string }).bucket, address]),
    );
    expect(byName['demo-reports']).toMatch(/^Reporting_Bucket_[0-9A-F]{8}$/);
    expect(byName['demo-audit']).toBe('audit');
    // The pipeline's own buckets keep their spec-named addresses.
    expect(Object.keys(buckets)).toEqual(expect.arrayContaining(['lake_raw', 'lake_models']));
  });
});
