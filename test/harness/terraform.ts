import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Real Terraform, offline. The aws provider comes from a filesystem mirror: one found on the
 * machine (or PIPEFORM_TF_MIRROR), else one made once from the public registry by a plain
 * `terraform init` (no CLI configuration of ours) into a cache under the temp directory.
 * Plans run with fake static credentials that live only here, written as an override file
 * into a scratch copy, never into generated/.
 */

const CANDIDATE_MIRRORS = [
  '/opt/tf-plugins',
  '/usr/share/terraform/plugins',
  '/usr/local/share/terraform/plugins',
];

/** The provider the generated configurations pin (src/constructs/pipeline-stack.ts). */
const AWS_PROVIDER_VERSION = '5.100.0';

let cachedMirror: string | undefined;

/**
 * Scratch directories (copies of configurations, their `.terraform` and plans, CLI
 * configurations) made by this file's runs, removed after the test file: a run of the
 * suite otherwise leaves hundreds in the temp directory.
 */
const scratchDirs: string[] = [];
if (typeof afterAll === 'function') {
  afterAll(() => {
    for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
}

/** A new directory under the temp directory, removed after the test file. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
}

const hasAws = (dir: string) => existsSync(join(dir, 'registry.terraform.io', 'hashicorp', 'aws'));

/** A mirror already on the machine: PIPEFORM_TF_MIRROR, a usual place, or anywhere `find` sees one. */
export function existingMirror(): string | undefined {
  const fromEnv = process.env.PIPEFORM_TF_MIRROR;
  if (fromEnv && hasAws(fromEnv)) return fromEnv;
  const known = CANDIDATE_MIRRORS.find(hasAws);
  if (known) return known;
  const found = spawnSync('find', ['/', '-name', 'terraform-provider-aws_*', '-not', '-path', '/proc/*'], {
    encoding: 'utf8',
    timeout: 60000,
  }).stdout.split('\n')[0];
  return /^(.*)\/registry\.terraform\.io\/hashicorp\/aws\//.exec(found ?? '')?.[1];
}

/**
 * Makes a mirror in `cacheRoot` with one plain `terraform init` of a configuration that only
 * requires the aws provider: Terraform downloads it from the public registry into
 * `.terraform/providers`, whose layout is the unpacked layout a `filesystem_mirror` reads
 * (HOSTNAME/NAMESPACE/TYPE/VERSION/TARGET). Every later init copies from there, so the
 * provider is downloaded once, not once per test. `env` is the init's environment (a test
 * gives it a CLI configuration standing in for the registry, since this machine has none).
 * Built in a private directory and renamed into place, so concurrent workers never read a
 * half-written mirror.
 */
export function mirrorFromRegistry(cacheRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const mirror = join(cacheRoot, `hashicorp-aws-${AWS_PROVIDER_VERSION}`);
  if (hasAws(mirror)) return mirror;
  mkdirSync(cacheRoot, { recursive: true });
  const partial = mkdtempSync(`${mirror}.partial-`);
  try {
    writeFileSync(
      join(partial, 'main.tf.json'),
      JSON.stringify({
        terraform: {
          required_providers: { aws: { source: 'hashicorp/aws', version: AWS_PROVIDER_VERSION } },
        },
      }),
    );
    const init = tf(partial, { ...env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' }, [
      'init',
      '-input=false',
      '-no-color',
      '-backend=false',
    ]);
    if (init.status !== 0) {
      throw new Error(
        `no filesystem mirror of hashicorp/aws on this machine, and terraform init could not download it from the public registry: set PIPEFORM_TF_MIRROR to a mirror, or let terraform reach the public registry\n${init.output}`,
      );
    }
    try {
      renameSync(join(partial, '.terraform', 'providers'), mirror);
    } catch (e) {
      if (!hasAws(mirror)) throw e;
    }
  } finally {
    rmSync(partial, { recursive: true, force: true });
  }
  return mirror;
}

/** The directory holding registry.terraform.io/hashicorp/aws/<version>/. */
export function findMirror(): string {
  if (cachedMirror !== undefined) return cachedMirror;
  return (cachedMirror = existingMirror() ?? mirrorFromRegistry(join(tmpdir(), 'pipeform-tf-mirror')));
}

let cachedCliConfig: string | undefined;

/** A Terraform CLI configuration (in a temp file, one per test file) that installs the aws provider from the mirror. */
export function cliConfig(): string {
  if (cachedCliConfig !== undefined && existsSync(cachedCliConfig)) return cachedCliConfig;
  const file = join(scratchDir('pipeform-tfrc-'), 'terraform.rc');
  writeFileSync(
    file,
    `provider_installation {\n  filesystem_mirror {\n    path = "${findMirror()}"\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
  );
  return (cachedCliConfig = file);
}

/** Provider settings for an offline plan: fake keys, no AWS calls, any account. */
const OFFLINE_OVERRIDE = {
  terraform: { backend: { local: { path: 'terraform.tfstate' } } },
  provider: {
    aws: {
      access_key: 'mock-access-key',
      secret_key: 'mock-secret-key',
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      allowed_account_ids: null,
    },
  },
};

/**
 * What the local AWS stub answers (test/harness/aws-stub.mjs): SSM parameters by name (the
 * serving ledger; none on day 0), and the create requests of what the serving deploy made,
 * which it describes back for the imports.
 */
export interface AwsStubState {
  readonly ssm?: Readonly<Record<string, string>>;
  readonly sagemaker?: {
    readonly models?: Readonly<Record<string, unknown>>;
    readonly configs?: Readonly<Record<string, unknown>>;
    readonly endpoints?: Readonly<Record<string, unknown>>;
  };
  readonly autoscaling?: {
    readonly targets?: readonly unknown[];
    readonly policies?: readonly unknown[];
    readonly scheduledActions?: readonly unknown[];
  };
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Starts the stub as its own process (terraform runs under spawnSync, which blocks this
 * one's event loop) and returns its URL and a stop function that ends exactly that process.
 */
export function startStub(
  dir: string,
  state: AwsStubState,
  region: string,
  account = '123456789012',
): { url: string; stop: () => void } {
  const stateFile = join(dir, 'aws-stub-state.json');
  const portFile = join(dir, 'aws-stub-port');
  writeFileSync(stateFile, JSON.stringify(state));
  const child = spawn(process.execPath, [join(__dirname, 'aws-stub.mjs'), stateFile, portFile], {
    stdio: 'ignore',
    env: { ...process.env, AWS_STUB_REGION: region, AWS_STUB_ACCOUNT: account },
  });
  const stop = () => {
    if (child.pid !== undefined && child.exitCode === null) child.kill();
  };
  for (let i = 0; i < 400 && !existsSync(portFile); i++) sleep(50);
  if (!existsSync(portFile)) {
    stop();
    throw new Error('the AWS stub did not start');
  }
  const port = readFileSync(portFile, 'utf8');
  if (!/^\d+$/.test(port)) {
    stop();
    throw new Error(`the AWS stub wrote ${JSON.stringify(port)} as its port`);
  }
  return { url: `http://127.0.0.1:${port}`, stop };
}

export interface TerraformRun {
  readonly ok: boolean;
  /** The last step run: the failing one, or 'plan'. */
  readonly step: string;
  /** Everything printed, all steps; on a failure the failing step's output comes first. */
  readonly output: string;
  /** What validate and plan printed (init warns about the mirror's lock file; that is expected). */
  readonly checkOutput: string;
  /** `terraform show -json` of the plan, when asked for. */
  readonly plan?: Record<string, unknown>;
}

function tf(dir: string, env: NodeJS.ProcessEnv, args: string[]): { status: number; output: string } {
  const r = spawnSync('terraform', args, { cwd: dir, env, encoding: 'utf8', timeout: 300000 });
  return { status: r.status ?? 1, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/**
 * Copies a configuration directory to scratch space and runs init (from the mirror),
 * validate and an offline plan, stopping at the first failure.
 */
export function initValidatePlan(
  configDir: string,
  opts: {
    override?: boolean;
    /** Directories copied beside the config, by path relative to it (e.g. a module it sources). */
    alongside?: Record<string, string>;
    /**
     * What the AWS stub answers. A configuration that reads the serving ledger gets the stub
     * with an empty ledger (day 0) unless this says otherwise.
     */
    aws?: AwsStubState;
    /** Return the plan as JSON (`terraform show -json`). */
    json?: boolean;
    /** The account STS answers for a module's `aws_caller_identity` (default 123456789012). */
    callerAccount?: string;
  } = {},
): TerraformRun {
  const scratch = scratchDir('pipeform-tf-');
  // Two levels deep, so a config may reach siblings like ../../generated inside the scratch dir.
  const dir = join(scratch, 'examples', 'config');
  const copy = (from: string, to: string) =>
    cpSync(from, to, {
      recursive: true,
      filter: (src) => !src.includes('.terraform') && !src.endsWith('.tfstate'),
    });
  copy(configDir, dir);
  for (const [rel, from] of Object.entries(opts.alongside ?? {})) copy(from, join(dir, rel));
  const main = existsSync(join(dir, 'main.tf.json')) ? readFileSync(join(dir, 'main.tf.json'), 'utf8') : '';
  const region = /"region": "([a-z0-9-]+)"/.exec(main)?.[1] ?? 'us-east-1';
  // A module asks STS who its caller is; the stub answers, so the plan stays offline.
  const readsCaller = mentions(scratch, 'aws_caller_identity');
  const stub =
    opts.aws !== undefined || main.includes('"aws_ssm_parameters_by_path"') || readsCaller
      ? startStub(scratch, opts.aws ?? {}, region, opts.callerAccount)
      : undefined;
  if (opts.override ?? true) {
    const override = stub
      ? {
          ...OFFLINE_OVERRIDE,
          provider: {
            aws: {
              ...OFFLINE_OVERRIDE.provider.aws,
              endpoints: {
                ssm: stub.url,
                sagemaker: stub.url,
                applicationautoscaling: stub.url,
                sts: stub.url,
              },
            },
          },
        }
      : OFFLINE_OVERRIDE;
    writeFileSync(join(dir, 'zz_offline_override.tf.json'), JSON.stringify(override, null, 2));
  }
  try {
    return runSteps(dir, opts.json ?? false);
  } finally {
    stub?.stop();
  }
}

/** Whether any Terraform file under `dir` (a configuration and the modules beside it) names `what`. */
function mentions(dir: string, what: string): boolean {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).some(
    (f) =>
      /\.tf(\.json)?$/.test(f) &&
      !f.includes('.terraform') &&
      readFileSync(join(dir, f), 'utf8').includes(what),
  );
}

/**
 * A failing step's output before the steps that passed: a CI log that keeps only the head
 * of a long message still shows the error, not init's progress lines.
 */
const failed = (failing: string, before: string) => `${failing}\n--- earlier steps ---\n${before}`;

function runSteps(dir: string, json: boolean): TerraformRun {
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig(),
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
  };
  const steps: [string, string[]][] = [
    ['init', ['init', '-input=false', '-no-color']],
    ['validate', ['validate', '-no-color']],
    [
      'plan',
      [
        'plan',
        '-input=false',
        '-no-color',
        '-lock=false',
        '-refresh=false',
        ...(json ? ['-out=plan.bin'] : []),
      ],
    ],
  ];
  let output = '';
  let checkOutput = '';
  for (const [step, args] of steps) {
    const r = tf(dir, env, args);
    if (step !== 'init') checkOutput += r.output;
    if (r.status !== 0) return { ok: false, step, output: failed(r.output, output), checkOutput };
    output += r.output;
  }
  if (!json) return { ok: true, step: 'plan', output, checkOutput };
  const shown = tf(dir, env, ['show', '-json', 'plan.bin']);
  if (shown.status !== 0)
    return { ok: false, step: 'show', output: failed(shown.output, output), checkOutput };
  return {
    ok: true,
    step: 'plan',
    output,
    checkOutput,
    plan: JSON.parse(shown.output) as Record<string, unknown>,
  };
}

/** Terraform's version line, or throws with a clear message when it is missing. */
export function terraformVersion(): string {
  return execFileSync('terraform', ['version'], {
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
  }).split('\n')[0];
}

/**
 * Plans a small configuration offline (fake credentials, no AWS calls) and returns the
 * planned value of each of its outputs: real Terraform evaluates expressions and the data
 * sources that need no AWS call (`aws_sagemaker_prebuilt_ecr_image`, `aws_partition`).
 */
export function plannedOutputs(
  config: { data?: object; locals?: object; output: object },
  region = 'us-east-1',
): Record<string, unknown> {
  const dir = scratchDir('pipeform-eval-');
  writeFileSync(
    join(dir, 'main.tf.json'),
    JSON.stringify({
      terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: AWS_PROVIDER_VERSION } } },
      provider: { aws: { ...OFFLINE_OVERRIDE.provider.aws, allowed_account_ids: undefined, region } },
      ...config,
    }),
  );
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig(),
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
  };
  for (const args of [
    ['init', '-input=false', '-no-color'],
    ['plan', '-input=false', '-no-color', '-lock=false', '-out=plan.bin'],
  ]) {
    const r = tf(dir, env, args);
    if (r.status !== 0) throw new Error(`terraform ${args[0]} failed:\n${r.output}`);
  }
  const shown = spawnSync('terraform', ['show', '-json', 'plan.bin'], { cwd: dir, env, encoding: 'utf8' });
  const plan = JSON.parse(shown.stdout) as {
    planned_values?: { outputs?: Record<string, { value?: unknown }> };
  };
  return Object.fromEntries(Object.entries(plan.planned_values?.outputs ?? {}).map(([k, v]) => [k, v.value]));
}

