import type { ResolvedDataLocation } from '../../model/data';
import type {
  ResolvedLambdaCode,
  ResolvedLambdaFunction,
  ResolvedLambdaTrigger,
  ResolvedOrchestration,
  ResolvedWorkflow,
  ResolvedWorkflowRetry,
  ResolvedWorkflowTarget,
} from '../../model/orchestration';
import type {
  LambdaFunction,
  PipelineSpec,
  Workflow,
  WorkflowRetry,
  WorkflowStep,
} from '../../spec/types.generated';
import { parseS3Uri } from '../../areas/assets/catalog';
import { localPath, resolveCodeFile } from './assets';
import { DEFAULTS, emrStepTarget } from '../../areas/data/catalog';
import { byName, resolveLocations } from './data';
import { resolveValues } from './secrets';

const S3_EVENTS = { created: 's3:ObjectCreated:*', removed: 's3:ObjectRemoved:*' } as const;

function resolveCode(f: LambdaFunction, specFile: string): ResolvedLambdaCode {
  const s3 = f.code.s3 ? parseS3Uri(f.code.s3) : undefined;
  if (s3) return { kind: 's3', ...s3 };
  const directory = f.code.directory ?? '';
  return {
    kind: 'directory',
    directory,
    path: localPath(specFile, directory),
    assetName: `lambda-${f.name}.zip`,
  };
}

