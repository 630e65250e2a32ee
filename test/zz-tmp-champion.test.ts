import { initValidatePlan } from './harness/terraform';
test('champion config plans', () => {
  const r = initValidatePlan('/tmp/champ/out');
  if (!r.ok) throw new Error(`${r.step}: ${r.output}`);
  expect(r.output).toMatch(/Plan: \d+ to add/);
  expect(r.checkOutput).not.toMatch(/Warning:/);
});
