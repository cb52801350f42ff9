import { beforeCoverageText, renderMarkdown, sweepsText } from '../../../../functions/core/report/render';
import { buildReport, type ReportInput } from '../../../../functions/core/report/summary';
import { exposureWindows } from '../../../../functions/core/report/windows';
import type { CheckResult } from '../../../../functions/core/result';
import { history } from './history';

/**
 * Windows against hand-computed sequences: late and replayed events, a cluster younger than the
 * event that claims to have changed it, and changes older than the guard's coverage. Every expected
 * figure below is worked out by hand in the comment beside it.
 */
const JDOE = 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe';

function report(overrides: Partial<ReportInput>) {
  return buildReport({
    period: { since: new Date('2026-11-01T00:00:00Z'), until: new Date('2026-12-01T00:00:00Z') },
    now: new Date('2026-12-01T08:00:00Z'),
    region: 'us-east-1',
    records: [],
    sweeps: [],
    markers: [],
    sweepIntervalSeconds: 3600,
    ...overrides,
  });
}

/** The records of `steps`, each naming the cluster's creation time. */
function created(at: string, records: CheckResult[]): CheckResult[] {
  return records.map((r) => ({ ...r, clusterCreatedAt: at }));
}

describe('a replayed or sample event older than the cluster', () => {
  it('starts the window when the cluster was created, and measures both figures from there', () => {
    // Prepare: the cluster was created at 10:00:00; a sample event dated 2025-06-03 (lag of
    // 536 days) is played at 10:01:00; the update succeeds at 10:02:00.
    const records = created('2026-11-03T10:00:00Z', [
      ...history([
        [{ kind: 'event-violation', lagSeconds: 536 * 86_400, actor: JDOE }, '2026-11-03T10:01:00Z'],
        [{ kind: 'success' }, '2026-11-03T10:02:00Z'],
      ]),
    ]);

    // Act: the guard has been sweeping since 09:00
    const result = report({ records, coverageStart: new Date('2026-11-03T09:00:00Z') });

    // Assess: start 10:00:00, end 10:02:00: 120 s exposed, 120 s to remediate (not 536 days).
    const [w] = result.clusters[0]?.windows ?? [];
    expect(w).toMatchObject({
      start: '2026-11-03T10:00:00.000Z',
      startSource: 'cluster-created',
      exposedSeconds: 120,
      timeToRemediateSeconds: 120,
    });
    expect(result.timeToRemediate).toEqual({ count: 1, p50Seconds: 120, p95Seconds: 120 });
  });

  it('keeps the event time when the cluster existed by then', () => {
    // Prepare: created 09:00; event at 09:58 (lag 180 s before the 10:01 record); fixed 10:05.
    const records = created(
      '2026-11-03T09:00:00Z',
      history([
        [{ kind: 'event-violation', lagSeconds: 180, actor: JDOE }, '2026-11-03T10:01:00Z'],
        [{ kind: 'success' }, '2026-11-03T10:05:00Z'],
      ]),
    );

    // Act
    const [w] = exposureWindows(records);

    // Assess: 09:58 to 10:05 = 420 s
    expect(w).toMatchObject({ start: '2026-11-03T09:58:00.000Z', startSource: 'event' });
    expect(w?.clusterCreatedAt).toBe('2026-11-03T09:00:00.000Z');
  });
});

describe('a late event', () => {
  it('starts at its time when that is after the last known-compliant moment', () => {
    // Prepare: compliant at 09:00; the event of 10:30 arrives two hours late, at 12:30; fixed 12:40.
    const records = history([
      [{ kind: 'compliant' }, '2026-11-03T09:00:00Z'],
      [{ kind: 'event-violation', lagSeconds: 7200, actor: JDOE }, '2026-11-03T12:30:00Z'],
      [{ kind: 'success' }, '2026-11-03T12:40:00Z'],
    ]);

    // Act
    const result = report({ records });

    // Assess: 10:30 to 12:40 = 2 h 10 min = 7800 s, for exposure and time to remediate alike.
    const [w] = result.clusters[0]?.windows ?? [];
    expect(w).toMatchObject({
      start: '2026-11-03T10:30:00.000Z',
      exposedSeconds: 7800,
      timeToRemediateSeconds: 7800,
    });
  });

  it('is not the cause when the cluster was seen compliant after it: the window starts when first seen', () => {
    // Prepare: the event claims 08:30, but the cluster was compliant at 09:00; seen at 12:30; fixed 12:40.
    const records = history([
      [{ kind: 'compliant' }, '2026-11-03T09:00:00Z'],
      [{ kind: 'event-violation', lagSeconds: 4 * 3600, actor: JDOE }, '2026-11-03T12:30:00Z'],
      [{ kind: 'success' }, '2026-11-03T12:40:00Z'],
    ]);

    // Act
    const result = report({ records });

    // Assess: 12:30 to 12:40 = 600 s
    expect(result.clusters[0]?.windows[0]).toMatchObject({
      startSource: 'first-seen',
      exposedSeconds: 600,
      timeToRemediateSeconds: 600,
    });
  });
});

