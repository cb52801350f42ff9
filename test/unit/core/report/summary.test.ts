import type { SweepSummary } from '../../../../functions/core/report/evidence';
import { buildReport, type ReportInput } from '../../../../functions/core/report/summary';
import { exposureWindows, percentile } from '../../../../functions/core/report/windows';
import { history } from './history';

const JDOE = 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe';
const CI = 'arn:aws:iam::111122223333:user/platform-ci';
const SINCE = new Date('2026-11-01T00:00:00Z');
const UNTIL = new Date('2026-12-01T00:00:00Z');

function report(overrides: Partial<ReportInput>) {
  return buildReport({
    period: { since: SINCE, until: UNTIL },
    now: new Date('2026-12-01T08:00:00Z'),
    region: 'us-east-1',
    records: [],
    sweeps: [],
    markers: [],
    sweepIntervalSeconds: 3600,
    ...overrides,
  });
}

function sweepAt(time: string, id: string): SweepSummary {
  return {
    sweepId: id,
    region: 'us-east-1',
    startedAt: time,
    time,
    durationMs: 1000,
    clustersChecked: 3,
    outcomes: { compliant: 3 },
    policyDigests: ['sha256:p1'],
  };
}

describe('exposure windows', () => {
  it('open at the CloudTrail event time and close at the update success', () => {
    // Prepare
    const records = history([
      [{ kind: 'compliant' }, '2026-11-03T09:00:00Z'],
      [{ kind: 'event-violation', lagSeconds: 120, actor: JDOE }, '2026-11-03T10:02:00Z'],
      [{ kind: 'success' }, '2026-11-03T10:06:30Z'],
    ]);

    // Act
    const windows = exposureWindows(records);

    // Assess
    expect(windows).toEqual([
      expect.objectContaining({
        start: '2026-11-03T10:00:00.000Z',
        startSource: 'event',
        firstSeen: '2026-11-03T10:02:00.000Z',
        end: '2026-11-03T10:06:30.000Z',
        closedBy: 'update-successful',
        actor: JDOE,
        actorSource: 'event',
      }),
    ]);
  });

  it('start at the change found by lookup, but never before the cluster was last known compliant', () => {
    // Prepare
    const records = history([
      [{ kind: 'compliant' }, '2026-11-03T09:00:00Z'],
      [{ kind: 'sweep-violation', lookupLagSeconds: 1800, actor: CI }, '2026-11-03T10:00:00Z'],
      [{ kind: 'compliant' }, '2026-11-03T11:00:00Z'],
      // The newest endpoint change is older than the last compliant check: not the cause.
      [{ kind: 'sweep-violation', lookupLagSeconds: 7200, actor: CI }, '2026-11-03T12:00:00Z'],
    ]);

    // Act
    const [first, second] = exposureWindows(records);

    // Assess
    expect(first).toMatchObject({
      start: '2026-11-03T09:30:00.000Z',
      startSource: 'lookup',
      actorSource: 'lookup',
    });
    expect(first?.closedBy).toBe('compliant');
    expect(second).toMatchObject({ start: '2026-11-03T12:00:00.000Z', startSource: 'first-seen' });
    expect(second?.end).toBeUndefined();
  });

  it('stay open through a failed update and a busy cluster, and close when the cluster is gone', () => {
    // Prepare
    const records = history([
      [{ kind: 'event-violation', lagSeconds: 0, actor: JDOE }, '2026-11-03T10:00:00Z'],
      [{ kind: 'update-failed' }, '2026-11-03T10:10:00Z'],
      [{ kind: 'busy' }, '2026-11-03T10:20:00Z'],
      [{ kind: 'gone' }, '2026-11-03T11:00:00Z'],
    ]);

    // Act
    const windows = exposureWindows(records);

    // Assess
    expect(windows.map((w) => [w.start, w.end, w.closedBy])).toEqual([
      ['2026-11-03T10:00:00.000Z', '2026-11-03T11:00:00.000Z', 'deleted'],
    ]);
  });

  it('close at the remediation itself when EKS returned no update to follow', () => {
    // Prepare
    const records = history([[{ kind: 'issued', withUpdate: false }, '2026-11-03T10:00:00Z']]);

    // Act
    const windows = exposureWindows(records);

    // Assess
    expect(windows.map((w) => [w.end, w.closedBy])).toEqual([['2026-11-03T10:00:00.000Z', 'remediated']]);
  });
});

