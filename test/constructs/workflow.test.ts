import { join } from 'node:path';
import { Testing } from 'cdktf';
import { PipelineStack } from '../../src/constructs/pipeline-stack';
import { compileData, MINIMAL } from '../harness/spec';
import { testApp } from '../harness/cdktf-testing';

type Resource = Record<string, unknown>;
type Resources = Record<string, Record<string, Resource>>;
interface State {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  Next?: string;
  End?: boolean;
  Retry?: unknown[];
  Catch?: { Next: string }[];
}

const KEY = '${aws_kms_key.kms.arn}';
const SPEC_FILE = join('test', 'fixtures', 'functions', 'pipeline.yaml');
const NETWORK = {
  vpc: { cidr: '10.20.0.0/16', availabilityZones: ['us-east-1a'] },
  endpoints: { interface: ['glue', 'logs', 'sts'] },
};
const BASE = {
  ...MINIMAL,
  network: NETWORK,
  data: {
    glue: { jobs: [{ name: 'clean', script: 's3://acme-shared-code/scripts/clean.py' }] },
    emr: { cluster: { tlsCertificates: 's3://acme-pki/emr/certs.zip' } },
  },
};
const FUNCTIONS = [{ name: 'filter', code: { directory: 'filter' }, handler: 'index.handler' }];
const STEPS = [
  { name: 'filter', type: 'lambda', function: 'filter' },
  { name: 'clean', type: 'glue-job', job: 'clean', arguments: { '--day': 'latest' }, timeoutMinutes: 90 },
  {
    name: 'aggregate',
    type: 'emr',
    script: 's3://acme-shared-code/scripts/aggregate.py',
    args: ['--mode', 'daily'],
    retry: { maxAttempts: 0 },
  },
];

function synth(spec: object): Resources {
  const stack = new PipelineStack(testApp(), 'demo', compileData(spec, SPEC_FILE));
  return JSON.parse(Testing.synth(stack)).resource;
}
const definitionOf = (r: Resources) =>
  JSON.parse(r.aws_sfn_state_machine.workflow.definition as string) as {
    StartAt: string;
    TimeoutSeconds: number;
    States: Record<string, State>;
  };
/** Every `${type.name...}` reference in a value, as `type.name`. */
const references = (value: unknown): string[] =>
  [...JSON.stringify(value).matchAll(/\$\{([a-z0-9_]+)\.([a-z0-9_]+)\.[a-z_]+\}/g)].map(
    (m) => `${m[1]}.${m[2]}`,
  );

