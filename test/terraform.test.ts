import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { initValidatePlan, terraformVersion } from './harness/terraform';
import { configDirs, examples, ROOT } from './harness/spec';

/**
 * Real Terraform over every committed example: init from the provider mirror, validate,
 * and an offline plan (the real provider's schema and plan-time validation). One run per
 * example directory, as terraform start-up dominates.
 */
describe('real Terraform', () => {
  test('terraform is installed', () => {
    expect(terraformVersion()).toMatch(/^Terraform v1\./);
  });

  const configs = examples().flatMap(({ name }) =>
    configDirs(name).map((dir) => ({ config: join(name, dir) })),
  );

  test.each(configs)('generated/$config: init, validate and offline plan succeed', ({ config }) => {
    // An environment root calls the shared module beside it (../modules/pipeline).
    const modules = join(ROOT, 'generated', dirname(config), 'modules');
    const r = initValidatePlan(join(ROOT, 'generated', config), {
      ...(config.includes('/') && existsSync(modules) ? { alongside: { '../modules': modules } } : {}),
    });
    if (!r.ok) throw new Error(`terraform ${r.step} failed for generated/${config}:\n${r.output}`);
    expect(r.output).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy\./);
    expect(r.checkOutput).not.toMatch(/Warning:/);
  });
});
