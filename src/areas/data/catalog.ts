/**
 * The data area's catalog (Glue, data-lake locations, Lambda functions, the Step Functions
 * workflow, feature groups): its defaults, read from the schema and never restated, and the
 * tables, predicates and name builders the check stage, normalize, advice and cost share.
 * Pure: no cdktf, no normalize imports. EMR has its own catalog (src/areas/emr/catalog.ts).
 */
import { schemaChoiceDefault, schemaDefault, schemaPointer } from '../../spec/schema';
import type { GlueJob, PipelineSpec, WorkflowStep } from '../../spec/types.generated';
import type { EmrStepTarget } from '../../model/orchestration';
import { emrMode } from '../emr/catalog';

/** The S3 events a trigger may name. */
const TRIGGER_EVENTS = ['created', 'removed'] as const;
type TriggerEvent = (typeof TRIGGER_EVENTS)[number];

/** The schema's default trigger events, checked against the events a trigger may name. */
function triggerEvents(pointer: string): readonly TriggerEvent[] {
  return schemaDefault(pointer, 'strings').map((e) => {
    const event = TRIGGER_EVENTS.find((t) => t === e);
    if (event === undefined) throw new Error(`internal: the schema's default at ${pointer} names ${e}`);
    return event;
  });
}

/** The data-area defaults, each read from its schema `default` (the single source). */
export const DEFAULTS = {
  /** A data-lake location without a prefix is the whole bucket. */
  locationPrefix: schemaDefault(schemaPointer('dataLocation', 'prefix'), 'string'),
  glue: {
    catalogEncryption: schemaDefault(schemaPointer('glue', 'catalogEncryption'), 'boolean'),
    crawler: {
      recrawl: schemaChoiceDefault(schemaPointer('glueCrawler', 'recrawl'), [
        'everything',
        'new-folders-only',
      ] as const),
      update: schemaChoiceDefault(schemaPointer('glueSchemaChange', 'update'), [
        'update-in-database',
        'log',
      ] as const),
      delete: schemaChoiceDefault(schemaPointer('glueSchemaChange', 'delete'), [
        'deprecate-in-database',
        'delete-from-database',
        'log',
      ] as const),
    },
    job: {
      language: schemaChoiceDefault(schemaPointer('glueJob', 'language'), ['python', 'scala'] as const),
      glueVersion: schemaChoiceDefault(schemaPointer('glueJob', 'glueVersion'), ['4.0', '5.0'] as const),
      workerType: schemaChoiceDefault(schemaPointer('glueJob', 'workerType'), [
        'G.1X',
        'G.2X',
        'G.4X',
        'G.8X',
      ] as const),
      workers: schemaDefault(schemaPointer('glueJob', 'workers'), 'number'),
      autoScaling: schemaDefault(schemaPointer('glueJob', 'autoScaling'), 'boolean'),
      bookmarks: schemaDefault(schemaPointer('glueJob', 'bookmarks'), 'boolean'),
      timeoutMinutes: schemaDefault(schemaPointer('glueJob', 'timeoutMinutes'), 'number'),
      maxRetries: schemaDefault(schemaPointer('glueJob', 'maxRetries'), 'number'),
      maxConcurrentRuns: schemaDefault(schemaPointer('glueJob', 'maxConcurrentRuns'), 'number'),
    },
    workflow: {
      maxConcurrentRuns: schemaDefault(schemaPointer('glueWorkflow', 'maxConcurrentRuns'), 'number'),
    },
  },
  lambda: {
    runtime: schemaDefault(schemaPointer('lambdaFunction', 'runtime'), 'string'),
    architecture: schemaChoiceDefault(schemaPointer('lambdaFunction', 'architecture'), [
      'arm64',
      'x86_64',
    ] as const),
    memoryMiB: schemaDefault(schemaPointer('lambdaFunction', 'memoryMiB'), 'number'),
    timeoutSeconds: schemaDefault(schemaPointer('lambdaFunction', 'timeoutSeconds'), 'number'),
    deadLetterQueue: schemaDefault(schemaPointer('lambdaFunction', 'deadLetterQueue'), 'boolean'),
    trigger: {
      prefix: schemaDefault(schemaPointer('lambdaTrigger', 'prefix'), 'string'),
      suffix: schemaDefault(schemaPointer('lambdaTrigger', 'suffix'), 'string'),
      events: triggerEvents(schemaPointer('lambdaTrigger', 'events')),
    },
  },
  workflow: {
    timeoutMinutes: schemaDefault(schemaPointer('workflow', 'timeoutMinutes'), 'number'),
    retry: {
      maxAttempts: schemaDefault(schemaPointer('workflowRetry', 'maxAttempts'), 'number'),
      intervalSeconds: schemaDefault(schemaPointer('workflowRetry', 'intervalSeconds'), 'number'),
      backoffRate: schemaDefault(schemaPointer('workflowRetry', 'backoffRate'), 'number'),
    },
    step: {
      pollSeconds: schemaDefault(schemaPointer('workflowStep', 'pollSeconds'), 'number'),
      crawlTimeoutMinutes: schemaDefault(schemaPointer('workflowStep', 'crawlTimeoutMinutes'), 'number'),
      cluster: schemaChoiceDefault(schemaPointer('workflowStep', 'cluster'), [
        'transient',
        'interactive',
      ] as const),
    },
  },
  features: {
    online: schemaDefault(schemaPointer('featuresGroup', 'online'), 'boolean'),
    offline: schemaDefault(schemaPointer('featuresGroup', 'offline'), 'boolean'),
    tableFormat: schemaChoiceDefault(schemaPointer('featuresGroup', 'tableFormat'), [
      'iceberg',
      'glue',
    ] as const),
  },
} as const;

/** Worker types Flex execution runs on. */
export const FLEX_WORKER_TYPES: readonly string[] = ['G.1X', 'G.2X'];

/** A Glue job's worker type, after the default. */
export function glueWorkerType(job: Pick<GlueJob, 'workerType'>): NonNullable<GlueJob['workerType']> {
  return job.workerType ?? DEFAULTS.glue.job.workerType;
}

/** A Data Catalog name: lowercase with underscores, as Athena and Hive expect. */
export function catalogName(pipeline: string, name: string): string {
  return `${pipeline}_${name}`.replace(/-/g, '_');
}

/** Where an emr step runs: EMR Serverless in serverless mode, else the step's cluster (a per-run one by default). */
export function emrStepTarget(spec: PipelineSpec, s: WorkflowStep): EmrStepTarget {
  const emr = spec.data?.emr;
  if (emr && emrMode(emr) === 'serverless') return 'serverless';
  return s.cluster ?? DEFAULTS.workflow.step.cluster;
}
