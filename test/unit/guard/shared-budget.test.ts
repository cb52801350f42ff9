import 'aws-sdk-client-mock-jest';
import { ListClustersCommand, UpdateClusterConfigCommand } from '@aws-sdk/client-eks';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CheckResult } from '../../../functions/core/result';
import { processEvent } from '../../../functions/guard/process-event';
import {
  givenCluster,
  loadEvent,
  mocks,
  processOptions,
  resetAws,
  STRICT_POLICY,
  testConfig,
  testPorts,
} from '../support/aws';

/**
 * Issue 19, finding 9 (the schedule): a forged scheduled event started a sweep with a fresh
 * blast-radius budget each time. The sweeps started by scheduled events now share one budget per
 * schedule period, kept in the audit table (faked at the SDK boundary, conditional writes and all).
 */
const T0 = new Date('2026-06-03T10:05:00Z');
const LIMITED = { ...STRICT_POLICY, maxRemediationsPerRun: 1 };
const CLUSTERS = ['prod-a', 'prod-b', 'prod-c'];
/** A sweep through the whole guard takes about a second here. */
jest.setTimeout(30_000);

let keys: Set<string>;
beforeEach(() => {
  resetAws(LIMITED);
  keys = new Set();
  mocks.dynamodb.on(PutCommand).callsFake((input) => {
    const key = `${input.Item.pk}|${input.Item.sk}`;
    if (input.ConditionExpression === 'attribute_not_exists(pk)' && keys.has(key)) {
      throw Object.assign(new Error('The conditional request failed'), {
        name: 'ConditionalCheckFailedException',
      });
    }
    keys.add(key);
    return {};
  });
  mocks.eks.on(ListClustersCommand).resolves({ clusters: CLUSTERS });
  for (const name of CLUSTERS)
    givenCluster({ name, publicAccess: true, privateAccess: false, cidrs: ['0.0.0.0/0'] });
});

async function scheduled(at: Date, id: string, schedule = 'rate(1 hour)'): Promise<CheckResult[]> {
  const event = { ...loadEvent('scheduled-sweep.json'), id };
  const config = testConfig({ SWEEP_SCHEDULE: schedule });
  const { results } = await processEvent(event, testPorts(at, config), processOptions(config));
  return results;
}

const remediated = (results: CheckResult[]) => results.filter((r) => r.outcome === 'remediated').length;

describe('scheduled sweeps share one blast-radius budget per schedule period', () => {
  it('three scheduled events in one hour change at most the limit between them', async () => {
    // Act
    const first = await scheduled(T0, 'evt-a');
    const forged = await scheduled(new Date(T0.getTime() + 60_000), 'evt-b');
    const again = await scheduled(new Date(T0.getTime() + 120_000), 'evt-c');

    // Assess
    expect([remediated(first), remediated(forged), remediated(again)]).toEqual([1, 0, 0]);
    expect(mocks.eks).toHaveReceivedCommandTimes(UpdateClusterConfigCommand, 1);
    expect(forged.find((r) => r.cluster === '-')?.reason).toContain('blast-radius limit');
  });

  it('gives the next schedule period its own budget', async () => {
    // Act
    await scheduled(T0, 'evt-a');
    const nextHour = await scheduled(new Date('2026-06-03T11:05:00Z'), 'evt-b');

    // Assess
    expect(remediated(nextHour)).toBe(1);
  });

  it('keys the period by the schedule: rate(15 minutes) gives each quarter hour its own', async () => {
    // Act
    const first = await scheduled(T0, 'evt-a', 'rate(15 minutes)');
    const sameQuarter = await scheduled(new Date('2026-06-03T10:14:00Z'), 'evt-b', 'rate(15 minutes)');
    const nextQuarter = await scheduled(new Date('2026-06-03T10:16:00Z'), 'evt-c', 'rate(15 minutes)');

    // Assess
    expect([remediated(first), remediated(sameQuarter), remediated(nextQuarter)]).toEqual([1, 0, 1]);
  });
});
