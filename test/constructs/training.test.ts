import { Testing } from 'cdktf';
import { PipelineStack } from '../../src/constructs/pipeline-stack';
import { leastPrivilegeProblems } from '../../src/constructs/iam/least-privilege';
import type { PolicyStatement } from '../../src/constructs/iam/policy';
import { compileData, MINIMAL } from '../harness/spec';
import { testApp } from '../harness/cdktf-testing';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- synthesized JSON of any depth, read by path
type Json = Record<string, any>;

const BASE = {
  ...MINIMAL,
  goals: {
    problem: 'Predict which customers cancel next month.',
    kpis: [
      {
        name: 'auc',
        metric: 'classification_metrics.auc.value',
        threshold: 0.85,
        direction: 'higher-is-better',
      },
      {
        name: 'logloss',
        metric: 'classification_metrics.logloss.value',
        threshold: 0.4,
        direction: 'lower-is-better',
      },
    ],
  },
  network: { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } },
};
const XGB = {
  algorithm: 'xgboost',
  hyperparameters: { num_round: 200, objective: 'binary:logistic' },
  maxRuntimeSeconds: 7200,
  data: { prefix: 'churn/' },
  code: { s3: 's3://acme-ml-code/demo/' },
  evaluation: { script: 'evaluate.py' },
};
const PYTORCH = {
  ...XGB,
  algorithm: 'pytorch',
  entryPoint: 'train.py',
  hyperparameters: { epochs: 3, optimizer: 'adam' },
};
const KEY = '${aws_kms_key.kms.arn}';
const CHECKPOINTS = 's3://demo-123456789012-us-east-1-checkpoints/demo/training/checkpoints/';
const SUBNETS = [
  '${aws_subnet.network_private_us_east_1a.id}',
  '${aws_subnet.network_private_us_east_1b.id}',
];
const GROUPS = ['${aws_security_group.network_workloads.id}'];

interface Synthesized {
  readonly config: Json;
  readonly resource: Json;
  readonly definition: Json;
  readonly steps: Record<string, Json>;
  readonly policy: PolicyStatement[];
}

function synth(training: object, extra: object = {}, options: { module?: boolean } = {}): Synthesized {
  const stack = new PipelineStack(testApp(), 'demo', compileData({ ...BASE, ...extra, training }), options);
  const config = JSON.parse(Testing.synth(stack));
  const resource = config.resource;
  const text = resource.aws_sagemaker_pipeline.training.pipeline_definition as string;
  const definition = options.module ? {} : JSON.parse(text);
  const steps: Record<string, Json> = {};
  const collect = (list: Json[]) => {
    for (const s of list) {
      steps[s.Name] = s;
      if (s.Type === 'Condition') {
        collect(s.Arguments.IfSteps);
        collect(s.Arguments.ElseSteps);
      }
    }
  };
  collect(definition.Steps ?? []);
  const policy = JSON.parse(resource.aws_iam_role_policy.training.policy).Statement;
  return { config, resource, definition, steps, policy };
}

const hyper = (t: Synthesized) =>
  (t.steps.Train?.Arguments.HyperParameters ??
    t.steps.Tune.Arguments.TrainingJobDefinition.StaticHyperParameters) as Record<string, string>;

