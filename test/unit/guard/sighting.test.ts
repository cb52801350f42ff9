import 'aws-sdk-client-mock-jest';
import { PublishCommand } from '@aws-sdk/client-sns';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CheckRequest } from '../../../functions/core/check-request';
import { checkCluster } from '../../../functions/guard/check';
import type { GuardOptions } from '../../../functions/guard/options';
import {
  ACCOUNT,
  auditWrites,
  claimsTaken,
  givenClaimsThrottled,
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

/** A record of the cluster as the audit table holds it; `alerted` when people were told of it. */
function historyItem(outcome: string, time: string, alerted: boolean) {
  return {
    pk: `${REGION}#prod-api`,
    sk: `${time}#x`,
    cluster: 'prod-api',
    region: REGION,
    outcome,
    reason: 'r',
    time,
    correlationId: `evt-${time}`,
    trigger: { source: 'event' },
    attempt: 0,
    ...(alerted ? { alertMessageId: `msg-${time}` } : {}),
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

  it('is alerted once by two decisions that read the history a moment apart (the storm found two)', async () => {
    // Prepare: the first read the history before a remediation of the cluster was recorded, the
    // second after it; each finds another previous sighting for the same situation
    const compliant = historyItem('compliant', '2026-06-03T10:00:00.000Z', false);
    const remediated = historyItem('remediated', '2026-06-03T10:10:00.000Z', true);
    mocks.dynamodb
      .on(QueryCommand)
      .resolvesOnce({ Items: [compliant] })
      .resolvesOnce({ Items: [remediated, compliant] });

    // Act
    await checkCluster(sweepOf('a'), testPorts(NOW), OPTIONS);
    await checkCluster(sweepOf('b'), testPorts(new Date(NOW.getTime() + 3000)), OPTIONS);

    // Assess
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 1);
  });

  it('is alerted again when the situation comes back after another one was alerted', async () => {
    // Prepare: the first sighting's claim is older than the remediation alerted after it
    const remediatedAt = new Date(NOW.getTime() + 60_000).toISOString();
    await checkCluster(sweepOf('a'), testPorts(NOW), OPTIONS);
    mocks.dynamodb.on(QueryCommand).resolves({ Items: [historyItem('remediated', remediatedAt, true)] });

    // Act
    await checkCluster(sweepOf('c'), testPorts(new Date(NOW.getTime() + 120_000)), OPTIONS);

    // Assess
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  });

  it('fails the check, alerting nothing and recording nothing, when the table cannot take the claim', async () => {
    // Prepare: decision records go in, claims are throttled (the storm found a second alert here)
    givenClaimsThrottled();

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
