import type * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AlertChannels, type SlackChannel, type TeamsChannel, type Webhook } from './alert-channels';
import { existingAlertTopic, securityHubStatements } from './alert-permissions';
import { guardAlertTopic } from './alert-topic';
import { guardAuditTable } from './audit-table';
import {
  DEFAULT_LOG_RETENTION_DAYS,
  DEFAULT_RECHECK_DEADLINE_MINUTES,
  DEFAULT_SWEEP_SCHEDULE,
  GuardConfigError,
} from './config';
import { addDecisionForwarding } from './decision-forwarding';
import { guardAlarms } from './guard-alarms';
import { FUNCTION_TIMEOUT, guardFunction, RECHECK_MAX_CONCURRENCY } from './guard-function';
import { guardQueues, restrictQueueWriters } from './guard-queues';
import { guardTrail, guardTriggers } from './guard-triggers';
import { GuardObservability } from './observability';
import { type GuardPolicyParameter, guardPolicyParameter } from './policy-parameter';

export { GuardConfigError } from './config';

/** How one guard (one account and region) is configured; every property is optional. */
export interface EndpointGuardProps {
  /**
   * JSON policy file installed as the policy parameter `/eks-endpoint-guard/policy`; validated
   * at synth time. Excludes `policyParameter`.
   * @default infra/default-policy.json
   */
  readonly policyFile?: string;
  /**
   * Name or ARN of an existing policy parameter (an ARN for one shared through RAM); when set,
   * none is created. Excludes `policyFile`.
   * @default a parameter created from `policyFile`
   */
  readonly policyParameter?: string;
  /**
   * E-mail addresses subscribed to the alert topic (each must confirm the subscription).
   * @default none
   */
  readonly notificationEmails?: readonly string[];
  /**
   * EventBridge `rate(...)` or `cron(...)` expression for the sweep of every cluster.
   * @default 'rate(1 hour)'
   */
  readonly sweepSchedule?: string;
  /**
   * Days the function's log group keeps its events: a CloudWatch Logs retention period.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Create a multi-region CloudTrail trail (EventBridge only sees API calls a trail logs).
   * @default false
   */
  readonly createTrail?: boolean;
  /**
   * Reserved concurrency for the function; must leave room for the recheck queue's own 5.
   * @default none reserved
   */
  readonly reservedConcurrency?: number;
  /**
   * Days audit records are kept (DynamoDB TTL); 0 keeps them forever.
   * @default 0
   */
  readonly auditRetentionDays?: number;
  /**
   * How long a deferred change is re-checked before the guard gives up on it (1 to 1440).
   * @default 120
   */
  readonly recheckDeadlineMinutes?: number;

  // ---- alerts where people work (DESIGN §10) ----

  /**
   * Slack channels of Amazon Q Developer in chat applications (the workspace authorised once in
   * its console) that receive the chat form of every alert, with a read-only guardrail.
   * @default none
   */
  readonly slackChannels?: readonly SlackChannel[];
  /**
   * Microsoft Teams channels, as `slackChannels`.
   * @default none
   */
  readonly teamsChannels?: readonly TeamsChannel[];
  /**
   * HTTPS endpoints (pagers, incident tools) subscribed to the alert topic, each optionally only
   * for some severities; they receive the alert@2 JSON.
   * @default none
   */
  readonly webhooks?: readonly Webhook[];
  /**
   * Import a Security Hub finding per cluster and rule (Security Hub must be enabled).
   * @default false
   */
  readonly securityHub?: boolean;
  /**
   * Publish into this existing (for example central) SNS topic instead of creating one; its
   * owner must allow the guard's role (README, *Alerts where people work*). Excludes `notificationEmails`.
   * @default a topic created by the stack
   */
  readonly alertTopicArn?: string;
  /**
   * The customer managed KMS key of `alertTopicArn`, if it is encrypted with one.
   * @default none
   */
  readonly alertTopicKeyArn?: string;

  // ---- organisation (DESIGN §12) ----

  /**
   * ARN of the organisation's central event bus: every alerted decision is sent there as an
   * "EKS Endpoint Guard Decision" event and every sweep as an "EKS Endpoint Guard Sweep" heartbeat.
   * @default none: decisions stay in this account
   */
  readonly decisionBusArn?: string;
  /**
   * A member of an organisation whose central account watches it: no dashboard, no alarms, no
   * custom metrics and no customer managed keys (the alert topic uses the AWS managed SNS key, the
   * log group CloudWatch Logs' own encryption), so a member account-region costs under $1 a month
   * in fixed charges. Requires `decisionBusArn`; excludes `createTrail`.
   * @default false
   */
  readonly organizationMode?: boolean;
  /**
   * Encrypt the function's log group (actors, source IPs, user agents) with a customer managed key
   * ($1 a month). Organisation mode leaves it out to stay under $1 a month per account-region, the
   * logs then being encrypted by CloudWatch Logs' own keys; set true to keep it there too.
   * @default true, false in organisation mode
   */
  readonly customerManagedLogKey?: boolean;
}

