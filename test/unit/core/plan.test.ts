import { describeEndpointConfig, sameEndpointConfig } from '../../../functions/core/endpoint';
import { evaluateEndpoint } from '../../../functions/core/evaluate';
import {
  intersectCidrs,
  narrowCidrs,
  planOf,
  planTarget,
  turnsPublicOff,
} from '../../../functions/core/plan';
import { DOMAIN_ROWS, endpoint, rules } from './builders';

describe('planTarget', () => {
  describe('a compliant configuration', () => {
    it('is returned as an equal copy', () => {
      // Prepare
      const config = endpoint(true, true, ['203.0.113.0/24']);

      // Act
      const target = planTarget(config, rules('restricted', 'required'));

      // Assess
      expect(target).toEqual(config);
      expect(target).not.toBe(config);
      expect(target.publicAccessCidrs).not.toBe(config.publicAccessCidrs);
    });
  });

  describe('publicAccess "disabled"', () => {
    it('turns the public endpoint off and the private one on', () => {
      // Act
      const target = planTarget(endpoint(true, false), rules('disabled', 'required'));

      // Assess
      expect(target).toEqual(endpoint(false, true, ['0.0.0.0/0']));
    });

    it('turns the private endpoint on even when privateAccess is "optional" (never both off)', () => {
      // Act
      const target = planTarget(endpoint(true, false), rules('disabled', 'optional'));

      // Assess
      expect(target.privateAccess).toBe(true);
    });

    it('keeps the public CIDRs as they were (they are not sent while public is off)', () => {
      // Act
      const target = planTarget(endpoint(true, true, ['192.0.2.0/24']), rules('disabled', 'required'));

      // Assess
      expect(target.publicAccessCidrs).toEqual(['192.0.2.0/24']);
    });
  });

  describe('publicAccess "restricted"', () => {
    it('narrows 0.0.0.0/0 to the allowed list itself', () => {
      // Prepare
      const policy = rules('restricted', 'optional', ['203.0.113.0/24', '198.51.100.10/32']);

      // Act
      const target = planTarget(endpoint(true, false, ['0.0.0.0/0']), policy);

      // Assess
      expect(target).toEqual(endpoint(true, false, ['203.0.113.0/24', '198.51.100.10/32']));
    });

    it('keeps the current CIDRs that lie inside an allowed block', () => {
      // Prepare
      const config = endpoint(true, true, ['203.0.113.128/25', '192.0.2.0/24']);

      // Act
      const target = planTarget(config, rules('restricted', 'required', ['203.0.113.0/24']));

      // Assess
      expect(target.publicAccessCidrs).toEqual(['203.0.113.128/25']);
    });

    it('narrows a wide current block to the allowed blocks inside it', () => {
      // Prepare
      const config = endpoint(true, true, ['198.51.0.0/16']);

      // Act
      const target = planTarget(
        config,
        rules('restricted', 'required', ['198.51.100.0/24', '203.0.113.0/24']),
      );

      // Assess
      expect(target.publicAccessCidrs).toEqual(['198.51.100.0/24']);
    });

    it('never opens an allowed network that was not exposed before', () => {
      // Prepare
      const config = endpoint(true, true, ['198.51.100.0/24', '192.0.2.0/24']);

      // Act
      const target = planTarget(
        config,
        rules('restricted', 'required', ['203.0.113.0/24', '198.51.100.10/32']),
      );

      // Assess
      expect(target.publicAccessCidrs).toEqual(['198.51.100.10/32']);
    });

    it('never sends IPv6 blocks to a cluster whose CIDRs are IPv4', () => {
      // Act
      const target = planTarget(
        endpoint(true, true, ['0.0.0.0/0']),
        rules('restricted', 'required', ['2001:db8::/32', '203.0.113.0/24']),
      );

      // Assess
      expect(target.publicAccessCidrs).toEqual(['203.0.113.0/24']);
    });

    it('narrows both families on a dual-stack cluster', () => {
      // Act
      const target = planTarget(
        endpoint(true, true, ['0.0.0.0/0', '::/0']),
        rules('restricted', 'required', ['2001:db8::/32', '203.0.113.0/24']),
      );

      // Assess
      expect(target.publicAccessCidrs).toEqual(['203.0.113.0/24', '2001:db8::/32']);
    });

    it('turns public off and private on when no exposed network is allowed', () => {
      // Act
      const target = planTarget(
        endpoint(true, false, ['192.0.2.0/24']),
        rules('restricted', 'optional', ['203.0.113.0/24']),
      );

      // Assess
      expect(target).toEqual(endpoint(false, true, ['192.0.2.0/24']));
    });

    it('turns private on as well when it is required', () => {
      // Act
      const target = planTarget(endpoint(true, false), rules('restricted', 'required', ['203.0.113.0/24']));

      // Assess
      expect(target).toEqual(endpoint(true, true, ['203.0.113.0/24']));
    });

    it('leaves compliant CIDRs alone when only the private endpoint is wrong', () => {
      // Prepare
      const config = endpoint(true, false, ['203.0.113.0/25', '203.0.113.0/24']);

      // Act
      const target = planTarget(config, rules('restricted', 'required', ['203.0.113.0/24']));

      // Assess
      expect(target).toEqual(endpoint(true, true, ['203.0.113.0/25', '203.0.113.0/24']));
    });
  });

  describe('privateAccess "required"', () => {
    it('turns the private endpoint on and leaves public as it was', () => {
      // Prepare
      const config = endpoint(true, false, ['0.0.0.0/0', '::/0']);

      // Act
      const target = planTarget(config, rules('allowed', 'required'));

      // Assess
      expect(target).toEqual(endpoint(true, true, ['0.0.0.0/0', '::/0']));
    });
  });

  describe('public access that is off', () => {
    it.each(['disabled', 'restricted', 'allowed'] as const)(
      'is never turned on under "%s"',
      (publicAccess) => {
        // Act
        const target = planTarget(endpoint(false, true, ['0.0.0.0/0']), rules(publicAccess, 'optional'));

        // Assess
        expect(target.publicAccess).toBe(false);
      },
    );
  });

  // DESIGN §1 rows × every rule combination: the target, as `describeEndpointConfig` prints it.
  const MATRIX = {
    'public only (EKS default)': [
      ['disabled', 'required', 'private'],
      ['disabled', 'optional', 'private'],
      ['restricted', 'required', 'public (203.0.113.0/24) + private'],
      ['restricted', 'optional', 'public (203.0.113.0/24)'],
      ['allowed', 'required', 'public (0.0.0.0/0) + private'],
      ['allowed', 'optional', 'public (0.0.0.0/0)'],
    ],
    'public and private': [
      ['disabled', 'required', 'private'],
      ['disabled', 'optional', 'private'],
      ['restricted', 'required', 'public (203.0.113.0/24) + private'],
      ['restricted', 'optional', 'public (203.0.113.0/24) + private'],
      ['allowed', 'required', 'public (0.0.0.0/0) + private'],
      ['allowed', 'optional', 'public (0.0.0.0/0) + private'],
    ],
    'private only': [
      ['disabled', 'required', 'private'],
      ['disabled', 'optional', 'private'],
      ['restricted', 'required', 'private'],
      ['restricted', 'optional', 'private'],
      ['allowed', 'required', 'private'],
      ['allowed', 'optional', 'private'],
    ],
  } as const;

  describe.each(DOMAIN_ROWS)('a cluster with %s access (CIDRs 0.0.0.0/0)', (row, config) => {
    it.each(MATRIX[row])(
      'under publicAccess "%s", privateAccess "%s" → %s',
      (publicAccess, privateAccess, expected) => {
        // Prepare
        const policy = rules(publicAccess, privateAccess);

        // Act
        const target = planTarget(config, policy);

        // Assess
        expect(describeEndpointConfig(target)).toBe(expected);
        expect(evaluateEndpoint(target, policy).compliant).toBe(true);
        expect(target.publicAccess || target.privateAccess).toBe(true);
      },
    );
  });

  it('plans the endpoint fields only (never logging, subnets or security groups)', () => {
    // Act
    const target = planTarget(endpoint(true, false), rules('disabled', 'required'));

    // Assess
    expect(Object.keys(target).sort()).toEqual(['privateAccess', 'publicAccess', 'publicAccessCidrs']);
  });

  it('changes nothing on a second run', () => {
    // Prepare
    const policy = rules('restricted', 'required', ['203.0.113.0/24', '2001:db8::/32']);
    const first = planTarget(endpoint(true, false, ['0.0.0.0/0']), policy);

    // Act
    const second = planTarget(first, policy);

    // Assess
    expect(sameEndpointConfig(first, second)).toBe(true);
  });
});

