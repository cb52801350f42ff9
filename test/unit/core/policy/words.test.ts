import { validatePolicy } from '../../../../functions/core/policy/policy';
import { policyInWords, rulesInWords } from '../../../../functions/core/policy/words';

describe('policyInWords', () => {
  it('says every rule, override and exemption of a policy in one sentence each', () => {
    // Prepare
    const policy = validatePolicy(
      {
        version: 1,
        publicAccess: 'restricted',
        allowedPublicCidrs: ['203.0.113.0/24', '198.51.100.10/32'],
        exemptions: [
          { cluster: 'legacy-*', reason: 'OPS-123 migration', expires: '2027-01-31' },
          { cluster: 'lab', reason: 'research' },
        ],
        overrides: [
          { clusters: ['dev-*', 'sandbox-*'], publicAccess: 'allowed', privateAccess: 'optional' },
          { clusters: ['prod-*'], publicAccess: 'disabled' },
          { clusters: ['edge'], allowedPublicCidrs: ['192.0.2.0/24'] },
        ],
      },
      'test',
    );

    // Act
    const lines = policyInWords(policy);

    // Assess
    expect(lines).toEqual([
      'Mode enforce: a non-compliant cluster is put back into compliance and alerted.',
      'Every cluster but those below: public endpoint allowed from 203.0.113.0/24, 198.51.100.10/32 only, private endpoint required.',
      'dev-*, sandbox-*: public endpoint allowed from anywhere, private endpoint optional.',
      'prod-*: public endpoint disabled, private endpoint required.',
      'edge: public endpoint allowed from 192.0.2.0/24 only, private endpoint required.',
      'A cluster tagged eks-endpoint-guard/exempt=<reason> is exempt.',
      'legacy-* is exempt until 2027-01-31 (OPS-123 migration).',
      'lab is exempt (research).',
    ]);
  });

  it('says that notify mode never changes a cluster', () => {
    // Prepare
    const policy = validatePolicy({ version: 1, mode: 'notify', publicAccess: 'disabled' }, 'test');

    // Act
    const lines = policyInWords(policy);

    // Assess
    expect(lines).toEqual([
      'Mode notify: a non-compliant cluster is reported and alerted, never changed.',
      'Every cluster: public endpoint disabled, private endpoint required.',
      'A cluster tagged eks-endpoint-guard/exempt=<reason> is exempt.',
    ]);
  });

  it('says the fields of later policy versions it knows, and that tag exemptions are off', () => {
    // Prepare: fields the schema of this version does not have yet
    const policy = {
      ...validatePolicy({ version: 1, publicAccess: 'disabled' }, 'test'),
      exemptionTag: null,
      gracePeriodMinutes: 30,
      maxRemediationsPerRun: 5,
    } as unknown as Parameters<typeof policyInWords>[0];

    // Act
    const lines = policyInWords(policy);

    // Assess
    expect(lines.slice(2)).toEqual([
      'A new violation is alerted at once and reverted 30 minutes later.',
      'A sweep changes at most 5 clusters; the rest are reported.',
      'Tag exemptions are off.',
    ]);
  });

  it.each([
    [
      'defer',
      'A change that would cut off API clients active in the audit log waits one grace period, with them named.',
    ],
    ['off', 'Changes do not look up the API clients they cut off.'],
  ])('says what protectActiveClients %s does (alert, the default, goes unsaid)', (protect, sentence) => {
    // Prepare
    const policy = validatePolicy(
      { version: 1, publicAccess: 'disabled', protectActiveClients: protect },
      'test',
    );
    const plain = validatePolicy({ version: 1, publicAccess: 'disabled' }, 'test');

    // Act
    const lines = policyInWords(policy);

    // Assess
    expect(lines).toContain(sentence);
    expect(lines).toHaveLength(policyInWords(plain).length + 1);
  });

  it('rulesInWords matches what the demo has always said', () => {
    // Act
    const words = rulesInWords('restricted', ['203.0.113.0/24'], 'optional');

    // Assess
    expect(words).toBe('public endpoint allowed from 203.0.113.0/24 only, private endpoint optional');
  });
});
