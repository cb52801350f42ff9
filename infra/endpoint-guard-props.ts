import * as logs from 'aws-cdk-lib/aws-logs';
import { type ActiveClientsOptions, validateActiveClients } from './active-clients';
import type { SlackChannel, TeamsChannel, Webhook } from './alert-channels';
import type { CfnHookOptions } from './cfn-hook';
import { GuardConfigError } from './config';
import { RECHECK_MAX_CONCURRENCY } from './guard-function';

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
  /**
   * Days each digest of the audit records is locked in the digest bucket (S3 Object Lock,
   * compliance mode: nobody can shorten it, root included). The bucket is retained when the stack
   * is deleted. 1 to 36500.
   * @default 365
   */
  readonly digestRetentionDays?: number;
  /**
   * How the function reads a cluster's audit log for the API clients a change would cut off
   * (DESIGN §18; the policy's `protectActiveClients` decides what it does with them).
   * @default Logs Insights over the last 24 h, at most 1024 MB and 20 s per decision
   */
  readonly activeClients?: ActiveClientsOptions;

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
   * owner must allow the guard's role (docs/alerts.md, "An existing (central) topic"). Excludes `notificationEmails`.
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
  /**
   * The IAM role people use to read, delete or purge the dead-letter queues' messages. Everyone
   * else is denied by the queue policies, so that failures cannot be hidden before the alarm fires.
   * @default none: only the guard's role may take dead letters; they expire after 14 days
   */
  readonly deadLetterOperatorRoleArn?: string;

  // ---- prevention before deploy (DESIGN §17) ----

  /**
   * A CloudFormation Lambda hook that applies the live policy to `AWS::EKS::Cluster` create and
   * update, in stacks and through Cloud Control (infra/cfn-hook.ts): `true`, or its options.
   * @default false
   */
  readonly cfnHook?: boolean | CfnHookOptions;
}

/** Refuses, at synth time and in one line, a configuration the guard could not run with. */
export function validate(props: EndpointGuardProps): void {
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
  const operator = props.deadLetterOperatorRoleArn;
  if (operator !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(operator)) {
    throw new GuardConfigError(
      `deadLetterOperatorRoleArn ${operator}: expected an IAM role ARN such as arn:aws:iam::111122223333:role/GuardOperator`,
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
  inRange('digestRetentionDays', props.digestRetentionDays, 1, 36500);
  validateActiveClients(props.activeClients);
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
