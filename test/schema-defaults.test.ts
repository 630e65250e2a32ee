import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileSpec } from '../src/compiler';
import type { ResolvedSpec } from '../src/model/resolved';
import { DEFAULTS as TRAINING_DEFAULTS } from '../src/areas/training/catalog';
import { MONITOR_SCHEDULES } from '../src/areas/monitoring/catalog';
import { EDGE_RUNTIMES } from '../src/compiler/normalize/serving';
import { resolveTrainingCode } from '../src/compiler/normalize/training';
import { schemaDefault, schemaDefaults, schemaPointer } from '../src/spec/schema';
import { compileData, MINIMAL } from './harness/spec';

/**
 * Every `default` the schema documents is accounted for here: either a minimal spec that
 * omits it resolves to that value (APPLIED), or the area's catalog holds it where no resolved
 * value shows it (CATALOG), or another test covers it (ELSEWHERE). A default added to the
 * schema in none of the three fails the test, so no default goes unchecked.
 *
 * Keys name a default by its definition and property path: `servingAutoscaling.scaleInCooldownSeconds`
 * is `#/definitions/servingAutoscaling/properties/scaleInCooldownSeconds`.
 */
const pointerOf = (key: string): string => `#/definitions/${key.split('.').join('/properties/')}`;

const NETWORK = { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } };
const REGISTRY = { registry: { version: 3 } };
const GOALS = {
  problem: 'Predict churn.',
  kpis: [{ name: 'auc', metric: 'metrics.auc', threshold: 0.8, direction: 'higher-is-better' }],
};
const CICD_GOALS = {
  kpis: [{ name: 'auc', metric: 'metrics.auc', threshold: 0.8, direction: 'higher-is-better' }],
};
const CICD_TRAINING = {
  algorithm: 'xgboost',
  hyperparameters: { num_round: 100 },
  data: { prefix: 'churn/' },
  evaluation: { script: 'evaluate.py' },
};

