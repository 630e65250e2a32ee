import { join } from 'node:path';
import { compileSpec, readSpecFile } from '../src/compiler';
import {
  credentialFormatOf,
  harmlessValue,
  looksSecretName,
  REFERENCE_SUFFIX,
  referenceArnKind,
} from '../src/compiler/secrets';
import { synthesizeTargets } from '../src/synth/targets';
import { examples, ROOT } from './harness/spec';

/** CodeBuild variable types whose value is a reference, not the secret. */
const RESOLVED_TYPES = ['SECRETS_MANAGER', 'PARAMETER_STORE'];

/** Provider attributes whose names look secret but hold a setting: API Gateway's authorization type. */
const SETTINGS = ['authorization'];

/** A value Terraform computes (a reference) or a reference to a secret: not a secret itself. */
const computedOrReference = (v: string) => /^\$\{.*\}$/s.test(v) || referenceArnKind(v) !== undefined;

/**
 * Secrets written into generated Terraform: a literal under a secret-looking key, a
 * `{name, value}` pair (CodeBuild variables) with a secret-looking name and a plaintext
 * value, and any string shaped like a credential. JSON held in strings (pipeline and state
 * machine definitions, policies) is read too.
 */
export function leakedSecrets(node: unknown, path = ''): string[] {
  if (typeof node === 'string') {
    const out: string[] = [];
    if (credentialFormatOf(node)) out.push(`${path}: a ${credentialFormatOf(node)!.name}`);
    const t = node.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        out.push(...leakedSecrets(JSON.parse(t), `${path}<json>`));
      } catch {
        // Not JSON: a plain string.
      }
    }
    return out;
  }
  if (Array.isArray(node)) return node.flatMap((n, i) => leakedSecrets(n, `${path}[${i}]`));
  if (node === null || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  const out: string[] = [];
  if (typeof o.name === 'string' && typeof o.value === 'string' && looksSecretName(o.name)) {
    if (!RESOLVED_TYPES.includes(String(o.type)) && !harmlessValue(o.value) && !computedOrReference(o.value))
      out.push(`${path}: ${o.name} is a plaintext variable`);
  }
  for (const [k, v] of Object.entries(o)) {
    if (
      typeof v === 'string' &&
      !SETTINGS.includes(k) &&
      looksSecretName(k) &&
      !harmlessValue(v) &&
      !computedOrReference(v)
    )
      out.push(`${path}.${k}: a literal under a secret-looking name`);
    out.push(...leakedSecrets(v, `${path}.${k}`));
  }
  return out;
}

describe('the scanner', () => {
  test('finds what a leak looks like in Terraform JSON', () => {
    const leaked = {
      resource: {
        aws_lambda_function: { f: { environment: { variables: { DB_PASSWORD: 'hunter2' } } } },
        aws_codebuild_project: {
          b: {
            environment: {
              environment_variable: [{ name: 'GITHUB_TOKEN', value: 'abc', type: 'PLAINTEXT' }],
            },
          },
        },
        aws_sagemaker_pipeline: {
          t: {
            pipeline_definition: JSON.stringify({
              Steps: [{ Arguments: { HyperParameters: { api_token: 'x1' } } }],
            }),
          },
        },
        aws_glue_job: { j: { default_arguments: { '--url': 'postgres://u:hunter2@db/x' } } },
      },
    };
    expect(leakedSecrets(leaked)).toEqual([
      '.resource.aws_lambda_function.f.environment.variables.DB_PASSWORD: a literal under a secret-looking name',
      '.resource.aws_codebuild_project.b.environment.environment_variable[0]: GITHUB_TOKEN is a plaintext variable',
      '.resource.aws_sagemaker_pipeline.t.pipeline_definition<json>.Steps[0].Arguments.HyperParameters.api_token: a literal under a secret-looking name',
      '.resource.aws_glue_job.j.default_arguments.--url: a password in a URL',
    ]);
  });

  test('leaves references alone', () => {
    const fine = {
      variables: { DB_PASSWORD_SECRET_ID: 'demo/db', TOKEN: '${var.token}', SECRET: '/run/secrets/x' },
      environment_variable: [{ name: 'GITHUB_TOKEN', value: 'demo/github:token', type: 'SECRETS_MANAGER' }],
    };
    expect(leakedSecrets(fine)).toEqual([]);
  });
});

describe.each(examples())('example $name holds no secret in its Terraform', ({ file }) => {
  test('freshly synthesized JSON', () => {
    const files = synthesizeTargets(compileSpec(file, readSpecFile(join(ROOT, file))), file).files;
    const found: string[] = [];
    for (const [path, content] of files) {
      if (!path.endsWith('.json')) continue;
      const text = typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
      found.push(...leakedSecrets(JSON.parse(text), path));
    }
    expect(found).toEqual([]);
  });
});

type Resources = Record<string, Record<string, Record<string, unknown>>>;
type Statement = { Action: string | string[]; Resource: string | string[] };

/** IAM's wildcard match: `?` is one character, `*` any run of them. */
function iamMatches(pattern: string, arn: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\?/g, '.')
    .replace(/\*/g, '.*');
  return new RegExp(`^${re}$`).test(arn);
}

