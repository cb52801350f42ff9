import 'aws-sdk-client-mock-jest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { notifier, recorder } from '../../../functions/central/handler';

const sns = mockClient(SNSClient);
const documents = mockClient(DynamoDBDocumentClient);
const TOPIC = 'arn:aws:sns:eu-west-1:222233334444:chat';
const example = JSON.parse(
  readFileSync(join(__dirname, '../../../docs/alert-examples/remediated.json'), 'utf8'),
);
const event = (detailType: string, detail: unknown) => ({
  account: '111122223333',
  region: 'eu-west-1',
  source: 'eks-endpoint-guard',
  'detail-type': detailType,
  detail,
});
const snsClient = new SNSClient({ region: 'eu-west-1' });

beforeEach(() => {
  sns.reset();
  documents.reset();
});

describe('central chat notifier', () => {
  test('publishes the chat form of a member decision to the chat topic, whole, with attributes', async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    // Act
    const result = await notifier(
      snsClient,
      TOPIC,
      () => undefined,
    )(event('EKS Endpoint Guard Decision', example));
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

  test('publishes an unreadable detail as the short notice and logs why', async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const lines: Record<string, unknown>[] = [];
    // Act
    const result = await notifier(snsClient, TOPIC, (line) => lines.push(line))(
      event('EKS Endpoint Guard Decision', { ...example, schema: 'eks-endpoint-guard/alert@9' }),
    );
    // Assess
    expect(result).toBe('published');
    const message = JSON.parse(String(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message));
    expect(message.metadata.eventType).toBe('eks-endpoint-guard-unreadable');
    expect(lines).toEqual([
      { level: 'WARN', message: 'unreadable decision detail', reason: expect.stringMatching(/^schema/) },
    ]);
  });

  test.each([
    ['a sweep heartbeat', event('EKS Endpoint Guard Sweep', { sweptAt: '2026-12-01T08:00:00.000Z' })],
    ['an event of another source', { ...event('EKS Endpoint Guard Decision', example), source: 'evil' }],
    ['an envelope without an account', { ...event('EKS Endpoint Guard Decision', example), account: 'x' }],
  ])('says nothing in chat about %s', async (_, input) => {
    // Prepare
    const lines: Record<string, unknown>[] = [];
    // Act
    const result = await notifier(snsClient, TOPIC, (line) => lines.push(line))(input);
    // Assess
    expect(result).toBe('rejected');
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
    expect(lines[0]).toMatchObject({ level: 'WARN', message: 'event refused' });
  });

  test('a failed publish fails the invocation (Lambda retries it), and the record is written all the same', async () => {
    // Prepare: both targets of the decision rule get the same event; chat is down
    sns.on(PublishCommand).rejects(Object.assign(new Error('throttled'), { name: 'Throttling' }));
    documents.on(PutCommand).resolves({});
    const decision = event('EKS Endpoint Guard Decision', example);
    // Act
    const notified = notifier(snsClient, TOPIC, () => undefined)(decision);
    const recorded = await recorder(
      new DynamoDBClient({ region: 'eu-west-1' }),
      'central',
      () => undefined,
    )(decision);
    // Assess
    await expect(notified).rejects.toThrow('throttled');
    expect(recorded).toBe('written');
    expect(documents).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'central',
      Item: expect.objectContaining({ pk: '111122223333#eu-west-1#prod-api', outcome: 'remediated' }),
    });
  });
});

describe('central notify entry point', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('reads the chat topic from the environment', async () => {
    // Prepare
    process.env.CENTRAL_AUDIT_TABLE_NAME = 'central';
    process.env.AWS_REGION = 'eu-west-1';
    process.env.CENTRAL_CHAT_TOPIC_ARN = TOPIC;
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const { notify } = await import('../../../functions/central/handler');
    // Act
    const result = await notify(event('EKS Endpoint Guard Decision', example));
    // Assess
    expect(result).toBe('published');
    expect(sns).toHaveReceivedCommandWith(PublishCommand, { TopicArn: TOPIC });
  });
});
