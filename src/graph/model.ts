import { DEFAULTS } from '../areas/serving/catalog';
import type { ResolvedSpec } from '../model/resolved';

/** The stages of an ML pipeline, in the order data flows through them. */
export const FLOW_STAGES = ['lake', 'processing', 'training', 'registry', 'serving', 'monitoring'] as const;
export type FlowStage = (typeof FLOW_STAGES)[number];

/** One box in the diagram. */
export interface GraphNode {
  /** Unique in the graph: `<stage>_<name>`, letters, digits and `_` only. */
  readonly id: string;
  readonly label: string;
  /** A second, smaller line. */
  readonly detail?: string;
}

/** A stage: a column of boxes (or the foundation row). */
export interface GraphStage {
  readonly id: FlowStage | 'foundation';
  readonly title: string;
  readonly nodes: readonly GraphNode[];
}

/** The architecture of a pipeline as the diagram shows it. */
export interface PipelineGraph {
  readonly name: string;
  readonly region: string;
  /** The flow stages the pipeline has, in flow order (each with at least one box). */
  readonly stages: readonly GraphStage[];
  /** Key, network and edge protection shared by every stage; undefined when empty. */
  readonly foundation?: GraphStage;
  /**
   * The retraining loop from monitoring (or serving) back to training; undefined without
   * both ends. `configured` is false when nothing retrains on KPI evidence yet.
   */
  readonly loop?: {
    readonly from: FlowStage;
    readonly to: FlowStage;
    readonly label: string;
    readonly configured: boolean;
  };
}

const TITLES: Readonly<Record<FlowStage | 'foundation', string>> = {
  lake: 'Data lake',
  processing: 'Processing',
  training: 'Training',
  registry: 'Model registry',
  serving: 'Serving',
  monitoring: 'Monitoring',
  foundation: 'Foundation',
};

/** `ml.c6i.xlarge` as `c6i.xlarge`: the boxes are narrow. */
const short = (type: string) => type.replace(/^ml\./, '');

const nodeId = (stage: string, name: string) => `${stage}_${name}`.replace(/[^A-Za-z0-9_]/g, '_');

/** One box of the diagram and the stage (column) it goes in. */
export interface StagedNode {
  readonly stage: FlowStage | 'foundation';
  readonly node: GraphNode;
}

/**
 * One area's boxes in the diagram, listed in {@link graphAreas}. Boxes keep, within each
 * stage, the order of the areas in that list and of the producer's own calls.
 */
export interface GraphArea {
  /** The area, as test/registries.test.ts names it. */
  readonly area: string;
  /** The area's boxes for the spec; none when the spec does not use it. */
  readonly nodes: (spec: ResolvedSpec) => StagedNode[];
}

type Add = (stage: FlowStage | 'foundation', name: string, label: string, detail?: string) => void;

/** A graph area from a function that adds its boxes. */
function graphArea(area: string, build: (spec: ResolvedSpec, add: Add) => void): GraphArea {
  return {
    area,
    nodes(spec) {
      const out: StagedNode[] = [];
      build(spec, (stage, name, label, detail) =>
        out.push({ stage, node: { id: nodeId(stage, name), label, ...(detail ? { detail } : {}) } }),
      );
      return out;
    },
  };
}

const storageNodes = graphArea('storage', (spec, add) => {
  for (const b of spec.storage.buckets) {
    const archive = b.lifecycle.archive ? `, ${b.lifecycle.archive.storageClass}` : '';
    add('lake', b.name, `S3 ${b.name}`, `${b.lifecycle.tiering}${archive}`);
  }
});

const glueNodes = graphArea('glue', (spec, add) => {
  const glue = spec.data?.glue;
  for (const c of glue?.crawlers ?? [])
    add('processing', `crawler_${c.name}`, `Glue crawler ${c.name}`, `to ${c.database}`);
  for (const j of glue?.jobs ?? []) {
    add(
      'processing',
      `job_${j.name}`,
      `Glue job ${j.name}`,
      `${j.workers} x ${j.workerType}${j.flex ? ', Flex' : ''}`,
    );
  }
  for (const w of glue?.workflows ?? [])
    add('processing', `workflow_${w.name}`, `Glue workflow ${w.name}`, `${w.stages.length} stages`);
});

const emrNodes = graphArea('emr', (spec, add) => {
  const emr = spec.data?.emr;
  if (emr) add('processing', 'emr', `EMR ${emr.mode} ${emr.name}`, emr.applications.join(', '));
});

const lambdaNodes = graphArea('lambda', (spec, add) => {
  for (const f of spec.orchestration?.functions ?? [])
    add(
      'processing',
      `fn_${f.name}`,
      `Lambda ${f.name}`,
      `${f.memoryMiB} MiB, ${f.triggers.length} trigger(s)`,
    );
});

