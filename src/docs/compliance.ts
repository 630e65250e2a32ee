import { complianceRules } from '../compiler/rules/compliance';
import type { CompliancePreset } from '../model/resolved';

const PRESETS: readonly CompliancePreset[] = ['hipaa', 'pci-dss', 'gdpr'];

/** docs/compliance.md, generated from the rule registry so the two never drift. */
export function renderComplianceDocs(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    '<!-- DO NOT EDIT: generated from src/compiler/rules/compliance.ts by `npm run gen:docs` -->',
    '',
    '# Compliance presets',
    '',
    'List presets under `compliance:` in `pipeline.yaml` (`compliance: [hipaa, pci-dss, gdpr]`).',
    'Each preset turns on the rules below in the check stage: a spec that violates one fails',
    '`pipeform validate` with the rule id, the spec location (`file:line:col`) and the fix.',
    'Presets also tighten defaults where that is safe: log groups are kept 6 years under',
    '`hipaa` (1 year otherwise) unless the spec sets `security.logRetentionDays`.',
    '',
    'What every pipeline gets regardless of presets (the rules check that nobody opted out):',
    'a customer-managed KMS key on everything that takes one, TLS-only bucket policies, all',
    'public-access blocks, least-privilege roles (no `*` actions, no `iam:*` or `s3:*`, no',
    'AdministratorAccess or AmazonSageMakerFullAccess), and, for a created VPC, flow logs and',
    'a locked default security group.',
    '',
    'The presets are guardrails for the infrastructure pipeform generates, not a certification:',
    'HIPAA, PCI DSS and GDPR also cover processes and application code outside its reach.',
    '',
    `| rule | ${PRESETS.join(' | ')} | what it checks | fix |`,
    `| --- | ${PRESETS.map(() => ':-:').join(' | ')} | --- | --- |`,
    ...complianceRules.map(
      (r) =>
        `| \`${r.id}\` | ${PRESETS.map((p) => (r.presets.includes(p) ? 'yes' : '')).join(' | ')} | ${cell(r.description)} | ${cell(r.fix)} |`,
    ),
    '',
  ];
  return lines.join('\n');
}
