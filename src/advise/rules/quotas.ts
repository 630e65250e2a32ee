import {
  ATTACHED_POLICIES_DEFAULT,
  ATTACHED_POLICIES_MAX,
  ATTACHED_POLICIES_QUOTA_CODE,
} from '../../areas/security/policy-size';
import { deployRoleSize } from '../../areas/serving/deploy-role';
import type { AnalyzedSpec } from '../../compiler';
import type { ResolvedSpec } from '../../model/resolved';
import { TECHNIQUES } from '../techniques';
import type { Advice, AdviceRule, Reporter, SpecPath } from '../types';

/** Where one quota counts: all deployments in one account and region, one cluster, or one node group. */
export type QuotaScope = 'account-region' | 'cluster' | 'node-group';

/** An AWS soft quota with a documented default that advise can count from the spec. */
export interface ServiceQuota {
  /** Service Quotas service code (`aws service-quotas ... --service-code`). */
  readonly service: string;
  /** Service Quotas quota code. */
  readonly code: string;
  /** The quota's name in Service Quotas. */
  readonly name: string;
  /** AWS's default value for an account (before any increase). */
  readonly default: number;
  readonly scope: QuotaScope;
  /** Where the default value and code are documented. */
  readonly source: string;
}

const EKS_QUOTAS =
  'Amazon Elastic Kubernetes Service endpoints and quotas, https://docs.aws.amazon.com/general/latest/gr/eks.html';
const GLUE_QUOTAS = 'AWS Glue endpoints and quotas, https://docs.aws.amazon.com/general/latest/gr/glue.html';

/**
 * The quotas advise counts. Only quotas whose default and code AWS documents are here: the
 * SageMaker instance quotas ("Number of instances across active endpoints", L-7A3DF611, and
 * the per-type "<type> for training job / endpoint usage" quotas) are left out because their
 * defaults differ between accounts (new accounts often get 0 for GPU types) and the General
 * Reference lists none (docs/advise-cost-graph.md, "Quotas").
 */
export const SERVICE_QUOTAS = {
  eksClusters: {
    service: 'eks',
    code: 'L-1194D53C',
    name: 'Clusters',
    default: 100,
    scope: 'account-region',
    source: EKS_QUOTAS,
  },
  eksNodeGroups: {
    service: 'eks',
    code: 'L-6D54EA21',
    name: 'Managed node groups per cluster',
    default: 30,
    scope: 'cluster',
    source: EKS_QUOTAS,
  },
  eksNodes: {
    service: 'eks',
    code: 'L-BD136A63',
    name: 'Nodes per managed node group',
    default: 450,
    scope: 'node-group',
    source: EKS_QUOTAS,
  },
  glueDatabases: {
    service: 'glue',
    code: 'L-F953935E',
    name: 'Max databases per account',
    default: 10000,
    scope: 'account-region',
    source: GLUE_QUOTAS,
  },
  glueCrawlers: {
    service: 'glue',
    code: 'L-11FA2C1A',
    name: 'Number of crawlers per account',
    default: 1000,
    scope: 'account-region',
    source: GLUE_QUOTAS,
  },
} as const satisfies Record<string, ServiceQuota>;

/** The AWS CLI request that raises `quota` to `value` in `region`. */
export const increaseCommand = (quota: ServiceQuota, value: number, region: string): string =>
  `aws service-quotas request-service-quota-increase --service-code ${quota.service} --quota-code ${quota.code} --desired-value ${value} --region ${region}`;

/** One deployment of the spec: an environment, or the spec itself when it has none. */
export interface Deployment {
  readonly environment?: string;
  readonly resolved: ResolvedSpec;
}

/** Every deployment of the spec: each environment (in its own account when it names one), or the spec itself. */
export function deploymentsOf(analyzed: Pick<AnalyzedSpec, 'resolved' | 'environments'>): Deployment[] {
  return analyzed.environments.length > 0
    ? analyzed.environments.map((e) => ({ environment: e.environment, resolved: e.resolved }))
    : [{ resolved: analyzed.resolved }];
}

/** A count of one account-and-region quota: what it counts, where, per deployment. */
interface AccountCount {
  readonly quota: ServiceQuota;
  /** What is counted, plural ("Glue databases"). */
  readonly what: string;
  readonly path: SpecPath;
  readonly count: (r: ResolvedSpec) => number;
}

