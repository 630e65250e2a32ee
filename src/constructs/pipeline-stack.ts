import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import {
  TerraformDataSource,
  TerraformElement,
  TerraformLocal,
  TerraformModule,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
} from 'cdktf';
import type { Construct, Node } from 'constructs';
import type { ResolvedSpec } from '../model/resolved';
import { configureBackend } from './backend';
import { DataLake } from './data-lake';
import { writeBesideOnAppSynth } from './files';
import type { DataProcessing } from './data';
import { areas } from './areas';
import { ASSET_UPLOADS_ID, AssetUploads } from './assets';
import { RoleFactory } from './iam/role-factory';
import { PipelineKey } from './kms';
import { ModuleInputs } from './module-inputs';
import { keyReadStatement, modelReadGrants, RegistrySharing } from './training/registry-sharing';
import { logicalIdOf, namedBySpec, pathBelow } from './naming';
import { partitionOf } from './iam/policy';
import type { SecurityContext } from './security-context';
import type { Serving } from './serving/serving';
import type { CiCd } from './cicd/cicd';
import type { Monitoring } from './monitoring/monitoring';
import type { TrainingPipeline } from './training/sagemaker-pipeline';
import { writeOutputs, type StackOutput } from './outputs';

/** The provider version @cdktf/provider-aws 20.1.0 binds; generated configs pin it. */
export const AWS_PROVIDER_VERSION = '5.100.0';

/** How the stack is emitted. */
export interface PipelineStackOptions {
  /**
   * Emit a reusable module: inputs for tags, the key and existing network ids.
   * @default false - a root configuration
   */
  readonly module?: boolean;
}

/**
 * The whole pipeline as one Terraform stack. It only wires: each AWS area is its own
 * construct, built from its slice of the resolved spec plus the security context.
 *
 * In a cdktf app of your own, build it from `compileSpec(...).resolved` and add your
 * constructs to it, reading {@link keyArn} and {@link buckets}.
 * Addresses come from construct ids: give yours lowercase ids (`reports` becomes
 * `aws_sns_topic.reports`), PascalCase ids are dropped from addresses. `app.synth()` writes
 * the assets the configuration reads (`assets/`, `k8s/`) beside `cdk.tf.json`.
 *
 * @example
 * const { resolved } = compileSpec('pipeline.yaml', readSpecFile('pipeline.yaml'));
 * const app = new App();
 * const stack = new PipelineStack(app, resolved.name, resolved);
 * new SnsTopic(stack, 'reports', { name: 'reports', kmsMasterKeyId: stack.keyArn });
 * app.synth();
 */
export class PipelineStack extends TerraformStack {
  /** The key, account, region, partition, network and role factory every area is built with. */
  readonly security: SecurityContext;
  /** Present when the stack is emitted as a module. */
  readonly moduleInputs?: ModuleInputs;
  /** The pipeline key construct; {@link keyArn} is the ARN to encrypt with. */
  readonly key: PipelineKey;
  /** The data lake construct; {@link buckets} are its buckets by spec name. */
  readonly lake: DataLake;
  /** Glue, EMR, Lambda, Step Functions, Feature Store and notebooks, when the spec has them. */
  readonly dataProcessing: DataProcessing;

