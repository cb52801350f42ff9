import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CheckResult } from '../core/result';
import type { AuditPort, AuditQuery } from '../ports';
import { type ClientSource, lazy, resolveClient, sdk } from './clients';

/** Table layout (the stack creates it): one item per decision. */
export const AUDIT_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  byDayIndex: 'byDay',
  byOutcomeIndex: 'byOutcome',
  ttlAttribute: 'expiresAt',
} as const;

const DAY_MS = 86_400_000;
/** How far back a query without a cluster, outcome or start goes. */
export const DEFAULT_AUDIT_WINDOW_DAYS = 7;

export interface AuditItem extends CheckResult {
  pk: string;
  sk: string;
  day: string;
  expiresAt?: number;
}

/** Newest first per cluster (pk), by time across clusters (byDay), by outcome (byOutcome). */
export function auditItem(result: CheckResult, retentionDays: number): AuditItem {
  const item: AuditItem = {
    ...result,
    pk: clusterKey(result.region, result.cluster),
    sk: `${result.time}#${result.correlationId}#${result.attempt}#${result.outcome}`,
    day: result.time.slice(0, 10),
  };
  if (retentionDays > 0) item.expiresAt = Math.floor(Date.parse(result.time) / 1000) + retentionDays * 86_400;
  return item;
}

export function resultOfItem(item: Record<string, unknown>): CheckResult {
  const { pk: _pk, sk: _sk, day: _day, expiresAt: _expiresAt, ...result } = item;
  return result as unknown as CheckResult;
}

export function auditStore(
  client: ClientSource<DynamoDBClient>,
  tableName: string,
  region: string,
  retentionDays: number,
  now: () => Date = () => new Date(),
): AuditPort {
  const documents = lazy(() =>
    sdk.dynamodbDocuments().DynamoDBDocumentClient.from(resolveClient(client), {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
    }),
  );

  async function collect(input: QueryCommandInput, limit: number, into: CheckResult[]): Promise<void> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await documents().send(
        new (sdk.dynamodbDocuments().QueryCommand)({
          ...input,
          ExclusiveStartKey: start,
          ScanIndexForward: false,
          // Read no more than is asked for (one record, for the first-sighting check).
          Limit: limit - into.length,
        }),
      );
      for (const item of page.Items ?? []) {
        if (into.length >= limit) return;
        into.push(resultOfItem(item));
      }
      start = page.LastEvaluatedKey;
    } while (start && into.length < limit);
  }

  return {
    async write(result: CheckResult): Promise<void> {
      const { PutCommand } = sdk.dynamodbDocuments();
      await documents().send(
        new PutCommand({ TableName: tableName, Item: auditItem(result, retentionDays) }),
      );
    },

    async query(query: AuditQuery): Promise<CheckResult[]> {
      const limit = query.limit ?? 1000;
      const since = (
        query.since ?? new Date(now().getTime() - DEFAULT_AUDIT_WINDOW_DAYS * DAY_MS)
      ).toISOString();
      const results: CheckResult[] = [];
      const outcomeFilter = query.outcome
        ? {
            FilterExpression: '#outcome = :outcome',
            ExpressionAttributeNames: { '#outcome': 'outcome' },
            ExpressionAttributeValues: { ':outcome': query.outcome },
          }
        : {};

      if (query.cluster) {
        await collect(
          {
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND sk >= :since',
            ...outcomeFilter,
            ExpressionAttributeValues: {
              ':pk': clusterKey(query.region ?? region, query.cluster),
              ':since': since,
              ...outcomeFilter.ExpressionAttributeValues,
            },
          },
          limit,
          results,
        );
        return results;
      }

      if (query.outcome) {
        await collect(
          {
            TableName: tableName,
            IndexName: AUDIT_KEYS.byOutcomeIndex,
            KeyConditionExpression: '#outcome = :outcome AND sk >= :since',
            ExpressionAttributeNames: { '#outcome': 'outcome' },
            ExpressionAttributeValues: { ':outcome': query.outcome, ':since': since },
          },
          limit,
          results,
        );
        return results;
      }

      // Across clusters: one partition per day, newest day first.
      for (const day of daysBack(now(), new Date(since))) {
        if (results.length >= limit) break;
        await collect(
          {
            TableName: tableName,
            IndexName: AUDIT_KEYS.byDayIndex,
            KeyConditionExpression: '#day = :day AND sk >= :since',
            ExpressionAttributeNames: { '#day': 'day' },
            ExpressionAttributeValues: { ':day': day, ':since': since },
          },
          limit,
          results,
        );
      }
      return results;
    },
  };
}

function clusterKey(region: string, cluster: string): string {
  return `${region}#${cluster}`;
}

/** YYYY-MM-DD from `until`'s day back to `since`'s day, inclusive. */
export function daysBack(until: Date, since: Date): string[] {
  const days: string[] = [];
  const first = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
  for (let t = until.getTime(); t >= first; t -= DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}
