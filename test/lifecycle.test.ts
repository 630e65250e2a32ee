import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  codeReads,
  EMR_MANAGED_POLICY_TAG,
  lifecycleViolations,
  scheduledStepsOnIdleClusters,
  splitS3,
  unguaranteedModelVersions,
  untaggedEmrSecurityGroups,
  unwrittenCode,
  type TfJson,
} from './harness/lifecycle';
import { configDirs, examples, ROOT } from './harness/spec';

/**
 * Day 0 and day 1 over every example's Terraform: what the first apply reads exists, no
 * model waits on a version only an approval creates, no schedule runs steps on a cluster
 * that is gone, and EMR may use every security group it is given. The checks read the
 * output only (test/harness/lifecycle.ts).
 */
describe.each(examples().flatMap(({ name }) => configDirs(name).map((dir) => ({ config: join(name, dir) }))))(
  'generated/$config',
  ({ config }) => {
    const tf = JSON.parse(readFileSync(join(ROOT, 'generated', config, 'main.tf.json'), 'utf8')) as TfJson;
    test('the first apply and the first run meet every lifecycle rule', () => {
      expect(
        lifecycleViolations(tf).map((v) => `${v.rule}: ${v.address} ${v.attribute}: ${v.detail}`),
      ).toEqual([]);
    });
  },
);

// ---------------------------------------------------------------------------------------
// The checkers, each on a hand-made configuration it must refuse and its repaired twin.

const bucket = (name: string) => ({ bucket: name, force_destroy: false });
const sfn = (definition: object) => ({ definition: JSON.stringify(definition), role_arn: 'arn' });
/** A state machine whose one state is a Task of `resource` (in a Parallel branch when asked). */
const oneTask = (resource: string, parameters: object, inParallel = false) => {
  const task = {
    StartAt: 't',
    States: { t: { Type: 'Task', Resource: resource, Parameters: parameters, End: true } },
  };
  return sfn(
    inParallel ? { StartAt: 'p', States: { p: { Type: 'Parallel', Branches: [task], End: true } } } : task,
  );
};
const CREATE_CLUSTER = 'arn:aws:states:::elasticmapreduce:createCluster.sync';

describe('splitS3', () => {
  test.each([
    ['s3://b/k/x.py', { bucket: 'b', key: 'k/x.py' }],
    ['s3://${aws_s3_bucket.a.bucket}/glue/x.py', { bucket: '${aws_s3_bucket.a.bucket}', key: 'glue/x.py' }],
    [
      's3://${aws_s3_object.o.bucket}/${aws_s3_object.o.key}',
      { bucket: '${aws_s3_object.o.bucket}', key: '${aws_s3_object.o.key}' },
    ],
    ['arn:aws:s3:::b/ci/buildspec.yml', { bucket: 'b', key: 'ci/buildspec.yml' }],
    ['${aws_s3_bucket.a.arn}/emr/certs.zip', { bucket: '${aws_s3_bucket.a.arn}', key: 'emr/certs.zip' }],
    ['s3://b', { bucket: 'b', key: '' }],
  ])('%s', (location, expected) => expect(splitS3(location)).toEqual(expected));
  test('a local path or a repository path is not an S3 location', () => {
    expect(splitS3('ci/buildspec.yml')).toBeUndefined();
    expect(splitS3('${path.module}/assets/fn.zip')).toBeUndefined();
  });
});

