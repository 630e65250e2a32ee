import { parseArn } from '../arn';
import type { CheckRule } from '../check';

export const securityRules: readonly CheckRule[] = [
  {
    id: 'security/data-residency',
    description:
      'When data residency is declared, the pipeline region and the state bucket region are in it.',
    run: (ctx) => {
      const allowed = ctx.spec.security?.dataResidency;
      if (!allowed) return [];
      const out = [];
      if (!allowed.includes(ctx.spec.region)) {
        out.push(
          ctx.report(
            ['region'],
            `region ${ctx.spec.region} is outside the declared data residency (${allowed.join(', ')})`,
            `choose a region in ${allowed.join(', ')}, or extend security.dataResidency`,
          ),
        );
      }
      const stateRegion = ctx.spec.state?.s3?.region;
      if (stateRegion && !allowed.includes(stateRegion)) {
        out.push(
          ctx.report(
            ['state', 's3', 'region'],
            `the state bucket region ${stateRegion} is outside the declared data residency (${allowed.join(', ')})`,
            `keep the state in ${allowed.join(', ')}`,
          ),
        );
      }
      return out;
    },
  },
  {
    id: 'security/permissions-boundary-account',
    description: 'A permissions boundary is an AWS managed policy or a policy of the pipeline account.',
    run: (ctx) => {
      const arnText = ctx.spec.security?.iam?.permissionsBoundaryArn;
      const arn = arnText ? parseArn(arnText) : undefined;
      return arn && arn.account !== 'aws' && arn.account !== ctx.spec.account
        ? [
            ctx.report(
              ['security', 'iam', 'permissionsBoundaryArn'],
              `the permissions boundary is in account ${arn.account}, not the pipeline account ${ctx.spec.account}`,
              'use a policy of the pipeline account, or an AWS managed policy (arn:aws:iam::aws:policy/...)',
            ),
          ]
        : [];
    },
  },
  {
    id: 'security/shield-with-waf',
    description:
      'Shield Advanced is applied to the public front door together with the web ACL, so shield needs security.waf.',
    run: (ctx) => {
      const sec = ctx.spec.security;
      return sec?.shield === true && (sec.waf === undefined || sec.waf.enabled === false)
        ? [
            ctx.report(
              ['security', 'shield'],
              'shield: true protects the public front door together with the web ACL, but security.waf is off',
              'add security.waf (e.g. waf: {}), or remove shield',
            ),
          ]
        : [];
    },
  },
];