describe('intersectCidrs', () => {
  it('keeps a block once, and drops blocks inside another kept block', () => {
    // Prepare
    const current = ['203.0.113.0/26', '203.0.113.0/24', '203.0.113.0/24'];

    // Act
    const result = intersectCidrs(current, ['203.0.113.0/24', '203.0.113.0/25']);

    // Assess
    expect(result).toEqual(['203.0.113.0/24']);
  });

  it('treats two spellings of the same IPv6 block as one', () => {
    // Act
    const result = intersectCidrs(['::/0'], ['2001:db8::/32', '2001:0db8::/32']);

    // Assess
    expect(result).toEqual(['2001:db8::/32']);
  });

  it('keeps the order of the current blocks, then of the allowed ones', () => {
    // Act
    const result = intersectCidrs(
      ['198.51.100.0/24', '0.0.0.0/0'],
      ['203.0.113.0/24', '198.51.100.10/32', '192.0.2.0/24'],
    );

    // Assess
    expect(result).toEqual(['198.51.100.10/32', '203.0.113.0/24', '192.0.2.0/24']);
  });

  it('gives blocks in the canonical form EKS writes, however the policy spelled them', () => {
    // Act
    const result = intersectCidrs(['0.0.0.0/0', '::/0'], ['10.0.0.0/08', '2001:0DB8:0000::/32']);

    // Assess
    expect(result).toEqual(['10.0.0.0/8', '2001:db8::/32']);
  });

  it('is empty when nothing overlaps', () => {
    // Act
    const result = intersectCidrs(['192.0.2.0/24'], ['203.0.113.0/24', '2001:db8::/32']);

    // Assess
    expect(result).toEqual([]);
  });
});

