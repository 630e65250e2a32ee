/**
 * Secrets by reference: the one pure home of what pipeform knows about sensitive values.
 * Where a spec may hold one (`SECRET_PLACES`), how a reference reaches a workload (the
 * derived key names), and how a literal secret is recognized (by its name, or by the
 * shape of well-known credentials), and how each reader reaches Secrets Manager or SSM
 * (`readerNetwork`). The check rules, the endpoint derivation, the normalize stage and the
 * docs all read these tables, so the advice and the build never disagree.
 */
import type { ResolvedSecretRef, ResolvedValues } from '../model/secrets';
import type { PipelineSpec, SecretRef } from '../spec/types.generated';
import { endpointNetworkIsolation, endpointType } from '../areas/serving/catalog';
import { trainingNetworkIsolation } from '../areas/training/catalog';

/** How a reference reaches the workload at a place that accepts one. */
export type ReferenceStyle =
  /** The service resolves it itself (CodeBuild SECRETS_MANAGER / PARAMETER_STORE variables). */
  | 'native'
  /** An environment variable `<NAME>_SECRET_ID` / `<NAME>_PARAMETER_NAME` holds the name. */
  | 'env'
  /** A job argument `--<name>-secret-id` / `--<name>-parameter-name` holds the name. */
  | 'argument';

/** A place in the spec where user-chosen names map to values that reach the generated output. */
export interface SecretPlace {
  /** Spec path; `*` stands for any list index or map key. */
  readonly path: readonly string[];
  /** A map of name to value, or a list of command-line arguments. */
  readonly kind: 'map' | 'list';
  /** Who reads the values, for messages ("the function"). */
  readonly reader: string;
  /** How a reference reaches the reader; undefined where the place takes no reference. */
  readonly style?: ReferenceStyle;
  /** Where a secret goes instead, where the place takes no reference (and why). */
  readonly instead?: string;
  /** Where a literal value ends up, when not in main.tf.json and the state. */
  readonly landsIn?: string;
}

/**
 * Every place whose values the generated Terraform carries verbatim. A test walks the
 * schema and fails when a new free-form map or argument list is not classified here.
 */
export const SECRET_PLACES: readonly SecretPlace[] = [
  {
    path: ['orchestration', 'functions', '*', 'environment'],
    kind: 'map',
    reader: 'the function',
    style: 'env',
  },
  {
    path: ['data', 'glue', 'jobs', '*', 'arguments'],
    kind: 'map',
    reader: 'the Glue job',
    style: 'argument',
  },
  {
    path: ['serving', 'endpoints', '*', 'model', 'environment'],
    kind: 'map',
    reader: 'the model container',
    style: 'env',
  },
  {
    path: ['serving', 'endpoints', '*', 'variants', '*', 'model', 'environment'],
    kind: 'map',
    reader: 'the model container',
    style: 'env',
  },
  {
    path: ['serving', 'endpoints', '*', 'shadow', 'model', 'environment'],
    kind: 'map',
    reader: 'the model container',
    style: 'env',
  },
  { path: ['cicd', 'build', 'environment'], kind: 'map', reader: 'the build', style: 'native' },
  { path: ['training', 'environment'], kind: 'map', reader: 'the training job', style: 'env' },
  {
    path: ['training', 'processing', 'environment'],
    kind: 'map',
    reader: 'the preprocessing job',
    style: 'env',
  },
  {
    path: ['training', 'evaluation', 'environment'],
    kind: 'map',
    reader: 'the evaluation job',
    style: 'env',
  },
  {
    path: ['training', 'hyperparameters'],
    kind: 'map',
    reader: 'the training job',
    instead:
      'put it in training.environment as a secret reference: hyperparameters are visible to anyone who may call DescribeTrainingJob',
  },
  {
    path: ['training', 'processing', 'arguments'],
    kind: 'list',
    reader: 'the preprocessing job',
    instead:
      'put it in training.processing.environment as a secret reference: arguments are visible in DescribeProcessingJob',
  },
  {
    path: ['training', 'evaluation', 'arguments'],
    kind: 'list',
    reader: 'the evaluation job',
    instead:
      'put it in training.evaluation.environment as a secret reference: arguments are visible in DescribeProcessingJob',
  },
  {
    path: ['orchestration', 'workflow', 'steps', '*', 'arguments'],
    kind: 'map',
    reader: 'the Glue job run',
    instead:
      "put it in the job's own arguments (data.glue.jobs[].arguments) as a secret reference: step arguments are written into the state machine definition",
  },
  {
    path: ['orchestration', 'workflow', 'steps', '*', 'parameters'],
    kind: 'map',
    reader: 'the training pipeline',
    instead:
      'put it in training.environment as a secret reference: pipeline parameters are visible in every execution',
  },
  {
    path: ['orchestration', 'workflow', 'steps', '*', 'args'],
    kind: 'list',
    reader: 'the EMR step',
    instead:
      'keep it out of the step: EMR step arguments are visible in DescribeStep and in the state machine definition; have the script read it from Secrets Manager',
  },
  {
    path: ['training', 'eks', 'jobs', '*', 'args'],
    kind: 'list',
    reader: 'the EKS training job',
    landsIn: 'it would land verbatim in the Job manifest under k8s/ (and in generated/)',
    instead:
      "keep it out of the job's arguments: they are written into the Job manifest under k8s/ and are visible to anyone who may read pods",
  },
  {
    path: ['monitoring', 'retraining', 'parameters'],
    kind: 'map',
    reader: 'the training pipeline',
    instead:
      'put it in training.environment as a secret reference: pipeline parameters are visible in every execution',
  },
  {
    path: ['tags'],
    kind: 'map',
    reader: 'every resource',
    instead: 'keep it out of tags: they are visible to anyone who may list resources',
  },
  {
    path: ['environments', '*', 'tags'],
    kind: 'map',
    reader: 'every resource',
    instead: 'keep it out of tags: they are visible to anyone who may list resources',
  },
  {
    path: ['training', 'eks', 'nodeGroups', '*', 'labels'],
    kind: 'map',
    reader: 'the node group',
    instead: 'keep it out of node labels: they are visible to anyone who may read the nodes',
  },
];

