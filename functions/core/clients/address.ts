import ipaddr from 'ipaddr.js';
import { cidrWithin } from '../cidr';
import type { EndpointConfig } from '../endpoint';
import { exposedCidrs } from '../evaluate';
import { NON_PUBLIC_RANGES } from '../policy/lint-rules';

/**
 * How a client address reaches the API server (DESIGN §1). An address of a private range (RFC 1918,
 * the shared space 100.64.0.0/10 that VPCs use as secondary ranges, unique local IPv6) cannot come
 * over the internet: the API server saw it through the private endpoint, so it keeps reaching the
 * server while private access is on, whatever the public CIDRs say. Any other address came through
 * the public endpoint, and reaches it only while public access is on and the address lies inside
 * one of the public access CIDRs (none listed: the EKS default, the whole IPv4 internet).
 *
 * Known limits, both on the side of naming too many clients rather than too few: a VPC that uses
 * publicly routable ranges internally, and in-VPC IPv6 clients (VPC IPv6 addresses are global),
 * look like public clients.
 */

/** The address in the form the API server writes it, or undefined when it is not an IP address. */
export function clientAddress(text: string): string | undefined {
  const value = text.trim();
  if (!ipaddr.isValid(value)) return undefined;
  if (!value.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(value)) return undefined;
  const parsed = ipaddr.process(value);
  return parsed.kind() === 'ipv6' ? (parsed as ipaddr.IPv6).toRFC5952String() : parsed.toString();
}

/** True for addresses that never come over the internet (see above). */
export function isPrivateAddress(ip: string): boolean {
  const address = clientAddress(ip);
  if (address === undefined) return false;
  const parsed = ipaddr.parse(address);
  const range = parsed.range();
  if (range === 'loopback' || range === 'linkLocal') return true;
  return Object.keys(NON_PUBLIC_RANGES).some((cidr) => cidrWithin(hostBlock(address), cidr));
}

/** True when a client at `ip` reaches the API server of a cluster configured as `config`. */
export function reaches(config: EndpointConfig, ip: string): boolean {
  const address = clientAddress(ip);
  if (address === undefined) return false;
  if (isPrivateAddress(address)) return config.privateAccess;
  return config.publicAccess && exposedCidrs(config).some((cidr) => cidrWithin(hostBlock(address), cidr));
}

/** Through which endpoint a client at `ip` reaches the server today: for `check --clients`. */
export function pathOf(config: EndpointConfig, ip: string): 'private' | 'public' | 'none' {
  if (!reaches(config, ip)) return 'none';
  return isPrivateAddress(ip) ? 'private' : 'public';
}

function hostBlock(address: string): string {
  return address.includes(':') ? `${address}/128` : `${address}/32`;
}
