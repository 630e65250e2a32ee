import { CloudwatchLogResourcePolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-resource-policy';
import { ShieldProtection } from '@cdktf/provider-aws/lib/shield-protection';
import { Wafv2WebAcl, type Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { Construct } from 'constructs';
import type { ResolvedWaf } from '../model/resolved';
import { policyJson, type PolicyStatement } from './iam/policy';
import { encryptedLogGroup } from './logs';
import type { EdgeProtection, SecurityContext } from './security-context';
import type { StackOutput } from './outputs';

/** WAF delivers logs only to log groups whose name starts with this. */
export const WAF_LOG_GROUP_PREFIX = 'aws-waf-logs-';

/** Priority of the per-IP rate rule: evaluated before everything else. */
export const RATE_LIMIT_PRIORITY = 0;

/**
 * The AWS managed rule groups pipeform offers, by spec name, with a fixed priority each.
 * Priorities come from this table, never from the spec's list order, so reordering the
 * spec changes nothing and adding a group never renumbers the others. Reputation lists
 * come first: they block known-bad sources cheaply before the content inspections run.
 */
export const MANAGED_RULE_GROUPS: Readonly<
  Record<string, { readonly name: string; readonly priority: number }>
> = {
  'ip-reputation': { name: 'AWSManagedRulesAmazonIpReputationList', priority: 10 },
  'anonymous-ip': { name: 'AWSManagedRulesAnonymousIpList', priority: 20 },
  common: { name: 'AWSManagedRulesCommonRuleSet', priority: 30 },
  'known-bad-inputs': { name: 'AWSManagedRulesKnownBadInputsRuleSet', priority: 40 },
  'sql-injection': { name: 'AWSManagedRulesSQLiRuleSet', priority: 50 },
  linux: { name: 'AWSManagedRulesLinuxRuleSet', priority: 60 },
};

/** CloudWatch metrics and sampled requests on, under `metricName`. */
function visibility(metricName: string) {
  return { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

/**
 * The web ACL's rules: the rate rule first, then one rule per managed group, sorted by
 * priority. `statement` is untyped in the binding and passed through as Terraform JSON,
 * so its keys are Terraform's own. Exported for tests.
 */
export function webAclRules(waf: ResolvedWaf, pipeline: string): Wafv2WebAclRule[] {
  const managed = waf.managedRuleGroups.map((group): Wafv2WebAclRule => {
    const known = MANAGED_RULE_GROUPS[group];
    if (known === undefined) throw new Error(`internal: unknown WAF managed rule group "${group}"`);
    return {
      name: known.name,
      priority: known.priority,
      // Managed groups act with their own rule actions; "none" keeps them (count would only observe).
      overrideAction: { none: {} },
      statement: { managed_rule_group_statement: { name: known.name, vendor_name: 'AWS' } },
      visibilityConfig: visibility(`${pipeline}-${group}`),
    };
  });
  const rate: Wafv2WebAclRule = {
    name: 'rate-limit',
    priority: RATE_LIMIT_PRIORITY,
    action: { block: {} },
    statement: {
      rate_based_statement: {
        limit: waf.rateLimit,
        aggregate_key_type: 'IP',
        // The schema documents rateLimit as requests per 5 minutes.
        evaluation_window_sec: 300,
      },
    },
    visibilityConfig: visibility(`${pipeline}-rate-limit`),
  };
  return [rate, ...managed].sort((a, b) => a.priority - b.priority);
}

/** Lets CloudWatch Logs' delivery service write WAF logs into one log group, for this account only. */
export function logDeliveryStatements(
  logGroupArn: string,
  security: Pick<SecurityContext, 'account' | 'region' | 'partition'>,
): PolicyStatement[] {
  return [
    {
      Sid: 'WafLogDelivery',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: `${logGroupArn}:log-stream:*`,
      Condition: {
        StringEquals: { 'aws:SourceAccount': security.account },
        ArnLike: {
          'aws:SourceArn': `arn:${security.partition}:logs:${security.region}:${security.account}:*`,
        },
      },
    },
  ];
}

/** Props of {@link WebFirewall}. */
export interface WebFirewallProps {
  readonly waf: ResolvedWaf;
  /** Add Shield Advanced protection to every protected resource (a paid subscription). */
  readonly shield: boolean;
  readonly security: Omit<SecurityContext, 'network' | 'edge'>;
}

/**
 * The public front door's protection: a regional WAFv2 web ACL (per-IP rate limit and AWS
 * managed rule groups), its logs in an encrypted log group with credentials redacted, and
 * per protected resource an association plus, when opted in, Shield Advanced.
 */
export class WebFirewall extends Construct implements EdgeProtection {
  /** ARN of the regional web ACL. */
  readonly webAclArn: string;
  readonly acl: Wafv2WebAcl;
  private readonly shield: boolean;
  private readonly pipeline: string;

  constructor(scope: Construct, id: string, props: WebFirewallProps) {
    super(scope, id);
    const { waf, security: sec } = props;
    this.shield = props.shield;
    this.pipeline = sec.pipeline;

    this.acl = new Wafv2WebAcl(this, 'Resource', {
      name: `${sec.pipeline}-front-door`,
      description: `pipeform ${sec.pipeline} public front door`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rule: webAclRules(waf, sec.pipeline),
      visibilityConfig: visibility(`${sec.pipeline}-front-door`),
    });
    this.webAclArn = this.acl.arn;

    if (waf.logging) {
      const logGroup = encryptedLogGroup(this, 'Logs', `${WAF_LOG_GROUP_PREFIX}${sec.pipeline}`, sec);
      const delivery = new CloudwatchLogResourcePolicy(this, 'LogDelivery', {
        policyName: `${sec.pipeline}-waf-logs`,
        policyDocument: policyJson(logDeliveryStatements(logGroup.arn, sec)),
      });
      new Wafv2WebAclLoggingConfiguration(this, 'Logging', {
        resourceArn: this.acl.arn,
        logDestinationConfigs: [logGroup.arn],
        // Bearer tokens and API keys must never land in logs.
        redactedFields: [{ singleHeader: { name: 'authorization' } }],
        // Without our policy in place WAF would try to write its own, broader one.
        dependsOn: [delivery],
      });
    }
  }

  /** Associates the web ACL with `resourceArn` and, with Shield on, protects it; `id` is a lowercase spec name. */
  protect(id: string, resourceArn: string): void {
    // A PascalCase id would be dropped from the address and collide with other protections.
    if (!/^[a-z]/.test(id)) throw new Error(`internal: protect() needs a lowercase spec name, got "${id}"`);
    if (this.node.tryFindChild(id) !== undefined) {
      throw new Error(`WebFirewall: "${id}" is already protected; each protected resource needs its own id`);
    }
    const scope = new Construct(this, id);
    new Wafv2WebAclAssociation(scope, 'Association', { resourceArn, webAclArn: this.webAclArn });
    if (this.shield) {
      new ShieldProtection(scope, 'Shield', { name: `${this.pipeline}-${id}`, resourceArn });
    }
  }

  /** The edge area's outputs: the web ACL. */
  outputs(): StackOutput[] {
    return [
      { name: 'web_acl_arn', description: 'WAFv2 web ACL for the public front door.', value: this.webAclArn },
    ];
  }
}
