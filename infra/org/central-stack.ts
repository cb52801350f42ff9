import {
  ArnFormat,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Token,
  Validations,
} from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { AUDIT_KEYS } from '../../functions/aws/audit-store';
import { READABLE_DECISION_DETAIL } from '../../functions/core/central-notice';
import {
  DECISION_DETAIL_TYPE,
  memberEventSource,
  SWEEP_DETAIL_TYPE,
} from '../../functions/core/decision-event';
import { AlertChannels, type SlackChannel, type TeamsChannel } from '../alert-channels';
import { busPolicyStatements, checkBusPolicySize } from './bus-policy';
import { centralFunction } from './central-function';
import { addCentralAlarms, addCentralDashboard } from './central-observability';
import { OrgConfigError, regionList, validOrganizationId } from './config';
import { memberListing, type StackSetRef } from './member-listing';
import { SharedPolicy } from './policy-share';

/** The central bus's name: members send to `arn:aws:events:<region>:<central account>:event-bus/<name>`. */
export const CENTRAL_BUS_NAME = 'eks-endpoint-guard';
/** How often the watchdog looks for members that stopped sweeping. */
export const WATCHDOG_SCHEDULE = 'rate(1 hour)';

export interface CentralStackProps extends StackProps {
  /** The organisation whose accounts may send to the bus (`o-` and 10 to 32 characters). */
  readonly organizationId: string;
  /**
   * The regions the StackSet deploys members to: the bus admits each one's guard role and source
   * only (one policy statement per region), and the recorder refuses any other region.
   */
  readonly regions: readonly string[];
  /**
   * The member StackSet, deployed from this (the central) account as the organisation's StackSets
   * delegated administrator: the watchdog lists its instances to find members that never reported.
   */
  readonly stackSet?: StackSetRef;
  /** The organisation's management account: denied on the bus (SCPs never bind it) and named in coverage. */
  readonly managementAccountId?: string;
  readonly notificationEmails?: readonly string[];
  /** 0 keeps central audit records forever. */
  readonly auditRetentionDays?: number;
  readonly logRetentionDays?: number;
  /** Create the organisation's policy parameter here and share it with every account through RAM. */
  readonly sharedPolicy?: { readonly managementAccountId: string; readonly policyFile?: string };
  /**
   * Chat channels of the organisation (Amazon Q Developer in chat applications): with one, every
   * member decision is also published, as its chat form, to a central chat topic they subscribe to.
   */
  readonly slack?: readonly SlackChannel[];
  readonly teams?: readonly TeamsChannel[];
}

/**
 * The security account's side (DESIGN §12): one event bus the organisation's guards send their
 * decisions and sweep heartbeats to, one alert topic, one audit table (the member layout, the
 * account in front of the key), one dashboard, and an alarm on members that stopped sweeping.
 * It changes no cluster: each member still decides and acts on its own.
 */
export class CentralStack extends Stack {
  readonly bus: events.EventBus;
  readonly topic: sns.Topic;
  readonly table: dynamodb.Table;
  readonly policy?: SharedPolicy;
  /** The central chat topic, when Slack or Teams channels are given. */
  readonly chatTopic?: sns.ITopic;

