import { ArnFormat, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

/**
 * What the account may do with the alert key through IAM: administration (including changing
 * the policy, so nobody is locked out) and the data-key calls SNS makes for publishers.
 */
export const KEY_ACCOUNT_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:CreateGrant',
  'kms:Decrypt',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:ListRetirableGrants',
  'kms:PutKeyPolicy',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
];

export interface GuardAlertTopic {
  readonly topic: sns.Topic;
  readonly key: kms.Key;
}

/**
 * The alert topic (id `Alerts`) with its customer managed key (`AlertsKey`) and the e-mail
 * subscriptions, created in `scope`.
 */
export function guardAlertTopic(scope: Construct, emails: readonly string[]): GuardAlertTopic {
  const stack = Stack.of(scope);
  // A customer managed key, because CloudWatch alarms cannot use the AWS managed SNS key.
  // The key policy names every action it hands to the account (no `kms:*`): IAM policies of the
  // account can then grant use and administration of the key, as with the default policy.
  const key = new kms.Key(scope, 'AlertsKey', {
    description: 'eks-endpoint-guard alert topic',
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.DESTROY,
    policy: new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'EnableIamPoliciesOfThisAccount',
          principals: [new iam.AccountRootPrincipal()],
          actions: KEY_ACCOUNT_ACTIONS,
          resources: ['*'],
        }),
      ],
    }),
  });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
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
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': stack.formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }),
  );
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
  return { topic, key };
}
