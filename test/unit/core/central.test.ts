import { centralRecord, scheduleSeconds, staleMembers } from '../../../functions/core/central';

/**
 * The envelope EventBridge really delivers: a member in us-east-1 sends to the central bus in
 * eu-west-1, so `region` is the bus's (eu-west-1); the member's region travels in `source`.
 */
const envelope = (
  detailType: string,
  detail: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({
  version: '0',
  id: 'ev-1',
  account: '111122223333',
  region: 'eu-west-1',
  source: 'eks-endpoint-guard.us-east-1',
  'detail-type': detailType,
  time: '2026-12-01T08:00:00Z',
  resources: [],
  detail,
  ...extra,
});
const CONTEXT = { regions: ['us-east-1', 'eu-west-1'], now: new Date('2026-12-01T08:01:00Z') };
const decision = {
  cluster: 'prod-api',
  outcome: 'remediated',
  time: '2026-12-01T08:00:00.000Z',
  correlationId: 'c-1',
};

describe('central record', () => {
  // Issue 19, finding 2: every region of an account was keyed by the central bus's region.
  test('a decision is keyed by the envelope account and the source region, never the claimed ones', () => {
    // Prepare
    const event = envelope('EKS Endpoint Guard Decision', {
      ...decision,
      account: '999999999999',
      region: 'ap-south-1',
    });
    // Act
    const record = centralRecord(event, CONTEXT);
    // Assess
    expect(record).toEqual({
      kind: 'decision',
      item: expect.objectContaining({
        pk: '111122223333#us-east-1#prod-api',
        sk: '2026-12-01T08:00:00.000Z#c-1#remediated',
        day: '2026-12-01',
        account: '111122223333',
        region: 'us-east-1',
        claimedAccount: '999999999999',
        claimedRegion: 'ap-south-1',
      }),
    });
  });

  test('detail fields with unusual names are not stored', () => {
    // Act
    const record = centralRecord(
      envelope('EKS Endpoint Guard Decision', { ...decision, 'a.b': 1, reason: 'r' }),
      CONTEXT,
    );
    // Assess
    expect(record.kind === 'decision' && record.item).toMatchObject({ reason: 'r' });
    expect(record.kind === 'decision' && 'a.b' in record.item).toBe(false);
  });

  test('a sweep becomes the member heartbeat, retired after 30 days of silence', () => {
    // Prepare
    const sweep = { sweptAt: '2026-12-01T08:00:00.000Z', clusters: 3, sweepSchedule: 'rate(1 hour)' };
    // Act
    const record = centralRecord(envelope('EKS Endpoint Guard Sweep', sweep), CONTEXT);
    // Assess
    expect(record).toEqual({
      kind: 'sweep',
      item: {
        pk: 'member',
        sk: '111122223333#us-east-1',
        account: '111122223333',
        region: 'us-east-1',
        lastSweepAt: sweep.sweptAt,
        sweepSchedule: 'rate(1 hour)',
        clusters: 3,
        expiresAt: Date.parse(sweep.sweptAt) / 1000 + 30 * 86_400,
      },
    });
  });

  test('two regions of one account are two members, whatever region the bus is in', () => {
    // Prepare
    const sweep = { sweptAt: '2026-12-01T08:00:00.000Z', clusters: 3, sweepSchedule: 'rate(1 hour)' };
    // Act
    const keys = ['eks-endpoint-guard.us-east-1', 'eks-endpoint-guard.eu-west-1'].map((source) => {
      const record = centralRecord(envelope('EKS Endpoint Guard Sweep', sweep, { source }), CONTEXT);
      return record.kind === 'sweep' ? record.item.sk : record.kind;
    });
    // Assess
    expect(keys).toEqual(['111122223333#us-east-1', '111122223333#eu-west-1']);
  });

  // Issue 19, finding 1: a heartbeat in year 9999 refused every real one after it.
  test.each([
    [
      'a sweep in year 9999',
      { sweptAt: '9999-12-31T23:59:59.000Z' },
      /sweptAt 9999-12-31T23:59:59.000Z is \d+ s ahead/,
    ],
    [
      'a sweep six minutes ahead',
      { sweptAt: '2026-12-01T08:07:00.000Z' },
      /360 s ahead of the central clock \(at most 300 s\)/,
    ],
    [
      'a schedule of one minute',
      { sweepSchedule: 'rate(1 minute)' },
      /is not a schedule of 5 minutes to 1 day/,
    ],
    ['a schedule of a week', { sweepSchedule: 'rate(7 days)' }, /is not a schedule of 5 minutes to 1 day/],
    ['a schedule that is none', { sweepSchedule: 'never' }, /is not a schedule/],
  ])('refuses %s', (_, change, reason) => {
    // Prepare
    const sweep = {
      sweptAt: '2026-12-01T08:00:00.000Z',
      clusters: 3,
      sweepSchedule: 'rate(1 hour)',
      ...change,
    };
    // Act
    const record = centralRecord(envelope('EKS Endpoint Guard Sweep', sweep), CONTEXT);
    // Assess
    expect(record).toEqual({ kind: 'rejected', reason: expect.stringMatching(reason) });
  });

  test('accepts a sweep up to five minutes ahead (clock skew) and a cron it cannot read as daily', () => {
    // Prepare
    const sweep = {
      sweptAt: '2026-12-01T08:06:00.000Z',
      clusters: 3,
      sweepSchedule: 'cron(0 8 ? * MON-FRI *)',
    };
    // Act
    const record = centralRecord(envelope('EKS Endpoint Guard Sweep', sweep), CONTEXT);
    // Assess
    expect(record.kind).toBe('sweep');
  });

  test.each([
    [
      'the old source without a region',
      envelope('EKS Endpoint Guard Decision', decision, { source: 'eks-endpoint-guard' }),
      /source "eks-endpoint-guard": not eks-endpoint-guard.<region>/,
    ],
    [
      'a region the StackSet does not deploy to',
      envelope('EKS Endpoint Guard Decision', decision, { source: 'eks-endpoint-guard.ap-south-1' }),
      /region ap-south-1, which is not one of the StackSet's regions/,
    ],
    ['another source', envelope('EKS Endpoint Guard Decision', decision, { source: 'aws.eks' }), /source/],
    ['a bad account', envelope('EKS Endpoint Guard Decision', decision, { account: 'x' }), /account/],
    [
      'a decision without a cluster',
      envelope('EKS Endpoint Guard Decision', { ...decision, cluster: '' }),
      /cluster/,
    ],
    [
      'a sweep without a time',
      envelope('EKS Endpoint Guard Sweep', { clusters: 1, sweepSchedule: 'x' }),
      /sweptAt/,
    ],
    ['not an object', 'hello', /event/],
  ])('refuses %s', (_, event, reason) => {
    // Act
    const record = centralRecord(event, CONTEXT);
    // Assess
    expect(record.kind).toBe('rejected');
    expect(record.kind === 'rejected' && record.reason).toMatch(reason);
  });
});

describe('members that stopped sweeping', () => {
  test.each([
    ['rate(1 hour)', 3600],
    ['rate(30 minutes)', 1800],
    ['rate(2 days)', 172_800],
    ['cron(0 * * * ? *)', 3600],
    ['cron(0 8 ? * MON-FRI *)', 86_400],
  ])('%s is %i seconds between sweeps', (schedule, seconds) => {
    // Act / Assess
    expect(scheduleSeconds(schedule)).toBe(seconds);
  });

  test('stale means silent for more than twice the schedule, longest silence first', () => {
    // Prepare
    const member = (sk: string, lastSweepAt: string) => ({
      pk: 'member' as const,
      sk,
      account: sk.split('#')[0] as string,
      region: sk.split('#')[1] as string,
      lastSweepAt,
      sweepSchedule: 'rate(1 hour)',
      clusters: 1,
      expiresAt: 0,
    });
    const now = new Date('2026-12-01T10:00:00Z');
    // Act
    const stale = staleMembers(
      [
        member('111122223333#us-east-1', '2026-12-01T08:00:00Z'),
        member('111122223333#eu-west-1', '2026-12-01T07:59:59Z'),
        member('444455556666#us-east-1', '2026-12-01T01:00:00Z'),
      ],
      now,
    );
    // Assess
    expect(stale.map((s) => `${s.account}#${s.region}`)).toEqual([
      '444455556666#us-east-1',
      '111122223333#eu-west-1',
    ]);
    expect(stale[1]?.silentSeconds).toBe(7201);
  });
});
