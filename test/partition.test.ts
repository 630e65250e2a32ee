/**
 * One partition helper: the AWS partition of a region is computed in src/compiler/arn.ts
 * only, and every Step Functions service integration ARN is built from the pipeline's
 * partition through it (a literal `arn:aws:states:::` is wrong in China and GovCloud).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { integrationArn, partitionOf } from '../src/compiler/arn';
import { ROOT } from './harness/spec';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}
const files = sources(join(ROOT, 'src')).map((f) => ({
  path: relative(ROOT, f),
  text: readFileSync(f, 'utf8'),
}));

test('partitionOf maps China and GovCloud regions to their partitions', () => {
  expect(['us-east-1', 'cn-north-1', 'us-gov-west-1'].map(partitionOf)).toEqual([
    'aws',
    'aws-cn',
    'aws-us-gov',
  ]);
});

test('the partition of a region is computed in src/compiler/arn.ts alone', () => {
  const computing = files.filter((f) => /startsWith\(['"](cn-|us-gov)/.test(f.text)).map((f) => f.path);
  expect(computing).toEqual(['src/compiler/arn.ts']);
  const defining = files.filter((f) => /function partitionOf\b/.test(f.text)).map((f) => f.path);
  expect(defining).toEqual(['src/compiler/arn.ts']);
});

test('Step Functions integrations take the partition: no source spells arn:aws:states', () => {
  expect(files.filter((f) => f.text.includes('arn:aws:states:')).map((f) => f.path)).toEqual([]);
  expect(integrationArn('aws-cn', 'sns:publish.waitForTaskToken')).toBe(
    'arn:aws-cn:states:::sns:publish.waitForTaskToken',
  );
});
