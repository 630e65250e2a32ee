import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** The schema the modelines name: the spec's schema with the editor's hover and error hints. */
export const EDITOR_SCHEMA_FILE = join('schemas', 'pipeline.editor.schema.json');

/** This pipeform's own package directory: the nearest ancestor holding bin/pipeform.js and the editor schema. */
function ownPackageDir(): string | undefined {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'bin', 'pipeform.js')) && existsSync(join(dir, EDITOR_SCHEMA_FILE))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Where the modeline of a spec written into `dir` points, relative to `dir` (the YAML
 * language server resolves a relative `$schema` against the file's directory): the
 * project's installed pipeform (`node_modules/pipeform/` in `dir` or an ancestor), else
 * the pipeform that runs (a checkout, a global install). A path that leaves the project
 * resolves on this machine only; the project's own install is preferred for that reason.
 */
export function editorSchemaPath(dir: string): string {
  const from = resolve(dir);
  let target: string | undefined;
  for (let d = from; ; d = dirname(d)) {
    const installed = join(d, 'node_modules', 'pipeform', EDITOR_SCHEMA_FILE);
    if (existsSync(installed)) {
      target = installed;
      break;
    }
    if (dirname(d) === d) break;
  }
  target ??= join(ownPackageDir() ?? resolve(__dirname, '..'), EDITOR_SCHEMA_FILE);
  const rel = relative(from, target).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/**
 * The pipeline.yaml `pipeform init` writes into `dir`: minimal, valid, and self-explaining,
 * with a modeline that gives editors the schema from the installed package.
 */
export function starterSpec(opts: { name: string; region: string; account: string }, dir = '.'): string {
  return `# yaml-language-server: $schema=${editorSchemaPath(dir)}
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
