import { effectivePolicyFor, readTagValue } from '../../../functions/core/effective';
import { type PolicyInput, parsePolicy, validatePolicy } from '../../../functions/core/policy/policy';

const NOW = new Date('2026-06-15T12:00:00Z');
const TAG = 'eks-endpoint-guard/exempt';
const BASE: PolicyInput = { version: 1, publicAccess: 'disabled', privateAccess: 'required' };

const policyOf = (extra: Partial<PolicyInput> = {}) => validatePolicy({ ...BASE, ...extra }, 'test');
const tagged = (value: string) => ({ name: 'prod-api', tags: { [TAG]: value } });

function faultOf(value: unknown): string {
  try {
    parsePolicy(JSON.stringify(value), 'test');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the policy to be rejected');
}

describe('exemptionTag: null turns tag exemptions off', () => {
  it('does not exempt a tagged cluster', () => {
    // Prepare
    const policy = policyOf({ exemptionTag: null });

    // Act
    const effective = effectivePolicyFor(policy, tagged('OPS-1'), NOW);

    // Assess
    expect(policy.exemptionTag).toBeNull();
    expect(effective.exemption).toBeUndefined();
    expect(effective.rejectedTag).toBeUndefined();
  });
});

describe('requireTagExpiry', () => {
  it('defaults to false: a tag without a date exempts', () => {
    // Act
    const effective = effectivePolicyFor(policyOf(), tagged('OPS-1'), NOW);

    // Assess
    expect(policyOf().requireTagExpiry).toBe(false);
    expect(effective.exemption).toEqual({ source: 'tag', reason: 'OPS-1' });
  });

  it.each([
    ['a date', 'OPS-123 until 2027-01-31', '2027-01-31'],
    ['a UTC time', 'OPS-123 until 2026-06-15T18:30:00Z', '2026-06-15T18:30:00Z'],
  ])('reads %s after "until"', (_case, value, expires) => {
    // Act
    const effective = effectivePolicyFor(policyOf({ requireTagExpiry: true }), tagged(value), NOW);

    // Assess
    expect(effective.exemption).toEqual({ source: 'tag', reason: 'OPS-123', expires });
    expect(effective.rejectedTag).toBeUndefined();
  });

  it.each([
    ['no date', 'OPS-123', /requires an expiry/],
    ['a past date', 'OPS-123 until 2026-06-14', /expired \(2026-06-14\)/],
    ['a past time', 'OPS-123 until 2026-06-15T11:59:59Z', /expired/],
    ['an impossible date', 'OPS-123 until 2027-02-30', /^unreadable expiry: "2027-02-30" after "until"/],
    ['a time without zone', 'OPS-123 until 2027-01-31T10:00:00', /is not a date/],
  ])('rejects a tag with %s and says why', (_case, value, why) => {
    // Act
    const effective = effectivePolicyFor(policyOf({ requireTagExpiry: true }), tagged(value), NOW);

    // Assess
    expect(effective.exemption).toBeUndefined();
    expect(effective.rejectedTag).toEqual({ tag: TAG, value, why: expect.stringMatching(why) });
  });

  it('honours a date in the tag even when not required', () => {
    // Act
    const effective = effectivePolicyFor(policyOf(), tagged('OPS-9 until 2026-06-01'), NOW);

    // Assess
    expect(effective.exemption).toBeUndefined();
    expect(effective.rejectedTag?.why).toMatch(/expired/);
  });

  // Issue 19, finding 6: a tag expiry that is not a date exempted for ever when no expiry was required.
  it.each([
    ['an impossible day', 'OPS-3 until 2026-02-30', '"2026-02-30"'],
    ['a date without leading zeros', 'OPS-1 until 2026-6-1', '"2026-6-1"'],
    ['a weekday', 'load test until Friday', '"Friday"'],
    ['two words', 'load test until next Friday', '"next Friday"'],
    ['nothing', 'OPS-4 until', 'nothing follows'],
    ['a misspelt until', 'OPS-5 untill 2027-01-31', '"l 2027-01-31"'],
    ['upper case', 'OPS-6 UNTIL soon', '"soon"'],
  ])(
    'rejects %s after "until" as an unreadable expiry, whatever requireTagExpiry says',
    (_case, value, found) => {
      // Act
      const lenient = effectivePolicyFor(policyOf({ requireTagExpiry: false }), tagged(value), NOW);
      const strict = effectivePolicyFor(policyOf({ requireTagExpiry: true }), tagged(value), NOW);

      // Assess
      for (const effective of [lenient, strict]) {
        expect(effective.exemption).toBeUndefined();
        expect(effective.rejectedTag).toEqual({ tag: TAG, value, why: expect.stringContaining(found) });
        expect(effective.rejectedTag?.why).toMatch(/^unreadable expiry: /);
      }
    },
  );

  it('still exempts without an expiry when none is required and the value names no "until"', () => {
    // Act
    const effective = effectivePolicyFor(policyOf(), tagged('load test for the release'), NOW);

    // Assess
    expect(effective.exemption).toEqual({ source: 'tag', reason: 'load test for the release' });
    expect(effective.rejectedTag).toBeUndefined();
  });

  it('falls back to a policy exemption when the tag is rejected', () => {
    // Prepare
    const policy = policyOf({ requireTagExpiry: true, exemptions: [{ cluster: 'prod-*', reason: 'OPS-7' }] });

    // Act
    const effective = effectivePolicyFor(policy, tagged('no date'), NOW);

    // Assess
    expect(effective.exemption).toEqual({ source: 'policy', reason: 'OPS-7' });
    expect(effective.rejectedTag?.why).toMatch(/requires an expiry/);
  });
});

describe('maxTagExemptionDays', () => {
  const policy = policyOf({ maxTagExemptionDays: 30 });

  it('caps a longer expiry and says so', () => {
    // Act
    const effective = effectivePolicyFor(policy, tagged('OPS-1 until 2027-12-31'), NOW);

    // Assess
    expect(effective.exemption).toMatchObject({
      source: 'tag',
      expires: '2026-07-15T12:00:00Z',
      capped: 'the tag asks until 2027-12-31; capped at 30 days (maxTagExemptionDays)',
      since: NOW.toISOString(),
    });
  });

  it('caps a tag without an expiry', () => {
    // Act
    const effective = effectivePolicyFor(policy, tagged('OPS-1'), NOW);

    // Assess
    expect(effective.exemption?.expires).toBe('2026-07-15T12:00:00Z');
    expect(effective.exemption?.capped).toMatch(/no end date/);
  });

  it('keeps a shorter expiry as it is', () => {
    // Act
    const effective = effectivePolicyFor(policy, tagged('OPS-1 until 2026-06-20'), NOW);

    // Assess
    expect(effective.exemption).toMatchObject({ expires: '2026-06-20' });
    expect(effective.exemption?.capped).toBeUndefined();
  });

  it('counts from when the tag was first seen, and ends there', () => {
    // Prepare
    const since = new Date('2026-05-01T00:00:00Z');

    // Act
    const effective = effectivePolicyFor(policy, tagged('OPS-1 until 2027-01-01'), NOW, { tagSince: since });

    // Assess
    expect(effective.exemption).toBeUndefined();
    expect(effective.rejectedTag?.why).toBe(
      "the tag exemption reached the policy's limit of 30 days on 2026-05-31T00:00:00Z",
    );
  });

  it.each([0, 1.5, 3651])('rejects %s', (days) => {
    // Act
    const message = faultOf({ ...BASE, maxTagExemptionDays: days });

    // Assess
    expect(message).toMatch(/^policy test: maxTagExemptionDays: /);
  });
});

describe('readTagValue', () => {
  it.each([
    ['OPS-1', { reason: 'OPS-1' }],
    ['  OPS-1 until 2027-01-31 ', { reason: 'OPS-1', expires: '2027-01-31' }],
    ['UNTIL 2027-01-31', { reason: '', expires: '2027-01-31' }],
    ['until tomorrow', { reason: '', badDate: 'tomorrow' }],
    [
      'wait until the migration until 2027-01-31',
      { reason: 'wait until the migration', expires: '2027-01-31' },
    ],
  ])('%j', (value, expected) => {
    // Act
    const read = readTagValue(value);

    // Assess
    expect(read).toEqual(expected);
  });
});

describe('policy exemptions with a UTC time as expires', () => {
  const policy = policyOf({
    exemptions: [{ cluster: 'prod-*', reason: 'break-glass', expires: '2026-06-15T13:00:00Z' }],
  });

  it('applies until that moment', () => {
    // Act
    const before = effectivePolicyFor(policy, { name: 'prod-api', tags: {} }, NOW);
    const after = effectivePolicyFor(
      policy,
      { name: 'prod-api', tags: {} },
      new Date('2026-06-15T13:00:00Z'),
    );

    // Assess
    expect(before.exemption).toEqual({
      source: 'policy',
      reason: 'break-glass',
      expires: '2026-06-15T13:00:00Z',
    });
    expect(after.exemption).toBeUndefined();
  });

  it('a date still means through the end of that UTC day', () => {
    // Prepare
    const dated = policyOf({ exemptions: [{ cluster: 'prod-*', reason: 'x', expires: '2026-06-15' }] });

    // Act
    const late = effectivePolicyFor(dated, { name: 'prod-api', tags: {} }, new Date('2026-06-15T23:59:59Z'));
    const next = effectivePolicyFor(dated, { name: 'prod-api', tags: {} }, new Date('2026-06-16T00:00:00Z'));

    // Assess
    expect(late.exemption).toBeDefined();
    expect(next.exemption).toBeUndefined();
  });

  it('rejects a time with an offset or no zone', () => {
    // Act
    const message = faultOf({
      ...BASE,
      exemptions: [{ cluster: 'a', reason: 'x', expires: '2026-06-15T13:00:00+02:00' }],
    });

    // Assess
    expect(message).toBe(
      'policy test: exemptions[0].expires: must be a date YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ, got "2026-06-15T13:00:00+02:00"',
    );
  });
});

describe('grace period, blast radius and alert language (schema only)', () => {
  it('defaults', () => {
    // Act
    const policy = policyOf();
    const effective = effectivePolicyFor(policy, { name: 'a', tags: {} }, NOW);

    // Assess
    expect(policy).toMatchObject({ gracePeriodMinutes: 0, alertLanguage: 'en' });
    expect(policy.maxRemediationsPerRun).toBeUndefined();
    expect(effective.gracePeriodMinutes).toBe(0);
  });

  it('takes the grace period of the first matching override', () => {
    // Prepare
    const policy = policyOf({
      gracePeriodMinutes: 15,
      maxRemediationsPerRun: 5,
      alertLanguage: 'ja',
      overrides: [{ clusters: ['dev-*'], gracePeriodMinutes: 120 }],
    });

    // Act
    const dev = effectivePolicyFor(policy, { name: 'dev-1', tags: {} }, NOW);
    const prod = effectivePolicyFor(policy, { name: 'prod-1', tags: {} }, NOW);

    // Assess
    expect(dev.gracePeriodMinutes).toBe(120);
    expect(prod.gracePeriodMinutes).toBe(15);
    expect(policy).toMatchObject({ maxRemediationsPerRun: 5, alertLanguage: 'ja' });
  });

  it.each([
    [{ gracePeriodMinutes: -1 }, /^policy test: gracePeriodMinutes: /],
    [{ gracePeriodMinutes: 10081 }, /^policy test: gracePeriodMinutes: /],
    [{ gracePeriodMinutes: 2.5 }, /^policy test: gracePeriodMinutes: /],
    [{ overrides: [{ clusters: ['a'], gracePeriodMinutes: 99999 }] }, /overrides\[0\]\.gracePeriodMinutes: /],
    [{ maxRemediationsPerRun: 0 }, /^policy test: maxRemediationsPerRun: /],
    [{ alertLanguage: 'fr' }, /^policy test: alertLanguage: must be one of "en", "ja", got "fr"/],
    [{ requireTagExpiry: 'yes' }, /^policy test: requireTagExpiry: must be true or false/],
  ])('rejects %j', (extra, fault) => {
    // Act
    const message = faultOf({ ...BASE, ...extra });

    // Assess
    expect(message).toMatch(fault);
  });
});