describe('Step Functions workflow', () => {
  const r = synth({
    ...BASE,
    orchestration: {
      functions: FUNCTIONS,
      workflow: { schedule: 'cron(0 4 * * ? *)', notifyEmails: ['data-team@example.com'], steps: STEPS },
    },
  });
  const def = definitionOf(r);

  test('the steps run in order around a cluster created for the run, then end; every step is retried and caught', () => {
    expect(def.StartAt).toBe('filter');
    expect(def.States.filter.Next).toBe('clean');
    expect(def.States.clean.Next).toBe('CreateCluster');
    expect(def.States.CreateCluster.Next).toBe('aggregate');
    expect(def.States.aggregate.Next).toBe('TerminateCluster');
    expect(def.States.TerminateCluster.End).toBe(true);
    const catchInto = (Next: string) => [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next }];
    // Before the cluster exists a failure goes straight to the notification; on it, through its termination.
    expect(def.States.filter.Catch).toEqual(catchInto('NotifyFailure'));
    expect(def.States.clean.Catch).toEqual(catchInto('NotifyFailure'));
    expect(def.States.CreateCluster.Catch).toEqual(catchInto('NotifyFailure'));
    expect(def.States.aggregate.Catch).toEqual(catchInto('TerminateClusterAfterFailure'));
    expect(def.States.TerminateClusterAfterFailure).toMatchObject({
      Resource: 'arn:aws:states:::elasticmapreduce:terminateCluster.sync',
      Parameters: { 'ClusterId.$': '$.emrCluster.ClusterId' },
      Next: 'NotifyFailure',
      Catch: catchInto('NotifyFailure'),
    });
    expect(def.States.TerminateCluster).toMatchObject({
      Resource: 'arn:aws:states:::elasticmapreduce:terminateCluster.sync',
      Parameters: { 'ClusterId.$': '$.emrCluster.ClusterId' },
      Catch: catchInto('NotifyFailure'),
    });
    expect(def.States.filter.Retry).toEqual([
      { ErrorEquals: ['States.ALL'], IntervalSeconds: 60, MaxAttempts: 2, BackoffRate: 2 },
    ]);
    expect(def.States.aggregate.Retry).toBeUndefined();
    expect(def.States.NotifyFailure).toMatchObject({
      Resource: 'arn:aws:states:::sns:publish',
      Parameters: { TopicArn: '${aws_sns_topic.workflow.arn}' },
      Next: 'Failed',
    });
    expect(def.States.Failed.Type).toBe('Fail');
    expect(def.TimeoutSeconds).toBe(86400);
  });

  test('the run creates its cluster from the cluster definition, named after the execution and tagged for the workflow', () => {
    const create = def.States.CreateCluster as State & { ResultSelector: unknown; ResultPath: string };
    expect(create).toMatchObject({
      Resource: 'arn:aws:states:::elasticmapreduce:createCluster.sync',
      ResultSelector: { 'ClusterId.$': '$.ClusterId' },
      ResultPath: '$.emrCluster',
    });
    const p = create.Parameters!;
    expect(p['Name.$']).toBe("States.Format('demo-emr-{}', $$.Execution.Name)");
    expect(p).toMatchObject({
      ReleaseLabel: 'emr-7.5.0',
      ServiceRole: '${aws_iam_role.emr_service.arn}',
      JobFlowRole: '${aws_iam_instance_profile.emr.arn}',
      SecurityConfiguration: '${aws_emr_security_configuration.emr.name}',
      AutoTerminationPolicy: { IdleTimeout: 3600 },
      Instances: { KeepJobFlowAliveWhenNoSteps: true, TerminationProtected: false },
    });
    expect(p.Tags).toEqual([
      { Key: 'pipeform:managed-by', Value: 'pipeform' },
      { Key: 'pipeform:pipeline', Value: 'demo' },
      { Key: 'for-use-with-amazon-emr-managed-policies', Value: 'true' },
      { Key: 'pipeform:workflow', Value: 'demo-etl' },
    ]);
    // No interactive cluster was asked for: the definition serves the runs only.
    expect(r.aws_emr_cluster).toBeUndefined();
  });

  test('integrations that wait: Glue startJobRun.sync, EMR addStep.sync; Lambda invoke', () => {
    expect(def.States.filter).toMatchObject({
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: '${aws_lambda_function.lambda_filter.arn}', 'Payload.$': '$' },
    });
    expect(def.States.clean).toMatchObject({
      Resource: 'arn:aws:states:::glue:startJobRun.sync',
      Parameters: {
        JobName: '${aws_glue_job.glue_jobs_clean.name}',
        Arguments: { '--day': 'latest' },
        Timeout: 90,
      },
    });
    expect(def.States.aggregate).toMatchObject({
      Resource: 'arn:aws:states:::elasticmapreduce:addStep.sync',
      Parameters: {
        'ClusterId.$': '$.emrCluster.ClusterId',
        Step: {
          Name: 'aggregate',
          ActionOnFailure: 'CONTINUE',
          HadoopJarStep: {
            Jar: 'command-runner.jar',
            Args: [
              'spark-submit',
              '--deploy-mode',
              'cluster',
              's3://acme-shared-code/scripts/aggregate.py',
              '--mode',
              'daily',
            ],
          },
        },
      },
    });
  });

  test("every state's target exists in the configuration", () => {
    for (const [name, state] of Object.entries(def.States)) {
      if (state.Type !== 'Task') continue;
      const refs = references(state.Parameters);
      // Steps on the run's cluster and its termination name the cluster by the id the run
      // kept (ClusterId.$), and this spec's scripts are S3 URIs of its own: no reference.
      const onRunCluster = JSON.stringify(state.Parameters).includes('"ClusterId.$"');
      if (!onRunCluster) expect({ name, refs: refs.length }).not.toEqual({ name, refs: 0 });
      for (const ref of refs) {
        const [type, address] = ref.split('.');
        expect({ state: name, ref, exists: r[type]?.[address] !== undefined }).toEqual({
          state: name,
          ref,
          exists: true,
        });
      }
    }
  });

  test('the role may run exactly the referenced targets, publish failures and deliver logs', () => {
    const s = JSON.parse(r.aws_iam_role_policy.workflow.policy as string).Statement as {
      Sid: string;
      Action: unknown;
      Resource: unknown;
    }[];
    const bySid = Object.fromEntries(s.map((x) => [x.Sid, x.Resource]));
    expect(bySid.InvokeFunctions).toEqual([
      '${aws_lambda_function.lambda_filter.arn}',
      '${aws_lambda_function.lambda_filter.arn}:*',
    ]);
    expect(bySid.RunGlueJobs).toEqual([
      'arn:aws:glue:us-east-1:123456789012:job/${aws_glue_job.glue_jobs_clean.name}',
    ]);
    expect(bySid.NotifyFailures).toBe('${aws_sns_topic.workflow.arn}');
    expect(bySid.RunStepsOnTheInteractiveCluster).toBeUndefined();
    const rule = (n: string) => `arn:aws:events:us-east-1:123456789012:rule/${n}`;
    expect(bySid.WaitForEmr).toEqual([
      rule('StepFunctionsGetEventForEMRAddJobFlowStepsRule'),
      rule('StepFunctionsGetEventForEMRRunJobFlowRule'),
      rule('StepFunctionsGetEventForEMRTerminateJobFlowsRule'),
    ]);
    expect(bySid.NotifyFailures).toBe('${aws_sns_topic.workflow.arn}');
    expect(JSON.parse(r.aws_iam_role.workflow.assume_role_policy as string).Statement[0].Principal).toEqual({
      Service: ['states.amazonaws.com'],
    });
  });

  test('the role creates only clusters tagged for this workflow, acts only on them, and passes exactly the EMR roles', () => {
    const s = JSON.parse(r.aws_iam_role_policy.workflow.policy as string).Statement as {
      Sid: string;
      Action: unknown;
      Resource: unknown;
    }[];
    const sid = (id: string) => s.find((x) => x.Sid === id);
    expect(sid('CreateClustersForRuns')).toEqual({
      Sid: 'CreateClustersForRuns',
      Effect: 'Allow',
      Action: 'elasticmapreduce:RunJobFlow',
      Resource: '*',
      Condition: {
        StringEquals: {
          'aws:RequestTag/pipeform:workflow': 'demo-etl',
          'aws:RequestTag/for-use-with-amazon-emr-managed-policies': 'true',
        },
      },
    });
    expect(sid('RunStepsOnAndTerminateTheRunsClusters')).toEqual({
      Sid: 'RunStepsOnAndTerminateTheRunsClusters',
      Effect: 'Allow',
      Action: [
        'elasticmapreduce:AddJobFlowSteps',
        'elasticmapreduce:CancelSteps',
        'elasticmapreduce:DescribeCluster',
        'elasticmapreduce:DescribeStep',
        'elasticmapreduce:TerminateJobFlows',
      ],
      Resource: 'arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/*',
      Condition: { StringEquals: { 'elasticmapreduce:ResourceTag/pipeform:workflow': 'demo-etl' } },
    });
    expect(sid('PassTheEmrServiceRole')).toMatchObject({
      Action: 'iam:PassRole',
      Resource: '${aws_iam_role.emr_service.arn}',
      Condition: { StringEquals: { 'iam:PassedToService': 'elasticmapreduce.amazonaws.com' } },
    });
    expect(sid('PassTheEmrInstanceRole')).toMatchObject({
      Action: 'iam:PassRole',
      Resource: '${aws_iam_role.emr_instance.arn}',
      Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    });
    expect(sid('CreateTheEmrCleanupRole')).toMatchObject({
      Action: 'iam:CreateServiceLinkedRole',
      Resource:
        'arn:aws:iam::123456789012:role/aws-service-role/elasticmapreduce.amazonaws.com*/AWSServiceRoleForEMRCleanup*',
    });
    // Exactly one iam:PassRole per EMR role, nothing else passed.
    const passed = s.filter((x) => x.Action === 'iam:PassRole');
    expect(passed.map((x) => x.Resource as string).sort()).toEqual([
      '${aws_iam_role.emr_instance.arn}',
      '${aws_iam_role.emr_service.arn}',
    ]);
  });

  test('encrypted with the key, execution data logged to an encrypted log group, tracing on', () => {
    expect(r.aws_sfn_state_machine.workflow).toMatchObject({
      name: 'demo-etl',
      type: 'STANDARD',
      role_arn: '${aws_iam_role.workflow.arn}',
      logging_configuration: {
        log_destination: '${aws_cloudwatch_log_group.workflow.arn}:*',
        include_execution_data: true,
        level: 'ALL',
      },
      tracing_configuration: { enabled: true },
      encryption_configuration: {
        type: 'CUSTOMER_MANAGED_KMS_KEY',
        kms_key_id: KEY,
        kms_data_key_reuse_period_seconds: 300,
      },
    });
    expect(r.aws_cloudwatch_log_group.workflow).toEqual({
      name: '/aws/vendedlogs/states/demo-etl',
      kms_key_id: KEY,
      retention_in_days: 365,
    });
    expect(r.aws_sns_topic.workflow).toEqual({ name: 'demo-etl-failures', kms_master_key_id: KEY });
    expect(r.aws_sns_topic_subscription.workflow_notify_data_team_example_com).toEqual({
      topic_arn: '${aws_sns_topic.workflow.arn}',
      protocol: 'email',
      endpoint: 'data-team@example.com',
    });
  });

  test('the key lets log delivery read execution data of this account only', () => {
    const policy = JSON.parse(r.aws_kms_key.kms.policy as string);
    expect(
      policy.Statement.find((s: { Sid: string }) => s.Sid === 'LogDeliveryReadsStateMachineData'),
    ).toEqual({
      Sid: 'LogDeliveryReadsStateMachineData',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
    });
  });

  test('the schedule: an EventBridge rule whose role may only start this state machine', () => {
    expect(r.aws_cloudwatch_event_rule.workflow_schedule).toMatchObject({
      name: 'demo-etl-schedule',
      schedule_expression: 'cron(0 4 * * ? *)',
      state: 'ENABLED',
    });
    expect(r.aws_cloudwatch_event_target.workflow_schedule).toEqual({
      rule: '${aws_cloudwatch_event_rule.workflow_schedule.name}',
      arn: '${aws_sfn_state_machine.workflow.arn}',
      role_arn: '${aws_iam_role.workflow_schedule.arn}',
    });
    expect(JSON.parse(r.aws_iam_role_policy.workflow_schedule.policy as string).Statement).toEqual([
      {
        Sid: 'StartTheWorkflow',
        Effect: 'Allow',
        Action: 'states:StartExecution',
        Resource: '${aws_sfn_state_machine.workflow.arn}',
      },
    ]);
  });

  test('the EMR instance role may read the scripts the steps run', () => {
    const s = JSON.parse(r.aws_iam_role_policy.emr_instance.policy as string).Statement as {
      Sid: string;
      Resource: unknown;
    }[];
    expect(s.find((x) => x.Sid === 'ClusterReadObjects')!.Resource).toContain(
      'arn:aws:s3:::acme-shared-code/scripts/aggregate.py',
    );
  });
});

