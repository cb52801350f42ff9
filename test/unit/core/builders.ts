import type { EffectivePolicy } from '../../../functions/core/effective';
import type { EndpointConfig } from '../../../functions/core/endpoint';
import type { PrivateAccessRule, PublicAccessRule } from '../../../functions/core/policy/policy';

/** Builders shared by the evaluate and plan tests. */
export const endpoint = (
  publicAccess: boolean,
  privateAccess: boolean,
  publicAccessCidrs: string[] = ['0.0.0.0/0'],
): EndpointConfig => ({ publicAccess, privateAccess, publicAccessCidrs });

export const rules = (
  publicAccess: PublicAccessRule,
  privateAccess: PrivateAccessRule,
  allowedPublicCidrs: string[] = publicAccess === 'restricted' ? ['203.0.113.0/24'] : [],
): EffectivePolicy => ({
  mode: 'enforce',
  publicAccess,
  allowedPublicCidrs,
  privateAccess,
  gracePeriodMinutes: 0,
  ruleSource: 'policy',
});

/** The rows of the DESIGN §1 table that EKS allows, with a cluster open to the whole internet. */
export const DOMAIN_ROWS = [
  ['public only (EKS default)', endpoint(true, false)],
  ['public and private', endpoint(true, true)],
  ['private only', endpoint(false, true)],
] as const;
