import type { CompliancePreset } from '../../model/resolved';
import { DEFAULTS as STATE_DEFAULTS } from '../../areas/state/catalog';
import type { Diagnostic } from '../diagnostics';
import type { CheckContext, CheckRule } from '../check';
import { PRESET_LOG_RETENTION } from '../../areas/security/catalog';
import { lakeBuckets } from './references';

/** A rule one or more compliance presets turn on. docs/compliance.md is generated from these. */
export interface ComplianceRule {
  readonly id: string;
  readonly presets: readonly CompliancePreset[];
  /** What the rule checks and why the framework cares. */
  readonly description: string;
  /** How to fix a violation, as the user would do it in the spec. */
  readonly fix: string;
  /** Violations, each at a spec path. `presets` are the active presets that enable the rule. */
  readonly run: (ctx: CheckContext, presets: readonly CompliancePreset[]) => Diagnostic[];
}

const label = (presets: readonly CompliancePreset[]) => presets.join(', ');

export const complianceRules: readonly ComplianceRule[] = [
  {
    id: 'compliance/log-retention',
    presets: ['hipaa', 'pci-dss'],
    description:
      'Log groups keep records long enough for audits: 1 year for PCI DSS (req. 10.5.1), 6 years for HIPAA (45 CFR 164.316).',
    fix: 'remove security.logRetentionDays (the preset raises the default) or set it to the required days',
    run: (ctx, presets) => {
      const days = ctx.spec.security?.logRetentionDays;
      const required = Math.max(...presets.map((p) => PRESET_LOG_RETENTION[p]));
      return days !== undefined && days < required
        ? [
            ctx.report(
              ['security', 'logRetentionDays'],
              `${label(presets)} requires log retention of at least ${required} days, not ${days}`,
              `set logRetentionDays: ${required}, or remove it`,
            ),
          ]
        : [];
    },
  },
  {
    id: 'compliance/account-log-groups',
    presets: ['hipaa', 'pci-dss'],
    description:
      'The log groups SageMaker creates on its own (/aws/sagemaker/TrainingJobs, ProcessingJobs, TransformJobs, studio, ...) keep audit records for the retention period, encrypted with a customer-managed key. Shared by the account, they are created by one pipeline (security.accountLogGroups: manage), or declared managed elsewhere (external: the documented waiver, e.g. an account baseline).',
    fix: 'set security.accountLogGroups: manage in one pipeline of the account and region, or external where an account baseline manages them',
    run: (ctx, presets) => {
      const mode = ctx.spec.security?.accountLogGroups;
      if (mode === 'manage' || mode === 'external') return [];
      // Point at the value when it says unmanaged; at the section (or the presets) that lacks it otherwise.
      const path =
        mode !== undefined
          ? ['security', 'accountLogGroups']
          : ctx.spec.security
            ? ['security']
            : ['compliance'];
      return [
        ctx.report(
          path,
          `${label(presets)} requires retention and encryption of the log groups SageMaker creates on its own (/aws/sagemaker/TrainingJobs, ProcessingJobs, ...)`,
          'set security.accountLogGroups: manage (one pipeline per account and region), or external if an account baseline manages them',
          { key: mode === undefined },
        ),
      ];
    },
  },
  {
    id: 'compliance/logs-bucket-retention',
    presets: ['hipaa', 'pci-dss'],
    description: 'Access logs in the logs bucket are not expired before the audit retention period ends.',
    fix: 'raise storage.buckets.logs.lifecycle.expireAfterDays to the required days, or remove it',
    run: (ctx, presets) => {
      const own = ctx.spec.storage?.buckets?.logs?.lifecycle?.expireAfterDays;
      const shared = ctx.spec.storage?.lifecycle?.expireAfterDays;
      const days = own ?? shared;
      const required = Math.max(...presets.map((p) => PRESET_LOG_RETENTION[p]));
      if (days === undefined || days >= required) return [];
      const path =
        own !== undefined
          ? ['storage', 'buckets', 'logs', 'lifecycle', 'expireAfterDays']
          : ['storage', 'lifecycle', 'expireAfterDays'];
      return [
        ctx.report(
          path,
          `${label(presets)} requires access logs to be kept ${required} days; they expire after ${days}`,
          `set expireAfterDays to ${required} or more for the logs bucket`,
        ),
      ];
    },
  },
  {
    id: 'compliance/data-residency',
    presets: ['gdpr'],
    description:
      'Personal data stays in declared regions (GDPR chapter V): the spec must declare security.dataResidency, and the region must be in it.',
    fix: 'add security.dataResidency listing the allowed regions, including the pipeline region',
    run: (ctx) =>
      ctx.spec.security?.dataResidency === undefined
        ? [
            ctx.report(
              ['compliance'],
              'gdpr requires security.dataResidency (the regions personal data may live in)',
              `add security.dataResidency: [${ctx.spec.region}]`,
              { key: true },
            ),
          ]
        : [],
  },
  {
    id: 'compliance/access-logging',
    presets: ['hipaa', 'pci-dss', 'gdpr'],
    description:
      'Every data-lake bucket records access (who read or changed what), so access to regulated data can be audited.',
    fix: 'remove accessLogging: false from the bucket',
    run: (ctx, presets) =>
      lakeBuckets(ctx)
        .filter((b) => ctx.spec.storage?.buckets?.[b]?.accessLogging === false && b !== 'logs')
        .map((b) =>
          ctx.report(
            ['storage', 'buckets', b, 'accessLogging'],
            `${label(presets)} requires access logging on bucket ${b}`,
            'remove accessLogging: false',
          ),
        ),
  },
  {
    id: 'compliance/versioning',
    presets: ['hipaa', 'pci-dss'],
    description:
      'Every bucket keeps object versions, so data can be recovered after accidental or malicious changes (integrity controls).',
    fix: 'remove versioning: false from the bucket',
    run: (ctx, presets) =>
      lakeBuckets(ctx)
        .filter((b) => ctx.spec.storage?.buckets?.[b]?.versioning === false)
        .map((b) =>
          ctx.report(
            ['storage', 'buckets', b, 'versioning'],
            `${label(presets)} requires versioning on bucket ${b}`,
            'remove versioning: false',
          ),
        ),
  },
  {
    id: 'compliance/no-force-destroy',
    presets: ['hipaa', 'pci-dss'],
    description:
      'No bucket can be destroyed with its data by terraform destroy (retention and deletion protection).',
    fix: 'remove forceDestroy: true from the bucket',
    run: (ctx, presets) =>
      lakeBuckets(ctx)
        .filter((b) => ctx.spec.storage?.buckets?.[b]?.forceDestroy === true)
        .map((b) =>
          ctx.report(
            ['storage', 'buckets', b, 'forceDestroy'],
            `${label(presets)} forbids forceDestroy on bucket ${b}`,
            'remove forceDestroy: true',
          ),
        ),
  },
  {
    id: 'compliance/encrypted-remote-state',
    presets: ['hipaa', 'pci-dss'],
    description:
      'Terraform state (which holds resource attributes, sometimes secrets) lives in S3 encrypted with a customer-managed key, not on a laptop.',
    fix: 'set state.backend: s3 with state.s3.bucket and state.s3.kmsKeyArn',
    run: (ctx, presets) => {
      const state = ctx.spec.state;
      if ((state?.backend ?? STATE_DEFAULTS.backend) !== 's3') {
        return [
          ctx.report(
            state ? ['state', 'backend'] : ['compliance'],
            `${label(presets)} requires remote state in S3, encrypted with a customer-managed key`,
            'set state.backend: s3 with state.s3.bucket and state.s3.kmsKeyArn',
            { key: !state },
          ),
        ];
      }
      return state?.s3 && !state.s3.kmsKeyArn
        ? [
            ctx.report(
              ['state', 's3'],
              `${label(presets)} requires the state to be encrypted with a customer-managed key`,
              'add state.s3.kmsKeyArn',
              { key: true },
            ),
          ]
        : [];
    },
  },
  {
    id: 'compliance/private-network',
    presets: ['hipaa', 'pci-dss'],
    description: 'Workloads that touch regulated data run in private subnets: the spec declares a network.',
    fix: 'add network.vpc (cidr and availabilityZones) or network.existing',
    run: (ctx, presets) =>
      ctx.spec.network === undefined
        ? [
            ctx.report(
              ['compliance'],
              `${label(presets)} requires a private network for workloads`,
              'add network.vpc with cidr and availabilityZones, or network.existing',
              { key: true },
            ),
          ]
        : [],
  },
  {
    id: 'compliance/flow-logs',
    presets: ['hipaa', 'pci-dss', 'gdpr'],
    description: 'Network traffic of a created VPC is recorded (VPC flow logs), for incident investigation.',
    fix: 'remove network.flowLogs.enabled: false',
    run: (ctx, presets) =>
      ctx.spec.network?.flowLogs?.enabled === false
        ? [
            ctx.report(
              ['network', 'flowLogs', 'enabled'],
              `${label(presets)} requires VPC flow logs`,
              'remove enabled: false',
            ),
          ]
        : [],
  },
  {
    id: 'compliance/key-rotation',
    presets: ['pci-dss'],
    description: 'The pipeline key rotates at least yearly (PCI DSS req. 3.7.4: cryptoperiods).',
    fix: 'set security.kms.rotationPeriodDays to 365 or less',
    run: (ctx) => {
      const days = ctx.spec.security?.kms?.rotationPeriodDays;
      return days !== undefined && days > 365
        ? [
            ctx.report(
              ['security', 'kms', 'rotationPeriodDays'],
              `pci-dss requires key rotation at least every 365 days, not ${days}`,
              'set rotationPeriodDays: 365 or less',
            ),
          ]
        : [];
    },
  },
  {
    id: 'compliance/waf-not-disabled',
    presets: ['pci-dss'],
    description:
      'A web application firewall protects public-facing endpoints (PCI DSS req. 6.4.2): the web ACL may not be switched off.',
    fix: 'remove security.waf.enabled: false',
    run: (ctx) =>
      ctx.spec.security?.waf?.enabled === false
        ? [
            ctx.report(
              ['security', 'waf', 'enabled'],
              'pci-dss requires the web application firewall',
              'remove enabled: false',
            ),
          ]
        : [],
  },
];

/** The compliance rules as check rules: each runs only when one of its presets is on. */
export const complianceCheckRules: readonly CheckRule[] = complianceRules.map((rule) => ({
  id: rule.id,
  description: rule.description,
  run: (ctx) => {
    const enabled: readonly string[] = ctx.spec.compliance ?? [];
    const active = rule.presets.filter((p) => enabled.includes(p));
    return active.length === 0 ? [] : rule.run(ctx, active);
  },
}));