describe('rule 1: code read from a bucket the configuration creates is written by it', () => {
  const glue = (script: string): TfJson => ({
    resource: {
      aws_s3_bucket: { lake_artifacts: bucket('acme-artifacts') },
      aws_glue_job: { etl: { command: { name: 'glueetl', script_location: script } } },
    },
  });
  const withObject = (c: TfJson, key: string, bucketRef = '${aws_s3_bucket.lake_artifacts.id}'): TfJson => ({
    ...c,
    resource: { ...c.resource, aws_s3_object: { script: { bucket: bucketRef, key, source: 'x' } } },
  });

  test('a Glue script in a created bucket that nothing uploads fails', () => {
    const v = unwrittenCode(glue('s3://${aws_s3_bucket.lake_artifacts.bucket}/glue/etl.py'));
    expect(v).toEqual([
      expect.objectContaining({ address: 'aws_glue_job.etl', attribute: 'command.script_location' }),
    ]);
  });
  test('the same script named by the literal bucket name fails too', () => {
    expect(unwrittenCode(glue('s3://acme-artifacts/glue/etl.py'))).toHaveLength(1);
  });
  test('an aws_s3_object with that bucket and key satisfies it (by reference or by literal name)', () => {
    const c = glue('s3://${aws_s3_bucket.lake_artifacts.bucket}/glue/etl.py');
    expect(unwrittenCode(withObject(c, 'glue/etl.py'))).toEqual([]);
    expect(unwrittenCode(withObject(c, 'glue/etl.py', 'acme-artifacts'))).toEqual([]);
    expect(
      unwrittenCode(
        withObject(glue('s3://${aws_s3_object.script.bucket}/${aws_s3_object.script.key}'), 'glue/etl.py'),
      ),
    ).toEqual([]);
  });
  test('an object under another key, or in another created bucket, does not', () => {
    const c = glue('s3://${aws_s3_bucket.lake_artifacts.bucket}/glue/etl.py');
    expect(unwrittenCode(withObject(c, 'glue/other.py'))).toHaveLength(1);
    const other = withObject(c, 'glue/etl.py', '${aws_s3_bucket.lake_raw.id}');
    other.resource!.aws_s3_bucket.lake_raw = bucket('acme-raw');
    expect(unwrittenCode(other)).toHaveLength(1);
  });
  test('code in a bucket the configuration does not create is the user’s to provide', () => {
    expect(unwrittenCode(glue('s3://someone-elses-bucket/glue/etl.py'))).toEqual([]);
  });
  test('a code prefix is satisfied by an object under it, a data prefix is no code read at all', () => {
    const pipeline = (uri: string, localPath: string): TfJson => ({
      resource: {
        aws_s3_bucket: { lake_artifacts: bucket('acme-artifacts') },
        aws_sagemaker_pipeline: {
          training: {
            pipeline_definition: JSON.stringify({
              Steps: [
                {
                  Name: 'preprocess',
                  Type: 'Processing',
                  Arguments: {
                    ProcessingInputs: [{ InputName: 'in', S3Input: { S3Uri: uri, LocalPath: localPath } }],
                  },
                },
              ],
            }),
          },
        },
      },
    });
    const code = pipeline('s3://acme-artifacts/code/', '/opt/ml/processing/input/code');
    expect(unwrittenCode(code)).toHaveLength(1);
    expect(unwrittenCode(withObject(code, 'code/preprocess.py'))).toEqual([]);
    expect(codeReads(pipeline('s3://acme-artifacts/raw/', '/opt/ml/processing/input/data'))).toEqual([]);
  });

  test.each([
    [
      'Lambda s3_key',
      {
        aws_lambda_function: {
          fn: { s3_bucket: '${aws_s3_bucket.lake_artifacts.id}', s3_key: 'lambda/fn.zip' },
        },
      },
      'aws_lambda_function.fn',
    ],
    [
      'EMR TLS certificate zip',
      {
        aws_emr_security_configuration: {
          emr: {
            configuration: JSON.stringify({
              EncryptionConfiguration: {
                InTransitEncryptionConfiguration: {
                  TLSCertificateConfiguration: {
                    CertificateProviderType: 'PEM',
                    S3Object: 's3://acme-artifacts/emr/certs.zip',
                  },
                },
              },
            }),
          },
        },
      },
      'aws_emr_security_configuration.emr',
    ],
    [
      'a Spark script in a state machine addStep',
      {
        aws_sfn_state_machine: {
          wf: sfn({
            StartAt: 'spark',
            States: {
              spark: {
                Type: 'Task',
                Resource: 'arn:aws:states:::elasticmapreduce:addStep.sync',
                Parameters: {
                  ClusterId: 'j-1',
                  Step: {
                    HadoopJarStep: {
                      Jar: 'command-runner.jar',
                      Args: ['spark-submit', 's3://acme-artifacts/spark/job.py', 's3://acme-artifacts/data/'],
                    },
                  },
                },
                End: true,
              },
            },
          }),
        },
      },
      'aws_sfn_state_machine.wf',
    ],
    [
      'a bootstrap action in a state machine createCluster, inside a Parallel branch',
      {
        aws_sfn_state_machine: {
          wf: oneTask(
            CREATE_CLUSTER,
            {
              BootstrapActions: [{ ScriptBootstrapAction: { Path: 's3://acme-artifacts/emr/bootstrap.sh' } }],
            },
            true,
          ),
        },
      },
      'aws_sfn_state_machine.wf',
    ],
    [
      'a --py-files list of a spark-submit step',
      {
        aws_emr_cluster: {
          emr: {
            step: [
              {
                hadoop_jar_step: [
                  {
                    jar: 'command-runner.jar',
                    args: ['spark-submit', '--py-files', 's3://acme-artifacts/libs/dep', 'main'],
                  },
                ],
              },
            ],
          },
        },
      },
      'aws_emr_cluster.emr',
    ],
    [
      'a training source archive (sagemaker_submit_directory)',
      {
        aws_sagemaker_pipeline: {
          p: {
            pipeline_definition: JSON.stringify({
              Steps: [
                {
                  Name: 'train',
                  Type: 'Training',
                  Arguments: {
                    HyperParameters: {
                      sagemaker_submit_directory: '"s3://acme-artifacts/code/sourcedir.tar.gz"',
                    },
                  },
                },
              ],
            }),
          },
        },
      },
      'aws_sagemaker_pipeline.p',
    ],
    [
      'a CodeBuild buildspec in S3',
      {
        aws_codebuild_project: {
          build: {
            source: { type: 'CODEPIPELINE', buildspec: 'arn:aws:s3:::acme-artifacts/ci/buildspec.yml' },
          },
        },
      },
      'aws_codebuild_project.build',
    ],
    [
      'a model artifact of an explicitly configured model',
      {
        aws_sagemaker_model: {
          m: { primary_container: { image: 'img', model_data_url: 's3://acme-artifacts/models/m.tar.gz' } },
        },
      },
      'aws_sagemaker_model.m',
    ],
  ])('%s is a code read', (_what, extra, address) => {
    const c: TfJson = { resource: { aws_s3_bucket: { lake_artifacts: bucket('acme-artifacts') }, ...extra } };
    expect(unwrittenCode(c).map((v) => v.address)).toEqual([address]);
  });
  test('a multi-model prefix is data that fills up later, a single model artifact is read at endpoint creation', () => {
    const c = (mode: string): TfJson => ({
      resource: {
        aws_s3_bucket: { lake_models: bucket('acme-models') },
        aws_sagemaker_model: {
          m: { primary_container: { mode, model_data_url: 's3://acme-models/tenants/' } },
        },
      },
    });
    expect(unwrittenCode(c('MultiModel'))).toEqual([]);
    expect(unwrittenCode(c('SingleModel'))).toHaveLength(1);
  });
});