  constructor(scope: Construct, id: string, props: CentralStackProps) {
    super(scope, id, props);
    if (!validOrganizationId(props.organizationId)) {
      throw new OrgConfigError(
        `organizationId ${props.organizationId}: expected o- and 10 to 32 lowercase letters or digits`,
      );
    }
    const logRetention = (props.logRetentionDays ?? 365) as logs.RetentionDays;
    const regions = regionList(props.regions);
    if (regions.length === 0) throw new OrgConfigError('regions: give the StackSet regions the bus admits');
    const managementAccountId = props.managementAccountId ?? props.sharedPolicy?.managementAccountId;
    const policy = {
      organizationId: props.organizationId,
      regions,
      ...(managementAccountId && { managementAccountId }),
    };
    checkBusPolicySize(
      { ...policy, busArn: '' },
      CENTRAL_BUS_NAME,
      Token.isUnresolved(this.region) ? undefined : this.region,
    );

    this.bus = new events.EventBus(this, 'Bus', { eventBusName: CENTRAL_BUS_NAME });
    // Only each region's guard role, as that region's source (bus-policy.ts): EventBridge refuses everyone else.
    for (const statement of busPolicyStatements({
      ...policy,
      busArn: this.bus.eventBusArn,
      partition: this.partition,
    })) {
      this.bus.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: statement.Sid,
          effect: statement.Effect === 'Deny' ? iam.Effect.DENY : iam.Effect.ALLOW,
          principals: [new iam.AnyPrincipal()],
          actions: [statement.Action],
          resources: [this.bus.eventBusArn],
          conditions: statement.Condition,
        }),
      );
    }
    const sources = regions.map(memberEventSource);
    const memberRegions = { MEMBER_REGIONS: regions.join(',') };

    const key = new kms.Key(this, 'AlertsKey', {
      description: 'eks-endpoint-guard central alert topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    for (const service of ['cloudwatch.amazonaws.com', 'events.amazonaws.com']) {
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: `Allow${service.split('.')[0] === 'events' ? 'EventBridge' : 'CloudWatchAlarms'}ToPublish`,
          principals: [new iam.ServicePrincipal(service)],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
        }),
      );
    }
    this.topic = new sns.Topic(this, 'Alerts', {
      displayName: 'EKS endpoint guard (organisation)',
      masterKey: key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': this.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    for (const email of props.notificationEmails ?? [])
      this.topic.addSubscription(new EmailSubscription(email));
    for (const subscription of this.topic.node.children.filter((c) => c instanceof sns.Subscription)) {
      Validations.of(subscription).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'E-mail subscriptions: SNS retries delivery itself and every decision is also kept in the central audit table.',
      });
    }

    const deadLetters = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    for (const id of ['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy']) {
      Validations.of(deadLetters).acknowledge({
        id,
        reason: 'This queue is itself the dead-letter destination of the central rules; it is alarmed.',
      });
    }

    this.table = new dynamodb.Table(this, 'AuditTable', {
      partitionKey: { name: AUDIT_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: AUDIT_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: AUDIT_KEYS.ttlAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const [indexName, partitionKey] of [
      [AUDIT_KEYS.byDayIndex, 'day'],
      [AUDIT_KEYS.byOutcomeIndex, 'outcome'],
    ] as const) {
      this.table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: AUDIT_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      });
    }

    const recorder = centralFunction(this, 'Recorder', {
      handler: 'record',
      description: 'Writes member decisions and sweeps to the central audit table',
      retention: logRetention,
      tableName: this.table.tableName,
      // An error inside the function (not only a failed hand-over) keeps the event: retried twice, then here.
      failures: deadLetters,
      environment: { ...memberRegions, CENTRAL_TOPIC_ARN: this.topic.topicArn },
    });
    recorder.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteAudit',
        actions: ['dynamodb:PutItem'],
        resources: [this.table.tableArn],
      }),
    );
    // The hourly notice about an unreadable decision goes to the alert topic (encrypted with its key).
    recorder.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PublishNotices',
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
      }),
    );
    recorder.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'UseAlertsKey',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sns.${this.region}.amazonaws.com` } },
      }),
    );
    const watchdog = centralFunction(this, 'Watchdog', {
      handler: 'watch',
      description: 'Counts members that stopped sweeping or never reported',
      retention: logRetention,
      tableName: this.table.tableName,
      failures: deadLetters,
      environment: memberRegions,
    });
    watchdog.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadMembers',
        actions: ['dynamodb:Query'],
        resources: [this.table.tableArn],
      }),
    );
    if (props.stackSet) memberListing(watchdog, props.stackSet, this.table, managementAccountId);

    const target = { deadLetterQueue: deadLetters, maxEventAge: Duration.hours(24), retryAttempts: 20 };
    const decisionRule = new events.Rule(this, 'DecisionRule', {
      eventBus: this.bus,
      description: 'Member decisions: to the central audit table',
      eventPattern: { source: sources, detailType: [DECISION_DETAIL_TYPE] },
      targets: [new targets.LambdaFunction(recorder.fn, target)],
    });
    // The e-mail only for a decision it can show: anything else reaches people as the recorder's
    // notice, at most once per account per hour, never as one e-mail per event.
    new events.Rule(this, 'DecisionAlertRule', {
      eventBus: this.bus,
      description: 'Readable member decisions: to the organisation alert topic',
      eventPattern: { source: sources, detailType: [DECISION_DETAIL_TYPE], detail: READABLE_DECISION_DETAIL },
      targets: [new targets.SnsTopic(this.topic, { ...target, message: readableAlert() })],
    });

    // Chat: its own topic (the chat service renders only its custom-notification shape, see
    // AlertChannels) and its own function, a separate target of the decision rule, so that a chat
    // publish that fails never holds up or loses the decision record.
    let notifier: lambda.IFunction | undefined;
    if ((props.slack?.length ?? 0) > 0 || (props.teams?.length ?? 0) > 0) {
      const channels = new AlertChannels(this, 'Chat', {
        alertTopic: this.topic,
        chatTopicKey: key,
        slack: props.slack,
        teams: props.teams,
      });
      const chatTopic = channels.chatTopic as sns.Topic;
      this.chatTopic = chatTopic;
      const notify = centralFunction(this, 'Notifier', {
        handler: 'notify',
        description: 'Publishes member decisions to the organisation chat channels',
        retention: logRetention,
        tableName: this.table.tableName,
        // Lambda retries a failed publish twice, then keeps the event in the dead-letter queue.
        failures: deadLetters,
        environment: { ...memberRegions, CENTRAL_CHAT_TOPIC_ARN: chatTopic.topicArn },
      });
      for (const statement of channels.publishStatements()) notify.role.addToPrincipalPolicy(statement);
      // The hourly gate of chat notices about unreadable decisions is an item of the table.
      notify.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'HoldBackNotices',
          actions: ['dynamodb:PutItem'],
          resources: [this.table.tableArn],
        }),
      );
      decisionRule.addTarget(new targets.LambdaFunction(notify.fn, target));
      notifier = notify.fn;
      new CfnOutput(this, 'ChatTopicArn', { value: chatTopic.topicArn });
    }
    new events.Rule(this, 'SweepRule', {
      eventBus: this.bus,
      description: 'Member sweep heartbeats: to the central audit table (last sweep per account-region)',
      eventPattern: { source: sources, detailType: [SWEEP_DETAIL_TYPE] },
      targets: [new targets.LambdaFunction(recorder.fn, target)],
    });
    new events.Rule(this, 'WatchdogSchedule', {
      description: 'Looks for members that stopped sweeping or never reported',
      schedule: events.Schedule.expression(WATCHDOG_SCHEDULE),
      targets: [new targets.LambdaFunction(watchdog.fn, { deadLetterQueue: deadLetters, retryAttempts: 2 })],
    });

    if (props.sharedPolicy) {
      this.policy = new SharedPolicy(this, 'OrganisationPolicy', {
        organizationId: props.organizationId,
        managementAccountId: props.sharedPolicy.managementAccountId,
        policyFile: props.sharedPolicy.policyFile,
        alertTopic: this.topic,
        deadLetterQueue: deadLetters,
      });
    }

    const alarms = addCentralAlarms(this, {
      topic: this.topic,
      recorder: recorder.fn,
      watchdog: watchdog.fn,
      notifier,
      deadLetters,
    });
    const dashboard = addCentralDashboard(this, alarms, watchdog.logGroup);

    new CfnOutput(this, 'EventBusArn', { value: this.bus.eventBusArn });
    new CfnOutput(this, 'TopicArn', { value: this.topic.topicArn });
    new CfnOutput(this, 'AuditTableName', { value: this.table.tableName });
    new CfnOutput(this, 'DashboardName', { value: dashboard.dashboardName });
  }
}

/**
 * What the topic delivers for a member's decision: a text people can read, not the EventBridge
 * envelope. EventBridge fills it in itself (an input transformer), so the alert reaches the topic
 * even when the recorder function fails, and no code renders the untrusted detail. The account
 * comes from the envelope, which EventBridge sets from the sender's credentials; the region from the
 * source (`eks-endpoint-guard.<region>`), which the bus policy binds to that region's guard role
 * (the envelope's own `region` is the bus's); the other fields are ones every alert JSON form carries.
 */
export function readableAlert(): events.RuleTargetInput {
  const field = events.EventField.fromPath;
  return events.RuleTargetInput.fromText(
    [
      `EKS endpoint guard: ${field('$.detail.outcome')} (${field('$.detail.severity')})`,
      `Cluster ${field('$.detail.cluster')} in account ${field('$.account')}, sent by ${field('$.source')}`,
      `${field('$.detail.reason')}`,
      `Time ${field('$.detail.time')}, correlation id ${field('$.detail.correlationId')}.`,
      `Details: eks-endpoint-guard audit --account ${field('$.account')} --cluster ${field('$.detail.cluster')}, on the central audit table.`,
    ].join('\n'),
  );
}