/** Minimal specs that leave the defaults under test unset, compiled once each. */
const specs = {
  minimal: () => compileData(MINIMAL),
  training: () =>
    compileData(
      {
        ...MINIMAL,
        network: NETWORK,
        goals: GOALS,
        training: {
          algorithm: 'xgboost',
          hyperparameters: { num_round: 100 },
          data: { prefix: 'd/' },
          code: { s3: 's3://acme-ml-code/demo/' },
          processing: { script: 'prep/preprocess.py', input: { prefix: 'in/' } },
          evaluation: { script: 'evaluate.py' },
          tuning: {
            objective: { metric: 'validation:auc', direction: 'maximize' },
            ranges: [{ name: 'eta', type: 'continuous', min: 0.1, max: 0.5 }],
          },
        },
      },
      // Beside test/fixtures/training-code, where the scripts are.
      join('test', 'fixtures', 'training-code', 'pipeline.yaml'),
    ),
  serving: () =>
    compileData({
      ...MINIMAL,
      network: NETWORK,
      security: { waf: {} },
      serving: {
        endpoints: [
          { name: 'scorer', model: REGISTRY, shadow: { name: 'next', model: REGISTRY }, public: {} },
          { name: 'lite', type: 'serverless', model: REGISTRY },
          { name: 'queue', type: 'async', model: REGISTRY },
        ],
        edge: {},
      },
    }),
  emrCluster: () =>
    compileData({
      ...MINIMAL,
      network: NETWORK,
      data: { emr: { cluster: { interactive: true, tlsCertificates: 's3://acme-pki/emr/certs.zip' } } },
    }),
  emrServerless: () => compileData({ ...MINIMAL, network: NETWORK, data: { emr: { mode: 'serverless' } } }),
  // A network, a firewall, an S3 state backend and Glue, each with only what is required.
  platform: () =>
    compileData({
      ...MINIMAL,
      network: NETWORK,
      security: { waf: {} },
      state: { backend: 's3', s3: { bucket: 'acme-tf-state' } },
      data: {
        glue: {
          databases: [{ name: 'lake' }],
          crawlers: [{ name: 'events', database: 'lake', targets: [{ bucket: 'raw', prefix: 'events/' }] }],
          jobs: [{ name: 'clean', script: 's3://acme-shared-code/scripts/clean.py' }],
          workflows: [{ name: 'nightly', stages: [{ name: 'clean', jobs: ['clean'] }] }],
        },
      },
    }),
  // A monitored endpoint with nothing but its name.
  monitoring: () =>
    compileData({
      ...MINIMAL,
      network: NETWORK,
      serving: { endpoints: [{ name: 'scorer', model: REGISTRY }] },
      monitoring: { endpoints: [{ name: 'scorer' }] },
    }),
  // A workflow that crawls: a crawler step with nothing but its crawler.
  crawl: () =>
    compileData({
      ...MINIMAL,
      network: NETWORK,
      data: {
        glue: {
          databases: [{ name: 'lake' }],
          crawlers: [{ name: 'events', database: 'lake', targets: [{ bucket: 'raw', prefix: 'events/' }] }],
        },
      },
      orchestration: { workflow: { steps: [{ name: 'crawl', type: 'glue-crawler', crawler: 'events' }] } },
    }),
  // A cluster definition must be used: here by a workflow step, so `interactive` can stay unset.
  emrWorkflow: () =>
    compileData({
      ...MINIMAL,
      network: NETWORK,
      data: { emr: { cluster: { inTransitEncryption: false } } },
      orchestration: {
        workflow: { steps: [{ name: 'load', type: 'emr', script: 's3://acme-sparkjobs/load.py' }] },
      },
    }),
  // Functions and a workflow, each with only what is required (a trigger and a read location too).
  functions: () =>
    compileData({
      ...MINIMAL,
      orchestration: {
        functions: [
          {
            name: 'ingest',
            handler: 'app.handler',
            code: { s3: 's3://acme-code/ingest.zip' },
            triggers: [{ bucket: 'raw' }],
            reads: [{ bucket: 'curated' }],
          },
        ],
        workflow: { steps: [{ name: 'run', type: 'lambda', function: 'ingest' }] },
      },
    }),
  features: () =>
    compileData({
      ...MINIMAL,
      features: {
        groups: [
          {
            name: 'customers',
            recordId: 'id',
            eventTime: 'ts',
            features: [
              { name: 'id', type: 'string' },
              { name: 'ts', type: 'string' },
            ],
          },
        ],
      },
    }),
  // Serving features the `serving` spec leaves out: a lake artifact, a canary, a scaling
  // schedule and an edge model.
  servingMore: () =>
    compileData({
      ...MINIMAL,
      network: NETWORK,
      serving: {
        endpoints: [
          {
            name: 'archive',
            model: {
              artifact: { key: 'models/model.tar.gz' },
              builtinImage: { framework: 'xgboost', version: '1.7-1' },
            },
            deployment: { strategy: 'canary' },
            autoscaling: { schedules: [{ name: 'night', schedule: 'cron(0 20 * * ? *)', minInstances: 1 }] },
          },
        ],
        edge: { models: [{ name: 'detector', version: '1.0.0', artifact: { key: 'edge/detector.tar.gz' } }] },
      },
    }),
  // Framework (script-mode) training from the lake, model parallel, from a pinned base model.
  framework: () =>
    compileData(
      {
        ...MINIMAL,
        network: NETWORK,
        goals: GOALS,
        training: {
          algorithm: 'pytorch',
          entryPoint: 'train.py',
          instanceType: 'ml.p4d.24xlarge',
          data: { prefix: 'd/' },
          code: { directory: '.' },
          distributed: { strategy: 'model-parallel' },
          baseModel: { s3: 's3://acme-models/base/model.tar.gz' },
          evaluation: { script: 'evaluate.py' },
        },
      },
      join('test', 'fixtures', 'training-code', 'pipeline.yaml'),
    ),
  // Monitoring with every optional job: drift, model quality, bias, retraining on a custom KPI,
  // and an endpoint without auto-rollback on GPUs (so its error and GPU alarms are pipeform's).
  monitoringFull: () =>
    compileData({
      ...MINIMAL,
      network: NETWORK,
      goals: GOALS,
      training: {
        algorithm: 'xgboost',
        hyperparameters: { num_round: 100 },
        data: { prefix: 'd/' },
        code: { s3: 's3://acme-ml-code/demo/' },
        evaluation: { script: 'evaluate.py' },
      },
      serving: {
        endpoints: [
          { name: 'scorer', model: REGISTRY },
          {
            name: 'vision',
            variants: [{ name: 'gpu', model: REGISTRY, instanceType: 'ml.g5.xlarge' }],
            deployment: { autoRollback: { enabled: false } },
          },
        ],
      },
      monitoring: {
        endpoints: [
          {
            name: 'scorer',
            dataQuality: { driftFeatures: ['amount'] },
            modelQuality: { problemType: 'binary-classification', groundTruth: { bucket: 'curated' } },
            bias: { groundTruth: { bucket: 'curated' }, probabilityAttribute: '0' },
            explainability: {},
          },
        ],
        retraining: { kpis: [{ kpi: 'auc', custom: { namespace: 'Acme', name: 'Auc' } }] },
      },
    }),
  // An existing network with only its ids, and a created VPC that derives no endpoints.
  existingNetwork: () =>
    compileData({
      ...MINIMAL,
      network: {
        existing: {
          vpcId: 'vpc-0123456789abcdef0',
          subnetIds: ['subnet-0123456789abcdef0'],
          securityGroupIds: ['sg-0123456789abcdef0'],
        },
      },
    }),
  underived: () => compileData({ ...MINIMAL, network: { ...NETWORK, endpoints: { derive: false } } }),
  // A Studio domain with one user; notebook instances (one kind per spec) with nothing but a name.
  notebooksDomain: () =>
    compileData({ ...MINIMAL, network: NETWORK, notebooks: { domain: { users: [{ name: 'ana' }] } } }),
  notebooksInstance: () =>
    compileData({ ...MINIMAL, network: NETWORK, notebooks: { instances: [{ name: 'lab' }] } }),
  // A training pipeline (so registration could apply) beside an MLflow server with no settings.
  tracking: () =>
    compileData({
      ...MINIMAL,
      network: { vpc: { ...NETWORK.vpc, publicSubnets: true, natGateways: 'single' } },
      goals: CICD_GOALS,
      training: { ...CICD_TRAINING, code: { s3: 's3://acme-code/churn/' }, networkIsolation: false },
      tracking: { mlflow: {} },
    }),
  // A cluster with one node group and one job, each with only what is required.
  eks: () =>
    compileData({
      ...MINIMAL,
      network: { vpc: { ...NETWORK.vpc, publicSubnets: true, natGateways: 'single' } },
      training: {
        eks: {
          version: '1.32',
          admins: ['arn:aws:iam::123456789012:role/admin'],
          nodeGroups: [
            { name: 'train', instanceTypes: ['p5.48xlarge', 'p5e.48xlarge'], scaling: { maxSize: 2 } },
            // CoreDNS needs an untainted group that does not scale to zero.
            {
              name: 'system',
              instanceTypes: ['m7i.large', 'm6i.large'],
              scaling: { minSize: 1, maxSize: 3 },
            },
          ],
          jobs: [
            {
              name: 'ft',
              nodeGroup: 'train',
              image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/ft:1',
              entryPoint: 'train.py',
            },
          ],
        },
      },
    }),
  // CI/CD from a Git repository, with a registry endpoint for the Deploy stage to move.
  cicd: () =>
    compileData({
      ...MINIMAL,
      network: NETWORK,
      goals: CICD_GOALS,
      training: CICD_TRAINING,
      serving: { endpoints: [{ name: 'scorer', model: { registry: { version: 'latest-approved' } } }] },
      cicd: { source: { git: { repository: 'acme/churn' } } },
    }),
  // Promotion from dev to prod with neither approval setting: prod's resolved spec.
  promotion: () => {
    const text = JSON.stringify({
      ...MINIMAL,
      network: NETWORK,
      goals: CICD_GOALS,
      training: { ...CICD_TRAINING, code: { s3: 's3://acme-code/churn/' } },
      serving: { endpoints: [{ name: 'scorer', model: { registry: { version: 'latest-approved' } } }] },
      environments: { dev: {}, prod: { account: '222222222222' } },
      promotion: { owner: 'dev', serve: ['dev', 'prod'] },
    });
    const prod = compileSpec('pipeline.yaml', Buffer.from(text)).environments.find(
      (e) => e.environment === 'prod',
    );
    return need(prod, 'environment prod').resolved;
  },
};
type SpecName = keyof typeof specs;
const compiled = new Map<SpecName, ResolvedSpec>();
const resolved = (name: SpecName): ResolvedSpec => {
  if (!compiled.has(name)) compiled.set(name, specs[name]());
  return compiled.get(name)!;
};

const need = <T>(value: T | undefined, what: string): T => {
  if (value === undefined) throw new Error(`${what} is not resolved`);
  return value;
};
const training = (r: ResolvedSpec) => need(r.training, 'training');
const endpoint = (r: ResolvedSpec, name: string) =>
  need(
    r.serving?.endpoints.find((e) => e.name === name),
    `endpoint ${name}`,
  );
