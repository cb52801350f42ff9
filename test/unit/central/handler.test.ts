import 'aws-sdk-client-mock-jest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { recorder, watchdog } from '../../../functions/central/handler';

const documents = mockClient(DynamoDBDocumentClient);
const client = new DynamoDBClient({ region: 'eu-west-1' });
const event = (detailType: string, detail: Record<string, unknown>) => ({
  account: '111122223333',
  region: 'us-east-1',
  source: 'eks-endpoint-guard',
  'detail-type': detailType,
  detail,
});
const decision = {
  cluster: 'prod-api',
  outcome: 'failed',
  time: '2026-12-01T08:00:00.000Z',
  correlationId: 'c-1',
};
const conditionFailed = Object.assign(new Error('condition'), { name: 'ConditionalCheckFailedException' });

beforeEach(() => documents.reset());

describe('central recorder', () => {
  test('writes a decision once, without overwriting, and counts it by outcome', async () => {
    // Prepare
    documents.on(PutCommand).resolves({});
    const lines: Record<string, unknown>[] = [];
    // Act
    const result = await recorder(client, 'central', (line) => lines.push(line))(
      event('EKS Endpoint Guard Decision', decision),
    );
    // Assess
    expect(result).toBe('written');
    expect(documents).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'central',
      Item: expect.objectContaining({ pk: '111122223333#us-east-1#prod-api' }),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(lines[0]).toMatchObject({ Decisions: 1, outcome: 'failed' });
  });

  test('a redelivered decision is a duplicate, not an error', async () => {
    // Prepare
    documents.on(PutCommand).rejects(conditionFailed);
    // Act
    const result = await recorder(
      client,
      'central',
      () => undefined,
    )(event('EKS Endpoint Guard Decision', decision));
    // Assess
    expect(result).toBe('duplicate');
  });

  test('a sweep moves the heartbeat forward only', async () => {
    // Prepare
    documents.on(PutCommand).rejectsOnce(conditionFailed).resolves({});
    const sweep = event('EKS Endpoint Guard Sweep', {
      sweptAt: '2026-12-01T08:00:00.000Z',
      clusters: 2,
      sweepSchedule: 'rate(1 hour)',
    });
    const record = recorder(client, 'central', () => undefined);
    // Act
    const results = [await record(sweep), await record(sweep)];
    // Assess
    expect(results).toEqual(['duplicate', 'written']);
    expect(documents).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: 'attribute_not_exists(lastSweepAt) OR lastSweepAt < :at',
      ExpressionAttributeValues: { ':at': '2026-12-01T08:00:00.000Z' },
    });
  });

  test('other write faults fail the invocation, so that EventBridge retries', async () => {
    // Prepare
    documents
      .on(PutCommand)
      .rejects(Object.assign(new Error('slow'), { name: 'ProvisionedThroughputExceededException' }));
    // Act
    const run = recorder(client, 'central', () => undefined)(event('EKS Endpoint Guard Decision', decision));
    // Assess
    await expect(run).rejects.toThrow('slow');
  });

  test('an unreadable event is refused and logged, nothing written', async () => {
    // Prepare
    const lines: Record<string, unknown>[] = [];
    // Act
    const result = await recorder(client, 'central', (line) => lines.push(line))({ source: 'someone' });
    // Assess
    expect(result).toBe('rejected');
    expect(documents).toHaveReceivedCommandTimes(PutCommand, 0);
    expect(lines[0]).toMatchObject({ level: 'WARN', message: 'event refused' });
  });
});

describe('central watchdog', () => {
  test('reads every member page and emits the number of stale members', async () => {
    // Prepare
    const member = (sk: string, lastSweepAt: string) => ({
      pk: 'member',
      sk,
      account: sk.slice(0, 12),
      region: sk.slice(13),
      lastSweepAt,
      sweepSchedule: 'rate(1 hour)',
      clusters: 1,
    });
    documents
      .on(QueryCommand)
      .resolvesOnce({
        Items: [member('111122223333#us-east-1', '2026-12-01T09:30:00Z')],
        LastEvaluatedKey: { pk: 'member' },
      })
      .resolves({ Items: [member('444455556666#eu-west-1', '2026-12-01T01:00:00Z')] });
    const lines: Record<string, unknown>[] = [];
    // Act
    const result = await watchdog(
      client,
      'central',
      () => new Date('2026-12-01T10:00:00Z'),
      (line) => lines.push(line),
    )();
    // Assess
    expect(result).toEqual({ members: 2, stale: 1 });
    expect(documents).toHaveReceivedCommandTimes(QueryCommand, 2);
    expect(lines[0]).toMatchObject({
      StaleMembers: 1,
      stale: [expect.objectContaining({ account: '444455556666', region: 'eu-west-1' })],
      _aws: {
        CloudWatchMetrics: [{ Namespace: 'EksEndpointGuard/Central', Metrics: [{ Name: 'StaleMembers' }] }],
      },
    });
  });
});

describe('central Lambda entry points', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('record and watch read the table from the environment', async () => {
    // Prepare
    process.env.CENTRAL_AUDIT_TABLE_NAME = 'central-from-env';
    process.env.AWS_REGION = 'eu-west-1';
    documents.on(PutCommand).resolves({});
    documents.on(QueryCommand).resolves({ Items: [] });
    const { record, watch } = await import('../../../functions/central/handler');
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      // Act
      const written = await record(event('EKS Endpoint Guard Decision', decision));
      const watched = await watch();
      // Assess
      expect(written).toBe('written');
      expect(watched).toEqual({ members: 0, stale: 0 });
      expect(documents).toHaveReceivedCommandWith(PutCommand, { TableName: 'central-from-env' });
      expect(JSON.parse(String(log.mock.calls.at(-1)?.[0]))).toMatchObject({ StaleMembers: 0 });
    } finally {
      log.mockRestore();
    }
  });
});
