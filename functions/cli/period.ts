import { CliError } from './cli-error';
import { parseSince } from './options';

export interface Period {
  since: Date;
  /** Exclusive. */
  until: Date;
}

const MONTH = /^(\d{4})-(\d{2})$/;
const GLOB = /^[0-9A-Za-z_*?-]{1,100}$/;

/**
 * `--month 2026-11`, or `--since`/`--until` (each a duration back from now or an ISO date or
 * time; `--until` defaults to now and is exclusive).
 */
export function parsePeriod(
  options: { since?: string; until?: string; month?: string },
  now: Date,
  defaultSince = '30d',
): Period {
  if (options.month !== undefined) {
    if (options.since !== undefined || options.until !== undefined) {
      throw new CliError('--month cannot be used with --since or --until');
    }
    const match = MONTH.exec(options.month.trim());
    const year = Number(match?.[1]);
    const month = Number(match?.[2]);
    if (!match || month < 1 || month > 12) {
      throw new CliError(`--month "${options.month}": expected a month such as 2026-11`);
    }
    const since = new Date(Date.UTC(year, month - 1, 1));
    if (since > now) throw new CliError(`--month "${options.month}": is in the future`);
    return { since, until: new Date(Date.UTC(year, month, 1)) };
  }
  const since = parseSince(options.since ?? defaultSince, now);
  const until = options.until === undefined ? now : parseUntil(options.until, now);
  if (until <= since) {
    throw new CliError(`--until ${until.toISOString()} is not after --since ${since.toISOString()}`);
  }
  return { since, until };
}

/** Like --since, but named --until in its errors. */
export function parseUntil(text: string, now: Date): Date {
  try {
    return parseSince(text, now);
  } catch (error) {
    if (error instanceof CliError) throw new CliError(error.message.replace(/^--since/, '--until'));
    throw error;
  }
}

/** A cluster name glob (`*` any run, `?` one character), as in the policy. */
export function parseClusterGlob(text: string): string {
  if (!GLOB.test(text)) {
    throw new CliError(
      `--cluster "${text}": expected a cluster name or a glob of one (letters, digits, -, _, * and ?)`,
    );
  }
  return text;
}

/** `30m`, `1h`, `2h` → seconds. */
export function parseInterval(option: string, text: string): number {
  const match = /^(\d+)\s*([mh])$/i.exec(text.trim());
  const amount = Number(match?.[1]);
  if (!match || amount <= 0) throw new CliError(`${option} "${text}": expected a duration such as 30m or 1h`);
  return amount * ((match[2] ?? 'h').toLowerCase() === 'h' ? 3600 : 60);
}
