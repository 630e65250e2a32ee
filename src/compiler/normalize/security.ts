import type { ResolvedSecurity } from '../../model/resolved';
import type { PipelineSpec } from '../../spec/types.generated';
import { DEFAULTS, PRESET_LOG_RETENTION } from '../../areas/security/catalog';

/** Resolves shared security settings; presets raise defaults, never an explicit value. */
export function normalizeSecurity(spec: PipelineSpec): ResolvedSecurity {
  const sec = spec.security ?? {};
  const kms = sec.kms ?? {};
  const compliance = spec.compliance ?? [];
  const retentionFloor = Math.max(
    DEFAULTS.logRetentionDays,
    ...compliance.map((c) => PRESET_LOG_RETENTION[c]),
  );
  const waf = sec.waf;
  const attachedQuota = spec.usage?.appliedQuotas?.['L-0DA4ABF3'];
  return {
    kms: {
      ...(kms.existingKeyArn ? { existingKeyArn: kms.existingKeyArn } : {}),
      rotationPeriodDays: kms.rotationPeriodDays ?? DEFAULTS.kms.rotationPeriodDays,
      deletionWindowDays: kms.deletionWindowDays ?? DEFAULTS.kms.deletionWindowDays,
      admins: [...(kms.admins ?? [])].sort(),
      alias: `alias/${spec.name}`,
    },
    logRetentionDays: sec.logRetentionDays ?? retentionFloor,
    accountLogGroups: sec.accountLogGroups ?? DEFAULTS.accountLogGroups,
    dataResidency: [...(sec.dataResidency ?? [])].sort(),
    iam: {
      ...(sec.iam?.permissionsBoundaryArn ? { permissionsBoundaryArn: sec.iam.permissionsBoundaryArn } : {}),
      rolePath: sec.iam?.rolePath ?? DEFAULTS.iam.rolePath,
      // A granted increase lets the role factory attach more than the default 10 (usage.appliedQuotas).
      ...(attachedQuota !== undefined ? { attachedPoliciesQuota: attachedQuota } : {}),
    },
    ...(waf && (waf.enabled ?? DEFAULTS.waf.enabled)
      ? {
          waf: {
            rateLimit: waf.rateLimit ?? DEFAULTS.waf.rateLimit,
            managedRuleGroups: [...(waf.managedRuleGroups ?? DEFAULTS.waf.managedRuleGroups)],
            logging: waf.logging ?? DEFAULTS.waf.logging,
          },
        }
      : {}),
    shield: sec.shield ?? DEFAULTS.shield,
  };
}
