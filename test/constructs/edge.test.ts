import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformElement, TerraformStack, Testing } from 'cdktf';
import type { Node } from 'constructs';
import { WebFirewall } from '../../src/constructs/edge';
import { RoleFactory } from '../../src/constructs/iam/role-factory';
import { logicalIdOf, pathBelow } from '../../src/constructs/naming';
import { compileData, MINIMAL } from '../harness/spec';
import { initValidatePlan } from '../harness/terraform';
import { testApp } from '../harness/cdktf-testing';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
const STAGE_ARN = 'arn:aws:apigateway:us-east-1::/restapis/abc123/stages/prod';

/** Addresses from construct paths, as PipelineStack names them. */
class AddressedStack extends TerraformStack {
  protected allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : element;
    return logicalIdOf(pathBelow(this, node));
  }
}

/** A stack holding only the firewall, built from a spec's `security` section. */
function build(security: object, protect: Record<string, string> = {}) {
  const resolved = compileData({ ...MINIMAL, security }).security;
  if (resolved.waf === undefined) throw new Error('test spec has no web ACL');
  const app = testApp();
  const stack = new AddressedStack(app, 'demo');
  new AwsProvider(stack, 'Aws', { region: 'us-east-1' });
  const firewall = new WebFirewall(stack, 'waf', {
    waf: resolved.waf,
    shield: resolved.shield,
    security: {
      pipeline: 'demo',
      region: 'us-east-1',
      account: '123456789012',
      partition: 'aws',
      keyArn: KEY_ARN,
      logRetentionDays: 365,
      roles: new RoleFactory({
        pipeline: 'demo',
        account: '123456789012',
        partition: 'aws',
        path: '/pipeform/',
      }),
    },
  });
  for (const [id, arn] of Object.entries(protect)) firewall.protect(id, arn);
  const synthesized = Testing.synth(stack);
  const resource = (JSON.parse(synthesized) as { resource: Resources }).resource;
  return { firewall, resource, synthesized };
}

interface Rule {
  name: string;
  priority: number;
  action?: unknown;
  override_action?: unknown;
  statement: Record<string, Record<string, unknown>>;
  visibility_config: unknown;
}

const rulesOf = (r: Resources) => r.aws_wafv2_web_acl.waf.rule as Rule[];

