import 'aws-sdk-client-mock-jest';
import { ListClustersCommand } from '@aws-sdk/client-eks';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { busClient } from '../../../functions/aws/decision-bus';
import { renderJson } from '../../../functions/core/alert/json';
import {
  DECISION_EVENT_MESSAGE_KIND,
  decisionEventMessage,
} from '../../../functions/core/decision-event-message';
import { forwardDecision } from '../../../functions/guard/decision-events';
import { processEvent } from '../../../functions/guard/process-event';
import { sampleFacts, schemaErrors } from '../core/alert/support';
import {
  GUARD_SENDER,
  givenCluster,
  lastAlert,
  loadEvent,
  mocks,
  processOptions,
  resetAws,
  testConfig,
  testPorts,
} from '../support/aws';

const BUS = 'arn:aws:events:eu-west-1:222233334444:event-bus/eks-endpoint-guard';
const events = mockClient(EventBridgeClient);
const config = testConfig({ DECISION_BUS_ARN: BUS, SWEEP_SCHEDULE: 'rate(30 minutes)' });
const NOW = new Date('2026-06-03T10:20:00Z');

beforeEach(() => {
  resetAws();
  events.reset();
  events.on(PutEventsCommand).resolves({ Entries: [{ EventId: 'evt-1' }], FailedEntryCount: 0 });
});

const sentEntries = () => events.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries ?? []);
const queuedBodies = () =>
  mocks.sqs.commandCalls(SendMessageCommand).map((c) => JSON.parse(c.args[0].input.MessageBody ?? '{}'));

function queueRecord(body: string, senderId = GUARD_SENDER): unknown {
  return {
    Records: [
      {
        messageId: 'msg-evt-1',
        eventSource: 'aws:sqs',
        body,
        receiptHandle: 'AQEBtest-handle',
        attributes: { SenderId: senderId, ApproximateReceiveCount: '1' },
      },
    ],
  };
}

describe('decision events to the central bus', () => {
  test('an alerted decision is sent as an "EKS Endpoint Guard Decision" whose detail is the alert JSON', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });
    // Act
    const response = await processEvent(
      loadEvent('update-config-open-world.json'),
      testPorts(NOW, config),
      processOptions(config),
    );
    // Assess
    expect(response.results[0]?.outcome).toBe('remediated');
    const [entry] = sentEntries();
    expect(entry).toMatchObject({
      EventBusName: BUS,
      // The member's region in the source: the central bus's envelope carries the bus's region.
      Source: 'eks-endpoint-guard.us-east-1',
      DetailType: 'EKS Endpoint Guard Decision',
      Resources: ['arn:aws:eks:us-east-1:123456789012:cluster/prod-api'],
    });
    expect(JSON.parse(entry?.Detail ?? '{}')).toEqual(lastAlert().json);
  });

  test('the detail of an alert@2 JSON form is valid against docs/alert.schema.json', async () => {
    // Prepare
    const alert = renderJson(sampleFacts('blocked'));
    // Act
    await forwardDecision(alert, testPorts(NOW, config));
    // Assess
    const [entry] = sentEntries();
    expect(schemaErrors(JSON.parse(entry?.Detail ?? '{}'))).toEqual([]);
    expect(JSON.parse(entry?.Detail ?? '{}')).toEqual(alert);
  });

  test('the client is in the bus region, not the guard region', async () => {
    // Act
    const region = await busClient(BUS)().config.region();
    // Assess
    expect(region).toBe('eu-west-1');
  });

  test('without DECISION_BUS_ARN nothing is sent', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });
    // Act
    await processEvent(loadEvent('update-config-open-world.json'), testPorts(NOW), processOptions());
    // Assess
    expect(events).not.toHaveReceivedCommand(PutEventsCommand);
    expect(mocks.sns).toHaveReceivedCommand(PublishCommand);
  });

  test.each([
    [
      'refuses the entry every time',
      () =>
        events.on(PutEventsCommand).resolves({
          FailedEntryCount: 1,
          Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }],
        }),
    ],
    ['cannot be reached', () => events.on(PutEventsCommand).rejects(new Error('connect ETIMEDOUT'))],
  ])('a bus that %s never fails the decision: the entry is queued on the recheck queue', async (_, fault) => {
    // Prepare
    givenCluster({ name: 'prod-api' });
    fault();
    // Act
    const response = await processEvent(
      loadEvent('update-config-open-world.json'),
      testPorts(NOW, config),
      processOptions(config),
    );
    // Assess
    expect(response.results[0]).toMatchObject({ outcome: 'remediated' });
    expect(response.results[0]?.alertMessageId).toBe('msg-0001');
    const [queued] = queuedBodies().filter((b) => b.kind === DECISION_EVENT_MESSAGE_KIND);
    expect(queued).toMatchObject({ version: 1, event: { detailType: 'EKS Endpoint Guard Decision' } });
    expect(JSON.parse(queued.event.detail)).toEqual(lastAlert().json);
    expect(queued.event).not.toHaveProperty('EventBusName');
  });

  test('an entry neither the bus nor the queue takes is reported as lost, and the call still succeeds', async () => {
    // Prepare
    events.on(PutEventsCommand).rejects(new Error('connect ETIMEDOUT'));
    mocks.sqs.on(SendMessageCommand).rejects(new Error('queue unavailable'));
    const lost: string[] = [];
    // Act
    await forwardDecision({ cluster: 'prod-api' }, testPorts(NOW, config), {
      decisionEventLost: (detailType) => lost.push(detailType),
    });
    // Assess
    expect(lost).toEqual(['EKS Endpoint Guard Decision']);
  });

  test('each sweep of the region sends one heartbeat naming the schedule and the clusters checked', async () => {
    // Prepare
    mocks.eks.on(ListClustersCommand).resolves({ clusters: ['a', 'b'] });
    givenCluster({ name: 'a', publicAccess: false, privateAccess: true });
    givenCluster({ name: 'b', publicAccess: false, privateAccess: true });
    // Act
    await processEvent(loadEvent('scheduled-sweep.json'), testPorts(NOW, config), processOptions(config));
    // Assess
    const heartbeats = sentEntries().filter((e) => e.DetailType === 'EKS Endpoint Guard Sweep');
    expect(heartbeats).toHaveLength(1);
    expect(JSON.parse(heartbeats[0]?.Detail ?? '{}')).toEqual({
      schema: 'eks-endpoint-guard/sweep@1',
      sweptAt: NOW.toISOString(),
      clusters: 2,
      sweepSchedule: 'rate(30 minutes)',
    });
  });
});

