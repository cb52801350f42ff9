import { Validations } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * Where alerts reach people beyond e-mail (DESIGN §10): Slack and Microsoft Teams channels of
 * Amazon Q Developer in chat applications (formerly AWS Chatbot), webhooks and pagers.
 *
 * Chat gets a topic of its own. The chat service subscribes to a topic over HTTPS, so with the
 * alert topic's per-protocol message (MessageStructure json) it would be handed the `https` key,
 * which carries the alert@2 JSON for webhooks; it renders only its custom-notification shape and
 * drops anything else. The chat topic carries that shape alone; the alert topic keeps e-mail,
 * queues, functions and webhooks.
 */
export interface SlackChannel {
  /** The workspace (team) id, from the chat console after the one-time Slack authorisation. */
  readonly workspaceId: string;
  readonly channelId: string;
  /** Configuration name; default `eks-endpoint-guard-slack-<channelId>`. */
  readonly name?: string;
}

export interface TeamsChannel {
  readonly teamId: string;
  /** As Teams shows it (`19:…@thread.tacv2`) or URL-encoded (`19%3A…%40thread.tacv2`). */
  readonly channelId: string;
  readonly tenantId: string;
  readonly name?: string;
}

export interface Webhook {
  /** An https URL (a pager's SNS integration, an incident tool, a relay function URL). */
  readonly url: string;
  /** Only alerts of these severities (an SNS filter policy on the `severity` attribute); default all. */
  readonly severities?: readonly ('info' | 'warning' | 'critical')[];
}

export interface AlertChannelsProps {
  /** The alert topic (e-mail and the alert@2 JSON); webhooks subscribe to it. */
  readonly alertTopic: sns.ITopic;
  /** Key for the chat topic; default a new customer managed key with rotation. */
  readonly chatTopicKey?: kms.IKey;
  readonly slack?: readonly SlackChannel[];
  readonly teams?: readonly TeamsChannel[];
  readonly webhooks?: readonly Webhook[];
  /**
   * The most that members of a chat channel may do through it. Default: the AWS managed
   * ReadOnlyAccess policy; the channel role itself has no permissions, so channels only notify.
   */
  readonly guardrailPolicies?: readonly iam.IManagedPolicy[];
  readonly loggingLevel?: chatbot.LoggingLevel;
}

/** A chat or webhook option that cannot work: one line. */
export class AlertChannelsConfigError extends Error {
  override readonly name = 'AlertChannelsConfigError';
}

const SLACK_ID = /^[A-Z0-9]{1,255}$/;
const TEAMS_ID = /^[0-9a-fA-F-]{36}$/;
/** The form CloudFormation wants: the Teams channel id with `:` and `@` URL-encoded. */
const TEAMS_CHANNEL = /^[a-zA-Z0-9\-_=+/.,]*%3[aA][a-zA-Z0-9\-_=+/.,]*%40[a-zA-Z0-9\-_=+/.,]*$/;

