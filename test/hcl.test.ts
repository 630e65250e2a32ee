import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonToHcl } from '../src/synth/hcl';
import { typeSchema } from '../src/synth/provider-schema';

describe('provider schema from the cdktf bindings', () => {
  test('nested blocks, attribute-mode blocks and attribute types', () => {
    const sse = typeSchema('resource', 'aws_s3_bucket_server_side_encryption_configuration');
    expect([...sse.blocks.keys()]).toEqual(['rule']);
    expect([...sse.blocks.get('rule')!.blocks.keys()]).toEqual(['apply_server_side_encryption_by_default']);
    expect(typeSchema('resource', 'aws_default_security_group').blocks.get('ingress')?.attributeMode).toBe(
      true,
    );
    expect(
      typeSchema('resource', 'aws_lambda_function').blocks.get('environment')?.attributeMode,
    ).toBeUndefined();
    expect(
      typeSchema('resource', 'aws_wafv2_web_acl').blocks.get('rule')?.blocks.get('statement')?.opaque,
    ).toBe(true);
    const bucket = typeSchema('resource', 'aws_s3_bucket').attributeTypes;
    expect([bucket.get('arn'), bucket.get('tags')]).toEqual(['string', 'map(string)']);
    expect(typeSchema('data', 'aws_iam_policy_document').blocks.has('statement')).toBe(true);
  });
});

describe('jsonToHcl', () => {
  const resource = (type: string, body: object) => jsonToHcl({ resource: { [type]: { r: body } } });

  test('a lone interpolation becomes the bare expression; other strings stay templates, escaped', () => {
    const hcl = jsonToHcl({
      locals: {
        bare: '${merge(local.t, { "k" = "}" })}',
        template: 'a"b\\c\n${var.x}$${kept}',
        keys: { 'pipeform:x': 'v', plain: 1 },
      },
    });
    expect(hcl).toContain('bare     = merge(local.t, { "k" = "}" })');
    expect(hcl).toContain('template = "a\\"b\\\\c\\n${var.x}$${kept}"');
    expect(hcl).toContain('"pipeform:x" = "v"');
  });

  test('blocks come from the schema; attributes holding objects stay attributes', () => {
    const hcl = resource('aws_lambda_function', {
      environment: [{ variables: { A: '1' } }],
      tags: { team: 'x' },
      depends_on: ['aws_iam_role.r'],
      lifecycle: { ignore_changes: ['tags'] },
    });
    expect(hcl).toContain('  environment {\n    variables = {\n      A = "1"\n    }\n  }');
    expect(hcl).toContain('  tags = {\n    team = "x"\n  }');
    expect(hcl).toContain('depends_on = [aws_iam_role.r]');
    expect(hcl).toContain('lifecycle {\n    ignore_changes = [tags]\n  }');
  });

  test('an empty list is `[]` for an attribute-mode block and nothing for a real block', () => {
    expect(resource('aws_default_security_group', { ingress: [], vpc_id: 'v' })).toContain('ingress = []');
    expect(resource('aws_lambda_function', { environment: [], function_name: 'f' })).not.toContain(
      'environment',
    );
  });

  test('variable defaults and descriptions are literals: ${ is escaped', () => {
    expect(
      jsonToHcl({ variable: { v: { type: 'string', default: '${x}', description: '%{y}' } } }),
    ).toContain('default     = "$${x}"\n  description = "%%{y}"');
  });

  test('refuses what a module does not contain instead of guessing', () => {
    expect(() => jsonToHcl({ provider: { aws: {} } })).toThrow(/not rendered as HCL/);
    expect(() => jsonToHcl({ terraform: { backend: { local: {} } } })).toThrow(/no backend/);
  });

  test('Terraform evaluates the HCL to exactly what it evaluates the JSON to', () => {
    const doc = {
      locals: { n: 2, parts: ['a', 'b'] },
      output: {
        escapes: { value: 'q"uote \\back\\slash\nline\ttab $${literal} %%{literal}' },
        interpolated: { value: 'n=${local.n} ${join("-", local.parts)}' },
        bare: { value: '${{ for p in local.parts : p => upper(p) }}' },
        object: { value: { 'odd:key': '${local.n + 1}', list: ['${local.n}', true, null] } },
        conditional: { value: '${local.n > 1 ? "many" : "one"}' },
      },
    };
    const evaluate = (name: string, text: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'pipeform-hcl-eval-'));
      writeFileSync(join(dir, name), text);
      const env = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
      for (const args of [
        ['init', '-input=false', '-no-color'],
        ['plan', '-input=false', '-no-color', '-out=plan.bin'],
      ]) {
        const r = spawnSync('terraform', args, { cwd: dir, env, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`terraform ${args[0]} (${name}) failed:\n${r.stdout}${r.stderr}`);
      }
      const shown = spawnSync('terraform', ['show', '-json', 'plan.bin'], {
        cwd: dir,
        env,
        encoding: 'utf8',
      });
      return JSON.parse(shown.stdout).planned_values.outputs;
    };
    const fromJson = evaluate('main.tf.json', JSON.stringify(doc));
    expect(fromJson.escapes.value).toBe('q"uote \\back\\slash\nline\ttab ${literal} %{literal}');
    expect(evaluate('main.tf', jsonToHcl(doc))).toEqual(fromJson);
  });
});
