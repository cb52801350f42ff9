import fc from 'fast-check';
import { buildReport } from '../../../../functions/core/report/summary';
import { exposedWithin, exposureWindows, isUpdateSuccess } from '../../../../functions/core/report/windows';
import { historyArb, START } from './history';

const RUNS = { numRuns: 500 };
const SINCE = new Date(START + 3 * 3600_000);
const UNTIL = new Date(START + 5 * 86_400_000);

describe('exposure window properties', () => {
  it('never overlap per cluster, each ending no earlier than it starts', () => {
    fc.assert(
      fc.property(historyArb, (records) => {
        // Act
        const windows = exposureWindows(records);

        // Assess
        windows.forEach((w, i) => {
          if (w.end) expect(Date.parse(w.end)).toBeGreaterThanOrEqual(Date.parse(w.start));
          else expect(i).toBe(windows.length - 1);
          const next = windows[i + 1];
          if (next) expect(Date.parse(next.start)).toBeGreaterThanOrEqual(Date.parse(w.end ?? ''));
        });
      }),
      RUNS,
    );
  });

  it('give the same windows whatever order the records are read in', () => {
    fc.assert(
      fc.property(
        historyArb.chain((records) =>
          fc.tuple(fc.constant(records), fc.shuffledSubarray(records, { minLength: records.length })),
        ),
        ([records, shuffled]) => {
          // Assess
          expect(exposureWindows(shuffled)).toEqual(exposureWindows(records));
        },
      ),
      RUNS,
    );
  });

  it('make a total exposure equal to the sum of the windows, per cluster and for the account', () => {
    fc.assert(
      fc.property(historyArb, historyArb, (a, b) => {
        // Prepare
        const records = [...a, ...b.map((r) => ({ ...r, cluster: 'payments' }))];

        // Act
        const report = buildReport({
          period: { since: SINCE, until: UNTIL },
          now: UNTIL,
          region: 'us-east-1',
          records,
          sweeps: [],
          markers: [],
          sweepIntervalSeconds: 3600,
        });

        // Assess
        for (const cluster of report.clusters) {
          expect(cluster.exposedSeconds).toBe(cluster.windows.reduce((sum, w) => sum + w.exposedSeconds, 0));
          for (const w of cluster.windows) expect(w.exposedSeconds).toBe(exposedWithin(w, SINCE, UNTIL));
        }
        expect(report.exposedSeconds).toBe(report.clusters.reduce((sum, c) => sum + c.exposedSeconds, 0));
        expect(report.exposedSeconds).toBeLessThanOrEqual(
          report.clusters.length * ((UNTIL.getTime() - SINCE.getTime()) / 1000),
        );
      }),
      RUNS,
    );
  });

  it('count windows so that open at the start + opened = closed + still open, and TTR only inside coverage', () => {
    fc.assert(
      fc.property(historyArb, historyArb, (a, b) => {
        // Act
        const report = buildReport({
          period: { since: SINCE, until: UNTIL },
          now: UNTIL,
          region: 'us-east-1',
          records: [...a, ...b.map((r) => ({ ...r, cluster: 'payments' }))],
          sweeps: [],
          markers: [],
          sweepIntervalSeconds: 3600,
        });

        // Assess
        const { openAtStart, opened, closed, open } = report.windows;
        const windows = report.clusters.flatMap((c) => c.windows);
        expect(openAtStart + opened).toBe(closed + open);
        expect(openAtStart + opened).toBe(windows.length);
        const coverage = Date.parse(report.coverage.since ?? '');
        for (const w of windows) {
          if (w.timeToRemediateSeconds !== undefined)
            expect(Date.parse(w.start)).toBeGreaterThanOrEqual(coverage);
          expect(w.beforeCoverage).toBe(Date.parse(w.start) < coverage);
        }
        expect(
          report.timeToRemediate.count + report.beforeCoverage.fixedAfterCoverage.count,
        ).toBeLessThanOrEqual(closed);
      }),
      RUNS,
    );
  });

  it('close a remediated window at the update success, and no window spans a success', () => {
    fc.assert(
      fc.property(historyArb, (records) => {
        // Act
        const windows = exposureWindows(records);

        // Assess
        const successes = records.filter(isUpdateSuccess).map((r) => Date.parse(r.time));
        for (const w of windows) {
          const start = Date.parse(w.start);
          const end = w.end ? Date.parse(w.end) : Number.POSITIVE_INFINITY;
          for (const t of successes) expect(start < t && t < end).toBe(false);
          if (w.closedBy === 'update-successful') expect(successes).toContain(end);
          // The first record after the window opened that closes it by success ends it there.
          const firstSeen = Date.parse(w.firstSeen);
          const nextSuccess = successes.find((t) => t > firstSeen);
          if (nextSuccess !== undefined && end > nextSuccess) throw new Error('window runs past a success');
        }
      }),
      RUNS,
    );
  });
});
