import type { CheckRule } from '../check';
import type { Diagnostic } from '../diagnostics';
import {
  DEFAULTS as EMR_DEFAULTS,
  emrIdleTimeoutMinutes,
  emrInteractive,
  emrMode,
} from '../../areas/emr/catalog';
import { DEFAULTS, emrStepTarget } from '../../areas/data/catalog';
import { resolveValues } from '../secrets';
import { duplicateNames, unknownBuckets, unknownRef } from './references';

const FUNCTIONS = ['orchestration', 'functions'] as const;

/** Environment variable names Lambda sets itself (a function may not set them). */
export function reservedLambdaVariable(name: string): boolean {
  return (
    name.startsWith('AWS_') ||
    ['_HANDLER', '_X_AMZN_TRACE_ID', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR'].includes(name)
  );
}

/** Lambda's limit on a function's environment: 4 KB of names and values. */
export const LAMBDA_ENVIRONMENT_BYTES = 4096;

export const lambdaRules: readonly CheckRule[] = [
  {
    id: 'lambda/unique-names',
    description: 'Function names are unique: function, role, queue and log group names come from them.',
    run: (ctx) => duplicateNames(ctx, ctx.spec.orchestration?.functions, FUNCTIONS, 'function'),
  },
  {
    id: 'lambda/code-source',
    description: "A function's code comes from exactly one place: a local directory or a zip in S3.",
    run: (ctx) =>
      (ctx.spec.orchestration?.functions ?? []).flatMap((f, i) => {
        const n = (f.code.directory !== undefined ? 1 : 0) + (f.code.s3 !== undefined ? 1 : 0);
        return n === 1
          ? []
          : [
              ctx.report(
                [...FUNCTIONS, i, 'code'],
                n === 0 ? 'the code needs a directory or an s3 object' : "'directory' and 's3' are both set",
                n === 0
                  ? 'add code.directory (relative to the spec file) or code.s3: s3://<bucket>/<key>.zip'
                  : 'keep one of them',
                { key: true },
              ),
            ];
      }),
  },
  {
    id: 'lambda/bucket-refs',
    description: 'Triggers, reads and writes name buckets of the data lake.',
    run: (ctx) => unknownBuckets(ctx, ctx.spec.orchestration?.functions, FUNCTIONS),
  },
  {
    id: 'lambda/environment',
    description:
      "Environment variables do not use names Lambda reserves (AWS_*, _HANDLER, ...) and fit in Lambda's 4 KB.",
    run: (ctx) =>
      (ctx.spec.orchestration?.functions ?? []).flatMap((f, i) => {
        const env = f.environment ?? {};
        const out: Diagnostic[] = Object.keys(env)
          .filter(reservedLambdaVariable)
          .map((k) =>
            ctx.report(
              [...FUNCTIONS, i, 'environment', k],
              `${k} is reserved by Lambda`,
              'choose another name (Lambda sets AWS_* and _HANDLER itself)',
              { key: true },
            ),
          );
        // What Lambda stores: a reference counts as its name under the derived key.
        const bytes = Object.entries(resolveValues(env, 'env').values).reduce(
          (n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v),
          0,
        );
        if (bytes > LAMBDA_ENVIRONMENT_BYTES) {
          out.push(
            ctx.report(
              [...FUNCTIONS, i, 'environment'],
              `the environment is ${bytes} bytes; Lambda allows ${LAMBDA_ENVIRONMENT_BYTES}`,
              'move large values to the data lake or a parameter store and pass their location',
              { key: true },
            ),
          );
        }
        return out;
      }),
  },
  {
    id: 'lambda/trigger-overlap',
    description:
      'S3 event triggers on one bucket do not overlap (prefix, suffix and event type): S3 refuses overlapping notifications.',
    run: (ctx) => {
      const seen: { bucket: string; prefix: string; suffix: string; events: string[]; where: string }[] = [];
      const out: Diagnostic[] = [];
      (ctx.spec.orchestration?.functions ?? []).forEach((f, i) =>
        (f.triggers ?? []).forEach((t, ti) => {
          const cur = {
            bucket: t.bucket,
            prefix: t.prefix ?? DEFAULTS.lambda.trigger.prefix,
            suffix: t.suffix ?? DEFAULTS.lambda.trigger.suffix,
            events: [...(t.events ?? DEFAULTS.lambda.trigger.events)] as string[],
            where: `${f.name}'s trigger ${ti + 1}`,
          };
          const clash = seen.find(
            (s) =>
              s.bucket === cur.bucket &&
              (s.prefix.startsWith(cur.prefix) || cur.prefix.startsWith(s.prefix)) &&
              (s.suffix.endsWith(cur.suffix) || cur.suffix.endsWith(s.suffix)) &&
              s.events.some((e) => cur.events.includes(e)),
          );
          if (clash) {
            out.push(
              ctx.report(
                [...FUNCTIONS, i, 'triggers', ti],
                `this trigger overlaps ${clash.where} on bucket ${cur.bucket} (prefix "${cur.prefix}", suffix "${cur.suffix}")`,
                'use prefixes (or suffixes) that do not contain each other, or different events',
                { key: true },
              ),
            );
          } else seen.push(cur);
        }),
      );
      return out;
    },
  },
];

const STEPS = ['orchestration', 'workflow', 'steps'] as const;

/** The field each step type needs, and the fields only some types take. */
const STEP_FIELDS: Readonly<Record<string, { needs?: string; takes: readonly string[] }>> = {
  lambda: { needs: 'function', takes: ['function'] },
  'glue-job': { needs: 'job', takes: ['job', 'arguments'] },
  'glue-crawler': { needs: 'crawler', takes: ['crawler', 'pollSeconds', 'crawlTimeoutMinutes'] },
  emr: { needs: 'script', takes: ['script', 'args', 'cluster'] },
  'sagemaker-pipeline': { takes: ['parameters'] },
};
const TYPED_FIELDS = [
  'function',
  'job',
  'arguments',
  'crawler',
  'pollSeconds',
  'crawlTimeoutMinutes',
  'script',
  'args',
  'cluster',
  'parameters',
] as const;

export const workflowRules: readonly CheckRule[] = [
  {
    id: 'workflow/unique-steps',
    description: 'Workflow steps have unique names: they are the state names of the state machine.',
    run: (ctx) => duplicateNames(ctx, ctx.spec.orchestration?.workflow?.steps, STEPS, 'step'),
  },
  {
    id: 'workflow/step-fields',
    description:
      "A step has the field its type needs (lambda: function, glue-job: job, glue-crawler: crawler, emr: script) and no other type's fields; a glue-crawler step's time limit is crawlTimeoutMinutes.",
    run: (ctx) =>
      (ctx.spec.orchestration?.workflow?.steps ?? []).flatMap((s, i) => {
        const fields = STEP_FIELDS[s.type];
        const out: Diagnostic[] = [];
        if (fields.needs && s[fields.needs as keyof typeof s] === undefined) {
          out.push(
            ctx.report(
              [...STEPS, i, 'type'],
              `a ${s.type} step needs '${fields.needs}'`,
              `add ${fields.needs} to step ${s.name}`,
            ),
          );
        }
        for (const f of TYPED_FIELDS) {
          if (s[f] !== undefined && !fields.takes.includes(f)) {
            out.push(
              ctx.report([...STEPS, i, f], `'${f}' does not apply to a ${s.type} step`, `remove ${f}`, {
                key: true,
              }),
            );
          }
        }
        // A crawler step is a polling loop, not one Task: timeoutMinutes would bound only its start.
        if (s.type === 'glue-crawler' && s.timeoutMinutes !== undefined) {
          out.push(
            ctx.report(
              [...STEPS, i, 'timeoutMinutes'],
              "'timeoutMinutes' does not apply to a glue-crawler step",
              `use crawlTimeoutMinutes (the crawl's time limit, default 60) on step ${s.name}`,
              { key: true },
            ),
          );
        }
        return out;
      }),
  },
  {
    id: 'workflow/references',
    description:
      'Steps name defined functions, Glue jobs and Glue crawlers; emr steps need data.emr (running Spark); a sagemaker-pipeline step needs the training pipeline.',
    run: (ctx) => {
      const spec = ctx.spec;
      const functions = (spec.orchestration?.functions ?? []).map((f) => f.name);
      const jobs = (spec.data?.glue?.jobs ?? []).map((j) => j.name);
      const crawlers = (spec.data?.glue?.crawlers ?? []).map((c) => c.name);
      return (spec.orchestration?.workflow?.steps ?? []).flatMap((s, i): Diagnostic[] => {
        if (s.type === 'lambda' && s.function !== undefined && !functions.includes(s.function)) {
          return [
            unknownRef(
              ctx,
              [...STEPS, i, 'function'],
              'function',
              s.function,
              functions,
              'orchestration.functions',
            ),
          ];
        }
        if (s.type === 'glue-job' && s.job !== undefined && !jobs.includes(s.job)) {
          return [unknownRef(ctx, [...STEPS, i, 'job'], 'Glue job', s.job, jobs, 'data.glue.jobs')];
        }
        if (s.type === 'glue-crawler' && s.crawler !== undefined && !crawlers.includes(s.crawler)) {
          return [
            unknownRef(
              ctx,
              [...STEPS, i, 'crawler'],
              'Glue crawler',
              s.crawler,
              crawlers,
              'data.glue.crawlers',
            ),
          ];
        }
        if (s.type === 'emr') {
          const emr = spec.data?.emr;
          if (!emr) {
            return [
              ctx.report(
                [...STEPS, i, 'type'],
                'an emr step needs data.emr',
                'add data.emr (a cluster or serverless)',
              ),
            ];
          }
          if (
            emrMode(emr) === 'serverless' &&
            (emr.applications ?? EMR_DEFAULTS.applications).includes('Hive')
          ) {
            return [
              ctx.report(
                [...STEPS, i, 'type'],
                'emr steps run Spark scripts, but the EMR Serverless application runs Hive',
                'set data.emr.applications: [Spark]',
              ),
            ];
          }
        }
        if (s.type === 'sagemaker-pipeline' && !spec.training?.algorithm) {
          return [
            ctx.report(
              [...STEPS, i, 'type'],
              'a sagemaker-pipeline step starts the training pipeline, but the spec has none',
              'add training (algorithm, data) to define the <pipeline>-training pipeline',
            ),
          ];
        }
        return [];
      });
    },
  },
  {
    id: 'workflow/emr-cluster-target',
    description:
      "An emr step's 'cluster' applies to EMR clusters (not serverless), and 'interactive' needs the interactive cluster (data.emr.cluster.interactive).",
    run: (ctx) => {
      const emr = ctx.spec.data?.emr;
      if (!emr) return [];
      return (ctx.spec.orchestration?.workflow?.steps ?? []).flatMap((s, i): Diagnostic[] => {
        if (s.type !== 'emr' || s.cluster === undefined) return [];
        if (emrMode(emr) === 'serverless') {
          return [
            ctx.report(
              [...STEPS, i, 'cluster'],
              "'cluster' chooses an EMR cluster, but data.emr runs on EMR Serverless",
              'remove cluster (serverless steps run as job runs of the application)',
              { key: true },
            ),
          ];
        }
        if (s.cluster === 'interactive' && !emrInteractive(emr)) {
          return [
            ctx.report(
              [...STEPS, i, 'cluster'],
              `step ${s.name} runs on the interactive EMR cluster, but data.emr.cluster.interactive is off`,
              'set data.emr.cluster.interactive: true, or remove cluster (the step then runs on a cluster created for each run)',
            ),
          ];
        }
        return [];
      });
    },
  },
  {
    id: 'workflow/emr-scheduled-on-idle-cluster',
    description:
      'A scheduled workflow never adds steps to the interactive EMR cluster: it terminates itself when idle, so a later run would find it gone.',
    run: (ctx) => {
      const w = ctx.spec.orchestration?.workflow;
      const emr = ctx.spec.data?.emr;
      if (!w?.schedule || !emr) return [];
      return w.steps.flatMap((s, i) =>
        s.type === 'emr' && emrStepTarget(ctx.spec, s) === 'interactive'
          ? [
              ctx.report(
                [...STEPS, i, 'cluster'],
                `step ${s.name} runs on the interactive EMR cluster, which terminates itself after ${emrIdleTimeoutMinutes(emr)} idle minutes: a scheduled run (${w.schedule}) would find it gone`,
                'remove cluster: interactive (each run then creates its own cluster and terminates it), or start the workflow on demand (no schedule)',
              ),
            ]
          : [],
      );
    },
  },
  {
    id: 'workflow/emr-steps-together',
    description:
      "Emr steps on a per-run cluster follow each other: the run's cluster lives from the first of them to the last, and other steps between them would keep it up idle.",
    run: (ctx) => {
      const steps = ctx.spec.orchestration?.workflow?.steps ?? [];
      const transient = steps.flatMap((s, i) =>
        s.type === 'emr' && emrStepTarget(ctx.spec, s) === 'transient' ? [i] : [],
      );
      if (transient.length < 2) return [];
      const [first, last] = [transient[0], transient[transient.length - 1]];
      return steps.flatMap((s, i) =>
        i > first && i < last && !transient.includes(i)
          ? [
              ctx.report(
                [...STEPS, i],
                `step ${s.name} runs between emr steps ${steps[first].name} and ${steps[last].name}, which share a cluster created for the run: it would sit idle meanwhile (and terminate itself after its idle timeout)`,
                `move ${s.name} before ${steps[first].name} or after ${steps[last].name}`,
                { key: true },
              ),
            ]
          : [],
      );
    },
  },
];

/** The rules of the orchestration area (Lambda, Step Functions), registered in check.ts. */
export const orchestrationRules: readonly CheckRule[] = [...lambdaRules, ...workflowRules];
