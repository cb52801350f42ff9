import 'aws-sdk-client-mock-jest';
import { DescribeClusterCommand, ListClustersCommand, UpdateClusterConfigCommand } from '@aws-sdk/client-eks';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CheckResult } from '../../../functions/core/result';
import { normaliseEvent } from '../../../functions/core/triggers/normalise';
import { processEvent } from '../../../functions/guard/process-event';
import { sweep } from '../../../functions/guard/sweep';
import {
  ACCOUNT,
  GUARD_ROLE_ID,
  GUARD_SENDER,
  givenCluster,
  givenPolicy,
  lastAlert,
  loadEvent,
  mocks,
  processOptions,
  REGION,
  resetAws,
  STRICT_POLICY,
  testPorts,
} from '../support/aws';

const T0 = new Date('2026-06-03T10:20:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const GRACE_POLICY = { ...STRICT_POLICY, gracePeriodMinutes: 60 };
const OPEN = { name: 'prod-api', publicAccess: true, privateAccess: false, cidrs: ['0.0.0.0/0'] };

/** The audit table at the SDK boundary, holding what is written: the guard reads its own history back. */
let items: Record<string, unknown>[] = [];
function givenStatefulAudit(): void {
  items = [];
  mocks.dynamodb.on(PutCommand).callsFake((input) => {
    items.push(input.Item);
    return {};
  });
  mocks.dynamodb.on(QueryCommand).callsFake((input) => {
    const values = input.ExpressionAttributeValues ?? {};
    const rows = items
      .filter((i) => i.pk === values[':pk'] && String(i.sk) >= String(values[':since'] ?? ''))
      .sort((a, b) => String(b.sk).localeCompare(String(a.sk)));
    return { Items: rows };
  });
}

const decisions = () => items.filter((i) => i.pk === `${REGION}#prod-api`);

function sqsBodies(): { body: string; delay: number }[] {
  return mocks.sqs.commandCalls(SendMessageCommand).map((call) => ({
    body: call.args[0].input.MessageBody ?? '',
    delay: call.args[0].input.DelaySeconds ?? 0,
  }));
}

/** The queue delivers a message the guard sent, as SQS hands it to the function. */
function delivered(body: string, senderId = GUARD_SENDER) {
  return {
    Records: [
      {
        messageId: `m-${Math.random()}`,
        eventSource: 'aws:sqs',
        body,
        receiptHandle: 'AQEBtest-handle',
        attributes: { SenderId: senderId },
      },
    ],
  };
}

const run = (event: unknown, now: Date) => processEvent(event, testPorts(now), processOptions());

async function runSweep(now: Date): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const options = processOptions().guard;
  for await (const r of sweep(testPorts(now), options, {
    region: REGION,
    account: ACCOUNT,
    sweepId: `sweep-${now.getTime()}`,
    trigger: { source: 'sweep' },
    concurrency: 1,
  })) {
    results.push(r);
  }
  return results;
}

/** The event opens prod-api to the internet at T0: the first sighting. */
async function firstSighting(): Promise<CheckResult | undefined> {
  givenCluster(OPEN);
  const { results } = await run(loadEvent('update-config-open-world.json'), T0);
  return results[0];
}

/** Delivers the guard's last queued message at the time it is due; repeats while it is passed on. */
async function followTheQueue(): Promise<{ delays: number[]; result: CheckResult | undefined; at: Date }> {
  const delays: number[] = [];
  let at = T0;
  for (let hop = 0; hop < 20; hop++) {
    const last = sqsBodies().at(-1);
    if (!last) throw new Error('nothing queued');
    delays.push(last.delay);
    at = new Date(at.getTime() + last.delay * 1000);
    const sent = sqsBodies().length;
    const { results } = await run(delivered(last.body), at);
    const passedOn = sqsBodies().length > sent && results[0]?.reason.startsWith('grace period: the re-check');
    if (!passedOn) return { delays, result: results[0], at };
  }
  throw new Error('the re-check never came due');
}

beforeEach(() => {
  resetAws(GRACE_POLICY);
  givenStatefulAudit();
});

