import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import type { ResolvedNotifications } from '../../model/monitoring';
import { policyJson, type PolicyStatement } from '../iam/policy';
import type { SecurityContext } from '../security-context';

/** Services that publish alarms and events to the topic. */
export const ALERT_PUBLISHERS = ['cloudwatch.amazonaws.com', 'events.amazonaws.com'];

/**
 * The topic policy: CloudWatch alarms and EventBridge rules of this account may publish
 * (confused-deputy protection through aws:SourceAccount), and nobody publishes without TLS.
 */
export function topicPolicyStatements(topicArn: string, account: string): PolicyStatement[] {
  return [
    {
      Sid: 'AlarmsAndEventsOfThisAccountPublish',
      Effect: 'Allow',
      Principal: { Service: [...ALERT_PUBLISHERS] },
      Action: 'sns:Publish',
      Resource: topicArn,
      Condition: { StringEquals: { 'aws:SourceAccount': account } },
    },
    {
      Sid: 'PublishOnlyOverTls',
      Effect: 'Deny',
      Principal: '*',
      Action: 'sns:Publish',
      Resource: topicArn,
      Condition: { Bool: { 'aws:SecureTransport': false } },
    },
  ];
}

/** A construct id from an email address or URL (subscriptions are keyed by what they deliver to). */
export const subscriptionId = (kind: string, target: string): string =>
  `${kind}-${target
    .replace(/^https:\/\//, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase()}`;

/** Props of {@link AlertTopic}. */
export interface AlertTopicProps {
  readonly notifications: ResolvedNotifications;
  readonly security: SecurityContext;
}

/** The alerts topic, encrypted with the pipeline key, with its policy and subscriptions. */
export class AlertTopic extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const { notifications: n, security: sec } = props;
    this.topic = new SnsTopic(this, 'Resource', { name: n.topicName, kmsMasterKeyId: sec.keyArn });
    new SnsTopicPolicy(this, 'Policy', {
      arn: this.topic.arn,
      policy: policyJson(topicPolicyStatements(this.topic.arn, sec.account)),
    });
    for (const email of n.emails) {
      new SnsTopicSubscription(this, subscriptionId('email', email), {
        topicArn: this.topic.arn,
        protocol: 'email',
        endpoint: email,
      });
    }
    for (const url of n.https) {
      new SnsTopicSubscription(this, subscriptionId('https', url), {
        topicArn: this.topic.arn,
        protocol: 'https',
        endpoint: url,
      });
    }
  }
}