  constructor(scope: Construct, id: string, spec: ResolvedSpec, options: PipelineStackOptions = {}) {
    super(scope, id);
    // `cdktf synth` writes the assets and manifests beside cdk.tf.json, as `pipeform synth` does.
    writeBesideOnAppSynth(this);
    const partition = partitionOf(spec.region);
    // Promotion owner: what the serving accounts may read of the registry, the lake and the key.
    const shares = spec.promotion?.shares;
    // As a module, the pipeline takes inputs; as a root configuration, the spec decides all.
    this.moduleInputs = options.module ? new ModuleInputs(this, 'Inputs', spec) : undefined;

    new AwsProvider(this, 'Aws', {
      region: spec.region,
      // Refuses to plan or apply with credentials of any other account.
      allowedAccountIds: [spec.account],
      defaultTags: [{ tags: { ...spec.tags } }],
    });
    configureBackend(this, spec.state);
    // cdktf writes the short source "aws"; spell it out as users and module registries expect.
    this.addOverride('terraform.required_providers.aws.source', 'hashicorp/aws');
    // S3 native state locking needs Terraform 1.10; everything else works from 1.5.
    const lockfile = spec.state.backend === 's3' && spec.state.lockfile;
    // Import blocks with for_each (the serving ledger's adoptions) need Terraform 1.7.
    const adopts = spec.serving?.deploy !== undefined && !options.module;
    this.addOverride('terraform.required_version', lockfile ? '>= 1.10.0' : adopts ? '>= 1.7.0' : '>= 1.5.0');

    this.key = new PipelineKey(this, 'kms', {
      kms: spec.security.kms,
      pipeline: spec.name,
      region: spec.region,
      account: spec.account,
      partition,
      description: spec.description,
      ...(this.moduleInputs ? { moduleInputs: this.moduleInputs } : {}),
      ...(spec.orchestration?.workflow || spec.serving?.deploy ? { stateMachineLogDelivery: true } : {}),
      ...(spec.monitoring ? { alertPublishers: true } : {}),
      ...(shares
        ? { servingAccountsStatement: keyReadStatement(shares.accounts, partition, spec.region) }
        : {}),
    });
    const base = {
      pipeline: spec.name,
      region: spec.region,
      account: spec.account,
      partition,
      keyArn: this.key.keyArn,
      logRetentionDays: spec.security.logRetentionDays,
      roles: new RoleFactory({
        pipeline: spec.name,
        account: spec.account,
        partition,
        path: spec.security.iam.rolePath,
        ...(spec.security.iam.permissionsBoundaryArn
          ? { permissionsBoundaryArn: spec.security.iam.permissionsBoundaryArn }
          : {}),
        ...(spec.security.iam.attachedPoliciesQuota !== undefined
          ? { attachedPoliciesQuota: spec.security.iam.attachedPoliciesQuota }
          : {}),
      }),
    };
    const network = spec.network
      ? new (areas.network().PipelineNetwork)(this, 'network', {
          network: spec.network,
          security: base,
          ...(this.moduleInputs?.network ? { existing: this.moduleInputs.network } : {}),
        })
      : undefined;
    const edge = spec.security.waf
      ? new (areas.edge().WebFirewall)(this, 'waf', {
          waf: spec.security.waf,
          shield: spec.security.shield,
          security: base,
        })
      : undefined;
    this.security = {
      ...base,
      ...(network ? { network: network.context } : {}),
      ...(edge ? { edge } : {}),
    };
    // security.accountLogGroups: manage: the account-shared SageMaker log groups, once per account.
    if (spec.security.accountLogGroups === 'manage') {
      new (areas.accountLogs().AccountLogGroups)(this, 'account-logs', this.security);
    }
    this.lake = new DataLake(this, 'lake', {
      storage: spec.storage,
      security: this.security,
      ...(shares ? { grants: modelReadGrants(shares, partition) } : {}),
    });
    // Files the spec names by local path, uploaded by this apply; areas find them with AssetUploads.of.
    const assetBucket = this.lake.buckets.get(spec.assets.bucket);
    if (assetBucket === undefined) throw new Error(`internal: no data-lake bucket ${spec.assets.bucket}`);
    new AssetUploads(this, ASSET_UPLOADS_ID, {
      store: spec.assets,
      bucket: assetBucket,
      keyArn: this.key.keyArn,
      partition,
    });
    // EKS GPU training cluster (#5, training.eks): in the network's private subnets; its
    // jobs' roles are scoped to prefixes of the lake.
    const eks = spec.eks
      ? new (areas.eks().EksTrainingCluster)(this, 'eks', {
          eks: spec.eks,
          security: this.security,
          buckets: this.lake.buckets,
        })
      : undefined;
    // Experiment tracking (tracking.mlflow): the MLflow server; jobs and Studio users reach it
    // by the ARN the normalize stage computed (MLFLOW_TRACKING_URI), not by this handle.
    const tracking = spec.tracking?.mlflow
      ? new (areas.tracking().MlflowTracking)(this, 'tracking', {
          mlflow: spec.tracking.mlflow,
          security: this.security,
        })
      : undefined;
    // Data processing (#4): glue, emr, lambda, workflow, features, notebooks, with their outputs.
    const usesData = Boolean(spec.data || spec.orchestration || spec.features || spec.notebooks);
    this.dataProcessing = usesData
      ? areas.data().addDataProcessing(this, spec, this.security, this.lake.buckets)
      : {};
    // Training (#5): the SageMaker pipeline <name>-training and the model package group <name>-models.
    let training: TrainingPipeline | undefined;
    if (spec.training) {
      training = new (areas.training().TrainingPipeline)(this, 'training', {
        training: spec.training,
        security: this.security,
        rolePath: spec.security.iam.rolePath,
        buckets: this.lake.buckets,
      });
      if (shares) {
        new RegistrySharing(this, 'promotion', {
          shares,
          groupName: training.registry.group.modelPackageGroupName,
          security: this.security,
        });
      }
    }
    // Serving (#6): SageMaker endpoints with their front doors, and the edge fleet. CI/CD
    // and monitoring take its handle (the deploy state machine, the endpoints).
    let servingArea: Serving | undefined;
    if (spec.serving) {
      const serving = new (areas.serving().Serving)(this, 'serving', {
        serving: spec.serving,
        buckets: this.lake.buckets,
        security: this.security,
        tags: spec.tags,
        ...(this.moduleInputs ? { module: true } : {}),
        ...(spec.promotion?.source
          ? { promotion: { source: spec.promotion.source, environment: spec.promotion.environment } }
          : {}),
      });
      servingArea = serving;
    }
    // CI/CD (#7): build and test, manual approval, deploy of the approved model; started on approval.
    let cicd: CiCd | undefined;
    if (spec.cicd) {
      const serving = servingArea;
      cicd = new (areas.cicd().CiCd)(this, 'cicd', {
        cicd: spec.cicd,
        buckets: this.lake.buckets,
        ...(serving?.deploy
          ? {
              servingDeploy: {
                arn: serving.deploy.stateMachine.arn,
                name: spec.serving?.deploy?.stateMachineName ?? '',
              },
            }
          : {}),
        security: this.security,
      });
    }
    // Monitoring (#7): alerts topic, alarms, dashboard, Model Monitor, Prometheus/Grafana, retraining.
    let monitoring: Monitoring | undefined;
    if (spec.monitoring) {
      const serving = servingArea;
      const emr = this.dataProcessing.emr;
      const failureAlarms = [serving?.deploy?.failedAlarm, serving?.edge?.registry?.failedAlarm].filter(
        (a) => a !== undefined,
      );
      monitoring = new (areas.monitoring().Monitoring)(this, 'monitoring', {
        monitoring: spec.monitoring,
        security: this.security,
        components: {
          ...(serving ? { endpoints: serving.endpoints } : {}),
          failureAlarms,
          ...(emr?.cluster ? { emrClusterId: emr.cluster.id } : {}),
          ...(emr?.application ? { emrApplicationId: emr.application.id } : {}),
          ...(eks ? { eksClusterArn: eks.cluster.arn } : {}),
        },
      });
    }

    // Every area's outputs, written at once in this fixed order: a name two areas use is refused.
    const written = writeOutputs(this, [
      { area: 'kms', outputs: this.key.outputs() },
      { area: 'storage', outputs: this.lake.outputs() },
      { area: 'network', outputs: network?.outputs() ?? [] },
      { area: 'waf', outputs: edge?.outputs() ?? [] },
      { area: 'eks', outputs: eks?.outputs() ?? [] },
      { area: 'tracking', outputs: tracking?.outputs() ?? [] },
      { area: 'data', outputs: usesData ? areas.data().dataProcessingOutputs(this.dataProcessing) : [] },
      { area: 'training', outputs: training?.outputs() ?? [] },
      { area: 'serving', outputs: servingArea?.outputs() ?? [] },
      { area: 'cicd', outputs: cicd?.outputs() ?? [] },
      { area: 'monitoring', outputs: monitoring?.outputs() ?? [] },
      { area: 'goals', outputs: goalOutputs(spec) },
    ]);
    // cdktf 0.21 keeps an output's `precondition` but does not write it: an override does.
    if (this.moduleInputs)
      written.get('kms_key_arn')?.addOverride('precondition', [this.moduleInputs.keyInCallerRegion]);
  }

