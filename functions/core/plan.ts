import { canonicalCidr, cidrWithin } from './cidr';
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
  const current = { ...config, publicAccessCidrs: [...config.publicAccessCidrs] };
  const evaluation = evaluateEndpoint(config, policy);
  if (evaluation.compliant) return current;

  let publicAccess = config.publicAccess;
  let publicAccessCidrs = current.publicAccessCidrs;
  if (evaluation.violations.some((v) => v.rule === 'public-disabled')) {
    publicAccess = false;
  } else if (evaluation.violations.some((v) => v.rule === 'public-cidrs')) {
    const narrowed = intersectCidrs(exposedCidrs(config), policy.allowedPublicCidrs);
    if (narrowed.length > 0) publicAccessCidrs = narrowed;
    else publicAccess = false;
  }
  // Stale CIDRs are kept when public goes off: the EKS adapter does not send them then.
  const privateAccess = config.privateAccess || policy.privateAccess === 'required' || !publicAccess;
  return { publicAccess, privateAccess, publicAccessCidrs };
}

/** True when applying `after` would close a public endpoint that `before` has open (the lockout guard's cue). */
export function turnsPublicOff(before: EndpointConfig, after: EndpointConfig): boolean {
  return before.publicAccess && !after.publicAccess;
}

/**
 * The networks both exposed now and allowed: for each pair of blocks, the smaller one when they nest
 * (CIDR blocks either nest or are disjoint). Never wider than what was exposed, never another address
 * family than the cluster already uses, in canonical form. Blocks inside another kept block are dropped; at most
 * the EKS limit.
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
  return kept.slice(0, MAX_PUBLIC_CIDRS);
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
