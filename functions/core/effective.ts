import { matchesGlob } from './glob';
import type { Policy, PrivateAccessRule, PublicAccessRule } from './policy';

export { matchesGlob };

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

const DAY_MS = 24 * 60 * 60 * 1000;

/** Picks the rules for one cluster: the first matching override, then any exemption in force at `now`. */
export function effectivePolicyFor(policy: Policy, cluster: ClusterIdentity, now: Date): EffectivePolicy {
  const index = policy.overrides.findIndex((o) => o.clusters.some((glob) => matchesGlob(cluster.name, glob)));
  const override = policy.overrides[index];
  const publicAccess = override?.publicAccess ?? policy.publicAccess;
  const allowed = override?.allowedPublicCidrs ?? policy.allowedPublicCidrs ?? [];
  const exemption = exemptionFor(policy, cluster, now);
  return {
    mode: policy.mode,
    publicAccess,
    allowedPublicCidrs: publicAccess === 'restricted' ? [...allowed] : [],
    privateAccess: override?.privateAccess ?? policy.privateAccess,
    ...(exemption && { exemption }),
    ruleSource: override
      ? `overrides[${index}] (${override.clusters.map((glob) => JSON.stringify(glob)).join(', ')})`
      : 'policy',
  };
}

/** The tag wins: it is set on the cluster itself, closest to the people who own it. */
function exemptionFor(policy: Policy, cluster: ClusterIdentity, now: Date): ActiveExemption | undefined {
  const tag = policy.exemptionTag;
  if (Object.hasOwn(cluster.tags, tag)) {
    const reason = cluster.tags[tag]?.trim();
    return { source: 'tag', reason: reason || `tagged ${tag}` };
  }
  const entry = policy.exemptions.find(
    (e) => matchesGlob(cluster.name, e.cluster) && (!e.expires || now.getTime() < endOfDay(e.expires)),
  );
  if (!entry) return undefined;
  return { source: 'policy', reason: entry.reason, ...(entry.expires && { expires: entry.expires }) };
}

/** `expires` names the last UTC day the exemption applies: it ends at the next midnight UTC. */
function endOfDay(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) + DAY_MS;
}
