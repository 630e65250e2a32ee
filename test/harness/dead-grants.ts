import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Dead IAM grants: an action granted only on resources of a type the action cannot be
 * authorized on grants nothing (IAM matches the request's resource against the statement,
 * and a request for `logs:DescribeLogGroups` carries no log-group ARN at all). The table
 * of which resource types each action takes comes from the AWS Service Authorization
 * Reference (test/fixtures/iam-actions.json, see its `source`).
 */

/** Per action (`service:Action`): its resource types, name -> ARN format; `{}` means only `*`. */
export type ActionTable = Readonly<Record<string, Readonly<Record<string, string>>>>;

export function loadActionTable(): ActionTable {
  const file = join(__dirname, '..', 'fixtures', 'iam-actions.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { actions: ActionTable }).actions;
}

/** ARN formats a Terraform reference `${<type>.<name>.arn}` resolves to (`%` region or account, `*` a name). */
const ARN_OF: Readonly<Record<string, string>> = {
  aws_cloudwatch_log_group: 'arn:aws:logs:%:%:log-group:*',
  aws_codebuild_project: 'arn:aws:codebuild:%:%:project/*',
  aws_codepipeline: 'arn:aws:codepipeline:%:%:*',
  aws_codestarconnections_connection: 'arn:aws:codestar-connections:%:%:connection/*',
  aws_emr_cluster: 'arn:aws:elasticmapreduce:%:%:cluster/*',
  aws_iam_role: 'arn:aws:iam::%:role/*',
  aws_kms_key: 'arn:aws:kms:%:%:key/*',
  aws_lambda_function: 'arn:aws:lambda:%:%:function:*',
  aws_prometheus_workspace: 'arn:aws:aps:%:%:workspace/*',
  aws_s3_bucket: 'arn:aws:s3:::*',
  aws_sagemaker_model_package_group: 'arn:aws:sagemaker:%:%:model-package-group/*',
  aws_sagemaker_pipeline: 'arn:aws:sagemaker:%:%:pipeline/*',
  aws_sagemaker_endpoint: 'arn:aws:sagemaker:%:%:endpoint/*',
  aws_secretsmanager_secret: 'arn:aws:secretsmanager:%:%:secret:*',
  aws_sfn_state_machine: 'arn:aws:states:%:%:stateMachine:*',
  aws_sns_topic: 'arn:aws:sns:%:%:*',
  aws_sqs_queue: 'arn:aws:sqs:%:%:*',
  aws_ssm_parameter: 'arn:aws:ssm:%:%:parameter/*',
};

/**
 * A policy Resource as a glob (`*` any string): a whole-value `${type.name.arn}` becomes
 * that type's ARN format, any other `${...}` inside a literal ARN a wildcard. Throws for a
 * reference type the table does not know, so a new one gets added rather than skipped.
 */
export function resourceGlob(resource: string): string {
  const whole = /^\$\{([a-z0-9_]+)\.[A-Za-z0-9_-]+\.arn\}(.*)$/.exec(resource);
  if (whole) {
    const arn = ARN_OF[whole[1]];
    if (!arn) throw new Error(`dead-grants: add the ARN format of ${whole[1]} to ARN_OF (from ${resource})`);
    return arn + whole[2].replace(/\$\{[^}]*\}/g, '*');
  }
  return resource.replace(/\$\{[^}]*\}/g, '*');
}

/**
 * An ARN format of the Service Authorization Reference as a glob: partition, region and
 * account become `%` (any string without ':' or '/', which they never contain), every
 * other `${Var}` (a resource name, which may) becomes `*`.
 */
function formatGlob(format: string): string {
  return format.replace(/\$\{(Partition|Region|Account)\}/g, '%').replace(/\$\{[^}]*\}/g, '*');
}

const SEGMENT_STOP = new Set([':', '/']);

/**
 * Whether two globs share at least one string: `*` is any string, `%` any string without
 * ':' or '/', `?` one character. A grant is live when its Resource pattern and one of the
 * action's ARN formats overlap.
 */