  /**
   * ARN of the KMS key that encrypts the pipeline: the one pipeform creates, or the
   * existing key the spec names (`security.kms.existingKeyArn`). The key pipeform creates
   * delegates to IAM in the pipeline's account (its policy allows the account root), so a
   * role of that account may use it for your own resources once an IAM policy allows it.
   */
  get keyArn(): string {
    return this.key.keyArn;
  }

  /**
   * The data-lake buckets by spec name, sorted: `checkpoints`, `curated`, `features`,
   * `logs`, `models`, `raw` and any the spec adds under `storage.buckets`. Each is SSE-KMS
   * with {@link keyArn}, so a reader needs `kms:Decrypt` on the key as well.
   */
  get buckets(): ReadonlyMap<string, S3Bucket> {
    return this.lake.buckets;
  }

  /** The data-lake bucket of a spec name (`raw`, `curated`, ...); throws naming the ones there are. */
  bucket(name: string): S3Bucket {
    const found = this.lake.buckets.get(name);
    if (found === undefined)
      throw new Error(
        `the pipeline has no bucket ${JSON.stringify(name)}; it has ${[...this.lake.buckets.keys()].join(', ')}`,
      );
    return found;
  }

  /**
   * The configuration, after making sure no two constructs write the same address. cdktf
   * deep-merges every element's JSON, so two resources (or data sources, outputs,
   * variables) with one address would silently become one: easy to cause here, where
   * PascalCase ids are dropped from addresses (`policy/Device` and `policy/Claim` are both
   * `aws_iot_policy.policy`).
   */
  toTerraform(): Record<string, unknown> {
    this.checkAddresses();
    return super.toTerraform() as Record<string, unknown>;
  }