/** One occurrence of a place in a spec: its concrete path and its values. */
export interface PlaceInstance {
  readonly place: SecretPlace;
  readonly path: readonly (string | number)[];
  readonly value: unknown;
}

/** Every occurrence of every secret place in `spec`, in table order. */
export function placeInstances(spec: unknown): PlaceInstance[] {
  const out: PlaceInstance[] = [];
  for (const place of SECRET_PLACES) {
    const walk = (node: unknown, depth: number, at: (string | number)[]): void => {
      if (depth === place.path.length) {
        if (node !== undefined && node !== null) out.push({ place, path: at, value: node });
        return;
      }
      const seg = place.path[depth];
      if (node === null || typeof node !== 'object') return;
      if (seg !== '*') {
        walk((node as Record<string, unknown>)[seg], depth + 1, [...at, seg]);
      } else if (Array.isArray(node)) {
        node.forEach((n, i) => walk(n, depth + 1, [...at, i]));
      } else {
        for (const [k, v] of Object.entries(node)) walk(v, depth + 1, [...at, k]);
      }
    };
    walk(spec, 0, []);
  }
  return out;
}

/** True for a `{ secret }` / `{ parameter }` reference object (the schema admits no other object there). */
export function isSecretRef(value: unknown): value is SecretRef {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** One reference in a spec: the place holding it, its spec path and key there, and the reference. */
export interface ReferenceInstance {
  readonly inst: PlaceInstance;
  readonly path: readonly (string | number)[];
  readonly key: string;
  readonly ref: SecretRef;
}

/** The references of one place instance, in key order (only map places with a style take them). */
export function placeReferences(inst: PlaceInstance): ReferenceInstance[] {
  if (inst.place.kind !== 'map' || inst.place.style === undefined) return [];
  if (inst.value === null || typeof inst.value !== 'object') return [];
  return Object.entries(inst.value)
    .filter((e): e is [string, SecretRef] => isSecretRef(e[1]))
    .map(([key, ref]) => ({ inst, path: [...inst.path, key], key, ref }));
}

/** Every reference in `spec`, in table order. */
export function specReferences(spec: unknown): ReferenceInstance[] {
  return placeInstances(spec).flatMap(placeReferences);
}

/** The service a reference is read from, named as its interface endpoint. */
export const referenceService = (ref: SecretRef): 'secretsmanager' | 'ssm' =>
  ref.parameter !== undefined ? 'ssm' : 'secretsmanager';

/** How a reader's containers reach Secrets Manager and SSM. */
export interface ReaderNetwork {
  /** It runs in the pipeline's private subnets (so it reaches AWS through NAT or interface endpoints). */
  readonly inVpc: boolean;
  /** The setting that isolates its container from every network, when it is isolated. */
  readonly isolation?: readonly (string | number)[];
}

/**
 * Where the reader of a place runs, with every default from the area's normalize helpers:
 * Lambda functions and Glue jobs in the private subnets whenever the spec has a network,
 * SageMaker containers there too unless serverless (and isolated unless switched off),
 * CodeBuild only with `cicd.build.vpc`.
 */
export function readerNetwork(spec: PipelineSpec, inst: PlaceInstance): ReaderNetwork {
  const network = spec.network !== undefined;
  switch (inst.place.path[0]) {
    case 'serving': {
      const i = inst.path[2] as number;
      const e = spec.serving?.endpoints?.[i];
      if (e === undefined) return { inVpc: false };
      return {
        inVpc: network && endpointType(e) !== 'serverless',
        ...(endpointNetworkIsolation(e)
          ? { isolation: ['serving', 'endpoints', i, 'networkIsolation'] }
          : {}),
      };
    }
    case 'training':
      return {
        inVpc: network,
        ...(spec.training && trainingNetworkIsolation(spec.training)
          ? { isolation: ['training', 'networkIsolation'] }
          : {}),
      };
    case 'cicd':
      return { inVpc: network && spec.cicd?.build?.vpc === true };
    default:
      return { inVpc: network };
  }
}

/** A reader in the private subnets that reads references from one service: the first such reference. */
export interface NetworkReader {
  readonly service: 'secretsmanager' | 'ssm';
  /** Spec path of its first reference to that service. */
  readonly path: readonly (string | number)[];
}

/**
 * The readers that call Secrets Manager or SSM from the pipeline's subnets at run time: in
 * the VPC and not isolated (an isolated container reaches no endpoint; the check stage
 * refuses a reference there). One entry per reader and service, at its first reference.
 */
export function networkReaders(spec: PipelineSpec): NetworkReader[] {
  return placeInstances(spec).flatMap((inst) => {
    const net = readerNetwork(spec, inst);
    if (!net.inVpc || net.isolation !== undefined) return [];
    const first = new Map<NetworkReader['service'], ReferenceInstance>();
    for (const r of placeReferences(inst)) {
      const service = referenceService(r.ref);
      if (!first.has(service)) first.set(service, r);
    }
    return [...first.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([service, r]) => ({ service, path: r.path }));
  });
}

/** Suffixes of the key that carries a reference's name to a workload. */
export const REFERENCE_SUFFIX = {
  env: { secret: '_SECRET_ID', parameter: '_PARAMETER_NAME' },
  argument: { secret: '-secret-id', parameter: '-parameter-name' },
} as const;

/**
 * The key under which a workload receives a reference's name: `DB_PASSWORD` ->
 * `DB_PASSWORD_SECRET_ID`, `--db-password` -> `--db-password-secret-id`, `--db_password` ->
 * `--db_password_secret_id`. A new name rather
 * than the same one, so code written for a literal value fails loudly (a missing variable)
 * instead of using a secret's name as the password. Native places keep the key.
 */
export function referenceKey(key: string, ref: SecretRef, style: ReferenceStyle): string {
  if (style === 'native') return key;
  const suffix = REFERENCE_SUFFIX[style][ref.parameter !== undefined ? 'parameter' : 'secret'];
  // An argument in snake_case (what Glue's getResolvedOptions reads) keeps its style.
  const snake = style === 'argument' && key.slice(2).includes('_') && !key.slice(2).includes('-');
  return `${key}${snake ? suffix.replace(/-/g, '_') : suffix}`;
}

/** What the workload receives under the derived key: the secret or parameter as written. */
export function referenceValue(ref: SecretRef): string {
  return ref.parameter ?? ref.secret ?? '';
}

// ---------------------------------------------------------------------------
// Recognizing literal secrets

/** Words that mark a name as secret wherever they appear inside one of its words. */
const SECRET_INFIXES = [
  'PASSWORD',
  'PASSWD',
  'PASSPHRASE',
  'CREDENTIAL',
  'APIKEY',
  'PRIVATEKEY',
  'ACCESSKEY',
  'SECRETKEY',
  'CLIENTSECRET',
];

/** Words that mark a name as secret when one of its words ends with them (`AUTHTOKEN`, not `TOKENIZER`). */
const SECRET_ENDINGS = ['SECRET', 'SECRETS', 'TOKEN', 'CREDS'];

/**
 * Words that mark a name as secret only as its last word (`BASIC_AUTH`, `HTTP_AUTHORIZATION`):
 * before another word they name a topic (`AUTH_TEAM`, `AUTH_SERVICE`).
 */
const SECRET_LAST_WORDS = ['AUTH', 'AUTHORIZATION', 'BEARER'];

/** `<first> KEY` pairs that name a key's material (`API_KEY`, `PRIVATE_KEY`, ...). */
const KEY_QUALIFIERS = [
  'API',
  'PRIVATE',
  'ACCESS',
  'SECRET',
  'SIGNING',
  'ENCRYPTION',
  'MASTER',
  'CLIENT',
  'AUTH',
];

/**
 * A last word that makes the name describe a secret rather than hold one: `SECRET_ARN`,
 * `TOKEN_URL`, `PASSWORD_MIN_LENGTH`, `AUTH_TYPE`, and the derived `..._SECRET_ID`.
 */
const DESCRIPTIVE_ENDINGS = new Set([
  'ARN',
  'ID',
  'IDS',
  'NAME',
  'NAMES',
  'PARAMETER',
  'PARAM',
  'PATH',
  'FILE',
  'REF',
  'URL',
  'URI',
  'ENDPOINT',
  'HOST',
  'PORT',
  'TYPE',
  'MODE',
  'METHOD',
  'ENABLED',
  'DISABLED',
  'REQUIRED',
  'EXPIRY',
  'EXPIRES',
  'EXPIRATION',
  'TTL',
  'TIMEOUT',
  'LENGTH',
  'LEN',
  'SIZE',
  'REGION',
  'STAGE',
  'VERSION',
  'HEADER',
  'FIELD',
  'PROVIDER',
  'SCOPE',
  'SCOPES',
  'ROTATION',
  'COUNT',
  'LIMIT',
  'POLICY',
  'PREFIX',
  'LOCATION',
  'SPEC',
]);

/** Words before TOKEN that make it a tokenizer's token (`pad_token`, `eos_token`) or a count (`max_token`). */
const TOKEN_QUALIFIERS = new Set([
  'PAD',
  'EOS',
  'BOS',
  'UNK',
  'SEP',
  'CLS',
  'MASK',
  'SPECIAL',
  'START',
  'END',
  'STOP',
  'MAX',
  'MIN',
  'NUM',
  'N',
  'TOTAL',
  'PER',
]);

/** The words of a name: split at `_ - . :` and camelCase boundaries, upper-cased (`--dbPassword` -> DB, PASSWORD). */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toUpperCase());
}

