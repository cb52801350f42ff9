import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { type CheckedMarker, CLUSTER_NAME, markerOf, type SweepSummary } from '../core/report/evidence';
import type { CheckResult } from '../core/result';
import { sdk } from './clients';

/**
 * The audit table's evidence items: one summary per sweep and one "last checked" marker per
 * cluster. Their partition keys start with `#`, which no region does, so they never share a key
 * with a decision (`<region>#<cluster>`).
 */
export const SWEEP_KIND = 'sweep-summary';
export const MARKER_KIND = 'last-checked';

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

/** DynamoDB refused the write because an item with that key exists. */
export function isConditionFailed(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'ConditionalCheckFailedException';
}

function sweepKey(region: string): string {
  return `#sweep#${region}`;
}

function markerKey(region: string): string {
  return `#checked#${region}`;
}

/** Every item a query finds, page after page. */
export async function queryAll(
  documents: DynamoDBDocumentClient,
  input: QueryCommandInput,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new (sdk.dynamodbDocuments().QueryCommand)({ ...input, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Writing and reading the evidence items, over the store's document client. */
export function evidenceMethods(
  documents: () => DynamoDBDocumentClient,
  tableName: string,
  retentionDays: number,
) {
  const readAll = (input: QueryCommandInput) => queryAll(documents(), input);

  return {
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
  };
}
