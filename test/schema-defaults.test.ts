import { join } from 'node:path';
import type { ResolvedSpec } from '../src/model/resolved';
import { MONITOR_SCHEDULES } from '../src/compiler/normalize/monitoring';
import { schemaDefault, schemaDefaults } from '../src/spec/schema';
import { compileData, MINIMAL } from './harness/spec';

/**
 * Every `default` the schema documents is accounted for here: either a minimal spec that
 * omits it resolves to that value (APPLIED), or another test covers it (ELSEWHERE), or it
 * is on the explicit list of defaults not yet mapped (NOT_YET_MAPPED, issue 18). A default
 * added to the schema in none of the three fails the test, so the lists stay complete.
 *
 * Keys name a default by its definition and property path: `servingAutoscaling.scaleInCooldownSeconds`
 * is `#/definitions/servingAutoscaling/properties/scaleInCooldownSeconds`.
 */
const pointerOf = (key: string): string => `#/definitions/${key.split('.').join('/properties/')}`;

const NETWORK = { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['us-east-1a', 'us-east-1b'] } };
const REGISTRY = { registry: { version: 3 } };

/** Minimal specs that leave the defaults under test unset, compiled once each. */
const specs = {
  minimal: () => compileData(MINIMAL),
  training: () =>
    compileData(
      {
        ...MINIMAL,
        network: NETWORK,
        goals: {
          problem: 'Predict churn.',
          kpis: [{ name: 'auc', metric: 'metrics.auc', threshold: 0.8, direction: 'higher-is-better' }],
        },
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
  // With certificates and nothing else, the cluster encrypts in transit (they are used).
  'emrCluster.inTransitEncryption': ['emrCluster', (r) => cluster(r).tlsCertificates !== undefined],
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
 * Defaults documented in the schema that no test above maps yet (issue 18's backlog): each
 * is applied by its area's normalize file. Move a key to APPLIED when mapping it; never add
 * a new schema default here without a reason.
 */
const NOT_YET_MAPPED: readonly string[] = [
  'existingNetwork.egress',
  'existingNetwork.interfaceEndpoints',
  'vpcEndpoints.interface',
  'dataLocation.prefix',
  'lambdaFunction.runtime',
  'lambdaFunction.architecture',
  'lambdaFunction.memoryMiB',
  'lambdaFunction.timeoutSeconds',
  'lambdaFunction.deadLetterQueue',
  'lambdaTrigger.prefix',
  'lambdaTrigger.suffix',
  'lambdaTrigger.events',
  'workflow.timeoutMinutes',
  'workflowRetry.maxAttempts',
  'workflowRetry.intervalSeconds',
  'workflowRetry.backoffRate',
  'workflowStep.cluster',
  'featuresGroup.online',
  'featuresGroup.offline',
  'featuresGroup.tableFormat',
  'notebooksDomain.authMode',
  'notebooksDomain.idleShutdownMinutes',
  'trackingMlflow.size',
  'trackingMlflow.maintenanceWindow',
  'trackingMlflow.automaticModelRegistration',
  'notebooksInstance.instanceType',
  'notebooksInstance.volumeGiB',
  'notebooksInstance.idleStopMinutes',
  'notebooksInstance.platform',
  'training.sourceArchive',
  'eks.name',
  'eks.authenticationMode',
  'eks.supportType',
  'eksEndpoint.publicAccess',
  'eksNodeGroup.capacityType',
  'eksNodeGroup.efa',
  'eksNodeGroup.imdsHopLimit',
  'eksNodeGroup.autoRepair',
  'eksScaling.minSize',
  'eksJob.namespace',
  'eksJob.nodes',
  'eksJob.checkpoints.bucket',
  'eksJob.model.bucket',
  'eksJob.maxRestarts',
  'servingArtifact.bucket',
  'servingAsync.notifications',
  'servingDeployment.sizeUnit',
  'servingSchedule.timezone',
  'servingEdge.telemetry',
  'servingEdgeModel.runtime',
  'trainingBaseModel.champion',
  'trainingCheckpointing.waiveSpotRisk',
  'trainingCode.bucket',
  'trainingModelParallel.partitions',
  'trainingModelParallel.tensorParallelDegree',
  'trainingModelParallel.microbatches',
  'trainingModelParallel.ddp',
  'monitoringEndpointAlarms.maxServerErrorsPerMinute',
  'monitoringEndpointAlarms.maxClientErrorsPerMinute',
  'monitoringEndpointAlarms.maxLatencyP99Ms',
  'monitoringEndpointAlarms.maxGpuPercent',
  'monitoringEndpointAlarms.maxGpuMemoryPercent',
  'monitoringDataQuality.maxDrift',
  'monitoringModelQuality.schedule',
  'monitoringModelQuality.probabilityThreshold',
  'monitoringModelQuality.groundTruthDelayHours',
  'monitoringModelQuality.windowHours',
  'monitoringBias.schedule',
  'monitoringBias.probabilityThreshold',
  'monitoringBias.groundTruthDelayHours',
  'monitoringBias.windowHours',
  'monitoringRetraining.onDrift',
  'monitoringRetraining.evaluationPeriods',
  'monitoringRetraining.cooldownHours',
  'monitoringCustomMetric.statistic',
  'monitoringCustomMetric.periodSeconds',
  'cicd.artifactBucket',
  'cicdGitSource.provider',
  'cicdGitSource.branch',
  'cicdGitSource.detectChanges',
  'cicdBuild.buildspec',
  'cicdBuild.computeType',
  'cicdBuild.image',
  'cicdBuild.timeoutMinutes',
  'cicdBuild.vpc',
  'cicdApproval.timeoutMinutes',
  'cicdDeploy.enabled',
  'promotion.approval',
  'promotion.approvalTimeoutHours',
];

describe('schema defaults', () => {
  const documented = schemaDefaults().map((d) => d.pointer);
  const accounted = [...Object.keys(APPLIED), ...Object.keys(ELSEWHERE), ...NOT_YET_MAPPED].map(pointerOf);

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

  test('schemaDefault reads a default, and fails loudly on a pointer without one or of another kind', () => {
    expect(schemaDefault(pointerOf('servingAutoscaling.targetInvocationsPerInstance'), 'number')).toBe(100);
    expect(() => schemaDefault(pointerOf('servingAutoscaling.nothing'), 'number')).toThrow(/no default at/);
    expect(() => schemaDefault(pointerOf('training.spot'), 'number')).toThrow(/not a number/);
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
