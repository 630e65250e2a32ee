import { join } from 'node:path';
import { compileSpec, readSpecFile } from '../src/compiler';
import {
  credentialFormatOf,
  harmlessValue,
  looksSecretName,
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
