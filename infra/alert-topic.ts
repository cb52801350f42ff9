import { ArnFormat, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { guardKey } from './keys';

export interface GuardAlertTopic {
  readonly topic: sns.Topic;
  /** Absent with `awsManagedKey`. */
  readonly key?: kms.Key;
}

/**
 * The alert topic (id `Alerts`) with its customer managed key (`AlertsKey`) and the e-mail
 * subscriptions, created in `scope`. With `awsManagedKey` (no alarm publishes to the topic) it is
 * encrypted with the AWS managed SNS key instead, which costs nothing.
 */
export function guardAlertTopic(
  scope: Construct,
  emails: readonly string[],
  options: { awsManagedKey?: boolean } = {},
): GuardAlertTopic {
  if (options.awsManagedKey) {
    const topic = new sns.Topic(scope, 'Alerts', {
      displayName: 'EKS endpoint guard',
      masterKey: kms.Alias.fromAliasName(scope, 'AwsManagedSnsKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    subscribe(topic, emails);
    return { topic };
  }
  const stack = Stack.of(scope);
  // A customer managed key, because CloudWatch alarms cannot use the AWS managed SNS key.
  const key = guardKey(scope, 'AlertsKey', {
    description: 'eks-endpoint-guard alert topic',
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const alarmsOfThisAccount = {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: {
      'aws:SourceArn': stack.formatArn({
        service: 'cloudwatch',
        resource: 'alarm',
        resourceName: '*',
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    },
  };
  // Only for alarms of this account and region (no confused deputy through another account's alarm).
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: alarmsOfThisAccount,
    }),
  );
  const topic = new sns.Topic(scope, 'Alerts', {
    displayName: 'EKS endpoint guard',
    masterKey: key,
    enforceSSL: true,
  });
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsOfThisAccount',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: alarmsOfThisAccount,
    }),
  );
  subscribe(topic, emails);
  return { topic, key };
}

function subscribe(topic: sns.Topic, emails: readonly string[]): void {
  for (const email of emails) {
    topic.addSubscription(new EmailSubscription(email));
  }
  for (const subscription of topic.node.children.filter((c) => c instanceof sns.Subscription)) {
    Validations.of(subscription).acknowledge({
      id: 'Serverless-SNSRedrivePolicy',
      reason:
        'E-mail subscriptions: SNS retries delivery itself and every alerted decision is also kept in the audit table and logs, so a subscription DLQ would only be an unread copy.',
    });
  }
}