describe('the report', () => {
  it('clips windows to the period, sums them, and gives time to remediate', () => {
    // Prepare
    const records = history([
      [{ kind: 'event-violation', lagSeconds: 0, actor: JDOE }, '2026-10-31T23:00:00Z'],
      [{ kind: 'success' }, '2026-11-01T01:00:00Z'],
      [{ kind: 'event-violation', lagSeconds: 60, actor: CI }, '2026-11-10T10:01:00Z'],
      [{ kind: 'success' }, '2026-11-10T10:11:00Z'],
      [{ kind: 'event-violation', lagSeconds: 0, actor: JDOE }, '2026-11-30T23:00:00Z'],
    ]);

    // Act
    const result = report({ records });

    // Assess
    const [cluster] = result.clusters;
    expect(
      cluster?.windows.map((w) => [
        w.exposedSeconds,
        w.timeToRemediateSeconds,
        w.startedBeforePeriod,
        w.openAtPeriodEnd,
      ]),
    ).toEqual([
      [3600, 7200, true, false],
      [660, 660, false, false],
      [3600, undefined, false, true],
    ]);
    expect(cluster?.exposedSeconds).toBe(7860);
    expect(cluster?.timeToRemediate).toEqual({ count: 2, p50Seconds: 660, p95Seconds: 7200 });
    expect(cluster?.actors).toEqual([
      { arn: JDOE, source: 'event', windows: 2 },
      { arn: CI, source: 'event', windows: 1 },
    ]);
    expect(cluster?.stillExposed).toBe(true);
    expect(result.windows).toEqual({ openAtStart: 1, opened: 2, closed: 2, open: 1 });
  });

  it('lists blocked clusters still exposed with what to fix, and exemptions in force', () => {
    // Prepare
    const records = [
      ...history([[{ kind: 'blocked' }, '2026-11-05T10:00:00Z']], 'edge-proxy'),
      ...history(
        [
          [{ kind: 'exempt' }, '2026-11-05T10:00:00Z'],
          [{ kind: 'exempt' }, '2026-11-06T10:00:00Z'],
        ],
        'legacy-batch',
      ),
    ];

    // Act
    const result = report({ records });

    // Assess
    const byName = Object.fromEntries(result.clusters.map((c) => [c.cluster, c]));
    expect(byName['edge-proxy']?.blocked).toEqual({
      since: '2026-11-05T10:00:00.000Z',
      fix: 'turn on DNS hostnames in vpc-1',
    });
    expect(byName['legacy-batch']).toMatchObject({
      exposedSeconds: 0,
      exemptions: [
        {
          source: 'policy',
          reason: 'OPS-123 migration',
          expires: '2027-01-31',
          firstSeen: '2026-11-05T10:00:00.000Z',
          lastSeen: '2026-11-06T10:00:00.000Z',
        },
      ],
    });
    expect(result.clusters.map((c) => c.cluster)).toEqual(['edge-proxy', 'legacy-batch']);
  });

  it('filters clusters by glob and by account', () => {
    // Prepare
    const records = [
      ...history([[{ kind: 'compliant' }, '2026-11-05T10:00:00Z']], 'prod-api'),
      ...history([[{ kind: 'compliant' }, '2026-11-05T10:00:00Z']], 'dev-1'),
    ];

    // Act
    const globbed = report({ records, cluster: 'prod-*' });
    const otherAccount = report({ records, account: '999999999999' });

    // Assess
    expect(globbed.clusters.map((c) => c.cluster)).toEqual(['prod-api']);
    expect(otherAccount.clusters).toEqual([]);
  });

  it('flags gaps between sweeps longer than twice the interval, at either end too', () => {
    // Prepare
    const sweeps = ['2026-11-01T00:30:00Z', '2026-11-01T01:30:00Z', '2026-11-01T05:30:00Z'].map((t, i) =>
      sweepAt(t, `s${i}`),
    );

    // Act
    const result = report({ sweeps, period: { since: SINCE, until: new Date('2026-11-01T06:00:00Z') } });

    // Assess
    expect(result.sweeps).toMatchObject({ count: 3, last: '2026-11-01T05:30:00.000Z', fromRecords: 0 });
    expect(result.sweeps.gaps).toEqual([
      { from: '2026-11-01T01:30:00.000Z', to: '2026-11-01T05:30:00.000Z', seconds: 14_400 },
    ]);
  });

  it('counts sweeps from the records of the days before sweep summaries', () => {
    // Prepare
    const records = [
      ...history([[{ kind: 'compliant' }, '2026-11-01T00:10:00Z']], 'a'),
      ...history([[{ kind: 'compliant' }, '2026-11-01T00:10:01Z']], 'b'),
    ].map((r) => ({ ...r, correlationId: `sweep-1/${r.cluster}` }));

    // Act
    const result = report({ records, sweeps: [sweepAt('2026-11-01T01:10:00Z', 'sweep-2')] });

    // Assess
    expect(result.sweeps).toMatchObject({ count: 2, fromRecords: 1, clustersChecked: 5 });
  });

  it('takes the policy digests of quiet months from the sweep summaries', () => {
    // Prepare
    const sweeps = [
      sweepAt('2026-11-10T00:00:00Z', 'a'),
      {
        ...sweepAt('2026-11-20T00:00:00Z', 'b'),
        policyDigests: ['sha256:p2'],
        policyParameterVersions: { 'sha256:p2': 9 },
      },
    ];

    // Act
    const result = report({ sweeps });

    // Assess
    expect(result.policies).toEqual([
      {
        digest: 'sha256:p1',
        firstSeen: '2026-11-10T00:00:00Z',
        lastSeen: '2026-11-10T00:00:00Z',
      },
      {
        digest: 'sha256:p2',
        policyParameterVersion: 9,
        firstSeen: '2026-11-20T00:00:00Z',
        lastSeen: '2026-11-20T00:00:00Z',
      },
    ]);
  });

  it('names the policy versions in force by digest, and the clusters known only by their marker', () => {
    // Prepare
    const records = history([[{ kind: 'compliant' }, '2026-11-02T00:00:00Z']]);
    const marker = {
      cluster: 'quiet',
      region: 'us-east-1',
      time: '2026-11-30T23:00:00.000Z',
      correlationId: 'sweep-9/quiet',
      outcome: 'compliant' as const,
    };

    // Act
    const result = report({ records, markers: [marker] });

    // Assess
    expect(result.policies).toEqual([
      {
        digest: 'sha256:p1',
        policyParameterVersion: 7,
        firstSeen: '2026-11-02T00:00:00.000Z',
        lastSeen: '2026-11-02T00:00:00.000Z',
      },
    ]);
    expect(result.clustersGuarded).toBe(2);
    expect(result.clusters.find((c) => c.cluster === 'quiet')).toMatchObject({
      lastChecked: '2026-11-30T23:00:00.000Z',
      lastOutcome: 'compliant',
      exposedSeconds: 0,
    });
  });
});

describe('percentile', () => {
  it('is the nearest rank', () => {
    // Assess
    expect(percentile([], 50)).toBeUndefined();
    expect(percentile([5], 95)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
  });
});
