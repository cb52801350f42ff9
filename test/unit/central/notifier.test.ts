import 'aws-sdk-client-mock-jest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { centralStore } from '../../../functions/aws/central-store';
import { notifier } from '../../../functions/central/notifier';
import { recorder } from '../../../functions/central/recorder';
import { busEvent, REGIONS } from './support';

const sns = mockClient(SNSClient);
const documents = mockClient(DynamoDBDocumentClient);
const TOPIC = 'arn:aws:sns:eu-west-1:222233334444:chat';
const example = JSON.parse(
  readFileSync(join(__dirname, '../../../docs/alert-examples/remediated.json'), 'utf8'),
);
const dynamodb = new DynamoDBClient({ region: 'eu-west-1' });
const snsClient = new SNSClient({ region: 'eu-west-1' });
const conditionFailed = Object.assign(new Error('condition'), { name: 'ConditionalCheckFailedException' });
const NOW = new Date('2026-12-01T08:01:00Z');

const notify = (lines: Record<string, unknown>[] = []) =>
  notifier(snsClient, TOPIC, {
    regions: REGIONS,
    store: centralStore(dynamodb, 'central'),
    now: () => NOW,
    log: (line) => lines.push(line),
  });

beforeEach(() => {
  sns.reset();
  documents.reset();
  documents.on(PutCommand).resolves({});
});

describe('central chat notifier', () => {
  test('publishes the chat form of a member decision to the chat topic, whole, with attributes', async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    // Act
    const result = await notify()(busEvent('EKS Endpoint Guard Decision', example));
    // Assess
    expect(result).toBe('published');
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.TopicArn).toBe(TOPIC);
    expect(input?.MessageStructure).toBeUndefined();
    expect(JSON.parse(String(input?.Message))).toMatchObject({
      version: '1.0',
      source: 'custom',
      metadata: { eventType: 'eks-endpoint-guard-remediated' },
    });
    expect(input?.MessageAttributes?.severity).toEqual({ DataType: 'String', StringValue: 'warning' });
  });

  // Issue 19, finding 1: junk decisions posted a critical chat notice for every event, without limit.
  test('publishes an unreadable detail as the short notice at most once per account per hour, and logs each', async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    documents.on(PutCommand).resolvesOnce({}).rejects(conditionFailed);
    const lines: Record<string, unknown>[] = [];
    const junk = busEvent('EKS Endpoint Guard Decision', {
      ...example,
      schema: 'eks-endpoint-guard/alert@9',
    });
    // Act
    const results = [await notify(lines)(junk), await notify(lines)(junk), await notify(lines)(junk)];
    // Assess
    expect(results).toEqual(['published', 'held back', 'held back']);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const message = JSON.parse(String(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message));
    expect(message.metadata.eventType).toBe('eks-endpoint-guard-unreadable');
    expect(message.metadata.additionalContext.region).toBe('us-east-1');
    expect(lines.filter((l) => l.message === 'unreadable decision detail')).toHaveLength(3);
    expect(documents).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ pk: 'notice', sk: 'chat#111122223333' }),
    });
  });

  test.each([
    ['a sweep heartbeat', busEvent('EKS Endpoint Guard Sweep', { sweptAt: '2026-12-01T08:00:00.000Z' })],
    ['an event of another source', busEvent('EKS Endpoint Guard Decision', example, { source: 'evil' })],
    [
      'a region the StackSet does not deploy to',
      busEvent('EKS Endpoint Guard Decision', example, { memberRegion: 'ap-south-1' }),
    ],
    ['an envelope without an account', { ...busEvent('EKS Endpoint Guard Decision', example), account: 'x' }],
  ])('says nothing in chat about %s', async (_, input) => {
    // Prepare
    const lines: Record<string, unknown>[] = [];
    // Act
    const result = await notify(lines)(input);
    // Assess
    expect(result).toBe('rejected');
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
    expect(lines[0]).toMatchObject({ level: 'WARN', message: 'event refused' });
  });

  test('a failed publish fails the invocation (Lambda retries it), and the record is written all the same', async () => {
    // Prepare: both targets of the decision rule get the same event; chat is down
    sns.on(PublishCommand).rejects(Object.assign(new Error('throttled'), { name: 'Throttling' }));
    const decision = busEvent('EKS Endpoint Guard Decision', example);
    // Act
    const notified = notify()(decision);
    const recorded = await recorder(dynamodb, 'central', {
      regions: REGIONS,
      now: () => NOW,
      log: () => undefined,
    })(decision);
    // Assess
    await expect(notified).rejects.toThrow('throttled');
    expect(recorded).toBe('written');
    expect(documents).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'central',
      Item: expect.objectContaining({ pk: '111122223333#us-east-1#prod-api', outcome: 'remediated' }),
    });
  });
});
