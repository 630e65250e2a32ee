/**
 * The security area's catalog: shared security defaults (read from the schema, never
 * restated) and what each compliance preset requires, for the check stage (compliance rules)
 * and normalize alike. Pure: no cdktf, no normalize imports.
 */
import type { CompliancePreset } from '../../model/resolved';
import { schemaChoiceDefault, schemaDefault } from '../../spec/schema';

const property = (definition: string, name: string) => `#/definitions/${definition}/properties/${name}`;

/** The security defaults, each read from its schema `default` (the single source). */
export const DEFAULTS = {
  /** A floor: compliance presets raise it (see {@link PRESET_LOG_RETENTION}). */
  logRetentionDays: schemaDefault(property('security', 'logRetentionDays'), 'number'),
  /** The account-shared SageMaker log groups are left to AWS unless the spec says otherwise. */
  accountLogGroups: schemaChoiceDefault(property('security', 'accountLogGroups'), [
    'unmanaged',
    'manage',
    'external',
  ] as const),
  shield: schemaDefault(property('security', 'shield'), 'boolean'),
  kms: {
    rotationPeriodDays: schemaDefault(property('kms', 'rotationPeriodDays'), 'number'),
    deletionWindowDays: schemaDefault(property('kms', 'deletionWindowDays'), 'number'),
  },
  iam: { rolePath: schemaDefault(property('iam', 'rolePath'), 'string') },
  waf: {
    enabled: schemaDefault(property('waf', 'enabled'), 'boolean'),
    rateLimit: schemaDefault(property('waf', 'rateLimit'), 'number'),
    managedRuleGroups: schemaDefault(property('waf', 'managedRuleGroups'), 'strings'),
    logging: schemaDefault(property('waf', 'logging'), 'boolean'),
  },
} as const;

/** Log retention each preset requires at least (days; CloudWatch's allowed values). */
export const PRESET_LOG_RETENTION: Readonly<Record<CompliancePreset, number>> = {
  hipaa: 2192, // 6 years of audit records
  'pci-dss': 365, // 1 year, 3 months immediately available
  gdpr: 0,
};
