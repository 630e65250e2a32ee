import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { Testing } from 'cdktf';
import { PipelineStack } from '../../src/constructs/pipeline-stack';
import { AslError, runJsonPath } from '../harness/asl-jsonpath';
import { compileData, MINIMAL, ROOT } from '../harness/spec';
import { testApp } from '../harness/cdktf-testing';

type Resources = Record<string, Record<string, Record<string, unknown>>>;
interface Definition {
  StartAt: string;
  States: Record<string, Record<string, unknown> & { Type: string; Next?: string }>;
}

const SPEC_FILE = join('test', 'fixtures', 'functions', 'pipeline.yaml');
const CRAWLER = '${aws_glue_crawler.glue_crawlers_raw.name}';
const glue = {
  databases: [{ name: 'lake' }],
  crawlers: [
    { name: 'raw', database: 'lake', targets: [{ bucket: 'raw', prefix: 'events/' }] },
    { name: 'curated', database: 'lake', targets: [{ bucket: 'curated', prefix: 'sessions/' }] },
  ],
  jobs: [{ name: 'clean', script: 's3://acme-shared-code/scripts/clean.py' }],
};

function synth(steps: object[]): Resources {
  const spec = { ...MINIMAL, data: { glue }, orchestration: { workflow: { steps } } };
  const stack = new PipelineStack(testApp(), 'demo', compileData(spec, SPEC_FILE));
  return JSON.parse(Testing.synth(stack)).resource;
}
const definitionOf = (r: Resources) =>
  JSON.parse(r.aws_sfn_state_machine.workflow.definition as string) as Definition;

/** A Glue stand-in: startCrawler answers `start`, each getCrawler the next of `polls`. */
function fakeGlue(
  polls: readonly { State: string; LastCrawl?: Record<string, string> }[],
  start: 'ok' | 'running' | 'denied' = 'ok',
) {
  const calls: string[] = [];
  let i = 0;
  const handler = (service: string, action: string, args: { Name?: string; JobName?: string }) => {
    calls.push(`${service}:${action}:${args.Name ?? args.JobName ?? ''}`);
    if (action === 'startCrawler') {
      if (start === 'running')
        throw new AslError('Glue.CrawlerRunningException', 'Crawler with name raw has already started');
      if (start === 'denied') throw new AslError('Glue.AccessDeniedException', 'no');
      return {};
    }
    if (action === 'getCrawler')
      return { Crawler: { Name: args.Name, ...polls[Math.min(i++, polls.length - 1)] } };
    return {};
  };
  return { calls, handler };
}

const RUNNING = { State: 'RUNNING' };
const SUCCEEDED = { State: 'READY', LastCrawl: { Status: 'SUCCEEDED' } };

