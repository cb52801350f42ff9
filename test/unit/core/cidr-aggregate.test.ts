import { BlockList } from 'node:net';
import fc from 'fast-check';
import { aggregateCidrs, cidrFamily } from '../../../functions/core/cidr-aggregate';

/** Node's own BlockList decides coverage: an implementation independent of the one under test. */
function covers(cidrs: readonly string[], address: string, family: 'ipv4' | 'ipv6'): boolean {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [network = '', prefix = ''] = cidr.split('/');
    const kind = cidr.includes(':') ? 'ipv6' : 'ipv4';
    list.addSubnet(network, Number(prefix), kind);
  }
  return list.check(address, family);
}

describe('aggregateCidrs', () => {
  it.each([
    ['siblings become their parent', ['192.0.2.0/25', '192.0.2.128/25'], ['192.0.2.0/24']],
    ['merges repeatedly', ['192.0.2.0/26', '192.0.2.64/26', '192.0.2.128/25'], ['192.0.2.0/24']],
    ['drops a block inside another', ['192.0.2.0/24', '192.0.2.7/32'], ['192.0.2.0/24']],
    ['drops duplicates, whatever the spelling', ['2001:db8::/32', '2001:0DB8::/32'], ['2001:db8::/32']],
    [
      'keeps neighbours that are not halves of one block',
      ['192.0.2.1/32', '192.0.2.2/32'],
      ['192.0.2.1/32', '192.0.2.2/32'],
    ],
    ['never joins families', ['0.0.0.0/1', '128.0.0.0/1', '::/1'], ['0.0.0.0/0', '::/1']],
    [
      'keeps the order (a merge takes the earlier place)',
      ['203.0.113.0/24', '198.51.100.1/32', '198.51.100.0/32'],
      ['203.0.113.0/24', '198.51.100.0/31'],
    ],
    ['IPv6 siblings', ['2001:db8::/33', '2001:db8:8000::/33'], ['2001:db8::/32']],
  ])('%s', (_name, input, expected) => {
    // Act
    const result = aggregateCidrs(input);

    // Assess
    expect(result).toEqual(expected);
  });

  it('names the family of a block, and nothing for text that is not one', () => {
    // Assess
    expect([cidrFamily('192.0.2.0/24'), cidrFamily('2001:db8::/32'), cidrFamily('nope')]).toEqual([
      'ipv4',
      'ipv6',
      undefined,
    ]);
  });

  describe('properties', () => {
    /** Blocks of a /20 around 192.0.2.0, so that siblings and nesting are common. */
    const blockArb = fc.tuple(fc.nat(4095), fc.integer({ min: 20, max: 32 })).map(([host, prefix]) => {
      const value = ((0xc0000000 | host) >>> (32 - prefix)) << (32 - prefix);
      const ip = [24, 16, 8, 0].map((shift) => ((value >>> shift) & 255).toString()).join('.');
      return `${ip}/${prefix}`;
    });
    const addressArb = fc.nat(4095).map((host) => `192.0.${(host >> 8) & 15}.${host & 255}`);

    it('covers exactly the addresses the input covers (checked by node:net BlockList)', () => {
      fc.assert(
        fc.property(
          fc.array(blockArb, { maxLength: 30 }),
          fc.array(addressArb, { maxLength: 50 }),
          (blocks, addresses) => {
            // Act
            const result = aggregateCidrs(blocks);

            // Assess
            for (const address of addresses) {
              expect(covers(result, address, 'ipv4')).toBe(covers(blocks, address, 'ipv4'));
            }
          },
        ),
        { numRuns: 500 },
      );
    });

    it('leaves no block inside another and no pair of siblings, and never more blocks than it was given', () => {
      fc.assert(
        fc.property(fc.array(blockArb, { maxLength: 30 }), (blocks) => {
          // Act
          const result = aggregateCidrs(blocks);

          // Assess
          expect(result.length).toBeLessThanOrEqual(new Set(blocks).size);
          expect(aggregateCidrs(result)).toEqual(result);
          for (const a of result) {
            for (const b of result) {
              if (a === b) continue;
              const [network = ''] = a.split('/');
              expect(covers([b], network, 'ipv4') && Number(b.split('/')[1]) <= Number(a.split('/')[1])).toBe(
                false,
              );
            }
          }
        }),
        { numRuns: 500 },
      );
    });
  });
});
