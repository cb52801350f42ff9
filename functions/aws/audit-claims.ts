import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailed } from './audit-evidence';
import { sdk } from './clients';

/**
 * Claims: one small item per thing that must be delivered once (an update's `remediated` record
 * and alert, a situation's first alert, an alert's `resolved`), so that two deliveries of one
 * event at once, or two sweeps at once, cannot both deliver it. The partition key starts with `#`
 * like the other evidence items, so a claim never shares a key with a decision and never appears
 * in the indexes the audit trail is read from. Claims expire through the table's TTL.
 */
export const CLAIM_KIND = 'claim';
/** Long after any retry, redelivery or sweep that could deliver the same thing again. */
export const CLAIM_DAYS = 90;

export function claimMethods(
  documents: () => DynamoDBDocumentClient,
  tableName: string,
  region: string,
  now: () => Date,
) {
  return {
    /**
     * True when `owner` holds the claim on `key` (it took it now, or had it already: a retry of the
     * same decision may deliver it again); false when another owner took it first, unless it took
     * it before `after` (then the claim was an earlier episode's, and is taken over).
     */
    async claim(key: string, owner: string, after?: string): Promise<boolean> {
      const { PutCommand } = sdk.dynamodbDocuments();
      try {
        await documents().send(
          new PutCommand({
            TableName: tableName,
            Item: {
              pk: `#claim#${region}`,
              sk: key,
              kind: CLAIM_KIND,
              owner,
              time: now().toISOString(),
              expiresAt: Math.floor(now().getTime() / 1000) + CLAIM_DAYS * 86_400,
            },
            ConditionExpression: after
              ? 'attribute_not_exists(pk) OR #owner = :owner OR #time < :after'
              : 'attribute_not_exists(pk) OR #owner = :owner',
            ExpressionAttributeNames: { '#owner': 'owner', ...(after ? { '#time': 'time' } : {}) },
            ExpressionAttributeValues: { ':owner': owner, ...(after ? { ':after': after } : {}) },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailed(error)) return false;
        throw error;
      }
    },
  };
}
