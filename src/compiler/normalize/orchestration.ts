import { dirname, join } from 'node:path';
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
import { byName, resolveLocations, resolveObject } from './data';
import { resolveValues } from './secrets';

const S3_EVENTS = { created: 's3:ObjectCreated:*', removed: 's3:ObjectRemoved:*' } as const;

function resolveCode(f: LambdaFunction, specFile: string): ResolvedLambdaCode {
  if (f.code.s3) return { kind: 's3', object: resolveObject(f.code.s3) };
  const directory = f.code.directory ?? '';
  return {
    kind: 'directory',
    directory,
    path: join(dirname(specFile), directory),
    assetName: `lambda-${f.name}.zip`,
  };
}

function resolveTriggers(f: LambdaFunction): ResolvedLambdaTrigger[] {
  return (f.triggers ?? [])
    .map((t) => ({
      bucket: t.bucket,
      prefix: t.prefix ?? '',
      suffix: t.suffix ?? '',
      events: [...(t.events ?? ['created'])].sort().map((e) => S3_EVENTS[e]),
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
    maxAttempts: own?.maxAttempts ?? shared?.maxAttempts ?? 2,
    intervalSeconds: own?.intervalSeconds ?? shared?.intervalSeconds ?? 60,
    backoffRate: own?.backoffRate ?? shared?.backoffRate ?? 2,
  };
}

function resolveTarget(p: string, s: WorkflowStep): ResolvedWorkflowTarget {
  switch (s.type) {
    case 'lambda':
      return { type: 'lambda', function: s.function ?? '' };
    case 'glue-job':
      return { type: 'glue-job', job: s.job ?? '', arguments: sortedRecord(s.arguments) };
    case 'emr':
      return {
        type: 'emr',
        script: s.script ? resolveObject(s.script) : { bucket: '', key: '' },
        args: [...(s.args ?? [])],
      };
    case 'sagemaker-pipeline':
      return {
        type: 'sagemaker-pipeline',
        pipelineName: `${p}-training`,
        parameters: sortedRecord(s.parameters),
      };
  }
}

function resolveWorkflow(p: string, w: Workflow): ResolvedWorkflow {
  return {
    stateMachineName: `${p}-etl`,
    description: w.description ?? `pipeform ${p}: multi-step ETL`,
    ...(w.schedule ? { schedule: w.schedule } : {}),
    scheduleRuleName: `${p}-etl-schedule`,
    timeoutSeconds: (w.timeoutMinutes ?? 1440) * 60,
    steps: w.steps.map((s) => ({
      name: s.name,
      target: resolveTarget(p, s),
      retry: resolveRetry(s.retry, w.retry),
      ...(s.timeoutMinutes !== undefined ? { timeoutSeconds: s.timeoutMinutes * 60 } : {}),
    })),
    logGroupName: `/aws/vendedlogs/states/${p}-etl`,
    failureTopicName: `${p}-etl-failures`,
    notifyEmails: [...(w.notifyEmails ?? [])].sort(),
    roleComponent: 'workflow',
    scheduleRoleComponent: 'workflow-schedule',
  };
}

/**
 * Resolves `orchestration` with every default. `specFile` is the spec's path as given to
 * the compiler: local code directories are relative to it. (Pure: paths are only joined.)
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
      runtime: f.runtime ?? 'python3.12',
      architecture: f.architecture ?? 'arm64',
      memoryMiB: f.memoryMiB ?? 256,
      timeoutSeconds: f.timeoutSeconds ?? 60,
      ...(f.reservedConcurrency !== undefined ? { reservedConcurrency: f.reservedConcurrency } : {}),
      ...((f.deadLetterQueue ?? true) ? { deadLetterQueueName: `${p}-${f.name}-dlq` } : {}),
      environment: env.values,
      secrets: env.secrets,
      triggers,
      reads: resolveLocations([...(f.reads ?? []), ...triggerReads]),
      writes: resolveLocations(f.writes),
      logGroupName: `/aws/lambda/${p}-${f.name}`,
      roleComponent: `lambda-${f.name}`,
    };
  });
  return { functions, ...(o.workflow ? { workflow: resolveWorkflow(p, o.workflow) } : {}) };
}
