import type { Diagnostic } from '../diagnostics';
import type { CheckContext, CheckRule } from '../check';
import { parseArn } from '../arn';

/** Walks every string (keys and values) in the spec with its path. */
function* strings(
  node: unknown,
  path: (string | number)[] = [],
): Generator<[(string | number)[], string, boolean]> {
  if (typeof node === 'string') {
    yield [path, node, false];
  } else if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) yield* strings(node[i], [...path, i]);
  } else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      yield [[...path, k], k, true];
      yield* strings(v, [...path, k]);
    }
  }
}

/** Every ARN the spec names, with its path, except the state backend's (it lives outside the pipeline). */
function* arns(ctx: CheckContext): Generator<[(string | number)[], string]> {
  for (const [path, value, isKey] of strings(ctx.spec)) {
    if (!isKey && value.startsWith('arn:') && path[0] !== 'state') yield [path, value];
  }
}

export const coreRules: readonly CheckRule[] = [
  {
    id: 'core/no-interpolation',
    description:
      'No key or value may contain "${" or "%{": Terraform would evaluate it as an expression (injection into the generated configuration).',
    run: (ctx) => {
      const out: Diagnostic[] = [];
      for (const [path, value, isKey] of strings(ctx.spec)) {
        const m = /\$\{|%\{/.exec(value);
        if (m) {
          out.push(
            ctx.report(
              path,
              `${isKey ? 'key' : 'value'} ${JSON.stringify(value)} contains "${m[0]}", which Terraform would evaluate as an expression`,
              'remove the template sequence; pipeform wires references between resources itself',
              { key: isKey },
            ),
          );
        }
      }
      return out;
    },
  },
  {
    id: 'core/single-region',
    description:
      'Every AWS resource the spec references lives in the pipeline region: no inter-region data transfer, and data residency holds.',
    run: (ctx) => {
      const out: Diagnostic[] = [];
      for (const [path, value] of arns(ctx)) {
        const arn = parseArn(value);
        if (arn && arn.region !== '' && arn.region !== ctx.spec.region) {
          out.push(
            ctx.report(
              path,
              `${arn.service} resource is in region ${arn.region}, but the pipeline region is ${ctx.spec.region}`,
              `use a resource in ${ctx.spec.region}, or change 'region' (data and compute belong in one region)`,
            ),
          );
        }
      }
      return out;
    },
  },
  {
    id: 'core/unique-kpis',
    description: 'KPI names are unique: alarms, gates and outputs are named after them.',
    run: (ctx) => {
      const seen = new Map<string, number>();
      const out: Diagnostic[] = [];
      (ctx.spec.goals?.kpis ?? []).forEach((kpi, i) => {
        const first = seen.get(kpi.name);
        if (first !== undefined) {
          out.push(
            ctx.report(
              ['goals', 'kpis', i, 'name'],
              `KPI name ${JSON.stringify(kpi.name)} is already used by goals.kpis[${first}]`,
              'give each KPI its own name',
            ),
          );
        } else seen.set(kpi.name, i);
      });
      return out;
    },
  },
  {
    id: 'core/kms-admins-in-account',
    description:
      'Key administrators belong to the pipeline account: a key policy must not hand the key to another account by accident.',
    run: (ctx) =>
      (ctx.spec.security?.kms?.admins ?? []).flatMap((admin, i) => {
        const arn = parseArn(admin);
        return arn && arn.account !== ctx.spec.account
          ? [
              ctx.report(
                ['security', 'kms', 'admins', i],
                `key administrator is in account ${arn.account}, not the pipeline account ${ctx.spec.account}`,
                'name a role or user of the pipeline account',
              ),
            ]
          : [];
      }),
  },
];
