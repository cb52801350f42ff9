import { BlockList } from 'node:net';
import fc from 'fast-check';
import { clientsCutOffBy } from '../../../../functions/core/clients/cut-off';
import type { ActiveClient } from '../../../../functions/core/clients/types';
import { effectivePolicyFor } from '../../../../functions/core/effective';
import type { EndpointConfig } from '../../../../functions/core/endpoint';
import { planTarget } from '../../../../functions/core/plan';
import { validatePolicy } from '../../../../functions/core/policy/policy';

/**
 * The cut-off computation against an independent model of how a client reaches the API server,
 * built on node:net's BlockList rather than the project's CIDR code:
 * - an address of a private range (RFC 1918, RFC 6598, unique local IPv6, loopback, link-local)
 *   came through the private endpoint: it reaches the server while private access is on;
 * - any other address reaches it while public access is on and it lies in a public access CIDR
 *   (none listed: 0.0.0.0/0);
 * - an IPv4-mapped IPv6 address is its IPv4 address;
 * - a change cuts off the clients that reach the server before it and not after it.
 */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['fc00::', 7],
  ['fe80::', 10],
  ['::1', 128],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');

function family(ip: string): { address: string; type: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return { address: mapped[1], type: 'ipv4' };
  return { address: ip, type: ip.includes(':') ? 'ipv6' : 'ipv4' };
}

function modelReaches(config: EndpointConfig, ip: string): boolean {
  const { address, type } = family(ip);
  if (PRIVATE.check(address, type)) return config.privateAccess;
  if (!config.publicAccess) return false;
  // One list per family: node's BlockList would match IPv4 addresses against IPv6 blocks (as
  // IPv4-mapped), while a public access CIDR only ever admits its own family.
  const list = new BlockList();
  for (const cidr of config.publicAccessCidrs.length > 0 ? config.publicAccessCidrs : ['0.0.0.0/0']) {
    const [net = '', prefix = ''] = cidr.split('/');
    const kind = net.includes(':') ? 'ipv6' : 'ipv4';
    if (kind === type) list.addSubnet(net, Number(prefix), kind);
  }
  return list.check(address, type);
}

const octet = fc.nat(255);
const v4 = (a: number, b: fc.Arbitrary<number> = octet) =>
  fc.tuple(b, octet, octet).map(([x, y, z]) => `${a}.${x}.${y}.${z}`);
const hex = fc.nat(0xffff).map((n) => n.toString(16));
const addressArb = fc.oneof(
  v4(10),
  v4(172, fc.integer({ min: 16, max: 31 })),
  v4(192, fc.constant(168)),
  v4(100, fc.integer({ min: 64, max: 127 })),
  fc.tuple(octet, octet).map(([x, y]) => `203.0.113.${x % 2 === 0 ? y : x}`),
  fc.tuple(octet, octet).map(([x, y]) => `198.51.100.${(x + y) % 256}`),
  fc.tuple(fc.integer({ min: 1, max: 223 }), octet, octet, octet).map((p) => p.join('.')),
  fc.tuple(hex, hex, hex).map(([a, b, c]) => `2001:db8:${a}::${b}:${c}`),
  fc.tuple(hex, hex).map(([a, b]) => `fd00:${a}::${b}`),
  fc
    .tuple(fc.integer({ min: 0x2000, max: 0x3fff }), hex, hex)
    .map(([a, b, c]) => `${a.toString(16)}:${b}::${c}`),
  fc.tuple(octet, octet).map(([x, y]) => `::ffff:203.0.113.${(x + y) % 256}`),
  fc.tuple(octet, octet).map(([x, y]) => `::ffff:10.0.${x}.${y}`),
);
const cidrArb = fc.constantFrom(
  '0.0.0.0/0',
  '203.0.113.0/24',
  '203.0.113.0/25',
  '203.0.113.128/26',
  '198.51.100.0/24',
  '198.51.100.7/32',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '2001:db8::/32',
  '2001:db8:8000::/33',
  '::/0',
  '192.0.2.0/24',
);
const configArb: fc.Arbitrary<EndpointConfig> = fc.record({
  publicAccess: fc.boolean(),
  privateAccess: fc.boolean(),
  publicAccessCidrs: fc.uniqueArray(cidrArb, { maxLength: 5 }),
});
const clientArb: fc.Arbitrary<ActiveClient> = fc.record({
  ip: addressArb,
  users: fc.constant(['alice']),
  userAgents: fc.constant(['kubectl/v1.33.1']),
  requests: fc.integer({ min: 1, max: 10_000 }),
  lastSeen: fc.constant('2026-06-03T10:00:00.000Z'),
});
const clientsArb = fc.uniqueArray(clientArb, { maxLength: 25, selector: (c) => c.ip });
const RUNS = { numRuns: 1000 };

describe('clientsCutOffBy, against the independent model', () => {
  it('(a) cuts off exactly the clients that reach the server before the change and not after it', () => {
    fc.assert(
      fc.property(configArb, configArb, clientsArb, (before, after, clients) => {
        // Act
        const cut = clientsCutOffBy(before, after, clients);

        // Assess
        const expected = clients.filter((c) => modelReaches(before, c.ip) && !modelReaches(after, c.ip));
        expect(cut.map((c) => c.ip)).toEqual(expected.map((c) => c.ip));
      }),
      RUNS,
    );
  });

  it('(b) public going off cuts off every public client that reached the server, and no private one while private access stays on', () => {
    fc.assert(
      fc.property(configArb, clientsArb, (before, clients) => {
        // Prepare
        const after: EndpointConfig = { ...before, publicAccess: false, privateAccess: true };

        // Act
        const cut = new Set(clientsCutOffBy(before, after, clients).map((c) => c.ip));

        // Assess
        for (const c of clients) {
          const { address, type } = family(c.ip);
          const isPrivate = PRIVATE.check(address, type);
          expect(cut.has(c.ip)).toBe(!isPrivate && modelReaches(before, c.ip));
        }
      }),
      RUNS,
    );
  });

  it('(c) for every endpoint combination, an unchanged configuration cuts off nobody', () => {
    fc.assert(
      fc.property(configArb, clientsArb, (config, clients) => {
        // Act
        const cut = clientsCutOffBy(
          config,
          { ...config, publicAccessCidrs: [...config.publicAccessCidrs] },
          clients,
        );

        // Assess
        expect(cut).toEqual([]);
      }),
      RUNS,
    );
  });

  it("(d) the guard's own targets never cut off an allowed network's client nor one that came through the private endpoint", () => {
    const policyArb = fc.record({
      publicAccess: fc.constantFrom('disabled', 'restricted'),
      privateAccess: fc.constantFrom('required', 'optional'),
      allowedPublicCidrs: fc.uniqueArray(cidrArb, { minLength: 1, maxLength: 4 }),
    });
    fc.assert(
      fc.property(policyArb, configArb, clientsArb, (input, config, clients) => {
        // Prepare
        const policy = effectivePolicyFor(
          validatePolicy({ version: 1, ...input }, 'property'),
          { name: 'c', tags: {} },
          new Date(0),
        );

        // Act
        const cut = clientsCutOffBy(config, planTarget(config, policy), clients);

        // Assess
        for (const c of cut) {
          const { address, type } = family(c.ip);
          expect(PRIVATE.check(address, type)).toBe(false);
          if (policy.publicAccess === 'restricted') {
            expect(
              modelReaches(
                { publicAccess: true, privateAccess: false, publicAccessCidrs: policy.allowedPublicCidrs },
                c.ip,
              ),
            ).toBe(false);
          }
        }
      }),
      RUNS,
    );
  });
});