function resolveTriggers(f: LambdaFunction): ResolvedLambdaTrigger[] {
  return (f.triggers ?? [])
    .map((t) => ({
      bucket: t.bucket,
      prefix: t.prefix ?? DEFAULTS.lambda.trigger.prefix,
      suffix: t.suffix ?? DEFAULTS.lambda.trigger.suffix,
      events: [...(t.events ?? DEFAULTS.lambda.trigger.events)].sort().map((e) => S3_EVENTS[e]),
    }))
    .sort((a, b) => {
      const ka = `${a.bucket}/${a.prefix}|${a.suffix}`;
      const kb = `${b.bucket}/${b.prefix}|${b.suffix}`;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
}

const sortedRecord = (r: Record<string, string> | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(r ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** A step's retry: its own settings over the workflow's over pipeform's. */
function resolveRetry(
  own: WorkflowRetry | undefined,
  shared: WorkflowRetry | undefined,
): ResolvedWorkflowRetry {
  return {
    maxAttempts: own?.maxAttempts ?? shared?.maxAttempts ?? DEFAULTS.workflow.retry.maxAttempts,
    intervalSeconds:
      own?.intervalSeconds ?? shared?.intervalSeconds ?? DEFAULTS.workflow.retry.intervalSeconds,
    backoffRate: own?.backoffRate ?? shared?.backoffRate ?? DEFAULTS.workflow.retry.backoffRate,
  };
}

/** The tag key that marks the clusters a workflow creates for its runs. */
export const WORKFLOW_CLUSTER_TAG = 'pipeform:workflow';

function resolveTarget(spec: PipelineSpec, s: WorkflowStep, specFile: string): ResolvedWorkflowTarget {
  const p = spec.name;
  switch (s.type) {
    case 'lambda':
      return { type: 'lambda', function: s.function ?? '' };
    case 'glue-job':
      return { type: 'glue-job', job: s.job ?? '', arguments: sortedRecord(s.arguments) };
    case 'glue-crawler': {
      const pollSeconds = s.pollSeconds ?? DEFAULTS.workflow.step.pollSeconds;
      const timeoutMinutes = s.crawlTimeoutMinutes ?? DEFAULTS.workflow.step.crawlTimeoutMinutes;
      return {
        type: 'glue-crawler',
        crawler: s.crawler ?? '',
        pollSeconds,
        maxPolls: Math.ceil((timeoutMinutes * 60) / pollSeconds),
      };
    }
    case 'emr':
      return {
        type: 'emr',
        // The check stage requires a script on every emr step.
        script: resolveCodeFile(s.script ?? '', specFile, `workflow-${s.name}`),
        args: [...(s.args ?? [])],
        runsOn: emrStepTarget(spec, s),
      };
    case 'sagemaker-pipeline':
      return {
        type: 'sagemaker-pipeline',
        pipelineName: `${p}-training`,
        parameters: sortedRecord(s.parameters),
      };
  }
}

function resolveWorkflow(spec: PipelineSpec, w: Workflow, specFile: string): ResolvedWorkflow {
  const p = spec.name;
  const transient = w.steps.filter((s) => s.type === 'emr' && emrStepTarget(spec, s) === 'transient');
  return {
    stateMachineName: `${p}-etl`,
    description: w.description ?? `pipeform ${p}: multi-step ETL`,
    ...(w.schedule ? { schedule: w.schedule } : {}),
    scheduleRuleName: `${p}-etl-schedule`,
    timeoutSeconds: (w.timeoutMinutes ?? DEFAULTS.workflow.timeoutMinutes) * 60,
    steps: w.steps.map((s) => ({
      name: s.name,
      target: resolveTarget(spec, s, specFile),
      retry: resolveRetry(s.retry, w.retry),
      ...(s.timeoutMinutes !== undefined ? { timeoutSeconds: s.timeoutMinutes * 60 } : {}),
    })),
    ...(transient.length > 0
      ? {
          transientCluster: {
            firstStep: transient[0].name,
            lastStep: transient[transient.length - 1].name,
            namePrefix: `${p}-emr-`,
            tag: { key: WORKFLOW_CLUSTER_TAG, value: `${p}-etl` },
          },
        }
      : {}),
    logGroupName: `/aws/vendedlogs/states/${p}-etl`,
    failureTopicName: `${p}-etl-failures`,
    notifyEmails: [...(w.notifyEmails ?? [])].sort(),
    roleComponent: 'workflow',
    scheduleRoleComponent: 'workflow-schedule',
  };
}

/**
 * Resolves `orchestration` with every default. `specFile` is the spec's path as given to
 * the compiler: local code directories and scripts are relative to it. (Pure: paths are only joined.)
 */
export function normalizeOrchestration(spec: PipelineSpec, specFile: string): ResolvedOrchestration {
  const o = spec.orchestration ?? {};
  const p = spec.name;
  const functions: ResolvedLambdaFunction[] = byName(o.functions).map((f) => {
    const triggers = resolveTriggers(f);
    const env = resolveValues(f.environment, 'env');
    const triggerReads: ResolvedDataLocation[] = triggers.map((t) => ({
      bucket: t.bucket,
      prefix: t.prefix,
    }));
    return {
      name: f.name,
      functionName: `${p}-${f.name}`,
      description: f.description ?? `pipeform ${p}: ${f.name}`,
      code: resolveCode(f, specFile),
      handler: f.handler,
      runtime: f.runtime ?? DEFAULTS.lambda.runtime,
      architecture: f.architecture ?? DEFAULTS.lambda.architecture,
      memoryMiB: f.memoryMiB ?? DEFAULTS.lambda.memoryMiB,
      timeoutSeconds: f.timeoutSeconds ?? DEFAULTS.lambda.timeoutSeconds,
      ...(f.reservedConcurrency !== undefined ? { reservedConcurrency: f.reservedConcurrency } : {}),
      ...((f.deadLetterQueue ?? DEFAULTS.lambda.deadLetterQueue)
        ? { deadLetterQueueName: `${p}-${f.name}-dlq` }
        : {}),
      environment: env.values,
      secrets: env.secrets,
      triggers,
      reads: resolveLocations([...(f.reads ?? []), ...triggerReads]),
      writes: resolveLocations(f.writes),
      logGroupName: `/aws/lambda/${p}-${f.name}`,
      roleComponent: `lambda-${f.name}`,
    };
  });
  return { functions, ...(o.workflow ? { workflow: resolveWorkflow(spec, o.workflow, specFile) } : {}) };
}
