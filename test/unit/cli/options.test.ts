import { CliError } from '../../../functions/cli/cli-error';
import { parseClusterName, parseOutcome, parsePositiveInt, parseSince } from '../../../functions/cli/options';

const NOW = new Date('2025-06-10T12:00:00.000Z');

describe('parseSince', () => {
  it.each([
    ['30m', '2025-06-10T11:30:00.000Z'],
    ['12h', '2025-06-10T00:00:00.000Z'],
    ['7d', '2025-06-03T12:00:00.000Z'],
    ['2w', '2025-05-27T12:00:00.000Z'],
    ['7D', '2025-06-03T12:00:00.000Z'],
    [' 90m ', '2025-06-10T10:30:00.000Z'],
  ])('reads the duration %s back from now', (text, expected) => {
    // Act
    const since = parseSince(text, NOW);

    // Assess
    expect(since.toISOString()).toBe(expected);
  });

  it.each([
    ['a date as UTC midnight', '2025-06-01', '2025-06-01T00:00:00.000Z'],
    ['a UTC date-time', '2025-06-01T08:15:00Z', '2025-06-01T08:15:00.000Z'],
    ['a date-time with an offset', '2025-06-01T10:15:00+02:00', '2025-06-01T08:15:00.000Z'],
    ['a date-time with milliseconds', '2025-06-01T08:15:00.250Z', '2025-06-01T08:15:00.250Z'],
  ])('reads %s', (_name, text, expected) => {
    // Act
    const since = parseSince(text, NOW);

    // Assess
    expect(since.toISOString()).toBe(expected);
  });

  it.each([
    ['a word', 'yesterday', /expected a duration such as 30m, 12h or 7d, or an ISO date or time/],
    ['an unknown unit', '3y', /expected a duration/],
    ['a zero duration', '0d', /must be greater than 0/],
    ['a date-time without a zone', '2025-06-01T08:15:00', /expected a duration/],
    ['an impossible date', '2025-02-30', /not a real date|expected a duration/],
    ['a future date', '2025-07-01', /is in the future/],
  ])('rejects %s with a one-line reason', (_name, text, reason) => {
    // Act
    const act = () => parseSince(text, NOW);

    // Assess
    expect(act).toThrow(CliError);
    expect(act).toThrow(reason);
    expect(act).toThrow(`--since "${text}"`);
  });
});

describe('parseOutcome', () => {
  it('accepts an outcome word in any case', () => {
    // Act
    const outcome = parseOutcome('Would-Remediate');

    // Assess
    expect(outcome).toBe('would-remediate');
  });

  it('lists the outcome words when the word is unknown', () => {
    // Act
    const act = () => parseOutcome('fixed');

    // Assess
    expect(act).toThrow(
      '--outcome "fixed": expected one of compliant, remediated, would-remediate, deferred, exempt, blocked, ignored, failed',
    );
  });
});

describe('parsePositiveInt', () => {
  it.each([
    ['1', 1],
    ['64', 64],
  ])('accepts %s', (text, expected) => {
    // Act
    const value = parsePositiveInt('--concurrency', 64)(text);

    // Assess
    expect(value).toBe(expected);
  });

  it.each(['0', '65', '-1', '2.5', 'eight', ''])('rejects %j', (text) => {
    // Act
    const act = () => parsePositiveInt('--concurrency', 64)(text);

    // Assess
    expect(act).toThrow(`--concurrency "${text}": expected a whole number from 1 to 64`);
  });
});

describe('parseClusterName', () => {
  it('accepts an EKS cluster name', () => {
    // Act
    const name = parseClusterName('prod_api-2');

    // Assess
    expect(name).toBe('prod_api-2');
  });

  it.each(['-leading-dash', 'has space', 'a'.repeat(101), 'prod/api'])('rejects %j', (text) => {
    // Act
    const act = () => parseClusterName(text);

    // Assess
    expect(act).toThrow(/not an EKS cluster name/);
  });
});