describe('queued decision events', () => {
  const entry = {
    EventBusName: 'arn:aws:events:eu-west-1:999999999999:event-bus/elsewhere',
    Source: 'someone-else',
    DetailType: 'EKS Endpoint Guard Decision',
    Detail: JSON.stringify({ cluster: 'prod-api', outcome: 'remediated' }),
    Resources: ['arn:aws:eks:us-east-1:123456789012:cluster/prod-api'],
  };

  test("the guard's own message is sent again to the configured bus, as the guard's source", async () => {
    // Prepare
    const message = JSON.parse(decisionEventMessage(entry));
    message.event.EventBusName = entry.EventBusName;
    // Act
    const response = await processEvent(
      queueRecord(JSON.stringify(message)),
      testPorts(NOW, config),
      processOptions(config),
    );
    // Assess
    expect(response).toEqual({ results: [], batchItemFailures: [] });
    expect(sentEntries()).toEqual([{ ...entry, EventBusName: BUS, Source: 'eks-endpoint-guard.us-east-1' }]);
  });

  test('refused again, the message is left on the queue', async () => {
    // Prepare
    events
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    // Act
    const response = await processEvent(
      queueRecord(decisionEventMessage(entry)),
      testPorts(NOW, config),
      processOptions(config),
    );
    // Assess
    expect(response).toEqual({ results: [], batchItemFailures: [{ itemIdentifier: 'msg-evt-1' }] });
  });

  test.each([
    ['the SenderId of another role', decisionEventMessage(entry), 'AROAOTHERROLE0000001:someone'],
    [
      'an unknown detail type',
      decisionEventMessage({ ...entry, DetailType: 'Something Else' }),
      GUARD_SENDER,
    ],
    ['a detail that is not JSON', decisionEventMessage({ ...entry, Detail: 'not json' }), GUARD_SENDER],
  ])(
    'a queued event with %s is not sent: it is a failure to decide, alerted as such',
    async (_, body, sender) => {
      // Act
      const response = await processEvent(
        queueRecord(body, sender),
        testPorts(NOW, config),
        processOptions(config),
      );
      // Assess
      expect(response.results).toEqual([expect.objectContaining({ outcome: 'failed', cluster: '-' })]);
      const details = sentEntries().map((e) => JSON.parse(e.Detail ?? '{}'));
      expect(details).toEqual([expect.objectContaining({ outcome: 'failed', cluster: '-' })]);
    },
  );
});