/**
 * True when a name says its value is a secret: `DB_PASSWORD`, `--db-password`, `api_token`,
 * `apiKey`, `PRIVATE_KEY`, `AWS_SECRET_ACCESS_KEY`. Not `TOKENIZER`, `MAX_TOKENS`,
 * `pad_token`, `SECRET_ARN`, `AUTH_TYPE`, `PWD` alone (the shell's working directory).
 */
export function looksSecretName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0 || DESCRIPTIVE_ENDINGS.has(words[words.length - 1])) return false;
  return words.some((w, i) => {
    if (SECRET_INFIXES.some((s) => w.includes(s))) return true;
    if (w === 'PWD') return words.length > 1;
    if (i === words.length - 1 && SECRET_LAST_WORDS.some((s) => w.endsWith(s))) return true;
    if (w === 'KEY' && i > 0 && KEY_QUALIFIERS.includes(words[i - 1])) return true;
    if (w === 'TOKEN' && i > 0 && TOKEN_QUALIFIERS.has(words[i - 1])) return false;
    return SECRET_ENDINGS.some((s) => w.endsWith(s));
  });
}

/** Values that hold no secret whatever the name: empty, a switch, a file path. */
export function harmlessValue(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  if (/^(true|false|yes|no|on|off|none|null|enabled|disabled|required|optional|0|1)$/i.test(v)) return true;
  // A file path or an SSM-style hierarchy name points at a secret, it is not one.
  return /^(\.{0,2}\/|~\/)[A-Za-z0-9_./-]*$/.test(v);
}

