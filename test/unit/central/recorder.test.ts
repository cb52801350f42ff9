import 'aws-sdk-client-mock-jest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { centralStore } from '../../../functions/aws/central-store';
import { recorder } from '../../../functions/central/recorder';
import { busEvent, REGIONS } from './support';

const documents = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);
const client = new DynamoDBClient({ region: 'eu-west-1' });
const TOPIC = 'arn:aws:sns:eu-west-1:222233334444:alerts';
const NOW = new Date('2026-12-01T08:01:00Z');
const decision = {
  schema: 'eks-endpoint-guard/alert@2',
  cluster: 'prod-api',
  outcome: 'failed',
  severity: 'critical',
  reason: 'r',
  time: '2026-12-01T08:00:00.000Z',
  correlationId: 'c-1',
};
const sweep = { sweptAt: '2026-12-01T08:00:00.000Z', clusters: 2, sweepSchedule: 'rate(1 hour)' };
const conditionFailed = Object.assign(new Error('condition'), { name: 'ConditionalCheckFailedException' });

function record(lines: Record<string, unknown>[] = [], now = NOW) {
  return recorder(client, 'central', {
    regions: REGIONS,
    notices: {
      store: centralStore(client, 'central'),
      sns: new SNSClient({ region: 'eu-west-1' }),
      topicArn: TOPIC,
    },
    now: () => now,
    log: (line) => lines.push(line),
  });
}

beforeEach(() => {
  documents.reset();
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

describe('central recorder', () => {
  test('writes a decision once, keyed by the source region, without overwriting, and counts it by outcome', async () => {
    // Prepare
    documents.on(PutCommand).resolves({});
    const lines: Record<string, unknown>[] = [];
    // Act
    const result = await record(lines)(busEvent('EKS Endpoint Guard Decision', decision));
    // Assess
    expect(result).toBe('written');
    expect(documents).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'central',
      Item: expect.objectContaining({ pk: '111122223333#us-east-1#prod-api', region: 'us-east-1' }),
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(lines[0]).toMatchObject({ Decisions: 1, outcome: 'failed' });
  });

  test('a redelivered decision is a duplicate, not an error', async () => {
    // Prepare
    documents.on(PutCommand).rejects(conditionFailed);
    // Act
    const result = await record()(busEvent('EKS Endpoint Guard Decision', decision));
    // Assess
    expect(result).toBe('duplicate');
  });

  test('a sweep moves the heartbeat of its own region forward only', async () => {
    // Prepare
    documents.on(PutCommand).rejectsOnce(conditionFailed).resolves({});
    const event = busEvent('EKS Endpoint Guard Sweep', sweep, { memberRegion: 'eu-west-1' });
    // Act
    const results = [await record()(event), await record()(event)];
    // Assess
    expect(results).toEqual(['duplicate', 'written']);
    expect(documents).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ sk: '111122223333#eu-west-1' }),
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
    const run = record()(busEvent('EKS Endpoint Guard Decision', decision));
    // Assess
    await expect(run).rejects.toThrow('slow');
  });

  // Issue 19, finding 1: a heartbeat with sweptAt in year 9999 kept every real one out for ever.
  test('refuses a heartbeat from the future, counts and logs it, and the real heartbeats still land', async () => {
    // Prepare
    documents.on(PutCommand).resolves({});
    const lines: Record<string, unknown>[] = [];
    // Act
    const forged = await record(lines)(
      busEvent('EKS Endpoint Guard Sweep', { ...sweep, sweptAt: '9999-01-01T00:00:00.000Z' }),
    );
    const real = await record(lines)(busEvent('EKS Endpoint Guard Sweep', sweep));
    // Assess
    expect([forged, real]).toEqual(['rejected', 'written']);
    expect(documents).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(lines[0]).toMatchObject({
      level: 'WARN',
      message: 'event refused',
      account: '111122223333',
      RefusedEvents: 1,
      reason: expect.stringContaining('ahead of the central clock'),
      _aws: {
        CloudWatchMetrics: [{ Namespace: 'EksEndpointGuard/Central', Metrics: [{ Name: 'RefusedEvents' }] }],
      },
    });
  });

  test('refuses an event whose source names no StackSet region', async () => {
    // Prepare
    const lines: Record<string, unknown>[] = [];
    // Act
    const result = await record(lines)(
      busEvent('EKS Endpoint Guard Decision', decision, { source: 'eks-endpoint-guard' }),
    );
    // Assess
    expect(result).toBe('rejected');
    expect(documents).toHaveReceivedCommandTimes(PutCommand, 0);
    expect(lines[0]).toMatchObject({ RefusedEvents: 1 });
  });

  // Issue 19, finding 1: junk decisions posted a critical notice for every event, without limit.
  test('tells the alert topic about unreadable decisions at most once per account per hour', async () => {
    // Prepare: the notice gate is a conditional write; the second one within the hour fails it
    documents
      .on(PutCommand, { Item: { pk: 'notice' } })
      .resolvesOnce({})
      .rejects(conditionFailed);
    documents.on(PutCommand, { Item: { pk: 'notice', sk: 'email#444455556666' } }).resolves({});
    const junk = (account?: string) =>
      busEvent('EKS Endpoint Guard Decision', { anything: 'at all' }, account ? { account } : {});
    // Act
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await record()(junk()));
    results.push(await record()(junk('444455556666')));
    // Assess
    expect(results).toEqual(Array(6).fill('rejected'));
    const notices = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(notices).toHaveLength(2);
    expect(notices.map((n) => n.Subject)).toEqual([
      'EKS endpoint guard: unreadable decision event from account 111122223333',
      'EKS endpoint guard: unreadable decision event from account 444455556666',
    ]);
    expect(notices[0]?.TopicArn).toBe(TOPIC);
    expect(notices[0]?.Message).toContain('region us-east-1');
    expect(documents).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: 'attribute_not_exists(sk) OR #until <= :now',
      Item: expect.objectContaining({
        pk: 'notice',
        sk: 'email#111122223333',
        until: NOW.getTime() / 1000 + 3600,
      }),
    });
  });

  test('sends no notice for a decision the e-mail rule can show', async () => {
    // Prepare
    documents.on(PutCommand).resolves({});
    // Act
    await record()(busEvent('EKS Endpoint Guard Decision', decision));
    // Assess
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
  });
});
