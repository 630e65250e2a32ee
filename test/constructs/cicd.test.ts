import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { leastPrivilegeProblems } from '../../src/constructs/iam/least-privilege';
import type { PolicyStatement } from '../../src/constructs/iam/policy';
import { PipelineStack } from '../../src/constructs/pipeline-stack';
import { compileData, MINIMAL } from '../harness/spec';
import { initValidatePlan } from '../harness/terraform';
import { testApp } from '../harness/cdktf-testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized JSON of any depth, read by path
type Json = Record<string, any>;

const KEY = '${aws_kms_key.kms.arn}';
const MODELS_ARN = '${aws_s3_bucket.lake_models.arn}';
const BASE = {
  ...MINIMAL,
  goals: {
    kpis: [{ name: 'auc', metric: 'metrics.auc', threshold: 0.8, direction: 'higher-is-better' }],
  },
  network: { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } },
  training: {
    algorithm: 'xgboost',
    hyperparameters: { num_round: 100 },
    data: { prefix: 'churn/' },
    evaluation: { script: 'evaluate.py' },
  },
  serving: {
    endpoints: [
      {
        name: 'scorer',
        variants: [
          { name: 'champion', model: { registry: { version: 3 } }, weight: 90 },
          { name: 'challenger', model: { registry: { version: 'latest-approved' } }, weight: 10 },
        ],
      },
    ],
  },
};
const GIT = { source: { git: { repository: 'acme/churn' } } };

interface Synthesized {
  readonly config: Json;
  readonly resource: Json;
  readonly json: string;
}

function synth(cicd: object, extra: object = {}): Synthesized {
  const stack = new PipelineStack(testApp(), 'demo', compileData({ ...BASE, ...extra, cicd }));
  const json = Testing.synth(stack);
  const config = JSON.parse(json);
  return { config, resource: config.resource, json };
}

const policyOf = (r: Json, name: string): PolicyStatement[] =>
  JSON.parse(r.aws_iam_role_policy[name].policy).Statement;
const trustOf = (r: Json, name: string): PolicyStatement[] =>
  JSON.parse(r.aws_iam_role[name].assume_role_policy).Statement;
const sid = (statements: PolicyStatement[], id: string) => statements.find((s) => s.Sid === id);

