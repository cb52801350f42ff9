import type { Policy } from '../../../functions/core/policy/policy';
import { validatePolicy } from '../../../functions/core/policy/policy';
import type { CheckResult } from '../../../functions/core/result';
import { alertsPerEpisode, alertsRecorded } from '../../../storm/alert-invariants';
import type { Evidence } from '../../../storm/invariant-base';
import {
  checkInvariants,
  converged,
  noDecisionFailed,
  noEventLost,
  noNeedlessUpdates,
  remediationsAlerted,
  remediationsRecorded,
} from '../../../storm/invariants';

const POLICY: Policy = validatePolicy(
  { version: 1, publicAccess: 'disabled', privateAccess: 'required' },
  'p',
);
const OPEN = { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] };
const CLOSED = { publicAccess: false, privateAccess: true, publicAccessCidrs: [] };

function record(overrides: Partial<CheckResult>): CheckResult {
  return {
    cluster: 'prod-api',
    region: 'us-east-1',
    outcome: 'compliant',
    reason: 'r',
    time: '2026-06-03T10:00:00.000Z',
    correlationId: 'evt-1',
    trigger: { source: 'event' },
    attempt: 0,
    ...overrides,
  };
}

const REMEDIATED = record({
  outcome: 'remediated',
  updateId: 'u-1',
  violations: [{ rule: 'public-disabled', reason: 'on' }],
  policy: { source: 'p', version: 1, digest: 'sha256:d', mode: 'enforce', exemptionTag: null, rule: 'r' },
  before: OPEN,
  alertMessageId: 'm-1',
});
const ALERT = {
  cluster: 'prod-api',
  outcome: 'remediated',
  status: 'open',
  correlationId: 'evt-1',
  time: REMEDIATED.time,
  update: { id: 'u-1' },
};

function evidence(overrides: Partial<Evidence> = {}): Evidence {
  return {
    now: new Date('2026-06-03T11:00:00Z'),
    clusters: [{ name: 'prod-api', config: CLOSED, tags: {} }],
    finalPolicy: POLICY,
    policies: new Map([['sha256:d', POLICY]]),
    records: [REMEDIATED],
    sweeps: [],
    alerts: [ALERT],
    guardUpdates: [{ id: 'u-1', cluster: 'prod-api', before: OPEN, tags: {} }],
    events: new Map([['evt-1', { kind: 'cloudtrail', succeeded: 1, deadLettered: 0 }]]),
    failedEvents: new Set(),
    sentMessages: new Set(['m-1']),
    handledMessages: new Set(['m-1']),
    deadLetteredMessages: new Set(),
    ...overrides,
  };
}

