import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { compileSpec } from '../src/compiler';
import { synthesizeTargets } from '../src/synth/targets';
import {
  changedData,
  compareConfigs,
  mapConfigStrings,
  markReferences,
  resolveLiterals,
  resourceAt,
  type TerraformJson,
} from './harness/config-diff';
import { ADDITION_KINDS, additionsOf, type Addition, type AdditionKind } from './harness/mutations';
import { examples, ROOT } from './harness/spec';
import { judge } from './harness/stability-rules';

/**
 * Day 2, "spec change" (lifecycle.md): a user adds a bucket, a serving endpoint, a variant,
 * a function, a node group, an availability zone, an interface endpoint or an environment,
 * first and last in its list. For every example and every such addition, both specs are
 * synthesized and compared resource by resource:
 *
 * 1. no address of the old configuration disappears: resource, data source, input
 *    (variable) or output;
 * 2. every changed attribute of an existing resource is updated in place by the provider
 *    (IN_PLACE, confirmed by test/replace-forcing.test.ts), or ignored by the resource's own
 *    `lifecycle.ignore_changes`, or a replacement declared for that kind of addition
 *    (DECLARED_REPLACEMENTS) on a resource that is created before the old one is destroyed,
 *    under a new name. Anything else fails: unknown types and attributes count as replacing.
 *
 * References are followed: a changed literal (a model name) shows up in everything that
 * references it, and a replaced resource changes every reference to it (its id and ARN are
 * new), so what Terraform would cascade the test cascades too.
 *
 * Environments: the configurations of the environments a spec already has must keep
 * every address and attribute. A spec without environments that gets its first one moves
 * to `<environment>/` under the stack name `<name>-<environment>`: that configuration must
 * be the old one with only the names changed (every occurrence of `<name>-<environment>`
 * read as `<name>`, and the `pipeform:environment` tag), so nothing but the names differ.
 */

type Configs = Map<string, TerraformJson>;

/**
 * Every configuration a spec synthesizes, by directory ('' without environments). For a
 * spec with environments, each environment's whole configuration: in the module layout
 * that is what its root deploys through modules/pipeline, at the same addresses under
 * `module.pipeline.` (environment-roots.test.ts holds the layout to that).
 */
function synthConfigs(file: string, text: string): Configs {
  const { targets } = synthesizeTargets(compileSpec(file, Buffer.from(text)), file);
  const out: Configs = new Map();
  for (const t of targets) {
    const content = t.result.files.get('main.tf.json');
    if (content === undefined) throw new Error(`no main.tf.json for ${t.dir || '.'}`);
    out.set(t.dir, JSON.parse(typeof content === 'string' ? content : Buffer.from(content).toString()));
  }
  return out;
}

/**
 * Hash suffixes (8 hex digits ending a name part, also inside an expression such as
 * `format("%s-v%d", "<name>-<hash>", each.value)`) and hex digests: hashes of names change
 * when the names do.
 */
const HASHES = /(?<=-)[0-9a-f]{8}(?![0-9A-Za-z])|^[0-9a-f]{64}$/g;

/** A configuration with its hashes blanked, to compare names up to the hashes of names. */
function withoutHashes(config: TerraformJson): TerraformJson {
  return mapConfigStrings(config, (s) => s.replace(HASHES, '<hash>'));
}

/**
 * A configuration as if the first environment had not renamed the stack: the stack name
 * `<name>-<environment>` (and its Glue form `<name>_<environment>`) read as `<name>`,
 * without the `pipeform:environment` tag, and hashes blanked (they hash the names).
 */
function withoutEnvironment(config: TerraformJson, pipeline: string, environment: string): TerraformJson {
  const glue = pipeline.replace(/-/g, '_');
  const renamed = mapConfigStrings(config, (s) =>
    s.split(`${pipeline}-${environment}`).join(pipeline).split(`${glue}_${environment}`).join(glue),
  );
  const dropTag = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(dropTag);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k]) => k !== 'pipeform:environment')
          .map(([k, x]) => [k, dropTag(x)]),
      );
    return v;
  };
  return withoutHashes(dropTag(renamed) as TerraformJson);
}

