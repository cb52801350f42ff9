import type { Policy, PrivateAccessRule, PublicAccessRule } from './policy';

/** What the policy needs to know about a cluster to pick its rules. */
export interface ClusterIdentity {
  name: string;
  tags: Record<string, string>;
}

export interface ActiveExemption {
  source: 'tag' | 'policy';
  reason: string;
  /** YYYY-MM-DD, last day it applies (policy exemptions only). */
  expires?: string;
}

/** The rules that apply to one cluster after overrides and exemptions. */
export interface EffectivePolicy {
  mode: Policy['mode'];
  publicAccess: PublicAccessRule;
  /** The allowed blocks when publicAccess is "restricted"; empty otherwise. */
  allowedPublicCidrs: string[];
  privateAccess: PrivateAccessRule;
  exemption?: ActiveExemption;
  /** Where the rules came from, for people: "policy" or e.g. `overrides[1] ("dev-*")`. */
  ruleSource: string;
}

// IMPLEMENTATION PENDING: effectivePolicyFor(policy, cluster, now) and matchesGlob(name, glob).