const bucket = (r: ResolvedSpec, name: string) =>
  need(
    r.storage.buckets.find((b) => b.name === name),
    `bucket ${name}`,
  );
const emr = (r: ResolvedSpec) => need(r.data?.emr, 'data.emr');
const cluster = (r: ResolvedSpec) => need(emr(r).cluster, 'data.emr.cluster');
const serverless = (r: ResolvedSpec) => need(emr(r).serverless, 'data.emr.serverless');
/** The network pipeform creates (a `network.vpc` spec). */
const created = (r: ResolvedSpec) => {
  const n = need(r.network, 'network');
  if (n.mode !== 'create') throw new Error('the network is not created');
  return n;
};
const glue = (r: ResolvedSpec) => need(r.data?.glue, 'data.glue');
/** The network of an `existing` spec. */
const existing = (r: ResolvedSpec) => {
  const n = need(r.network, 'network');
  if (n.mode !== 'existing') throw new Error('the network is not an existing one');
  return n;
};
const domain = (r: ResolvedSpec) => need(r.notebooks?.domain, 'notebooks.domain');
const notebook = (r: ResolvedSpec) => need(r.notebooks?.instances[0], 'notebooks.instances[0]');
const mlflow = (r: ResolvedSpec) => need(r.tracking?.mlflow, 'tracking.mlflow');
const eks = (r: ResolvedSpec) => need(r.eks, 'eks');
const nodeGroup = (r: ResolvedSpec) =>
  need(
    eks(r).nodeGroups.find((g) => g.name === 'train'),
    'node group train',
  );
const eksJob = (r: ResolvedSpec) => need(eks(r).jobs[0], 'eks.jobs[0]');
const cicd = (r: ResolvedSpec) => need(r.cicd, 'cicd');
const gitSource = (r: ResolvedSpec) => {
  const source = cicd(r).source;
  if (source.kind !== 'git') throw new Error('the cicd source is not git');
  return source;
};
const promotionGate = (r: ResolvedSpec) => r.promotion?.source?.gate;
/** The API's `UPDATE_IN_DATABASE` is the spec's `update-in-database`. */
const specEnum = (api: string) => api.toLowerCase().replace(/_/g, '-');
const monitoring = (r: ResolvedSpec) => need(r.monitoring, 'monitoring');
const monitor = (r: ResolvedSpec) => need(monitoring(r).monitors?.[0], 'monitors[0]');
const alarms = (r: ResolvedSpec) => need(monitoring(r).endpointAlarms?.[0], 'endpointAlarms[0]');
/** The spec's schedule name (`hourly`, `daily`) of a Model Monitor schedule expression. */
const scheduleOf = (expression: string | undefined) =>
  Object.entries(MONITOR_SCHEDULES).find(([, s]) => s.expression === expression)?.[0];
/** A resolved bucket name's standard bucket (`demo-123456789012-us-east-1-models` -> `models`). */
const standardBucket = (bucketName: string) => bucketName.replace(/^demo-123456789012-us-east-1-/, '');

/** The `functions` spec's function, resolved. */
const fn = (r: ResolvedSpec) => need(r.orchestration?.functions[0], 'orchestration.functions[0]');
const workflow = (r: ResolvedSpec) => need(r.orchestration?.workflow, 'orchestration.workflow');
const group = (r: ResolvedSpec) => need(r.features?.groups[0], 'features.groups[0]');
/** The spec's trigger event (`created`) of an S3 event type (`s3:ObjectCreated:*`). */
const triggerEvent = (s3Event: string) => (s3Event === 's3:ObjectCreated:*' ? 'created' : s3Event);
/** The model-parallel distribution of the `framework` spec. */
function modelParallel(r: ResolvedSpec) {
  const d = training(r).distribution;
  if (d?.strategy !== 'model-parallel') throw new Error('the framework spec is not model parallel');
  return d;
}
/** The endpoint alarms of an endpoint, resolved. */
const alarmsOf = (r: ResolvedSpec, name: string) =>
  need(
    monitoring(r).endpointAlarms.find((a) => a.endpoint === name),
    `alarms of ${name}`,
  );
const modelQuality = (r: ResolvedSpec) => need(monitor(r).modelQuality, 'modelQuality');
const bias = (r: ResolvedSpec) => need(monitor(r).bias, 'bias');
const explainability = (r: ResolvedSpec) => need(monitor(r).explainability, 'explainability');
const retraining = (r: ResolvedSpec) => need(monitoring(r).retraining, 'retraining');
/** Hours of an ISO 8601 offset before now (`-PT25H` is 25). */
const offsetHours = (offset: string) => Number(/^-PT(\d+)H$/.exec(offset)?.[1]);
/** The edge runtime (`dlr`) of a resolved runtime component. */
const edgeRuntime = (component: string) =>
  Object.entries(EDGE_RUNTIMES).find(([, c]) => c.component === component)?.[0];

/** Where the resolved value of each default is, in the output of one of the specs above. */
/** The crawler step of the `crawl` spec, resolved. */
function crawlStep(r: ResolvedSpec): { pollSeconds: number; maxPolls: number } {
  const target = r.orchestration?.workflow?.steps[0]?.target;
  if (target?.type !== 'glue-crawler') throw new Error('the crawl spec has no crawler step');
  return target;
}

