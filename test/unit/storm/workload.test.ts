import { validatePolicy } from '../../../functions/core/policy/policy';
import { Random } from '../../../storm/random';
import { CLOSED, clustersOf, POLICIES, tally, workloadOf } from '../../../storm/workload';

describe("the storm's workload", () => {
  it('is the same for the same seed', () => {
    // Prepare
    const clusters = clustersOf(new Random(1), 10);

    // Act
    const [a, b] = [
      workloadOf(new Random(2), clusters, 50, 10_000),
      workloadOf(new Random(2), clusters, 50, 10_000),
    ];

    // Assess
    expect(a).toEqual(b);
  });

  it("plays its actions in time order within the run, on the storm's clusters", () => {
    // Prepare
    const clusters = clustersOf(new Random(3), 8);
    const names = new Set(clusters.map((c) => c.name));

    // Act
    const actions = workloadOf(new Random(4), clusters, 200, 60_000);

    // Assess
    expect(actions.length).toBeGreaterThanOrEqual(200);
    expect(actions.map((a) => a.at)).toEqual([...actions.map((a) => a.at)].sort((x, y) => x - y));
    expect(actions.every((a) => a.at >= 0 && a.at < 62_000)).toBe(true);
    expect(actions.every((a) => !('cluster' in a) || names.has(a.cluster))).toBe(true);
    const counts = tally(actions);
    for (const kind of ['open', 'close', 'exempt', 'unexempt', 'tag', 'policy', 'sweep'] as const) {
      expect(counts[kind]).toBeGreaterThan(0);
    }
  });

  it('names clusters as EKS allows, some of them dev (the override policy) and some without DNS', () => {
    // Act
    const clusters = clustersOf(new Random(5), 40);

    // Assess
    expect(clusters.every((c) => /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(c.name))).toBe(true);
    expect(clusters.some((c) => c.name.startsWith('dev-'))).toBe(true);
    expect(clusters.some((c) => c.noDns)).toBe(true);
  });

  it('switches only between valid policies that enforce', () => {
    // Act
    const policies = POLICIES.map((p) => validatePolicy(p, 'storm'));

    // Assess
    expect(policies.every((p) => p.mode === 'enforce')).toBe(true);
    expect(CLOSED).toEqual({ publicAccess: false, privateAccess: true, publicAccessCidrs: [] });
  });
});