const featuresNodes = graphArea('features', (spec, add) => {
  for (const g of spec.features?.groups ?? []) {
    const stores = [g.online ? 'online' : '', g.offline ? 'offline' : ''].filter(Boolean).join(' + ');
    add('processing', `features_${g.name}`, `feature group ${g.name}`, stores);
  }
});

const notebooksNodes = graphArea('notebooks', (spec, add) => {
  for (const nb of spec.notebooks?.instances ?? [])
    add('processing', `notebook_${nb.name}`, `notebook ${nb.name}`, short(nb.instanceType));
  if (spec.notebooks?.domain)
    add('processing', 'studio', 'Studio domain', `${spec.notebooks.domain.users.length} user(s)`);
});

const trainingNodes = graphArea('training', (spec, add) => {
  const t = spec.training;
  if (t?.preprocessing)
    add(
      'processing',
      'preprocessing',
      'preprocessing step',
      `${t.preprocessing.instanceCount} x ${t.preprocessing.instance.type}`,
    );
  if (t) {
    const spot = t.spot ? ', spot' : '';
    add(
      'training',
      'pipeline',
      'SageMaker pipeline',
      `${t.algorithm}, ${t.instanceCount} x ${short(t.instance.type)}${spot}`,
    );
    if (t.tuning)
      add('training', 'tuning', 'hyperparameter tuning', `${t.tuning.strategy}, ${t.tuning.maxJobs} jobs`);
    const gate = t.kpis
      .map((k) => `${k.name} ${k.direction === 'higher-is-better' ? '>=' : '<='} ${k.threshold}`)
      .join(', ');
    add('training', 'evaluation', t.evaluation ? 'evaluation + KPI gate' : 'KPI gate', gate || 'no KPIs');
  }
});

const trackingNodes = graphArea('tracking', (spec, add) => {
  const mlflow = spec.tracking?.mlflow;
  if (mlflow) add('training', 'mlflow', 'MLflow tracking server', `${mlflow.serverName}, ${mlflow.size}`);
});

const eksNodes = graphArea('eks', (spec, add) => {
  if (!spec.eks) return;
  add('training', 'eks', `EKS ${spec.eks.clusterName}`, `Kubernetes ${spec.eks.version}`);
  for (const ng of spec.eks.nodeGroups) {
    const scale = `${ng.scaling.minSize}-${ng.scaling.maxSize}`;
    add(
      'training',
      `ng_${ng.name}`,
      `nodes ${ng.name}`,
      `${ng.instanceTypes[0]} ${ng.capacityType === 'SPOT' ? 'spot' : 'on-demand'} ${scale}${ng.efaInterfaces > 0 ? ', EFA' : ''}`,
    );
  }
});

/** The model package groups: the training pipeline's and every one an endpoint serves from. */
const registryNodes = graphArea('registry', (spec, add) => {
  const t = spec.training;
  const groups = new Set<string>(t ? [t.modelPackageGroupName] : []);
  for (const e of spec.serving?.endpoints ?? []) {
    for (const v of [...e.variants, ...(e.shadow ? [e.shadow] : [])]) {
      if (v.model.source.kind === 'registry') groups.add(v.model.source.packageGroup);
    }
  }
  for (const g of [...groups].sort()) add('registry', g, 'model packages', g);
});

const cicdNodes = graphArea('cicd', (spec, add) => {
  if (spec.cicd) add('registry', 'cicd', 'CI/CD pipeline', 'build, approve, deploy');
});

/** Endpoints (with their data capture and rollback alarms, under monitoring) and the edge fleet. */
const servingNodes = graphArea('serving', (spec, add) => {
  for (const e of spec.serving?.endpoints ?? []) {
    const capacity =
      e.type === 'serverless'
        ? `${e.serverless?.memoryMb ?? DEFAULTS.serverless.memoryMb} MB`
        : e.variants
            .map(
              (v) => `${v.instanceCount ?? DEFAULTS.variant.instanceCount} x ${short(v.instanceType ?? '')}`,
            )
            .join(' + ');
    add(
      'serving',
      e.name,
      `endpoint ${e.name}`,
      `${e.type}, ${capacity}${e.autoscaling ? ', autoscaled' : ''}`,
    );
    if (e.dataCapture)
      add(
        'monitoring',
        `capture_${e.name}`,
        'data capture',
        `${e.name}, ${e.dataCapture.samplingPercent}% sampled`,
      );
    if (e.deployment.autoRollback)
      add('monitoring', `rollback_${e.name}`, 'rollback alarms', `${e.name}: errors, p99 latency`);
  }
  if (spec.serving?.edge) add('serving', 'edge', `edge fleet ${spec.serving.edge.name}`, 'IoT Greengrass');
  // The approval -> (Neo) -> component -> deployment path of registry edge models.
  const edgeRegistry = spec.serving?.edge?.registry;
  if (edgeRegistry)
    add(
      'registry',
      'edge_registry',
      'edge deploy on approval',
      edgeRegistry.models.some((m) => m.compile) ? 'Neo compile, Greengrass' : 'Greengrass component',
    );
});