describe('WebFirewall', () => {
  describe('GIVEN every managed group listed out of table order, shield on, logging on', () => {
    const { resource, firewall } = build(
      {
        waf: {
          rateLimit: 500,
          managedRuleGroups: [
            'linux',
            'common',
            'sql-injection',
            'anonymous-ip',
            'known-bad-inputs',
            'ip-reputation',
          ],
        },
        shield: true,
      },
      { api: STAGE_ARN },
    );

    test('THEN one regional web ACL named after the pipeline, allowing by default, with metrics and samples', () => {
      expect(Object.keys(resource.aws_wafv2_web_acl)).toEqual(['waf']);
      expect(resource.aws_wafv2_web_acl.waf).toMatchObject({
        name: 'demo-front-door',
        scope: 'REGIONAL',
        default_action: { allow: {} },
        visibility_config: {
          cloudwatch_metrics_enabled: true,
          sampled_requests_enabled: true,
          metric_name: 'demo-front-door',
        },
      });
    });

    test('THEN the rate rule blocks per IP over 5 minutes, at the lowest priority number', () => {
      const [first] = rulesOf(resource);
      expect(first).toMatchObject({
        name: 'rate-limit',
        priority: 0,
        action: { block: {} },
        statement: {
          rate_based_statement: { limit: 500, aggregate_key_type: 'IP', evaluation_window_sec: 300 },
        },
      });
      expect(first.override_action).toBeUndefined();
    });

    test('THEN managed groups get priorities from the fixed table, not from the spec order', () => {
      expect(rulesOf(resource).map((r) => [r.priority, r.name])).toEqual([
        [0, 'rate-limit'],
        [10, 'AWSManagedRulesAmazonIpReputationList'],
        [20, 'AWSManagedRulesAnonymousIpList'],
        [30, 'AWSManagedRulesCommonRuleSet'],
        [40, 'AWSManagedRulesKnownBadInputsRuleSet'],
        [50, 'AWSManagedRulesSQLiRuleSet'],
        [60, 'AWSManagedRulesLinuxRuleSet'],
      ]);
    });

    test('THEN each managed rule references the AWS group, keeps its actions, and has metrics and samples', () => {
      for (const r of rulesOf(resource).slice(1)) {
        expect(r.statement).toEqual({ managed_rule_group_statement: { name: r.name, vendor_name: 'AWS' } });
        expect(r.override_action).toEqual({ none: {} });
        expect(r.action).toBeUndefined();
      }
      const metrics = rulesOf(resource).map((r) => r.visibility_config);
      for (const v of metrics) {
        expect(v).toMatchObject({ cloudwatch_metrics_enabled: true, sampled_requests_enabled: true });
      }
      expect(metrics.map((v) => (v as { metric_name: string }).metric_name)).toEqual([
        'demo-rate-limit',
        'demo-ip-reputation',
        'demo-anonymous-ip',
        'demo-common',
        'demo-known-bad-inputs',
        'demo-sql-injection',
        'demo-linux',
      ]);
    });

    test('THEN WAF logs go to an encrypted, retained aws-waf-logs- group, with the authorization header redacted', () => {
      expect(resource.aws_cloudwatch_log_group.waf).toEqual({
        name: 'aws-waf-logs-demo',
        kms_key_id: KEY_ARN,
        retention_in_days: 365,
      });
      expect(resource.aws_wafv2_web_acl_logging_configuration.waf).toMatchObject({
        resource_arn: '${aws_wafv2_web_acl.waf.arn}',
        log_destination_configs: ['${aws_cloudwatch_log_group.waf.arn}'],
        redacted_fields: [{ single_header: { name: 'authorization' } }],
        depends_on: ['aws_cloudwatch_log_resource_policy.waf'],
      });
    });

    test('THEN only log delivery from this account may write, and only into the WAF log group', () => {
      const policy = resource.aws_cloudwatch_log_resource_policy.waf;
      expect(policy.policy_name).toBe('demo-waf-logs');
      expect(JSON.parse(policy.policy_document as string).Statement).toEqual([
        {
          Sid: 'WafLogDelivery',
          Effect: 'Allow',
          Principal: { Service: 'delivery.logs.amazonaws.com' },
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: '${aws_cloudwatch_log_group.waf.arn}:log-stream:*',
          Condition: {
            StringEquals: { 'aws:SourceAccount': '123456789012' },
            ArnLike: { 'aws:SourceArn': 'arn:aws:logs:us-east-1:123456789012:*' },
          },
        },
      ]);
    });

    test('THEN protect() associates webAclArn and adds Shield Advanced, addressed by the spec name', () => {
      // The association's web_acl_arn is the construct's webAclArn, resolved.
      expect(resource.aws_wafv2_web_acl_association).toEqual({
        waf_api: { resource_arn: STAGE_ARN, web_acl_arn: '${aws_wafv2_web_acl.waf.arn}' },
      });
      expect(resource.aws_shield_protection).toEqual({
        waf_api: { name: 'demo-api', resource_arn: STAGE_ARN },
      });
    });

    test('WHEN the same id is protected twice THEN it throws', () => {
      expect(() => firewall.protect('api', STAGE_ARN)).toThrow(/"api" is already protected/);
    });
  });

  test('GIVEN an empty waf section THEN the default groups and a 2000 request limit', () => {
    const { resource } = build({ waf: {} });
    expect(rulesOf(resource).map((r) => [r.priority, r.name])).toEqual([
      [0, 'rate-limit'],
      [10, 'AWSManagedRulesAmazonIpReputationList'],
      [30, 'AWSManagedRulesCommonRuleSet'],
      [40, 'AWSManagedRulesKnownBadInputsRuleSet'],
    ]);
    expect(rulesOf(resource)[0].statement.rate_based_statement.limit).toBe(2000);
  });

  test('GIVEN shield off WHEN a resource is protected THEN an association and no Shield protection', () => {
    const { resource } = build({ waf: {} }, { api: STAGE_ARN, batch: `${STAGE_ARN}-batch` });
    expect(Object.keys(resource.aws_wafv2_web_acl_association).sort()).toEqual(['waf_api', 'waf_batch']);
    expect(resource.aws_shield_protection).toBeUndefined();
  });

  test('GIVEN logging off THEN no log group, resource policy or logging configuration', () => {
    const { resource } = build({ waf: { logging: false } });
    expect(resource.aws_cloudwatch_log_group).toBeUndefined();
    expect(resource.aws_cloudwatch_log_resource_policy).toBeUndefined();
    expect(resource.aws_wafv2_web_acl_logging_configuration).toBeUndefined();
  });

  test('GIVEN every resource type WHEN real Terraform runs THEN init, validate and an offline plan pass cleanly', () => {
    const { synthesized } = build({ waf: {}, shield: true }, { api: STAGE_ARN });
    const dir = mkdtempSync(join(tmpdir(), 'pipeform-edge-'));
    writeFileSync(join(dir, 'main.tf.json'), synthesized);
    const r = initValidatePlan(dir);
    if (!r.ok) throw new Error(`terraform ${r.step} failed:\n${r.output}`);
    expect(r.output).toMatch(/Plan: 6 to add, 0 to change, 0 to destroy\./);
    expect(r.checkOutput).not.toMatch(/Warning:/);
  });
});
