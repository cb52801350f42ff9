import { AdaptiveLimit } from '../../../functions/core/adaptive-limit';

/** Runs `calls` calls one after another, each ending as `end`. */
function run(limit: AdaptiveLimit, calls: number, end: 'succeeded' | 'throttled' | 'failed'): void {
  for (let i = 0; i < calls; i++) limit.done(limit.start(), end);
}

describe('AdaptiveLimit', () => {
  it('starts at the initial level, clamped to the ceiling and to at least 1', () => {
    // Prepare, Act
    const normal = new AdaptiveLimit({ initial: 4, max: 64 });
    const aboveCeiling = new AdaptiveLimit({ initial: 10, max: 3 });
    const belowOne = new AdaptiveLimit({ initial: 0, max: 8, min: 0 });

    // Assess
    expect(normal.limit).toBe(4);
    expect(aboveCeiling.limit).toBe(3);
    expect(belowOne.limit).toBe(1);
    expect(belowOne.min).toBe(1);
  });

  it('grows by one per success up to the ceiling, never beyond', () => {
    // Prepare
    const limit = new AdaptiveLimit({ initial: 4, max: 10 });

    // Act
    run(limit, 3, 'succeeded');
    const afterThree = limit.limit;
    run(limit, 100, 'succeeded');

    // Assess
    expect(afterThree).toBe(7);
    expect(limit.limit).toBe(10);
    expect(limit.peak).toBe(10);
  });

  it('halves at once on a throttle, and never goes below 1', () => {
    // Prepare
    const limit = new AdaptiveLimit({ initial: 16, max: 16 });

    // Act
    run(limit, 1, 'throttled');
    const once = limit.limit;
    run(limit, 20, 'throttled');

    // Assess
    expect(once).toBe(8);
    expect(limit.limit).toBe(1);
    expect(limit.decreases).toBe(4);
  });

  it('halves once for a burst of throttles from calls sent before the halving', () => {
    // Prepare: 8 calls in flight at limit 8.
    const limit = new AdaptiveLimit({ initial: 8, max: 8 });
    const tickets = Array.from({ length: 8 }, () => limit.start());

    // Act: all of them come back throttled.
    for (const ticket of tickets) limit.done(ticket, 'throttled');

    // Assess
    expect(limit.limit).toBe(4);
    expect(limit.decreases).toBe(1);
    expect(limit.inFlight).toBe(0);
  });

  it('after a throttle, grows by one per round of calls (additive increase)', () => {
    // Prepare
    const limit = new AdaptiveLimit({ initial: 16, max: 64 });
    run(limit, 1, 'throttled');

    // Act: a round of 8 successes at limit 8.
    run(limit, 8, 'succeeded');

    // Assess
    expect(limit.limit).toBe(9);
  });

  it('leaves the limit alone on a failure that is not a throttle', () => {
    // Prepare
    const limit = new AdaptiveLimit({ initial: 5, max: 10 });

    // Act
    run(limit, 3, 'failed');

    // Assess
    expect(limit.limit).toBe(5);
  });

  it('has room while fewer calls than the limit are in flight, and counts the peak', () => {
    // Prepare
    const limit = new AdaptiveLimit({ initial: 2, max: 2 });

    // Act
    const first = limit.start();
    const roomAfterOne = limit.hasRoom();
    limit.start();
    const roomAfterTwo = limit.hasRoom();
    limit.done(first, 'failed');

    // Assess
    expect(roomAfterOne).toBe(true);
    expect(roomAfterTwo).toBe(false);
    expect(limit.hasRoom()).toBe(true);
    expect(limit.peakInFlight).toBe(2);
  });
});