const monitoringNodes = graphArea('monitoring', (spec, add) => {
  const monitoring = spec.monitoring;
  for (const m of monitoring?.monitors ?? []) {
    const kinds = [m.dataQuality ? 'data' : '', m.modelQuality ? 'model' : ''].filter(Boolean);
    add(
      'monitoring',
      `monitor_${m.endpoint}`,
      'Model Monitor',
      `${m.endpoint}: ${kinds.join(' + ') || 'no'} quality${m.bias ? ', bias drift' : ''}${m.explainability ? ', feature attribution' : ''}`,
    );
  }
  if (monitoring?.prometheus) add('monitoring', 'prometheus', 'Prometheus', 'managed workspace');
  if (monitoring?.grafana) add('monitoring', 'grafana', 'Grafana', 'managed workspace');
  if (monitoring?.retraining) {
    const evidence = monitoring.retraining.kpiAlarms.length + monitoring.retraining.driftAlarmNames.length;
    add('monitoring', 'retraining', 'retraining trigger', `${evidence} KPI and drift alarm(s)`);
  }
});

const kmsNodes = graphArea('kms', (spec, add) => {
  add(
    'foundation',
    'kms',
    spec.security.kms.existingKeyArn ? 'KMS key (existing)' : 'KMS key',
    spec.security.kms.alias,
  );
});

const networkNodes = graphArea('network', (spec, add) => {
  if (spec.network?.mode === 'create') {
    const nat = spec.network.vpc.natGateways === 'none' ? 'no NAT' : `NAT ${spec.network.vpc.natGateways}`;
    add(
      'foundation',
      'vpc',
      `VPC ${spec.network.vpc.cidr}`,
      `${spec.network.vpc.availabilityZones.length} AZs, ${nat}`,
    );
    add(
      'foundation',
      'endpoints',
      'VPC endpoints',
      `${spec.network.endpoints.interface.length} interface${spec.network.endpoints.gateway ? ' + gateway' : ''}`,
    );
  } else if (spec.network?.mode === 'existing') {
    add('foundation', 'vpc', `VPC ${spec.network.vpcId}`, 'existing');
  }
});

/** Edge protection: the web ACL and Shield Advanced. */
const edgeNodes = graphArea('edge', (spec, add) => {
  if (spec.security.waf)
    add('foundation', 'waf', 'WAF web ACL', `${spec.security.waf.managedRuleGroups.length} rule groups`);
  if (spec.security.shield) add('foundation', 'shield', 'Shield Advanced');
});

/** Every area's boxes, in the order they appear within each stage. A new area adds its producer here. */
export const graphAreas: readonly GraphArea[] = [
  storageNodes,
  glueNodes,
  emrNodes,
  lambdaNodes,
  featuresNodes,
  notebooksNodes,
  trainingNodes,
  trackingNodes,
  eksNodes,
  registryNodes,
  cicdNodes,
  servingNodes,
  monitoringNodes,
  kmsNodes,
  networkNodes,
  edgeNodes,
];

/** Builds the diagram's model from the resolved spec (deterministic: every list is sorted by name). */
export function buildGraph(spec: ResolvedSpec): PipelineGraph {
  const nodes: Record<FlowStage | 'foundation', GraphNode[]> = {
    lake: [],
    processing: [],
    training: [],
    registry: [],
    serving: [],
    monitoring: [],
    foundation: [],
  };
  for (const area of graphAreas) for (const { stage, node } of area.nodes(spec)) nodes[stage].push(node);
  const retraining = spec.monitoring?.retraining !== undefined;

  const stages = FLOW_STAGES.filter((s) => nodes[s].length > 0).map((s) => ({
    id: s,
    title: TITLES[s],
    nodes: nodes[s],
  }));
  const present = new Set(stages.map((s) => s.id));
  const loopFrom: FlowStage | undefined = present.has('monitoring')
    ? 'monitoring'
    : present.has('serving')
      ? 'serving'
      : undefined;
  return {
    name: spec.name,
    region: spec.region,
    stages,
    ...(nodes.foundation.length > 0
      ? { foundation: { id: 'foundation', title: TITLES.foundation, nodes: nodes.foundation } }
      : {}),
    ...(present.has('training') && loopFrom
      ? {
          loop: retraining
            ? {
                from: loopFrom,
                to: 'training',
                label: 'retrain when KPIs fall below thresholds',
                configured: true,
              }
            : { from: loopFrom, to: 'training', label: 'retraining: not configured', configured: false },
        }
      : {}),
  };
}
