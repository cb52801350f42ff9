import { CfnOutput } from 'aws-cdk-lib';
import type * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { AlertChannels, type SlackChannel, type TeamsChannel } from '../alert-channels';
import { centralFunction } from './central-function';

export interface CentralChatProps {
  alertTopic: sns.Topic;
  chatTopicKey: kms.IKey;
  slack?: readonly SlackChannel[];
  teams?: readonly TeamsChannel[];
  retention: logs.RetentionDays;
  /** The central table: the notifier holds back repeated notices through an item of it. */
  tableName: string;
  tableArn: string;
  deadLetters: sqs.IQueue;
  environment: Record<string, string>;
  /** The member-decision rule the notifier becomes a target of, with that rule's target options. */
  decisions: events.Rule;
  target: targets.LambdaFunctionProps;
}

/**
 * Chat for the central account: its own topic (the chat service renders only its custom-notification
 * shape, see AlertChannels) and its own function, a separate target of the decision rule, so that a
 * chat publish that fails never holds up or loses the decision record.
 */
export function centralChat(
  scope: Construct,
  props: CentralChatProps,
): { chatTopic: sns.Topic; notifier: lambda.IFunction } {
  const channels = new AlertChannels(scope, 'Chat', {
    alertTopic: props.alertTopic,
    chatTopicKey: props.chatTopicKey,
    slack: props.slack,
    teams: props.teams,
  });
  const chatTopic = channels.chatTopic as sns.Topic;
  const notify = centralFunction(scope, 'Notifier', {
    handler: 'notify',
    description: 'Publishes member decisions to the organisation chat channels',
    retention: props.retention,
    tableName: props.tableName,
    // Lambda retries a failed publish twice, then keeps the event in the dead-letter queue.
    failures: props.deadLetters,
    environment: { ...props.environment, CENTRAL_CHAT_TOPIC_ARN: chatTopic.topicArn },
  });
  for (const statement of channels.publishStatements()) notify.role.addToPrincipalPolicy(statement);
  // The hourly gate of chat notices about unreadable decisions is an item of the table.
  notify.role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'HoldBackNotices',
      actions: ['dynamodb:PutItem'],
      resources: [props.tableArn],
    }),
  );
  props.decisions.addTarget(new targets.LambdaFunction(notify.fn, props.target));
  new CfnOutput(scope, 'ChatTopicArn', { value: chatTopic.topicArn });
  return { chatTopic, notifier: notify.fn };
}
