import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { type CheckedMarker, CLUSTER_NAME, markerOf, type SweepSummary } from '../core/report/evidence';
import type { CheckResult } from '../core/result';
import type { AuditPort, AuditQuery } from '../ports';
import { type ClientSource, lazy, resolveClient, sdk } from './clients';

/**
 * Table layout (the stack creates it): one item per decision, plus two kinds of evidence items
 * whose partition keys start with `#` (a region never does, so they can never share a key with a
 * decision): one summary per sweep (`#sweep#<region>`, sorted by time) and one "last checked"
 * marker per cluster (`#checked#<region>`, sorted by cluster name). Neither carries `day` or
 * `outcome`, so neither appears in the indexes the audit trail is read from.
 */
export const AUDIT_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  byDayIndex: 'byDay',
  byOutcomeIndex: 'byOutcome',
  ttlAttribute: 'expiresAt',
} as const;

const DAY_MS = 86_400_000;
/** Items asked for per page when more are wanted (a page holds at most 1 MB anyway). */
const PAGE_LIMIT = 1000;
/** How far back a query without a cluster, outcome or start goes. */
export const DEFAULT_AUDIT_WINDOW_DAYS = 7;

export interface AuditItem extends CheckResult {
  pk: string;
  sk: string;
  day: string;
  expiresAt?: number;
}

export const SWEEP_KIND = 'sweep-summary';
export const MARKER_KIND = 'last-checked';

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

export function sweepItem(summary: SweepSummary, retentionDays: number): Record<string, unknown> {
  return {
    ...summary,
    pk: sweepKey(summary.region),
    sk: `${summary.time}#${summary.sweepId}`,
    kind: SWEEP_KIND,
    ...expiry(summary.time, retentionDays),
  };
}

export function markerItem(marker: CheckedMarker, retentionDays: number): Record<string, unknown> {
  return {
    ...marker,
    // `outcome` would put the marker in the byOutcome index.
    outcome: undefined,
    lastOutcome: marker.outcome,
    pk: markerKey(marker.region),
    sk: marker.cluster,
    kind: MARKER_KIND,
    ...expiry(marker.time, retentionDays),
  };
}

function expiry(time: string, retentionDays: number): { expiresAt?: number } {
  return retentionDays > 0 ? { expiresAt: Math.floor(Date.parse(time) / 1000) + retentionDays * 86_400 } : {};
}

/** The audit port plus what the report reads: sweep summaries and markers. */
export interface AuditStore extends AuditPort {
  /** Oldest first, in [since, until). */
  sweeps(region: string, since: Date, until: Date): Promise<SweepSummary[]>;
  markers(region: string): Promise<CheckedMarker[]>;
}

/** DynamoDB refused the write because an item with that key exists. */
function isConditionFailed(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'ConditionalCheckFailedException';
}