describe('narrowCidrs: the 40-block rule', () => {
  // The reproduction: 20 /32s inside 203.0.113.0/24 plus twenty /8s are open; the policy
  // allows 203.0.113.0/24 and 39 /32s inside those /8s. The intersection is 59 blocks, none of
  // which aggregate (no two are halves of one block).
  const sprinkled = Array.from({ length: 20 }, (_, i) => `203.0.113.${2 * i + 1}/32`);
  const eights = Array.from({ length: 20 }, (_, i) => `${i + 11}.0.0.0/8`);
  const inEights = Array.from({ length: 39 }, (_, i) => `${(i % 20) + 11}.0.0.${i < 20 ? 1 : 3}/32`);
  const allowed = ['203.0.113.0/24', ...inEights];

  it('reproduction: 59 blocks in use after aggregation → the target is the allowed list itself, and the note says why', () => {
    // Act
    const result = narrowCidrs([...sprinkled, ...eights], allowed);

    // Assess: no allowed network in use is dropped; nothing outside the allowed list is opened
    expect(result.cidrs).toEqual(allowed);
    expect(result.cidrs).toHaveLength(40);
    expect(result.note).toBe(
      'the allowed networks the endpoint is open to come to 59 blocks after aggregation, more than the 40 EKS accepts, so the target is the allowed list itself (40 blocks): no allowed network is cut off',
    );
  });

  it('the same through planOf: a compliant target, and the note for the reason', () => {
    // Prepare
    const policy = rules('restricted', 'required', allowed);

    // Act
    const plan = planOf(endpoint(true, true, [...sprinkled, ...eights]), policy);

    // Assess
    expect(plan.target.publicAccessCidrs).toEqual(allowed);
    expect(plan.note).toContain('59 blocks after aggregation');
  });

  it('aggregates adjacent and contained blocks first: 80 sibling /32s become 40 /31s, no fallback', () => {
    // Prepare: 198.51.100.0-79 are open one by one; the policy allows the /24 they lie in
    const current = Array.from({ length: 80 }, (_, i) => `198.51.100.${i}/32`);

    // Act
    const result = narrowCidrs([...current, '198.51.100.0/30'], ['198.51.100.0/24']);

    // Assess: .0-.79 is exactly 198.51.100.0/26 + 198.51.100.64/28
    expect(result).toEqual({ cidrs: ['198.51.100.0/26', '198.51.100.64/28'] });
  });

  it('keeps up to 40 blocks as they are (no note)', () => {
    // Prepare
    const current = Array.from({ length: 40 }, (_, i) => `192.0.2.${2 * i + 1}/32`);

    // Act
    const result = narrowCidrs(['0.0.0.0/0'], current);

    // Assess
    expect(result).toEqual({ cidrs: current });
  });

  it('falls back to the allowed blocks of the families the cluster uses only', () => {
    // Prepare: 41 IPv4 /32s in use, inside an allowed /24; the allowed list has an IPv6 block too
    const v4 = Array.from({ length: 41 }, (_, i) => `192.0.2.${2 * i + 1}/32`);

    // Act
    const result = narrowCidrs(v4, ['2001:db8::/32', '192.0.2.0/24', '198.51.100.0/24']);

    // Assess
    expect(result.cidrs).toEqual(['192.0.2.0/24', '198.51.100.0/24']);
    expect(result.note).toContain('come to 41 blocks');
  });
});

describe('turnsPublicOff', () => {
  it.each([
    ['public on → off', true, endpoint(true, false), endpoint(false, true)],
    ['public on → on', false, endpoint(true, false), endpoint(true, true)],
    ['public off → off', false, endpoint(false, true), endpoint(false, true)],
    ['public off → on', false, endpoint(false, true), endpoint(true, true)],
  ])('%s: %s', (_name, expected, before, after) => {
    // Act
    const result = turnsPublicOff(before, after);

    // Assess
    expect(result).toBe(expected);
  });
});
