import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CheckedMarker, SweepSummary } from '../core/report/evidence';
import type { CheckResult } from '../core/result';
import { type AuditPort, type AuditQuery, DEFAULT_AUDIT_WINDOW_DAYS } from '../ports';
import { claimMethods } from './audit-claims';
import { evidenceMethods, isConditionFailed } from './audit-evidence';
import { type ClientSource, lazy, resolveClient, sdk } from './clients';

export { MARKER_KIND, markerItem, SWEEP_KIND, sweepItem } from './audit-evidence';

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

/** The audit port plus what the report reads: sweep summaries and markers. */
export interface AuditStore extends AuditPort {
  /** Oldest first, in [since, until). */
  sweeps(region: string, since: Date, until: Date): Promise<SweepSummary[]>;
  markers(region: string): Promise<CheckedMarker[]>;
}

/**
 * `account`: the table is the organisation's central table (functions/core/central.ts), whose
 * decision items are keyed `<account>#<region>#<cluster>` and carry `account`: only that account's
 * records are read, in every region of it, through the day and outcome indexes (the same layout
 * as a member's). The central table holds no sweep summaries or markers of its members.
 */
export interface AuditStoreOptions {
  readonly account?: string;
}

export function auditStore(
  client: ClientSource<DynamoDBClient>,
  tableName: string,
  region: string,
  retentionDays: number,
  now: () => Date = () => new Date(),
  options: AuditStoreOptions = {},
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

    ...evidenceMethods(documents, tableName, retentionDays),

    ...claimMethods(documents, tableName, region, now),

    async query(asked: AuditQuery): Promise<CheckResult[]> {
      const query = options.account ? centralQuery(asked, options.account) : asked;
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

/**
 * A query of the central table: the account's records only, found through the indexes (a cluster's
 * partition key would need its region, and `--cluster` names a cluster in any region of the account).
 */
function centralQuery(query: AuditQuery, account: string): AuditQuery {
  const { cluster, region, filter, ...rest } = query;
  return {
    ...rest,
    filter: (r) =>
      r.account === account &&
      (cluster === undefined || r.cluster === cluster) &&
      (region === undefined || r.region === region) &&
      (!filter || filter(r)),
  };
}

function clusterKey(region: string, cluster: string): string {
  return `${region}#${cluster}`;
}

/**
 * Whether the table is the organisation's central table: it alone holds the members' heartbeats,
 * under a partition key (`member`) no member table uses.
 */
export async function isCentralTable(
  client: ClientSource<DynamoDBClient>,
  tableName: string,
): Promise<boolean> {
  const { DynamoDBDocumentClient, QueryCommand } = sdk.dynamodbDocuments();
  const page = await DynamoDBDocumentClient.from(resolveClient(client)).send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'member' },
      Limit: 1,
    }),
  );
  return (page.Items ?? []).length > 0;
}

/** YYYY-MM-DD from `until`'s day back to `since`'s day, inclusive. */
export function daysBack(until: Date, since: Date): string[] {
  const days: string[] = [];
  const first = Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate());
  for (let t = until.getTime(); t >= first; t -= DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}