const APPLIED: Readonly<Record<string, readonly [SpecName, (r: ResolvedSpec) => unknown]>> = {
  // training
  'training.instanceType': ['training', (r) => training(r).instance.type],
  'training.instanceCount': ['training', (r) => training(r).instanceCount],
  'training.volumeSizeGb': ['training', (r) => training(r).volumeSizeGb],
  'training.maxRuntimeSeconds': ['training', (r) => training(r).maxRuntimeSeconds],
  // Spot on: the job gets a spot section (its wait bound); off, it has none.
  'training.spot': ['training', (r) => training(r).spot !== undefined],
  'training.networkIsolation': ['training', (r) => training(r).networkIsolation],
  'training.interContainerEncryption': ['training', (r) => training(r).interContainerEncryption],
  'trainingCheckpointing.enabled': ['training', (r) => training(r).checkpoints !== undefined],
  'trainingCheckpointing.localPath': ['training', (r) => training(r).checkpoints?.localPath],
  'trainingData.bucket': ['training', (r) => standardBucket(training(r).data.bucketName)],
  'trainingData.inputMode': ['training', (r) => training(r).data.inputMode],
  'trainingData.sharded': ['training', (r) => training(r).channels[0].sharded],
  'trainingProcessingInput.bucket': [
    'training',
    (r) => standardBucket(need(training(r).preprocessing, 'preprocessing').input.bucketName),
  ],
  'trainingProcessing.instanceType': ['training', (r) => training(r).preprocessing?.instance.type],
  'trainingProcessing.instanceCount': ['training', (r) => training(r).preprocessing?.instanceCount],
  'trainingProcessing.volumeSizeGb': ['training', (r) => training(r).preprocessing?.volumeSizeGb],
  'trainingProcessing.maxRuntimeSeconds': ['training', (r) => training(r).preprocessing?.maxRuntimeSeconds],
  'trainingEvaluation.instanceType': ['training', (r) => training(r).evaluation?.instance.type],
  'trainingEvaluation.instanceCount': ['training', (r) => training(r).evaluation?.instanceCount],
  'trainingEvaluation.volumeSizeGb': ['training', (r) => training(r).evaluation?.volumeSizeGb],
  'trainingEvaluation.maxRuntimeSeconds': ['training', (r) => training(r).evaluation?.maxRuntimeSeconds],
  // The API spells the enums in PascalCase (Bayesian, Auto); the spec in lower case.
  'trainingTuning.strategy': ['training', (r) => training(r).tuning?.strategy.toLowerCase()],
  'trainingTuning.maxJobs': ['training', (r) => training(r).tuning?.maxJobs],
  'trainingTuning.maxParallelJobs': ['training', (r) => training(r).tuning?.maxParallelJobs],
  'trainingTuning.earlyStopping': ['training', (r) => training(r).tuning?.earlyStopping.toLowerCase()],
  'trainingParameterRange.scaling': ['training', (r) => rangeScaling(r)],
  'trainingRegistration.approval': [
    'training',
    (r) => (training(r).registration.approvalStatus === 'PendingManualApproval' ? 'manual' : 'auto'),
  ],
  'trainingRegistration.inferenceInstanceTypes': [
    'training',
    (r) => training(r).registration.inferenceInstanceTypes,
  ],
  'trainingRegistration.transformInstanceTypes': [
    'training',
    (r) => training(r).registration.transformInstanceTypes,
  ],
  'training.sourceArchive': [
    'framework',
    (r) => {
      const archive = training(r).scriptMode?.sourceArchive;
      return archive?.kind === 'asset' ? archive.asset.fileName : undefined;
    },
  ],
  'trainingBaseModel.champion': ['framework', (r) => training(r).baseModel?.kind === 'champion'],
  'trainingModelParallel.partitions': ['framework', (r) => modelParallel(r).partitions],
  'trainingModelParallel.tensorParallelDegree': ['framework', (r) => modelParallel(r).tensorParallelDegree],
  'trainingModelParallel.microbatches': ['framework', (r) => modelParallel(r).microbatches],
  'trainingModelParallel.ddp': ['framework', (r) => modelParallel(r).ddp],
  'kpi.source': ['training', (r) => training(r).kpis[0].source],
  // serving
  'servingEndpoint.type': ['serving', (r) => endpoint(r, 'scorer').type],
  'servingEndpoint.networkIsolation': ['serving', (r) => endpoint(r, 'scorer').networkIsolation],
  'servingVariant.instanceType': ['serving', (r) => endpoint(r, 'scorer').variants[0].instanceType],
  'servingVariant.instanceCount': ['serving', (r) => endpoint(r, 'scorer').variants[0].instanceCount],
  'servingVariant.weight': ['serving', (r) => endpoint(r, 'scorer').variants[0].weight],
  'servingShadow.instanceType': ['serving', (r) => endpoint(r, 'scorer').shadow?.instanceType],
  'servingShadow.instanceCount': ['serving', (r) => endpoint(r, 'scorer').shadow?.instanceCount],
  // The shadow's weight is its sampling share of the first variant's weight.
  'servingShadow.samplingPercent': [
    'serving',
    (r) =>
      (need(endpoint(r, 'scorer').shadow, 'shadow').weight / endpoint(r, 'scorer').variants[0].weight) * 100,
  ],
  'servingServerless.memoryMb': ['serving', (r) => endpoint(r, 'lite').serverless?.memoryMb],
  'servingServerless.maxConcurrency': ['serving', (r) => endpoint(r, 'lite').serverless?.maxConcurrency],
  'servingAsync.bucket': ['serving', (r) => endpoint(r, 'queue').async?.bucket],
  'servingDataCapture.samplingPercent': [
    'serving',
    (r) => endpoint(r, 'scorer').dataCapture?.samplingPercent,
  ],
  'servingDataCapture.capture': ['serving', (r) => captureOf(r)],
  'servingDeployment.strategy': ['serving', (r) => endpoint(r, 'scorer').deployment?.strategy],
  'servingDeployment.waitSeconds': ['serving', (r) => endpoint(r, 'scorer').deployment?.waitSeconds],
  'servingDeployment.terminationWaitSeconds': [
    'serving',
    (r) => endpoint(r, 'scorer').deployment?.terminationWaitSeconds,
  ],
  'servingAutoRollback.enabled': [
    'serving',
    (r) => endpoint(r, 'scorer').deployment?.autoRollback !== undefined,
  ],
  'servingAutoRollback.maxServerErrorsPerMinute': [
    'serving',
    (r) => endpoint(r, 'scorer').deployment?.autoRollback?.maxServerErrorsPerMinute,
  ],
  'servingAutoRollback.maxClientErrorsPerMinute': [
    'serving',
    (r) => endpoint(r, 'scorer').deployment?.autoRollback?.maxClientErrorsPerMinute,
  ],
  'servingAutoRollback.maxLatencyP99Ms': [
    'serving',
    (r) => endpoint(r, 'scorer').deployment?.autoRollback?.maxLatencyP99Ms,
  ],
  'servingAutoscaling.targetInvocationsPerInstance': [
    'serving',
    (r) => endpoint(r, 'scorer').autoscaling?.target,
  ],
  'servingAutoscaling.targetBacklogPerInstance': ['serving', (r) => endpoint(r, 'queue').autoscaling?.target],
  'servingAutoscaling.scaleInCooldownSeconds': [
    'serving',
    (r) => endpoint(r, 'scorer').autoscaling?.scaleInCooldownSeconds,
  ],
  'servingAutoscaling.scaleOutCooldownSeconds': [
    'serving',
    (r) => endpoint(r, 'scorer').autoscaling?.scaleOutCooldownSeconds,
  ],
  'servingPublic.stageName': ['serving', (r) => endpoint(r, 'scorer').public?.stageName],
  'servingPublic.throttleRateLimit': ['serving', (r) => endpoint(r, 'scorer').public?.throttleRateLimit],
  'servingPublic.throttleBurstLimit': ['serving', (r) => endpoint(r, 'scorer').public?.throttleBurstLimit],
  'servingPublic.tracing': ['serving', (r) => endpoint(r, 'scorer').public?.tracing],
  'servingEdge.name': ['serving', (r) => r.serving?.edge?.name],
  'servingEdge.credentialDurationSeconds': ['serving', (r) => r.serving?.edge?.credentialDurationSeconds],
  'servingEdge.devices': ['serving', (r) => r.serving?.edge?.devices],
  'servingEdge.telemetry': ['serving', (r) => r.serving?.edge?.telemetryRuleName !== undefined],
  'servingEdgeModel.runtime': [
    'servingMore',
    (r) => edgeRuntime(need(r.serving?.edge?.models[0], 'edge model').runtimeComponent),
  ],
  'servingAsync.notifications': ['serving', (r) => endpoint(r, 'queue').async?.topics !== undefined],
  'servingArtifact.bucket': [
    'servingMore',
    (r) => {
      const source = endpoint(r, 'archive').variants[0].model.source;
      return source.kind === 'artifact' && source.location.kind === 'lake'
        ? source.location.bucket
        : undefined;
    },
  ],
  'servingDeployment.sizeUnit': ['servingMore', (r) => endpoint(r, 'archive').deployment?.size?.unit],
  'servingSchedule.timezone': [
    'servingMore',
    (r) => endpoint(r, 'archive').autoscaling?.schedules[0]?.timezone,
  ],
  // EMR
  'emr.mode': ['emrCluster', (r) => emr(r).mode],
  'emr.releaseLabel': ['emrCluster', (r) => emr(r).releaseLabel],
  'emr.applications': ['emrCluster', (r) => emr(r).applications],
  'emr.glueCatalog': ['emrCluster', (r) => emr(r).glueCatalog],
  'emrCluster.interactive': ['emrWorkflow', (r) => cluster(r).interactive],
  'emrCluster.spotAllocation': ['emrCluster', (r) => cluster(r).spotAllocation],
  'emrCluster.spotTimeoutMinutes': ['emrCluster', (r) => cluster(r).spotTimeoutMinutes],
  'emrCluster.ebsGiB': ['emrCluster', (r) => cluster(r).ebsGiB],
  'emrCluster.idleTimeoutMinutes': ['emrCluster', (r) => cluster(r).idleTimeoutSeconds / 60],
  'emrCluster.blockPublicAccess': ['emrCluster', (r) => cluster(r).blockPublicAccess],
  'emrPrimaryFleet.instanceTypes': ['emrCluster', (r) => cluster(r).primaryInstanceTypes],
  'emrFleet.instanceTypes': ['emrCluster', (r) => cluster(r).core.instanceTypes],
  // With the default fleets (2 core units, no task units) managed scaling reaches the default.
  'emrScaling.maxUnits': ['emrCluster', (r) => cluster(r).scaling.maxUnits],
  'emrServerless.architecture': ['emrServerless', (r) => serverless(r).architecture.toLowerCase()],
  'emrServerless.idleTimeoutMinutes': ['emrServerless', (r) => serverless(r).idleTimeoutMinutes],
  'emrServerless.maxVcpu': ['emrServerless', (r) => parseInt(serverless(r).maximumCapacity.cpu, 10)],
  'emrServerless.maxMemoryGiB': ['emrServerless', (r) => parseInt(serverless(r).maximumCapacity.memory, 10)],
  'emrServerless.maxDiskGiB': ['emrServerless', (r) => parseInt(serverless(r).maximumCapacity.disk, 10)],
  // network, firewall, state backend
  'vpc.publicSubnets': ['platform', (r) => created(r).vpc.publicSubnets.length > 0],
  'vpc.natGateways': ['platform', (r) => created(r).vpc.natGateways],
  'vpcEndpoints.gateway': ['platform', (r) => created(r).endpoints.gateway],
  // Derived: the interface endpoints the workloads need (Glue here) are listed without asking.
  'vpcEndpoints.derive': ['platform', (r) => created(r).endpoints.interface.includes('glue')],
  'flowLogs.enabled': ['platform', (r) => created(r).flowLogs.enabled],
  'flowLogs.trafficType': ['platform', (r) => created(r).flowLogs.trafficType],
  'waf.enabled': ['platform', (r) => r.security.waf !== undefined],
  'waf.rateLimit': ['platform', (r) => r.security.waf?.rateLimit],
  'waf.managedRuleGroups': ['platform', (r) => r.security.waf?.managedRuleGroups],
  'waf.logging': ['platform', (r) => r.security.waf?.logging],
  's3Backend.lockfile': ['platform', (r) => (r.state.backend === 's3' ? r.state.lockfile : undefined)],
  // Glue
  'glue.catalogEncryption': ['platform', (r) => glue(r).catalogEncryption],
  'glueCrawler.recrawl': [
    'platform',
    (r) => specEnum(glue(r).crawlers[0].recrawlBehavior).replace(/^crawl-/, ''),
  ],
  'glueSchemaChange.update': ['platform', (r) => specEnum(glue(r).crawlers[0].updateBehavior)],
  'glueSchemaChange.delete': ['platform', (r) => specEnum(glue(r).crawlers[0].deleteBehavior)],
  'glueJob.language': ['platform', (r) => glue(r).jobs[0].language],
  'glueJob.glueVersion': ['platform', (r) => glue(r).jobs[0].glueVersion],
  'glueJob.workerType': ['platform', (r) => glue(r).jobs[0].workerType],
  'glueJob.workers': ['platform', (r) => glue(r).jobs[0].workers],
  'glueJob.autoScaling': ['platform', (r) => glue(r).jobs[0].autoScaling],
  'glueJob.bookmarks': ['platform', (r) => glue(r).jobs[0].bookmarks],
  'glueJob.timeoutMinutes': ['platform', (r) => glue(r).jobs[0].timeoutMinutes],
  'glueJob.maxRetries': ['platform', (r) => glue(r).jobs[0].maxRetries],
  'glueJob.maxConcurrentRuns': ['platform', (r) => glue(r).jobs[0].maxConcurrentRuns],
  'glueWorkflow.maxConcurrentRuns': ['platform', (r) => glue(r).workflows[0].maxConcurrentRuns],
  // Lambda, the workflow, feature groups
  'dataLocation.prefix': ['functions', (r) => fn(r).reads.find((l) => l.bucket === 'curated')?.prefix],
  'lambdaFunction.runtime': ['functions', (r) => fn(r).runtime],
  'lambdaFunction.architecture': ['functions', (r) => fn(r).architecture],
  'lambdaFunction.memoryMiB': ['functions', (r) => fn(r).memoryMiB],
  'lambdaFunction.timeoutSeconds': ['functions', (r) => fn(r).timeoutSeconds],
  'lambdaFunction.deadLetterQueue': ['functions', (r) => fn(r).deadLetterQueueName !== undefined],
  'lambdaTrigger.prefix': ['functions', (r) => fn(r).triggers[0].prefix],
  'lambdaTrigger.suffix': ['functions', (r) => fn(r).triggers[0].suffix],
  'lambdaTrigger.events': ['functions', (r) => fn(r).triggers[0].events.map(triggerEvent)],
  'workflow.timeoutMinutes': ['functions', (r) => workflow(r).timeoutSeconds / 60],
  'workflowRetry.maxAttempts': ['functions', (r) => workflow(r).steps[0].retry.maxAttempts],
  'workflowRetry.intervalSeconds': ['functions', (r) => workflow(r).steps[0].retry.intervalSeconds],
  'workflowRetry.backoffRate': ['functions', (r) => workflow(r).steps[0].retry.backoffRate],
  'workflowStep.cluster': [
    'emrWorkflow',
    (r) => {
      const target = workflow(r).steps[0].target;
      return target.type === 'emr' ? target.runsOn : undefined;
    },
  ],
  'featuresGroup.online': ['features', (r) => group(r).online],
  'featuresGroup.offline': ['features', (r) => group(r).offline],
  'featuresGroup.tableFormat': ['features', (r) => group(r).tableFormat.toLowerCase()],
  'workflowStep.pollSeconds': ['crawl', (r) => crawlStep(r).pollSeconds],
  // The timeout is resolved as a number of polls: the default minutes over the default interval.
  'workflowStep.crawlTimeoutMinutes': [
    'crawl',
    (r) => (crawlStep(r).maxPolls * crawlStep(r).pollSeconds) / 60,
  ],
  // monitoring
  'monitoring.dashboard': ['monitoring', (r) => monitoring(r).dashboard !== undefined],
  'monitoring.prometheus': ['monitoring', (r) => monitoring(r).prometheus !== undefined],
  'monitoring.grafana': ['monitoring', (r) => monitoring(r).grafana !== undefined],
  'monitoringAlarms.failures': ['monitoring', (r) => monitoring(r).failures !== undefined],
  'monitoringEndpoint.instanceType': ['monitoring', (r) => monitor(r).instanceType],
  'monitoringEndpoint.instanceCount': ['monitoring', (r) => monitor(r).instanceCount],
  'monitoringEndpoint.volumeSizeGb': ['monitoring', (r) => monitor(r).volumeSizeGb],
  'monitoringEndpoint.maxRuntimeMinutes': ['monitoring', (r) => monitor(r).maxRuntimeSeconds / 60],
  'monitoringDataQuality.enabled': ['monitoring', (r) => monitor(r).dataQuality !== undefined],
  'monitoringDataQuality.schedule': [
    'monitoring',
    (r) => scheduleOf(monitor(r).dataQuality?.scheduleExpression),
  ],
  'monitoringEndpointAlarms.maxModelErrorsPerMinute': ['monitoring', (r) => alarms(r).modelErrors.threshold],
  'monitoringEndpointAlarms.utilization': ['monitoring', (r) => alarms(r).utilization !== undefined],
  'monitoringEndpointAlarms.maxCpuPercent': ['monitoring', (r) => alarms(r).utilization?.cpu.threshold],
  'monitoringEndpointAlarms.maxMemoryPercent': ['monitoring', (r) => alarms(r).utilization?.memory.threshold],
  'monitoringEndpointAlarms.maxDiskPercent': ['monitoring', (r) => alarms(r).utilization?.disk.threshold],
  // The alarm looks at its periods back to back: together they span the window.
  'monitoringEndpointAlarms.utilizationMinutes': [
    'monitoring',
    (r) => {
      const u = need(alarms(r).utilization, 'utilization alarms');
      return (u.periodSeconds * u.evaluationPeriods) / 60;
    },
  ],
  // Without auto-rollback pipeform raises its own error and latency alarms; on GPUs, GPU alarms.
  'monitoringEndpointAlarms.maxServerErrorsPerMinute': [
    'monitoringFull',
    (r) => alarmsOf(r, 'vision').errors?.serverErrors.threshold,
  ],
  'monitoringEndpointAlarms.maxClientErrorsPerMinute': [
    'monitoringFull',
    (r) => alarmsOf(r, 'vision').errors?.clientErrors.threshold,
  ],
  'monitoringEndpointAlarms.maxLatencyP99Ms': [
    'monitoringFull',
    (r) => alarmsOf(r, 'vision').errors?.latencyP99Ms.threshold,
  ],
  'monitoringEndpointAlarms.maxGpuPercent': [
    'monitoringFull',
    (r) => alarmsOf(r, 'vision').utilization?.gpu?.threshold,
  ],
  'monitoringEndpointAlarms.maxGpuMemoryPercent': [
    'monitoringFull',
    (r) => alarmsOf(r, 'vision').utilization?.gpuMemory?.threshold,
  ],
  'monitoringDataQuality.maxDrift': ['monitoringFull', (r) => monitor(r).dataQuality?.drift?.maxDrift],
  'monitoringModelQuality.schedule': [
    'monitoringFull',
    (r) => scheduleOf(modelQuality(r).scheduleExpression),
  ],
  'monitoringModelQuality.probabilityThreshold': [
    'monitoringFull',
    (r) => modelQuality(r).probabilityThreshold,
  ],
  // The window ends the ground-truth delay before now and starts its length before that.
  'monitoringModelQuality.groundTruthDelayHours': [
    'monitoringFull',
    (r) => offsetHours(modelQuality(r).endTimeOffset),
  ],
  'monitoringModelQuality.windowHours': [
    'monitoringFull',
    (r) => offsetHours(modelQuality(r).startTimeOffset) - offsetHours(modelQuality(r).endTimeOffset),
  ],
  'monitoringBias.schedule': ['monitoringFull', (r) => scheduleOf(bias(r).scheduleExpression)],
  'monitoringExplainability.schedule': [
    'monitoringFull',
    (r) => scheduleOf(explainability(r).scheduleExpression),
  ],
  'monitoringBias.probabilityThreshold': ['monitoringFull', (r) => bias(r).probabilityThreshold],
  'monitoringBias.groundTruthDelayHours': ['monitoringFull', (r) => offsetHours(bias(r).endTimeOffset)],
  'monitoringBias.windowHours': [
    'monitoringFull',
    (r) => offsetHours(bias(r).startTimeOffset) - offsetHours(bias(r).endTimeOffset),
  ],
  'monitoringRetraining.onDrift': ['monitoringFull', (r) => retraining(r).driftAlarmNames.length > 0],
  'monitoringRetraining.evaluationPeriods': [
    'monitoringFull',
    (r) => retraining(r).kpiAlarms[0]?.evaluationPeriods,
  ],
  'monitoringRetraining.cooldownHours': ['monitoringFull', (r) => retraining(r).cooldown.hours],
  'monitoringCustomMetric.statistic': ['monitoringFull', (r) => retraining(r).kpiAlarms[0]?.statistic],
  'monitoringCustomMetric.periodSeconds': [
    'monitoringFull',
    (r) => retraining(r).kpiAlarms[0]?.periodSeconds,
  ],
  // With certificates and nothing else, the cluster encrypts in transit (they are used).
  'emrCluster.inTransitEncryption': ['emrCluster', (r) => cluster(r).tlsCertificates !== undefined],
  // network (existing, endpoints)
  'existingNetwork.egress': ['existingNetwork', (r) => existing(r).egress],
  'existingNetwork.interfaceEndpoints': ['existingNetwork', (r) => existing(r).interfaceEndpoints],
  // Not derived, the created VPC's endpoints are the user's list alone.
  'vpcEndpoints.interface': ['underived', (r) => created(r).endpoints.interface],
  // notebooks, tracking
  'notebooksDomain.authMode': ['notebooksDomain', (r) => domain(r).authMode],
  'notebooksDomain.idleShutdownMinutes': ['notebooksDomain', (r) => domain(r).idleShutdownMinutes],
  'notebooksInstance.instanceType': ['notebooksInstance', (r) => notebook(r).instanceType],
  'notebooksInstance.volumeGiB': ['notebooksInstance', (r) => notebook(r).volumeGiB],
  'notebooksInstance.idleStopMinutes': ['notebooksInstance', (r) => notebook(r).idleStopMinutes],
  'notebooksInstance.platform': ['notebooksInstance', (r) => notebook(r).platform],
  'trackingMlflow.size': ['tracking', (r) => mlflow(r).size],
  'trackingMlflow.maintenanceWindow': ['tracking', (r) => mlflow(r).maintenanceWindow],
  // On, the training pipeline's group would be registered into; off, there is none.
  'trackingMlflow.automaticModelRegistration': [
    'tracking',
    (r) => mlflow(r).autoRegistrationGroup !== undefined,
  ],
  // EKS
  'eks.name': ['eks', (r) => eks(r).name],
  'eks.authenticationMode': ['eks', (r) => eks(r).authenticationMode],
  'eks.supportType': ['eks', (r) => eks(r).supportType],
  'eksEndpoint.publicAccess': ['eks', (r) => eks(r).endpoint.publicAccess],
  'eksNodeGroup.capacityType': ['eks', (r) => nodeGroup(r).capacityType],
  // With EFA on (and placementGroup unset, which follows it) the group gets a placement group.
  'eksNodeGroup.efa': ['eks', (r) => nodeGroup(r).placementGroupName !== undefined],
  'eksNodeGroup.imdsHopLimit': ['eks', (r) => nodeGroup(r).imdsHopLimit],
  'eksNodeGroup.autoRepair': ['eks', (r) => nodeGroup(r).autoRepair],
  'eksScaling.minSize': ['eks', (r) => nodeGroup(r).scaling.minSize],
  'eksJob.namespace': ['eks', (r) => eksJob(r).namespace],
  'eksJob.nodes': ['eks', (r) => eksJob(r).nodes],
  'eksJob.checkpoints.bucket': ['eks', (r) => eksJob(r).checkpoints.bucket],
  'eksJob.model.bucket': ['eks', (r) => eksJob(r).model.bucket],
  'eksJob.maxRestarts': ['eks', (r) => eksJob(r).maxRestarts],
  // CI/CD
  'cicd.artifactBucket': ['cicd', (r) => cicd(r).artifacts.bucket],
  // CodeStar names the provider GitHub; the spec, github.
  'cicdGitSource.provider': [
    'cicd',
    (r) => {
      const c = gitSource(r).connection;
      return c.kind === 'create' ? c.providerType.toLowerCase() : undefined;
    },
  ],
  'cicdGitSource.branch': ['cicd', (r) => gitSource(r).branch],
  'cicdGitSource.detectChanges': ['cicd', (r) => gitSource(r).detectChanges],
  'cicdBuild.buildspec': ['cicd', (r) => cicd(r).build.buildspec],
  // CodeBuild's BUILD_GENERAL1_SMALL is the spec's small.
  'cicdBuild.computeType': [
    'cicd',
    (r) =>
      cicd(r)
        .build.computeType.replace(/^BUILD_GENERAL1_/, '')
        .toLowerCase(),
  ],
  'cicdBuild.image': ['cicd', (r) => cicd(r).build.image],
  'cicdBuild.timeoutMinutes': ['cicd', (r) => cicd(r).build.timeoutMinutes],
  'cicdBuild.vpc': ['cicd', (r) => cicd(r).build.vpc],
  'cicdApproval.timeoutMinutes': ['cicd', (r) => cicd(r).approval?.timeoutMinutes],
  'cicdDeploy.enabled': ['cicd', (r) => cicd(r).deploy !== undefined],
  // promotion: a manual approval is a gate before the serving environment deploys.
  'promotion.approval': ['promotion', (r) => (promotionGate(r) !== undefined ? 'manual' : 'automatic')],
  'promotion.approvalTimeoutHours': ['promotion', (r) => (promotionGate(r)?.timeoutSeconds ?? 0) / 3600],
  // security, storage, state, assets
  'security.logRetentionDays': ['minimal', (r) => r.security.logRetentionDays],
  'security.accountLogGroups': ['minimal', (r) => r.security.accountLogGroups],
  'security.shield': ['minimal', (r) => r.security.shield],
  'kms.rotationPeriodDays': ['minimal', (r) => r.security.kms.rotationPeriodDays],
  'kms.deletionWindowDays': ['minimal', (r) => r.security.kms.deletionWindowDays],
  'iam.rolePath': ['minimal', (r) => r.security.iam.rolePath],
  'bucket.versioning': ['minimal', (r) => bucket(r, 'raw').versioning],
  'bucket.accessLogging': ['minimal', (r) => bucket(r, 'raw').accessLogging],
  'bucket.forceDestroy': ['minimal', (r) => bucket(r, 'raw').forceDestroy],
  'lifecycle.tiering': ['minimal', (r) => bucket(r, 'raw').lifecycle.tiering],
  'lifecycle.tieringAfterDays': ['minimal', (r) => bucket(r, 'raw').lifecycle.tieringAfterDays],
  // Only the checkpoints bucket archives by default.
  'lifecycle.archiveStorageClass': [
    'minimal',
    (r) => bucket(r, 'checkpoints').lifecycle.archive?.storageClass,
  ],
  'lifecycle.archivePrefix': ['minimal', (r) => bucket(r, 'checkpoints').lifecycle.archive?.prefix],
  'lifecycle.noncurrentVersionExpiryDays': [
    'minimal',
    (r) => bucket(r, 'raw').lifecycle.noncurrentVersionExpiryDays,
  ],
  'lifecycle.abortIncompleteUploadsAfterDays': [
    'minimal',
    (r) => bucket(r, 'raw').lifecycle.abortIncompleteUploadsAfterDays,
  ],
  'state.backend': ['minimal', (r) => r.state.backend],
  'state.path': ['minimal', (r) => (r.state.backend === 'local' ? r.state.path : undefined)],
  'assetStore.bucket': ['minimal', (r) => r.assets.bucket],
};

