import 'aws-sdk-client-mock-jest';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { ThrottlingException } from '@aws-sdk/client-eks';
import { cloudTrailLookup, endpointChangeOf, takeToken } from '../../../functions/aws/cloudtrail';
import { GUARD_TOKEN_PREFIX } from '../../../functions/core/triggers/normalise';
import { GUARD_ROLE_ARN, mocks, resetAws } from '../support/aws';

const NOW = Date.parse('2026-12-01T09:00:00Z');
const SINCE = new Date(NOW - 90 * 86_400_000);
const JDOE = 'arn:aws:sts::123456789012:assumed-role/PlatformAdmin/jdoe';

function event(overrides: Record<string, unknown> = {}, params: Record<string, unknown> = {}) {
  const detail = {
    eventVersion: '1.09',
    eventSource: 'eks.amazonaws.com',
    eventName: 'UpdateClusterConfig',
    eventTime: '2026-11-30T10:00:00Z',
    eventID: 'evt-1',
    userIdentity: { type: 'AssumedRole', arn: JDOE },
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.17.0',
    requestParameters: {
      name: 'prod-api',
      resourcesVpcConfig: { endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
      ...params,
    },
    ...overrides,
  };
  return {
    EventId: String(detail.eventID),
    EventName: String(detail.eventName),
    CloudTrailEvent: JSON.stringify(detail),
  };
}

/** A fake clock: a sleep started at t ends at t + ms (concurrent sleeps overlap, as timers do). */
function fakeTime() {
  let now = NOW;
  const sleeps: number[] = [];
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      const until = now + ms;
      await Promise.resolve();
      now = Math.max(now, until);
    },
    sleeps,
  };
}

function adapter(time = fakeTime()) {
  return cloudTrailLookup(new CloudTrailClient({ region: 'us-east-1' }), {
    guardRoleArn: GUARD_ROLE_ARN,
    clock: time.clock,
    sleep: time.sleep,
  });
}

beforeEach(() => resetAws());

describe('the latest endpoint change from CloudTrail', () => {
  it('asks by resource name over 90 days and skips events that changed no endpoint field', async () => {
    // Prepare
    mocks.cloudtrail.on(LookupEventsCommand).resolves({
      Events: [
        event({ eventID: 'evt-logging' }, { resourcesVpcConfig: undefined, logging: { clusterLogging: [] } }),
        event({ eventID: 'evt-failed', errorCode: 'AccessDeniedException' }),
        event({ eventID: 'evt-other' }, { name: 'prod-api-2' }),
        event({ eventID: 'evt-nodegroup', eventName: 'UpdateNodegroupConfig' }),
        { EventId: 'broken', CloudTrailEvent: '{not json' },
        event({ eventID: 'evt-endpoint' }),
      ],
    });

    // Act
    const change = await adapter().latestEndpointChange('prod-api', SINCE);

    // Assess
    expect(change).toEqual({
      eventId: 'evt-endpoint',
      eventName: 'UpdateClusterConfig',
      eventTime: '2026-11-30T10:00:00.000Z',
      actorArn: JDOE,
      sourceIp: '198.51.100.7',
      userAgent: 'aws-cli/2.17.0',
      byGuard: false,
    });
    expect(mocks.cloudtrail).toHaveReceivedCommandWith(LookupEventsCommand, {
      LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: 'prod-api' }],
      StartTime: SINCE,
      MaxResults: 50,
    });
  });

  it('counts a CreateCluster, with or without endpoint fields, and follows the pages', async () => {
    // Prepare
    mocks.cloudtrail
      .on(LookupEventsCommand)
      .resolvesOnce({
        Events: [event({ eventID: 'evt-logging' }, { resourcesVpcConfig: {} })],
        NextToken: 'p2',
      })
      .resolvesOnce({
        Events: [
          event(
            { eventID: 'evt-create', eventName: 'CreateCluster' },
            { resourcesVpcConfig: { subnetIds: ['s'] } },
          ),
        ],
      });

    // Act
    const change = await adapter().latestEndpointChange('prod-api', SINCE);

    // Assess
    expect(change).toMatchObject({ eventId: 'evt-create', eventName: 'CreateCluster' });
    expect(mocks.cloudtrail.commandCalls(LookupEventsCommand)[1]?.args[0].input.NextToken).toBe('p2');
  });

  it('marks the guard’s own update by a session of its role (with its token), never by the token alone', () => {
    // Act
    const byToken = endpointChangeOf(
      JSON.stringify(
        JSON.parse(event({}, { clientRequestToken: `${GUARD_TOKEN_PREFIX}abc` }).CloudTrailEvent),
      ),
      'prod-api',
    );
    const byRole = endpointChangeOf(
      event(
        {
          userIdentity: {
            type: 'AssumedRole',
            arn: 'arn:aws:sts::123456789012:assumed-role/eks-endpoint-guard-remediator/session',
            sessionContext: { sessionIssuer: { arn: GUARD_ROLE_ARN } },
          },
        },
        { clientRequestToken: `${GUARD_TOKEN_PREFIX}abc` },
      ).CloudTrailEvent,
      'prod-api',
      GUARD_ROLE_ARN,
    );

    // Assess
    // Anyone may choose the token: without the guard's identity it proves nothing.
    expect(byToken?.byGuard).toBe(false);
    expect(byRole?.byGuard).toBe(true);
  });

  it('finds nothing in an empty history, and stops after five pages', async () => {
    // Prepare
    mocks.cloudtrail.on(LookupEventsCommand).resolves({ Events: [], NextToken: 'more' });

    // Act
    const change = await adapter().latestEndpointChange('prod-api', SINCE);

    // Assess
    expect(change).toBeUndefined();
    expect(mocks.cloudtrail).toHaveReceivedCommandTimes(LookupEventsCommand, 5);
  });

  it('bounds every text it takes from an event', () => {
    // Act
    const change = endpointChangeOf(event({ userAgent: 'x'.repeat(10_000) }).CloudTrailEvent, 'prod-api');

    // Assess
    expect(change?.userAgent).toHaveLength(2048);
  });
});

