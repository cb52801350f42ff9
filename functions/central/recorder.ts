import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { CentralStore } from '../aws/central-store';
import { type ClientSource, lazy, resolveClient, sdk } from '../aws/clients';
import { type CentralContext, centralRecord } from '../core/central';
import { guardEnvelope } from '../core/central-envelope';
import { readableForEmail, unreadableNotice } from '../core/central-notice';
import { DECISION_DETAIL_TYPE } from '../core/decision-event';
import { jsonLog, type Log, metricLine } from './log';

export interface RecorderOptions {
  /** The StackSet's regions: an event whose source names another one is refused. */
  regions: readonly string[];
  /** The notice gate and the alert topic: an unreadable decision is told there, at most hourly per account. */
  notices?: { store: CentralStore; sns: ClientSource<SNSClient>; topicArn: string };
  now?: () => Date;
  log?: Log;
}

/**
 * Writes each member event from the central bus to the central audit table. What the recorder
 * refuses (an unknown source or region, a sweep in the future, an odd schedule, a detail it cannot
 * read) is counted (RefusedEvents) and logged, not retried: an event that can never be read would
 * only fill the dead-letter queue.
 */
export function recorder(client: ClientSource<DynamoDBClient>, tableName: string, options: RecorderOptions) {
  const documents = lazy(() => sdk.dynamodbDocuments().DynamoDBDocumentClient.from(resolveClient(client)));
  const now = options.now ?? (() => new Date());
  const log = options.log ?? jsonLog;
  return async (event: unknown): Promise<'written' | 'duplicate' | 'rejected'> => {
    const at = now();
    const context: CentralContext = { regions: options.regions, now: at };
    await noticeUnreadable(event, context, options);
    const record = centralRecord(event, context);
    if (record.kind === 'rejected') {
      log(
        metricLine(
          at,
          { RefusedEvents: 1 },
          { level: 'WARN', message: 'event refused', reason: record.reason, account: accountOf(event) },
        ),
      );
      return 'rejected';
    }
    const { PutCommand } = sdk.dynamodbDocuments();
    // The newest sweep wins; an older one delivered late never moves lastSweepAt back. A decision
    // is never overwritten: a redelivered event finds its item already there.
    const condition =
      record.kind === 'sweep'
        ? {
            ConditionExpression: 'attribute_not_exists(lastSweepAt) OR lastSweepAt < :at',
            ExpressionAttributeValues: { ':at': record.item.lastSweepAt },
          }
        : { ConditionExpression: 'attribute_not_exists(pk)' };
    try {
      await documents().send(new PutCommand({ TableName: tableName, Item: record.item, ...condition }));
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return 'duplicate';
      throw error;
    }
    if (record.kind === 'decision') {
      const { outcome, account, region, cluster } = record.item;
      log(metricLine(at, { Decisions: 1 }, { outcome, account, region, cluster }, ['outcome']));
    }
    return 'written';
  };
}

/**
 * A decision the e-mail rule does not match reaches nobody by itself: the recorder tells the alert
 * topic, naming the sender and why, at most once per account per hour.
 */
async function noticeUnreadable(
  event: unknown,
  context: CentralContext,
  options: RecorderOptions,
): Promise<void> {
  const notices = options.notices;
  if (!notices) return;
  const envelope = guardEnvelope(event, context);
  if ('refused' in envelope || envelope.detailType !== DECISION_DETAIL_TYPE) return;
  if (readableForEmail(envelope.detail)) return;
  if (!(await notices.store.takeNotice('email', envelope.account, context.now))) return;
  const reason =
    'the detail is not an alert machine form with cluster, outcome, severity, reason, time and correlationId';
  const { PublishCommand } = sdk.sns();
  await resolveClient(notices.sns).send(
    new PublishCommand({
      TopicArn: notices.topicArn,
      ...unreadableNotice(envelope.account, envelope.region, reason),
    }),
  );
}

function accountOf(event: unknown): string | undefined {
  const account = (event as { account?: unknown } | null)?.account;
  return typeof account === 'string' && /^\d{12}$/.test(account) ? account : undefined;
}
