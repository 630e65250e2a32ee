import type { Construct } from 'constructs';
import type { ResolvedCodeLocation } from '../../model/assets';
import type { ResolvedWorkflow } from '../../model/orchestration';
import type { ResolvedSpec } from '../../model/resolved';
import type { StackOutput } from '../outputs';
import type { SecurityContext } from '../security-context';
import { lakeBucket, type LakeBuckets } from './access';
import { EmrArea } from './emr';
import { FeatureStore } from './feature-store';
import { GlueArea } from './glue';
import { LambdaArea } from './lambda';
import { Notebooks } from './notebooks';
import { WorkflowArea, type WorkflowAreaProps } from './workflow';

/** The data-processing constructs PipelineStack built, by area. */
export interface DataProcessing {
  readonly glue?: GlueArea;
  readonly emr?: EmrArea;
  readonly lambda?: LambdaArea;
  readonly workflow?: WorkflowArea;
  readonly features?: FeatureStore;
  readonly notebooks?: Notebooks;
}

/** Scripts the workflow's emr steps run (the EMR roles may read them). */
function emrStepScripts(w: ResolvedWorkflow | undefined): ResolvedCodeLocation[] {
  return (w?.steps ?? []).flatMap((s) => (s.target.type === 'emr' ? [s.target.script] : []));
}

/** A construct built for a spec name; the check stage guarantees the name exists. */
function built<T>(map: ReadonlyMap<string, T> | undefined, name: string): T {
  const v = map?.get(name);
  if (v === undefined) throw new Error(`internal: ${JSON.stringify(name)} was not built`);
  return v;
}

/** What the workflow's steps reference, and the ARNs its role may act on. */
function workflowWiring(
  w: ResolvedWorkflow,
  sec: SecurityContext,
  buckets: LakeBuckets,
  areas: { glue?: GlueArea; emr?: EmrArea; lambda?: LambdaArea },
  tags: Readonly<Record<string, string>>,
): Pick<WorkflowAreaProps, 'targets' | 'grants'> {
  const used = (type: string) => [
    ...new Set(
      w.steps.flatMap((s) =>
        s.target.type === type && 'function' in s.target
          ? [s.target.function]
          : s.target.type === type && 'job' in s.target
            ? [s.target.job]
            : [],
      ),
    ),
  ];
  const glueArn = `arn:${sec.partition}:glue:${sec.region}:${sec.account}`;
  const { emr } = areas;
  const training = w.steps.find((s) => s.target.type === 'sagemaker-pipeline');
  return {
    targets: {
      functionArn: (name) => built(areas.lambda?.functions, name).arn,
      jobName: (name) => built(areas.glue?.jobs, name).name,
      crawlerName: (name) => built(areas.glue?.crawlers, name).name,
      ...(emr?.clusterRequest
        ? {
            emr: {
              mode: 'cluster' as const,
              request: emr.clusterRequest,
              ...(emr.cluster ? { interactiveClusterId: emr.cluster.id } : {}),
            },
          }
        : {}),
      ...(emr?.application && emr.jobRoleArn
        ? {
            emr: {
              mode: 'serverless' as const,
              applicationId: emr.application.id,
              jobRoleArn: emr.jobRoleArn,
              logUri: `s3://${lakeBucket(buckets, 'logs').bucket}/${emr.logPrefix}`,
              keyArn: sec.keyArn,
            },
          }
        : {}),
      clusterTags: tags,
    },
    grants: {
      functionArns: used('lambda').map((n) => built(areas.lambda?.functions, n).arn),
      jobArns: used('glue-job').map((n) => `${glueArn}:job/${built(areas.glue?.jobs, n).name}`),
      crawlerArns: [
        ...new Set(w.steps.flatMap((s) => (s.target.type === 'glue-crawler' ? [s.target.crawler] : []))),
      ].map((n) => `${glueArn}:crawler/${built(areas.glue?.crawlers, n).name}`),
      ...(emr?.cluster ? { emrInteractiveClusterArn: emr.cluster.arn } : {}),
      ...(emr?.clusterRoles ? { emrClusterRoles: emr.clusterRoles } : {}),
      ...(emr?.application && emr.jobRoleArn
        ? { emrApplicationArn: emr.application.arn, emrJobRoleArn: emr.jobRoleArn }
        : {}),
      ...(training && training.target.type === 'sagemaker-pipeline'
        ? {
            trainingPipelineArn: `arn:${sec.partition}:sagemaker:${sec.region}:${sec.account}:pipeline/${training.target.pipelineName}`,
          }
        : {}),
    },
  };
}

