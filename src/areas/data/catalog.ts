/**
 * The data area's catalog (Glue, data-lake locations, Lambda functions, the Step Functions
 * workflow, feature groups): its defaults, read from the schema and never restated, and the
 * tables, predicates and name builders the check stage, normalize, advice and cost share.
 * Pure: no cdktf, no normalize imports. EMR has its own catalog (src/areas/emr/catalog.ts).
 */
import { schemaChoiceDefault, schemaDefault } from '../../spec/schema';
import type { GlueJob, PipelineSpec, WorkflowStep } from '../../spec/types.generated';
import type { EmrStepTarget } from '../../model/orchestration';
import { emrMode } from '../emr/catalog';

const property = (definition: string, name: string) => `#/definitions/${definition}/properties/${name}`;

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
  locationPrefix: schemaDefault(property('dataLocation', 'prefix'), 'string'),
  glue: {
    catalogEncryption: schemaDefault(property('glue', 'catalogEncryption'), 'boolean'),
    crawler: {
      recrawl: schemaChoiceDefault(property('glueCrawler', 'recrawl'), [
        'everything',
        'new-folders-only',
      ] as const),
      update: schemaChoiceDefault(property('glueSchemaChange', 'update'), [
        'update-in-database',
        'log',
      ] as const),
      delete: schemaChoiceDefault(property('glueSchemaChange', 'delete'), [
        'deprecate-in-database',
        'delete-from-database',
        'log',
      ] as const),
    },
    job: {
      language: schemaChoiceDefault(property('glueJob', 'language'), ['python', 'scala'] as const),
      glueVersion: schemaChoiceDefault(property('glueJob', 'glueVersion'), ['4.0', '5.0'] as const),
      workerType: schemaChoiceDefault(property('glueJob', 'workerType'), [
        'G.1X',
        'G.2X',
        'G.4X',
        'G.8X',
      ] as const),
      workers: schemaDefault(property('glueJob', 'workers'), 'number'),
      autoScaling: schemaDefault(property('glueJob', 'autoScaling'), 'boolean'),
      bookmarks: schemaDefault(property('glueJob', 'bookmarks'), 'boolean'),
      timeoutMinutes: schemaDefault(property('glueJob', 'timeoutMinutes'), 'number'),
      maxRetries: schemaDefault(property('glueJob', 'maxRetries'), 'number'),
      maxConcurrentRuns: schemaDefault(property('glueJob', 'maxConcurrentRuns'), 'number'),
    },
    workflow: {
      maxConcurrentRuns: schemaDefault(property('glueWorkflow', 'maxConcurrentRuns'), 'number'),
    },
  },
  lambda: {
    runtime: schemaDefault(property('lambdaFunction', 'runtime'), 'string'),
    architecture: schemaChoiceDefault(property('lambdaFunction', 'architecture'), [
      'arm64',
      'x86_64',
    ] as const),
    memoryMiB: schemaDefault(property('lambdaFunction', 'memoryMiB'), 'number'),
    timeoutSeconds: schemaDefault(property('lambdaFunction', 'timeoutSeconds'), 'number'),
    deadLetterQueue: schemaDefault(property('lambdaFunction', 'deadLetterQueue'), 'boolean'),
    trigger: {
      prefix: schemaDefault(property('lambdaTrigger', 'prefix'), 'string'),
      suffix: schemaDefault(property('lambdaTrigger', 'suffix'), 'string'),
      events: triggerEvents(property('lambdaTrigger', 'events')),
    },
  },
  workflow: {
    timeoutMinutes: schemaDefault(property('workflow', 'timeoutMinutes'), 'number'),
    retry: {
      maxAttempts: schemaDefault(property('workflowRetry', 'maxAttempts'), 'number'),
      intervalSeconds: schemaDefault(property('workflowRetry', 'intervalSeconds'), 'number'),
      backoffRate: schemaDefault(property('workflowRetry', 'backoffRate'), 'number'),
    },
    step: {
      pollSeconds: schemaDefault(property('workflowStep', 'pollSeconds'), 'number'),
      crawlTimeoutMinutes: schemaDefault(property('workflowStep', 'crawlTimeoutMinutes'), 'number'),
      cluster: schemaChoiceDefault(property('workflowStep', 'cluster'), [
        'transient',
        'interactive',
      ] as const),
    },
  },
  features: {
    online: schemaDefault(property('featuresGroup', 'online'), 'boolean'),
    offline: schemaDefault(property('featuresGroup', 'offline'), 'boolean'),
    tableFormat: schemaChoiceDefault(property('featuresGroup', 'tableFormat'), ['iceberg', 'glue'] as const),
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
