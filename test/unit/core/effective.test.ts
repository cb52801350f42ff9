import { type ClusterIdentity, effectivePolicyFor, matchesGlob } from '../../../functions/core/effective';
import { type PolicyInput, validatePolicy } from '../../../functions/core/policy/policy';

const NOW = new Date('2026-06-15T12:00:00Z');

const policyOf = (input: PolicyInput) => validatePolicy(input, 'test');
const cluster = (name: string, tags: Record<string, string> = {}): ClusterIdentity => ({ name, tags });

const RESTRICTED: PolicyInput = {
  version: 1,
  publicAccess: 'restricted',
  allowedPublicCidrs: ['203.0.113.0/24', '198.51.100.10/32'],
  privateAccess: 'required',
};

describe('matchesGlob', () => {
  it.each([
    ['dev-api', 'dev-api', true],
    ['dev-api', 'dev-*', true],
    ['dev-', 'dev-*', true],
    ['prod-dev-api', 'dev-*', false],
    ['dev-api', '*-api', true],
    ['dev-api', '*', true],
    ['lab-01', 'lab-??', true],
    ['lab-1', 'lab-??', false],
    ['lab-001', 'lab-??', false],
    ['Dev-api', 'dev-*', false],
    ['dev-api-x', 'dev-api', false],
    ['a_b', 'a_b', true],
    ['devXapi', 'dev?api', true],
    ['dev-team-api', 'dev-*-api', true],
  ])('%s against %s → %s', (name, glob, expected) => {
    // Act
    const result = matchesGlob(name, glob);

    // Assess
    expect(result).toBe(expected);
  });

  it('treats regular expression characters literally', () => {
    // Act
    const results = [matchesGlob('devXapi', 'dev.api'), matchesGlob('dev.api', 'dev.api')];

    // Assess
    expect(results).toEqual([false, true]);
  });
});