describe('storm invariants', () => {
  it('all hold for a remediation recorded, alerted once and converged', () => {
    // Act
    const results = checkInvariants(evidence());

    // Assess
    expect(results.map((r) => [r.broken, r.checked > 0])).toEqual(results.map(() => [0, true]));
  });

  it('count a cluster left open without a recorded reason as not converged, but not one recorded blocked', () => {
    // Prepare
    const open = { name: 'prod-api', config: OPEN, tags: {} };

    // Act
    const unexplained = converged(evidence({ clusters: [open] }));
    const blocked = converged(
      evidence({
        clusters: [open],
        records: [record({ outcome: 'blocked', time: '2026-06-03T10:30:00.000Z' })],
      }),
    );

    // Assess
    expect(unexplained.broken).toBe(1);
    expect(blocked.broken).toBe(0);
  });

  it('take an exempt cluster, by its tag under the final policy, as converged', () => {
    // Act
    const result = converged(
      evidence({
        clusters: [{ name: 'prod-api', config: OPEN, tags: { 'eks-endpoint-guard/exempt': 'OPS-1' } }],
      }),
    );

    // Assess
    expect(result.broken).toBe(0);
  });

  it('count an update without its remediated record, and one with two', () => {
    // Act
    const missing = remediationsRecorded(evidence({ records: [] }));
    const twice = remediationsRecorded(
      evidence({ records: [REMEDIATED, { ...REMEDIATED, time: '2026-06-03T10:00:01.000Z' }] }),
    );

    // Assess
    expect([missing.broken, twice.broken]).toEqual([1, 1]);
  });

  it("do not count an update's follow-up record as a second remediation", () => {
    // Prepare
    const followUp = record({
      outcome: 'remediated',
      updateId: 'u-1',
      reason: 'update u-1 succeeded',
      time: '2026-06-03T10:01:00.000Z',
    });

    // Act
    const result = remediationsRecorded(evidence({ records: [REMEDIATED, followUp] }));

    // Assess
    expect(result.broken).toBe(0);
  });

  it('expect no alert for a remediation of a loop already escalated', () => {
    // Prepare
    const silenced = { ...REMEDIATED, escalation: { remediations: 4, windowMinutes: 60, silenced: true } };

    // Act
    const [withAlert, without] = [
      remediationsAlerted(evidence({ records: [silenced] })),
      remediationsAlerted(evidence({ records: [silenced], alerts: [] })),
    ];

    // Assess
    expect([withAlert.broken, without.broken]).toEqual([1, 0]);
  });

  it('count an update of a cluster the applied policy already found compliant', () => {
    // Act
    const result = noNeedlessUpdates(
      evidence({ guardUpdates: [{ id: 'u-1', cluster: 'prod-api', before: CLOSED, tags: {} }] }),
    );

    // Assess
    expect(result.broken).toBe(1);
  });

  it('count an event handled without a decision, one failed but not dead-lettered, and a queue message neither handled nor dead-lettered', () => {
    // Act
    const result = noEventLost(
      evidence({
        events: new Map([
          ['evt-2', { kind: 'cloudtrail', succeeded: 1, deadLettered: 0 }],
          ['evt-3', { kind: 'cloudtrail', succeeded: 0, deadLettered: 1 }],
          ['sw-1', { kind: 'schedule', succeeded: 1, deadLettered: 0 }],
        ]),
        sweeps: [{ sweepId: 'sweep-sw-1' } as never],
        sentMessages: new Set(['m-1', 'm-2']),
      }),
    );

    // Assess
    expect(result.broken).toBe(3);
    expect(result.examples.join('\n')).toMatch(/evt-2[\s\S]*evt-3[\s\S]*m-2/);
  });

  it('take an event dead-lettered after every retry as not lost', () => {
    // Act
    const result = noEventLost(
      evidence({
        events: new Map([['evt-3', { kind: 'cloudtrail', succeeded: 0, deadLettered: 1 }]]),
        failedEvents: new Set(['evt-3']),
      }),
    );

    // Assess
    expect(result.broken).toBe(0);
  });

  it('count an alert whose trigger has no record', () => {
    // Act
    const result = alertsRecorded(evidence({ alerts: [{ ...ALERT, correlationId: 'evt-9' }] }));

    // Assess
    expect(result.broken).toBe(1);
  });

  it('note, without counting it broken, an alert of a sweep whose schedule event failed every retry', () => {
    // Act: the attempt alerted, then died; its retries failed; the event is in the on-failure destination
    const result = alertsRecorded(
      evidence({
        alerts: [{ ...ALERT, correlationId: 'sweep-evt-7/prod-api' }],
        failedEvents: new Set(['evt-7']),
      }),
    );

    // Assess
    expect(result.broken).toBe(0);
    expect(result.note).toMatch(/1 whose trigger failed every retry and is in the dead-letter queue$/);
  });

  it('note, without counting it broken, an alert whose trigger was recorded with another outcome', () => {
    // Act
    const result = alertsRecorded(evidence({ alerts: [{ ...ALERT, outcome: 'exempt' }] }));

    // Assess
    expect(result.broken).toBe(0);
    expect(result.note).toMatch(/^1 whose trigger was recorded with another outcome/);
  });

  it('take the same story published twice as one alert, but two stories of one unchanged situation as two', () => {
    // Prepare
    const exempt = {
      cluster: 'prod-api',
      outcome: 'exempt',
      status: 'open',
      before: OPEN,
      policy: { digest: 'sha256:d' },
    };
    const first = { ...exempt, correlationId: 'sweep-a', time: '2026-06-03T10:00:00.000Z' };

    // Act
    const again = alertsPerEpisode(evidence({ alerts: [first, { ...first }] }));
    const twice = alertsPerEpisode(
      evidence({
        alerts: [first, { ...exempt, correlationId: 'sweep-b', time: '2026-06-03T10:05:00.000Z' }],
        records: [],
      }),
    );

    // Assess
    expect(again.broken).toBe(0);
    expect(again.note).toMatch(/^1 published again/);
    expect(twice.broken).toBe(1);
  });

  it('take a changed exemption for a new situation, as the first-sighting rule does', () => {
    // Prepare
    const exempt = {
      cluster: 'prod-api',
      outcome: 'exempt',
      status: 'open',
      before: OPEN,
      policy: { digest: 'sha256:d' },
    };

    // Act: the tag's reason changed between the two alerts
    const result = alertsPerEpisode(
      evidence({
        alerts: [
          { ...exempt, correlationId: 'a', time: '1', exemption: { source: 'tag', reason: 'OPS-1' } },
          { ...exempt, correlationId: 'b', time: '2', exemption: { source: 'tag', reason: 'OPS-2' } },
        ],
        records: [],
      }),
    );

    // Assess
    expect(result.broken).toBe(0);
  });

  it('count two resolved alerts in a row', () => {
    // Prepare
    const resolved = { cluster: 'prod-api', outcome: 'compliant', status: 'resolved' };

    // Act
    const result = alertsPerEpisode(
      evidence({
        alerts: [
          { ...resolved, correlationId: 'a', time: '1' },
          { ...resolved, correlationId: 'b', time: '2' },
        ],
      }),
    );

    // Assess
    expect(result.broken).toBe(1);
  });

  it('count a failed decision', () => {
    // Act
    const result = noDecisionFailed(
      evidence({ records: [record({ outcome: 'failed', reason: 'deadline passed' })] }),
    );

    // Assess
    expect(result.broken).toBe(1);
  });
});
