import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { MEMBERS_PARTITION, type MemberItem } from '../core/central';
import {
  EXPECTED_PARTITION,
  type ExpectedItem,
  MANAGEMENT_KEY,
  type ManagementItem,
} from '../core/central-coverage';
import { type NoticeChannel, noticeItem } from '../core/central-notice';
import { isConditionFailed, queryAll } from './audit-evidence';
import { type ClientSource, lazy, resolveClient, sdk } from './clients';

/** What the central table knows of the members' coverage: their heartbeats and the expected account-regions. */
export interface CentralCoverageData {
  heartbeats: MemberItem[];
  expected: ExpectedItem[];
  managementAccount?: string;
}

/**
 * The central table's own items beside the decisions: heartbeats (`member`), the expected
 * account-regions and the management account (`expected`), and the notices held back (`notice`).
 */
export function centralStore(client: ClientSource<DynamoDBClient>, tableName: string) {
  const documents = lazy(() => sdk.dynamodbDocuments().DynamoDBDocumentClient.from(resolveClient(client)));

  const partition = (pk: string) =>
    queryAll(documents(), {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    });

  return {
    async heartbeats(): Promise<MemberItem[]> {
      return (await partition(MEMBERS_PARTITION)) as unknown as MemberItem[];
    },

    async coverage(): Promise<CentralCoverageData> {
      const [heartbeats, listed] = await Promise.all([
        partition(MEMBERS_PARTITION),
        partition(EXPECTED_PARTITION),
      ]);
      const management = listed.find((item) => item.sk === MANAGEMENT_KEY) as ManagementItem | undefined;
      return {
        heartbeats: heartbeats as unknown as MemberItem[],
        expected: listed.filter((item) => item.sk !== MANAGEMENT_KEY) as unknown as ExpectedItem[],
        ...(management && { managementAccount: management.account }),
      };
    },

    async putExpected(items: readonly (ExpectedItem | ManagementItem)[]): Promise<void> {
      const { PutCommand } = sdk.dynamodbDocuments();
      for (const item of items) await documents().send(new PutCommand({ TableName: tableName, Item: item }));
    },

    /**
     * Takes the right to send a notice of `channel` about `account` now: true at most once per
     * account, channel and hour, however many callers ask at the same time (a conditional write).
     */
    async takeNotice(channel: NoticeChannel, account: string, now: Date): Promise<boolean> {
      const { PutCommand } = sdk.dynamodbDocuments();
      try {
        await documents().send(
          new PutCommand({
            TableName: tableName,
            Item: noticeItem(channel, account, now),
            ConditionExpression: 'attribute_not_exists(sk) OR #until <= :now',
            ExpressionAttributeNames: { '#until': 'until' },
            ExpressionAttributeValues: { ':now': Math.floor(now.getTime() / 1000) },
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

export type CentralStore = ReturnType<typeof centralStore>;
