import { cidrWithinAny } from './cidr';
import type { EffectivePolicy } from './effective';
import { EKS_DEFAULT_PUBLIC_CIDRS, type EndpointConfig } from './endpoint';

export type ViolationRule = 'public-disabled' | 'public-cidrs' | 'private-required';

export interface Violation {
  rule: ViolationRule;
  /** One sentence a person understands, e.g. `public endpoint is open to 0.0.0.0/0, outside the allowed networks`. */
  reason: string;
  /** For public-cidrs: the current CIDRs that lie outside every allowed block. */
  offendingCidrs?: string[];
}

export type Evaluation = { compliant: true; violations: [] } | { compliant: false; violations: Violation[] };

/** One policy rule: a violation, or undefined when the configuration satisfies it. */
type Rule = (config: EndpointConfig, policy: EffectivePolicy) => Violation | undefined;

const publicDisabled: Rule = (config, policy) =>
  policy.publicAccess === 'disabled' && config.publicAccess
    ? { rule: 'public-disabled', reason: 'public endpoint is enabled, but the policy requires it disabled' }
    : undefined;

const publicCidrs: Rule = (config, policy) => {
  // While public access is off EKS keeps stale CIDRs around: they grant nothing.
  if (policy.publicAccess !== 'restricted' || !config.publicAccess) return undefined;
  const offending = [...new Set(exposedCidrs(config))].filter(
    (cidr) => !cidrWithinAny(cidr, policy.allowedPublicCidrs),
  );
  if (offending.length === 0) return undefined;
  return {
    rule: 'public-cidrs',
    reason: `public endpoint is open to ${offending.join(', ')}, outside the allowed networks ${policy.allowedPublicCidrs.join(', ')}`,
    offendingCidrs: offending,
  };
};

const privateRequired: Rule = (config, policy) =>
  policy.privateAccess === 'required' && !config.privateAccess
    ? { rule: 'private-required', reason: 'private endpoint is disabled, but the policy requires it enabled' }
    : undefined;

const RULES: readonly Rule[] = [publicDisabled, publicCidrs, privateRequired];

/** Checks a configuration against the rules for its cluster. Exemptions are the caller's business. */
export function evaluateEndpoint(config: EndpointConfig, policy: EffectivePolicy): Evaluation {
  const violations = RULES.map((rule) => rule(config, policy)).filter((v): v is Violation => v !== undefined);
  return violations.length === 0 ? { compliant: true, violations: [] } : { compliant: false, violations };
}

/** The networks a public endpoint is open to: an empty list means the EKS default, the whole internet. */
export function exposedCidrs(config: EndpointConfig): string[] {
  return config.publicAccessCidrs.length > 0 ? config.publicAccessCidrs : [...EKS_DEFAULT_PUBLIC_CIDRS];
}