describe('rule 2: no model names a version its own apply cannot guarantee', () => {
  const config = (
    model: Record<string, unknown>,
    extra: TfJson['resource'] = {},
    more: Partial<TfJson> = {},
  ): TfJson => ({
    ...more,
    resource: {
      aws_sagemaker_model_package_group: { registry: { model_package_group_name: 'churn-models' } },
      aws_sagemaker_model: { scorer: model },
      ...extra,
    },
  });
  const arn = 'arn:aws:sagemaker:eu-west-1:123456789012:model-package/churn-models/${var.scorer_version}';

  test('a version of a group the same apply creates fails', () => {
    expect(unguaranteedModelVersions(config({ primary_container: { model_package_name: arn } }))).toEqual([
      expect.objectContaining({
        address: 'aws_sagemaker_model.scorer',
        attribute: 'primary_container.model_package_name',
      }),
    ]);
  });
  test('a pinned version, or a reference to the group resource, fails too', () => {
    expect(
      unguaranteedModelVersions(
        config({ primary_container: { model_package_name: arn.replace('${var.scorer_version}', '3') } }),
      ),
    ).toHaveLength(1);
    expect(
      unguaranteedModelVersions(
        config({
          container: [{ model_package_name: '${aws_sagemaker_model_package_group.registry.arn}/3' }],
        }),
      ),
    ).toHaveLength(1);
  });
  test('a model gated on the deploy ledger passes (directly, or through a local)', () => {
    const data = { data: { aws_ssm_parameters_by_path: { ledger: { path: '/pipeform/churn/deployed/' } } } };
    const direct = {
      count: '${length(data.aws_ssm_parameters_by_path.ledger.names) > 0 ? 1 : 0}',
      primary_container: { model_package_name: arn },
    };
    expect(unguaranteedModelVersions(config(direct, {}, data))).toEqual([]);
    const viaLocal = {
      count: '${local.scorer_deployed ? 1 : 0}',
      primary_container: { model_package_name: arn },
    };
    const locals = {
      locals: { scorer_deployed: '${contains(data.aws_ssm_parameters_by_path.ledger.names, "x")}' },
    };
    expect(unguaranteedModelVersions(config(viaLocal, {}, { ...data, ...locals }))).toEqual([]);
    expect(
      unguaranteedModelVersions(
        config(viaLocal, {}, { ...data, locals: { scorer_deployed: '${var.enabled}' } }),
      ),
    ).toHaveLength(1);
  });
  test('a version of a group another configuration owns is the user’s claim', () => {
    const other = arn.replace('churn-models', 'shared-models');
    expect(unguaranteedModelVersions(config({ primary_container: { model_package_name: other } }))).toEqual(
      [],
    );
  });
});

