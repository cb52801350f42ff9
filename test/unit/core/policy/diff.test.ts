import { policyDiff } from '../../../../functions/core/policy/diff';
import { type PolicyInput, validatePolicy } from '../../../../functions/core/policy/policy';

const BASE: PolicyInput = {
  version: 1,
  publicAccess: 'restricted',
  allowedPublicCidrs: ['203.0.113.0/24'],
  privateAccess: 'required',
};
const policy = (extra: Partial<PolicyInput> = {}) => validatePolicy({ ...BASE, ...extra }, 'test');

describe('policyDiff', () => {
  it.each([
    ['mode → notify', { mode: 'notify' as const }, 'mode: enforce → notify', true],
    [
      'publicAccess loosened',
      { publicAccess: 'allowed' as const },
      'publicAccess: restricted → allowed',
      true,
    ],
    [
      'publicAccess tightened',
      { publicAccess: 'disabled' as const },
      'publicAccess: restricted → disabled',
      false,
    ],
    [
      'a CIDR added',
      { allowedPublicCidrs: ['203.0.113.0/24', '198.51.100.0/24'] },
      'allowedPublicCidrs: added 198.51.100.0/24',
      true,
    ],
    [
      'privateAccess loosened',
      { privateAccess: 'optional' as const },
      'privateAccess: required → optional',
      true,
    ],
    [
      'an exemption added',
      { exemptions: [{ cluster: 'legacy-*', reason: 'OPS-1', expires: '2027-01-31' }] },
      'exemptions: added "legacy-*" (OPS-1, until 2027-01-31)',
      true,
    ],
    [
      'the tag changed',
      { exemptionTag: 'team/exempt' },
      'exemptionTag: "eks-endpoint-guard/exempt" → "team/exempt"',
      true,
    ],
    [
      'the tag turned off',
      { exemptionTag: null },
      'exemptionTag: "eks-endpoint-guard/exempt" → off (null)',
      false,
    ],
    ['tag expiry no longer required', {}, undefined, false],
    ['a grace period', { gracePeriodMinutes: 30 }, 'gracePeriodMinutes: 0 → 30', true],
    ['a blast-radius cap', { maxRemediationsPerRun: 5 }, 'maxRemediationsPerRun: unlimited → 5', false],
    ['the alert language', { alertLanguage: 'ja' as const }, 'alertLanguage: en → ja', false],
    // Deferring lets a change that cuts off active clients stand for a grace period: weaker.
    [
      'active clients deferred',
      { protectActiveClients: 'defer' as const },
      'protectActiveClients: alert → defer',
      true,
    ],
    [
      'active clients not looked up',
      { protectActiveClients: 'off' as const },
      'protectActiveClients: alert → off',
      false,
    ],
    [
      'a loosening override added',
      { overrides: [{ clusters: ['dev-*'], publicAccess: 'allowed' as const }] },
      'overrides: added "dev-*": publicAccess allowed',
      true,
    ],
  ])('%s', (_case, change, line, weaker) => {
    // Act
    const diff = policyDiff(policy(), policy(change));

    // Assess
    if (line === undefined) {
      expect(diff.changes).toEqual([]);
      return;
    }
    expect(diff.changes).toEqual([line]);
    expect(diff.weaker).toEqual(weaker ? [line] : []);
  });

  it('sees an exemption changed and removed, and a requirement dropped', () => {
    // Prepare
    const before = policy({
      requireTagExpiry: true,
      maxTagExemptionDays: 30,
      exemptions: [
        { cluster: 'a-*', reason: 'OPS-1', expires: '2026-12-31' },
        { cluster: 'b-*', reason: 'OPS-2' },
      ],
      overrides: [{ clusters: ['prod-*'], publicAccess: 'disabled' }],
    });
    const after = policy({ exemptions: [{ cluster: 'a-*', reason: 'OPS-1' }] });

    // Act
    const diff = policyDiff(before, after);

    // Assess
    expect(diff.changes).toEqual([
      'requireTagExpiry: true → false',
      'maxTagExemptionDays: 30 → none',
      'exemptions: changed "a-*" (OPS-1, until 2026-12-31) → "a-*" (OPS-1, no end date)',
      'exemptions: removed "b-*" (OPS-2, no end date)',
      'overrides: removed "prod-*": publicAccess disabled',
    ]);
    expect(diff.weaker).toEqual([
      'requireTagExpiry: true → false',
      'maxTagExemptionDays: 30 → none',
      'exemptions: changed "a-*" (OPS-1, until 2026-12-31) → "a-*" (OPS-1, no end date)',
      'overrides: removed "prod-*": publicAccess disabled',
    ]);
  });

  it('a CIDR removed narrows: not weaker', () => {
    // Act
    const diff = policyDiff(policy({ allowedPublicCidrs: ['203.0.113.0/24', '198.51.100.0/24'] }), policy());

    // Assess
    expect(diff).toEqual({ changes: ['allowedPublicCidrs: removed 198.51.100.0/24'], weaker: [] });
  });

  it('describes a policy with no readable previous version', () => {
    // Act
    const diff = policyDiff(undefined, policy({ mode: 'notify' }));

    // Assess
    expect(diff.changes).toEqual([
      'new policy: mode notify, publicAccess restricted (203.0.113.0/24), privateAccess required',
    ]);
    expect(diff.weaker).toHaveLength(1);
  });

  it('sees an override changed to allow more', () => {
    // Prepare
    const before = policy({ overrides: [{ clusters: ['dev-*'], publicAccess: 'restricted' }] });
    const after = policy({
      overrides: [{ clusters: ['dev-*'], publicAccess: 'restricted', allowedPublicCidrs: ['0.0.0.0/0'] }],
    });

    // Act
    const diff = policyDiff(before, after);

    // Assess
    expect(diff.weaker).toEqual([
      'overrides: changed "dev-*": publicAccess restricted → "dev-*": publicAccess restricted, allowedPublicCidrs 0.0.0.0/0',
    ]);
  });
});