describe('gracePeriodMinutes: a new violation', () => {
  it('is alerted at once with the time it will be reverted, and not changed', async () => {
    // Act
    const result = await firstSighting();

    // Assess
    expect(result).toMatchObject({
      outcome: 'deferred',
      graceSince: T0.toISOString(),
      graceUntil: minutes(60).toISOString(),
      nextCheckAt: minutes(60).toISOString(),
    });
    expect(result?.reason).toContain('will be reverted at 11:20 UTC unless an exemption appears');
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const alert = lastAlert();
    expect(alert.subject).toBe(
      '[eks-endpoint-guard] prod-api: non-compliant, will be reverted at 11:20 UTC (grace period)',
    );
    expect(alert.text).toContain(
      'it will be reverted at 11:20 UTC (2026-06-03T11:20:00.000Z) unless an exemption appears',
    );
    expect(alert.text).toContain('Need an exception?');
    expect(alert.attributes).toMatchObject({ outcome: 'deferred', severity: 'warning' });
    expect(decisions()).toEqual([
      expect.objectContaining({ outcome: 'deferred', alertMessageId: 'msg-0001' }),
    ]);
  });

  it('is re-checked when the period ends through chained queue delays of at most 15 minutes, then reverted', async () => {
    // Prepare
    await firstSighting();

    // Act
    const { delays, result, at } = await followTheQueue();

    // Assess
    expect(delays).toEqual([900, 900, 900, 900]);
    expect(at).toEqual(minutes(60));
    expect(result?.outcome).toBe('remediated');
    expect(result?.reason).toContain('the grace period ended at 2026-06-03T11:20:00.000Z');
    expect(mocks.eks).toHaveReceivedCommandTimes(UpdateClusterConfigCommand, 1);
    // The hops read no cluster and write no record: one check at the start, one at the end.
    expect(mocks.eks).toHaveReceivedCommandTimes(DescribeClusterCommand, 2);
    expect(decisions().map((d) => d.outcome)).toEqual(['deferred', 'remediated']);
    const queued = JSON.parse(sqsBodies()[0]?.body ?? '{}');
    expect(queued.request).toMatchObject({
      cluster: 'prod-api',
      dueAt: minutes(60).toISOString(),
      attempt: 0,
    });
  });

  it('is not restarted or re-alerted by a sweep or a repeated event during the period', async () => {
    // Prepare
    await firstSighting();
    const queuedAfterFirst = sqsBodies().length;
    mocks.eks.on(ListClustersCommand).resolves({ clusters: ['prod-api'] });

    // Act
    const [swept] = await runSweep(minutes(30));
    const { results } = await run(loadEvent('update-config-open-world.json'), minutes(40));

    // Assess
    for (const result of [swept, results[0]]) {
      expect(result).toMatchObject({
        outcome: 'deferred',
        graceSince: T0.toISOString(),
        graceUntil: minutes(60).toISOString(),
      });
    }
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sqsBodies()).toHaveLength(queuedAfterFirst);
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
  });

  it('is not restarted by a changed non-compliant configuration, which is alerted with the same end', async () => {
    // Prepare
    await firstSighting();
    givenCluster({ ...OPEN, cidrs: ['198.51.100.0/24'] });

    // Act
    const { results } = await run(loadEvent('update-config-open-world.json'), minutes(30));

    // Assess
    expect(results[0]).toMatchObject({ outcome: 'deferred', graceUntil: minutes(60).toISOString() });
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  });

  it('is left alone when an exemption appears during the period', async () => {
    // Prepare
    await firstSighting();
    givenCluster({ ...OPEN, tags: { 'eks-endpoint-guard/exempt': 'OPS-77 load test' } });

    // Act
    const { result } = await followTheQueue();

    // Assess
    expect(result).toMatchObject({
      outcome: 'exempt',
      exemption: { source: 'tag', reason: 'OPS-77 load test' },
    });
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
  });

  it('is not reverted when the owner fixes the cluster during the period: a compliant record', async () => {
    // Prepare
    await firstSighting();
    givenCluster({ name: 'prod-api', publicAccess: false, privateAccess: true });

    // Act
    const { result } = await followTheQueue();

    // Assess
    expect(result?.outcome).toBe('compliant');
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
    expect(decisions().map((d) => d.outcome)).toEqual(['deferred', 'compliant']);
  });

  it('starts a new period after the cluster was compliant in between, once 24 hours have passed', async () => {
    // Prepare
    await firstSighting();
    givenCluster({ name: 'prod-api', publicAccess: false, privateAccess: true });
    await run(loadEvent('update-config-open-world.json'), minutes(10));
    givenCluster(OPEN);

    // Act
    const { results } = await run(loadEvent('update-config-open-world.json'), minutes(24 * 60 + 1));

    // Assess
    expect(results[0]).toMatchObject({
      outcome: 'deferred',
      graceSince: minutes(24 * 60 + 1).toISOString(),
    });
    expect(results[0]?.reason).toContain('(grace period of 60 minutes, from');
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 2);
  });

  it('ends at the new time when the policy shortens the period', async () => {
    // Prepare
    await firstSighting();
    givenPolicy({ ...STRICT_POLICY, gracePeriodMinutes: 20 });

    // Act
    const { results } = await run(loadEvent('update-config-open-world.json'), minutes(25));

    // Assess
    expect(results[0]?.outcome).toBe('remediated');
    expect(mocks.eks).toHaveReceivedCommandTimes(UpdateClusterConfigCommand, 1);
  });

  it('applies per override', async () => {
    // Prepare
    resetAws({ ...STRICT_POLICY, overrides: [{ clusters: ['prod-*'], gracePeriodMinutes: 15 }] });
    givenStatefulAudit();

    // Act
    const result = await firstSighting();

    // Assess
    expect(result).toMatchObject({ outcome: 'deferred', graceUntil: minutes(15).toISOString() });
    expect(sqsBodies().map((s) => s.delay)).toEqual([900]);
  });

  it('is not restarted for a cluster the blast-radius limit left unchanged after the period', async () => {
    // Prepare
    resetAws({ ...GRACE_POLICY, maxRemediationsPerRun: 1 });
    givenStatefulAudit();
    givenCluster(OPEN);
    givenCluster({ ...OPEN, name: 'prod-web' });
    mocks.eks.on(ListClustersCommand).resolves({ clusters: ['prod-web', 'prod-api'] });
    await runSweep(T0);

    // Act
    const late = await runSweep(minutes(61));
    givenCluster({ name: 'prod-web', publicAccess: false, privateAccess: true });
    const later = await runSweep(minutes(62));

    // Assess
    expect(late.map((r) => [r.cluster, r.outcome])).toEqual([
      ['prod-web', 'remediated'],
      ['prod-api', 'would-remediate'],
      ['-', 'would-remediate'],
    ]);
    expect(later.find((r) => r.cluster === 'prod-api')?.outcome).toBe('remediated');
  });
});

