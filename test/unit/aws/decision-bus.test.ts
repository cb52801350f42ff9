import 'aws-sdk-client-mock-jest';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { busRegion, DecisionBusConfigError, decisionBus } from '../../../functions/aws/decision-bus';
import { decisionEvent } from '../../../functions/core/decision-event';

const BUS = 'arn:aws:events:eu-west-1:999988887777:event-bus/eks-endpoint-guard';
const events = mockClient(EventBridgeClient);
const noWait = async () => undefined;

function entries(count: number) {
  return Array.from({ length: count }, (_, i) =>
    decisionEvent(
      { cluster: `c${i}`, outcome: 'failed' },
      { busArn: BUS, source: 'eks-endpoint-guard.us-east-1' },
    ),
  );
}

beforeEach(() => events.reset());

describe('decision bus adapter', () => {
  test('sends every entry to the bus and returns the event ids', async () => {
    // Prepare
    events
      .on(PutEventsCommand)
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-0' }, { EventId: 'e-1' }] });
    // Act
    const result = await decisionBus(new EventBridgeClient({ region: 'eu-west-1' }), noWait).send(entries(2));
    // Assess
    expect(result).toEqual({ eventIds: ['e-0', 'e-1'], failed: [] });
    expect(events).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    expect(events).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [
        expect.objectContaining({ EventBusName: BUS, DetailType: 'EKS Endpoint Guard Decision' }),
        expect.objectContaining({ Source: 'eks-endpoint-guard.us-east-1' }),
      ],
    });
  });

  test('sends only the refused entries again, and reports those refused every time', async () => {
    // Prepare: entry 0 is accepted, entry 1 throttled once then accepted, entry 2 always fails
    events
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 2,
        Entries: [
          { EventId: 'e-0' },
          { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' },
          { ErrorCode: 'InternalFailure', ErrorMessage: 'oops' },
        ],
      })
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [{ EventId: 'e-1' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'oops' }],
      })
      .resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'oops' }] });
    const sent = entries(3);
    const waits: number[] = [];
    // Act
    const result = await decisionBus(new EventBridgeClient({ region: 'eu-west-1' }), async (ms) => {
      waits.push(ms);
    }).send(sent);
    // Assess
    expect(result.eventIds).toEqual(['e-0', 'e-1']);
    expect(result.failed).toEqual([{ entry: sent[2], errorCode: 'InternalFailure', errorMessage: 'oops' }]);
    expect(events).toHaveReceivedCommandTimes(PutEventsCommand, 3);
    expect(events).toHaveReceivedNthCommandWith(3, PutEventsCommand, { Entries: [sent[2]] });
    expect(waits).toEqual([200, 400]);
  });

  test('splits more than ten entries into several calls', async () => {
    // Prepare
    events.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
      FailedEntryCount: 0,
      Entries: input.Entries.map((_, i) => ({ EventId: `e-${i}` })),
    }));
    // Act
    const result = await decisionBus(new EventBridgeClient({ region: 'eu-west-1' }), noWait).send(
      entries(12),
    );
    // Assess
    expect(result.eventIds).toHaveLength(12);
    expect(events).toHaveReceivedCommandTimes(PutEventsCommand, 2);
  });

  test('reports an entry over the size limit without sending it', async () => {
    // Prepare
    const huge = { ...entries(1)[0], Detail: 'x'.repeat(262_144) } as ReturnType<typeof decisionEvent>;
    // Act
    const result = await decisionBus(new EventBridgeClient({ region: 'eu-west-1' }), noWait).send([huge]);
    // Assess
    expect(result.failed[0]?.errorCode).toBe('EntryTooLarge');
    expect(events).toHaveReceivedCommandTimes(PutEventsCommand, 0);
  });

  test('an entry without a result is reported, not taken as sent', async () => {
    // Prepare
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    // Act
    const result = await decisionBus(new EventBridgeClient({ region: 'eu-west-1' }), noWait).send(entries(1));
    // Assess
    expect(result.eventIds).toEqual([]);
    expect(result.failed.map((f) => f.errorCode)).toEqual(['NoResult']);
  });

  test('the bus region is the region of its ARN; anything else is refused', () => {
    // Act / Assess
    expect(busRegion(BUS)).toBe('eu-west-1');
    for (const bad of [
      'eks-endpoint-guard',
      'arn:aws:sns:eu-west-1:999988887777:topic',
      'arn:aws:events::999988887777:event-bus/x',
    ]) {
      expect(() => busRegion(bad)).toThrow(DecisionBusConfigError);
    }
  });
});