describe('throttling', () => {
  it('retries a ThrottlingException with back-off, then gives up', async () => {
    // Prepare
    const throttled = () => new ThrottlingException({ message: 'Rate exceeded', $metadata: {} });
    mocks.cloudtrail
      .on(LookupEventsCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolves({ Events: [event()] });
    const time = fakeTime();

    // Act
    const change = await adapter(time).latestEndpointChange('prod-api', SINCE);

    // Assess
    expect(change?.eventId).toBe('evt-1');
    expect(time.sleeps.filter((ms) => ms >= 1000)).toEqual([1000, 2000]);
  });

  it('gives up on a throttling that does not end', async () => {
    // Prepare
    mocks.cloudtrail
      .on(LookupEventsCommand)
      .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));

    // Act
    const lookup = adapter().latestEndpointChange('prod-api', SINCE);

    // Assess
    await expect(lookup).rejects.toThrow('Rate exceeded');
    expect(mocks.cloudtrail).toHaveReceivedCommandTimes(LookupEventsCommand, 5);
  });

  it('keeps concurrent lookups to two calls a second', async () => {
    // Prepare
    mocks.cloudtrail.on(LookupEventsCommand).resolves({ Events: [event()] });
    const time = fakeTime();
    const calls: number[] = [];
    mocks.cloudtrail.on(LookupEventsCommand).callsFake(() => {
      calls.push(time.clock());
      return { Events: [event()] };
    });
    const port = adapter(time);

    // Act
    await Promise.all(Array.from({ length: 6 }, () => port.latestEndpointChange('prod-api', SINCE)));

    // Assess
    expect(calls).toHaveLength(6);
    for (let i = 2; i < calls.length; i++) {
      expect((calls[i] ?? 0) - (calls[i - 2] ?? 0)).toBeGreaterThanOrEqual(1000);
    }
  });

  it('takeToken refills at the rate up to the capacity', () => {
    // Act
    const a = takeToken({ tokens: 1, updatedAt: 0 }, 0);
    const b = takeToken(a.bucket, 0);
    const c = takeToken(b.bucket, 500);
    const d = takeToken({ tokens: 0, updatedAt: 0 }, 60_000, 2, 3);

    // Assess
    expect([a.waitMs, b.waitMs, c.waitMs]).toEqual([0, 500, 0]);
    expect(d.bucket.tokens).toBe(2);
  });
});

describe('the answer cache', () => {
  it('reuses a cluster’s answer for five minutes, then asks again', async () => {
    // Prepare
    mocks.cloudtrail.on(LookupEventsCommand).resolves({ Events: [] });
    const time = fakeTime();
    const port = adapter(time);

    // Act
    await port.latestEndpointChange('prod-api', SINCE);
    await port.latestEndpointChange('prod-api', SINCE);
    await time.sleep(300_000);
    await port.latestEndpointChange('prod-api', SINCE);

    // Assess
    expect(mocks.cloudtrail).toHaveReceivedCommandTimes(LookupEventsCommand, 2);
  });
});