describe('effectivePolicyFor', () => {
  describe('without overrides', () => {
    it('applies the policy rules, naming "policy" as their source', () => {
      // Prepare
      const policy = policyOf({ ...RESTRICTED, mode: 'notify' });

      // Act
      const effective = effectivePolicyFor(policy, cluster('prod-api'), NOW);

      // Assess
      expect(effective).toEqual({
        mode: 'notify',
        publicAccess: 'restricted',
        allowedPublicCidrs: ['203.0.113.0/24', '198.51.100.10/32'],
        privateAccess: 'required',
        gracePeriodMinutes: 0,
        ruleSource: 'policy',
      });
    });

    it.each(['disabled', 'allowed'] as const)(
      'leaves allowedPublicCidrs empty when publicAccess is "%s"',
      (publicAccess) => {
        // Prepare
        const policy = policyOf({ ...RESTRICTED, publicAccess });

        // Act
        const effective = effectivePolicyFor(policy, cluster('prod-api'), NOW);

        // Assess
        expect(effective.allowedPublicCidrs).toEqual([]);
      },
    );

    it('copies allowedPublicCidrs so the policy cannot be changed through the result', () => {
      // Prepare
      const policy = policyOf(RESTRICTED);

      // Act
      effectivePolicyFor(policy, cluster('prod-api'), NOW).allowedPublicCidrs.push('0.0.0.0/0');

      // Assess
      expect(policy.allowedPublicCidrs).toEqual(['203.0.113.0/24', '198.51.100.10/32']);
    });
  });

  describe('overrides', () => {
    const policy = policyOf({
      ...RESTRICTED,
      overrides: [
        { clusters: ['ci-*'], privateAccess: 'optional' },
        { clusters: ['dev-*', 'sandbox-*'], publicAccess: 'allowed', privateAccess: 'optional' },
        { clusters: ['sandbox-*'], publicAccess: 'disabled' },
        { clusters: ['partner-*'], publicAccess: 'restricted', allowedPublicCidrs: ['192.0.2.0/24'] },
        { clusters: ['edge-*'], publicAccess: 'restricted' },
      ],
    });

    it('apply the first override whose glob matches, naming it as the source', () => {
      // Act
      const effective = effectivePolicyFor(policy, cluster('sandbox-42'), NOW);

      // Assess
      expect(effective).toMatchObject({
        publicAccess: 'allowed',
        allowedPublicCidrs: [],
        privateAccess: 'optional',
        ruleSource: 'overrides[1] ("dev-*", "sandbox-*")',
      });
    });

    it('replace only the rules they set (partial override)', () => {
      // Act
      const effective = effectivePolicyFor(policy, cluster('ci-runner'), NOW);

      // Assess
      expect(effective).toMatchObject({
        publicAccess: 'restricted',
        allowedPublicCidrs: ['203.0.113.0/24', '198.51.100.10/32'],
        privateAccess: 'optional',
        ruleSource: 'overrides[0] ("ci-*")',
      });
    });

    it('replace allowedPublicCidrs when they set them', () => {
      // Act
      const effective = effectivePolicyFor(policy, cluster('partner-a'), NOW);

      // Assess
      expect(effective.allowedPublicCidrs).toEqual(['192.0.2.0/24']);
      expect(effective.privateAccess).toBe('required');
    });

    it('fall back to the policy allowedPublicCidrs for "restricted"', () => {
      // Act
      const effective = effectivePolicyFor(policy, cluster('edge-1'), NOW);

      // Assess
      expect(effective.allowedPublicCidrs).toEqual(['203.0.113.0/24', '198.51.100.10/32']);
    });

    it('do not apply to clusters no glob matches', () => {
      // Act
      const effective = effectivePolicyFor(policy, cluster('prod-dev-api'), NOW);

      // Assess
      expect(effective.ruleSource).toBe('policy');
      expect(effective.publicAccess).toBe('restricted');
    });

    it('keep the policy mode', () => {
      // Prepare
      const notify = policyOf({ ...RESTRICTED, mode: 'notify', overrides: [{ clusters: ['dev-*'] }] });

      // Act
      const effective = effectivePolicyFor(notify, cluster('dev-1'), NOW);

      // Assess
      expect(effective.mode).toBe('notify');
    });
  });

  describe('exemption tag', () => {
    const policy = policyOf({
      ...RESTRICTED,
      exemptions: [{ cluster: 'legacy-*', reason: 'OPS-123 migration' }],
    });

    it('exempts a tagged cluster, with the tag value as reason', () => {
      // Act
      const effective = effectivePolicyFor(
        policy,
        cluster('prod-api', { 'eks-endpoint-guard/exempt': 'CHG-42 vendor access' }),
        NOW,
      );

      // Assess
      expect(effective.exemption).toEqual({ source: 'tag', reason: 'CHG-42 vendor access' });
    });

    it.each([
      ['empty', ''],
      ['blank', '  '],
    ])('gives a %s tag value the reason "tagged <key>"', (_name, value) => {
      // Act
      const effective = effectivePolicyFor(
        policy,
        cluster('prod-api', { 'eks-endpoint-guard/exempt': value }),
        NOW,
      );

      // Assess
      expect(effective.exemption).toEqual({ source: 'tag', reason: 'tagged eks-endpoint-guard/exempt' });
    });

    it('wins over a matching policy exemption', () => {
      // Act
      const effective = effectivePolicyFor(
        policy,
        cluster('legacy-billing', { 'eks-endpoint-guard/exempt': 'owner says so' }),
        NOW,
      );

      // Assess
      expect(effective.exemption?.source).toBe('tag');
    });

    it('uses the key the policy names', () => {
      // Prepare
      const custom = policyOf({ ...RESTRICTED, exemptionTag: 'security/exempt' });

      // Act
      const tagged = effectivePolicyFor(custom, cluster('prod-api', { 'security/exempt': 'SEC-7' }), NOW);
      const defaultKey = effectivePolicyFor(
        custom,
        cluster('prod-api', { 'eks-endpoint-guard/exempt': 'SEC-7' }),
        NOW,
      );

      // Assess
      expect(tagged.exemption).toEqual({ source: 'tag', reason: 'SEC-7' });
      expect(defaultKey.exemption).toBeUndefined();
    });

    it('leaves the rules themselves unchanged', () => {
      // Act
      const effective = effectivePolicyFor(
        policy,
        cluster('prod-api', { 'eks-endpoint-guard/exempt': 'x' }),
        NOW,
      );

      // Assess
      expect(effective.publicAccess).toBe('restricted');
      expect(effective.privateAccess).toBe('required');
    });
  });

  describe('policy exemptions', () => {
    const policy = policyOf({
      ...RESTRICTED,
      exemptions: [
        { cluster: 'legacy-*', reason: 'OPS-123 migration', expires: '2027-01-31' },
        { cluster: 'legacy-billing', reason: 'OPS-200 billing rewrite' },
        { cluster: 'lab-??', reason: 'training' },
      ],
    });

    it('exempt a cluster whose name matches the glob, with the reason and expiry', () => {
      // Act
      const effective = effectivePolicyFor(policy, cluster('legacy-api'), NOW);

      // Assess
      expect(effective.exemption).toEqual({
        source: 'policy',
        reason: 'OPS-123 migration',
        expires: '2027-01-31',
      });
    });

    it('without expiry apply indefinitely', () => {
      // Act
      const effective = effectivePolicyFor(policy, cluster('lab-07'), new Date('2099-12-31T23:59:59Z'));

      // Assess
      expect(effective.exemption).toEqual({ source: 'policy', reason: 'training' });
    });

    it('do not exempt a cluster no glob matches', () => {
      // Act
      const effective = effectivePolicyFor(policy, cluster('lab-007'), NOW);

      // Assess
      expect(effective.exemption).toBeUndefined();
    });

    it.each([
      ['the day before expiry', '2027-01-30T12:00:00Z', true],
      ['the first moment of the expiry day', '2027-01-31T00:00:00Z', true],
      ['the last moment of the expiry day', '2027-01-31T23:59:59.999Z', true],
      ['midnight after the expiry day', '2027-02-01T00:00:00Z', false],
      ['the day after expiry', '2027-02-01T12:00:00Z', false],
    ])('on %s (%s): applies → %s', (_name, at, applies) => {
      // Act
      const effective = effectivePolicyFor(policy, cluster('legacy-api'), new Date(at));

      // Assess
      expect(effective.exemption !== undefined).toBe(applies);
    });

    it('after expiry give way to the next matching exemption', () => {
      // Act
      const effective = effectivePolicyFor(
        policy,
        cluster('legacy-billing'),
        new Date('2027-03-01T00:00:00Z'),
      );

      // Assess
      expect(effective.exemption).toEqual({ source: 'policy', reason: 'OPS-200 billing rewrite' });
    });

    it('apply whichever overrides match too', () => {
      // Prepare
      const withOverride = policyOf({
        ...RESTRICTED,
        exemptions: [{ cluster: 'dev-*', reason: 'prototype' }],
        overrides: [{ clusters: ['dev-*'], publicAccess: 'allowed' }],
      });

      // Act
      const effective = effectivePolicyFor(withOverride, cluster('dev-1'), NOW);

      // Assess
      expect(effective).toMatchObject({
        publicAccess: 'allowed',
        ruleSource: 'overrides[0] ("dev-*")',
        exemption: { source: 'policy', reason: 'prototype' },
      });
    });
  });
});
