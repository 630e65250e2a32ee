import { Testing } from 'cdktf';
import { DataAwsS3Bucket } from '@cdktf/provider-aws/lib/data-aws-s3-bucket';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Construct } from 'constructs';
import { PipelineStack } from '../../src/constructs/pipeline-stack';
import { compileData, MINIMAL } from '../harness/spec';
import { testApp } from '../harness/cdktf-testing';

/**
 * A library user adds constructs of their own to a PipelineStack. Lowercase ids are named
 * after their path like the pipeline's own; an all-PascalCase path (the cdktf habit) has no
 * spec name to take and gets cdktf's unique id instead of an internal error.
 */
describe('constructs a library user adds', () => {
  function resources(add: (stack: PipelineStack) => void): Record<string, Record<string, unknown>> {
    const stack = new PipelineStack(testApp(), 'demo', compileData(MINIMAL));
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

  test('two constructs that would write one address fail synthesis, naming both paths', () => {
    expect(() =>
      resources((stack) => {
        const team = new Construct(stack, 'team');
        new S3Bucket(team, 'Reports', { bucket: 'demo-reports' });
        new S3Bucket(team, 'Archive', { bucket: 'demo-archive' });
      }),
    ).toThrow('team/Reports and team/Archive would both be aws_s3_bucket.team');
    // A resource and a data source of one name are two addresses.
    expect(() =>
      resources((stack) => {
        const team = new Construct(stack, 'team');
        new S3Bucket(team, 'Resource', { bucket: 'demo-reports' });
        new DataAwsS3Bucket(team, 'Lookup', { bucket: 'demo-reports' });
      }),
    ).not.toThrow();
  });
});
