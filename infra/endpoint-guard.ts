import { Stack } from 'aws-cdk-lib';
import type * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { type GuardNames, guardNames } from '../functions/core/guard-names';
import { addActiveClients } from './active-clients';
import { AlertChannels } from './alert-channels';
import { existingAlertTopic, securityHubStatements } from './alert-permissions';
import { guardAlertTopic } from './alert-topic';
import { guardAuditTable } from './audit-table';
import { cfnHookOptionsOf, GuardCfnHook } from './cfn-hook';
import {
  DEFAULT_LOG_RETENTION_DAYS,
  DEFAULT_RECHECK_DEADLINE_MINUTES,
  DEFAULT_SWEEP_SCHEDULE,
} from './config';
import { addDecisionForwarding } from './decision-forwarding';
import {
  acknowledgeDigestKeys,
  DEFAULT_DIGEST_RETENTION_DAYS,
  digestWriteStatement,
  guardDigestBucket,
} from './digest-bucket';
import { type EndpointGuardProps, validate } from './endpoint-guard-props';
import { guardAlarms } from './guard-alarms';
import { FUNCTION_TIMEOUT, guardFunction } from './guard-function';
import { guardQueues, restrictQueueWriters } from './guard-queues';
import { guardTrail, guardTriggers } from './guard-triggers';
import { GuardObservability } from './observability';
import { type GuardPolicyParameter, guardPolicyParameter } from './policy-parameter';

export { GuardConfigError } from './config';
export type { EndpointGuardProps } from './endpoint-guard-props';

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
  /** The digests that seal the audit records (DESIGN §16), written by the scheduled sweep. */
  readonly digestBucket: s3.Bucket;
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
  /** The fixed names of the role, function, queues and rules (core/guard-names.ts). */
  readonly names: GuardNames;
  /** Only with `cfnHook`. */
  readonly cfnHook?: GuardCfnHook;

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
    // A guard that reports to the central bus is a member: its role name is the one the bus admits.
    const names = guardNames(props.decisionBusArn ? 'member' : 'single', Stack.of(this).region);
    this.names = names;
    const queues = guardQueues(this, { functionTimeout: FUNCTION_TIMEOUT, names });
    this.deadLetters = queues.deadLetters;
    this.recheckDeadLetters = queues.recheckDeadLetters;
    this.recheckQueue = queues.recheckQueue;
    this.table = guardAuditTable(this);
    this.digestBucket = guardDigestBucket(this, props.digestRetentionDays ?? DEFAULT_DIGEST_RETENTION_DAYS);

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
      names,
    });
    this.function = remediator.fn;
    this.role = remediator.role;
    // The scheduled sweep seals the records into digests: it may put digests and nothing else.
    this.role.addToPrincipalPolicy(digestWriteStatement(this.digestBucket));
    acknowledgeDigestKeys(this.role, this.digestBucket);
    this.function.addEnvironment('DIGEST_BUCKET_NAME', this.digestBucket.bucketName);
    this.logGroup = remediator.logGroup;
    this.logsKey = remediator.logsKey;
    addActiveClients(this.function, this.role, props.activeClients);

    const sweepSchedule = props.sweepSchedule ?? DEFAULT_SWEEP_SCHEDULE;
    const triggers = guardTriggers(this, {
      fn: this.function,
      policy: this.policyParameter,
      deadLetters: this.deadLetters,
      sweepSchedule,
      names,
    });
    restrictQueueWriters(queues, {
      role: this.role,
      rules: triggers.rules,
      ...(props.deadLetterOperatorRoleArn && { operatorRoleArn: props.deadLetterOperatorRoleArn }),
    });

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
    const hook = cfnHookOptionsOf(props.cfnHook);
    if (hook) {
      this.cfnHook = new GuardCfnHook(this, 'CfnHook', {
        ...hook,
        policy: this.policyParameter,
        policyParameterName: this.policyParameter.name,
        topic: this.topic,
        topicKey: this.alertsKey,
        logRetentionDays: props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
        logsKey: this.logsKey,
      });
    }

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