  /** Throws when two elements would write one address (see {@link toTerraform}). */
  checkAddresses(): void {
    const seen = new Map<string, string>();
    for (const node of this.node.findAll()) {
      if (!TerraformElement.isTerraformElement(node) || TerraformStack.of(node) !== this) continue;
      const address = addressOf(node);
      if (address === undefined) continue;
      const path = pathBelow(this, node.node).join('/');
      const other = seen.get(address);
      if (other !== undefined && other !== path)
        throw new Error(
          `internal: ${other} and ${path} would both be ${address}; give one of them a lowercase construct id of its own (PascalCase ids are left out of addresses)`,
        );
      seen.set(address, path);
    }
  }

  /** Every stack-level override, in order, for {@link stackOverrides}. */
  private readonly overrides: [string, unknown][] = [];

  /** cdktf's stack override, also kept for {@link stackOverrides}. */
  addOverride(path: string, value: unknown): void {
    super.addOverride(path, value);
    this.overrides.push([path, value]);
  }

  /**
   * The stack-level overrides (the `terraform` block's required version and provider
   * source, the serving ledger's import blocks) as the object cdktf merges over the
   * configuration: a rendering of the root parts alone reads them here (src/synth/synth.ts).
   */
  stackOverrides(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [path, value] of this.overrides) {
      // cdktf's own walk: each part but the last is an object, made (or replaced) as needed.
      const parts = path.split('.');
      let at = out;
      for (const part of parts.slice(0, -1)) {
        const next = at[part];
        at = (
          typeof next === 'object' && next !== null && !Array.isArray(next) ? next : (at[part] = {})
        ) as Record<string, unknown>;
      }
      at[parts[parts.length - 1]] = value;
    }
    return out;
  }

  /**
   * Addresses from spec names (see naming.ts), not cdktf's hashed ids. A construct of
   * your own whose ids are all PascalCase (`new Reporting(stack, 'Reporting')` with a
   * `Bucket` inside) has no name to take, so it gets cdktf's default unique id
   * (`aws_s3_bucket.Reporting_Bucket_1A2B3C4D`); give it lowercase ids for readable ones.
   */
  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    const path = pathBelow(this, node);
    return namedBySpec(path) ? logicalIdOf(path) : super.allocateLogicalId(element);
  }
}

/** The goals' output: the KPIs the model must meet, when the spec names any. */
function goalOutputs(spec: ResolvedSpec): StackOutput[] {
  if (spec.goals.kpis.length === 0) return [];
  return [
    {
      name: 'kpis',
      description: 'KPIs the model must meet: thresholds for gates and retraining alarms.',
      value: Object.fromEntries(
        spec.goals.kpis.map((k) => [
          k.name,
          { metric: k.metric, threshold: k.threshold, direction: k.direction },
        ]),
      ),
    },
  ];
}

/** The Terraform address an element writes, for the kinds whose JSON is keyed by name. */
function addressOf(e: TerraformElement): string | undefined {
  if (e instanceof TerraformDataSource) return `data.${e.terraformResourceType}.${e.friendlyUniqueId}`;
  if (e instanceof TerraformResource) return `${e.terraformResourceType}.${e.friendlyUniqueId}`;
  if (e instanceof TerraformOutput) return `output.${e.friendlyUniqueId}`;
  if (e instanceof TerraformVariable) return `var.${e.friendlyUniqueId}`;
  if (e instanceof TerraformLocal) return `local.${e.friendlyUniqueId}`;
  if (e instanceof TerraformModule) return `module.${e.friendlyUniqueId}`;
  return undefined;
}
