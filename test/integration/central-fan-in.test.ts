import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { Template } from 'aws-cdk-lib/assertions';
import { decisionBus } from '../../functions/aws/decision-bus';
import { recorder } from '../../functions/central/recorder';
import { decisionEvent, memberEventSource, sweepEvent } from '../../functions/core/decision-event';
import { CentralStack } from '../../infra/org/central-stack';
import { newApp } from '../infra/helpers';
import { ACCOUNT, REGION, useEmulator } from './support';

/**
 * The central fan-in against the emulator: the bus and the two routing rules exactly as the
 * central stack defines them (patterns read from its template), a queue standing in for each
 * target, decision events sent by the member's adapter, and the recorder writing what arrives.
 */
const SUFFIX = `fanin-${process.pid}`;
let events: EventBridgeClient;
let sqs: SQSClient;
let dynamodb: DynamoDBClient;
let busArn: string;
let decisionsQueue: string;
let readableQueue: string;
let sweepsQueue: string;
const tableName = `central-audit-${SUFFIX}`;

/** The member's region: it sends to the central bus in the emulator's region, as members in other regions do. */
const MEMBER_REGION = 'eu-west-1';

function patterns(): { decision: unknown; readable: unknown; sweep: unknown } {
  const template = Template.fromStack(
    new CentralStack(newApp(), 'Central', {
      regions: [REGION, MEMBER_REGION],
      organizationId: 'o-a1b2c3d4e5',
    }),
  );
  const rules = Object.values(template.findResources('AWS::Events::Rule'))
    .map((r) => r.Properties.EventPattern)
    .filter((p) => p?.source?.[0]?.startsWith('eks-endpoint-guard.'));
  const find = (type: string, readable: boolean) =>
    rules.find((p) => p['detail-type'][0] === type && 'detail' in p === readable);
  return {
    decision: find('EKS Endpoint Guard Decision', false),
    readable: find('EKS Endpoint Guard Decision', true),
    sweep: find('EKS Endpoint Guard Sweep', false),
  };
}

async function queue(name: string): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: QueueUrl as string, arn: Attributes?.QueueArn as string };
}

async function drain(url: string): Promise<Record<string, unknown>[]> {
  const { Messages } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
  );
  for (const message of Messages ?? []) {
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
  }
  return (Messages ?? []).map((m) => JSON.parse(m.Body as string));
}

beforeAll(async () => {
  useEmulator();
  events = new EventBridgeClient({ region: REGION });
  sqs = new SQSClient({ region: REGION });
  dynamodb = new DynamoDBClient({ region: REGION });
  const { decision, readable, sweep } = patterns();
  const bus = await events.send(new CreateEventBusCommand({ Name: `eks-endpoint-guard-${SUFFIX}` }));
  busArn = bus.EventBusArn as string;
  const decisions = await queue(`central-decisions-${SUFFIX}`);
  const readables = await queue(`central-readable-${SUFFIX}`);
  const sweeps = await queue(`central-sweeps-${SUFFIX}`);
  decisionsQueue = decisions.url;
  readableQueue = readables.url;
  sweepsQueue = sweeps.url;
  for (const [name, pattern, target] of [
    ['decisions', decision, decisions.arn],
    ['readable', readable, readables.arn],
    ['sweeps', sweep, sweeps.arn],
  ] as const) {
    await events.send(
      new PutRuleCommand({
        Name: `${name}-${SUFFIX}`,
        EventBusName: busArn,
        EventPattern: JSON.stringify(pattern),
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: `${name}-${SUFFIX}`,
        EventBusName: busArn,
        Targets: [{ Id: name, Arn: target }],
      }),
    );
  }
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
}, 180_000);

const alert = {
  schema: 'eks-endpoint-guard/alert@2',
  outcome: 'remediated',
  severity: 'warning',
  cluster: 'prod-api',
  clusterArn: `arn:aws:eks:${MEMBER_REGION}:${ACCOUNT}:cluster/prod-api`,
  region: MEMBER_REGION,
  account: ACCOUNT,
  reason: 'public endpoint turned off',
  correlationId: 'c-fan-in',
  time: '2026-12-01T08:00:00.000Z',
};
const member = () => ({ busArn, source: memberEventSource(MEMBER_REGION) });