/**
 * The guard of one account and region: the remediator function and its role, the policy
 * parameter, the alert topic and key, the recheck and dead-letter queues, the audit table, the
 * CloudTrail and schedule rules, the alarms and the dashboard. Use it in any stack:
 *
 * ```ts
 * new EndpointGuard(this, 'Guard', { notificationEmails: ['security@example.com'] });
 * ```
 *
 * One guard per account and region: the policy parameter and the dashboard have fixed names.
 * The parts add their resources directly to this construct, so a stack that creates it with the
 * id `Default` (as `EndpointGuardStack` does) keeps the logical ids of the resources at top level.
 */
export class EndpointGuard extends Construct {
  /** The policy parameter the function reads (`name` is its POLICY_PARAMETER_NAME). */
  readonly policyParameter: GuardPolicyParameter;
  /** The alert topic: the stack's own, or the existing one of `alertTopicArn`. */
  readonly topic: sns.ITopic;
  /** The customer managed key of the alert topic (the existing topic's, when its ARN is given); absent in organisation mode. */
  readonly alertsKey?: kms.IKey;
  /** Slack, Teams and webhooks; absent when none is configured. */
  readonly channels?: AlertChannels;
  readonly recheckQueue: sqs.Queue;
  readonly deadLetters: sqs.Queue;
  readonly recheckDeadLetters: sqs.Queue;
  readonly table: dynamodb.Table;
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** The customer managed key of the log group; absent in organisation mode. */
  readonly logsKey?: kms.Key;
  /** Empty in organisation mode. */
  readonly alarms: readonly cloudwatch.Alarm[];
  /** Absent in organisation mode. */
  readonly dashboard?: cloudwatch.Dashboard;
  /** Only with `createTrail`. */
  readonly trail?: cloudtrail.Trail;

