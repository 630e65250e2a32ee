/**
 * The per-area registries of the reporting back ends: `costAreas` (src/cost/lines/) and
 * `graphAreas` (src/graph/model.ts). Every top-level section of the spec is mapped to the
 * registry entries that report it, or listed as having none with the reason; and each
 * entry is required to produce a known line and box for the complete example, so dropping
 * an entry from a registry fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pipelineSchema from '../schemas/pipeline.schema.json';
import { analyzeSpec } from '../src/compiler';
import { PRICES, resolveUsage } from '../src/cost';
import { componentAddresses } from '../src/cost/addresses';
import { costAreas, estimateLines, pricingContext } from '../src/cost/estimate';
import { buildGraph, graphAreas } from '../src/graph/model';
import { ROOT } from './harness/spec';

type None = `none: ${string}`;
interface Mapping {
  readonly cost: readonly string[] | None;
  readonly graph: readonly string[] | None;
}

/** Each top-level spec section: the cost prefixes and graph areas that report it. */
const SECTIONS: Readonly<Record<string, Mapping>> = {
  apiVersion: { cost: 'none: not an area', graph: 'none: not an area' },
  name: { cost: 'none: not an area', graph: 'none: the diagram title' },
  region: { cost: 'none: selects the prices', graph: 'none: the diagram title' },
  account: { cost: 'none: not an area', graph: 'none: not an area' },
  description: { cost: 'none: not an area', graph: 'none: not an area' },
  tags: { cost: 'none: not an area', graph: 'none: not an area' },
  goals: { cost: 'none: KPIs bill nothing', graph: ['training'] },
  security: { cost: ['security', 'logs'], graph: ['kms', 'edge'] },
  compliance: { cost: 'none: presets change other sections', graph: 'none: presets change other sections' },
  network: { cost: ['network'], graph: ['network'] },
  storage: { cost: ['storage'], graph: ['storage'] },
  data: { cost: ['glue', 'emr'], graph: ['glue', 'emr'] },
  features: { cost: ['features'], graph: ['features'] },
  notebooks: { cost: ['notebooks'], graph: ['notebooks'] },
  orchestration: {
    cost: ['lambda'],
    graph: ['lambda'],
  },
  training: { cost: ['training', 'eks'], graph: ['training', 'eks', 'registry'] },
  tracking: { cost: ['tracking'], graph: ['tracking'] },
  serving: { cost: ['serving'], graph: ['serving', 'registry'] },
  monitoring: { cost: ['monitoring'], graph: ['monitoring'] },
  cicd: { cost: ['cicd'], graph: ['cicd'] },
  usage: { cost: 'none: the assumptions every line reads', graph: 'none: assumptions only' },
  state: { cost: 'none: the state bucket is not the pipeline’s', graph: 'none: not part of the pipeline' },
  environments: { cost: 'none: estimated as the shared base', graph: 'none: drawn as the shared base' },
  promotion: { cost: 'none: grants and an approval gate', graph: 'none: grants and an approval gate' },
};

/** A line and a box each registry entry gives the complete example. */
const COST_KNOWN: Readonly<Record<string, string>> = {
  security: 'security/waf',
  storage: 'storage/raw',
  network: 'network/nat',
  logs: 'logs/cloudwatch',
  eks: 'eks/gpu-spot',
  glue: 'glue/sessionize',
  emr: 'emr/cluster',
  lambda: 'lambda/validate-payments',
  notebooks: 'notebooks/domain',
  tracking: 'tracking/mlflow',
  features: 'features/cardholder',
  training: 'training/jobs',
  serving: 'serving/scorer',
  monitoring: 'monitoring/scorer',
  cicd: 'cicd/pipeline',
};
const GRAPH_KNOWN: Readonly<Record<string, string>> = {
  storage: 'lake_raw',
  glue: 'processing_job_sessionize',
  emr: 'processing_emr',
  lambda: 'processing_fn_validate_payments',
  features: 'processing_features_cardholder',
  notebooks: 'processing_studio',
  training: 'training_pipeline',
  tracking: 'training_mlflow',
  eks: 'training_eks',
  registry: 'registry_fraud_models',
  cicd: 'registry_cicd',
  serving: 'serving_scorer',
  monitoring: 'monitoring_monitor_scorer',
  kms: 'foundation_kms',
  network: 'foundation_vpc',
  edge: 'foundation_waf',
};

const file = join('examples', 'complete', 'pipeline.yaml');
const complete = analyzeSpec(file, readFileSync(join(ROOT, file)));
const ctx = pricingContext(complete.resolved, resolveUsage(complete.spec), PRICES);
const named = (xs: readonly string[] | None): readonly string[] => (typeof xs === 'string' ? [] : xs);

describe('per-area registries', () => {
  test('every top-level section of the schema is mapped (or says why it has no entry)', () => {
    expect(Object.keys(SECTIONS).sort()).toEqual(
      Object.keys((pipelineSchema as { properties: object }).properties).sort(),
    );
  });

  test('the mapping names only registered entries, and every entry is named by a section', () => {
    const costPrefixes = costAreas.map((a) => a.prefix);
    const graphNames = graphAreas.map((a) => a.area);
    const mappedCost = new Set(Object.values(SECTIONS).flatMap((m) => named(m.cost)));
    const mappedGraph = new Set(Object.values(SECTIONS).flatMap((m) => named(m.graph)));
    expect([...mappedCost].filter((p) => !costPrefixes.includes(p))).toEqual([]);
    expect([...mappedGraph].filter((p) => !graphNames.includes(p))).toEqual([]);
    expect(costPrefixes.filter((p) => !mappedCost.has(p))).toEqual([]);
    expect(graphNames.filter((p) => !mappedGraph.has(p))).toEqual([]);
    expect(new Set(costPrefixes).size).toBe(costPrefixes.length);
    expect(new Set(graphNames).size).toBe(graphNames.length);
  });

  test('every cost area gives the complete example its known line, with its addresses', () => {
    expect(Object.keys(COST_KNOWN).sort()).toEqual(costAreas.map((a) => a.prefix).sort());
    const components = estimateLines(ctx).map((l) => l.component);
    for (const area of costAreas) {
      const own = area.lines(ctx).map((l) => l.component);
      expect({ area: area.prefix, has: own.includes(COST_KNOWN[area.prefix]) }).toEqual({
        area: area.prefix,
        has: true,
      });
      expect(own.every((c) => c.startsWith(`${area.prefix}/`))).toBe(true);
      expect(components).toEqual(expect.arrayContaining(own));
    }
    // The address comes from the entry of the component's prefix.
    expect(componentAddresses(complete.resolved, 'serving/scorer')).toEqual([
      'aws_sagemaker_endpoint.serving_scorer',
    ]);
    expect(componentAddresses(complete.resolved, 'logs/cloudwatch')).toEqual([]);
    expect(componentAddresses(complete.resolved, 'nosuch/thing')).toEqual([]);
  });

  test('every graph area gives the complete example its known box', () => {
    expect(Object.keys(GRAPH_KNOWN).sort()).toEqual(graphAreas.map((a) => a.area).sort());
    const graph = buildGraph(complete.resolved);
    const ids = [...graph.stages, ...(graph.foundation ? [graph.foundation] : [])].flatMap((s) =>
      s.nodes.map((n) => n.id),
    );
    for (const area of graphAreas) {
      const own = area.nodes(complete.resolved).map((n) => n.node.id);
      expect({ area: area.area, has: own.includes(GRAPH_KNOWN[area.area]) }).toEqual({
        area: area.area,
        has: true,
      });
      expect(ids).toEqual(expect.arrayContaining(own));
    }
  });
});
