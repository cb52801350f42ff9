import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DigestHead, SealableItem } from '../core/seal/digest';
import type { SealSource } from '../seal-ports';
import { isConditionFailed, queryAll } from './audit-evidence';
import { AUDIT_KEYS, daysBack } from './audit-store';
import { type ClientSource, lazy, resolveClient, sdk } from './clients';

/**
 * The audit table as a digest sees it: every decision record (through the day index) and every
 * sweep summary of a time range, as stored, and the chain's head, an item of its own
 * (`#digest#<region>`: like the other evidence items, a key no region can have).
 */
export interface AuditSeal extends SealSource {
  /** When the region's first sweep summary says the guard began sweeping (coverage for the report). */
  firstSweepAt(): Promise<Date | undefined>;
}

const HEAD_SORT_KEY = 'head';

export function auditSeal(
  client: ClientSource<DynamoDBClient>,
  tableName: string,
  region: string,
): AuditSeal {
  const documents = lazy(() => sdk.dynamodbDocuments().DynamoDBDocumentClient.from(resolveClient(client)));
  const headKey = { [AUDIT_KEYS.partitionKey]: `#digest#${region}`, [AUDIT_KEYS.sortKey]: HEAD_SORT_KEY };

  const readAll = (input: QueryCommandInput) => queryAll(documents(), input);

  return {
    table: tableName,

    async sealable(from: Date, to: Date): Promise<SealableItem[]> {
      if (to.getTime() <= from.getTime()) return [];
      // The sort key starts with the record's time: BETWEEN from AND to keeps [from, to).
      const bounds = { ':from': from.toISOString(), ':to': to.toISOString() };
      const decisions: Record<string, unknown>[] = [];
      for (const day of daysBack(new Date(to.getTime() - 1), from)) {
        decisions.push(
          ...(await readAll({
            TableName: tableName,
            IndexName: AUDIT_KEYS.byDayIndex,
            KeyConditionExpression: '#day = :day AND sk BETWEEN :from AND :to',
            ExpressionAttributeNames: { '#day': 'day' },
            ExpressionAttributeValues: { ':day': day, ...bounds },
          })),
        );
      }
      const sweeps = await readAll({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': `#sweep#${region}`, ...bounds },
      });
      return [
        ...decisions.map((item) => sealableOf(item, 'decision')),
        ...sweeps.map((item) => sealableOf(item, 'sweep')),
      ];
    },

    async digestHead(): Promise<DigestHead | undefined> {
      const [item] = await readAll({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: { ':pk': headKey.pk, ':sk': HEAD_SORT_KEY },
        ConsistentRead: true,
      });
      if (!item) return undefined;
      const { pk: _pk, sk: _sk, kind: _kind, ...head } = item;
      return head as unknown as DigestHead;
    },

    async putDigestHead(head: DigestHead, expected: DigestHead | undefined): Promise<boolean> {
      const { revision: _revision, ...fields } = head;
      try {
        await documents().send(
          new (sdk.dynamodbDocuments().PutCommand)({
            TableName: tableName,
            Item: { ...fields, ...headKey, kind: 'digest-head', revision: (expected?.revision ?? 0) + 1 },
            ...(expected
              ? {
                  ConditionExpression: 'revision = :revision',
                  ExpressionAttributeValues: { ':revision': expected.revision ?? 0 },
                }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailed(error)) return false;
        throw error;
      }
    },

    async firstSweepAt(): Promise<Date | undefined> {
      const page = await documents().send(
        new (sdk.dynamodbDocuments().QueryCommand)({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `#sweep#${region}` },
          ScanIndexForward: true,
          Limit: 1,
        }),
      );
      const started = page.Items?.[0]?.startedAt;
      return typeof started === 'string' && !Number.isNaN(Date.parse(started))
        ? new Date(started)
        : undefined;
    },
  };
}

/** An item of the table as a digest names it: its key, and the cluster and time its key holds. */
function sealableOf(item: Record<string, unknown>, kind: SealableItem['kind']): SealableItem {
  const pk = String(item[AUDIT_KEYS.partitionKey] ?? '');
  const sk = String(item[AUDIT_KEYS.sortKey] ?? '');
  const expiresAt = item[AUDIT_KEYS.ttlAttribute];
  return {
    kind,
    key: `${pk} ${sk}`,
    // Named from the key, which an edit of the item's attributes does not move.
    cluster: kind === 'sweep' ? '-' : pk.slice(pk.indexOf('#') + 1),
    time: sk.split('#')[0] ?? sk,
    ...(typeof expiresAt === 'number' ? { expiresAt } : {}),
    item,
  };
}
