import { evaluateEndpoint, exposedCidrs } from '../../../functions/core/evaluate';
import { DOMAIN_ROWS, endpoint, rules } from './builders';

describe('evaluateEndpoint', () => {
  describe('publicAccess "disabled"', () => {
    it('is non-compliant while the public endpoint is on', () => {
      // Prepare
      const config = endpoint(true, true, ['203.0.113.0/24']);

      // Act
      const evaluation = evaluateEndpoint(config, rules('disabled', 'required'));

      // Assess
      expect(evaluation).toEqual({
        compliant: false,
        violations: [
          {
            rule: 'public-disabled',
            reason: 'public endpoint is enabled, but the policy requires it disabled',
          },
        ],
      });
    });

    it('is compliant when the public endpoint is off', () => {
      // Act
      const evaluation = evaluateEndpoint(endpoint(false, true), rules('disabled', 'required'));

      // Assess
      expect(evaluation).toEqual({ compliant: true, violations: [] });
    });
  });

  describe('publicAccess "restricted"', () => {
    const policy = rules('restricted', 'optional', ['203.0.113.0/24', '198.51.100.10/32', '2001:db8::/32']);

    it('is non-compliant when open to 0.0.0.0/0', () => {
      // Act
      const evaluation = evaluateEndpoint(endpoint(true, true, ['0.0.0.0/0']), policy);

      // Assess
      expect(evaluation).toEqual({
        compliant: false,
        violations: [
          {
            rule: 'public-cidrs',
            reason:
              'public endpoint is open to 0.0.0.0/0, outside the allowed networks 203.0.113.0/24, 198.51.100.10/32, 2001:db8::/32',
            offendingCidrs: ['0.0.0.0/0'],
          },
        ],
      });
    });

    it('names exactly the CIDRs outside every allowed block', () => {
      // Prepare
      const config = endpoint(true, true, ['203.0.113.128/25', '198.51.100.0/24', '192.0.2.0/24']);

      // Act
      const evaluation = evaluateEndpoint(config, policy);

      // Assess
      expect(evaluation.violations[0]?.offendingCidrs).toEqual(['198.51.100.0/24', '192.0.2.0/24']);
      expect(evaluation.violations[0]?.reason).toBe(
        'public endpoint is open to 198.51.100.0/24, 192.0.2.0/24, outside the allowed networks 203.0.113.0/24, 198.51.100.10/32, 2001:db8::/32',
      );
    });

    it('is compliant when every CIDR lies inside an allowed block', () => {
      // Prepare
      const config = endpoint(true, true, ['203.0.113.0/24', '198.51.100.10/32', '2001:db8:1::/48']);

      // Act
      const evaluation = evaluateEndpoint(config, policy);

      // Assess
      expect(evaluation.compliant).toBe(true);
    });

    it('is non-compliant when open to ::/0', () => {
      // Act
      const evaluation = evaluateEndpoint(endpoint(true, true, ['2001:db8::/48', '::/0']), policy);

      // Assess
      expect(evaluation.violations[0]?.offendingCidrs).toEqual(['::/0']);
    });

    it('does not let an IPv6 block pass under an IPv4 allowance', () => {
      // Act
      const evaluation = evaluateEndpoint(
        endpoint(true, true, ['2001:db8::/48']),
        rules('restricted', 'optional', ['0.0.0.0/0']),
      );

      // Assess
      expect(evaluation.violations[0]?.offendingCidrs).toEqual(['2001:db8::/48']);
    });

    it('reads an empty CIDR list as the EKS default 0.0.0.0/0', () => {
      // Act
      const evaluation = evaluateEndpoint(endpoint(true, true, []), policy);

      // Assess
      expect(evaluation.violations[0]?.offendingCidrs).toEqual(['0.0.0.0/0']);
    });

    it('names a repeated CIDR once', () => {
      // Act
      const evaluation = evaluateEndpoint(endpoint(true, true, ['0.0.0.0/0', '0.0.0.0/0']), policy);

      // Assess
      expect(evaluation.violations[0]?.offendingCidrs).toEqual(['0.0.0.0/0']);
    });

    it('ignores stale CIDRs while the public endpoint is off', () => {
      // Act
      const evaluation = evaluateEndpoint(endpoint(false, true, ['0.0.0.0/0']), policy);

      // Assess
      expect(evaluation).toEqual({ compliant: true, violations: [] });
    });
  });

  describe('publicAccess "allowed"', () => {
    it('accepts any public CIDRs', () => {
      // Act
      const evaluation = evaluateEndpoint(
        endpoint(true, true, ['0.0.0.0/0', '::/0']),
        rules('allowed', 'optional'),
      );

      // Assess
      expect(evaluation.compliant).toBe(true);
    });
  });

  describe('privateAccess "required"', () => {
    it('is non-compliant while the private endpoint is off', () => {
      // Act
      const evaluation = evaluateEndpoint(endpoint(true, false), rules('allowed', 'required'));

      // Assess
      expect(evaluation).toEqual({
        compliant: false,
        violations: [
          {
            rule: 'private-required',
            reason: 'private endpoint is disabled, but the policy requires it enabled',
          },
        ],
      });
    });
  });

  describe('privateAccess "optional"', () => {
    it('accepts the private endpoint off', () => {
      // Act
      const evaluation = evaluateEndpoint(endpoint(true, false), rules('allowed', 'optional'));

      // Assess
      expect(evaluation.compliant).toBe(true);
    });
  });

  it('reports every violated rule, public before private', () => {
    // Act
    const evaluation = evaluateEndpoint(endpoint(true, false), rules('restricted', 'required'));

    // Assess
    expect(evaluation.violations.map((v) => v.rule)).toEqual(['public-cidrs', 'private-required']);
  });

  it('ignores exemptions (the caller decides what they mean)', () => {
    // Prepare
    const exempt = { ...rules('disabled', 'required'), exemption: { source: 'tag' as const, reason: 'x' } };

    // Act
    const evaluation = evaluateEndpoint(endpoint(true, false), exempt);

    // Assess
    expect(evaluation.compliant).toBe(false);
  });

  // DESIGN §1 rows × every rule combination: the violated rules, or "compliant".
  const MATRIX = {
    'public only (EKS default)': [
      ['disabled', 'required', 'public-disabled, private-required'],
      ['disabled', 'optional', 'public-disabled'],
      ['restricted', 'required', 'public-cidrs, private-required'],
      ['restricted', 'optional', 'public-cidrs'],
      ['allowed', 'required', 'private-required'],
      ['allowed', 'optional', 'compliant'],
    ],
    'public and private': [
      ['disabled', 'required', 'public-disabled'],
      ['disabled', 'optional', 'public-disabled'],
      ['restricted', 'required', 'public-cidrs'],
      ['restricted', 'optional', 'public-cidrs'],
      ['allowed', 'required', 'compliant'],
      ['allowed', 'optional', 'compliant'],
    ],
    'private only': [
      ['disabled', 'required', 'compliant'],
      ['disabled', 'optional', 'compliant'],
      ['restricted', 'required', 'compliant'],
      ['restricted', 'optional', 'compliant'],
      ['allowed', 'required', 'compliant'],
      ['allowed', 'optional', 'compliant'],
    ],
  } as const;

  describe.each(DOMAIN_ROWS)('a cluster with %s access (CIDRs 0.0.0.0/0)', (row, config) => {
    it.each(MATRIX[row])(
      'under publicAccess "%s", privateAccess "%s" → %s',
      (publicAccess, privateAccess, expected) => {
        // Act
        const evaluation = evaluateEndpoint(config, rules(publicAccess, privateAccess));

        // Assess
        const found = evaluation.violations.map((v) => v.rule).join(', ');
        expect(found || 'compliant').toBe(expected);
        expect(evaluation.compliant).toBe(expected === 'compliant');
      },
    );
  });
});

describe('exposedCidrs', () => {
  it.each([
    ['the configured CIDRs', ['203.0.113.0/24'], ['203.0.113.0/24']],
    ['0.0.0.0/0 for an empty list', [], ['0.0.0.0/0']],
  ])('returns %s', (_name, cidrs, expected) => {
    // Act
    const exposed = exposedCidrs(endpoint(true, false, cidrs));

    // Assess
    expect(exposed).toEqual(expected);
  });
});
