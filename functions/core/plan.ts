import { canonicalCidr, cidrWithin } from './cidr';
import { aggregateCidrs, cidrFamily } from './cidr-aggregate';
import type { EffectivePolicy } from './effective';
import { type EndpointConfig, sameEndpointConfig } from './endpoint';
import { evaluateEndpoint, exposedCidrs } from './evaluate';
import { MAX_PUBLIC_CIDRS } from './policy/policy';

/**
 * The compliant configuration closest to `config` (DESIGN §3). It only ever takes access away:
 * public access is never turned on and public CIDRs only narrow. Private access is turned on when
 * required and whenever public access goes off, so the cluster is never left without an endpoint.
 */
export function planTarget(config: EndpointConfig, policy: EffectivePolicy): EndpointConfig {
  return planOf(config, policy).target;
}

/** The target, and how it was chosen when that needs saying (the 40-block rule, see narrowCidrs). */
export interface Plan {
  target: EndpointConfig;
  note?: string;
}

export function planOf(config: EndpointConfig, policy: EffectivePolicy): Plan {
  const current = { ...config, publicAccessCidrs: [...config.publicAccessCidrs] };
  const evaluation = evaluateEndpoint(config, policy);
  if (evaluation.compliant) return { target: current };

  let publicAccess = config.publicAccess;
  let publicAccessCidrs = current.publicAccessCidrs;
  let note: string | undefined;
  if (evaluation.violations.some((v) => v.rule === 'public-disabled')) {
    publicAccess = false;
  } else if (evaluation.violations.some((v) => v.rule === 'public-cidrs')) {
    const narrowed = narrowCidrs(exposedCidrs(config), policy.allowedPublicCidrs);
    note = narrowed.note;
    if (narrowed.cidrs.length > 0) publicAccessCidrs = narrowed.cidrs;
    else publicAccess = false;
  }
  // Stale CIDRs are kept when public goes off: the EKS adapter does not send them then.
  const privateAccess = config.privateAccess || policy.privateAccess === 'required' || !publicAccess;
  return { target: { publicAccess, privateAccess, publicAccessCidrs }, ...(note ? { note } : {}) };
}

/**
 * The public CIDRs a narrowing leaves: the allowed networks the endpoint is open to now,
 * aggregated (nested blocks dropped, sibling blocks joined). When more than the 40 blocks EKS
 * accepts remain, cutting the list would silently drop allowed networks that may be in use: the
 * target is then the allowed list itself (its blocks of the address families the cluster uses),
 * at most 40 by the policy's own rule, compliant, and it cuts off no allowed network. It may open
 * the endpoint to allowed addresses it was not open to; the note says so.
 */
export function narrowCidrs(current: readonly string[], allowed: readonly string[]): NarrowedCidrs {
  const kept = aggregateCidrs(intersectCidrs(current, allowed));
  if (kept.length <= MAX_PUBLIC_CIDRS) return { cidrs: kept };
  const families = new Set(kept.map(cidrFamily));
  const list = [...new Set(allowed.map(canonicalCidr))].filter((cidr) => families.has(cidrFamily(cidr)));
  return {
    cidrs: list,
    note: `the allowed networks the endpoint is open to come to ${kept.length} blocks after aggregation, more than the ${MAX_PUBLIC_CIDRS} EKS accepts, so the target is the allowed list itself (${list.length} block${list.length === 1 ? '' : 's'}): no allowed network is cut off`,
  };
}

export interface NarrowedCidrs {
  cidrs: string[];
  /** Set when the target is the allowed list rather than the narrowed one. */
  note?: string;
}

/** True when applying `after` would close a public endpoint that `before` has open (the lockout guard's cue). */
export function turnsPublicOff(before: EndpointConfig, after: EndpointConfig): boolean {
  return before.publicAccess && !after.publicAccess;
}

/**
 * The networks both exposed now and allowed: for each pair of blocks, the smaller one when they nest
 * (CIDR blocks either nest or are disjoint). Never wider than what was exposed, never another address
 * family than the cluster already uses, in canonical form. Blocks inside another kept block are
 * dropped. Not cut to the EKS limit: narrowCidrs decides what happens beyond it.
 */
export function intersectCidrs(current: readonly string[], allowed: readonly string[]): string[] {
  const kept: string[] = [];
  for (const c of current) {
    for (const a of allowed) {
      const nested = cidrWithin(c, a) ? c : cidrWithin(a, c) ? a : undefined;
      if (nested === undefined) continue;
      // EKS is sent the canonical form, whichever way the policy or the cluster wrote the block.
      const block = canonicalCidr(nested);
      if (kept.some((k) => cidrWithin(block, k))) continue;
      const others = kept.filter((k) => !cidrWithin(k, block));
      kept.splice(0, kept.length, ...others, block);
    }
  }
  return kept;
}

/**
 * What people must check before a change that narrows the public CIDRs of a cluster whose private
 * endpoint stays off: its nodes reach the API server through the public endpoint, so the egress IPs
 * of their NAT gateways must be in the allowed list, or the nodes lose the API server.
 */
export function accessNoteOf(before: EndpointConfig, after: EndpointConfig): string | undefined {
  if (!before.publicAccess || !after.publicAccess || after.privateAccess) return undefined;
  if (sameEndpointConfig(before, after)) return undefined;
  return `private access stays off, so nodes reach the API server through the public endpoint: the egress IPs of their NAT gateways must be among ${after.publicAccessCidrs.join(', ')}, or turn private access on`;
}
