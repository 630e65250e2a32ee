import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Real Terraform, offline. The aws provider comes from a filesystem mirror (found on the
 * machine, or PIPEFORM_TF_MIRROR); plans run with fake static credentials that live only
 * here, written as an override file into a scratch copy, never into generated/.
 */

const CANDIDATE_MIRRORS = [
  '/opt/tf-plugins',
  '/usr/share/terraform/plugins',
  '/usr/local/share/terraform/plugins',
];

let cachedMirror: string | undefined;

/** The directory holding registry.terraform.io/hashicorp/aws/<version>/. */
export function findMirror(): string {
  if (cachedMirror !== undefined) return cachedMirror;
  const fromEnv = process.env.PIPEFORM_TF_MIRROR;
  const hasAws = (dir: string) => existsSync(join(dir, 'registry.terraform.io', 'hashicorp', 'aws'));
  if (fromEnv && hasAws(fromEnv)) return (cachedMirror = fromEnv);
  const known = CANDIDATE_MIRRORS.find(hasAws);
  if (known) return (cachedMirror = known);
  const found = spawnSync('find', ['/', '-name', 'terraform-provider-aws_*', '-not', '-path', '/proc/*'], {
    encoding: 'utf8',
    timeout: 60000,
  }).stdout.split('\n')[0];
  const m = /^(.*)\/registry\.terraform\.io\/hashicorp\/aws\//.exec(found ?? '');
  if (!m) throw new Error('no filesystem mirror of hashicorp/aws found: set PIPEFORM_TF_MIRROR');
  return (cachedMirror = m[1]);
}

/** A Terraform CLI configuration (in a temp file) that installs the aws provider from the mirror. */
export function cliConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pipeform-tfrc-'));
  const file = join(dir, 'terraform.rc');
  writeFileSync(
    file,
    `provider_installation {\n  filesystem_mirror {\n    path = "${findMirror()}"\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
  );
  return file;
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

export interface TerraformRun {
  readonly ok: boolean;
  /** The last step run: the failing one, or 'plan'. */
  readonly step: string;
  /** Everything printed, all steps. */
  readonly output: string;
  /** What validate and plan printed (init warns about the mirror's lock file; that is expected). */
  readonly checkOutput: string;
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
  } = {},
): TerraformRun {
  const scratch = mkdtempSync(join(tmpdir(), 'pipeform-tf-'));
  // Two levels deep, so a config may reach siblings like ../../generated inside the scratch dir.
  const dir = join(scratch, 'examples', 'config');
  const copy = (from: string, to: string) =>
    cpSync(from, to, {
      recursive: true,
      filter: (src) => !src.includes('.terraform') && !src.endsWith('.tfstate'),
    });
  copy(configDir, dir);
  for (const [rel, from] of Object.entries(opts.alongside ?? {})) copy(from, join(dir, rel));
  if (opts.override ?? true) {
    writeFileSync(join(dir, 'zz_offline_override.tf.json'), JSON.stringify(OFFLINE_OVERRIDE, null, 2));
  }
  const env = {
    ...process.env,
    TF_CLI_CONFIG_FILE: cliConfig(),
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
  };
  const steps: [string, string[]][] = [
    ['init', ['init', '-input=false', '-no-color']],
    ['validate', ['validate', '-no-color']],
    ['plan', ['plan', '-input=false', '-no-color', '-lock=false', '-refresh=false']],
  ];
  let output = '';
  let checkOutput = '';
  for (const [step, args] of steps) {
    const r = tf(dir, env, args);
    output += r.output;
    if (step !== 'init') checkOutput += r.output;
    if (r.status !== 0) return { ok: false, step, output, checkOutput };
  }
  return { ok: true, step: 'plan', output, checkOutput };
}

/** Terraform's version line, or throws with a clear message when it is missing. */
export function terraformVersion(): string {
  return execFileSync('terraform', ['version'], {
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
  }).split('\n')[0];
}
