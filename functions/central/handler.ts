import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SNSClient } from '@aws-sdk/client-sns';
import { type ClientSource, lazy, resolveClient, sdk } from '../aws/clients';
import {
  CENTRAL_METRICS_NAMESPACE,
  centralChat,
  centralRecord,
  MEMBERS_PARTITION,
  type MemberItem,
  staleMembers,
} from '../core/central';

/**
 * The central account's small functions: `record` writes each member event from the central bus
 * to the central audit table, `watch` (on a schedule) counts the members that stopped sweeping
 * and emits that count as one metric, which one alarm watches, and `notify` (with chat channels)
 * publishes each member decision to the central chat topic. `record` and `notify` are separate
 * targets of the decision rule, so that a chat publish that fails can never lose the record.
 */

export interface CentralEnv {
  tableName: string;
  region: string;
}

function envOf(env: NodeJS.ProcessEnv): CentralEnv {
  const tableName = env.CENTRAL_AUDIT_TABLE_NAME;
  const region = env.AWS_REGION;
  if (!tableName || !region) throw new Error('CENTRAL_AUDIT_TABLE_NAME and AWS_REGION must be set');
  return { tableName, region };
}

/** One-line logs; the metric line is CloudWatch embedded metric format (no PutMetricData call). */
type Log = (line: Record<string, unknown>) => void;
const jsonLog: Log = (line) => console.log(JSON.stringify(line));

export function recorder(client: ClientSource<DynamoDBClient>, tableName: string, log: Log = jsonLog) {
  const documents = lazy(() => sdk.dynamodbDocuments().DynamoDBDocumentClient.from(resolveClient(client)));
  return async (event: unknown): Promise<'written' | 'duplicate' | 'rejected'> => {
    const record = centralRecord(event);
    if (record.kind === 'rejected') {
      // Refused, not failed: retrying an event that can never be read would only fill the DLQ.
      log({ level: 'WARN', message: 'event refused', reason: record.reason });
      return 'rejected';
    }
    const { PutCommand } = sdk.dynamodbDocuments();
    if (record.kind === 'sweep') {
      // The newest sweep wins; an older one delivered late never moves lastSweepAt back.
      try {
        await documents().send(
          new PutCommand({
            TableName: tableName,
            Item: record.item,
            ConditionExpression: 'attribute_not_exists(lastSweepAt) OR lastSweepAt < :at',
            ExpressionAttributeValues: { ':at': record.item.lastSweepAt },
          }),
        );
      } catch (error) {
        if ((error as Error).name === 'ConditionalCheckFailedException') return 'duplicate';
        throw error;
      }
      return 'written';
    }
    // Never overwrite a record: a redelivered event finds its item already there.
    try {
      await documents().send(
        new PutCommand({
          TableName: tableName,
          Item: record.item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return 'duplicate';
      throw error;
    }
    log({
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: CENTRAL_METRICS_NAMESPACE,
            Dimensions: [['outcome']],
            Metrics: [{ Name: 'Decisions', Unit: 'Count' }],
          },
        ],
      },
      outcome: record.item.outcome,
      Decisions: 1,
      account: record.item.account,
      region: record.item.region,
      cluster: record.item.cluster,
    });
    return 'written';
  };
}

/**
 * Publishes the chat form of a member decision to the chat topic. A failed publish throws, so that
 * Lambda retries the event and, after its retries, puts it in the central dead-letter queue.
 */
export function notifier(client: ClientSource<SNSClient>, topicArn: string, log: Log = jsonLog) {
  return async (event: unknown): Promise<'published' | 'rejected'> => {
    const chat = centralChat(event);
    if (chat.kind === 'rejected') {
      log({ level: 'WARN', message: 'event refused', reason: chat.reason });
      return 'rejected';
    }
    if (chat.kind === 'unreadable') {
      log({ level: 'WARN', message: 'unreadable decision detail', reason: chat.reason });
    }
    const { PublishCommand } = sdk.sns();
    await resolveClient(client).send(new PublishCommand({ TopicArn: topicArn, ...chat.message }));
    return 'published';
  };
}

export function watchdog(
  client: ClientSource<DynamoDBClient>,
  tableName: string,
  now: () => Date = () => new Date(),
  log: Log = jsonLog,
) {
  const documents = lazy(() => sdk.dynamodbDocuments().DynamoDBDocumentClient.from(resolveClient(client)));
  return async (): Promise<{ members: number; stale: number }> => {
    const { QueryCommand } = sdk.dynamodbDocuments();
    const members: MemberItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await documents().send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': MEMBERS_PARTITION },
          ExclusiveStartKey: start,
        }),
      );
      members.push(...((page.Items ?? []) as MemberItem[]));
      start = page.LastEvaluatedKey;
    } while (start);
    const stale = staleMembers(members, now());
    log({
      _aws: {
        Timestamp: now().getTime(),
        CloudWatchMetrics: [
          {
            Namespace: CENTRAL_METRICS_NAMESPACE,
            Dimensions: [[]],
            Metrics: [{ Name: 'StaleMembers', Unit: 'Count' }],
          },
        ],
      },
      StaleMembers: stale.length,
      members: members.length,
      // The alarm says how many; this line says which (the dashboard's log widget shows it).
      stale,
    });
    return { members: members.length, stale: stale.length };
  };
}

const clients = lazy(() => {
  const env = envOf(process.env);
  const dynamodb = lazy(() => new (sdk.dynamodb().DynamoDBClient)({ region: env.region, maxAttempts: 5 }));
  const sns = lazy(() => new (sdk.sns().SNSClient)({ region: env.region, maxAttempts: 5 }));
  return { env, dynamodb, sns };
});

const recordOnce = lazy(() => recorder(clients().dynamodb, clients().env.tableName));
const watchOnce = lazy(() => watchdog(clients().dynamodb, clients().env.tableName));
const notifyOnce = lazy(() => {
  const topicArn = process.env.CENTRAL_CHAT_TOPIC_ARN;
  if (!topicArn) throw new Error('CENTRAL_CHAT_TOPIC_ARN must be set');
  return notifier(clients().sns, topicArn);
});

/** Lambda entry points (the central stack's functions). */
export const record = (event: unknown) => recordOnce()(event);
export const watch = () => watchOnce()();
export const notify = (event: unknown) => notifyOnce()(event);
