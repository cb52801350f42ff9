import { isOutcome, OUTCOMES, type Outcome } from '../core/outcome';
import { CliError } from './cli-error';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * `--since`: a duration back from now (`30m`, `12h`, `7d`, `2w`) or an ISO date (UTC midnight)
 * or date-time with a zone.
 */
export function parseSince(text: string, now: Date): Date {
  const value = text.trim();
  const duration = /^(\d+)\s*([mhdw])$/i.exec(value);
  if (duration) {
    const amount = Number(duration[1]);
    const unit = (duration[2] ?? 'd').toLowerCase();
    if (amount <= 0) throw new CliError(`--since "${text}": the duration must be greater than 0`);
    return new Date(now.getTime() - amount * (UNIT_MS[unit] ?? UNIT_MS.d ?? 0));
  }
  if (ISO_DATE.test(value) || ISO_DATE_TIME.test(value)) {
    const time = Date.parse(ISO_DATE.test(value) ? `${value}T00:00:00Z` : value);
    if (Number.isNaN(time) || !isRealDate(value)) throw new CliError(`--since "${text}": not a real date`);
    if (time > now.getTime()) throw new CliError(`--since "${text}": is in the future`);
    return new Date(time);
  }
  throw new CliError(
    `--since "${text}": expected a duration such as 30m, 12h or 7d, or an ISO date or time such as 2025-06-01 or 2025-06-01T12:00:00Z`,
  );
}

/** Date.parse rolls 2025-02-30 over to March: check the calendar date itself. */
function isRealDate(value: string): boolean {
  const [year = 0, month = 0, day = 0] = value.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function parseOutcome(text: string): Outcome {
  const value = text.trim().toLowerCase();
  if (isOutcome(value)) return value;
  throw new CliError(`--outcome "${text}": expected one of ${OUTCOMES.join(', ')}`);
}

export function parsePositiveInt(option: string, max: number): (text: string) => number {
  return (text: string) => {
    const value = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1 || value > max) {
      throw new CliError(`${option} "${text}": expected a whole number from 1 to ${max}`);
    }
    return value;
  };
}

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

export function parseClusterName(text: string): string {
  if (!CLUSTER_NAME.test(text)) {
    throw new CliError(
      `--cluster "${text}": not an EKS cluster name (letters, digits, - and _, starting with a letter or digit, at most 100)`,
    );
  }
  return text;
}
