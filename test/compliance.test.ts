import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { complianceRules } from '../src/compiler/rules/compliance';
import { renderComplianceDocs } from '../src/docs/compliance';
import { compileData, diagnosticsOf, MINIMAL, ROOT } from './harness/spec';

/** A spec every preset accepts; each case below breaks exactly one rule. */
const COMPLIANT = {
  ...MINIMAL,
  region: 'eu-west-1',
  security: { dataResidency: ['eu-west-1'], accountLogGroups: 'manage' },
  network: { vpc: { cidr: '10.0.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b'] } },
  state: {
    backend: 's3',
    s3: {
      bucket: 'tf-state',
      kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    },
  },
};

type Spec = Record<string, unknown>;
const withSecurity = (extra: object): Spec => ({
  ...COMPLIANT,
  security: { ...COMPLIANT.security, ...extra },
});
const withBucket = (name: string, bucket: object): Spec => ({
  ...COMPLIANT,
  storage: { buckets: { [name]: bucket } },
});

/** [rule, preset that enables it, violating spec (without `compliance`), spec path reported]. */
const cases: [string, string, Spec, string][] = [
  ['compliance/log-retention', 'hipaa', withSecurity({ logRetentionDays: 365 }), 'security.logRetentionDays'],
  [
    'compliance/logs-bucket-retention',
    'pci-dss',
    withBucket('logs', { lifecycle: { expireAfterDays: 90 } }),
    'storage.buckets.logs.lifecycle.expireAfterDays',
  ],
  ['compliance/data-residency', 'gdpr', { ...COMPLIANT, security: {} }, 'compliance'],
  [
    'compliance/account-log-groups',
    'hipaa',
    withSecurity({ accountLogGroups: 'unmanaged' }),
    'security.accountLogGroups',
  ],
  [
    'compliance/access-logging',
    'gdpr',
    withBucket('raw', { accessLogging: false }),
    'storage.buckets.raw.accessLogging',
  ],
  [
    'compliance/versioning',
    'hipaa',
    withBucket('raw', { versioning: false }),
    'storage.buckets.raw.versioning',
  ],
  [
    'compliance/no-force-destroy',
    'pci-dss',
    withBucket('raw', { forceDestroy: true }),
    'storage.buckets.raw.forceDestroy',
  ],
  [
    'compliance/encrypted-remote-state',
    'hipaa',
    { ...COMPLIANT, state: { backend: 's3', s3: { bucket: 'tf-state' } } },
    'state.s3',
  ],
  ['compliance/private-network', 'pci-dss', { ...COMPLIANT, network: undefined }, 'compliance'],
  [
    'compliance/flow-logs',
    'hipaa',
    { ...COMPLIANT, network: { ...COMPLIANT.network, flowLogs: { enabled: false } } },
    'network.flowLogs.enabled',
  ],
  [
    'compliance/key-rotation',
    'pci-dss',
    withSecurity({ kms: { rotationPeriodDays: 730 } }),
    'security.kms.rotationPeriodDays',
  ],
  [
    'compliance/waf-not-disabled',
    'pci-dss',
    withSecurity({ waf: { enabled: false } }),
    'security.waf.enabled',
  ],
];

const yamlOf = (spec: Spec) => stringify(JSON.parse(JSON.stringify(spec)));

describe('compliance presets', () => {
  test('the compliant baseline passes all three presets', () => {
    expect(() => compileData({ ...COMPLIANT, compliance: ['hipaa', 'pci-dss', 'gdpr'] })).not.toThrow();
  });

  test.each(cases)(
    '%s (%s): fails with the rule id at the spec location; passes without the preset',
    (rule, preset, spec, path) => {
      const ds = diagnosticsOf(yamlOf({ ...spec, compliance: [preset] }));
      expect(ds).toHaveLength(1);
      expect(ds[0]).toMatchObject({ rule, path });
      expect(ds[0].line).toBeGreaterThan(0);
      expect(ds[0].hint).toBeTruthy();
      if (rule !== 'compliance/data-residency' && rule !== 'compliance/private-network') {
        expect(() => compileData(spec)).not.toThrow();
      }
    },
  );

  test('every compliance rule has a case, and names presets that enable it', () => {
    expect(complianceRules.map((r) => r.id).sort()).toEqual(cases.map((c) => c[0]).sort());
    for (const [rule, preset] of cases)
      expect(complianceRules.find((r) => r.id === rule)!.presets).toContain(preset);
  });

  test('account log groups: manage or the external waiver satisfy hipaa and pci-dss; unset points at security', () => {
    for (const mode of ['manage', 'external'])
      expect(() =>
        compileData({ ...withSecurity({ accountLogGroups: mode }), compliance: ['hipaa', 'pci-dss'] }),
      ).not.toThrow();
    const unset = diagnosticsOf(
      yamlOf({ ...COMPLIANT, security: { dataResidency: ['eu-west-1'] }, compliance: ['pci-dss'] }),
    );
    expect(unset).toEqual([
      expect.objectContaining({ rule: 'compliance/account-log-groups', path: 'security' }),
    ]);
    expect(() =>
      compileData({ ...withSecurity({ accountLogGroups: 'unmanaged' }), compliance: ['gdpr'] }),
    ).not.toThrow();
  });

  test('presets tighten defaults: hipaa raises log retention to 6 years, pci-dss keeps 1 year', () => {
    expect(compileData({ ...COMPLIANT, compliance: ['hipaa'] }).security.logRetentionDays).toBe(2192);
    expect(compileData({ ...COMPLIANT, compliance: ['pci-dss'] }).security.logRetentionDays).toBe(365);
    expect(compileData(MINIMAL).security.logRetentionDays).toBe(365);
  });

  test('docs/compliance.md lists every rule and is fresh (npm run gen:docs)', () => {
    const committed = readFileSync(join(ROOT, 'docs', 'compliance.md'), 'utf8');
    expect(committed).toBe(renderComplianceDocs());
    for (const r of complianceRules) expect(committed).toContain(r.id);
  });
});
