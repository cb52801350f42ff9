import { centralRecord, scheduleSeconds, staleMembers } from '../../../functions/core/central';

const envelope = (
  detailType: string,
  detail: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({
  version: '0',
  id: 'ev-1',
  account: '111122223333',
  region: 'us-east-1',
  source: 'eks-endpoint-guard',
  'detail-type': detailType,
  time: '2026-12-01T08:00:00Z',
  detail,
  ...extra,
});
const decision = {
  cluster: 'prod-api',
  outcome: 'remediated',
  time: '2026-12-01T08:00:00.000Z',
  correlationId: 'c-1',
};

describe('central record', () => {
  test('a decision is keyed by the envelope account and region, never the claimed ones', () => {
    // Prepare
    const event = envelope('EKS Endpoint Guard Decision', {
      ...decision,
      account: '999999999999',
      region: 'eu-west-1',
    });
    // Act
    const record = centralRecord(event);
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
        claimedRegion: 'eu-west-1',
      }),
    });
  });

  test('detail fields with unusual names are not stored', () => {
    // Act
    const record = centralRecord(
      envelope('EKS Endpoint Guard Decision', { ...decision, 'a.b': 1, reason: 'r' }),
    );
    // Assess
    expect(record.kind === 'decision' && record.item).toMatchObject({ reason: 'r' });
    expect(record.kind === 'decision' && 'a.b' in record.item).toBe(false);
  });

  test('a sweep becomes the member heartbeat, retired after 30 days of silence', () => {
    // Prepare
    const sweep = { sweptAt: '2026-12-01T08:00:00.000Z', clusters: 3, sweepSchedule: 'rate(1 hour)' };
    // Act
    const record = centralRecord(envelope('EKS Endpoint Guard Sweep', sweep));
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

  test.each([
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
    const record = centralRecord(event);
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
    ['cron(0 * * * ? *)', 86_400],
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