  constructor(scope: Construct, id: string, props: EndpointGuardProps = {}) {
    super(scope, id);

    validate(props);
    const orgMode = props.organizationMode === true;
    this.policyParameter = guardPolicyParameter(this, {
      existing: props.policyParameter,
      policyFile: props.policyFile,
    });
    const alerts = props.alertTopicArn
      ? {
          topic: existingAlertTopic(this, 'Alerts', props.alertTopicArn, { keyArn: props.alertTopicKeyArn })
            .topic,
          key: props.alertTopicKeyArn
            ? kms.Key.fromKeyArn(this, 'AlertsKey', props.alertTopicKeyArn)
            : undefined,
        }
      : guardAlertTopic(this, props.notificationEmails ?? [], { awsManagedKey: orgMode });
    this.topic = alerts.topic;
    this.alertsKey = alerts.key;
    const queues = guardQueues(this, { functionTimeout: FUNCTION_TIMEOUT });
    this.deadLetters = queues.deadLetters;
    this.recheckDeadLetters = queues.recheckDeadLetters;
    this.recheckQueue = queues.recheckQueue;
    this.table = guardAuditTable(this);

    const remediator = guardFunction(this, {
      policy: this.policyParameter,
      policyParameterName: this.policyParameter.name,
      topic: this.topic,
      topicKey: this.alertsKey,
      recheckQueue: this.recheckQueue,
      deadLetters: this.deadLetters,
      table: this.table,
      logRetentionDays: props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
      reservedConcurrency: props.reservedConcurrency,
      recheckDeadlineMinutes: props.recheckDeadlineMinutes ?? DEFAULT_RECHECK_DEADLINE_MINUTES,
      auditRetentionDays: props.auditRetentionDays ?? 0,
      logsKey: props.customerManagedLogKey ?? !orgMode,
    });
    this.function = remediator.fn;
    this.role = remediator.role;
    this.logGroup = remediator.logGroup;
    this.logsKey = remediator.logsKey;

    const sweepSchedule = props.sweepSchedule ?? DEFAULT_SWEEP_SCHEDULE;
    const triggers = guardTriggers(this, {
      fn: this.function,
      policy: this.policyParameter,
      deadLetters: this.deadLetters,
      sweepSchedule,
    });
    restrictQueueWriters(queues, { role: this.role, rules: triggers.rules });

    // The central account alarms on and graphs every member: in organisation mode these would be copies.
    this.alarms = orgMode
      ? []
      : guardAlarms(this, {
          fn: this.function,
          topic: this.topic,
          deadLetters: this.deadLetters,
          recheckDeadLetters: this.recheckDeadLetters,
        });
    const observability = new GuardObservability(this, 'Observability', {
      fn: this.function,
      logGroup: this.logGroup,
      deadLetters: this.deadLetters,
      recheckDeadLetters: this.recheckDeadLetters,
      alarms: [...this.alarms],
      functionTimeout: FUNCTION_TIMEOUT,
      dashboard: !orgMode,
    });
    this.dashboard = observability.dashboard;
    if (props.createTrail) this.trail = guardTrail(this);

    // ---- organisation (DESIGN §12) ----
    // The heartbeat names the schedule, so the central account knows how long silence may last; and
    // the scheduled sweeps of one schedule period share one blast-radius budget.
    this.function.addEnvironment('SWEEP_SCHEDULE', sweepSchedule);
    if (props.decisionBusArn) addDecisionForwarding(this.function, props.decisionBusArn);
    // Custom metrics are charged per metric: nothing alarms on or graphs them in organisation mode.
    if (orgMode) this.function.addEnvironment('POWERTOOLS_METRICS_DISABLED', 'true');
    // ---- alerts where people work (DESIGN §10): chat, webhooks, Security Hub ----
    const chat = [...(props.slackChannels ?? []), ...(props.teamsChannels ?? [])];
    if (chat.length > 0 || (props.webhooks ?? []).length > 0) {
      this.channels = new AlertChannels(this, 'AlertChannels', {
        alertTopic: this.topic,
        slack: props.slackChannels ?? [],
        teams: props.teamsChannels ?? [],
        webhooks: props.webhooks ?? [],
      });
      for (const statement of this.channels.publishStatements()) this.role.addToPrincipalPolicy(statement);
      if (this.channels.chatTopic) {
        this.function.addEnvironment('CHAT_TOPIC_ARN', this.channels.chatTopic.topicArn);
      }
    }
    if (props.securityHub) {
      for (const statement of securityHubStatements(this)) this.role.addToPrincipalPolicy(statement);
      this.function.addEnvironment('SECURITY_HUB', 'true');
    }
  }
}

function validate(props: EndpointGuardProps): void {
  if (props.policyFile && props.policyParameter) {
    throw new GuardConfigError('policyFile and policyParameter exclude each other: give one');
  }
  if (props.organizationMode && !props.decisionBusArn) {
    throw new GuardConfigError(
      'organizationMode needs decisionBusArn: without the central bus nobody would see the decisions',
    );
  }
  if (props.organizationMode && props.createTrail) {
    throw new GuardConfigError(
      'organizationMode and createTrail exclude each other: use the organisation trail',
    );
  }
  if (props.alertTopicArn && props.notificationEmails?.length) {
    throw new GuardConfigError(
      'alertTopicArn and notificationEmails exclude each other: the owner of an existing topic subscribes its readers',
    );
  }
  if (props.alertTopicKeyArn && !props.alertTopicArn) {
    throw new GuardConfigError('alertTopicKeyArn needs alertTopicArn: it is the key of that topic');
  }
  const retention = props.logRetentionDays;
  // Any CloudWatch Logs period except "never expire": logs are kept bounded.
  const periods = Object.values(logs.RetentionDays).filter((days) => days !== logs.RetentionDays.INFINITE);
  if (retention !== undefined && !(periods as unknown[]).includes(retention)) {
    throw new GuardConfigError(
      `logRetentionDays ${retention}: not a CloudWatch Logs retention period (e.g. 30, 90, 365)`,
    );
  }
  // The function refuses to start outside the ranges of its configuration schema.
  inRange('recheckDeadlineMinutes', props.recheckDeadlineMinutes, 1, 24 * 60);
  inRange('auditRetentionDays', props.auditRetentionDays, 0, 3650);
  // Below this the recheck poller would be throttled and healthy messages would end in the DLQ.
  const reserved = props.reservedConcurrency;
  if (reserved !== undefined && reserved <= RECHECK_MAX_CONCURRENCY) {
    throw new GuardConfigError(
      `reservedConcurrency ${reserved}: must be above ${RECHECK_MAX_CONCURRENCY}, the recheck queue's own concurrency`,
    );
  }
}

function inRange(name: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
    throw new GuardConfigError(`${name} ${value}: expected an integer from ${min} to ${max}`);
  }
}
