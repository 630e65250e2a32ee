/**
 * The security area's catalog: shared security defaults (read from the schema, never
 * restated) and what each compliance preset requires, for the check stage (compliance rules)
 * and normalize alike. Pure: no cdktf, no normalize imports.
 */
import type { CompliancePreset } from '../../model/resolved';
import { schemaChoiceDefault, schemaDefault, schemaPointer } from '../../spec/schema';

/** The security defaults, each read from its schema `default` (the single source). */
export const DEFAULTS = {
  /** A floor: compliance presets raise it (see {@link PRESET_LOG_RETENTION}). */
  logRetentionDays: schemaDefault(schemaPointer('security', 'logRetentionDays'), 'number'),
  /** The account-shared SageMaker log groups are left to AWS unless the spec says otherwise. */
  accountLogGroups: schemaChoiceDefault(schemaPointer('security', 'accountLogGroups'), [
    'unmanaged',
    'manage',
    'external',
  ] as const),
  shield: schemaDefault(schemaPointer('security', 'shield'), 'boolean'),
  kms: {
    rotationPeriodDays: schemaDefault(schemaPointer('kms', 'rotationPeriodDays'), 'number'),
    deletionWindowDays: schemaDefault(schemaPointer('kms', 'deletionWindowDays'), 'number'),
  },
  iam: { rolePath: schemaDefault(schemaPointer('iam', 'rolePath'), 'string') },
  waf: {
    enabled: schemaDefault(schemaPointer('waf', 'enabled'), 'boolean'),
    rateLimit: schemaDefault(schemaPointer('waf', 'rateLimit'), 'number'),
    managedRuleGroups: schemaDefault(schemaPointer('waf', 'managedRuleGroups'), 'strings'),
    logging: schemaDefault(schemaPointer('waf', 'logging'), 'boolean'),
  },
} as const;

/** Log retention each preset requires at least (days; CloudWatch's allowed values). */
export const PRESET_LOG_RETENTION: Readonly<Record<CompliancePreset, number>> = {
  hipaa: 2192, // 6 years of audit records
  'pci-dss': 365, // 1 year, 3 months immediately available
  gdpr: 0,
};