/** A credential format recognizable from the value alone, whatever its name. */
export interface CredentialFormat {
  /** What it is, for messages ("GitHub token"). */
  readonly name: string;
  readonly pattern: RegExp;
}

/**
 * Credentials recognizable by shape: provider-issued tokens with fixed prefixes, AWS access
 * key ids, PEM private keys and passwords embedded in URLs. Prefixes from the providers'
 * documented token formats (GitHub `ghp_`/`github_pat_`, Slack `xox?-`, GitLab `glpat-`,
 * Hugging Face `hf_`, Stripe live keys, Google API keys, AWS `AKIA`/`ASIA`).
 */
export const CREDENTIAL_FORMATS: readonly CredentialFormat[] = [
  { name: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { name: 'GitHub fine-grained token', pattern: /\bgithub_pat_[A-Za-z0-9_]{22,}/ },
  { name: 'AWS access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/ },
  { name: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { name: 'PEM private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/ },
  { name: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}/ },
  { name: 'Hugging Face token', pattern: /\bhf_[A-Za-z0-9]{30,}\b/ },
  { name: 'Stripe live key', pattern: /\b[rs]k_live_[0-9A-Za-z]{20,}/ },
  { name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { name: 'JSON web token', pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { name: 'password in a URL', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s/@]+@/i },
];

/** The credential format a value has, if any. */
export function credentialFormatOf(value: string): CredentialFormat | undefined {
  return CREDENTIAL_FORMATS.find((f) => f.pattern.test(value));
}

/** `secret` or `parameter` when a value is the ARN of a Secrets Manager secret or an SSM parameter. */
export function referenceArnKind(value: string): 'secret' | 'parameter' | undefined {
  if (/^arn:aws[a-z-]*:secretsmanager:[^:]*:[^:]*:secret:/.test(value)) return 'secret';
  if (/^arn:aws[a-z-]*:ssm:[^:]*:[^:]*:parameter\//.test(value)) return 'parameter';
  return undefined;
}

// Resolving references (normalize applies these; the check stage measures the values a
// workload receives with them, so both live here, in the pure home of secrets).

/** A reference as the build needs it (the check stage guarantees exactly one of secret and parameter). */
export function resolveSecretRef(ref: SecretRef): ResolvedSecretRef {
  const key = ref.kmsKeyArn !== undefined ? { kmsKeyArn: ref.kmsKeyArn } : {};
  if (ref.parameter !== undefined) return { kind: 'parameter', name: ref.parameter, ...key };
  return {
    kind: 'secret',
    id: ref.secret ?? '',
    ...(ref.jsonKey !== undefined ? { jsonKey: ref.jsonKey } : {}),
    ...(ref.versionStage !== undefined ? { versionStage: ref.versionStage } : {}),
    ...key,
  };
}

const order = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** References sorted by what they name, each once. */
export function uniqueSecrets(refs: Iterable<ResolvedSecretRef>): ResolvedSecretRef[] {
  const byKey = new Map<string, ResolvedSecretRef>();
  for (const r of refs) byKey.set(JSON.stringify(r), r);
  return [...byKey.entries()].sort(([a], [b]) => order(a, b)).map(([, r]) => r);
}

/**
 * A map of plain values and references as a workload receives it: each reference becomes
 * its name under the derived key (`DB_PASSWORD_SECRET_ID`, `--db-password-secret-id`), and
 * the references are returned for the reading role's grants.
 */
export function resolveValues(
  map: Readonly<Record<string, string | SecretRef>> | undefined,
  style: Exclude<ReferenceStyle, 'native'>,
): ResolvedValues {
  const values: [string, string][] = [];
  const secrets: ResolvedSecretRef[] = [];
  for (const [k, v] of Object.entries(map ?? {})) {
    if (isSecretRef(v)) {
      values.push([referenceKey(k, v, style), referenceValue(v)]);
      secrets.push(resolveSecretRef(v));
    } else values.push([k, v]);
  }
  values.sort(([a], [b]) => order(a, b));
  return { values: Object.fromEntries(values), secrets: uniqueSecrets(secrets) };
}