const ACCOUNT_COUNTS: readonly AccountCount[] = [
  {
    quota: SERVICE_QUOTAS.eksClusters,
    what: 'EKS clusters',
    path: ['training', 'eks'],
    count: (r) => (r.eks ? 1 : 0),
  },
  {
    quota: SERVICE_QUOTAS.glueDatabases,
    what: 'Glue databases',
    path: ['data', 'glue', 'databases'],
    count: (r) => r.data?.glue?.databases.length ?? 0,
  },
  {
    quota: SERVICE_QUOTAS.glueCrawlers,
    what: 'Glue crawlers',
    path: ['data', 'glue', 'crawlers'],
    count: (r) => r.data?.glue?.crawlers.length ?? 0,
  },
];

/** The limit advise counts against: the applied value the spec states, else AWS's default. */
function limitOf(analyzed: AnalyzedSpec, quota: ServiceQuota): { value: number; stated: boolean } {
  const applied = analyzed.spec.usage?.appliedQuotas?.[quota.code];
  return applied !== undefined ? { value: applied, stated: true } : { value: quota.default, stated: false };
}

/** The finding for `needed` against `quota`: the increase request, and the fix that records it. */
function exceeded(
  analyzed: AnalyzedSpec,
  report: Reporter,
  quota: ServiceQuota,
  needed: number,
  counted: string,
  region: string,
  path: SpecPath,
): ReturnType<Reporter> {
  const limit = limitOf(analyzed, quota);
  const against = limit.stated
    ? `the applied quota "${quota.name}" (${quota.code}: ${limit.value}, from usage.appliedQuotas)`
    : `the default quota "${quota.name}" (${quota.code}: ${quota.default})`;
  const advice: Advice = {
    path,
    message: `${counted} exceed ${against}: request an increase before applying (${increaseCommand(quota, needed, region)}), then state the applied value in usage.appliedQuotas`,
    fixPath: [],
    fix: { usage: { appliedQuotas: { [quota.code]: needed } } },
  };
  return report(advice);
}

/** Account-and-region quotas: every deployment in one account and region adds up. */
function accountFindings(analyzed: AnalyzedSpec, report: Reporter) {
  const groups = new Map<string, Deployment[]>();
  for (const d of deploymentsOf(analyzed)) {
    const key = `${d.resolved.account} ${d.resolved.region}`;
    groups.set(key, [...(groups.get(key) ?? []), d]);
  }
  return [...groups.values()].flatMap((group) => {
    const { account, region } = group[0].resolved;
    return ACCOUNT_COUNTS.flatMap((c) => {
      const counts = group.map((d) => ({ environment: d.environment, n: c.count(d.resolved) }));
      const total = counts.reduce((sum, x) => sum + x.n, 0);
      if (total <= limitOf(analyzed, c.quota).value) return [];
      const per = counts.filter((x) => x.environment !== undefined && x.n > 0);
      const where =
        per.length > 0 ? ` (environments ${per.map((x) => `${x.environment}: ${x.n}`).join(', ')})` : '';
      return [
        exceeded(
          analyzed,
          report,
          c.quota,
          total,
          `${total} ${c.what} in account ${account}, ${region}${where}`,
          region,
          c.path,
        ),
      ];
    });
  });
}

/**
 * Cluster and node-group quotas: environments cannot change `training.eks` (each gets its own
 * cluster of the same shape), so the spec's resolved cluster is counted once.
 */
function clusterFindings(analyzed: AnalyzedSpec, report: Reporter) {
  const eks = analyzed.resolved.eks;
  if (!eks) return [];
  const { region } = analyzed.resolved;
  const out = [];
  const groups = SERVICE_QUOTAS.eksNodeGroups;
  if (eks.nodeGroups.length > limitOf(analyzed, groups).value) {
    out.push(
      exceeded(
        analyzed,
        report,
        groups,
        eks.nodeGroups.length,
        `cluster ${eks.clusterName} has ${eks.nodeGroups.length} managed node groups, which`,
        region,
        ['training', 'eks', 'nodeGroups'],
      ),
    );
  }
  const nodes = SERVICE_QUOTAS.eksNodes;
  for (const g of eks.nodeGroups) {
    if (g.scaling.maxSize <= limitOf(analyzed, nodes).value) continue;
    out.push(
      exceeded(
        analyzed,
        report,
        nodes,
        g.scaling.maxSize,
        `node group ${g.name} scales to ${g.scaling.maxSize} nodes, which`,
        region,
        ['training', 'eks', 'nodeGroups', { name: g.name }, 'scaling', 'maxSize'],
      ),
    );
  }
  return out;
}

