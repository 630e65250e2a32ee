/**
 * Secrets by reference: a literal secret in the spec would land verbatim in main.tf.json,
 * generated/ and the Terraform state. These rules refuse it, check the references that
 * replace it, and check that the reading container is not cut off from the network. The
 * interface endpoints a reader needs are derived with the other workloads' (`secret-readers`,
 * `parameter-readers` in src/areas/network/catalog.ts) and checked by network/workload-endpoints.
 */
import { parseArn } from '../arn';
import type { CheckContext, CheckRule } from '../check';
import { formatPath, type Diagnostic } from '../diagnostics';
import {
  credentialFormatOf,
  harmlessValue,
  looksSecretName,
  placeInstances,
  readerNetwork,
  referenceArnKind,
  referenceKey,
  specReferences,
  type PlaceInstance,
  type ReferenceStyle,
  type SecretPlace,
} from '../secrets';
import type { SecretRef } from '../../spec/types.generated';
import type { SpecPath } from './references';

const quote = (v: unknown): string => JSON.stringify(v);

/** Where a literal value written in the spec ends up. */
const LANDS_IN = 'it would land verbatim in main.tf.json, generated/ and the Terraform state';

/** A secret name to suggest for a key: `<pipeline>/<key in kebab case>` (`clicks/db-password`). */
function suggestedSecretName(ctx: CheckContext, key: string): string {
  const kebab = key
    .replace(/^-+/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9/]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${ctx.spec.name}/${kebab || 'secret'}`;
}

/** What the reader receives for a reference of this kind under `key`, for hints. */
function receives(
  place: SecretPlace,
  key: string,
  style: ReferenceStyle,
  kind: 'secret' | 'parameter' = 'secret',
): string {
  const ref: SecretRef = kind === 'secret' ? { secret: 'x' } : { parameter: 'x' };
  return style === 'native'
    ? `CodeBuild resolves it into ${key} when the build starts`
    : `${place.reader} receives its name as ${referenceKey(key, ref, style)} and may read exactly that ${kind}`;
}

/** The hint for a literal secret under `key`: the reference form where the place takes one. */
function referenceHint(ctx: CheckContext, place: SecretPlace, key: string): string {
  if (place.style === undefined) return place.instead ?? 'keep secrets out of the spec';
  const name = suggestedSecretName(ctx, key);
  return (
    `store it in Secrets Manager (aws secretsmanager create-secret --name ${name} --secret-string ...) ` +
    `and reference it: \`${key}: { secret: ${name} }\`; ${receives(place, key, place.style)}`
  );
}

/** A parameter's name from its ARN: a hierarchical name keeps its leading slash, which the ARN drops. */
function parameterName(arn: string): string {
  const rest = arn.slice(arn.indexOf(':parameter/') + ':parameter/'.length);
  return rest.includes('/') ? `/${rest}` : rest;
}

/** A command-line flag (`--db-password`, `-p`). */
const isFlag = (a: unknown): boolean => typeof a === 'string' && /^--?[A-Za-z]/.test(a);

/** Each string value of a place: [path, key (the flag for argument lists), value]. */
function* literals(inst: PlaceInstance): Generator<[SpecPath, string, string]> {
  if (inst.place.kind === 'map') {
    if (inst.value === null || typeof inst.value !== 'object') return;
    for (const [k, v] of Object.entries(inst.value)) {
      if (typeof v === 'string') yield [[...inst.path, k], k, v];
    }
    return;
  }
  if (!Array.isArray(inst.value)) return;
  const args: unknown[] = inst.value;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const next = args[i + 1];
    if (typeof arg !== 'string') continue;
    // `--name=value`, or `--name value` (the value is the next argument).
    const eq = /^(--?[^=\s]+)=(.*)$/s.exec(arg);
    if (eq) yield [[...inst.path, i], eq[1], eq[2]];
    else if (isFlag(arg) && typeof next === 'string' && !isFlag(next))
      yield [[...inst.path, i + 1], arg, next];
  }
}