/**
 * Day 1, statically: every secret a workload is handed (a Lambda or Glue reference name, a
 * CodeBuild SECRETS_MANAGER variable) is one its role may read. A secret given by name gets
 * a random six-character suffix in its ARN, simulated here.
 */
function unreadableReferences(config: {
  provider: { aws: { region: string; allowed_account_ids: string[] }[] };
  resource: Resources;
}): {
  checked: number;
  unreadable: string[];
} {
  const {
    region,
    allowed_account_ids: [account],
  } = config.provider.aws[0];
  const r = config.resource;
  const arnOf = (id: string) =>
    id.startsWith('arn:') ? id : `arn:aws:secretsmanager:${region}:${account}:secret:${id}-Ab12Cd`;
  const readable = (roleRef: string): string[] => {
    const role = /\$\{aws_iam_role\.([a-z0-9_]+)\.arn\}/.exec(roleRef)?.[1];
    const policy = Object.values(r.aws_iam_role_policy ?? {}).find(
      (p) => p.role === `\${aws_iam_role.${role}.id}`,
    );
    if (!policy) return [];
    return (JSON.parse(policy.policy as string) as { Statement: Statement[] }).Statement.filter((st) =>
      [st.Action].flat().includes('secretsmanager:GetSecretValue'),
    ).flatMap((st) => [st.Resource].flat());
  };
  const handed: [string, string, string][] = []; // [where, role reference, secret id]
  for (const [name, f] of Object.entries(r.aws_lambda_function ?? {})) {
    const vars = (f.environment as { variables?: Record<string, string> } | undefined)?.variables ?? {};
    for (const [k, v] of Object.entries(vars))
      if (k.endsWith(REFERENCE_SUFFIX.env.secret)) handed.push([`lambda ${name} ${k}`, f.role as string, v]);
  }
  // A snake_case argument (what Glue's getResolvedOptions reads) gets the suffix in snake case.
  const argumentSuffixes = [
    REFERENCE_SUFFIX.argument.secret,
    REFERENCE_SUFFIX.argument.secret.replace(/-/g, '_'),
  ];
  for (const [name, j] of Object.entries(r.aws_glue_job ?? {})) {
    for (const [k, v] of Object.entries((j.default_arguments ?? {}) as Record<string, string>))
      if (argumentSuffixes.some((suffix) => k.endsWith(suffix)))
        handed.push([`glue ${name} ${k}`, j.role_arn as string, v]);
  }
  for (const [name, p] of Object.entries(r.aws_codebuild_project ?? {})) {
    const vars = (p.environment as { environment_variable: { name: string; type: string; value: string }[] })
      .environment_variable;
    for (const v of vars.filter((x) => x.type === 'SECRETS_MANAGER')) {
      // secret-id[:json-key[:version-stage]]; an ARN has six colons of its own.
      const id = v.value.startsWith('arn:')
        ? v.value.split(':').slice(0, 7).join(':')
        : v.value.split(':')[0];
      handed.push([`codebuild ${name} ${v.name}`, p.service_role as string, id]);
    }
  }
  return {
    checked: handed.length,
    unreadable: handed
      .filter(([, role, id]) => !readable(role).some((pattern) => iamMatches(pattern, arnOf(id))))
      .map(([where, , id]) => `${where}: ${id}`),
  };
}

describe('day 1: every secret a workload receives is one its role may read', () => {
  test('the IAM wildcard match used here', () => {
    expect(iamMatches('arn:x:secret:a-??????', 'arn:x:secret:a-Ab12Cd')).toBe(true);
    expect(iamMatches('arn:x:secret:a-??????', 'arn:x:secret:a-b-Ab12Cd')).toBe(false);
    expect(iamMatches('arn:x:secret:a-??????', 'arn:x:secret:a-Ab12C')).toBe(false);
  });

  const configs = examples().flatMap(({ name, file }) =>
    [...synthesizeTargets(compileSpec(file, readSpecFile(join(ROOT, file))), file).files.entries()]
      .filter(([path]) => path.endsWith('main.tf.json'))
      .map(([path, content]) => ({
        config: `${name}/${path}`,
        json: JSON.parse(typeof content === 'string' ? content : Buffer.from(content).toString('utf8')),
      }))
      // Root configurations with resources: an environment's thin root holds none, and the
      // module it calls has no provider to name the account (a module caller's secrets are
      // its own); the flat configurations of every example are checked.
      .filter(({ json }) => json.provider?.aws !== undefined && json.resource !== undefined),
  );

  test.each(configs)('$config', ({ json }) => {
    expect(unreadableReferences(json).unreadable).toEqual([]);
  });

  test('the examples hand out references (the check above is not vacuous)', () => {
    expect(configs.reduce((n, c) => n + unreadableReferences(c.json).checked, 0)).toBeGreaterThanOrEqual(2);
  });

  test('a reference without its grant is found', () => {
    const config = configs.find((c) => c.config.startsWith('batch-etl/'))!.json;
    const broken = JSON.parse(JSON.stringify(config));
    broken.resource.aws_iam_role_policy.glue_jobs_sessionize.policy = JSON.stringify({
      Statement: [{ Action: 's3:GetObject', Resource: '*' }],
    });
    expect(unreadableReferences(broken).unreadable).toEqual([
      'glue glue_jobs_sessionize --crm_db_password_secret_id: clicks/crm-db-password',
    ]);
  });
});
