import ipaddr from 'ipaddr.js';
import { quote } from './quote';

/** A parsed CIDR block: the address and prefix length, as ipaddr.js returns them. */
type Block = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Why a string is not a usable CIDR block, or undefined when it is one.
 * Host bits must be zero, so that what the policy says is what EKS is asked to apply.
 */
export function cidrProblem(cidr: string): string | undefined {
  const block = parse(cidr);
  if (!block) return `${quote(cidr)} is not a CIDR block (expected e.g. 203.0.113.0/24 or 2001:db8::/32)`;
  const network = networkAddress(block);
  if (network !== block[0].toString()) {
    return `${quote(cidr)} has host bits set (did you mean ${network}/${block[1]}?)`;
  }
  const [address, prefix] = block;
  // Clients reach EKS over IPv4 or IPv6, never as an IPv4-mapped IPv6 address (::ffff:a.b.c.d).
  if (address.kind() === 'ipv6' && prefix >= 96 && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    const v4 = (address as ipaddr.IPv6).toIPv4Address().toString();
    return `${quote(cidr)} is an IPv4-mapped IPv6 block, which never matches a client (write it as ${v4}/${prefix - 96})`;
  }
  return undefined;
}

/**
 * The block as EKS writes it: no leading zeros in the prefix (`10.0.0.0/08` → `10.0.0.0/8`), IPv6
 * in its RFC 5952 form (`2001:0DB8::/32` → `2001:db8::/32`). Unparseable text is returned unchanged.
 */
export function canonicalCidr(cidr: string): string {
  const block = parse(cidr);
  if (!block) return cidr;
  const [address, prefix] = block;
  const text = address.kind() === 'ipv6' ? (address as ipaddr.IPv6).toRFC5952String() : address.toString();
  return `${text}/${prefix}`;
}

export function isCidr(cidr: string): boolean {
  return cidrProblem(cidr) === undefined;
}

export function isIpv6Cidr(cidr: string): boolean {
  return parse(cidr)?.[0].kind() === 'ipv6';
}

/** True when every address of `inner` lies inside `outer`. Blocks of different families never nest. */
export function cidrWithin(inner: string, outer: string): boolean {
  const a = parse(inner);
  const b = parse(outer);
  if (!a || !b || a[0].kind() !== b[0].kind()) return false;
  if (a[1] < b[1]) return false;
  // Same family checked above; ipaddr's match() needs the operands typed alike.
  return (a[0] as ipaddr.IPv4).match(b as [ipaddr.IPv4, number]);
}

/** True when `cidr` lies inside at least one of `allowed`. */
export function cidrWithinAny(cidr: string, allowed: readonly string[]): boolean {
  return allowed.some((outer) => cidrWithin(cidr, outer));
}

/** Strict parse: ipaddr.js alone also accepts IPv4 shorthands such as `10/8` or hex octets. */
function parse(cidr: string): Block | undefined {
  const [address = '', prefix = '', ...rest] = cidr.split('/');
  if (rest.length > 0 || !/^\d{1,3}$/.test(prefix)) return undefined;
  if (!address.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(address)) {
    return undefined;
  }
  try {
    return ipaddr.parseCIDR(cidr);
  } catch {
    return undefined;
  }
}

function networkAddress([address, prefix]: Block): string {
  return address.kind() === 'ipv4'
    ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${prefix}`).toString()
    : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${prefix}`).toString();
}