/** Every string value in the spec (not keys), with its path. */
function* strings(node: unknown, path: (string | number)[] = []): Generator<[SpecPath, string]> {
  if (typeof node === 'string') yield [path, node];
  else if (Array.isArray(node)) for (let i = 0; i < node.length; i++) yield* strings(node[i], [...path, i]);
  else if (node !== null && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) yield* strings(v, [...path, k]);
}

export const secretRules: readonly CheckRule[] = [
  {
    id: 'secrets/literal',
    description:
      'A literal value under a name that looks secret (PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, CREDENTIALS, ...) is refused: it would land in main.tf.json, generated/ and the state. Reference a Secrets Manager secret or SSM parameter instead.',
    run: (ctx) =>
      placeInstances(ctx.spec).flatMap((inst) =>
        [...literals(inst)]
          .filter(
            ([, key, value]) =>
              looksSecretName(key) &&
              !harmlessValue(value) &&
              referenceArnKind(value) === undefined &&
              // The credential-format rule reports these, with a stronger message.
              credentialFormatOf(value) === undefined,
          )
          .map(([path, key]) =>
            ctx.report(
              path,
              `${quote(key)} looks like a secret, but its value is written in the spec: ${inst.place.landsIn ?? LANDS_IN}`,
              referenceHint(ctx, inst.place, key),
            ),
          ),
      ),
  },
  {
    id: 'secrets/credential-format',
    description:
      'A value shaped like a known credential (GitHub, Slack, GitLab, Hugging Face tokens, AWS access key ids, PEM private keys, passwords in URLs, ...) is refused wherever it appears.',
    run: (ctx) => {
      const places = placeInstances(ctx.spec);
      const out: Diagnostic[] = [];
      for (const [path, value] of strings(ctx.spec)) {
        const format = credentialFormatOf(value);
        if (format === undefined) continue;
        const inst = places.find((p) => formatPath(path).startsWith(`${formatPath(p.path)}.`));
        const key = String(path[path.length - 1]);
        const fix =
          inst?.place.style !== undefined && inst.place.kind === 'map'
            ? referenceHint(ctx, inst.place, key)
            : (inst?.place.instead ?? 'keep credentials out of the spec; store them in Secrets Manager');
        out.push(
          ctx.report(
            path,
            `the value looks like a ${format.name}: ${inst?.place.landsIn ?? LANDS_IN}`,
            `treat it as leaked and rotate it (it is in this file and its history); then ${fix}`,
          ),
        );
      }
      return out;
    },
  },
  {
    id: 'secrets/reference-as-text',
    description:
      "A secret's or parameter's ARN written as a plain value gives the reading role no access to it: write it as a reference, which also grants the read.",
    run: (ctx) =>
      placeInstances(ctx.spec)
        .filter((inst) => inst.place.style !== undefined && inst.place.kind === 'map')
        .flatMap((inst) =>
          [...literals(inst)].flatMap(([path, key, value]) => {
            const kind = referenceArnKind(value);
            if (kind === undefined) return [];
            // DB_SECRET_ARN: arn -> DB: { secret: arn }, which the reader receives as DB_SECRET_ID.
            const base = key.replace(/[_-](secret[_-])?(arn|id|name)$/i, '') || key;
            const ref =
              kind === 'secret' ? `{ secret: ${quote(value)} }` : `{ parameter: ${parameterName(value)} }`;
            return [
              ctx.report(
                path,
                `${quote(key)} holds the ARN of ${kind === 'secret' ? 'a Secrets Manager secret' : 'an SSM parameter'} as plain text: ${inst.place.reader} gets no permission to read it`,
                `write it as a reference: \`${base}: ${ref}\`; ${receives(inst.place, base, inst.place.style!, kind)}`,
              ),
            ];
          }),
        ),
  },
  {
    id: 'secrets/reference',
    description:
      "A secret reference names exactly one of 'secret' and 'parameter'; 'jsonKey' and 'versionStage' select from a Secrets Manager secret and only CodeBuild resolves them.",
    run: (ctx) =>
      specReferences(ctx.spec).flatMap(({ inst, path, ref }): Diagnostic[] => {
        if (ref.secret === undefined && ref.parameter === undefined) {
          return [
            ctx.report(
              path,
              "the secret reference names neither 'secret' nor 'parameter'",
              'add secret: <Secrets Manager name or ARN>, or parameter: <SSM parameter name>',
            ),
          ];
        }
        if (ref.secret !== undefined && ref.parameter !== undefined) {
          return [
            ctx.report(
              [...path, 'parameter'],
              "'secret' and 'parameter' are both set",
              'keep one of them: a reference names one secret or one parameter',
              { key: true },
            ),
          ];
        }
        return (['jsonKey', 'versionStage'] as const)
          .filter((k) => ref[k] !== undefined)
          .flatMap((k) => {
            if (ref.parameter !== undefined) {
              return [
                ctx.report(
                  [...path, k],
                  `'${k}' selects from a Secrets Manager secret; an SSM parameter has none`,
                  `remove ${k}, or reference a secret instead`,
                  { key: true },
                ),
              ];
            }
            if (inst.place.style !== 'native') {
              return [
                ctx.report(
                  [...path, k],
                  `'${k}' is resolved by CodeBuild only: ${inst.place.reader} receives the secret's name and reads the secret itself`,
                  k === 'jsonKey'
                    ? 'remove jsonKey and parse the secret value (JSON) in your code'
                    : 'remove versionStage and pass the stage to GetSecretValue (VersionStage) in your code',
                  { key: true },
                ),
              ];
            }
            return [];
          });
      }),
  },
  {
    id: 'secrets/cross-account',
    description:
      'A secret of another account needs its customer managed key named (kmsKeyArn): the AWS managed key aws/secretsmanager cannot be used across accounts.',
    run: (ctx) =>
      specReferences(ctx.spec).flatMap(({ path, ref }) => {
        const arn = ref.secret !== undefined ? parseArn(ref.secret) : undefined;
        if (arn === undefined || arn.account === ctx.spec.account || ref.kmsKeyArn !== undefined) return [];
        return [
          ctx.report(
            [...path, 'secret'],
            `the secret belongs to account ${arn.account}, not the pipeline account ${ctx.spec.account}, and no kmsKeyArn names its key`,
            "encrypt it with a customer managed key and add kmsKeyArn: <that key's ARN> (the secret's resource policy and the key policy must allow the reading role), or use a secret of the pipeline account",
          ),
        ];
      }),
  },
  {
    id: 'secrets/derived-key',
    description:
      'The key a reference arrives under (DB_PASSWORD -> DB_PASSWORD_SECRET_ID, --db-password -> --db-password-secret-id) is not also set directly.',
    run: (ctx) =>
      specReferences(ctx.spec).flatMap(({ inst, path, key, ref }) => {
        const style = inst.place.style!;
        const derived = referenceKey(key, ref, style);
        const map = inst.value as Record<string, unknown>;
        return derived !== key && Object.prototype.hasOwnProperty.call(map, derived)
          ? [
              ctx.report(
                path,
                `the reference arrives as ${derived}, which ${formatPath(inst.path)} also sets`,
                `rename ${key} or ${derived}`,
                { key: true },
              ),
            ]
          : [];
      }),
  },
  {
    id: 'secrets/network-isolation',
    description:
      'A SageMaker container that reads a secret at run time cannot run with network isolation: it could not reach Secrets Manager or SSM.',
    run: (ctx) =>
      specReferences(ctx.spec).flatMap(({ inst, path }) => {
        const { isolation } = readerNetwork(ctx.spec, inst);
        if (isolation === undefined) return [];
        const setting = formatPath(isolation);
        return [
          ctx.report(
            path,
            `${inst.place.reader} runs with network isolation (${setting}, on by default): it cannot reach Secrets Manager or SSM to read this reference`,
            `set ${setting}: false for a container that reads secrets (it then reaches them through the VPC: NAT, or the secretsmanager / ssm interface endpoint pipeform derives for it)`,
          ),
        ];
      }),
  },
];
