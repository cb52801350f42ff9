import 'aws-sdk-client-mock-jest';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { CLAIM_DAYS, CLAIM_KIND } from '../../../functions/aws/audit-claims';
import { mocks, REGION, resetAws, testPorts } from '../support/aws';

const NOW = new Date('2026-06-03T10:20:00Z');

beforeEach(() => resetAws());

describe('audit claims', () => {
  it('take a claim with a conditional put that only its owner may repeat', async () => {
    // Act
    const mine = await testPorts(NOW).audit.claim('update/us-east-1/prod-api/upd-1', 'evt-1@t');

    // Assess
    expect(mine).toBe(true);
    expect(mocks.dynamodb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'eks-endpoint-guard-audit',
      Item: {
        pk: `#claim#${REGION}`,
        sk: 'update/us-east-1/prod-api/upd-1',
        kind: CLAIM_KIND,
        owner: 'evt-1@t',
        time: NOW.toISOString(),
        expiresAt: Math.floor(NOW.getTime() / 1000) + CLAIM_DAYS * 86_400,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR #owner = :owner',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':owner': 'evt-1@t' },
    });
  });

  it("take over, with `after`, a claim another owner took before that time (an earlier episode's)", async () => {
    // Act
    const mine = await testPorts(NOW).audit.claim(
      'sighting/us-east-1/prod-api/0a',
      'sweep-b/prod-api',
      '2026-06-03T10:00:00.000Z',
    );

    // Assess
    expect(mine).toBe(true);
    expect(mocks.dynamodb).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: 'attribute_not_exists(pk) OR #owner = :owner OR #time < :after',
      ExpressionAttributeNames: { '#owner': 'owner', '#time': 'time' },
      ExpressionAttributeValues: { ':owner': 'sweep-b/prod-api', ':after': '2026-06-03T10:00:00.000Z' },
    });
  });

  it('say so when another owner took the claim first', async () => {
    // Prepare
    mocks.dynamodb
      .on(PutCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }),
      );

    // Act
    const mine = await testPorts(NOW).audit.claim('update/us-east-1/prod-api/upd-1', 'evt-2@t');

    // Assess
    expect(mine).toBe(false);
  });

  it('pass any other failure on', async () => {
    // Prepare
    mocks.dynamodb
      .on(PutCommand)
      .rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));

    // Act
    const claim = testPorts(NOW).audit.claim('resolved/us-east-1/prod-api/t', 'evt-1');

    // Assess
    await expect(claim).rejects.toThrow('throttled');
  });
});
