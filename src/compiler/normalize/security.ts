import type { CompliancePreset, ResolvedSecurity } from '../../model/resolved';
import type { PipelineSpec } from '../../spec/types.generated';

/** Log retention each preset requires at least (days; CloudWatch's allowed values). */
export const PRESET_LOG_RETENTION: Readonly<Record<CompliancePreset, number>> = {
  hipaa: 2192, // 6 years of audit records
  'pci-dss': 365, // 1 year, 3 months immediately available
  gdpr: 0,
};

export const DEFAULT_LOG_RETENTION_DAYS = 365;
/** The account-shared SageMaker log groups are left to AWS unless the spec says otherwise. */
export const DEFAULT_ACCOUNT_LOG_GROUPS = 'unmanaged';
export const DEFAULT_WAF_RULE_GROUPS = ['common', 'known-bad-inputs', 'ip-reputation'];

/** Resolves shared security settings; presets raise defaults, never an explicit value. */
export function normalizeSecurity(spec: PipelineSpec): ResolvedSecurity {
  const sec = spec.security ?? {};
  const kms = sec.kms ?? {};
  const compliance = spec.compliance ?? [];
  const retentionFloor = Math.max(
    DEFAULT_LOG_RETENTION_DAYS,
    ...compliance.map((c) => PRESET_LOG_RETENTION[c]),
  );
  const waf = sec.waf;
  return {
    kms: {
      ...(kms.existingKeyArn ? { existingKeyArn: kms.existingKeyArn } : {}),
      rotationPeriodDays: kms.rotationPeriodDays ?? 365,
      deletionWindowDays: kms.deletionWindowDays ?? 30,
      admins: [...(kms.admins ?? [])].sort(),
      alias: `alias/${spec.name}`,
    },
    logRetentionDays: sec.logRetentionDays ?? retentionFloor,
    accountLogGroups: sec.accountLogGroups ?? DEFAULT_ACCOUNT_LOG_GROUPS,
    dataResidency: [...(sec.dataResidency ?? [])].sort(),
    iam: {
      ...(sec.iam?.permissionsBoundaryArn ? { permissionsBoundaryArn: sec.iam.permissionsBoundaryArn } : {}),
      rolePath: sec.iam?.rolePath ?? '/pipeform/',
    },
    ...(waf && (waf.enabled ?? true)
      ? {
          waf: {
            rateLimit: waf.rateLimit ?? 2000,
            managedRuleGroups: [...(waf.managedRuleGroups ?? DEFAULT_WAF_RULE_GROUPS)],
            logging: waf.logging ?? true,
          },
        }
      : {}),
    shield: sec.shield ?? false,
  };
}
