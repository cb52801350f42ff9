import { CliError } from '../../../functions/cli/cli-error';
import { parseClusterGlob, parseInterval, parsePeriod, parseUntil } from '../../../functions/cli/period';

const NOW = new Date('2026-12-01T09:00:00Z');

describe('parsePeriod', () => {
  it('takes a calendar month, until the first of the next', () => {
    // Act
    const period = parsePeriod({ month: '2026-11' }, NOW);

    // Assess
    expect(period).toEqual({
      since: new Date('2026-11-01T00:00:00Z'),
      until: new Date('2026-12-01T00:00:00Z'),
    });
  });

  it('takes --since and --until, and defaults to the last 30 days until now', () => {
    // Act
    const given = parsePeriod({ since: '2026-11-01', until: '2026-11-15T12:00:00Z' }, NOW);
    const fallback = parsePeriod({}, NOW);

    // Assess
    expect(given).toEqual({
      since: new Date('2026-11-01T00:00:00Z'),
      until: new Date('2026-11-15T12:00:00Z'),
    });
    expect(fallback).toEqual({ since: new Date('2026-11-01T09:00:00Z'), until: NOW });
  });

  it.each([
    [{ month: '2026-13' }, '--month "2026-13": expected a month such as 2026-11'],
    [{ month: 'November' }, '--month "November": expected a month such as 2026-11'],
    [{ month: '2027-01' }, '--month "2027-01": is in the future'],
    [{ month: '2026-11', since: '7d' }, '--month cannot be used with --since or --until'],
    [
      { since: '2026-11-10', until: '2026-11-01' },
      '--until 2026-11-01T00:00:00.000Z is not after --since 2026-11-10T00:00:00.000Z',
    ],
    [
      { until: 'soon' },
      '--until "soon": expected a duration such as 30m, 12h or 7d, or an ISO date or time such as 2025-06-01 or 2025-06-01T12:00:00Z',
    ],
  ])('refuses %j in one line', (options, message) => {
    // Act
    const parse = () => parsePeriod(options, NOW);

    // Assess
    expect(parse).toThrow(CliError);
    expect(parse).toThrow(message);
  });

  it('names --until in its own errors and passes other errors on', () => {
    // Assess
    expect(() => parseUntil('2026-02-30', NOW)).toThrow('--until "2026-02-30": not a real date');
    expect(() => parseUntil(undefined as unknown as string, NOW)).toThrow(TypeError);
  });
});

describe('parseClusterGlob and parseInterval', () => {
  it('accepts names and globs, and refuses anything else', () => {
    // Assess
    expect(parseClusterGlob('prod-*')).toBe('prod-*');
    expect(parseClusterGlob('edge-proxy?')).toBe('edge-proxy?');
    expect(() => parseClusterGlob('prod api')).toThrow(
      /^--cluster "prod api": expected a cluster name or a glob/,
    );
  });

  it('reads minutes and hours', () => {
    // Assess
    expect(parseInterval('--sweep-interval', '30m')).toBe(1800);
    expect(parseInterval('--sweep-interval', '2h')).toBe(7200);
    expect(() => parseInterval('--sweep-interval', '0h')).toThrow(
      '--sweep-interval "0h": expected a duration such as 30m or 1h',
    );
    expect(() => parseInterval('--sweep-interval', '1d')).toThrow(CliError);
  });
});
