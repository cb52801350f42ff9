import {
  canonicalCidr,
  cidrProblem,
  cidrWithin,
  cidrWithinAny,
  isCidr,
  isIpv6Cidr,
} from '../../../functions/core/cidr';
import { PolicyError, parsePolicy } from '../../../functions/core/policy/policy';

describe('cidrProblem', () => {
  it.each([
    ['an IPv4 block', '203.0.113.0/24'],
    ['an IPv4 host', '198.51.100.10/32'],
    ['the IPv4 internet', '0.0.0.0/0'],
    ['an IPv6 block', '2001:db8::/32'],
    ['an IPv6 host', '2001:db8::1/128'],
    ['the IPv6 internet', '::/0'],
  ])('accepts %s (%s)', (_name, cidr) => {
    // Act
    const problem = cidrProblem(cidr);

    // Assess
    expect(problem).toBeUndefined();
    expect(isCidr(cidr)).toBe(true);
  });

  it.each([
    ['IPv4', '203.0.113.5/24', '203.0.113.0/24'],
    ['IPv6', '2001:db8::1/32', '2001:db8::/32'],
  ])('names the network when %s host bits are set', (_family, cidr, network) => {
    // Act
    const problem = cidrProblem(cidr);

    // Assess
    expect(problem).toBe(`"${cidr}" has host bits set (did you mean ${network}?)`);
  });

  it.each([
    ['an IPv4 shorthand', '10/8'],
    ['a three-part IPv4 shorthand', '10.1.0/16'],
    ['hex octets', '0xcb.0.113.0/24'],
    ['a bare address', '203.0.113.0'],
    ['a prefix beyond 32', '203.0.113.0/33'],
    ['a prefix beyond 128', '2001:db8::/129'],
    ['two prefixes', '203.0.113.0/24/8'],
    ['an empty prefix', '203.0.113.0/'],
    ['a word', 'internet'],
    ['an empty string', ''],
  ])('rejects %s (%s)', (_name, cidr) => {
    // Act
    const problem = cidrProblem(cidr);

    // Assess
    expect(problem).toBe(`"${cidr}" is not a CIDR block (expected e.g. 203.0.113.0/24 or 2001:db8::/32)`);
    expect(isCidr(cidr)).toBe(false);
  });
});

describe('isIpv6Cidr', () => {
  it.each([
    ['2001:db8::/32', true],
    ['::/0', true],
    ['203.0.113.0/24', false],
    ['not a block', false],
  ])('%s → %s', (cidr, expected) => {
    // Act
    const result = isIpv6Cidr(cidr);

    // Assess
    expect(result).toBe(expected);
  });
});

describe('cidrWithin', () => {
  describe('IPv4', () => {
    it.each([
      ['a host inside its network', '198.51.100.10/32', '198.51.100.0/24', true],
      ['a block inside itself', '203.0.113.0/24', '203.0.113.0/24', true],
      ['a smaller block inside a larger one', '203.0.113.128/25', '203.0.113.0/24', true],
      ['every block inside 0.0.0.0/0', '192.0.2.0/24', '0.0.0.0/0', true],
      ['a larger block outside a smaller one', '203.0.113.0/24', '203.0.113.128/25', false],
      ['0.0.0.0/0 outside any narrower block', '0.0.0.0/0', '203.0.113.0/24', false],
      ['disjoint blocks', '198.51.100.0/24', '203.0.113.0/24', false],
    ])('%s: %s in %s → %s', (_name, inner, outer, expected) => {
      // Act
      const result = cidrWithin(inner, outer);

      // Assess
      expect(result).toBe(expected);
    });
  });

  describe('IPv6', () => {
    it.each([
      ['a /48 inside its /32', '2001:db8:1::/48', '2001:db8::/32', true],
      ['a host inside its /64', '2001:db8::1/128', '2001:db8::/64', true],
      ['every block inside ::/0', '2001:db8::/32', '::/0', true],
      ['a /32 outside a /48', '2001:db8::/32', '2001:db8:1::/48', false],
      ['disjoint blocks', '2001:db9::/32', '2001:db8::/32', false],
    ])('%s: %s in %s → %s', (_name, inner, outer, expected) => {
      // Act
      const result = cidrWithin(inner, outer);

      // Assess
      expect(result).toBe(expected);
    });
  });

  describe('different families', () => {
    it.each([
      ['IPv4 in ::/0', '203.0.113.0/24', '::/0'],
      ['IPv6 in 0.0.0.0/0', '2001:db8::/32', '0.0.0.0/0'],
      ['IPv4-mapped IPv6 in IPv4', '::ffff:203.0.113.0/120', '203.0.113.0/24'],
    ])('never nest: %s', (_name, inner, outer) => {
      // Act
      const result = cidrWithin(inner, outer);

      // Assess
      expect(result).toBe(false);
    });
  });

  it('is false when either side is not a CIDR block', () => {
    // Act
    const results = [cidrWithin('10/8', '0.0.0.0/0'), cidrWithin('203.0.113.0/24', 'anywhere')];

    // Assess
    expect(results).toEqual([false, false]);
  });
});

describe('cidrWithinAny', () => {
  const allowed = ['203.0.113.0/24', '2001:db8::/32'];

  it.each([
    ['203.0.113.64/26', 'inside the first block', true],
    ['2001:db8:ab::/48', 'inside the second block', true],
    ['0.0.0.0/0', 'outside every block', false],
  ])('%s (%s) → %s', (cidr, _where, expected) => {
    // Act
    const result = cidrWithinAny(cidr, allowed);

    // Assess
    expect(result).toBe(expected);
  });

  it('is false for an empty allowed list', () => {
    // Act
    const result = cidrWithinAny('203.0.113.0/24', []);

    // Assess
    expect(result).toBe(false);
  });
});

describe('IPv4-mapped IPv6 blocks', () => {
  it('are refused, with the IPv4 block to write instead', () => {
    // Act
    const problem = cidrProblem('::ffff:203.0.113.0/120');

    // Assess
    expect(problem).toBe(
      '"::ffff:203.0.113.0/120" is an IPv4-mapped IPv6 block, which never matches a client (write it as 203.0.113.0/24)',
    );
  });

  it('are refused by the policy schema', () => {
    // Prepare
    const text = JSON.stringify({
      version: 1,
      publicAccess: 'restricted',
      allowedPublicCidrs: ['::ffff:cb00:7100/120'],
    });

    // Act
    const parse = () => parsePolicy(text, '/p');

    // Assess
    expect(parse).toThrow(PolicyError);
    expect(parse).toThrow(/IPv4-mapped IPv6 block/);
  });

  it('do not catch wider IPv6 blocks that merely contain the mapped range', () => {
    // Act
    const problems = [cidrProblem('::/0'), cidrProblem('::/64')];

    // Assess
    expect(problems).toEqual([undefined, undefined]);
  });
});

describe('canonicalCidr', () => {
  it.each([
    ['10.0.0.0/08', '10.0.0.0/8'],
    ['2001:0db8::/32', '2001:db8::/32'],
    ['2001:DB8:0:0:0:0:0:0/32', '2001:db8::/32'],
    ['203.0.113.0/24', '203.0.113.0/24'],
    ['not a block', 'not a block'],
  ])('%s → %s', (cidr, expected) => {
    // Act
    const result = canonicalCidr(cidr);

    // Assess
    expect(result).toBe(expected);
  });
});
