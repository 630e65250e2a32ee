import { formatPath, showAround, type Diagnostic } from '../diagnostics';
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

/**
 * Values that reach a service verbatim, where a literal `${` or `%{` has a use (a Glue
 * argument, an environment variable of a function or a model container): there the
 * Terraform escapes `$${` and `%%{` are accepted and written as they are, so Terraform
 * renders them as a literal `${` and `%{`.
 */
const ESCAPES_ALLOWED: readonly ((path: readonly (string | number)[]) => boolean)[] = [
  (p) => p.length === 6 && p[0] === 'data' && p[1] === 'glue' && p[2] === 'jobs' && p[4] === 'arguments',
  (p) =>
    p.length === 6 &&
    p[0] === 'orchestration' &&
    p[1] === 'workflow' &&
    p[2] === 'steps' &&
    p[4] === 'arguments',
  (p) => p.length === 5 && p[0] === 'orchestration' && p[1] === 'functions' && p[3] === 'environment',
  (p) => p[0] === 'serving' && p.at(-3) === 'model' && p.at(-2) === 'environment',
];

/** May this value carry escaped template sequences? */
export function escapesAllowed(path: readonly (string | number)[]): boolean {
  return ESCAPES_ALLOWED.some((matches) => matches(path));
}

/**
 * The first template sequence Terraform would evaluate in `text`: `${` or `%{` not preceded
 * by the same character. Terraform reads `$${` as a literal `${` and any `$` before it as
 * a literal `$` (`$$${x}` renders `$${x}`), and likewise `%%{`.
 */
export function unescapedTemplate(text: string): string | undefined {
  return /(?<!\$)\$\{|(?<!%)%\{/.exec(text)?.[0];
}

/** Built-in properties of every JavaScript object: a name equal to one of them is looked up, not found. */
const OBJECT_BUILTINS = new Set(Object.getOwnPropertyNames(Object.prototype));
/** Maps whose keys are names of things pipeform builds (not free-form tag, argument or variable maps). */
const NAME_KEYED_MAPS = ['storage.buckets', 'usage.endpoints', 'usage.bucketGb', 'environments'];

export const coreRules: readonly CheckRule[] = [
  {
    id: 'core/no-interpolation',
    description:
      'No key or value may contain "${" or "%{": Terraform would evaluate it as an expression (injection into the generated configuration). Glue arguments and function and model environment values may hold the escapes "$${" and "%%{", which Terraform renders as a literal "${" and "%{".',
    run: (ctx) => {
      const out: Diagnostic[] = [];
      for (const [path, value, isKey] of strings(ctx.spec)) {
        const escapable = !isKey && escapesAllowed(path);
        const found = escapable ? unescapedTemplate(value) : /\$\{|%\{/.exec(value)?.[0];
        if (found === undefined) continue;
        out.push(
          ctx.report(
            path,
            `${isKey ? 'key' : 'value'} ${showAround(value, value.indexOf(found))} contains "${found}", which Terraform would evaluate as an expression`,
            escapable
              ? `write "${found[0]}${found}" for a literal "${found}" (Terraform renders "${found[0]}${found}" as "${found}"); pipeform wires references between resources itself`
              : 'remove the template sequence; pipeform wires references between resources itself (only Glue arguments and function and model environment values may hold the escapes "$${" and "%%{")',
            { key: isKey },
          ),
        );
      }
      return out;
    },
  },
  {
    id: 'core/no-proto-key',
    description:
      'No key may be "__proto__": the JavaScript tooling that writes the Terraform JSON (cdktf) treats it as an object\'s prototype and would drop it without a word.',
    run: (ctx) =>
      [...strings(ctx.spec)]
        .filter(([, value, isKey]) => isKey && value === '__proto__')
        .map(([path]) =>
          ctx.report(
            path,
            'key "__proto__" cannot be kept: the tooling that writes the Terraform JSON would treat it as a prototype and drop it',
            'rename the key',
            { key: true },
          ),
        ),
  },
  {
    id: 'core/reserved-names',
    description:
      'No name of a component may be a built-in property of JavaScript objects (constructor, toString, ...): resources are named after spec names in a construct tree that looks names up in plain objects.',
    run: (ctx) => {
      const out: Diagnostic[] = [];
      for (const [path, value, isKey] of strings(ctx.spec)) {
        if (value === '__proto__' || !OBJECT_BUILTINS.has(value)) continue;
        const parent = formatPath(path.slice(0, -1));
        const isName = isKey ? NAME_KEYED_MAPS.includes(parent) : path.at(-1) === 'name';
        if (isName)
          out.push(
            ctx.report(
              path,
              `name ${JSON.stringify(value)} is reserved: it is a built-in property of JavaScript objects, and pipeform names resources after spec names`,
              `choose another name, e.g. ${JSON.stringify(`${value.toLowerCase()}-1`)}`,
              { key: isKey },
            ),
          );
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