describe('TrainingPipeline', () => {
  describe('GIVEN an xgboost pipeline with defaults', () => {
    const t = synth(XGB);
    const train = t.steps.Train.Arguments;

    test('THEN one SageMaker pipeline, one model package group, one role, at stable addresses', () => {
      expect(Object.keys(t.resource.aws_sagemaker_pipeline)).toEqual(['training']);
      expect(t.resource.aws_sagemaker_pipeline.training).toMatchObject({
        pipeline_name: 'demo-training',
        pipeline_display_name: 'demo-training',
        role_arn: '${aws_iam_role.training.arn}',
        depends_on: ['aws_sagemaker_model_package_group.training'],
      });
      expect(t.resource.aws_sagemaker_model_package_group.training).toEqual({
        model_package_group_name: 'demo-models',
        model_package_group_description: 'Predict which customers cancel next month.',
      });
      expect(t.resource.aws_iam_role.training.name).toBe('demo-training');
      expect(JSON.parse(t.resource.aws_iam_role.training.assume_role_policy).Statement[0]).toMatchObject({
        Principal: { Service: ['sagemaker.amazonaws.com'] },
        Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
      });
      expect(t.config.data.aws_sagemaker_prebuilt_ecr_image).toEqual({
        training_image: { repository_name: 'sagemaker-xgboost', image_tag: '1.7-1', region: 'us-east-1' },
      });
    });

    test('THEN outputs name the pipeline, the group and the role', () => {
      expect(t.config.output.training_pipeline_arn.value).toBe('${aws_sagemaker_pipeline.training.arn}');
      expect(t.config.output.model_package_group_name.value).toBe(
        '${aws_sagemaker_model_package_group.training.model_package_group_name}',
      );
      expect(t.config.output.training_role_arn.value).toBe('${aws_iam_role.training.arn}');
    });

    test('THEN the definition: version, parameters and the step graph', () => {
      expect(t.definition.Version).toBe('2020-12-01');
      expect(t.definition.Parameters).toEqual([
        { Name: 'InstanceType', Type: 'String', DefaultValue: 'ml.m5.xlarge', EnumValues: ['ml.m5.xlarge'] },
        {
          Name: 'TrainingDataPrefix',
          Type: 'String',
          DefaultValue: 's3://demo-123456789012-us-east-1-curated/churn/',
        },
      ]);
      expect(t.definition.Steps.map((s: Json) => `${s.Name}:${s.Type}`)).toEqual([
        'Train:Training',
        'Evaluate:Processing',
        'CheckKpis:Condition',
      ]);
      expect(t.steps.CheckKpis.Arguments.IfSteps.map((s: Json) => s.Name)).toEqual(['RegisterModel']);
      expect(t.steps.CheckKpis.Arguments.ElseSteps.map((s: Json) => s.Type)).toEqual(['Fail']);
    });

    test('THEN managed spot with MaxWait >= MaxRuntime, and checkpoints per execution in the checkpoints bucket', () => {
      expect(train.EnableManagedSpotTraining).toBe(true);
      expect(train.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 7200, MaxWaitTimeInSeconds: 14400 });
      expect(train.StoppingCondition.MaxWaitTimeInSeconds).toBeGreaterThanOrEqual(
        train.StoppingCondition.MaxRuntimeInSeconds,
      );
      expect(train.CheckpointConfig).toEqual({
        LocalPath: '/opt/ml/checkpoints',
        S3Uri: {
          'Std:Join': { On: '', Values: [CHECKPOINTS, { Get: 'Execution.PipelineExecutionId' }, '/'] },
        },
      });
    });

    test('THEN volume and output encrypted with the key, isolation, inter-container encryption, private subnets', () => {
      expect(train.ResourceConfig).toEqual({
        InstanceType: { Get: 'Parameters.InstanceType' },
        InstanceCount: 1,
        VolumeSizeInGB: 30,
        VolumeKmsKeyId: KEY,
      });
      expect(train.OutputDataConfig).toEqual({
        S3OutputPath: 's3://demo-123456789012-us-east-1-models/demo/training/artifacts/',
        KmsKeyId: KEY,
      });
      expect(train.EnableNetworkIsolation).toBe(true);
      expect(train.EnableInterContainerTrafficEncryption).toBe(true);
      expect(train.VpcConfig).toEqual({ Subnets: SUBNETS, SecurityGroupIds: GROUPS });
      expect(train.RoleArn).toBe('${aws_iam_role.training.arn}');
    });

    test('THEN built-in hyperparameters as plain text and channels from the data prefix parameter', () => {
      expect(train.HyperParameters).toEqual({ num_round: '200', objective: 'binary:logistic' });
      expect(train.AlgorithmSpecification).toEqual({
        TrainingImage: '${data.aws_sagemaker_prebuilt_ecr_image.training_image.registry_path}',
        TrainingInputMode: 'File',
      });
      expect(train.InputDataConfig.map((c: Json) => [c.ChannelName, c.ContentType])).toEqual([
        ['train', 'text/csv'],
        ['validation', 'text/csv'],
      ]);
      expect(train.InputDataConfig[1].DataSource.S3DataSource).toEqual({
        S3DataType: 'S3Prefix',
        S3DataDistributionType: 'FullyReplicated',
        S3Uri: { 'Std:Join': { On: '', Values: [{ Get: 'Parameters.TrainingDataPrefix' }, 'validation/'] } },
      });
    });

    test('THEN evaluation: the model and test data in, a report out registered as a property file, all encrypted', () => {
      const e = t.steps.Evaluate;
      expect(e.PropertyFiles).toEqual([
        { PropertyFileName: 'EvaluationReport', OutputName: 'evaluation', FilePath: 'evaluation.json' },
      ]);
      expect(e.Arguments.ProcessingResources.ClusterConfig).toEqual({
        InstanceType: 'ml.m5.xlarge',
        InstanceCount: 1,
        VolumeSizeInGB: 30,
        VolumeKmsKeyId: KEY,
      });
      expect(e.Arguments.ProcessingOutputConfig.KmsKeyId).toBe(KEY);
      expect(e.Arguments.ProcessingOutputConfig.Outputs[0].S3Output.S3Uri).toEqual({
        'Std:Join': {
          On: '',
          Values: [
            's3://demo-123456789012-us-east-1-models/demo/training/evaluation/',
            { Get: 'Execution.PipelineExecutionId' },
          ],
        },
      });
      expect(e.Arguments.NetworkConfig).toEqual({
        EnableInterContainerTrafficEncryption: true,
        EnableNetworkIsolation: true,
        VpcConfig: { Subnets: SUBNETS, SecurityGroupIds: GROUPS },
      });
      expect(e.Arguments.AppSpecification.ContainerEntrypoint).toEqual([
        'python3',
        '/opt/ml/processing/input/code/evaluate.py',
      ]);
      const inputs = Object.fromEntries(
        e.Arguments.ProcessingInputs.map((i: Json) => [i.InputName, i.S3Input.S3Uri]),
      );
      expect(inputs).toEqual({
        model: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' },
        test: { 'Std:Join': { On: '', Values: [{ Get: 'Parameters.TrainingDataPrefix' }, 'test/'] } },
        code: 's3://acme-ml-code/demo/evaluate.py',
      });
    });

    test('THEN the KPI gate compares every KPI with its threshold in its direction', () => {
      const report = { Get: 'Steps.Evaluate.PropertyFiles.EvaluationReport' };
      expect(t.steps.CheckKpis.Arguments.Conditions).toEqual([
        {
          Type: 'GreaterThanOrEqualTo',
          LeftValue: { 'Std:JsonGet': { PropertyFile: report, Path: 'classification_metrics.auc.value' } },
          RightValue: 0.85,
        },
        {
          Type: 'LessThanOrEqualTo',
          LeftValue: {
            'Std:JsonGet': { PropertyFile: report, Path: 'classification_metrics.logloss.value' },
          },
          RightValue: 0.4,
        },
      ]);
      const message = t.steps.KpiGateFailed.Arguments.ErrorMessage['Std:Join'].Values[0];
      expect(message).toContain('auc (classification_metrics.auc.value >= 0.85)');
      expect(message).toContain('logloss (classification_metrics.logloss.value <= 0.4)');
    });

    test('THEN registration into <pipeline>-models, pending manual approval, with the evaluation as model quality', () => {
      const r = t.steps.RegisterModel.Arguments;
      expect(r).toMatchObject({
        ModelPackageGroupName: 'demo-models',
        ModelApprovalStatus: 'PendingManualApproval',
        InferenceSpecification: {
          Containers: [
            {
              Image: '${data.aws_sagemaker_prebuilt_ecr_image.training_image.registry_path}',
              ModelDataUrl: { Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts' },
            },
          ],
          SupportedContentTypes: ['text/csv'],
          SupportedResponseMIMETypes: ['text/csv'],
          SupportedRealtimeInferenceInstanceTypes: ['ml.m5.large'],
          SupportedTransformInstanceTypes: ['ml.m5.large'],
        },
      });
      expect(r.ModelMetrics.ModelQuality.Statistics).toEqual({
        ContentType: 'application/json',
        S3Uri: {
          'Std:Join': {
            On: '',
            Values: [
              's3://demo-123456789012-us-east-1-models/demo/training/evaluation/',
              { Get: 'Execution.PipelineExecutionId' },
              '/evaluation.json',
            ],
          },
        },
      });
    });

    test('THEN the role is least-privilege: scoped S3 prefixes, the key, its own jobs and group, itself', () => {
      expect(leastPrivilegeProblems(t.policy)).toEqual([]);
      const bySid = Object.fromEntries(t.policy.map((s) => [s.Sid, s]));
      expect(bySid.ReadDataAndCode.Resource).toEqual([
        'arn:aws:s3:::acme-ml-code/demo/*',
        'arn:aws:s3:::demo-123456789012-us-east-1-curated/churn/*',
      ]);
      expect(bySid.Checkpoints.Resource).toBe(
        'arn:aws:s3:::demo-123456789012-us-east-1-checkpoints/demo/training/checkpoints/*',
      );
      expect(bySid.UsePipelineKey.Resource).toBe(KEY);
      expect(bySid.RunPipelineJobs.Resource).toEqual([
        'arn:aws:sagemaker:us-east-1:123456789012:processing-job/pipelines-*',
        'arn:aws:sagemaker:us-east-1:123456789012:training-job/pipelines-*',
      ]);
      expect(bySid.RunTuningJobs).toBeUndefined();
      expect(bySid.RegisterModels.Resource).toEqual([
        'arn:aws:sagemaker:us-east-1:123456789012:model-package-group/demo-models',
        'arn:aws:sagemaker:us-east-1:123456789012:model-package/demo-models/*',
      ]);
      expect(bySid.PassOwnRoleToJobs).toEqual({
        Sid: 'PassOwnRoleToJobs',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: 'arn:aws:iam::123456789012:role/pipeform/demo-training',
        Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      });
      expect(bySid.JobNetworkInterfacesInPipelineVpc.Condition).toEqual({
        ArnEquals: { 'ec2:Vpc': 'arn:aws:ec2:us-east-1:123456789012:vpc/${aws_vpc.network.id}' },
      });
      expect(bySid.JobMetrics.Condition).toEqual({
        StringLike: { 'cloudwatch:namespace': ['/aws/sagemaker/*'] },
      });
      expect(bySid.PullUserImages).toBeUndefined();
      for (const s of t.policy) {
        const actions = typeof s.Action === 'string' ? [s.Action] : s.Action;
        for (const a of actions) expect(a).not.toMatch(/:\*$|^\*$/);
        if (s.Resource === '*') expect(s.Sid).toMatch(/^(DescribeJobNetwork|JobMetrics|EcrLogin)$/);
      }
    });

    test('THEN the definition is deterministic: keys sorted, same bytes twice', () => {
      const text = t.resource.aws_sagemaker_pipeline.training.pipeline_definition as string;
      expect(text.startsWith('{"Metadata":{},"Parameters":[')).toBe(true);
      expect(synth(XGB).resource.aws_sagemaker_pipeline.training.pipeline_definition).toBe(text);
    });
  });

  describe('GIVEN tuning', () => {
    const t = synth({
      ...XGB,
      hyperparameters: { objective: 'binary:logistic' },
      tuning: {
        objective: { metric: 'validation:auc', direction: 'maximize' },
        strategy: 'random',
        maxJobs: 30,
        maxParallelJobs: 6,
        earlyStopping: 'off',
        ranges: [
          { name: 'num_round', type: 'integer', min: 100, max: 600 },
          { name: 'eta', type: 'continuous', min: 0.01, max: 0.3, scaling: 'logarithmic' },
          { name: 'booster', type: 'categorical', values: ['gbtree', 'dart'] },
        ],
      },
    });
    const tune = t.steps.Tune.Arguments;

    test('THEN a tuning step replaces the training step, with the objective, strategy, limits and ranges', () => {
      expect(t.steps.Train).toBeUndefined();
      expect(tune.HyperParameterTuningJobConfig).toEqual({
        Strategy: 'Random',
        HyperParameterTuningJobObjective: { Type: 'Maximize', MetricName: 'validation:auc' },
        ResourceLimits: { MaxNumberOfTrainingJobs: 30, MaxParallelTrainingJobs: 6 },
        TrainingJobEarlyStoppingType: 'Off',
        ParameterRanges: {
          ContinuousParameterRanges: [
            { Name: 'eta', MinValue: '0.01', MaxValue: '0.3', ScalingType: 'Logarithmic' },
          ],
          IntegerParameterRanges: [
            { Name: 'num_round', MinValue: '100', MaxValue: '600', ScalingType: 'Auto' },
          ],
          CategoricalParameterRanges: [{ Name: 'booster', Values: ['gbtree', 'dart'] }],
        },
      });
      expect(tune.TrainingJobDefinition.StaticHyperParameters).toEqual({ objective: 'binary:logistic' });
    });

    test("THEN the tuning job's training jobs get the same spot, encryption, isolation and VPC settings", () => {
      const d = tune.TrainingJobDefinition;
      expect(d).toMatchObject({
        EnableManagedSpotTraining: true,
        EnableNetworkIsolation: true,
        EnableInterContainerTrafficEncryption: true,
        StoppingCondition: { MaxRuntimeInSeconds: 7200, MaxWaitTimeInSeconds: 14400 },
        OutputDataConfig: { KmsKeyId: KEY },
        ResourceConfig: { VolumeKmsKeyId: KEY },
        VpcConfig: { Subnets: SUBNETS, SecurityGroupIds: GROUPS },
      });
    });

    test('THEN no two trials share a checkpoint location: trials run without one, plain training keeps it', () => {
      // One CheckpointConfig serves every trial the tuning job launches, and a job resumes
      // from whatever is under its S3Uri: parallel trials would resume each other's state.
      expect(tune.TrainingJobDefinition.CheckpointConfig).toBeUndefined();
      expect(tune.TrainingJobDefinition.EnableManagedSpotTraining).toBe(true);
    });

    test('THEN the best model (top job of the tuning step) feeds evaluation and registration', () => {
      const best = {
        'Std:Join': {
          On: '',
          Values: [
            's3://demo-123456789012-us-east-1-models/demo/training/artifacts/',
            { Get: 'Steps.Tune.TrainingJobSummaries[0].TrainingJobName' },
            '/output/model.tar.gz',
          ],
        },
      };
      expect(t.steps.Evaluate.Arguments.ProcessingInputs[0].S3Input.S3Uri).toEqual(best);
      expect(t.steps.RegisterModel.Arguments.InferenceSpecification.Containers[0].ModelDataUrl).toEqual(best);
    });

    test('THEN the role may run tuning jobs', () => {
      const s = t.policy.find((x) => x.Sid === 'RunTuningJobs');
      expect(s?.Resource).toBe('arn:aws:sagemaker:us-east-1:123456789012:hyper-parameter-tuning-job/*');
      expect(s?.Action).toContain('sagemaker:ListTrainingJobsForHyperParameterTuningJob');
    });
  });

  describe('GIVEN script mode (pytorch)', () => {
    test('THEN SDK-encoded hyperparameters, the source archive as the code channel under isolation', () => {
      const t = synth({ ...PYTORCH, instanceType: 'ml.g5.2xlarge' });
      const train = t.steps.Train.Arguments;
      expect(train.HyperParameters).toEqual({
        epochs: '3',
        optimizer: '"adam"',
        sagemaker_program: '"train.py"',
        sagemaker_submit_directory: '"/opt/ml/input/data/code/sourcedir.tar.gz"',
        sagemaker_container_log_level: '20',
        sagemaker_region: '"us-east-1"',
      });
      const code = train.InputDataConfig.find((c: Json) => c.ChannelName === 'code');
      expect(code.DataSource.S3DataSource.S3Uri).toBe('s3://acme-ml-code/demo/sourcedir.tar.gz');
      // Local NVMe storage: SageMaker refuses a volume size or key for it.
      expect(train.ResourceConfig).toEqual({
        InstanceType: { Get: 'Parameters.InstanceType' },
        InstanceCount: 1,
      });
      expect(t.config.data.aws_sagemaker_prebuilt_ecr_image).toEqual({
        training_image: {
          repository_name: 'pytorch-training',
          image_tag: '2.3.0-gpu-py311',
          region: 'us-east-1',
        },
        training_evaluation_image: {
          repository_name: 'pytorch-training',
          image_tag: '2.3.0-cpu-py311',
          region: 'us-east-1',
        },
        training_inference_image: {
          repository_name: 'pytorch-inference',
          image_tag: '2.3.0-cpu-py311',
          region: 'us-east-1',
        },
      });
      expect(t.steps.RegisterModel.Arguments.InferenceSpecification.Containers[0].Environment).toEqual({
        SAGEMAKER_CONTAINER_LOG_LEVEL: '20',
        SAGEMAKER_PROGRAM: 'train.py',
        SAGEMAKER_REGION: 'us-east-1',
        SAGEMAKER_SUBMIT_DIRECTORY: 's3://acme-ml-code/demo/sourcedir.tar.gz',
      });
    });

    test('THEN without isolation the container fetches the archive from S3 itself', () => {
      const train = synth({ ...PYTORCH, networkIsolation: false }).steps.Train.Arguments;
      expect(train.EnableNetworkIsolation).toBe(false);
      expect(train.HyperParameters.sagemaker_submit_directory).toBe(
        '"s3://acme-ml-code/demo/sourcedir.tar.gz"',
      );
      expect(train.InputDataConfig.map((c: Json) => c.ChannelName)).toEqual(['train', 'validation']);
    });
  });

  describe('GIVEN a distributed strategy THEN the distribution block the SageMaker SDK emits', () => {
    const gpu = (instanceType: string, distributed: object, instanceCount = 2) =>
      hyper(synth({ ...PYTORCH, instanceType, instanceCount, distributed }));

    test('data-parallel: smdistributed data parallel on the instance type', () => {
      const h = gpu('ml.p4d.24xlarge', { strategy: 'data-parallel' });
      expect(h).toMatchObject({
        sagemaker_distributed_dataparallel_enabled: 'true',
        sagemaker_distributed_dataparallel_custom_mpi_options: '""',
        sagemaker_instance_type: '"ml.p4d.24xlarge"',
      });
      expect(h.sagemaker_mpi_enabled).toBeUndefined();
    });

    test('model-parallel: MPI with processes per host and mp_parameters', () => {
      const h = gpu('ml.p5.48xlarge', {
        strategy: 'model-parallel',
        modelParallel: { partitions: 2, tensorParallelDegree: 4, microbatches: 8 },
      });
      expect(h).toMatchObject({
        sagemaker_mpi_enabled: 'true',
        sagemaker_mpi_num_of_processes_per_host: '8',
        sagemaker_mpi_custom_mpi_options: '""',
        sagemaker_distributed_dataparallel_enabled: 'false',
        sagemaker_instance_type: '"ml.p5.48xlarge"',
      });
      expect(JSON.parse(h.mp_parameters)).toEqual({
        ddp: true,
        microbatches: 8,
        partitions: 2,
        tensor_parallel_degree: 4,
      });
    });

    test('horovod and mpi: MPI with processes per host and custom options', () => {
      const h = gpu('ml.g5.48xlarge', {
        strategy: 'horovod',
        processesPerHost: 4,
        customMpiOptions: '-x NCCL_DEBUG=INFO',
      });
      expect(h).toMatchObject({
        sagemaker_mpi_enabled: 'true',
        sagemaker_mpi_num_of_processes_per_host: '4',
        sagemaker_mpi_custom_mpi_options: '"-x NCCL_DEBUG=INFO"',
      });
      expect(h.mp_parameters).toBeUndefined();
      expect(gpu('ml.g5.12xlarge', { strategy: 'mpi' }).sagemaker_mpi_num_of_processes_per_host).toBe('4');
    });

    test('the instance count is in the resource config and the instance type is pinned', () => {
      const t = synth({
        ...PYTORCH,
        instanceType: 'ml.p4d.24xlarge',
        instanceCount: 4,
        distributed: { strategy: 'data-parallel' },
      });
      expect(t.steps.Train.Arguments.ResourceConfig.InstanceCount).toBe(4);
      expect(t.definition.Parameters[0]).toEqual({
        Name: 'InstanceType',
        Type: 'String',
        DefaultValue: 'ml.p4d.24xlarge',
        EnumValues: ['ml.p4d.24xlarge'],
      });
    });
  });

  describe('GIVEN preprocessing, your own image and automatic approval', () => {
    const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/ml/lightgbm:4.3.0';
    const t = synth({
      ...XGB,
      algorithm: 'lightgbm',
      image,
      hyperparameters: { num_leaves: 31 },
      metricDefinitions: [{ name: 'validation:auc', regex: 'auc=([0-9.]+)' }],
      processing: { script: 'preprocess.py', input: { prefix: 'exports/' }, instanceType: 'ml.m5.2xlarge' },
      registration: { approval: 'automatic' },
    });

    test('THEN a processing step feeds training and evaluation, writing one folder per execution', () => {
      expect(t.definition.Steps.map((s: Json) => s.Name)).toEqual([
        'Preprocess',
        'Train',
        'Evaluate',
        'CheckKpis',
      ]);
      expect(t.definition.Parameters.map((p: Json) => p.Name)).toEqual(['InstanceType', 'InputDataPrefix']);
      const p = t.steps.Preprocess.Arguments;
      expect(p.ProcessingInputs[0].S3Input.S3Uri).toEqual({ Get: 'Parameters.InputDataPrefix' });
      expect(p.ProcessingOutputConfig.Outputs.map((o: Json) => o.OutputName)).toEqual([
        'train',
        'validation',
        'test',
      ]);
      expect(p.ProcessingOutputConfig.Outputs[0].S3Output.S3Uri).toEqual({
        'Std:Join': {
          On: '',
          Values: [
            's3://demo-123456789012-us-east-1-curated/churn/',
            { Get: 'Execution.PipelineExecutionId' },
            '/train',
          ],
        },
      });
      expect(p.ProcessingResources.ClusterConfig).toMatchObject({
        InstanceType: 'ml.m5.2xlarge',
        VolumeKmsKeyId: KEY,
      });
      expect(p.NetworkConfig.EnableNetworkIsolation).toBe(true);
      expect(t.steps.Train.Arguments.InputDataConfig[0].DataSource.S3DataSource.S3Uri).toEqual({
        Get: "Steps.Preprocess.ProcessingOutputConfig.Outputs['train'].S3Output.S3Uri",
      });
      expect(t.steps.Evaluate.Arguments.ProcessingInputs[1].S3Input.S3Uri).toEqual({
        Get: "Steps.Preprocess.ProcessingOutputConfig.Outputs['test'].S3Output.S3Uri",
      });
    });

    test('THEN your image runs training, with metric definitions, and the role may pull it', () => {
      expect(t.steps.Train.Arguments.AlgorithmSpecification).toEqual({
        TrainingImage: image,
        TrainingInputMode: 'File',
        MetricDefinitions: [{ Name: 'validation:auc', Regex: 'auc=([0-9.]+)' }],
      });
      expect(t.steps.Train.Arguments.HyperParameters).toEqual({ num_leaves: '31' });
      const pull = t.policy.find((s) => s.Sid === 'PullUserImages');
      expect(pull?.Resource).toEqual(['arn:aws:ecr:us-east-1:123456789012:repository/ml/lightgbm']);
      const write = t.policy.find((s) => s.Sid === 'WriteArtifactsAndReports');
      expect(write?.Resource).toContain('arn:aws:s3:::demo-123456789012-us-east-1-curated/churn/*');
      expect(t.policy.find((s) => s.Sid === 'ReadDataAndCode')?.Resource).toContain(
        'arn:aws:s3:::demo-123456789012-us-east-1-raw/exports/*',
      );
    });

    test('THEN packages that pass the gate are approved at once', () => {
      expect(t.steps.RegisterModel.Arguments.ModelApprovalStatus).toBe('Approved');
    });
  });

  describe('GIVEN DeepAR gated on its own metrics (KPIs with source training, no evaluation)', () => {
    const DEEPAR = {
      algorithm: 'deepar',
      hyperparameters: { time_freq: 'D', prediction_length: 14, context_length: 14, epochs: 20 },
      data: { prefix: 'sales/' },
    };
    const goals = {
      goals: {
        kpis: [
          {
            name: 'wql',
            metric: 'test:mean_wQuantileLoss',
            threshold: 0.1,
            direction: 'lower-is-better',
            source: 'training',
          },
          {
            name: 'rmse',
            metric: 'test:RMSE',
            threshold: 12,
            direction: 'lower-is-better',
            source: 'training',
          },
        ],
      },
    };
    const t = synth(DEEPAR, goals);

    test('THEN train -> gate -> register: no evaluation step, no evaluation image', () => {
      expect(t.definition.Steps.map((s: Json) => `${s.Name}:${s.Type}`)).toEqual([
        'Train:Training',
        'CheckKpis:Condition',
      ]);
      expect(Object.keys(t.config.data.aws_sagemaker_prebuilt_ecr_image)).toEqual(['training_image']);
    });

    test("THEN each condition reads the training step's FinalMetricDataList", () => {
      expect(t.steps.CheckKpis.Arguments.Conditions).toEqual([
        {
          Type: 'LessThanOrEqualTo',
          LeftValue: { Get: "Steps.Train.FinalMetricDataList['test:mean_wQuantileLoss'].Value" },
          RightValue: 0.1,
        },
        {
          Type: 'LessThanOrEqualTo',
          LeftValue: { Get: "Steps.Train.FinalMetricDataList['test:RMSE'].Value" },
          RightValue: 12,
        },
      ]);
    });

    test('THEN the version registers without model metrics, and the failure names the step to look at', () => {
      expect(t.steps.RegisterModel.Arguments.ModelMetrics).toBeUndefined();
      expect(t.steps.RegisterModel.Arguments.InferenceSpecification.Containers[0].ModelDataUrl).toEqual({
        Get: 'Steps.Train.ModelArtifacts.S3ModelArtifacts',
      });
      const message = JSON.stringify(t.steps.KpiGateFailed.Arguments.ErrorMessage);
      expect(message).toContain('Metrics: the Train step of execution');
      expect(message).not.toContain('evaluation.json');
    });

    test('THEN the role starts no processing jobs and writes no reports', () => {
      const bySid = Object.fromEntries(t.policy.map((s) => [s.Sid, s]));
      expect(bySid.RunPipelineJobs.Action).not.toContain('sagemaker:CreateProcessingJob');
      expect(bySid.RunPipelineJobs.Resource).toEqual([
        'arn:aws:sagemaker:us-east-1:123456789012:training-job/pipelines-*',
      ]);
      expect(JSON.stringify(bySid.WriteArtifactsAndReports.Resource)).not.toContain('/evaluation/');
      expect(leastPrivilegeProblems(t.policy)).toEqual([]);
    });

    test('THEN with tuning the gate reads the objective metric of the job it registers', () => {
      const tuned = synth(
        {
          ...DEEPAR,
          tuning: {
            objective: { metric: 'test:RMSE', direction: 'minimize' },
            ranges: [{ name: 'learning_rate', type: 'continuous', min: 0.0001, max: 0.1 }],
          },
        },
        { goals: { kpis: [goals.goals.kpis[1]] } },
      );
      expect(tuned.steps.CheckKpis.Arguments.Conditions[0].LeftValue).toEqual({
        Get: 'Steps.Tune.TrainingJobSummaries[0].FinalHyperParameterTuningJobObjectiveMetric.Value',
      });
      expect(
        JSON.stringify(tuned.steps.RegisterModel.Arguments.InferenceSpecification.Containers[0]),
      ).toContain('Steps.Tune.TrainingJobSummaries[0].TrainingJobName');
    });
  });

  test('GIVEN a KPI from the report beside one from the training job THEN each condition reads its own source', () => {
    const t = synth(XGB, {
      goals: {
        kpis: [
          BASE.goals.kpis[0],
          {
            name: 'val-auc',
            metric: 'validation:auc',
            threshold: 0.8,
            direction: 'higher-is-better',
            source: 'training',
          },
        ],
      },
    });
    const [report, own] = t.steps.CheckKpis.Arguments.Conditions;
    expect(report.LeftValue['Std:JsonGet'].Path).toBe('classification_metrics.auc.value');
    expect(own.LeftValue).toEqual({ Get: "Steps.Train.FinalMetricDataList['validation:auc'].Value" });
    expect(t.steps.Evaluate).toBeDefined();
    expect(t.steps.RegisterModel.Arguments.ModelMetrics).toBeDefined();
  });

  describe('GIVEN a base model', () => {
    test('pinned in S3 THEN the model channel, in tuning trials too, and the role reads exactly that object', () => {
      const uri = 's3://acme-models/base/resnet50/model.tar.gz';
      const t = synth({ ...PYTORCH, baseModel: { s3: uri } });
      const model = t.steps.Train.Arguments.InputDataConfig.find((c: Json) => c.ChannelName === 'model');
      expect(model).toEqual({
        ChannelName: 'model',
        ContentType: 'application/x-sagemaker-model',
        InputMode: 'File',
        DataSource: {
          S3DataSource: { S3DataType: 'S3Prefix', S3Uri: uri, S3DataDistributionType: 'FullyReplicated' },
        },
      });
      const bySid = Object.fromEntries(t.policy.map((x) => [x.Sid, x]));
      expect(bySid.ReadBaseModel.Resource).toBe('arn:aws:s3:::acme-models/base/resnet50/model.tar.gz');
      expect(JSON.stringify(t.policy)).toContain('"base/resnet50/model.tar.gz*"');
      expect(leastPrivilegeProblems(t.policy)).toEqual([]);
      const tuned = synth({
        ...PYTORCH,
        baseModel: { s3: uri },
        metricDefinitions: [{ name: 'val:f1', regex: 'f1=([0-9.]+)' }],
        tuning: {
          objective: { metric: 'val:f1', direction: 'maximize' },
          ranges: [{ name: 'lr', type: 'continuous', min: 0.001, max: 0.1 }],
        },
      });
      const channels = tuned.steps.Tune.Arguments.TrainingJobDefinition.InputDataConfig.map(
        (c: Json) => c.ChannelName,
      );
      expect(channels).toContain('model');
    });

    test('the champion THEN a lookup step feeds the model channel, the function reads only this group, the placeholder fills the first run', () => {
      const t = synth({ ...PYTORCH, baseModel: { champion: true } });
      expect(t.definition.Steps.map((x: Json) => `${x.Name}:${x.Type}`)).toEqual([
        'FindChampion:Lambda',
        'Train:Training',
        'Evaluate:Processing',
        'CheckKpis:Condition',
      ]);
      expect(t.steps.FindChampion).toEqual({
        Name: 'FindChampion',
        Type: 'Lambda',
        FunctionArn: '${aws_lambda_function.training_champion.arn}',
        Arguments: {},
        OutputParameters: [{ OutputName: 'ModelDataUrl', OutputType: 'String' }],
      });
      const model = t.steps.Train.Arguments.InputDataConfig.find((c: Json) => c.ChannelName === 'model');
      expect(model.DataSource.S3DataSource.S3Uri).toEqual({
        Get: "Steps.FindChampion.OutputParameters['ModelDataUrl']",
      });
      const fn = Object.values(t.resource.aws_lambda_function as Json)[0] as Json;
      const placeholder = 's3://demo-123456789012-us-east-1-models/demo/training/base-model/none';
      expect(fn).toMatchObject({
        function_name: 'demo-champion',
        handler: 'index.handler',
        runtime: 'python3.12',
        tracing_config: { mode: 'Active' },
        kms_key_arn: KEY,
        environment: { variables: { FALLBACK_URI: placeholder, MODEL_PACKAGE_GROUP: 'demo-models' } },
        vpc_config: { subnet_ids: SUBNETS, security_group_ids: GROUPS },
      });
      const object = Object.values(t.resource.aws_s3_object as Json).find(
        (o: Json) => o.key === 'demo/training/base-model/none',
      ) as Json;
      expect(object).toMatchObject({ server_side_encryption: 'aws:kms', kms_key_id: KEY });
      const bySid = Object.fromEntries(t.policy.map((x) => [x.Sid, x]));
      expect(bySid.LookUpChampion).toEqual({
        Sid: 'LookUpChampion',
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: 'arn:aws:lambda:us-east-1:123456789012:function:demo-champion',
      });
      expect(bySid.ReadBaseModel.Resource).toBe(
        'arn:aws:s3:::demo-123456789012-us-east-1-models/demo/training/base-model/none',
      );
      const roles = t.resource.aws_iam_role_policy as Json;
      const lookup = JSON.parse(
        (Object.entries(roles).find(([k]) => k.includes('champion')) as [string, Json])[1].policy,
      ).Statement as PolicyStatement[];
      expect(lookup.find((x) => x.Sid === 'DescribeVersionsOfTheGroup')?.Resource).toBe(
        'arn:aws:sagemaker:us-east-1:123456789012:model-package/demo-models/*',
      );
      expect(leastPrivilegeProblems(lookup)).toEqual([]);
    });

    test('the champion with s3 THEN the first run fine-tunes that object and no placeholder is written', () => {
      const uri = 's3://acme-models/base/model.tar.gz';
      const t = synth({ ...PYTORCH, baseModel: { champion: true, s3: uri } });
      const fn = Object.values(t.resource.aws_lambda_function as Json)[0] as Json;
      expect(fn.environment.variables.FALLBACK_URI).toBe(uri);
      expect(
        Object.values((t.resource.aws_s3_object ?? {}) as Json).some((o: Json) =>
          String(o.key).includes('base-model'),
        ),
      ).toBe(false);
    });

    test('from the Hugging Face Hub THEN model_name_or_path and model_revision, JSON-encoded for the framework', () => {
      const t = synth(
        {
          ...PYTORCH,
          networkIsolation: false,
          baseModel: { huggingface: 'distilbert-base-uncased', revision: 'main' },
        },
        {
          network: {
            vpc: {
              cidr: '10.0.0.0/16',
              availabilityZones: ['us-east-1a', 'us-east-1b'],
              publicSubnets: true,
              natGateways: 'single',
            },
          },
        },
      );
      expect(hyper(t)).toMatchObject({
        model_name_or_path: '"distilbert-base-uncased"',
        model_revision: '"main"',
      });
      expect(t.steps.Train.Arguments.InputDataConfig.map((c: Json) => c.ChannelName)).not.toContain('model');
    });
  });

  test('GIVEN spot off and checkpoints off THEN no spot settings and no checkpoint config', () => {
    const t = synth({ ...XGB, spot: false, checkpointing: { enabled: false } });
    const train = t.steps.Train.Arguments;
    expect(train.EnableManagedSpotTraining).toBe(false);
    expect(train.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 7200 });
    expect(train.CheckpointConfig).toBeUndefined();
    expect(t.policy.find((s) => s.Sid === 'Checkpoints')).toBeUndefined();
  });

  test('GIVEN a module with an existing network THEN each id is a reference to the module input', () => {
    const t = synth(
      XGB,
      {
        network: {
          existing: {
            vpcId: 'vpc-0abc12345',
            subnetIds: ['subnet-0a1234567', 'subnet-0b1234567'],
            securityGroupIds: ['sg-0a1234567'],
          },
        },
      },
      { module: true },
    );
    const text = t.resource.aws_sagemaker_pipeline.training.pipeline_definition as string;
    expect(text).toContain(
      '"Subnets":["${element(var.private_subnet_ids, 0)}","${element(var.private_subnet_ids, 1)}"]',
    );
    expect(text).toContain('"SecurityGroupIds":["${element(var.security_group_ids, 0)}"]');
  });

  test('GIVEN an existing network in a root configuration THEN its ids are written as they are', () => {
    const t = synth(XGB, {
      network: {
        existing: {
          vpcId: 'vpc-0abc12345',
          subnetIds: ['subnet-0a1234567', 'subnet-0b1234567'],
          securityGroupIds: ['sg-0a1234567'],
        },
      },
    });
    expect(t.steps.Train.Arguments.VpcConfig).toEqual({
      Subnets: ['subnet-0a1234567', 'subnet-0b1234567'],
      SecurityGroupIds: ['sg-0a1234567'],
    });
  });
});
