import 'aws-sdk-client-mock-jest';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { PublishCommand } from '@aws-sdk/client-sns';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CheckRequest } from '../../../functions/core/check-request';
import { checkCluster } from '../../../functions/guard/check';
import type { GuardOptions } from '../../../functions/guard/options';
import {
  ACCOUNT,
  auditWrites,
  claimsTaken,
  givenClaimTable,
  givenCluster,
  mocks,
  REGION,
  resetAws,
  testPorts,
} from '../support/aws';

const NOW = new Date('2026-06-03T10:20:00Z');
const OPTIONS: GuardOptions = {
  region: REGION,
  act: true,
  recheckDeadlineMinutes: 120,
  flipFlop: { threshold: 3, windowMinutes: 60 },
};

function sweepOf(id: string): CheckRequest {
  return {
    cluster: 'prod-api',
    region: REGION,
    account: ACCOUNT,
    correlationId: `sweep-${id}/prod-api`,
    attempt: 0,
    trigger: { source: 'sweep', eventId: id },
  };
}

beforeEach(() => {
  resetAws();
  givenClaimTable();
  // Open to the world, and exempt by its tag: an `exempt` alert on the first sighting.
  givenCluster({
    name: 'prod-api',
    publicAccess: true,
    privateAccess: false,
    tags: { 'eks-endpoint-guard/exempt': 'OPS-1' },
  });
});

describe('the first sighting of a situation', () => {
  it('is alerted once when two sweeps decide it at the same time', async () => {
    // Act: both read the same (empty) history before either wrote its record.
    const results = await Promise.all([
      checkCluster(sweepOf('a'), testPorts(NOW), OPTIONS),
      checkCluster(sweepOf('b'), testPorts(NOW), OPTIONS),
    ]);

    // Assess
    expect(results.map((r) => r.outcome)).toEqual(['exempt', 'exempt']);
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(auditWrites().filter((w) => w.outcome === 'exempt')).toHaveLength(2);
    expect(claimsTaken()[0]).toMatch(/^sighting\/us-east-1\/prod-api\/[0-9a-f]{32}$/);
  });

  it('is alerted again by a retry of the same sweep, whose first attempt may have died before alerting', async () => {
    // Act
    await checkCluster(sweepOf('a'), testPorts(NOW), OPTIONS);
    await checkCluster(sweepOf('a'), testPorts(NOW), OPTIONS);

    // Assess
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  });

  it('fails the check, alerting nothing and recording nothing, when the table cannot take the claim', async () => {
    // Prepare: decision records go in, claims are throttled (the storm found a second alert here)
    mocks.dynamodb.on(PutCommand).callsFake((input: { Item?: Record<string, unknown> }) => {
      if (input.Item?.kind === 'claim') {
        throw new ProvisionedThroughputExceededException({ message: 'throttled', $metadata: {} });
      }
      return {};
    });

    // Act
    const check = checkCluster(sweepOf('a'), testPorts(NOW), OPTIONS);

    // Assess: the check is retried later (its sweep or event fails), rather than alerting again
    await expect(check).rejects.toThrow('throttled');
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
    expect(auditWrites().filter((w) => w.outcome === 'exempt')).toEqual([]);
  });

  it('takes no claim when it only reports (check without --fix)', async () => {
    // Act
    await checkCluster(sweepOf('a'), testPorts(NOW), { ...OPTIONS, act: false });

    // Assess
    expect(claimsTaken()).toEqual([]);
  });
});
