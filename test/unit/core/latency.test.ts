import { CLOUDTRAIL_DELIVERY_WINDOW_MS, latencySince } from '../../../functions/core/latency';

describe('latencySince', () => {
  const decided = '2026-06-03T12:00:00.000Z';
  const ago = (ms: number) => new Date(Date.parse(decided) - ms).toISOString();

  it('measures an event within the delivery window from its time', () => {
    // Act
    const sample = latencySince(ago(CLOUDTRAIL_DELIVERY_WINDOW_MS), decided);

    // Assess: exactly an hour old is still within the window
    expect(sample).toEqual({ kind: 'timely', ms: CLOUDTRAIL_DELIVERY_WINDOW_MS });
  });

  it('calls an event older than an hour at the decision late', () => {
    // Act
    const sample = latencySince(ago(CLOUDTRAIL_DELIVERY_WINDOW_MS + 1), decided);

    // Assess
    expect(sample).toEqual({ kind: 'late' });
  });

  it('measures up to a later time, judging the age at the decision', () => {
    // Act
    const sample = latencySince(ago(30 * 60_000), decided, '2026-06-03T13:00:00.000Z');

    // Assess
    expect(sample).toEqual({ kind: 'timely', ms: 90 * 60_000 });
  });

  it('takes a little clock skew as no latency, and a time well in the future as late', () => {
    // Act
    const skewed = latencySince('2026-06-03T12:01:00.000Z', decided);
    const future = latencySince('2026-06-03T12:30:00.000Z', decided);

    // Assess
    expect(skewed).toEqual({ kind: 'timely', ms: 0 });
    expect(future).toEqual({ kind: 'late' });
  });

  it('has nothing to measure without a readable event time', () => {
    // Act / Assess
    expect(latencySince(undefined, decided)).toBeUndefined();
    expect(latencySince('yesterday', decided)).toBeUndefined();
  });
});