/**
 * Builds the data-processing areas (issue #4) on the stack, after the data lake, each with
 * its lowercase area id: `glue`, `emr`, `lambda`, `workflow`, `features`, `notebooks`.
 * Later areas receive the earlier ones they reference (the workflow starts Glue jobs, EMR
 * steps and functions). Adds the areas' outputs.
 */
export function addDataProcessing(
  stack: Construct,
  spec: ResolvedSpec,
  security: SecurityContext,
  buckets: LakeBuckets,
): DataProcessing {
  const workflowSpec = spec.orchestration?.workflow;
  const glue = spec.data?.glue
    ? new GlueArea(stack, 'glue', { glue: spec.data.glue, security, buckets, network: spec.network })
    : undefined;
  const emr = spec.data?.emr
    ? new EmrArea(stack, 'emr', {
        emr: spec.data.emr,
        security,
        buckets,
        catalogDatabases: (spec.data.glue?.databases ?? []).map((d) => d.catalogName),
        stepScripts: emrStepScripts(workflowSpec),
      })
    : undefined;
  const lambda =
    spec.orchestration && spec.orchestration.functions.length > 0
      ? new LambdaArea(stack, 'lambda', { orchestration: spec.orchestration, security, buckets })
      : undefined;
  const workflow = workflowSpec
    ? new WorkflowArea(stack, 'workflow', {
        workflow: workflowSpec,
        security,
        buckets,
        ...workflowWiring(workflowSpec, security, buckets, { glue, emr, lambda }, spec.tags),
      })
    : undefined;
  const features =
    spec.features && spec.features.groups.length > 0
      ? new FeatureStore(stack, 'features', { features: spec.features, security, buckets })
      : undefined;
  const notebooks = spec.notebooks
    ? new Notebooks(stack, 'notebooks', { notebooks: spec.notebooks, security, buckets })
    : undefined;

  return {
    ...(features ? { features } : {}),
    ...(notebooks ? { notebooks } : {}),
    ...(glue ? { glue } : {}),
    ...(emr ? { emr } : {}),
    ...(lambda ? { lambda } : {}),
    ...(workflow ? { workflow } : {}),
  };
}

/** The data-processing area's outputs: the names and ids of what the spec's data sections built. */
export function dataProcessingOutputs(d: DataProcessing): StackOutput[] {
  const { glue, emr, lambda, workflow, features, notebooks } = d;
  const out: StackOutput[] = [];
  if (glue && glue.jobs.size > 0) {
    out.push({
      name: 'glue_job_names',
      description: 'Glue job names by spec name.',
      value: Object.fromEntries([...glue.jobs.entries()].map(([n, j]) => [n, j.name])),
    });
  }
  if (emr?.cluster) {
    out.push({
      name: 'emr_cluster_id',
      description:
        'Id of the interactive EMR cluster (it terminates itself when idle; the next apply creates it again).',
      value: emr.cluster.id,
    });
  }
  if (emr?.application) {
    out.push({
      name: 'emr_serverless_application_id',
      description: 'EMR Serverless application id.',
      value: emr.application.id,
    });
  }
  if (lambda) {
    out.push({
      name: 'lambda_function_names',
      description: 'Lambda function names by spec name.',
      value: Object.fromEntries([...lambda.functions.entries()].map(([n, f]) => [n, f.functionName])),
    });
  }
  if (workflow) {
    out.push({
      name: 'etl_state_machine_arn',
      description: 'ARN of the Step Functions ETL workflow: start an execution to run it.',
      value: workflow.stateMachine.arn,
    });
    out.push({
      name: 'etl_failure_topic_arn',
      description: 'SNS topic that receives ETL failures.',
      value: workflow.topic.arn,
    });
  }
  if (features) {
    out.push({
      name: 'feature_group_names',
      description: 'Feature group names by spec name.',
      value: Object.fromEntries([...features.groups.entries()].map(([n, g]) => [n, g.featureGroupName])),
    });
  }
  if (notebooks?.domain) {
    out.push({
      name: 'sagemaker_domain_id',
      description: 'SageMaker domain of the notebook users.',
      value: notebooks.domain.id,
    });
  }
  if (notebooks && notebooks.instances.size > 0) {
    out.push({
      name: 'notebook_instance_names',
      description: 'Notebook instance names by spec name.',
      value: Object.fromEntries([...notebooks.instances.entries()].map(([n, i]) => [n, i.name])),
    });
  }
  return out;
}