describe('an on-demand workflow adding its step to the interactive cluster', () => {
  const r = synth({
    ...BASE,
    data: { ...BASE.data, emr: { cluster: { ...BASE.data.emr.cluster, interactive: true } } },
    orchestration: {
      functions: FUNCTIONS,
      workflow: { steps: [{ ...STEPS[2], cluster: 'interactive' }] },
    },
  });
  const def = definitionOf(r);

  test('the step targets the interactive cluster by id; no cluster is created or terminated', () => {
    expect(def.StartAt).toBe('aggregate');
    expect(def.States.aggregate.Parameters).toMatchObject({ ClusterId: '${aws_emr_cluster.emr.id}' });
    expect(def.States.aggregate.Catch).toEqual([
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'NotifyFailure' },
    ]);
    expect(Object.keys(def.States).sort()).toEqual(['Failed', 'NotifyFailure', 'aggregate']);
  });

  test('the role may add steps to that cluster only, and never create one', () => {
    const s = JSON.parse(r.aws_iam_role_policy.workflow.policy as string).Statement as {
      Sid: string;
      Resource: unknown;
    }[];
    const bySid = Object.fromEntries(s.map((x) => [x.Sid, x.Resource]));
    expect(bySid.RunStepsOnTheInteractiveCluster).toBe('${aws_emr_cluster.emr.arn}');
    expect(bySid.WaitForEmr).toEqual([
      'arn:aws:events:us-east-1:123456789012:rule/StepFunctionsGetEventForEMRAddJobFlowStepsRule',
    ]);
    expect(bySid.CreateClustersForRuns).toBeUndefined();
    expect(bySid.PassTheEmrServiceRole).toBeUndefined();
  });
});

