import type { CheckResult } from '../../../functions/core/result';
import { sightingClaimAfter, sightingClaimKey } from '../../../functions/core/sighting';

const POLICY = {
  source: 'p',
  version: 1,
  digest: 'sha256:1',
  mode: 'enforce' as const,
  exemptionTag: 't',
  rule: 'r',
};
const BEFORE = {
  publicAccess: true,
  privateAccess: false,
  publicAccessCidrs: ['0.0.0.0/0', '203.0.113.0/24'],
};
const EXEMPT: CheckResult = {
  cluster: 'prod-api',
  region: 'us-east-1',
  outcome: 'exempt',
  reason: 'open; exempt (OPS-1)',
  time: '2026-06-03T10:20:00.000Z',
  correlationId: 'sweep-a/prod-api',
  trigger: { source: 'sweep' },
  attempt: 0,
  before: BEFORE,
  policy: POLICY,
  exemption: { source: 'tag', reason: 'OPS-1' },
};

describe('sightingClaimKey', () => {
  it('names the same claim for the same situation seen by another decision', () => {
    // Prepare
    const other: CheckResult = {
      ...EXEMPT,
      correlationId: 'sweep-b/prod-api',
      time: '2026-06-03T10:20:01.000Z',
      before: { ...BEFORE, publicAccessCidrs: ['203.0.113.0/24', '0.0.0.0/0'] },
    };

    // Act
    const [a, b] = [sightingClaimKey(EXEMPT), sightingClaimKey(other)];

    // Assess
    expect(a).toBe(b);
    expect(a).toMatch(/^sighting\/us-east-1\/prod-api\/[0-9a-f]{32}$/);
  });

  it.each([
    ['another outcome', { outcome: 'blocked' as const }],
    [
      'another configuration',
      { before: { publicAccess: true, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] } },
    ],
    ['another policy', { policy: { ...POLICY, digest: 'sha256:2' } }],
    ['another exemption', { exemption: { source: 'tag' as const, reason: 'OPS-2' } }],
  ])('names another claim for %s', (_what, change) => {
    // Act
    const key = sightingClaimKey({ ...EXEMPT, ...change });

    // Assess
    expect(key).not.toBe(sightingClaimKey(EXEMPT));
  });

  it('names the same claim whatever sighting each decision found before it (histories read a moment apart)', () => {
    // Prepare: one decision read the history before a remediation was recorded, the other after
    const remediated = { ...EXEMPT, outcome: 'remediated' as const, time: '2026-06-03T10:19:00.000Z' };

    // Act / Assess: one claim; the episode is told by time (sightingClaimAfter)
    expect(sightingClaimKey(EXEMPT)).toBe(sightingClaimKey({ ...EXEMPT, correlationId: 'sweep-b/prod-api' }));
    expect(sightingClaimAfter(remediated)).toBe('2026-06-03T10:19:00.000Z');
    expect(sightingClaimAfter(undefined)).toBeUndefined();
  });
});
