import { periodStart, schedulePeriodSeconds } from '../../../functions/core/schedule';

describe('schedulePeriodSeconds', () => {
  it.each([
    ['rate(1 hour)', 3600],
    ['rate(5 minutes)', 300],
    ['rate(1 day)', 86_400],
    ['rate(2 days)', 172_800],
    ['cron(0/15 * * * ? *)', 900],
    ['cron(*/5 * * * ? *)', 300],
    ['cron(7 * * * ? *)', 3600],
    ['cron(0 */6 * * ? *)', 21_600],
    ['cron(30 2 * * ? *)', 86_400],
  ])('%s → %d s', (expression, seconds) => {
    // Act
    const period = schedulePeriodSeconds(expression);
    // Assess
    expect(period).toBe(seconds);
  });

  it.each(['cron(0 8 ? * MON-FRI *)', 'cron(0 8,20 * * ? *)', 'rate(0 minutes)', 'hourly', 'rate(1 week)'])(
    'reads no period from %s',
    (expression) => {
      // Act
      const period = schedulePeriodSeconds(expression);
      // Assess
      expect(period).toBeUndefined();
    },
  );
});

describe('periodStart', () => {
  it('is the start of the period that holds the time', () => {
    // Act
    const hour = periodStart(new Date('2026-06-03T10:59:59.999Z'), 3600);
    const quarter = periodStart(new Date('2026-06-03T10:16:00Z'), 900);
    // Assess
    expect(hour).toBe('2026-06-03T10:00:00Z');
    expect(quarter).toBe('2026-06-03T10:15:00Z');
  });
});