const show = (v: unknown) => {
  const s = JSON.stringify(v) ?? 'undefined';
  return s.length > 160 ? `${s.slice(0, 160)}...` : s;
};

/** What breaks when `before` becomes `after` for an addition of `kind` (empty when stable). */
function stabilityProblems(before: TerraformJson, after: TerraformJson, kind: AdditionKind): string[] {
  const b = resolveLiterals(before);
  const a = resolveLiterals(after);
  const replaced = new Set(changedData(b, a));
  for (;;) {
    const { missing, changes } = compareConfigs(b, markReferences(a, replaced));
    const problems = missing.map((m) => `${m} disappears`);
    let cascaded = false;
    const byAddress = new Map<string, typeof changes>();
    for (const c of changes) byAddress.set(c.address, [...(byAddress.get(c.address) ?? []), c]);
    for (const [address, list] of byAddress) {
      const { verdicts, replaced: isReplaced } = judge(
        kind,
        list[0].type,
        list.map((c) => c.path),
        resourceAt(b, address) ?? {},
        resourceAt(a, address) ?? {},
      );
      verdicts.forEach((v, i) => {
        const c = list[i];
        if (!v.ok) problems.push(`${address} ${c.path}: ${v.why}: ${show(c.before)} -> ${show(c.after)}`);
      });
      if (isReplaced && !replaced.has(address)) {
        replaced.add(address);
        cascaded = true;
      }
    }
    if (!cascaded) return problems;
  }
}

/** The configurations to compare for an addition: [label, before, after]. */
function pairs(before: Configs, after: Configs, a: Addition): [string, TerraformJson, TerraformJson][] {
  const out: [string, TerraformJson, TerraformJson][] = [];
  for (const [dir, config] of before) {
    const next = after.get(dir);
    if (next !== undefined) out.push([dir || '.', config, next]);
    else if (dir === '' && a.kind === 'environment') {
      const env = Object.keys(a.spec.environments as object)[0];
      const moved = after.get(env);
      if (moved === undefined) throw new Error(`environment ${env} produced no configuration`);
      out.push([`. -> ${env}/`, withoutHashes(config), withoutEnvironment(moved, String(a.spec.name), env)]);
    } else throw new Error(`configuration ${dir || '.'} is gone after ${a.description}`);
  }
  return out;
}

const all = examples().map((e) => {
  const text = readFileSync(join(ROOT, e.file), 'utf8');
  return { ...e, text, ...additionsOf(text) };
});

describe.each(all)('example $name', ({ file, text, additions, skipped }) => {
  let before: Configs;
  beforeAll(() => {
    before = synthConfigs(file, text);
  });

  test(`has no area for: ${[...new Set(skipped.map((s) => `${s.kind} (${s.reason})`))].join(', ') || 'none'}`, () => {
    // Every kind is either added at both positions or skipped with a reason.
    for (const kind of ADDITION_KINDS) {
      const done = additions.filter((a) => a.kind === kind).length;
      const skips = skipped.filter((s) => s.kind === kind).length;
      expect({ kind, total: done + skips }).toEqual({ kind, total: 2 });
    }
  });

  test.each(additions)(
    'adding $description as the $position element keeps every address and replace-forcing attribute',
    (a) => {
      const after = synthConfigs(file, stringify(a.spec));
      const problems = pairs(before, after, a).flatMap(([label, b, x]) =>
        stabilityProblems(b, x, a.kind).map((p) => `[${label}] ${p}`),
      );
      expect(problems).toEqual([]);
    },
  );
});

test('every kind of addition is exercised by some example, first and last', () => {
  const seen = new Set(all.flatMap((e) => e.additions.map((a) => `${a.kind}/${a.position}`)));
  const missing = ADDITION_KINDS.flatMap((k) => [`${k}/first`, `${k}/last`]).filter((k) => !seen.has(k));
  // The first environment of a spec without any is a single case; multi-env covers both positions.
  expect(missing).toEqual([]);
});
