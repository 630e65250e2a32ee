import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { compileSpec } from '../../src/compiler';
import { SpecError, type Diagnostic } from '../../src/compiler/diagnostics';
import type { ResolvedSpec } from '../../src/model/resolved';

export const ROOT = join(__dirname, '..', '..');

/** The smallest valid spec, as data; tests add what they exercise. */
export const MINIMAL = {
  apiVersion: 'pipeform/v1',
  name: 'demo',
  region: 'us-east-1',
  account: '123456789012',
};

/** Compiles a spec given as data (through YAML text, so positions are real). */
export function compileData(data: object, file = 'pipeline.yaml'): ResolvedSpec {
  return compileSpec(file, Buffer.from(stringify(data))).resolved;
}

/** Compiles a spec given as YAML text. */
export function compileText(text: string, file = 'pipeline.yaml'): ResolvedSpec {
  return compileSpec(file, Buffer.from(text)).resolved;
}

/** The diagnostics a spec produces (fails the test when it compiles). */
export function diagnosticsOf(text: string, file = 'pipeline.yaml'): Diagnostic[] {
  try {
    compileSpec(file, Buffer.from(text));
  } catch (e) {
    if (e instanceof SpecError) return [...e.diagnostics];
    throw e;
  }
  throw new Error('expected the spec to be invalid, but it compiled');
}

/**
 * The Terraform configurations committed for an example, relative to generated/<name>:
 * '' for a single configuration, or one directory per environment.
 */
export function configDirs(name: string): string[] {
  const dir = join(ROOT, 'generated', name);
  if (existsSync(join(dir, 'main.tf.json'))) return [''];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'main.tf.json')))
    .map((d) => d.name)
    .sort();
}

/** Every example: its name and spec path. */
export function examples(): { name: string; file: string }[] {
  const dir = join(ROOT, 'examples');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .filter((d) => {
      try {
        readFileSync(join(dir, d.name, 'pipeline.yaml'));
        return true;
      } catch {
        return false;
      }
    })
    .map((d) => ({ name: d.name, file: join('examples', d.name, 'pipeline.yaml') }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
