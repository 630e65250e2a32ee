import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  cpSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliConfig } from './terraform';

/**
 * Apply, re-plan and destroy real Terraform against moto, the local AWS API emulator
 * (`python3 -m moto.server`). Reusable by any test: start a server, reset it between
 * configurations, run Terraform in a scratch copy of a configuration with a test-only
 * provider override, and call the emulator's API for setup or assertions.
 *
 * Nothing here reaches real AWS: the override points every endpoint the provider schema
 * knows at the emulator, AWS_ENDPOINT_URL catches any client built outside that block,
 * the keys are fake and no shared config or credentials file is read.
 */

const PYTHON = process.env.PIPEFORM_PYTHON ?? 'python3';

/** Whether moto can be imported by the Python the harness would use, and why not. */
export function motoAvailable(): { ok: true; version: string } | { ok: false; reason: string } {
  const r = spawnSync(PYTHON, ['-c', 'import moto; print(moto.__version__)'], { encoding: 'utf8' });
  if (r.error) return { ok: false, reason: `${PYTHON} not runnable: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, reason: `${PYTHON} -c 'import moto' failed: ${r.stderr.trim()}` };
  return { ok: true, version: r.stdout.trim() };
}

/** The directory of the installed moto package (where gap evidence points). */
export function motoPackageDir(): string {
  const r = spawnSync(PYTHON, ['-c', 'import moto, os; print(os.path.dirname(moto.__file__))'], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`cannot locate moto: ${r.stderr}`);
  return r.stdout.trim();
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A running moto server owned by the test that started it. */
export interface Emulator {
  readonly port: number;
  readonly pid: number;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Where the server's request log goes (kept for a failing test to read). */
  readonly logFile: string;
  /** Drops every resource in every service (POST /moto-api/reset). */
  reset(): Promise<void>;
  /** Stops the server by the PID it was started with. */
  stop(): Promise<void>;
  /**
   * Calls an AWS API on the emulator through boto3 (which moto ships with), e.g.
   * `aws('sagemaker', 'create_model_package', { ModelPackageGroupName: 'g' })`.
   * Returns the response without its ResponseMetadata.
   */
  aws(
    service: string,
    operation: string,
    params?: Record<string, unknown>,
    region?: string,
    credentials?: EmulatorCredentials,
  ): Record<string, unknown>;
  /**
   * Makes `account` an emulated account of its own in this server: an IAM user with an
   * access key, created in that account. Every request signed with the key is then answered
   * as that account (moto finds the account whose IAM holds the request's access key, when
   * neither MOTO_ACCOUNT_ID nor an `x-moto-account-id` header names one), so two
   * configurations given two keys live in two accounts of one server.
   */
  createAccount(account: string): EmulatorCredentials;
}

/** An access key of one emulated account (see {@link Emulator.createAccount}). */
export interface EmulatorCredentials {
  readonly account: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * Starts `python3 -m moto.server` on a free port with AWS managed policies loaded (so
 * attachments of `arn:aws:iam::aws:policy/...` resolve) and waits until it answers.
 */
export async function startEmulator(
  opts: {
    readyTimeoutMs?: number;
    /** The account every call is answered as (moto's MOTO_ACCOUNT_ID; default 123456789012). */
    account?: string;
  } = {},
): Promise<Emulator> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logDir = mkdtempSync(join(tmpdir(), 'pipeform-moto-'));
  const logFile = join(logDir, 'moto.log');
  const log = openSync(logFile, 'a');
  const child = spawn(PYTHON, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    env: {
      ...process.env,
      MOTO_IAM_LOAD_MANAGED_POLICIES: 'true',
      ...(opts.account ? { MOTO_ACCOUNT_ID: opts.account } : {}),
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  if (child.pid === undefined) throw new Error(`could not start moto (${PYTHON} -m moto.server)`);
  const pid = child.pid;
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );

  const stop = async () => {
    if (exited) return;
    process.kill(pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const killed = await Promise.race([
      exit.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 5000))),
    ]);
    clearTimeout(timer);
    if (!killed && !exited) {
      process.kill(pid, 'SIGKILL');
      await exit;
    }
  };

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 30000);
  for (;;) {
    if (exited) throw new Error(`moto exited during start-up:\n${readFileSync(logFile, 'utf8')}`);
    try {
      if ((await httpCall(`${url}/moto-api/data.json`, 'GET')) === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto did not answer on ${url} within the timeout:\n${readFileSync(logFile, 'utf8')}`);
    }
    await sleep(250);
  }

  return {
    port,
    pid,
    url,
    logFile,
    async reset() {
      const status = await httpCall(`${url}/moto-api/reset`, 'POST');
      if (status !== 200) throw new Error(`moto reset failed: HTTP ${status}`);
    },
    stop,
    aws(service, operation, params = {}, region = 'us-east-1', credentials) {
      return boto3Call(url, { service, operation, params, region, credentials });
    },
    createAccount(account) {
      if (!/^\d{12}$/.test(account)) throw new Error(`not an account id: ${account}`);
      // The one request that names the account in a header: the user and key are created
      // in its IAM. Every later request is routed by the key alone.
      const user = 'pipeform-emulator';
      boto3Call(url, { service: 'iam', operation: 'create_user', params: { UserName: user }, account });
      const key = boto3Call(url, {
        service: 'iam',
        operation: 'create_access_key',
        params: { UserName: user },
        account,
      }) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string } };
      const credentials = {
        account,
        accessKeyId: key.AccessKey.AccessKeyId,
        secretAccessKey: key.AccessKey.SecretAccessKey,
      };
      const who = boto3Call(url, { service: 'sts', operation: 'get_caller_identity', credentials });
      if (who.Account !== account) {
        throw new Error(`the key made in ${account} is answered as ${String(who.Account)}`);
      }
      return credentials;
    },
  };
}