export function globsOverlap(a: string, b: string): boolean {
  const memo = new Map<number, boolean>();
  const wild = (c: string | undefined) => c === '*' || c === '%';
  // Can wildcard w absorb the symbol c of the other pattern (a literal, or what a wildcard produces)?
  const absorbs = (w: string, c: string) => w === '*' || wild(c) || c === '?' || !SEGMENT_STOP.has(c);
  const f = (i: number, j: number): boolean => {
    const k = i * (b.length + 1) + j;
    const hit = memo.get(k);
    if (hit !== undefined) return hit;
    let r = false;
    if (i === a.length && j === b.length) r = true;
    else if (wild(a[i]) && (f(i + 1, j) || (j < b.length && absorbs(a[i], b[j]) && f(i, j + 1)))) r = true;
    else if (wild(b[j]) && (f(i, j + 1) || (i < a.length && absorbs(b[j], a[i]) && f(i + 1, j)))) r = true;
    else if (i < a.length && j < b.length && !wild(a[i]) && !wild(b[j]))
      r = (a[i] === b[j] || a[i] === '?' || b[j] === '?') && f(i + 1, j + 1);
    memo.set(k, r);
    return r;
  };
  return f(0, 0);
}

/**
 * Service prefixes that authorize each other's ARNs: connections created as
 * codestar-connections keep that ARN, and AWS accepts either prefix in policies for them
 * (https://docs.aws.amazon.com/dtconsole/latest/userguide/rename.html).
 */
const ARN_ALIASES: Readonly<Record<string, string>> = {
  'arn:aws:codeconnections:': 'arn:aws:codestar-connections:',
  'arn:aws:codestar-connections:': 'arn:aws:codeconnections:',
};

function withAliases(glob: string): string[] {
  const out = [glob];
  for (const [from, to] of Object.entries(ARN_ALIASES))
    if (glob.startsWith(from)) out.push(to + glob.slice(from.length));
  return out;
}

export interface DeadGrant {
  readonly policy: string;
  readonly sid: string;
  readonly action: string;
  readonly resources: readonly string[];
  readonly why: string;
}

interface Statement {
  Sid?: string;
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
  NotResource?: unknown;
}

/**
 * The actions of an Allow statement that no Resource of it can authorize. Wildcard actions
 * and statements with NotResource are out of scope (they are judged by the least-privilege
 * checks). An action missing from the table is reported, so the table keeps up.
 */
export function deadGrantsOf(
  policy: string,
  doc: { Statement?: Statement | Statement[] },
  table: ActionTable,
): DeadGrant[] {
  const out: DeadGrant[] = [];
  for (const st of ([] as Statement[]).concat(doc.Statement ?? [])) {
    if (st.Effect !== 'Allow' || st.NotResource !== undefined) continue;
    const resources = ([] as string[]).concat(st.Resource ?? []);
    const sid = st.Sid ?? '(no Sid)';
    for (const action of ([] as string[]).concat(st.Action ?? [])) {
      if (action.includes('*') || action.includes('?')) continue;
      const types = table[action];
      if (!types) {
        out.push({
          policy,
          sid,
          action,
          resources,
          why: 'not in test/fixtures/iam-actions.json: add its row from the Service Authorization Reference',
        });
        continue;
      }
      const formats = Object.values(types).map(formatGlob);
      const live = resources.some((r) => {
        if (r === '*') return true;
        if (formats.length === 0) return false;
        const globs = withAliases(resourceGlob(r));
        return formats.some((f) => globs.some((g) => globsOverlap(g, f)));
      });
      if (live) continue;
      const why =
        formats.length === 0
          ? 'takes no resource-level permissions: only Resource "*" grants it'
          : `is authorized on ${Object.keys(types).join(', ')} only`;
      out.push({ policy, sid, action, resources, why });
    }
  }
  return out;
}

/** Identity policies of a Terraform JSON configuration, by address. */
export function identityPolicies(config: {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
}): [string, { Statement?: Statement | Statement[] }][] {
  const out: [string, { Statement?: Statement | Statement[] }][] = [];
  for (const type of ['aws_iam_role_policy', 'aws_iam_policy']) {
    for (const [name, r] of Object.entries(config.resource?.[type] ?? {}).sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      if (typeof r.policy !== 'string') continue;
      try {
        out.push([`${type}.${name}`, JSON.parse(r.policy) as { Statement?: Statement | Statement[] }]);
      } catch {
        // A policy that is an expression (a data source's JSON) is not literal; nothing to read.
      }
    }
  }
  return out;
}
