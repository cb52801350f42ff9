import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import type { EndpointConfig } from '../../../functions/core/endpoint';
import type { PolicyInput, PrivateAccessRule, PublicAccessRule } from '../../../functions/core/policy/policy';

/** fast-check generators of realistic policies and endpoint configurations. */

type Family = 'ipv4' | 'ipv6';
const BITS: Record<Family, number> = { ipv4: 32, ipv6: 128 };

/** Formats the network of `value`/`prefix` the way EKS and the policy schema expect (host bits zero). */
function network(family: Family, value: bigint, prefix: number): string {
  const bits = BITS[family];
  const mask = ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  let rest = value & mask;
  const bytes: number[] = [];
  for (let i = 0; i < bits / 8; i++) {
    bytes.unshift(Number(rest & 0xffn));
    rest >>= 8n;
  }
  return `${ipaddr.fromByteArray(bytes).toString()}/${prefix}`;
}

function parseBlock(cidr: string): [Family, bigint, number] {
  const [address, prefix] = ipaddr.parseCIDR(cidr);
  const value = address.toByteArray().reduce((sum, byte) => (sum << 8n) | BigInt(byte), 0n);
  return [address.kind(), value, prefix];
}

/** Mostly the prefixes people use, sometimes anything down to /0. */
const prefixArb = (family: Family) =>
  family === 'ipv4'
    ? fc.oneof(fc.integer({ min: 16, max: 32 }), fc.integer({ min: 0, max: 32 }))
    : fc.oneof(fc.integer({ min: 32, max: 64 }), fc.integer({ min: 0, max: 128 }));

const anyCidrArb = (family: Family) =>
  fc
    .tuple(fc.bigInt({ min: 0n, max: (1n << BigInt(BITS[family])) - 1n }), prefixArb(family))
    .map(([value, prefix]) => network(family, value, prefix));

/** Blocks in and around the documentation ranges, so that policies and clusters overlap often. */
const nearbyCidrArb = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('203.0.113.0', '198.51.100.0', '192.0.2.0'),
      fc.nat(255),
      fc.integer({ min: 8, max: 32 }),
    )
    .map(([base, host, prefix]) => network('ipv4', parseBlock(`${base}/24`)[1] | BigInt(host), prefix)),
  fc
    .tuple(fc.bigInt({ min: 0n, max: (1n << 96n) - 1n }), fc.integer({ min: 16, max: 128 }))
    .map(([host, prefix]) => network('ipv6', parseBlock('2001:db8::/32')[1] | host, prefix)),
);

export const cidrArb = fc.oneof(anyCidrArb('ipv4'), anyCidrArb('ipv6'), nearbyCidrArb);

/** A block inside `cidr` (possibly itself). */
const subBlockArb = (cidr: string) => {
  const [family, value, prefix] = parseBlock(cidr);
  const bits = BITS[family];
  return fc
    .tuple(fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n }), fc.integer({ min: prefix, max: bits }))
    .map(([host, longer]) => network(family, value | (host & ((1n << BigInt(bits - prefix)) - 1n)), longer));
};

/** A block around `cidr` (possibly itself). */
const superBlockArb = (cidr: string) => {
  const [family, value, prefix] = parseBlock(cidr);
  return fc.integer({ min: 0, max: prefix }).map((shorter) => network(family, value, shorter));
};

const cidrListArb = fc.uniqueArray(cidrArb, { minLength: 1, maxLength: 6 });

const NAMES = ['dev-api', 'dev-', 'sandbox-7', 'prod-a', 'prod-eu', 'legacy-billing', 'team-a-web', 'lab-01'];
const GLOBS = ['dev-*', 'sandbox-*', 'prod-?', 'prod-*', '*', 'team-?-*', 'legacy-billing', 'lab-??'];

export const clusterNameArb = fc.oneof(
  fc.constantFrom(...NAMES),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
);

const publicAccessArb = fc.constantFrom<PublicAccessRule[]>('disabled', 'restricted', 'allowed');
const privateAccessArb = fc.constantFrom<PrivateAccessRule[]>('required', 'optional');

const overrideArb = fc.record(
  {
    clusters: fc.uniqueArray(fc.constantFrom(...GLOBS), { minLength: 1, maxLength: 3 }),
    publicAccess: publicAccessArb,
    allowedPublicCidrs: cidrListArb,
    privateAccess: privateAccessArb,
  },
  { requiredKeys: ['clusters'] },
);

/** Policies the schema accepts: every publicAccess value, partial overrides, IPv4 and IPv6 allow lists. */
export const policyInputArb: fc.Arbitrary<PolicyInput> = fc
  .record({
    mode: fc.constantFrom('enforce', 'notify' as const),
    publicAccess: publicAccessArb,
    allowedPublicCidrs: fc.option(cidrListArb, { nil: undefined }),
    privateAccess: fc.option(privateAccessArb, { nil: undefined }),
    overrides: fc.array(overrideArb, { maxLength: 3 }),
  })
  .map(({ mode, publicAccess, allowedPublicCidrs, privateAccess, overrides }) => {
    // The schema needs allowed blocks wherever "restricted" would otherwise have none.
    const needsCidrs =
      publicAccess === 'restricted' || overrides.some((o) => o.publicAccess === 'restricted');
    const cidrs = allowedPublicCidrs ?? (needsCidrs ? ['203.0.113.0/24', '2001:db8::/32'] : undefined);
    return {
      version: 1 as const,
      mode,
      publicAccess,
      ...(cidrs && { allowedPublicCidrs: cidrs }),
      ...(privateAccess && { privateAccess }),
      overrides,
    };
  });

/** Every CIDR a policy mentions: configurations are drawn around them. */
export function cidrsOf(policy: PolicyInput): string[] {
  return [
    ...(policy.allowedPublicCidrs ?? []),
    ...(policy.overrides ?? []).flatMap((o) => o.allowedPublicCidrs ?? []),
  ];
}

/**
 * Endpoint configurations EKS can have (never both endpoints off), with public CIDRs inside, around
 * and beside the policy's blocks. An IPv4 cluster carries IPv4 blocks only.
 */
export function endpointConfigArb(near: readonly string[]): fc.Arbitrary<EndpointConfig> {
  const related = near.length > 0 ? fc.constantFrom(...near) : cidrArb;
  const blockArb = fc.oneof(
    fc.constantFrom('0.0.0.0/0', '::/0'),
    cidrArb,
    related,
    related.chain(subBlockArb),
    related.chain(superBlockArb),
  );
  return fc
    .record({
      endpoints: fc.constantFrom([true, false], [true, true], [false, true]),
      dualStack: fc.boolean(),
      blocks: fc.array(blockArb, { minLength: 1, maxLength: 8 }),
    })
    .map(({ endpoints: [publicAccess, privateAccess], dualStack, blocks }) => {
      const usable = dualStack ? blocks : blocks.filter((cidr) => !cidr.includes(':'));
      return {
        publicAccess: publicAccess as boolean,
        privateAccess: privateAccess as boolean,
        publicAccessCidrs: usable.length > 0 ? usable : ['0.0.0.0/0'],
      };
    });
}
