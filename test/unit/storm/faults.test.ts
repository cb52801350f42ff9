import { chooseCrash, chooseFault, type FaultPlan, ratesFor, throttleStorms } from '../../../storm/faults';
import { Random } from '../../../storm/random';

const QUIET = { throttle: 0, serverError: 0, reset: 0, lostResponse: 0, timeout: 0, latency: 0 };

function plan(overrides: Partial<FaultPlan> = {}): FaultPlan {
  return {
    base: QUIET,
    services: {},
    throttleStorms: [],
    latencyMs: [10, 20],
    timeoutMs: [100, 200],
    ...overrides,
  };
}

describe('chooseFault', () => {
  it('injects nothing when every rate is zero', () => {
    // Prepare
    const random = new Random(1);

    // Act
    const faults = Array.from({ length: 200 }, () => chooseFault(random, plan(), 'eks', 0));

    // Assess
    expect(faults.every((f) => f.kind === 'none' && f.latencyMs === 0)).toBe(true);
  });

  it('injects each fault in about its share of the requests', () => {
    // Prepare
    const random = new Random(2);
    const rates = { ...QUIET, throttle: 0.2, serverError: 0.1, lostResponse: 0.1 };

    // Act
    const faults = Array.from({ length: 5000 }, () => chooseFault(random, plan({ base: rates }), 'sqs', 0));

    // Assess
    const share = (kind: string) => faults.filter((f) => f.kind === kind).length / faults.length;
    expect(share('throttle')).toBeGreaterThan(0.17);
    expect(share('throttle')).toBeLessThan(0.23);
    expect(share('server-error')).toBeGreaterThan(0.08);
    expect(share('lost-response')).toBeGreaterThan(0.08);
    expect(share('reset')).toBe(0);
  });

  it("uses a service's own rates over the base ones", () => {
    // Prepare
    const random = new Random(3);
    const faulty = plan({ services: { dynamodb: { throttle: 1 } } });

    // Act
    const [dynamodb, eks] = [
      chooseFault(random, faulty, 'dynamodb', 0),
      chooseFault(random, faulty, 'eks', 0),
    ];

    // Assess
    expect(dynamodb.kind).toBe('throttle');
    expect(eks.kind).toBe('none');
  });

  it('holds a timeout within its bounds, and adds latency within its bounds', () => {
    // Prepare
    const random = new Random(4);
    const slow = plan({ base: { ...QUIET, timeout: 1, latency: 1 } });

    // Act
    const fault = chooseFault(random, slow, 'ssm', 0);

    // Assess
    expect(fault.kind).toBe('timeout');
    expect(fault.holdMs).toBeGreaterThanOrEqual(100);
    expect(fault.holdMs).toBeLessThanOrEqual(200);
    expect(fault.latencyMs).toBeGreaterThanOrEqual(10);
    expect(fault.latencyMs).toBeLessThanOrEqual(20);
  });
});

describe('throttle storms', () => {
  it("raise every service's throttling during their window only", () => {
    // Prepare
    const stormy = plan({
      base: { ...QUIET, throttle: 0.05 },
      throttleStorms: [{ from: 1000, to: 2000, share: 0.6 }],
    });

    // Act
    const [before, during, after] = [0, 1500, 2000].map((t) => ratesFor(stormy, 'sns', t).throttle);

    // Assess
    expect([before, during, after]).toEqual([0.05, 0.6, 0.05]);
  });

  it('are spread over the run, each within its slot', () => {
    // Act
    const storms = throttleStorms(new Random(5), 60_000, 3, 5000, 0.6);

    // Assess
    expect(storms).toHaveLength(3);
    storms.forEach((storm, i) => {
      expect(storm.from).toBeGreaterThanOrEqual(i * 20_000);
      expect(storm.to).toBeLessThanOrEqual((i + 1) * 20_000);
      expect(storm.to - storm.from).toBe(5000);
    });
  });
});

describe('chooseCrash', () => {
  it('kills only at the crash points of the plan', () => {
    // Prepare
    const random = new Random(6);
    const crashes = { 'eks:UpdateClusterConfig': 1 };

    // Act
    const [update, describe_] = [
      chooseCrash(random, crashes, 'eks', 'UpdateClusterConfig'),
      chooseCrash(random, crashes, 'eks', 'DescribeCluster'),
    ];

    // Assess
    expect(update).toBe(true);
    expect(describe_).toBe(false);
  });
});
