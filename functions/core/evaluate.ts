import type { EffectivePolicy } from './effective';
import type { EndpointConfig } from './endpoint';

export type ViolationRule = 'public-disabled' | 'public-cidrs' | 'private-required';

export interface Violation {
  rule: ViolationRule;
  /** One sentence a person understands, e.g. `public endpoint is open to 0.0.0.0/0, outside the allowed networks`. */
  reason: string;
  /** For public-cidrs: the current CIDRs that lie outside every allowed block. */
  offendingCidrs?: string[];
}

export type Evaluation = { compliant: true; violations: [] } | { compliant: false; violations: Violation[] };

// IMPLEMENTATION PENDING: evaluateEndpoint(config: EndpointConfig, policy: EffectivePolicy): Evaluation
export type _Pending = [EndpointConfig, EffectivePolicy];
