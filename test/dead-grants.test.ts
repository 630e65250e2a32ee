import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  deadGrantsOf,
  globsOverlap,
  identityPolicies,
  loadActionTable,
  resourceGlob,
} from './harness/dead-grants';
import { configDirs, examples, ROOT } from './harness/spec';

const table = loadActionTable();

/**
 * Every action pipeform grants is granted on a resource type the action can be authorized
 * on (AWS Service Authorization Reference, test/fixtures/iam-actions.json). A grant on
 * anything else is dead: the workload fails at run time although the policy "allows" it.
 */
describe.each(examples().flatMap(({ name }) => configDirs(name).map((dir) => ({ config: join(name, dir) }))))(
  'generated/$config',
  ({ config }) => {
    test('no IAM grant is dead', () => {
      const tf = JSON.parse(readFileSync(join(ROOT, 'generated', config, 'main.tf.json'), 'utf8'));
      const dead = identityPolicies(tf).flatMap(([address, doc]) => deadGrantsOf(address, doc, table));
      expect(
        dead.map((d) => `${d.policy} ${d.sid}: ${d.action} on ${d.resources.join(', ')} ${d.why}`),
      ).toEqual([]);
    });
  },
);

describe('the dead-grant check', () => {
  const policy = (Action: string | string[], Resource: string | string[]) => ({
    Statement: [{ Sid: 'S', Effect: 'Allow', Action, Resource }],
  });
  const group = 'arn:aws:logs:us-east-1:123456789012:log-group:/pipeform/demo/vpc-flow-logs';

  test('an action without resource-level permissions is dead on an ARN, live on *', () => {
    expect(deadGrantsOf('p', policy('logs:DescribeLogGroups', [group, `${group}:*`]), table)).toEqual([
      expect.objectContaining({
        action: 'logs:DescribeLogGroups',
        why: expect.stringContaining('only Resource "*"'),
      }),
    ]);
    expect(deadGrantsOf('p', policy('logs:DescribeLogGroups', '*'), table)).toEqual([]);
    expect(
      deadGrantsOf('p', policy('glue:GetJobBookmark', 'arn:aws:glue:us-east-1:123456789012:job/etl'), table),
    ).toHaveLength(1);
  });
  test('an action on the wrong resource type is dead, on its own type live', () => {
    const subnet = 'arn:aws:ec2:us-east-1:123456789012:subnet/*';
    expect(deadGrantsOf('p', policy('ec2:CreateLaunchTemplate', subnet), table)).toEqual([
      expect.objectContaining({ why: 'is authorized on launch-template only' }),
    ]);
    expect(
      deadGrantsOf(
        'p',
        policy('ec2:CreateLaunchTemplate', 'arn:aws:ec2:us-east-1:123456789012:launch-template/*'),
        table,
      ),
    ).toEqual([]);
    expect(deadGrantsOf('p', policy('logs:PutLogEvents', `${group}:log-stream:*`), table)).toEqual([]);
  });
  test('Terraform references resolve to their type’s ARN format', () => {
    expect(resourceGlob('${aws_s3_bucket.lake_raw.arn}/data/*')).toBe('arn:aws:s3:::*/data/*');
    expect(resourceGlob('arn:aws:glue:us-east-1:1:job/${aws_glue_job.etl.name}')).toBe(
      'arn:aws:glue:us-east-1:1:job/*',
    );
    expect(deadGrantsOf('p', policy('s3:GetObject', '${aws_s3_bucket.lake_raw.arn}/data/*'), table)).toEqual(
      [],
    );
    expect(deadGrantsOf('p', policy('s3:GetObject', '${aws_sqs_queue.dlq.arn}'), table)).toHaveLength(1);
    expect(() => resourceGlob('${aws_unknown_thing.x.arn}')).toThrow(/ARN_OF/);
  });
  test('codestar-connections and codeconnections ARNs authorize each other', () => {
    const conn = 'arn:aws:codestar-connections:us-east-1:123456789012:connection/abc';
    expect(deadGrantsOf('p', policy('codeconnections:UseConnection', conn), table)).toEqual([]);
  });
  test('an action missing from the table is reported, wildcard actions are not judged here', () => {
    expect(deadGrantsOf('p', policy('sagemaker:MadeUpAction', '*'), table)).toEqual([
      expect.objectContaining({ why: expect.stringContaining('not in test/fixtures/iam-actions.json') }),
    ]);
    expect(deadGrantsOf('p', policy('kms:Describe*', group), table)).toEqual([]);
  });
  test('glob overlap: boundaries', () => {
    expect(globsOverlap('a*c', 'abc')).toBe(true);
    expect(globsOverlap('a*c', 'ab')).toBe(false);
    expect(globsOverlap('*:log-group:*', 'arn:aws:logs:*:*:log-group:x')).toBe(true);
    expect(globsOverlap('arn:aws:s3:::b', 'arn:aws:s3:::*/*')).toBe(false);
    expect(globsOverlap('', '*')).toBe(true);
    expect(globsOverlap('', 'a')).toBe(false);
    // A partition, region or account never spans ':' or '/'; a resource name may.
    expect(globsOverlap('arn:%:ec2:%:%:launch-template/*', 'arn:aws:ec2:us-east-1:1:subnet/*')).toBe(false);
    expect(globsOverlap('arn:%:logs:%:%:log-group:*', 'arn:aws:logs:*:*:log-group:a/b')).toBe(true);
    expect(globsOverlap('%', 'a:b')).toBe(false);
    expect(globsOverlap('%', '*')).toBe(true);
  });
});