export function auditStore(
  client: ClientSource<DynamoDBClient>,
  tableName: string,
  region: string,
  retentionDays: number,
  now: () => Date = () => new Date(),
): AuditStore {
  const documents = lazy(() =>
    sdk.dynamodbDocuments().DynamoDBDocumentClient.from(resolveClient(client), {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
    }),
  );

  async function collect(
    input: QueryCommandInput,
    limit: number,
    into: CheckResult[],
    filter?: (result: CheckResult) => boolean,
  ): Promise<void> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await documents().send(
        new (sdk.dynamodbDocuments().QueryCommand)({
          ...input,
          ExclusiveStartKey: start,
          ScanIndexForward: false,
          // Read no more than is asked for (one record, for the first-sighting check).
          Limit: filter ? PAGE_LIMIT : Math.min(limit - into.length, PAGE_LIMIT),
        }),
      );
      for (const item of page.Items ?? []) {
        if (into.length >= limit) return;
        const result = resultOfItem(item);
        if (!filter || filter(result)) into.push(result);
      }
      start = page.LastEvaluatedKey;
    } while (start && into.length < limit);
  }

  async function readAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await documents().send(
        new (sdk.dynamodbDocuments().QueryCommand)({ ...input, ExclusiveStartKey: start }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  return {
    async write(result: CheckResult): Promise<void> {
      const { PutCommand } = sdk.dynamodbDocuments();
      try {
        await documents().send(
          new PutCommand({
            TableName: tableName,
            Item: auditItem(result, retentionDays),
            // A record is never rewritten: not by a retry, not by a forged key.
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        // The key holds time, correlation id, attempt and outcome: the same decision, already written
        // (a retried request whose first write went through).
        if (isConditionFailed(error)) return;
        throw error;
      }
    },

    async markChecked(result: CheckResult): Promise<void> {
      if (!CLUSTER_NAME.test(result.cluster)) return;
      const { PutCommand } = sdk.dynamodbDocuments();
      await documents().send(
        new PutCommand({
          TableName: tableName,
          Item: markerItem(markerOf(result), retentionDays),
          // The one item updated in place; the condition keeps it from ever replacing anything else.
          ConditionExpression: 'attribute_not_exists(pk) OR #kind = :marker',
          ExpressionAttributeNames: { '#kind': 'kind' },
          ExpressionAttributeValues: { ':marker': MARKER_KIND },
        }),
      );
    },

    async sweepSummary(summary: SweepSummary): Promise<void> {
      const { PutCommand } = sdk.dynamodbDocuments();
      try {
        await documents().send(
          new PutCommand({
            TableName: tableName,
            Item: sweepItem(summary, retentionDays),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (isConditionFailed(error)) return;
        throw error;
      }
    },

    async sweeps(sweepRegion: string, since: Date, until: Date): Promise<SweepSummary[]> {
      const items = await readAll({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :since AND :until',
        ExpressionAttributeValues: {
          ':pk': sweepKey(sweepRegion),
          ':since': since.toISOString(),
          ':until': until.toISOString(),
        },
      });
      return items.map((item) => {
        const { pk: _pk, sk: _sk, kind: _kind, expiresAt: _expiresAt, ...summary } = item;
        return summary as unknown as SweepSummary;
      });
    },

    async markers(markerRegion: string): Promise<CheckedMarker[]> {
      const items = await readAll({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': markerKey(markerRegion) },
      });
      return items.map((item) => {
        const { pk: _pk, sk: _sk, kind: _kind, expiresAt: _expiresAt, lastOutcome, ...marker } = item;
        return { ...marker, outcome: lastOutcome } as unknown as CheckedMarker;
      });
    },

    async query(query: AuditQuery): Promise<CheckResult[]> {
      const limit = query.limit ?? 1000;
      const since = (
        query.since ?? new Date(now().getTime() - DEFAULT_AUDIT_WINDOW_DAYS * DAY_MS)
      ).toISOString();
      const until = query.until?.toISOString();
      // sk starts with the record's time: BETWEEN since and until keeps the records before until.
      const range = until ? 'sk BETWEEN :since AND :until' : 'sk >= :since';
      const bounds = { ':since': since, ...(until ? { ':until': until } : {}) };
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
            KeyConditionExpression: `pk = :pk AND ${range}`,
            ...outcomeFilter,
            ExpressionAttributeValues: {
              ':pk': clusterKey(query.region ?? region, query.cluster),
              ...bounds,
              ...outcomeFilter.ExpressionAttributeValues,
            },
          },
          limit,
          results,
          query.filter,
        );
        return results;
      }

      if (query.outcome) {
        await collect(
          {
            TableName: tableName,
            IndexName: AUDIT_KEYS.byOutcomeIndex,
            KeyConditionExpression: `#outcome = :outcome AND ${range}`,
            ExpressionAttributeNames: { '#outcome': 'outcome' },
            ExpressionAttributeValues: { ':outcome': query.outcome, ...bounds },
          },
          limit,
          results,
          query.filter,
        );
        return results;
      }

      // Across clusters: one partition per day, newest day first.
      const last = query.until && query.until < now() ? new Date(query.until.getTime() - 1) : now();
      for (const day of daysBack(last, new Date(since))) {
        if (results.length >= limit) break;
        await collect(
          {
            TableName: tableName,
            IndexName: AUDIT_KEYS.byDayIndex,
            KeyConditionExpression: `#day = :day AND ${range}`,
            ExpressionAttributeNames: { '#day': 'day' },
            ExpressionAttributeValues: { ':day': day, ...bounds },
          },
          limit,
          results,
          query.filter,
        );
      }
      return results;
    },
  };
}

function clusterKey(region: string, cluster: string): string {
  return `${region}#${cluster}`;
}

function sweepKey(region: string): string {
  return `#sweep#${region}`;
}

function markerKey(region: string): string {
  return `#checked#${region}`;
}

/** YYYY-MM-DD from `until`'s day back to `since`'s day, inclusive. */
export function daysBack(until: Date, since: Date): string[] {
  const days: string[] = [];
  const first = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
  for (let t = until.getTime(); t >= first; t -= DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}