describe('rule 3: no schedule adds steps to a cluster that terminates on its own', () => {
  const addStep = (clusterId: string) =>
    sfn({
      StartAt: 'spark',
      States: {
        spark: {
          Type: 'Task',
          Resource: 'arn:aws:states:::elasticmapreduce:addStep.sync',
          Parameters: { ClusterId: clusterId, Step: {} },
          End: true,
        },
      },
    });
  const config = (
    cluster: Record<string, unknown>,
    scheduled = true,
    clusterId = '${aws_emr_cluster.emr.id}',
  ): TfJson => ({
    resource: {
      aws_emr_cluster: { emr: cluster },
      aws_sfn_state_machine: { workflow: addStep(clusterId) },
      aws_cloudwatch_event_rule: {
        nightly: scheduled ? { schedule_expression: 'cron(0 3 * * ? *)' } : { event_pattern: '{}' },
      },
      aws_cloudwatch_event_target: {
        nightly: {
          rule: '${aws_cloudwatch_event_rule.nightly.name}',
          arn: '${aws_sfn_state_machine.workflow.arn}',
        },
      },
    },
  });

  test('a scheduled addStep on an idle-terminating cluster fails', () => {
    expect(scheduledStepsOnIdleClusters(config({ auto_termination_policy: { idle_timeout: 1800 } }))).toEqual(
      [
        expect.objectContaining({
          address: 'aws_sfn_state_machine.workflow',
          attribute: 'definition.States.spark.Parameters.ClusterId',
        }),
      ],
    );
  });
  test('a cluster that ends when its steps are done fails too', () => {
    expect(scheduledStepsOnIdleClusters(config({ keep_job_flow_alive_when_no_steps: false }))).toHaveLength(
      1,
    );
  });
  test('an always-on cluster, an unscheduled machine, or a cluster the run creates passes', () => {
    expect(scheduledStepsOnIdleClusters(config({ keep_job_flow_alive_when_no_steps: true }))).toEqual([]);
    expect(
      scheduledStepsOnIdleClusters(config({ auto_termination_policy: { idle_timeout: 1800 } }, false)),
    ).toEqual([]);
    expect(
      scheduledStepsOnIdleClusters(
        config({ auto_termination_policy: { idle_timeout: 1800 } }, true, 'j-created'),
      ),
    ).toEqual([]);
  });
  test('a machine started by a scheduled machine, or by EventBridge Scheduler, counts as scheduled', () => {
    const c = config({ auto_termination_policy: { idle_timeout: 600 } }, false);
    c.resource!.aws_sfn_state_machine.parent = sfn({
      StartAt: 'child',
      States: {
        child: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync:2',
          Parameters: { StateMachineArn: '${aws_sfn_state_machine.workflow.arn}' },
          End: true,
        },
      },
    });
    c.resource!.aws_scheduler_schedule = {
      nightly: { target: { arn: '${aws_sfn_state_machine.parent.arn}' } },
    };
    expect(scheduledStepsOnIdleClusters(c)).toHaveLength(1);
  });
});

describe('rule 4: every security group given to EMR carries the managed-policy tag', () => {
  const config = (tags: object, provider: TfJson['provider'] = { aws: [{}] }): TfJson => ({
    provider,
    resource: {
      aws_security_group: {
        emr_primary: { tags: { [EMR_MANAGED_POLICY_TAG]: 'true' } },
        workloads: { tags },
      },
      aws_emr_cluster: {
        emr: {
          ec2_attributes: {
            emr_managed_master_security_group: '${aws_security_group.emr_primary.id}',
            additional_master_security_groups: '${join(",", [aws_security_group.workloads.id])}',
          },
        },
      },
    },
  });

  test('an additional group without the tag fails', () => {
    expect(untaggedEmrSecurityGroups(config({ Name: 'workloads' }))).toEqual([
      expect.objectContaining({
        address: 'aws_emr_cluster.emr',
        attribute: 'ec2_attributes.additional_master_security_groups',
      }),
    ]);
  });
  test('the tag set to anything but true fails', () => {
    expect(untaggedEmrSecurityGroups(config({ [EMR_MANAGED_POLICY_TAG]: 'false' }))).toHaveLength(1);
  });
  test('the tag on the group, or in the provider default tags, passes', () => {
    expect(untaggedEmrSecurityGroups(config({ [EMR_MANAGED_POLICY_TAG]: 'true' }))).toEqual([]);
    expect(
      untaggedEmrSecurityGroups(
        config({}, { aws: [{ default_tags: [{ tags: { [EMR_MANAGED_POLICY_TAG]: 'true' } }] }] }),
      ),
    ).toEqual([]);
  });
  test('groups a workflow gives to the clusters it creates are checked too', () => {
    const c: TfJson = {
      resource: {
        aws_security_group: { workloads: {} },
        aws_sfn_state_machine: {
          wf: oneTask(CREATE_CLUSTER, {
            Instances: { AdditionalSlaveSecurityGroups: ['${aws_security_group.workloads.id}'] },
          }),
        },
      },
    };
    expect(untaggedEmrSecurityGroups(c)).toEqual([
      expect.objectContaining({
        attribute: 'definition.States.t.Parameters.Instances.AdditionalSlaveSecurityGroups',
      }),
    ]);
  });
});