/**
 * One AWS API call on the emulator through boto3 (which moto ships with): with the fake
 * default key, with an account's key, or (`account`) with the `x-moto-account-id` header.
 */
function boto3Call(
  url: string,
  call: {
    service: string;
    operation: string;
    params?: Record<string, unknown>;
    region?: string;
    credentials?: EmulatorCredentials;
    account?: string;
  },
): Record<string, unknown> {
  const script = [
    'import boto3, json, sys',
    'a = json.loads(sys.argv[1])',
    "c = boto3.client(a['service'], endpoint_url=a['url'], region_name=a['region'],",
    "    aws_access_key_id=a['key'], aws_secret_access_key=a['secret'])",
    "if a['account']:",
    '    def header(request, **_):',
    "        request.headers['x-moto-account-id'] = a['account']",
    "    c.meta.events.register('before-send', header)",
    'from botocore.exceptions import ClientError',
    'try:',
    "    r = getattr(c, a['operation'])(**a['params'])",
    'except ClientError as e:',
    "    print(json.dumps({'code': e.response['Error']['Code'], 'message': str(e)}))",
    '    sys.exit(3)',
    "r.pop('ResponseMetadata', None)",
    'print(json.dumps(r, default=str))',
  ].join('\n');
  const arg = JSON.stringify({
    service: call.service,
    operation: call.operation,
    params: call.params ?? {},
    url,
    region: call.region ?? 'us-east-1',
    key: call.credentials?.accessKeyId ?? 'test',
    secret: call.credentials?.secretAccessKey ?? 'test',
    account: call.account ?? null,
  });
  const r = spawnSync(PYTHON, ['-c', script, arg], { encoding: 'utf8', env: isolatedAwsEnv(url) });
  if (r.status === 3) {
    const e = JSON.parse(r.stdout) as { code: string; message: string };
    throw new EmulatorApiError(e.code, `${call.service}.${call.operation}: ${e.message}`);
  }
  if (r.status !== 0)
    throw new Error(`${call.service}.${call.operation} failed on the emulator:\n${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** An error the emulated API answered (an AWS error code), as opposed to a harness failure. */
export class EmulatorApiError extends Error {
  constructor(
    /** The AWS error code, e.g. `ParameterNotFound`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One HTTP request without keep-alive, so no socket outlives the test. */
function httpCall(url: string, method: 'GET' | 'POST'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Environment that keeps any AWS SDK away from the user's profiles and from real AWS. */
function isolatedAwsEnv(url: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('AWS_')) delete env[k];
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: url,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

// ---------------------------------------------------------------------------------------
// Emulator gaps: where moto differs from AWS, each with the line of moto that proves it.

/**
 * Where the installed moto package shows a gap (path relative to the package): a line and
 * text on it, or an API method the package does not define (`absent`, e.g.
 * `def create_addon`), which moto answers with "not implemented".
 */
export type MotoEvidence =
  | { readonly file: string; readonly line: number; readonly quote: string }
  | { readonly file: string; readonly absent: string };

/** Whether a piece of evidence holds for the moto package in `dir`; the reason when not. */
export function checkEvidence(dir: string, e: MotoEvidence): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, e.file), 'utf8');
  } catch {
    return `${e.file} does not exist in ${dir}`;
  }
  if ('absent' in e) return text.includes(e.absent) ? `${e.file} now defines ${e.absent}` : undefined;
  const line = text.split('\n')[e.line - 1] ?? '';
  return line.includes(e.quote)
    ? undefined
    : `${e.file}:${e.line} reads ${JSON.stringify(line.trim())}, not ${JSON.stringify(e.quote)}`;
}

/**
 * One way moto differs from AWS, scoped to a resource type (and optionally names) and
 * to attributes. `drift` lists the attributes the re-plan may show as changed for those
 * resources (nothing else may change); `patch` rewrites a resource in the scratch copy
 * before apply (return `undefined` to drop a resource moto cannot create).
 */
export interface EmulatorGap {
  readonly id: string;
  /** What moto does, and why that is not an AWS rule. */
  readonly why: string;
  readonly evidence: readonly MotoEvidence[];
  readonly resourceType: string;
  /** Restricts the gap to resource names matching this (default: every resource of the type). */
  readonly names?: RegExp;
  /** Restricts the gap to resources whose configuration satisfies this. */
  readonly where?: (resource: Record<string, unknown>) => boolean;
  readonly drift?: readonly string[];
  readonly patch?: (resource: Record<string, unknown>) => Record<string, unknown> | undefined;
  /**
   * When the patch drops a resource, what becomes of the resources that reference it:
   * `substitute` gives literal values for its attributes (`${type.name.attr}` is replaced
   * by them); dependents of the `dropTypes` types are dropped with it; anything still
   * referencing a dropped resource after that is dropped too, transitively (and listed).
   */
  readonly dependents?: {
    readonly substitute?: (resource: Record<string, unknown>, name: string) => Record<string, string>;
    readonly dropTypes?: readonly string[];
  };
  /**
   * Instead of dropping a resource moto cannot hold, puts a `terraform_data` stand-in in
   * its place (`terraform_data.<type>_<name>`): its `input` is the resource's arguments
   * (meta-arguments aside) plus what this returns for the computed attributes others
   * read, and it keeps `count`, `for_each` and `depends_on`. So every value the resource
   * was given is still evaluated against the real resources it refers to, whatever
   * depended on it still waits for it, and references to it (`type.name.attr`) read the
   * stand-in's output.
   */
  readonly standIn?: (resource: Record<string, unknown>, name: string) => Record<string, unknown>;
}

/** Meta-arguments that belong to the resource block, not to its API arguments. */
const META_ARGUMENTS = new Set([
  'count',
  'for_each',
  'depends_on',
  'lifecycle',
  'provider',
  'provisioner',
  'connection',
  'timeouts',
]);
/** The meta-arguments a stand-in keeps: the same instances, in the same order. */
const KEPT_META_ARGUMENTS = ['count', 'for_each', 'depends_on'] as const;

/** A Terraform JSON configuration (the parts the harness touches). */
export interface TerraformJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  [key: string]: unknown;
}

function gapApplies(gap: EmulatorGap, type: string, name: string, config: TerraformJson): boolean {
  if (gap.resourceType !== type) return false;
  if (gap.names !== undefined && !gap.names.test(name)) return false;
  const resource = config.resource?.[type]?.[name];
  return gap.where === undefined || (resource !== undefined && gap.where(resource));
}

/**
 * Applies the patches of `gaps` to a configuration; returns the new configuration and,
 * per gap id, the addresses it changed.
 */
export function patchConfiguration(
  config: TerraformJson,
  gaps: readonly EmulatorGap[],
): { config: TerraformJson; applied: Map<string, string[]> } {
  const out = structuredClone(config);
  const applied = new Map<string, string[]>();
  for (const gap of gaps) {
    if (!gap.patch && !gap.standIn) continue;
    const resources = out.resource?.[gap.resourceType];
    if (!resources) continue;
    for (const name of Object.keys(resources).sort()) {
      if (!gapApplies(gap, gap.resourceType, name, config)) continue;
      const address = `${gap.resourceType}.${name}`;
      applied.set(gap.id, [...(applied.get(gap.id) ?? []), address]);
      if (gap.standIn) {
        const body = resources[name];
        delete resources[name];
        replaceByStandIn(out, address, `${gap.resourceType}_${name}`, body, gap.standIn(body, name));
        applied.get(gap.id)!.push(...dropImports(out, address));
        continue;
      }
      const patched = gap.patch!(structuredClone(resources[name]));
      if (patched !== undefined) {
        resources[name] = patched;
        continue;
      }
      const body = resources[name];
      delete resources[name];
      applied
        .get(gap.id)!
        .push(
          ...dropDependents(
            out,
            address,
            gap.dependents?.substitute?.(body, name) ?? {},
            gap.dependents?.dropTypes ?? [],
          ),
        );
    }
  }
  for (const [type, byName] of Object.entries(out.resource ?? {})) {
    if (Object.keys(byName).length === 0) delete out.resource![type];
  }
  if (Array.isArray(out.import) && out.import.length === 0) delete out.import;
  return { config: out, applied };
}

/**
 * Drops the `import` blocks into `address` (any instance of it): with the resource gone,
 * or stood in for by `terraform_data` (which cannot be imported), Terraform refuses an
 * import block that has no resource to import into, even one whose `for_each` is empty.
 * Returns them as `import.<to>`.
 */
function dropImports(config: TerraformJson, address: string): string[] {
  if (!Array.isArray(config.import)) return [];
  const into = (block: unknown) => String((block as { to?: unknown }).to ?? '').replace(/\[.*$/, '');
  const dropped = config.import.filter((block) => into(block) === address);
  config.import = config.import.filter((block) => into(block) !== address);
  return dropped.map((block) => `import.${String((block as { to?: unknown }).to)}`);
}

/**
 * Puts `terraform_data.<standInName>` in place of the resource at `address` (already
 * removed from `config`), and points every reference to it at the stand-in: `depends_on`
 * entries at the stand-in itself, `address.attr` in expressions at its `output.attr`.
 */
function replaceByStandIn(
  config: TerraformJson,
  address: string,
  standInName: string,
  body: Record<string, unknown>,
  computed: Record<string, unknown>,
): void {
  const standIn = `terraform_data.${standInName}`;
  const input = Object.fromEntries(Object.entries(body).filter(([k]) => !META_ARGUMENTS.has(k)));
  const data: Record<string, unknown> = { input: { ...input, ...computed } };
  for (const meta of KEPT_META_ARGUMENTS) if (body[meta] !== undefined) data[meta] = body[meta];
  const resources = (config.resource ??= {});
  (resources.terraform_data ??= {})[standInName] = data;
  const inExpression = new RegExp(`${referencePattern(address).source}(\\.)?`, 'g');
  const rewrite = (value: unknown): unknown =>
    JSON.parse(
      JSON.stringify(value, (key, v: unknown) => {
        if (key === 'depends_on' && Array.isArray(v)) return v.map((d) => (d === address ? standIn : d));
        if (typeof v !== 'string') return v;
        return v.replace(inExpression, (_m, dot?: string) => `${standIn}.output${dot ?? ''}`);
      }),
    );
  const sections: Record<string, unknown>[] = [
    ...Object.values(resources),
    (config.output ?? {}) as Record<string, unknown>,
  ];
  for (const byName of sections) {
    for (const name of Object.keys(byName)) byName[name] = rewrite(byName[name]);
  }
}

/** Where a configuration refers to `address` (expressions and depends_on). */
function referencePattern(address: string): RegExp {
  return new RegExp(`(?<![\\w.])${address.replace(/\./g, '\\.')}(?![\\w-])`);
}

/**
 * After `address` was dropped: substitutes literal values for its attributes, drops the
 * dependents of `dropTypes`, then drops whatever still references a dropped resource,
 * transitively. Returns what else was dropped (outputs as `output.<name>`).
 */
function dropDependents(
  config: TerraformJson,
  address: string,
  substitute: Record<string, string>,
  dropTypes: readonly string[],
): string[] {
  const dropped: string[] = [];
  // depends_on orders, it carries no value: a dropped resource just leaves the list.
  const rewrite = (value: unknown, gone: string, literals: Record<string, string>): unknown =>
    JSON.parse(
      JSON.stringify(value, (key, v: unknown) => {
        if (key === 'depends_on' && Array.isArray(v)) return v.filter((d) => d !== gone);
        if (typeof v !== 'string') return v;
        let out = v;
        for (const [attr, literal] of Object.entries(literals))
          out = out.split(`\${${gone}.${attr}}`).join(literal);
        return out;
      }),
    );
  const pending = [address];
  while (pending.length > 0) {
    const gone = pending.pop()!;
    dropped.push(...dropImports(config, gone));
    const pattern = referencePattern(gone);
    const literals = gone === address ? substitute : {};
    const sections: [string, Record<string, unknown>][] = [
      ...Object.entries(config.resource ?? {}),
      ['output', (config.output ?? {}) as Record<string, unknown>],
    ];
    for (const [type, byName] of sections) {
      for (const name of Object.keys(byName)) {
        if (!pattern.test(JSON.stringify(byName[name]))) continue;
        if (!(gone === address && dropTypes.includes(type)))
          byName[name] = rewrite(byName[name], gone, literals);
        if (!pattern.test(JSON.stringify(byName[name]))) continue;
        delete byName[name];
        const addr = `${type}.${name}`;
        dropped.push(addr);
        if (type !== 'output') pending.push(addr);
      }
    }
  }
  return dropped.sort();
}

/** One resource the re-plan would change. */
export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly actions: readonly string[];
  /** Top-level attributes that differ (for a replacement: the ones forcing it); `*` for create/delete. */
  readonly attributes: readonly string[];
}

/** The change of one `resource_changes` entry of `terraform show -json`, reduced to attributes. */
export function changedAttributes(rc: {
  change: {
    actions: string[];
    before?: Record<string, unknown> | null;
    after?: Record<string, unknown> | null;
    after_unknown?: Record<string, unknown> | null;
    replace_paths?: unknown[][];
  };
}): string[] {
  const { actions, before, after, after_unknown, replace_paths } = rc.change;
  if (actions.includes('create') && actions.includes('delete') && replace_paths?.length) {
    return [...new Set(replace_paths.map((p) => String(p[0])))].sort();
  }
  if (actions.includes('create') || actions.includes('delete')) return ['*'];
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changed: string[] = [];
  for (const k of keys) {
    const unknown = after_unknown?.[k] === true;
    if (unknown || JSON.stringify(before?.[k] ?? null) !== JSON.stringify(after?.[k] ?? null))
      changed.push(k);
  }
  return changed.sort();
}

/**
 * Splits re-plan changes into those a gap explains (every changed attribute listed in a
 * gap for that resource) and the rest, which are real differences.
 */
export function explainDrift(
  changes: readonly PlannedChange[],
  gaps: readonly EmulatorGap[],
  config: TerraformJson,
): { explained: { change: PlannedChange; gaps: string[] }[]; unexplained: PlannedChange[] } {
  const explained: { change: PlannedChange; gaps: string[] }[] = [];
  const unexplained: PlannedChange[] = [];
  for (const change of changes) {
    const matching = gaps.filter((g) => g.drift && gapApplies(g, change.type, change.name, config));
    const allowed = new Set(matching.flatMap((g) => g.drift ?? []));
    const covered =
      change.attributes.length > 0 && change.attributes.every((a) => a !== '*' && allowed.has(a));
    if (covered) {
      const used = matching
        .filter((g) => change.attributes.some((a) => g.drift!.includes(a)))
        .map((g) => g.id);
      explained.push({ change, gaps: used });
    } else unexplained.push(change);
  }
  return { explained, unexplained };
}

// ---------------------------------------------------------------------------------------
// Terraform against the emulator.

let endpointNames: string[] | undefined;
let canonicalEndpoints: string[] | undefined;

/**
 * Drops all but the first name of each group of endpoint aliases that `terraform validate
 * -json` reports as "Only one of the following attributes should be set".
 */
export function withoutAliases(endpoints: readonly string[], validateJson: string): string[] {
  const drop = new Set<string>();
  let diagnostics: { detail?: string }[] = [];
  try {
    diagnostics = (JSON.parse(validateJson) as { diagnostics?: { detail?: string }[] }).diagnostics ?? [];
  } catch {
    return [...endpoints];
  }
  for (const d of diagnostics) {
    if (!/Only one of the following attributes should be set/.test(d.detail ?? '')) continue;
    const names = [...(d.detail ?? '').matchAll(/"endpoints\[0\]\.([a-z0-9]+)"/g)].map((m) => m[1]).sort();
    for (const n of names.slice(1)) drop.add(n);
  }
  return endpoints.filter((e) => !drop.has(e));
}

/**
 * Every service endpoint the aws provider can be pointed at (the attributes of its
 * `endpoints` block), read from `terraform providers schema -json` in an initialized
 * directory. Listing all of them means no service the configuration uses can reach AWS.
 */
export function providerEndpointNames(initializedDir: string, env: NodeJS.ProcessEnv): string[] {
  if (endpointNames) return endpointNames;
  const r = spawnSync('terraform', ['providers', 'schema', '-json'], {
    cwd: initializedDir,
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`terraform providers schema failed:\n${r.stderr}`);
  const schema = JSON.parse(r.stdout) as {
    provider_schemas: Record<
      string,
      {
        provider: {
          block: { block_types: { endpoints: { block: { attributes: Record<string, unknown> } } } };
        };
      }
    >;
  };
  const aws = Object.entries(schema.provider_schemas).find(([k]) => k.endsWith('/hashicorp/aws'));
  if (!aws) throw new Error('the aws provider is not in the schema');
  endpointNames = Object.keys(aws[1].provider.block.block_types.endpoints.block.attributes).sort();
  return endpointNames;
}

/** The test-only provider settings that send every call to the emulator at `url`. */
export function emulatorProviderOverride(
  url: string,
  endpoints: readonly string[],
  credentials?: EmulatorCredentials,
): object {
  return {
    terraform: { backend: { local: { path: 'terraform.tfstate' } } },
    provider: {
      aws: {
        access_key: credentials?.accessKeyId ?? 'test',
        secret_key: credentials?.secretAccessKey ?? 'test',
        skip_credentials_validation: true,
        skip_metadata_api_check: true,
        skip_region_validation: true,
        s3_use_path_style: true,
        // moto answers an unimplemented action with HTTP 500, which the SDK retries with
        // backoff for many minutes; fail fast instead (moto has no eventual consistency).
        max_retries: 1,
        endpoints: [Object.fromEntries(endpoints.map((e) => [e, url]))],
      },
    },
  };
}

/** The outcome of one Terraform command. */
export interface TfResult {
  readonly status: number;
  readonly output: string;
  readonly seconds: number;
}

/** Resources whose create, update or delete took at least `seconds`, slowest first (from Terraform's output). */
export function slowResources(output: string, seconds = 20): { address: string; seconds: number }[] {
  const out: { address: string; seconds: number }[] = [];
  for (const m of output.matchAll(
    /^(\S+): (?:Creation|Destruction|Modifications) complete after (?:(\d+)m)?(\d+)s/gm,
  )) {
    const s = Number(m[2] ?? 0) * 60 + Number(m[3]);
    if (s >= seconds) out.push({ address: m[1], seconds: s });
  }
  return out.sort((a, b) => b.seconds - a.seconds);
}

/** The re-plan: its exit code (0 none, 2 changes, 1 error) and what it would change. */
export interface PlanResult extends TfResult {
  readonly changes: readonly PlannedChange[];
  /** Addresses the plan imports (adopts from existing objects) through `import` blocks. */
  readonly imported: readonly string[];
}

/**
 * A scratch copy of one configuration directory (main.tf.json and its assets), patched
 * for the emulator's gaps, with the provider override beside it.
 */
export class EmulatorWorkspace {
  readonly dir: string;
  /** Per gap id, the addresses its patch changed in this copy. */
  readonly patched: Map<string, string[]>;
  /** The configuration as applied (after the gaps' patches). */
  readonly config: TerraformJson;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    configDir: string,
    readonly emulator: Emulator,
    gaps: readonly EmulatorGap[] = [],
    /** The account key the provider signs with (default: the fake key of moto's default account). */
    private readonly credentials?: EmulatorCredentials,
  ) {
    const scratch = mkdtempSync(join(tmpdir(), 'pipeform-apply-'));
    this.dir = join(scratch, 'config');
    cpSync(configDir, this.dir, {
      recursive: true,
      filter: (src) => !src.includes('.terraform') && !src.endsWith('.tfstate'),
    });
    const mainFile = join(this.dir, 'main.tf.json');
    const { config, applied } = patchConfiguration(
      JSON.parse(readFileSync(mainFile, 'utf8')) as TerraformJson,
      gaps,
    );
    writeFileSync(mainFile, JSON.stringify(config, null, 2));
    this.patched = applied;
    this.config = config;
    this.env = {
      ...isolatedAwsEnv(emulator.url),
      TF_CLI_CONFIG_FILE: cliConfig(),
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
    };
  }

  private tf(args: string[]): TfResult {
    const start = Date.now();
    const r = spawnSync('terraform', [...args, '-no-color'], {
      cwd: this.dir,
      env: this.env,
      encoding: 'utf8',
      timeout: 20 * 60 * 1000,
      maxBuffer: 256 * 1024 * 1024,
    });
    return {
      status: r.status ?? 1,
      output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`,
      seconds: (Date.now() - start) / 1000,
    };
  }

  /** `terraform init` from the mirror, then writes the emulator override. */
  init(): TfResult {
    const r = this.tf(['init', '-input=false']);
    if (r.status !== 0) return r;
    const write = (endpoints: readonly string[]) =>
      writeFileSync(
        join(this.dir, 'zz_emulator_override.tf.json'),
        JSON.stringify(emulatorProviderOverride(this.emulator.url, endpoints, this.credentials), null, 2),
      );
    if (!canonicalEndpoints) {
      // Some endpoint names are aliases of one another (sdb and simpledb, logs and
      // cloudwatchlogs, ...); setting both is deprecated. Validate once with all of them
      // and keep the first name of each group the provider reports.
      const all = providerEndpointNames(this.dir, this.env);
      write(all);
      const v = this.tf(['validate', '-json']);
      canonicalEndpoints = withoutAliases(all, v.output);
    }
    write(canonicalEndpoints);
    return r;
  }

  /** `terraform apply`; with `targets`, only those addresses (and what they depend on). */
  apply(targets: readonly string[] = []): TfResult {
    return this.tf(['apply', '-auto-approve', '-input=false', ...targets.map((t) => `-target=${t}`)]);
  }

  /** `terraform plan -detailed-exitcode`, with the changes read from the saved plan. */
  plan(): PlanResult {
    const r = this.tf(['plan', '-detailed-exitcode', '-input=false', '-out=tfplan']);
    if (r.status !== 2) return { ...r, changes: [], imported: [] };
    const shown = this.tf(['show', '-json', 'tfplan']);
    if (shown.status !== 0)
      return { ...r, status: 1, output: r.output + shown.output, changes: [], imported: [] };
    const plan = JSON.parse(shown.output) as {
      resource_changes?: {
        address: string;
        type: string;
        name: string;
        mode: string;
        change: Parameters<typeof changedAttributes>[0]['change'] & { importing?: unknown };
      }[];
    };
    const imported = (plan.resource_changes ?? [])
      .filter((rc) => rc.change.importing)
      .map((rc) => rc.address);
    const changes = (plan.resource_changes ?? [])
      .filter((rc) => rc.mode === 'managed' && !rc.change.actions.every((a) => a === 'no-op' || a === 'read'))
      .map((rc) => ({
        address: rc.address,
        type: rc.type,
        name: rc.name,
        actions: rc.change.actions,
        attributes: changedAttributes(rc),
      }));
    return { ...r, changes, imported };
  }

  destroy(): TfResult {
    return this.tf(['destroy', '-auto-approve', '-input=false']);
  }

  /** The managed resources in the state with their attribute values (`terraform show -json`). */
  resources(): { address: string; type: string; name: string; values: Record<string, unknown> }[] {
    const r = this.tf(['show', '-json']);
    if (r.status !== 0) throw new Error(`terraform show failed:\n${r.output}`);
    const state = JSON.parse(r.output) as {
      values?: {
        root_module?: {
          resources?: {
            address: string;
            mode: string;
            type: string;
            name: string;
            values: Record<string, unknown>;
          }[];
        };
      };
    };
    return (state.values?.root_module?.resources ?? []).filter((x) => x.mode === 'managed');
  }

  /** Addresses in the state. */
  state(): string[] {
    const r = this.tf(['state', 'list']);
    return r.status === 0
      ? r.output.split('\n').filter((l) => /^[a-z]/.test(l) && !l.startsWith('data.'))
      : [];
  }

  /**
   * `terraform state rm`: for an object the emulator cannot delete (a listed gap), so
   * destroy can remove everything else. The object stays in the emulator.
   */
  forget(address: string): TfResult {
    return this.tf(['state', 'rm', address]);
  }

  /** Removes the scratch copy. */
  remove(): void {
    if (existsSync(this.dir)) rmSync(join(this.dir, '..'), { recursive: true, force: true });
  }
}