describe('a change from before the guard covered the account-region', () => {
  it('is shown before coverage with its own figure, not in the percentiles', () => {
    // Prepare: the guard's first record here is the sweep of 2026-11-01 00:00, which finds
    // prod-api opened on 2026-10-20 00:00 (lookup) and fixes it by 00:05. payments is opened
    // at 2026-11-02 10:00 and fixed at 10:01.
    const records = [
      ...history(
        [
          [{ kind: 'sweep-violation', lookupLagSeconds: 12 * 86_400, actor: JDOE }, '2026-11-01T00:00:00Z'],
          [{ kind: 'success' }, '2026-11-01T00:05:00Z'],
        ],
        'prod-api',
      ),
      ...history(
        [
          [{ kind: 'event-violation', lagSeconds: 0, actor: JDOE }, '2026-11-02T10:00:00Z'],
          [{ kind: 'success' }, '2026-11-02T10:01:00Z'],
        ],
        'payments',
      ),
    ];

    // Act
    const result = report({ records });

    // Assess: coverage 11-01 00:00. prod-api: exposed in the period 00:00 to 00:05 = 300 s;
    // before coverage, fixed 300 s after coverage began; payments: 60 s to remediate.
    const prod = result.clusters.find((c) => c.cluster === 'prod-api')?.windows[0];
    expect(result.coverage).toEqual({ since: '2026-11-01T00:00:00.000Z' });
    expect(prod).toMatchObject({
      start: '2026-10-20T00:00:00.000Z',
      beforeCoverage: true,
      exposedSeconds: 300,
      fixedSecondsAfterCoverage: 300,
      startedBeforePeriod: true,
    });
    expect(prod?.timeToRemediateSeconds).toBeUndefined();
    expect(result.timeToRemediate).toEqual({ count: 1, p50Seconds: 60, p95Seconds: 60 });
    expect(result.beforeCoverage).toEqual({
      windows: 1,
      fixedAfterCoverage: { count: 1, p50Seconds: 300, p95Seconds: 300 },
    });
    expect(beforeCoverageText(result)).toBe(
      "1 window(s) began before the guard's coverage (2026-11-01 00:00Z); not in the percentiles; fixed 5 min 00 s (p50) / 5 min 00 s (p95) after coverage began",
    );
  });

  it('takes the coverage the caller knows of (the first sweep summary) when it is earlier than any record read', () => {
    // Prepare: same change, but the guard has been sweeping since 2026-09-01.
    const records = history(
      [
        [{ kind: 'sweep-violation', lookupLagSeconds: 12 * 86_400, actor: JDOE }, '2026-11-01T00:00:00Z'],
        [{ kind: 'success' }, '2026-11-01T00:05:00Z'],
      ],
      'prod-api',
    );

    // Act
    const result = report({ records, coverageStart: new Date('2026-09-01T00:00:00Z') });

    // Assess: 10-20 00:00 to 11-01 00:05 = 12 d 300 s = 1,037,100 s, inside coverage.
    expect(result.clusters[0]?.windows[0]).toMatchObject({
      beforeCoverage: false,
      timeToRemediateSeconds: 1_037_100,
    });
    expect(result.beforeCoverage.windows).toBe(0);
  });
});

describe('sentences that agree', () => {
  it('counts windows so that open at the start + opened = closed + still open', () => {
    // Prepare: one window open since October and fixed in November, one opened and fixed, one
    // opened and still open, one open since October and still open.
    const records = [
      ...history(
        [
          [{ kind: 'event-violation', lagSeconds: 0, actor: JDOE }, '2026-10-30T00:00:00Z'],
          [{ kind: 'success' }, '2026-11-02T00:00:00Z'],
          [{ kind: 'event-violation', lagSeconds: 0, actor: JDOE }, '2026-11-10T00:00:00Z'],
          [{ kind: 'success' }, '2026-11-10T00:10:00Z'],
          [{ kind: 'event-violation', lagSeconds: 0, actor: JDOE }, '2026-11-20T00:00:00Z'],
        ],
        'a',
      ),
      ...history([[{ kind: 'blocked' }, '2026-10-15T00:00:00Z']], 'b'),
    ];

    // Act
    const { windows } = report({ records });

    // Assess
    expect(windows).toEqual({ openAtStart: 2, opened: 2, closed: 2, open: 2 });
    expect(windows.openAtStart + windows.opened).toBe(windows.closed + windows.open);
  });

  it('says that no sweep ran in a period without one, and shows the whole period as the gap', () => {
    // Prepare: a ten-minute period, shorter than twice the interval.
    const since = new Date('2026-12-01T07:50:00Z');

    // Act
    const result = report({ period: { since, until: new Date('2026-12-01T08:00:00Z') } });

    // Assess
    expect(result.sweeps.gaps).toEqual([
      { from: '2026-12-01T07:50:00.000Z', to: '2026-12-01T08:00:00.000Z', seconds: 600 },
    ]);
    expect(sweepsText(result)).toBe(
      'no sweep ran in the period: unchecked by a sweep from 2026-12-01 07:50Z to 2026-12-01 08:00Z (10 min 00 s)',
    );
    expect(renderMarkdown(result)).not.toMatch(/no gap over/);
  });
});

describe('identity', () => {
  it('names the accounts, regions, guard and the SSM parameter version, never the schema version', () => {
    // Prepare
    const records = history([
      [{ kind: 'event-violation', lagSeconds: 0, actor: JDOE }, '2026-11-03T10:00:00Z'],
    ]);

    // Act
    const result = report({ records, guard: { version: '1.4.0', stack: 'EksEndpointGuard' } });
    const md = renderMarkdown(result);

    // Assess
    expect(result.accounts).toEqual(['111122223333']);
    expect(result.regions).toEqual(['us-east-1']);
    expect(result.clusters[0]?.windows[0]).toMatchObject({
      policyDigest: 'sha256:p1',
      policyParameterVersion: 7,
    });
    expect(md).toContain('| Account\\(s\\) | 111122223333 |');
    expect(md).toContain('eks-endpoint-guard 1.4.0, stack EksEndpointGuard');
    expect(md).toContain('parameter version 7 sha256:p1');
    expect(md).not.toMatch(/\bv1\b/);
    expect(JSON.stringify(result.policies)).not.toContain('"version"');
  });
});
