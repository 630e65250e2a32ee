import { SCHEMA_ID } from './spec/schema';

/** The pipeline.yaml `pipeform init` writes: minimal, valid, and self-explaining. */
export function starterSpec(opts: { name: string; region: string; account: string }): string {
  return `# yaml-language-server: $schema=${SCHEMA_ID}
# A pipeform pipeline. Validate with 'pipeform validate pipeline.yaml',
# compile to Terraform with 'pipeform synth pipeline.yaml'.
apiVersion: pipeform/v1
name: ${opts.name}
region: ${opts.region}
account: "${opts.account}"
description: ML pipeline ${opts.name}

goals:
  problem: Describe the business problem the model solves.
  kpis:
    - name: auc
      metric: classification_metrics.auc.value
      threshold: 0.8
      direction: higher-is-better

# The standard data-lake buckets (raw, curated, features, models, checkpoints, logs)
# exist by default, encrypted, versioned, private and tiered; tune them here.
storage:
  buckets:
    raw:
      purpose: raw events as ingested
`;
}
