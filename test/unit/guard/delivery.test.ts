import 'aws-sdk-client-mock-jest';
import { UpdateClusterConfigCommand } from '@aws-sdk/client-eks';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { CheckRequest } from '../../../functions/core/check-request';
import { checkCluster } from '../../../functions/guard/check';
import type { GuardOptions } from '../../../functions/guard/options';
import {
  ACCOUNT,
  auditWrites,
  givenClaimTable,
  givenCluster,
  mocks,
  REGION,
  resetAws,
  testPorts,
} from '../support/aws';

const OPTIONS: GuardOptions = {
  region: REGION,
  act: true,
  recheckDeadlineMinutes: 120,
  flipFlop: { threshold: 3, windowMinutes: 60 },
};
const REQUEST: CheckRequest = {
  cluster: 'prod-api',
  region: REGION,
  account: ACCOUNT,
  correlationId: 'evt-0001',
  attempt: 0,
  trigger: { source: 'event', eventId: 'evt-0001', eventName: 'UpdateClusterConfig' },
};

beforeEach(() => {
  resetAws();
  givenCluster({ name: 'prod-api', publicAccess: true, privateAccess: false });
});

describe('delivery of an update delivered twice at once', () => {
  it('leaves one remediated record and one alert when EKS hands both copies the same update', async () => {
    // Prepare: both copies read the open cluster; EKS replays the update for the second, same token.
    givenClaimTable();
    const first = testPorts(new Date('2026-06-03T10:20:00.000Z'));
    const second = testPorts(new Date('2026-06-03T10:20:00.040Z'));

    // Act
    const results = await Promise.all([
      checkCluster(REQUEST, first, OPTIONS),
      checkCluster(REQUEST, second, OPTIONS),
    ]);

    // Assess
    expect(mocks.eks).toHaveReceivedCommandTimes(UpdateClusterConfigCommand, 2);
    expect(results.map((r) => r.outcome).sort()).toEqual(['ignored', 'remediated']);
    expect(results.find((r) => r.outcome === 'ignored')?.reason).toMatch(/claimed it first/);
    expect(auditWrites().filter((w) => w.outcome === 'remediated')).toHaveLength(1);
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('delivers a decision again as made: a retry of the same decision holds its own claim', async () => {
    // Prepare
    givenClaimTable();
    const ports = testPorts(new Date('2026-06-03T10:20:00.000Z'));
    await checkCluster(REQUEST, ports, OPTIONS);

    // Act
    const again = await checkCluster(REQUEST, ports, OPTIONS);

    // Assess
    expect(again.outcome).toBe('remediated');
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  });
});