function rangeScaling(r: ResolvedSpec): unknown {
  const range = training(r).tuning?.ranges[0];
  return range && 'scaling' in range ? String(range.scaling).toLowerCase() : undefined;
}
function captureOf(r: ResolvedSpec): unknown {
  const modes = endpoint(r, 'scorer').dataCapture?.modes ?? [];
  return modes.length === 2 ? 'input-and-output' : modes[0]?.toLowerCase();
}
/** Defaults a test other than this one checks, with where. */
const ELSEWHERE: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    [
      'trainingHoursPerMonth',
      'fineTuneHoursShare',
      'processingHoursPerMonth',
      'endpointRequestsPerMonth',
      'averageRequestDurationMs',
      'averagePayloadKb',
      'dataVolumeGb',
      'coldDataPercent',
      'averageObjectSizeMb',
      'ingestGbPerMonth',
      'natTrafficGbPerMonth',
      'endpointTrafficGbPerMonth',
      'logsGbPerMonth',
      'glueJobHoursPerMonth',
      'glueCrawlerDpuHoursPerMonth',
      'emrHoursPerMonth',
      'notebookHoursPerMonth',
      'functionInvocationsPerMonth',
      'functionDurationMs',
      'monitoringJobMinutes',
    ].map((p) => [
      `usage.${p}`,
      'cost assumption, not a resolved spec value: test/cost.test.ts keeps USAGE_DEFAULTS equal to the schema',
    ]),
  ),
  'trainingBaseModel.jumpstart.gated':
    'test/jumpstart.test.ts: a jumpstart model without gated resolves to the public bucket, gated false',
  'trainingBaseModel.jumpstart.acceptEula':
    'test/jumpstart.test.ts: a gated model without acceptEula is refused (the license is never assumed)',
};

