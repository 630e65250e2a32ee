import { DEFAULTS } from '../../areas/notebooks/catalog';
import type { CheckRule } from '../check';
import { duplicateNames, unknownBuckets } from './references';

export const notebooksRules: readonly CheckRule[] = [
  {
    id: 'notebooks/one-kind',
    description:
      'Notebooks are a SageMaker domain or notebook instances: one of the two, not both or neither.',
    run: (ctx) => {
      const n = ctx.spec.notebooks;
      if (!n) return [];
      const hasInstances = (n.instances ?? []).length > 0;
      if (n.domain && hasInstances) {
        return [
          ctx.report(
            ['notebooks', 'instances'],
            "'domain' and 'instances' are both set",
            'keep one: a domain (Studio, per-user profiles) or notebook instances',
            { key: true },
          ),
        ];
      }
      return !n.domain && !hasInstances
        ? [
            ctx.report(
              ['notebooks'],
              'notebooks needs a domain or instances',
              'add notebooks.domain with users, or notebooks.instances',
              { key: true },
            ),
          ]
        : [];
    },
  },
  {
    id: 'notebooks/needs-network',
    description: 'Notebooks run in private subnets without direct internet access: the spec needs a network.',
    run: (ctx) =>
      ctx.spec.notebooks && ctx.spec.network === undefined
        ? [
            ctx.report(
              ['notebooks'],
              'notebooks run in private subnets, but the spec has no network',
              'add network.vpc (cidr and availabilityZones) or network.existing',
              { key: true },
            ),
          ]
        : [],
  },
  {
    id: 'notebooks/unique-names',
    description: 'Domain users and notebook instances have unique names.',
    run: (ctx) => [
      ...duplicateNames(ctx, ctx.spec.notebooks?.domain?.users, ['notebooks', 'domain', 'users'], 'user'),
      ...duplicateNames(ctx, ctx.spec.notebooks?.instances, ['notebooks', 'instances'], 'notebook instance'),
    ],
  },
  {
    id: 'notebooks/sso-users',
    description:
      "An SSO (IAM Identity Center) domain maps each user profile to an Identity Center user ('ssoUserName'); an IAM domain has none.",
    run: (ctx) => {
      const d = ctx.spec.notebooks?.domain;
      if (!d) return [];
      const sso = (d.authMode ?? DEFAULTS.domain.authMode) === 'SSO';
      return d.users.flatMap((u, i) => {
        const path = ['notebooks', 'domain', 'users', i];
        if (sso && u.ssoUserName === undefined)
          return [
            ctx.report(
              path,
              `user "${u.name}" of an SSO domain has no ssoUserName`,
              "add ssoUserName: the user's IAM Identity Center user name",
            ),
          ];
        if (!sso && u.ssoUserName !== undefined)
          return [
            ctx.report(
              [...path, 'ssoUserName'],
              `user "${u.name}" has an ssoUserName, but the domain signs in with IAM`,
              'set notebooks.domain.authMode: SSO, or remove ssoUserName',
              { key: true },
            ),
          ];
        return [];
      });
    },
  },
  {
    id: 'notebooks/bucket-refs',
    description: 'Notebook reads and writes name buckets of the data lake.',
    run: (ctx) => unknownBuckets(ctx, ctx.spec.notebooks, ['notebooks']),
  },
];
