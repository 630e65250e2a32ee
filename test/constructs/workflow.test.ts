import { join } from 'node:path';
import { Testing } from 'cdktf';
import { PipelineStack } from '../../src/constructs/pipeline-stack';
import { compileData, MINIMAL } from '../harness/spec';

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
  const stack = new PipelineStack(Testing.app(), 'demo', compileData(spec, SPEC_FILE));
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

  test('the steps run in order, then end; every step is retried and caught into the notification', () => {
    expect(def.StartAt).toBe('filter');
    expect(def.States.filter.Next).toBe('clean');
    expect(def.States.clean.Next).toBe('aggregate');
    expect(def.States.aggregate.End).toBe(true);
    for (const s of STEPS)
      expect(def.States[s.name].Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'NotifyFailure' },
      ]);
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
        ClusterId: '${aws_emr_cluster.emr.id}',
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
      expect(refs.length).toBeGreaterThan(0);
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
    expect(bySid.RunEmrSteps).toBe('${aws_emr_cluster.emr.arn}');
    expect(bySid.WaitForEmrSteps).toBe(
      'arn:aws:events:us-east-1:123456789012:rule/StepFunctionsGetEventForEMRAddJobFlowStepsRule',
    );
    expect(bySid.NotifyFailures).toBe('${aws_sns_topic.workflow.arn}');
    expect(JSON.parse(r.aws_iam_role.workflow.assume_role_policy as string).Statement[0].Principal).toEqual({
      Service: ['states.amazonaws.com'],
    });
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
