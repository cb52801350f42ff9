import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SweepBudgetPort } from '../ports';
import { isConditionFailed } from './audit-evidence';
import { type ClientSource, lazy, resolveClient, sdk } from './clients';

/**
 * The scheduled sweeps' shared budget in the audit table: one item per change taken in a period,
 * `#budget#<region>#<period start>` / `slot#<n>`, written only if absent, so that concurrent sweeps
 * never take the same slot and never more than `limit` of them. The items expire a day after their
 * period (the table's TTL); the partition key starts with `#`, which no decision's does, and the
 * items carry neither `day` nor `outcome`, so they stay out of the audit trail's indexes.
 */
export function sweepBudget(
  client: ClientSource<DynamoDBClient>,
  tableName: string,
  region: string,
  periodSeconds: number,
  clock: () => Date = () => new Date(),
): SweepBudgetPort {
  const documents = lazy(() => sdk.dynamodbDocuments().DynamoDBDocumentClient.from(resolveClient(client)));
  // Slots this environment saw taken, per period: the next claim starts after them.
  const taken = new Map<string, number>();
  return {
    periodSeconds,
    async claim(period, limit, owner) {
      const { PutCommand } = sdk.dynamodbDocuments();
      const expiresAt = Math.floor(Date.parse(period) / 1000) + periodSeconds + 86_400;
      for (let slot = (taken.get(period) ?? 0) + 1; slot <= limit; slot++) {
        try {
          await documents().send(
            new PutCommand({
              TableName: tableName,
              Item: {
                pk: `#budget#${region}#${period}`,
                sk: `slot#${String(slot).padStart(4, '0')}`,
                kind: 'sweep-budget',
                sweepId: owner.sweepId,
                cluster: owner.cluster,
                claimedAt: clock().toISOString(),
                expiresAt,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          );
          taken.set(period, slot);
          return true;
        } catch (error) {
          if (!isConditionFailed(error)) throw error;
          taken.set(period, slot);
        }
      }
      return false;
    },
  };
}