/**
 * `terraform init` and `terraform test` in `dir` (a module with its `.tftest.hcl` files),
 * offline: the provider comes from the mirror and the tests bring their own
 * `mock_provider`. `filter` runs one test file (relative to `dir`). Nothing is copied:
 * give it a scratch directory.
 */
export function terraformTest(dir: string, filter?: string): { ok: boolean; output: string } {
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig(),
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
  };
  const init = tf(dir, env, ['init', '-input=false', '-no-color', '-backend=false']);
  if (init.status !== 0) return { ok: false, output: init.output };
  const run = tf(dir, env, ['test', '-no-color', ...(filter ? [`-filter=${filter}`] : [])]);
  return { ok: run.status === 0, output: run.output };
}

/**
 * A `terraform test` mock aws provider answering as `account` in `region`: the data sources
 * a pipeform module reads (the caller's identity, region and partition, and the serving
 * ledger, empty on day 0).
 */
export function mockAwsProvider(account = '999999999999', region = 'us-east-1'): string {
  return `mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "${account}" }
  }
  mock_data "aws_region" {
    defaults = { name = "${region}" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws", dns_suffix = "amazonaws.com" }
  }
  # The serving ledger is empty on day 0.
  mock_data "aws_ssm_parameters_by_path" {
    defaults = { names = [], values = [] }
  }
}
`;
}