/** IAM's quota on managed policies per role, as {@link ServiceQuota} (the role factory enforces it at build). */
export const ATTACHED_POLICIES_QUOTA: ServiceQuota = {
  service: 'iam',
  code: ATTACHED_POLICIES_QUOTA_CODE,
  name: 'Managed policies attached to an IAM role',
  default: ATTACHED_POLICIES_DEFAULT,
  scope: 'account-region',
  source:
    'IAM and AWS STS quotas, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html',
};

/**
 * The serving deploy role's managed policies, predicted from each deployment's resolved spec
 * by the size model the role factory builds with (deployRoleSize): a warning once they reach
 * the quota the deployment is built against, since synth refuses the role past it and the
 * next registry endpoint would be refused at it.
 */
function deployRoleFindings(analyzed: AnalyzedSpec, report: Reporter) {
  // A spec with environments is synthesized as a module (or as whole configurations when they
  // differ in shape): count the larger layout, so the prediction is never below the build's.
  const modular = analyzed.environments.length > 0;
  return deploymentsOf(analyzed).flatMap((d) => {
    const root = deployRoleSize(d.resolved);
    const module = modular ? deployRoleSize(d.resolved, { module: true }) : undefined;
    const size = module && root && module.attachments > root.attachments ? module : root;
    if (size === undefined) return [];
    const granted = d.resolved.security.iam.attachedPoliciesQuota;
    const limit = granted ?? ATTACHED_POLICIES_DEFAULT;
    const needed = size.attachments;
    if (needed < limit) return [];
    const quota = ATTACHED_POLICIES_QUOTA;
    const against =
      granted !== undefined
        ? `the applied quota "${quota.name}" (${quota.code}: ${limit}, from usage.appliedQuotas)`
        : `the default quota "${quota.name}" (${quota.code}: ${limit})`;
    const where = d.environment !== undefined ? ` (environment ${d.environment})` : '';
    const state =
      needed > limit
        ? `more than ${against} allows: synth refuses the role`
        : `all that ${against} allows: one more registry endpoint and synth refuses the role`;
    // One policy of headroom, within IAM's hard maximum per role.
    const desired = Math.min(ATTACHED_POLICIES_MAX, needed + 1);
    const raise =
      needed >= ATTACHED_POLICIES_MAX
        ? `IAM attaches at most ${ATTACHED_POLICIES_MAX} managed policies to a role, so no increase is enough`
        : `request an increase (${increaseCommand(quota, desired, d.resolved.region)}) and state the granted value in usage.appliedQuotas`;
    const advice: Advice = {
      path: ['serving', 'endpoints'],
      message:
        `the serving deploy role ${size.role}${where} deploys ${size.endpoints} registry endpoints and needs ${needed} managed policies attached, ${state}. ` +
        `Either ${raise}, or deploy fewer registry endpoints: many small models fit one multi-model endpoint (type: multi-model) or serverless endpoints (serving/many-small-endpoints)`,
      fixPath: [],
      fix: { usage: { appliedQuotas: { [quota.code]: desired } } },
    };
    return [report(advice)];
  });
}

export const quotaAdvice: readonly AdviceRule[] = [
  {
    id: 'quotas/default-exceeded',
    description:
      'The spec needs more of something than an AWS soft quota allows by default (counted per account and region across environments, per cluster or per node group): the apply fails until the quota is raised.',
    severity: 'warning',
    technique: TECHNIQUES.monitoring,
    run: ({ analyzed }, report) => [
      ...accountFindings(analyzed, report),
      ...clusterFindings(analyzed, report),
    ],
  },
  {
    id: 'quotas/deploy-role-policies',
    description:
      "The serving deploy role of the registry endpoints needs as many managed policies as quota L-0DA4ABF3 allows (10 by default) or more, predicted from the spec by the role factory's own size model: synth refuses the role past the quota.",
    severity: 'warning',
    technique: TECHNIQUES.monitoring,
    run: ({ analyzed }, report) => deployRoleFindings(analyzed, report),
  },
];