describe('Step Functions workflow on EMR Serverless, starting the training pipeline', () => {
  const r = synth({
    ...MINIMAL,
    goals: {
      kpis: [
        {
          name: 'auc',
          metric: 'classification_metrics.auc.value',
          threshold: 0.85,
          direction: 'higher-is-better',
        },
      ],
    },
    network: NETWORK,
    data: { emr: { mode: 'serverless' } },
    training: {
      algorithm: 'xgboost',
      hyperparameters: { num_round: 200, objective: 'binary:logistic' },
      data: { prefix: 'churn/' },
      code: { s3: 's3://acme-ml-code/demo/' },
      evaluation: { script: 'evaluate.py' },
    },
    orchestration: {
      workflow: {
        steps: [
          { name: 'aggregate', type: 'emr', script: 's3://acme-shared-code/scripts/aggregate.py' },
          { name: 'train', type: 'sagemaker-pipeline', parameters: { InstanceType: 'ml.m5.4xlarge' } },
        ],
      },
    },
  });
  const def = definitionOf(r);

  test('EMR Serverless startJobRun.sync with the job role and encrypted logs in the logs bucket', () => {
    expect(def.States.aggregate).toMatchObject({
      Resource: 'arn:aws:states:::emr-serverless:startJobRun.sync',
      Parameters: {
        ApplicationId: '${aws_emrserverless_application.emr.id}',
        ExecutionRoleArn: '${aws_iam_role.emr_jobs.arn}',
        JobDriver: {
          SparkSubmit: {
            EntryPoint: 's3://acme-shared-code/scripts/aggregate.py',
            EntryPointArguments: [],
          },
        },
        ConfigurationOverrides: {
          MonitoringConfiguration: {
            S3MonitoringConfiguration: {
              LogUri: 's3://${aws_s3_bucket.lake_logs.bucket}/emr/',
              EncryptionKeyArn: KEY,
            },
          },
        },
      },
    });
  });

  test('the training pipeline <pipeline>-training is started by name, and the role may start only it', () => {
    expect(def.States.train).toMatchObject({
      Resource: 'arn:aws:states:::aws-sdk:sagemaker:startPipelineExecution',
      Parameters: {
        PipelineName: 'demo-training',
        PipelineParameters: [{ Name: 'InstanceType', Value: 'ml.m5.4xlarge' }],
      },
    });
    expect(r.aws_sagemaker_pipeline?.training?.pipeline_name).toBe('demo-training');
    const s = JSON.parse(r.aws_iam_role_policy.workflow.policy as string).Statement as {
      Sid: string;
      Resource: unknown;
      Condition?: unknown;
    }[];
    expect(s.find((x) => x.Sid === 'StartTrainingPipeline')!.Resource).toBe(
      'arn:aws:sagemaker:us-east-1:123456789012:pipeline/demo-training',
    );
    expect(s.find((x) => x.Sid === 'PassTheJobRole')).toMatchObject({
      Resource: '${aws_iam_role.emr_jobs.arn}',
      Condition: { StringEquals: { 'iam:PassedToService': 'emr-serverless.amazonaws.com' } },
    });
    expect(r.aws_cloudwatch_event_rule).toBeUndefined();
  });
});