/**
 * Emulator gap (moto 5.2.1): a delivered event has no `account` field; the assertions below do not
 * rely on it and the recorder test adds it the way EventBridge does. As EventBridge does, the
 * emulator stamps the bus's region on the envelope: the member's region travels in the source.
 */
describe('central fan-in against the emulator', () => {
  test('a decision sent by a member of another region is routed with the bus region on the envelope, its own in the source', async () => {
    // Act
    const sent = await decisionBus(events).send([decisionEvent(alert, member())]);
    const routed = await drain(decisionsQueue);
    // Assess
    expect(sent.failed).toEqual([]);
    expect(sent.eventIds).toHaveLength(1);
    expect(routed).toHaveLength(1);
    expect(routed[0]).toMatchObject({
      source: 'eks-endpoint-guard.eu-west-1',
      'detail-type': 'EKS Endpoint Guard Decision',
      region: REGION,
      resources: [alert.clusterArn],
      detail: alert,
    });
    expect(await drain(readableQueue)).toHaveLength(1);
    expect(await drain(sweepsQueue)).toEqual([]);
  });

  test('a sweep heartbeat goes to the sweep target only', async () => {
    // Act
    await decisionBus(events).send([
      sweepEvent(
        { sweptAt: '2026-12-01T08:00:00.000Z', clusters: 3, sweepSchedule: 'rate(1 hour)' },
        member(),
      ),
    ]);
    // Assess
    const sweeps = await drain(sweepsQueue);
    expect(sweeps.map((e) => e['detail-type'])).toEqual(['EKS Endpoint Guard Sweep']);
    expect(await drain(decisionsQueue)).toEqual([]);
  });

  test('a decision the e-mail cannot show reaches the recorder but not the alert topic', async () => {
    // Act
    await decisionBus(events).send([decisionEvent({ anything: 'at all' }, member())]);
    // Assess
    expect(await drain(decisionsQueue)).toHaveLength(1);
    expect(await drain(readableQueue)).toEqual([]);
  });

  test.each([
    ['another source', 'someone.else'],
    ['the source without a region', 'eks-endpoint-guard'],
    ['a region the StackSet does not deploy to', 'eks-endpoint-guard.ap-south-1'],
  ])('an event from %s is not routed', async (_, source) => {
    // Act
    await events.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: busArn, Source: source, DetailType: 'EKS Endpoint Guard Decision', Detail: '{}' },
        ],
      }),
    );
    // Assess
    expect(await drain(decisionsQueue)).toEqual([]);
  });

  test('the recorder writes a routed decision under its account and the region its source names', async () => {
    // Prepare
    await decisionBus(events).send([decisionEvent({ ...alert, correlationId: 'c-recorded' }, member())]);
    const [routed] = await drain(decisionsQueue);
    await drain(readableQueue);
    const record = recorder(dynamodb, tableName, { regions: [REGION, MEMBER_REGION], log: () => undefined });
    // Act: the emulator leaves `account` out of the delivered envelope; EventBridge sets it from the
    // sender's credentials, and the recorder refuses an envelope without it.
    const withoutAccount = await record(routed);
    const result = await record({ ...routed, account: ACCOUNT });
    // Assess
    expect(withoutAccount).toBe('rejected');
    expect(result).toBe('written');
    const { Item } = await DynamoDBDocumentClient.from(dynamodb).send(
      new GetCommand({
        TableName: tableName,
        Key: {
          pk: `${ACCOUNT}#${MEMBER_REGION}#prod-api`,
          sk: '2026-12-01T08:00:00.000Z#c-recorded#remediated',
        },
      }),
    );
    expect(Item).toMatchObject({
      account: ACCOUNT,
      region: MEMBER_REGION,
      cluster: 'prod-api',
      outcome: 'remediated',
    });
  });
});
