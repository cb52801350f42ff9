import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { AlertChannelsConfigError } from './alert-channels';

/** Permissions around alerts that do not need a construct: an existing topic, and Security Hub. */
/** An existing (for example central) alert topic, by ARN, instead of the stack's own. */
export interface ExistingAlertTopic {
  readonly topic: sns.ITopic;
  /** Publish, and the topic key's data-key calls when the topic is encrypted with a customer managed key. */
  publishStatements(): iam.PolicyStatement[];
}

/**
 * The `alertTopicArn` option: the stack publishes into a topic it does not own. The topic's owner
 * must allow the guard's role in the topic policy (and in the key policy when the topic is
 * encrypted): see `topicOwnerStatements`, which docs/alerts.md ("An existing (central) topic") shows.
 */
export function existingAlertTopic(
  scope: Construct,
  id: string,
  topicArn: string,
  options: { keyArn?: string } = {},
): ExistingAlertTopic {
  parseTopicArn(topicArn);
  if (
    options.keyArn !== undefined &&
    !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/.test(options.keyArn)
  ) {
    throw new AlertChannelsConfigError(
      `alertTopicKeyArn: expected a KMS key ARN, got ${JSON.stringify(options.keyArn)}`,
    );
  }
  const topic = sns.Topic.fromTopicArn(scope, id, topicArn);
  return {
    topic,
    publishStatements() {
      const statements = [
        new iam.PolicyStatement({ sid: 'PublishAlerts', actions: ['sns:Publish'], resources: [topicArn] }),
      ];
      if (options.keyArn) {
        statements.push(
          new iam.PolicyStatement({
            sid: 'UseAlertsKey',
            actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
            resources: [options.keyArn],
          }),
        );
      }
      return statements;
    },
  };
}

/** What the owner of an existing topic must allow, as policy documents to paste (topic, then key). */
export function topicOwnerStatements(
  topicArn: string,
  publisherRoleArn: string,
): { topic: object; key: object } {
  parseTopicArn(topicArn);
  return {
    topic: {
      Sid: 'AllowEksEndpointGuardToPublish',
      Effect: 'Allow',
      Principal: { AWS: publisherRoleArn },
      Action: 'sns:Publish',
      Resource: topicArn,
    },
    key: {
      Sid: 'AllowEksEndpointGuardToEncrypt',
      Effect: 'Allow',
      Principal: { AWS: publisherRoleArn },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: {
        StringEquals: {
          'kms:ViaService': `sns.${Arn.split(topicArn, ArnFormat.NO_RESOURCE_NAME).region}.amazonaws.com`,
        },
      },
    },
  };
}

function parseTopicArn(topicArn: string): void {
  if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(topicArn)) {
    throw new AlertChannelsConfigError(
      `alertTopicArn: expected an SNS topic ARN such as arn:aws:sns:eu-west-1:111122223333:alerts, got ${JSON.stringify(topicArn.slice(0, 80))}`,
    );
  }
  if (topicArn.endsWith('.fifo')) {
    throw new AlertChannelsConfigError(
      'alertTopicArn: a FIFO topic cannot deliver e-mail; use a standard topic',
    );
  }
}

/**
 * The Security Hub calls of the `securityHub` option, scoped to this account and region:
 * BatchImportFindings on the account's default product; GetFindings and BatchUpdateFindings on
 * the hub only when the guard notes the managed control finding (`noteControlFindings`).
 */
export function securityHubStatements(
  scope: Construct,
  options: { noteControlFindings?: boolean } = {},
): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  const arn = (resource: string) =>
    stack.formatArn({
      service: 'securityhub',
      resource,
      resourceName: undefined,
      arnFormat: ArnFormat.NO_RESOURCE_NAME,
    });
  const statements = [
    new iam.PolicyStatement({
      sid: 'ImportGuardFindings',
      actions: ['securityhub:BatchImportFindings'],
      resources: [arn(`product/${stack.account}/default`)],
    }),
  ];
  if (!options.noteControlFindings) return statements;
  return [
    ...statements,
    new iam.PolicyStatement({
      sid: 'NoteControlFindings',
      actions: ['securityhub:GetFindings', 'securityhub:BatchUpdateFindings'],
      resources: [arn('hub/default')],
    }),
  ];
}