describe('a glue-crawler step, then a Glue job', () => {
  const r = synth([
    { name: 'crawl', type: 'glue-crawler', crawler: 'raw', pollSeconds: 60, crawlTimeoutMinutes: 5 },
    { name: 'clean', type: 'glue-job', job: 'clean' },
  ]);
  const def = definitionOf(r);
  const S = def.States;

  test('startCrawler (an SDK integration), then a Wait -> getCrawler -> Choice loop that chains on to the next step', () => {
    expect(def.StartAt).toBe('crawl');
    expect(S.crawl).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::aws-sdk:glue:startCrawler',
      Parameters: { Name: CRAWLER },
      Next: 'crawl.Start',
    });
    expect(S['crawl.Start']).toMatchObject({ Type: 'Pass', Parameters: { polls: 1 }, Next: 'crawl.Wait' });
    expect(S['crawl.Wait']).toEqual({ Type: 'Wait', Seconds: 60, Next: 'crawl.GetCrawler' });
    expect(S['crawl.GetCrawler']).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:glue:getCrawler',
      Parameters: { Name: CRAWLER },
      Next: 'crawl.Ready',
    });
    expect(S['crawl.Count']).toMatchObject({ Type: 'Pass', Next: 'crawl.Wait' });
    // 5 minutes at 60 s: the fifth poll that still sees a crawl is the last.
    expect(S['crawl.Ready']).toMatchObject({
      Type: 'Choice',
      Choices: [
        { Variable: '$.crawler.status.Crawler.State', StringEquals: 'READY', Next: 'crawl.Outcome' },
        { Variable: '$.crawler.polls', NumericGreaterThanEquals: 5, Next: 'crawl.TimedOut' },
      ],
      Default: 'crawl.Count',
    });
    const outcome = S['crawl.Outcome'] as unknown as { Choices: { StringEquals?: string; Next: string }[] };
    expect(outcome.Choices.find((c) => c.StringEquals === 'SUCCEEDED')?.Next).toBe('clean');
    // Failures go where a caught error of the step goes: the failure notice.
    for (const f of ['crawl.CrawlFailed', 'crawl.CrawlNotSucceeded', 'crawl.NoCrawl', 'crawl.TimedOut']) {
      expect(S[f]).toMatchObject({ Type: 'Pass', ResultPath: '$.error', Next: 'NotifyFailure' });
    }
    expect(S['crawl.Done']).toBeUndefined();
  });

  test('an already running crawler is polled, not retried or failed; other start errors are retried, then notified', () => {
    expect(S.crawl.Retry).toEqual([
      { ErrorEquals: ['Glue.CrawlerRunningException'], IntervalSeconds: 1, MaxAttempts: 0, BackoffRate: 1 },
      { ErrorEquals: ['States.ALL'], IntervalSeconds: 60, MaxAttempts: 2, BackoffRate: 2 },
    ]);
    expect(S.crawl.Catch).toEqual([
      { ErrorEquals: ['Glue.CrawlerRunningException'], ResultPath: '$.crawler', Next: 'crawl.Start' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'NotifyFailure' },
    ]);
  });

  test('the definition is valid States Language', () => {
    const { isValid, errorsText } = aslValidator(def, { checkArn: false, checkPaths: true });
    expect(isValid ? '' : errorsText('\n')).toBe('');
  });

  test('runs: RUNNING, RUNNING, READY/SUCCEEDED crawls, then runs the job', () => {
    const g = fakeGlue([RUNNING, RUNNING, SUCCEEDED]);
    const run = runJsonPath(def, {}, g.handler);
    expect(run.status).toBe('SUCCEEDED');
    expect(g.calls).toEqual([
      `glue:startCrawler:${CRAWLER}`,
      `glue:getCrawler:${CRAWLER}`,
      `glue:getCrawler:${CRAWLER}`,
      `glue:getCrawler:${CRAWLER}`,
      'glue:startJobRun:${aws_glue_job.glue_jobs_clean.name}',
    ]);
    expect(run.waitedSeconds).toBe(180);
  });

  test('runs: a crawl already under way is waited for, then the job runs', () => {
    const g = fakeGlue([RUNNING, SUCCEEDED], 'running');
    const run = runJsonPath(def, {}, g.handler);
    expect(run.status).toBe('SUCCEEDED');
    expect(g.calls.filter((c) => c.startsWith('glue:startCrawler'))).toHaveLength(1);
    expect(g.calls[g.calls.length - 1]).toMatch(/^glue:startJobRun:/);
  });

  test('runs: a FAILED crawl fails the workflow with the crawler error message, notified, without the job', () => {
    const g = fakeGlue([
      RUNNING,
      { State: 'READY', LastCrawl: { Status: 'FAILED', ErrorMessage: 'Access denied to s3' } },
    ]);
    const run = runJsonPath(def, {}, g.handler);
    expect(run).toMatchObject({ status: 'FAILED', error: 'StepFailed' });
    expect(run.output.error).toEqual({ Error: 'CrawlerFailed', Cause: 'Access denied to s3' });
    expect(run.path.slice(-3)).toEqual(['crawl.CrawlFailed', 'NotifyFailure', 'Failed']);
    expect(g.calls.some((c) => c.includes('startJobRun'))).toBe(false);
  });

  test('runs: a CANCELLED crawl fails with its status as the cause', () => {
    const g = fakeGlue([{ State: 'READY', LastCrawl: { Status: 'CANCELLED' } }]);
    const run = runJsonPath(def, {}, g.handler);
    expect(run.status).toBe('FAILED');
    expect(run.output.error).toEqual({
      Error: 'CrawlerFailed',
      Cause: `crawler ${CRAWLER} ended its crawl CANCELLED`,
    });
  });

  test('runs: a crawl that never ends times out after exactly maxPolls polls', () => {
    const g = fakeGlue([RUNNING]);
    const run = runJsonPath(def, {}, g.handler);
    expect(run.status).toBe('FAILED');
    expect(run.output.error.Error).toBe('CrawlerTimeout');
    expect(g.calls.filter((c) => c.startsWith('glue:getCrawler'))).toHaveLength(5);
    expect(run.waitedSeconds).toBe(300);
  });

  test('runs: a start error other than a running crawl is retried, then fails the run', () => {
    const g = fakeGlue([SUCCEEDED], 'denied');
    const run = runJsonPath(def, {}, g.handler);
    expect(run.status).toBe('FAILED');
    expect(g.calls.filter((c) => c.startsWith('glue:startCrawler'))).toHaveLength(3);
    expect(g.calls.some((c) => c.startsWith('glue:getCrawler'))).toBe(false);
    expect(run.output.error.Error).toBe('Glue.AccessDeniedException');
  });

  test('the role may start and get exactly the crawler the step names, and nothing else of crawlers', () => {
    const statements = JSON.parse(r.aws_iam_role_policy.workflow.policy as string).Statement as {
      Sid: string;
      Action: string | string[];
      Resource: string | string[];
    }[];
    const crawl = statements.filter((s) => [s.Action].flat().some((a) => a.includes('Crawler')));
    expect(crawl).toEqual([
      {
        Sid: 'RunGlueCrawlers',
        Effect: 'Allow',
        Action: ['glue:GetCrawler', 'glue:StartCrawler'],
        Resource: [`arn:aws:glue:us-east-1:123456789012:crawler/${CRAWLER}`],
      },
    ]);
  });
});