export class AlertChannels extends Construct {
  /** Created when a Slack or Teams channel is configured: publish the chat form here. */
  readonly chatTopic?: sns.Topic;
  readonly chatTopicKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: AlertChannelsProps) {
    super(scope, id);
    const slack = props.slack ?? [];
    const teams = props.teams ?? [];
    validate(slack, teams, props.webhooks ?? []);

    if (slack.length > 0 || teams.length > 0) {
      const key =
        props.chatTopicKey ??
        new kms.Key(this, 'ChatTopicKey', {
          description: 'eks-endpoint-guard chat alert topic',
          enableKeyRotation: true,
        });
      this.chatTopicKey = key;
      this.chatTopic = new sns.Topic(this, 'ChatTopic', {
        displayName: 'EKS endpoint guard (chat)',
        masterKey: key,
        enforceSSL: true,
      });
      const guardrails = props.guardrailPolicies ?? [
        iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess'),
      ];
      // No permissions of its own: with the guardrail, channel members can read notifications only.
      const role = new iam.Role(this, 'ChannelRole', {
        assumedBy: new iam.ServicePrincipal('chatbot.amazonaws.com'),
        description: 'eks-endpoint-guard chat channels: notifications only',
      });
      slack.forEach((channel, index) => {
        new chatbot.SlackChannelConfiguration(this, `Slack${index}`, {
          slackChannelConfigurationName: channel.name ?? `eks-endpoint-guard-slack-${channel.channelId}`,
          slackWorkspaceId: channel.workspaceId,
          slackChannelId: channel.channelId,
          notificationTopics: [this.chatTopic as sns.Topic],
          role,
          guardrailPolicies: [...guardrails],
          loggingLevel: props.loggingLevel ?? chatbot.LoggingLevel.ERROR,
        });
      });
      teams.forEach((channel, index) => {
        new chatbot.CfnMicrosoftTeamsChannelConfiguration(this, `Teams${index}`, {
          configurationName: channel.name ?? `eks-endpoint-guard-teams-${index}`,
          teamId: channel.teamId,
          teamsChannelId: teamsChannelId(channel.channelId),
          teamsTenantId: channel.tenantId,
          iamRoleArn: role.roleArn,
          snsTopicArns: [(this.chatTopic as sns.Topic).topicArn],
          guardrailPolicies: guardrails.map((policy) => policy.managedPolicyArn),
          loggingLevel: props.loggingLevel ?? chatbot.LoggingLevel.ERROR,
        });
      });
    }

    const webhooks = props.webhooks ?? [];
    if (webhooks.length > 0) {
      // SNS retries an https endpoint for about an hour; what it still cannot deliver lands here.
      const undelivered = new sqs.Queue(this, 'WebhookDeadLetters', {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
      });
      Validations.of(undelivered).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is itself the dead-letter queue of the webhook subscriptions.',
      });
      Validations.of(undelivered).acknowledge({
        id: 'Serverless-SQSRedrivePolicy',
        reason: 'This queue is itself the dead-letter queue of the webhook subscriptions.',
      });
      webhooks.forEach((hook, index) => {
        new sns.Subscription(this, `Webhook${index}`, {
          topic: props.alertTopic,
          protocol: sns.SubscriptionProtocol.HTTPS,
          endpoint: hook.url,
          deadLetterQueue: undelivered,
          ...(hook.severities && {
            filterPolicy: {
              severity: sns.SubscriptionFilter.stringFilter({ allowlist: [...hook.severities] }),
            },
          }),
        });
      });
    }
  }

  /** What a publisher (the guard's role) needs to publish the chat form; empty without chat channels. */
  publishStatements(): iam.PolicyStatement[] {
    if (!this.chatTopic || !this.chatTopicKey) return [];
    return [
      new iam.PolicyStatement({
        sid: 'PublishChatAlerts',
        actions: ['sns:Publish'],
        resources: [this.chatTopic.topicArn],
      }),
      new iam.PolicyStatement({
        sid: 'UseChatAlertsKey',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.chatTopicKey.keyArn],
      }),
    ];
  }
}

function validate(
  slack: readonly SlackChannel[],
  teams: readonly TeamsChannel[],
  webhooks: readonly Webhook[],
) {
  for (const channel of slack) {
    if (!SLACK_ID.test(channel.workspaceId) || !SLACK_ID.test(channel.channelId)) {
      throw new AlertChannelsConfigError(
        `slack: workspace and channel ids look like T0123ABCD and C0123ABCD, got ${JSON.stringify(channel.workspaceId)} and ${JSON.stringify(channel.channelId)}`,
      );
    }
  }
  for (const channel of teams) {
    if (
      !TEAMS_ID.test(channel.teamId) ||
      !TEAMS_ID.test(channel.tenantId) ||
      !TEAMS_CHANNEL.test(teamsChannelId(channel.channelId))
    ) {
      throw new AlertChannelsConfigError(
        'teams: teamId and tenantId must be GUIDs and channelId a Teams channel id',
      );
    }
  }
  for (const hook of webhooks) {
    if (!/^https:\/\/[^\s/]+/.test(hook.url)) {
      throw new AlertChannelsConfigError(
        `webhooks: expected an https URL, got ${JSON.stringify(hook.url.slice(0, 60))}`,
      );
    }
  }
}

function teamsChannelId(id: string): string {
  return id.includes(':') || id.includes('@') ? id.replace(/:/g, '%3A').replace(/@/g, '%40') : id;
}
