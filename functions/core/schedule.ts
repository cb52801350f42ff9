/**
 * How often an EventBridge schedule fires, from its expression: `rate(N unit)` exactly, and the
 * common `cron(...)` shapes (every N minutes, hourly at a minute, every N hours, daily at a time).
 * Anything else (days of the week, lists, ranges) is undefined: the caller decides what to assume.
 */
export function schedulePeriodSeconds(expression: string): number | undefined {
  const text = expression.trim();
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(text);
  if (rate) {
    const count = Number(rate[1]);
    const unit = rate[2]?.startsWith('minute') ? 60 : rate[2]?.startsWith('hour') ? 3600 : 86_400;
    return count > 0 ? count * unit : undefined;
  }
  const cron = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/.exec(text);
  if (!cron) return undefined;
  const [, minute = '', hour = '', dayOfMonth = '', month = '', dayOfWeek = '', year = ''] = cron;
  const everyDay = (dayOfMonth === '*' || dayOfMonth === '?') && (dayOfWeek === '*' || dayOfWeek === '?');
  if (!everyDay || month !== '*' || year !== '*') return undefined;
  const step = (field: string) => /^(?:\*|0)\/(\d+)$/.exec(field)?.[1];
  const single = (field: string) => /^\d{1,2}$/.test(field);
  if (hour === '*' && step(minute)) return Number(step(minute)) * 60;
  if (hour === '*' && minute === '*') return 60;
  if (single(minute) && hour === '*') return 3600;
  if (single(minute) && step(hour)) return Number(step(hour)) * 3600;
  if (single(minute) && single(hour)) return 86_400;
  return undefined;
}

/** The start of the period of `seconds` that holds `now`, counted from the epoch: `2026-06-03T10:00:00Z`. */
export function periodStart(now: Date, seconds: number): string {
  const ms = seconds * 1000;
  return new Date(Math.floor(now.getTime() / ms) * ms).toISOString().replace('.000Z', 'Z');
}