// Issue 19, finding 5: close the endpoint just before the period ends, reopen it a minute later, and
// a fresh full period started; repeated, the cluster stayed public nearly all the time.
describe('one grace period per cluster per rolling 24 hours (finding 5)', () => {
  const CLOSED = { name: 'prod-api', publicAccess: false, privateAccess: true };
  const openAt = (at: Date) => {
    givenCluster(OPEN);
    return run(loadEvent('update-config-open-world.json'), at);
  };
  const closeAt = (at: Date) => {
    givenCluster(CLOSED);
    return run(loadEvent('update-config-open-world.json'), at);
  };

  it('cannot be waited out: reopened a minute after the period ended, the cluster is reverted at once', async () => {
    // Prepare
    await firstSighting();
    await closeAt(minutes(59));

    // Act
    const { results } = await openAt(minutes(61));

    // Assess
    expect(results[0]?.outcome).toBe('remediated');
    expect(results[0]?.reason).toContain(
      'one grace period per cluster per 24 hours: the grace period that began at 2026-06-03T10:20:00.000Z ended at 2026-06-03T11:20:00.000Z, so none was given again',
    );
    expect(mocks.eks).toHaveReceivedCommandTimes(UpdateClusterConfigCommand, 1);
    expect(lastAlert().text).toContain('one grace period per cluster per 24 hours');
  });

  it('inherits the end of the period when the cluster is reopened before it ended, and says so', async () => {
    // Prepare
    await firstSighting();
    await closeAt(minutes(40));

    // Act
    const { results } = await openAt(minutes(45));

    // Assess
    expect(results[0]).toMatchObject({
      outcome: 'deferred',
      graceSince: T0.toISOString(),
      graceUntil: minutes(60).toISOString(),
    });
    expect(results[0]?.reason).toContain('and this violation inherits that end');
    expect(lastAlert().text).toContain('will be reverted at 11:20 UTC');
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
  });

  it('keeps the rule for a whole day, then gives a fresh period', async () => {
    // Prepare
    await firstSighting();
    await closeAt(minutes(50));

    // Act
    const dayLater = await openAt(minutes(23 * 60));
    await closeAt(minutes(23 * 60 + 1));
    const nextDay = await openAt(minutes(24 * 60 + 5));

    // Assess
    expect(dayLater.results[0]?.outcome).toBe('remediated');
    expect(nextDay.results[0]).toMatchObject({
      outcome: 'deferred',
      graceSince: minutes(24 * 60 + 5).toISOString(),
    });
  });

  it('gives no grace at all to a cluster that keeps being made non-compliant (flip-flop breaker)', async () => {
    // Prepare: two reverts of the cluster in the last hour, by other decisions.
    const reverted = (id: string, at: Date) =>
      items.push({
        pk: `${REGION}#prod-api`,
        sk: `${at.toISOString()}#${id}#0#remediated`,
        cluster: 'prod-api',
        region: REGION,
        outcome: 'remediated',
        reason: 'changed',
        time: at.toISOString(),
        correlationId: id,
        trigger: { source: 'event' },
        attempt: 0,
      });
    reverted('evt-a', minutes(-25 * 60));
    reverted('evt-b', minutes(-30));
    reverted('evt-c', minutes(-10));

    // Act
    const result = await firstSighting();

    // Assess
    expect(result?.outcome).toBe('remediated');
    expect(result?.reason).toContain(
      'no grace period: the cluster was made non-compliant 3 times in 60 minutes (flip-flop breaker)',
    );
    expect(result?.escalation).toMatchObject({ remediations: 3, windowMinutes: 60 });
    expect(mocks.eks).toHaveReceivedCommandTimes(UpdateClusterConfigCommand, 1);
  });
});