describe('CiCd construct', () => {
  describe('GIVEN a Git source, an endpoint serving latest-approved and the defaults', () => {
    const { resource: r, config } = synth({ ...GIT, approval: { notify: ['ml@example.com'] } });
    const pipeline = r.aws_codepipeline.cicd;

    test('THEN a V2 pipeline runs Source, Build, Approval and Deploy, in that order', () => {
      expect(pipeline).toMatchObject({
        name: 'demo-cicd',
        pipeline_type: 'V2',
        role_arn: '${aws_iam_role.cicd.arn}',
      });
      expect(pipeline.stage.map((s: Json) => s.name)).toEqual(['Source', 'Build', 'Approval', 'Deploy']);
      expect(
        pipeline.stage.map((s: Json) => s.action.map((a: Json) => `${a.category}/${a.provider}`)),
      ).toEqual([
        ['Source/CodeStarSourceConnection'],
        ['Build/CodeBuild'],
        ['Approval/Manual'],
        ['Invoke/StepFunctions'],
      ]);
    });

    test('THEN the manual approval gate, notifying the encrypted topic, comes right before the deploy', () => {
      const names = pipeline.stage.map((s: Json) => s.name);
      expect(names.indexOf('Approval')).toBe(names.indexOf('Deploy') - 1);
      const gate = pipeline.stage[2].action[0];
      expect(gate).toMatchObject({
        owner: 'AWS',
        provider: 'Manual',
        timeout_in_minutes: 10080,
        configuration: { NotificationArn: '${aws_sns_topic.cicd_approval.arn}' },
      });
      expect(gate.configuration.CustomData).toContain(
        '#{variables.MODEL_PACKAGE_VERSION} of demo-models to demo-scorer',
      );
      expect(r.aws_sns_topic.cicd_approval).toMatchObject({
        name: 'demo-cicd-approval',
        kms_master_key_id: KEY,
      });
      expect(r.aws_sns_topic_subscription.cicd_approval_email_ml_example_com).toMatchObject({
        topic_arn: '${aws_sns_topic.cicd_approval.arn}',
        protocol: 'email',
        endpoint: 'ml@example.com',
      });
      expect(config.output.cicd_approval_topic_arn.value).toBe('${aws_sns_topic.cicd_approval.arn}');
    });

    test('THEN artifacts live in the models bucket, encrypted with the pipeline key', () => {
      expect(pipeline.artifact_store).toEqual([
        {
          location: '${aws_s3_bucket.lake_models.bucket}',
          type: 'S3',
          encryption_key: { id: KEY, type: 'KMS' },
        },
      ]);
    });

    test('THEN the source is a created connection (PENDING until the handshake) on main', () => {
      expect(r.aws_codestarconnections_connection.cicd_git).toEqual({
        name: 'demo-git',
        provider_type: 'GitHub',
      });
      expect(pipeline.stage[0].action[0]).toMatchObject({
        output_artifacts: ['source'],
        configuration: {
          ConnectionArn: '${aws_codestarconnections_connection.cicd_git.arn}',
          FullRepositoryId: 'acme/churn',
          BranchName: 'main',
          DetectChanges: 'true',
          OutputArtifactFormat: 'CODE_ZIP',
        },
      });
      expect(config.output.cicd_connection_arn.description).toContain('PENDING');
    });

    test('THEN the CodeBuild project encrypts with the key, runs unprivileged and logs to an encrypted group with retention', () => {
      expect(r.aws_codebuild_project.cicd_deploy).toBeUndefined();
      for (const name of ['cicd_build']) {
        const p = r.aws_codebuild_project[name];
        expect(p).toMatchObject({
          encryption_key: KEY,
          source: { type: 'CODEPIPELINE' },
          artifacts: { type: 'CODEPIPELINE' },
          environment: { privileged_mode: false, image_pull_credentials_type: 'CODEBUILD' },
          logs_config: {
            cloudwatch_logs: { status: 'ENABLED', group_name: `\${aws_cloudwatch_log_group.${name}.name}` },
            s3_logs: { status: 'DISABLED' },
          },
          service_role: `\${aws_iam_role.${name}.arn}`,
        });
        expect(r.aws_cloudwatch_log_group[name]).toMatchObject({ kms_key_id: KEY, retention_in_days: 365 });
      }
      expect(r.aws_cloudwatch_log_group.cicd_build.name).toBe('/pipeform/demo/codebuild/build');
    });

    test('THEN the build runs the repository buildspec on the default image with pipeform variables', () => {
      const p = r.aws_codebuild_project.cicd_build;
      expect(p).toMatchObject({
        name: 'demo-build',
        build_timeout: 60,
        source: { buildspec: 'buildspec.yml' },
        environment: {
          compute_type: 'BUILD_GENERAL1_SMALL',
          image: 'aws/codebuild/amazonlinux2-x86_64-standard:5.0',
          type: 'LINUX_CONTAINER',
        },
        cache: { type: 'LOCAL' },
      });
      expect(p.vpc_config).toBeUndefined();
      expect(p.environment.environment_variable.map((v: Json) => v.name)).toEqual([
        'PIPEFORM_CODE_URI',
        'PIPEFORM_MODEL_PACKAGE_GROUP',
        'PIPEFORM_PIPELINE',
        'PIPEFORM_TRAINING_PIPELINE',
      ]);
    });

    test('THEN the Deploy stage runs the serving deploy with the version from the pipeline variable', () => {
      expect(pipeline.variable).toEqual([
        expect.objectContaining({ name: 'MODEL_PACKAGE_VERSION', default_value: 'latest-approved' }),
      ]);
      const action = pipeline.stage[3].action[0];
      expect(action).toMatchObject({
        category: 'Invoke',
        provider: 'StepFunctions',
        configuration: {
          StateMachineArn: '${aws_sfn_state_machine.serving_deploy.arn}',
          InputType: 'Literal',
        },
      });
      expect(JSON.parse(action.configuration.Input)).toEqual({
        endpoints: ['scorer'],
        version: '#{variables.MODEL_PACKAGE_VERSION}',
      });
      // No Terraform variable to copy back: the next apply reads the serving ledger.
      expect(config.variable).toBeUndefined();
      // The endpoint it deploys waits for the manual approval: no direct approval rule for it.
      expect(r.aws_cloudwatch_event_rule.serving_deploy_approved).toBeUndefined();
    });

    test('THEN an approved model package starts the pipeline through EventBridge', () => {
      const rule = r.aws_cloudwatch_event_rule.cicd_model_approved;
      expect(rule.name).toBe('demo-model-approved');
      expect(JSON.parse(rule.event_pattern)).toEqual({
        source: ['aws.sagemaker'],
        'detail-type': ['SageMaker Model Package State Change'],
        detail: { ModelPackageGroupName: ['demo-models'], ModelApprovalStatus: ['Approved'] },
      });
      expect(r.aws_cloudwatch_event_target.cicd_model_approved).toEqual({
        rule: '${aws_cloudwatch_event_rule.cicd_model_approved.name}',
        target_id: 'release-pipeline',
        arn: '${aws_codepipeline.cicd.arn}',
        role_arn: '${aws_iam_role.cicd_model_approved.arn}',
      });
      expect(trustOf(r, 'cicd_model_approved')[0].Principal).toEqual({ Service: ['events.amazonaws.com'] });
      expect(policyOf(r, 'cicd_model_approved')).toEqual([
        {
          Sid: 'StartTheReleasePipeline',
          Effect: 'Allow',
          Action: 'codepipeline:StartPipelineExecution',
          Resource: '${aws_codepipeline.cicd.arn}',
        },
      ]);
    });

    test('THEN each role is trusted by its service only and passes the least-privilege check', () => {
      const services: Record<string, string> = {
        cicd: 'codepipeline.amazonaws.com',
        cicd_build: 'codebuild.amazonaws.com',
        cicd_model_approved: 'events.amazonaws.com',
      };
      for (const [name, service] of Object.entries(services)) {
        expect(trustOf(r, name)[0]).toMatchObject({
          Principal: { Service: [service] },
          Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
        });
        expect(leastPrivilegeProblems(policyOf(r, name))).toEqual([]);
      }
      expect(r.aws_iam_role.cicd.name).toBe('demo-cicd-pipeline');
    });

    test('THEN the pipeline role is scoped to its artifact prefix, the key, its build, the serving deploy, the connection and the topic', () => {
      const s = policyOf(r, 'cicd');
      expect(sid(s, 'ReadWritePipelineArtifacts')?.Resource).toBe(`${MODELS_ARN}/demo-cicd/*`);
      expect(sid(s, 'EncryptArtifacts')?.Resource).toBe(KEY);
      expect(sid(s, 'RunPipelineBuilds')).toMatchObject({
        Action: ['codebuild:BatchGetBuilds', 'codebuild:StartBuild', 'codebuild:StopBuild'],
        Resource: ['${aws_codebuild_project.cicd_build.arn}'],
      });
      expect(sid(s, 'StartServingDeploy')?.Resource).toBe('${aws_sfn_state_machine.serving_deploy.arn}');
      expect(sid(s, 'WatchServingDeploy')?.Resource).toBe(
        'arn:aws:states:us-east-1:123456789012:execution:demo-serving-deploy:*',
      );
      expect(sid(s, 'UseSourceConnection')?.Resource).toBe(
        '${aws_codestarconnections_connection.cicd_git.arn}',
      );
      expect(sid(s, 'NotifyApprovers')).toMatchObject({
        Action: 'sns:Publish',
        Resource: '${aws_sns_topic.cicd_approval.arn}',
      });
    });

    test('THEN the build role writes only its logs, its artifacts, its reports and the training code', () => {
      const s = policyOf(r, 'cicd_build');
      expect(sid(s, 'WriteBuildLogs')?.Resource).toEqual([
        '${aws_cloudwatch_log_group.cicd_build.arn}',
        '${aws_cloudwatch_log_group.cicd_build.arn}:*',
      ]);
      expect(sid(s, 'ReportTestResults')?.Resource).toBe(
        'arn:aws:codebuild:us-east-1:123456789012:report-group/demo-build-*',
      );
      expect(sid(s, 'PublishTrainingCode')?.Resource).toBe(
        'arn:aws:s3:::demo-123456789012-us-east-1-models/demo/code/*',
      );
      expect(s.map((x) => x.Sid)).not.toContain('DescribeBuildNetwork');
    });

    test('THEN the outputs name the pipeline', () => {
      expect(config.output.cicd_pipeline_name.value).toBe('${aws_codepipeline.cicd.name}');
    });
  });

  describe('GIVEN an S3 source, a build in the VPC and no deploy', () => {
    const cicd = {
      source: { s3: { bucket: 'raw', key: 'ci/churn-model.zip' } },
      build: { vpc: true, computeType: 'large', environment: { STAGE: 'ci' } },
      deploy: { enabled: false },
    };
    const { resource: r, config } = synth(cicd);
    const pipeline = r.aws_codepipeline.cicd;

    test('THEN the pipeline only builds and tests: no approval, deploy, topic or trigger', () => {
      expect(pipeline.stage.map((s: Json) => s.name)).toEqual(['Source', 'Build']);
      expect(pipeline.variable).toBeUndefined();
      for (const type of ['aws_sns_topic', 'aws_codestarconnections_connection']) {
        expect(r[type]).toBeUndefined();
      }
      // Without the Deploy stage, the serving deploy starts on approval by itself.
      expect(Object.keys(r.aws_cloudwatch_event_rule)).toEqual(['serving_deploy_approved']);
      expect(Object.keys(r.aws_codebuild_project)).toEqual(['cicd_build']);
      expect(config.output.cicd_approval_topic_arn).toBeUndefined();
    });

    test('THEN the source is the versioned S3 object, polled, and the pipeline role reads only it', () => {
      expect(pipeline.stage[0].action[0]).toMatchObject({
        provider: 'S3',
        configuration: {
          S3Bucket: '${aws_s3_bucket.lake_raw.bucket}',
          S3ObjectKey: 'ci/churn-model.zip',
          PollForSourceChanges: 'true',
        },
      });
      const s = policyOf(r, 'cicd');
      expect(sid(s, 'ReadSourceObject')?.Resource).toBe('${aws_s3_bucket.lake_raw.arn}/ci/churn-model.zip');
      expect(s.map((x) => x.Sid)).not.toContain('UseSourceConnection');
    });

    test('THEN the build runs in the private subnets with network interfaces limited to the VPC', () => {
      expect(r.aws_codebuild_project.cicd_build.vpc_config).toEqual({
        vpc_id: '${aws_vpc.network.id}',
        subnets: [
          '${aws_subnet.network_private_us_east_1a.id}',
          '${aws_subnet.network_private_us_east_1b.id}',
        ],
        security_group_ids: ['${aws_security_group.network_workloads.id}'],
      });
      const s = policyOf(r, 'cicd_build');
      expect(sid(s, 'AuthorizeCodeBuildInterfaces')?.Condition).toEqual({
        StringEquals: { 'ec2:AuthorizedService': 'codebuild.amazonaws.com' },
        ArnEquals: { 'ec2:Vpc': 'arn:aws:ec2:us-east-1:123456789012:vpc/${aws_vpc.network.id}' },
      });
      expect(r.aws_codebuild_project.cicd_build.environment.compute_type).toBe('BUILD_GENERAL1_LARGE');
    });

    test('THEN real Terraform validates and plans it offline without warnings', () => {
      const dir = mkdtempSync(join(tmpdir(), 'pipeform-cicd-'));
      writeFileSync(join(dir, 'main.tf.json'), synth(cicd).json);
      const run = initValidatePlan(dir);
      if (!run.ok) throw new Error(`terraform ${run.step} failed:\n${run.output}`);
      expect(run.checkOutput).not.toMatch(/Warning:/);
    });
  });

  test('GIVEN an existing connection THEN none is created and the pipeline role may use that one', () => {
    const arn =
      'arn:aws:codeconnections:us-east-1:123456789012:connection/0b6f3a52-1d2c-4e5f-8a9b-0c1d2e3f4a5b';
    const { resource: r, config } = synth({
      source: { git: { repository: 'acme/churn', connectionArn: arn } },
    });
    expect(r.aws_codestarconnections_connection).toBeUndefined();
    expect(config.output.cicd_connection_arn).toBeUndefined();
    expect(r.aws_codepipeline.cicd.stage[0].action[0].configuration.ConnectionArn).toBe(arn);
    expect(sid(policyOf(r, 'cicd'), 'UseSourceConnection')).toMatchObject({
      Action: ['codeconnections:UseConnection', 'codestar-connections:UseConnection'],
      Resource: arn,
    });
  });
});
