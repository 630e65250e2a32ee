import { bill, fmt, id, line, type CostArea, type CostLine } from '../bill';
import { endpointTraffic } from '../usage';

/** The pipeline key, the web ACL (per rule and per public request) and a Shield Advanced subscription. */
export const securityCostLines: CostArea = {
  prefix: 'security',
  lines(ctx) {
    const { spec, usage, prices } = ctx;
    const lines: CostLine[] = [];
    if (spec.security.kms.existingKeyArn === undefined) {
      lines.push(
        line(
          'security/kms',
          'security',
          'customer managed KMS key',
          bill(ctx).add(prices.kmsKeyMonth, 1, 'kms key-month').amount(),
        ),
      );
    }
    const waf = spec.security.waf;
    const publicRequests = (spec.serving?.endpoints ?? [])
      .filter((e) => e.public)
      .reduce((sum, e) => sum + endpointTraffic(usage, e.name).requestsPerMonth, 0);
    if (waf) {
      const rules = waf.managedRuleGroups.length + 1;
      lines.push(
        line(
          'security/waf',
          'security',
          `WAF web ACL, ${rules} rules, ${publicRequests > 0 ? `${fmt(publicRequests / 1e6)}M requests` : 'no public endpoint yet'}`,
          bill(ctx)
            .add(prices.waf?.webAclMonth, 1, 'waf web ACL-month')
            .add(prices.waf?.ruleMonth, rules, 'waf rule-month')
            .add(prices.waf?.requestsPerMillion, publicRequests / 1e6, 'waf requests')
            .amount(),
        ),
      );
    }
    if (spec.security.shield) {
      lines.push(
        line(
          'security/shield',
          'security',
          'Shield Advanced subscription',
          bill(ctx).add(prices.shieldAdvancedMonth, 1, 'shield advanced month').amount(),
        ),
      );
    }
    return lines;
  },
  addresses(_spec, name) {
    if (name === 'kms') return [`aws_kms_key.${id('kms')}`];
    if (name === 'waf') return [`aws_wafv2_web_acl.${id('waf')}`];
    return [];
  },
};