describe('grace re-checks on the queue: a trust boundary', () => {
  const context = { region: REGION, guardRoleId: GUARD_ROLE_ID, recheckDeadlineMinutes: 120, now: T0 };
  const body = (dueAt: string) =>
    JSON.stringify({
      kind: 'eks-endpoint-guard/check-request',
      version: 1,
      request: {
        cluster: 'prod-api',
        region: REGION,
        trigger: { source: 'event' },
        correlationId: 'evt-0001',
        attempt: 0,
        dueAt,
      },
    });

  it('caps the due time of the guard own message at now + the longest grace period', () => {
    // Act
    const [item] = normaliseEvent(delivered(body('2027-06-03T10:20:00Z')), context).items;

    // Assess
    expect(item).toMatchObject({ kind: 'check', request: { dueAt: '2026-06-10T10:20:00.000Z' } });
  });

  it('keeps a due time within the cap', () => {
    // Act
    const [item] = normaliseEvent(delivered(body('2026-06-03T11:20:00Z')), context).items;

    // Assess
    expect(item).toMatchObject({ kind: 'check', request: { dueAt: '2026-06-03T11:20:00Z' } });
  });

  it('drops the due time of a message from anyone else: it is decided at once', async () => {
    // Prepare
    givenCluster(OPEN);
    const forged = delivered(body('2026-06-10T10:00:00Z'), 'AROAOTHERROLE00000000:someone');

    // Act
    const [item] = normaliseEvent(forged, context).items;
    const { results } = await run(forged, T0);

    // Assess
    expect(item).toMatchObject({ kind: 'check' });
    expect(item?.kind === 'check' ? item.request.dueAt : 'not a check').toBeUndefined();
    expect(results[0]).toMatchObject({ outcome: 'deferred', graceUntil: minutes(60).toISOString() });
    expect(mocks.eks).toHaveReceivedCommand(DescribeClusterCommand);
  });
});