/**
 * Defaults no resolved value shows, checked against the catalog that reads them: the check
 * stage alone reads `waiveSpotRisk`; lake training code needs a CI/CD build (the check stage
 * refuses it otherwise), so its bucket is resolved directly.
 */
const CATALOG: Readonly<Record<string, () => unknown>> = {
  'trainingCheckpointing.waiveSpotRisk': () => TRAINING_DEFAULTS.checkpointing.waiveSpotRisk,
  'trainingCode.bucket': () => {
    const code = resolveTrainingCode({}, 'demo', (name) => name, 'pipeline.yaml');
    return code.kind === 'lake' ? code.location.bucketName : undefined;
  },
};

describe('schema defaults', () => {
  const documented = schemaDefaults().map((d) => d.pointer);
  const accounted = [...Object.keys(APPLIED), ...Object.keys(CATALOG), ...Object.keys(ELSEWHERE)].map(
    pointerOf,
  );

  test('the schema documents defaults, and every one is listed once', () => {
    expect(documented.length).toBeGreaterThan(200);
    const unlisted = documented.filter((p) => !accounted.includes(p));
    expect(unlisted).toEqual([]);
    const twice = accounted.filter((p, i) => accounted.indexOf(p) !== i);
    expect(twice).toEqual([]);
  });

  test('every listed default exists in the schema (no stale entries)', () => {
    expect(accounted.filter((p) => !documented.includes(p))).toEqual([]);
  });

  test.each(Object.entries(APPLIED))(
    '%s: a spec that omits it resolves to the schema default',
    (key, [spec, value]) => {
      const documentedValue = schemaDefaults().find((d) => d.pointer === pointerOf(key))?.value;
      expect(documentedValue).toBeDefined();
      expect(value(resolved(spec))).toEqual(documentedValue);
    },
  );

  test.each(Object.entries(CATALOG))('%s: the catalog holds the schema default', (key, value) => {
    const documentedValue = schemaDefaults().find((d) => d.pointer === pointerOf(key))?.value;
    expect(documentedValue).toBeDefined();
    expect(value()).toEqual(documentedValue);
  });

  test('schemaDefault reads a default, and fails loudly on a pointer without one or of another kind', () => {
    expect(schemaDefault(pointerOf('servingAutoscaling.targetInvocationsPerInstance'), 'number')).toBe(100);
    expect(() => schemaDefault(pointerOf('servingAutoscaling.nothing'), 'number')).toThrow(/no default at/);
    expect(() => schemaDefault(pointerOf('training.spot'), 'number')).toThrow(/not a number/);
  });

  test('schemaPointer spells the pointer schemaDefaults reports, nested properties included', () => {
    expect(schemaPointer('servingAutoscaling', 'targetInvocationsPerInstance')).toBe(
      '#/definitions/servingAutoscaling/properties/targetInvocationsPerInstance',
    );
    expect(schemaPointer('eksJob', 'checkpoints', 'bucket')).toBe(pointerOf('eksJob.checkpoints.bucket'));
    expect(documented).toContain(schemaPointer('trainingBaseModel', 'jumpstart', 'acceptEula'));
    expect(schemaPointer('bucket', 'a/b~c')).toBe('#/definitions/bucket/properties/a~1b~0c');
  });

  test('the catalogs spell no schema pointer themselves: they all go through schemaPointer', () => {
    const dir = join(__dirname, '..', 'src', 'areas');
    const spelled = readdirSync(dir).flatMap((area) => {
      const file = join(dir, area, 'catalog.ts');
      if (!existsSync(file)) return [];
      const text = readFileSync(file, 'utf8');
      return /#\/definitions|\/properties\//.test(text) ? [`${area}/catalog.ts`] : [];
    });
    expect(spelled).toEqual([]);
  });

  test('schemaDefaults finds defaults nested in properties, not data that looks like one', () => {
    const found = schemaDefaults({
      definitions: {
        a: {
          properties: {
            default: { type: 'string', default: 'x' },
            n: { default: 1, enum: [{ default: 2 }] },
          },
        },
      },
    });
    expect(found).toEqual([
      { pointer: '#/definitions/a/properties/default', value: 'x' },
      { pointer: '#/definitions/a/properties/n', value: 1 },
    ]);
  });
});
