import {
  ArnFormat,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
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
import { memberEventSource } from '../../functions/core/decision-event';
import type { SlackChannel, TeamsChannel } from '../alert-channels';
import { centralBus } from './bus-policy';
import { centralChat } from './central-chat';
import { centralFunction } from './central-function';
import { addCentralAlarms, addCentralDashboard } from './central-observability';
import { memberEventRules } from './central-rules';
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
    this.bus = centralBus(this, policy, CENTRAL_BUS_NAME);
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

    const rules = memberEventRules(this, {
      bus: this.bus,
      sources,
      recorder: recorder.fn,
      topic: this.topic,
      deadLetters,
    });
    let notifier: lambda.IFunction | undefined;
    if ((props.slack?.length ?? 0) > 0 || (props.teams?.length ?? 0) > 0) {
      const chat = centralChat(this, {
        alertTopic: this.topic,
        chatTopicKey: key,
        slack: props.slack,
        teams: props.teams,
        retention: logRetention,
        tableName: this.table.tableName,
        tableArn: this.table.tableArn,
        deadLetters,
        environment: memberRegions,
        ...rules,
      });
      this.chatTopic = chat.chatTopic;
      notifier = chat.notifier;
    }
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
