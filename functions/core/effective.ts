import { matchesGlob } from './glob';
import type { Policy, PrivateAccessRule, PublicAccessRule } from './policy/policy';

export { matchesGlob };

/** What the policy needs to know about a cluster to pick its rules. */
export interface ClusterIdentity {
  name: string;
  tags: Record<string, string>;
}

export interface ActiveExemption {
  source: 'tag' | 'policy';
  reason: string;
  /** YYYY-MM-DD (the last UTC day it applies) or the UTC time it ends. */
  expires?: string;
  /** A tag exemption shortened to the policy's maxTagExemptionDays: what the tag asked for and the cap. */
  capped?: string;
  /** A tag exemption: when the guard first saw it (the start of maxTagExemptionDays). */
  since?: string;
}

/** The exemption tag is on the cluster but does not exempt it: the tag and why not. */
export interface RejectedTag {
  tag: string;
  value: string;
  why: string;
}

export interface EffectiveOptions {
  /** When the guard first saw the cluster's current exemption tag value; `now` when unknown. */
  tagSince?: Date;
}

/** The rules that apply to one cluster after overrides and exemptions. */
export interface EffectivePolicy {
  mode: Policy['mode'];
  publicAccess: PublicAccessRule;
  /** The allowed blocks when publicAccess is "restricted"; empty otherwise. */
  allowedPublicCidrs: string[];
  privateAccess: PrivateAccessRule;
  exemption?: ActiveExemption;
  /** The exemption tag is set but does not exempt (no or a past expiry, or the cap reached). */
  rejectedTag?: RejectedTag;
  /** Minutes a new violation is left alone before it is reverted (0: at once). */
  gracePeriodMinutes: number;
  /** Where the rules came from, for people: "policy" or e.g. `overrides[1] ("dev-*")`. */
  ruleSource: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Picks the rules for one cluster: the first matching override, then any exemption in force at `now`. */
export function effectivePolicyFor(
  policy: Policy,
  cluster: ClusterIdentity,
  now: Date,
  options: EffectiveOptions = {},
): EffectivePolicy {
  const index = policy.overrides.findIndex((o) => o.clusters.some((glob) => matchesGlob(cluster.name, glob)));
  const override = policy.overrides[index];
  const publicAccess = override?.publicAccess ?? policy.publicAccess;
  const allowed = override?.allowedPublicCidrs ?? policy.allowedPublicCidrs ?? [];
  const tag = tagExemption(policy, cluster, now, options.tagSince ?? now);
  const exemption = tag?.exemption ?? policyExemption(policy, cluster, now);
  return {
    mode: policy.mode,
    publicAccess,
    allowedPublicCidrs: publicAccess === 'restricted' ? [...allowed] : [],
    privateAccess: override?.privateAccess ?? policy.privateAccess,
    ...(exemption && { exemption }),
    ...(tag?.rejected && { rejectedTag: tag.rejected }),
    gracePeriodMinutes: override?.gracePeriodMinutes ?? policy.gracePeriodMinutes,
    ruleSource: override
      ? `overrides[${index}] (${override.clusters.map((glob) => JSON.stringify(glob)).join(', ')})`
      : 'policy',
  };
}

/**
 * The tag wins over a policy exemption: it is set on the cluster itself, closest to the people who
 * own it. But it is under the policy's control: off with `exemptionTag: null`, only with an expiry
 * in its value with `requireTagExpiry`, and never longer than `maxTagExemptionDays`.
 */
function tagExemption(
  policy: Policy,
  cluster: ClusterIdentity,
  now: Date,
  since: Date,
): { exemption?: ActiveExemption; rejected?: RejectedTag } | undefined {
  const tag = policy.exemptionTag;
  if (tag === null || !Object.hasOwn(cluster.tags, tag)) return undefined;
  const value = cluster.tags[tag] ?? '';
  const reject = (why: string) => ({ rejected: { tag, value, why } });
  const parsed = readTagValue(value);
  // Whatever requireTagExpiry says: a typo in the date meant to end an exemption must not make it permanent.
  if (parsed.badDate !== undefined) return reject(unreadableExpiry(parsed.badDate));
  if (!parsed.expires && policy.requireTagExpiry) {
    return reject('the policy requires an expiry in the tag value, e.g. "OPS-123 until 2027-01-31"');
  }
  const reason = tagExemptionReason(policy, tag, value);
  let expires = parsed.expires;
  let capped: string | undefined;
  if (expires && expiryEnd(expires) <= now.getTime()) return reject(`the tag exemption expired (${expires})`);
  const days = policy.maxTagExemptionDays;
  if (days !== undefined) {
    const limit = since.getTime() + days * DAY_MS;
    if (limit <= now.getTime()) {
      return reject(`the tag exemption reached the policy's limit of ${days} days on ${iso(limit)}`);
    }
    if (!expires || expiryEnd(expires) > limit) {
      capped = `the tag asks ${expires ? `until ${expires}` : 'for no end date'}; capped at ${days} days (maxTagExemptionDays)`;
      expires = iso(limit);
    }
  }
  return {
    exemption: {
      source: 'tag',
      reason,
      ...(expires && { expires }),
      ...(capped && { capped }),
      ...(days !== undefined && { since: since.toISOString() }),
    },
  };
}

function policyExemption(policy: Policy, cluster: ClusterIdentity, now: Date): ActiveExemption | undefined {
  const entry = policy.exemptions.find(
    (e) => matchesGlob(cluster.name, e.cluster) && (!e.expires || now.getTime() < expiryEnd(e.expires)),
  );
  if (!entry) return undefined;
  return { source: 'policy', reason: entry.reason, ...(entry.expires && { expires: entry.expires }) };
}

/** The last `until` in the value (any case, also the start of a typo such as `untill`) and all that follows it. */
const TAG_UNTIL = /^(.*)\buntil(.*)$/is;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?Z$/;

/** The `why` of a tag rejected for what follows `until`: it starts with the words the alert and the record show. */
export const UNREADABLE_EXPIRY = 'unreadable expiry';

function unreadableExpiry(found: string): string {
  const what = found === '' ? 'nothing follows "until"' : `"${found}" after "until" is not`;
  return `${UNREADABLE_EXPIRY}: ${what}${found === '' ? ', expected' : ''} a date YYYY-MM-DD or a UTC time such as 2027-01-31T18:00:00Z; the tag exempts nothing`;
}

/** The reason a tag exemption with this value carries (as on ActiveExemption). */
export function tagExemptionReason(_policy: Policy, tag: string, value: string): string {
  return readTagValue(value).reason || `tagged ${tag}`;
}

/**
 * `OPS-123 until 2027-01-31` → reason and expiry; a value without `until` is all reason. Anything
 * after `until` that is not one date or UTC time (`until Friday`, `until 2026-02-30`,
 * `until 2026-6-1`, nothing at all) is `badDate`, and the tag is then rejected.
 */
export function readTagValue(value: string): { reason: string; expires?: string; badDate?: string } {
  const match = TAG_UNTIL.exec(value);
  if (!match) return { reason: value.trim() };
  const [, reason = '', rest = ''] = match;
  const when = rest.trim();
  if (!isExpiry(when)) return { reason: reason.trim(), badDate: when };
  return { reason: reason.trim(), expires: when };
}

/** A real calendar date YYYY-MM-DD, or a UTC time with the Z. */
export function isExpiry(value: string): boolean {
  if (DATE.test(value)) return new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
  return UTC_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * When an expiry ends: a date names the last UTC day (it ends at the next midnight UTC); a
 * timestamp is the moment itself.
 */
export function expiryEnd(expires: string): number {
  return DATE.test(expires) ? Date.parse(`${expires}T00:00:00Z`) + DAY_MS : Date.parse(expires);
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