describe('defaults, and a crawler step at the end', () => {
  const def = definitionOf(
    synth([
      { name: 'clean', type: 'glue-job', job: 'clean' },
      { name: 'crawl', type: 'glue-crawler', crawler: 'curated', retry: { maxAttempts: 0 } },
    ]),
  );
  test('30 s polls for at most an hour (120 polls); the last step ends in Succeed', () => {
    expect(def.States.clean.Next).toBe('crawl');
    expect(def.States['crawl.Wait']).toMatchObject({ Seconds: 30 });
    expect(def.States['crawl.Ready']).toMatchObject({
      Choices: [expect.anything(), expect.objectContaining({ NumericGreaterThanEquals: 120 })],
    });
    expect(def.States['crawl.Done']).toEqual({ Type: 'Succeed', Comment: 'The crawl succeeded' });
    expect(aslValidator(def, { checkArn: false, checkPaths: true }).isValid).toBe(true);
  });
  test('runs: the crawl ends the execution successfully', () => {
    const run = runJsonPath(def, {}, fakeGlue([RUNNING, SUCCEEDED]).handler);
    expect(run.status).toBe('SUCCEEDED');
    expect(run.path[run.path.length - 1]).toBe('crawl.Done');
  });
  test('without retry, only a running crawler is caught on start', () => {
    expect(def.States.crawl.Retry).toEqual([
      { ErrorEquals: ['Glue.CrawlerRunningException'], IntervalSeconds: 1, MaxAttempts: 0, BackoffRate: 1 },
    ]);
    expect(def.States['crawl.GetCrawler'].Retry).toBeUndefined();
  });
});

describe('examples/batch-etl: crawl, then ETL on a per-run cluster', () => {
  const config = JSON.parse(readFileSync(join(ROOT, 'generated', 'batch-etl', 'main.tf.json'), 'utf8')) as {
    resource: Resources;
  };
  const def = definitionOf(config.resource);
  /** Glue, Lambda and EMR stand-ins; `failing` names an action that fails. */
  const everything = (failing?: string) => {
    const calls: string[] = [];
    const crawl = fakeGlue([RUNNING, SUCCEEDED]);
    const handler = (service: string, action: string, args: Record<string, string>) => {
      calls.push(`${service}:${action}`);
      if (action === failing) throw new AslError('States.TaskFailed', `${action} failed`);
      if (service === 'glue' && action.endsWith('Crawler')) return crawl.handler(service, action, args);
      if (action === 'createCluster') return { ClusterId: 'j-1' };
      return {};
    };
    return { calls, handler };
  };

  test('the crawl runs first, then sessionize, the check, the cluster, the emr step and its termination', () => {
    const e = everything();
    const run = runJsonPath(def, {}, e.handler);
    expect(run.status).toBe('SUCCEEDED');
    expect(e.calls).toEqual([
      'glue:startCrawler',
      'glue:getCrawler',
      'glue:getCrawler',
      'glue:startJobRun',
      'lambda:invoke',
      'elasticmapreduce:createCluster',
      'elasticmapreduce:addStep',
      'elasticmapreduce:terminateCluster',
    ]);
  });

  test('a failing emr step still terminates the cluster before the notice (the cleanup path is kept)', () => {
    const e = everything('addStep');
    const run = runJsonPath(def, {}, e.handler);
    expect(run.status).toBe('FAILED');
    expect(run.path.slice(-3)).toEqual(['TerminateClusterAfterFailure', 'NotifyFailure', 'Failed']);
  });
});

describe('day 2: adding a crawler step', () => {
  test('keeps every address and changes only the state machine and the workflow role policy, in place', () => {
    const job = { name: 'clean', type: 'glue-job', job: 'clean' };
    const before = synth([job]);
    const after = synth([{ name: 'crawl', type: 'glue-crawler', crawler: 'raw' }, job]);
    const addresses = (r: Resources) =>
      Object.entries(r).flatMap(([t, byName]) => Object.keys(byName).map((n) => `${t}.${n}`));
    expect(addresses(after).sort()).toEqual(addresses(before).sort());
    const changed = addresses(after).filter((a) => {
      const [t, n] = a.split('.');
      return JSON.stringify(after[t][n]) !== JSON.stringify(before[t][n]);
    });
    expect(changed.sort()).toEqual(['aws_iam_role_policy.workflow', 'aws_sfn_state_machine.workflow']);
  });
});
