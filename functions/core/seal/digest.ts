import { canonicalJson, sha256 } from './canonical';

/**
 * A digest seals the audit records of one time range, as CloudTrail's digest files seal its log
 * files: the hash of every record written in [from, to), the hash of the previous digest, and the
 * range. Each digest names its predecessor, so the digests form a chain from the first one on:
 * a record changed, deleted or inserted after it was sealed, and a digest changed, removed or
 * reordered, no longer matches (verify.ts).
 */
export const DIGEST_SCHEMA = 'eks-endpoint-guard/digest@1';

/** Where the digests of one region live in the bucket: `<prefix><sequence, 10 digits>.json`. */
export function digestPrefix(region: string): string {
  return `eks-endpoint-guard/digests/${region}/`;
}

export function digestKey(region: string, sequence: number): string {
  return `${digestPrefix(region)}${String(sequence).padStart(10, '0')}.json`;
}

/** What a digest says of one record: enough to name it when it is found changed or missing. */
export interface SealedRecord {
  /** `decision` records of the audit trail, `sweep` summaries (the proof of continuous checking). */
  kind: SealableKind;
  /** The record's key in the table (partition and sort key). */
  key: string;
  /** `-` for a sweep summary. */
  cluster: string;
  time: string;
  /** The table's expiry of the record (epoch seconds), when it has one: gone after it is no tampering. */
  expiresAt?: number;
  hash: string;
}

export type SealableKind = 'decision' | 'sweep';

/** One item of the audit table as stored, read for sealing or verifying. */
export interface SealableItem {
  kind: SealableKind;
  key: string;
  cluster: string;
  time: string;
  expiresAt?: number;
  /** Every attribute as the table returns it: the hash covers all of them. */
  item: Record<string, unknown>;
}

export interface DigestLink {
  sequence: number;
  key: string;
  hash: string;
}

/** What a digest run decides before it reads the records: enough to build the same digest again. */
export interface DigestPlan {
  region: string;
  account?: string;
  /** The audit table whose records are sealed. */
  table: string;
  sequence: number;
  /** ISO, inclusive. */
  from: string;
  /** ISO, exclusive. */
  to: string;
  sealedAt: string;
  /** The digest before this one; null for the first of the chain. */
  previous: DigestLink | null;
}

/** A digest as stored: its plan and the hashes of the records it seals. */
export interface Digest extends DigestPlan {
  schema: typeof DIGEST_SCHEMA;
  records: SealedRecord[];
}

export function sealRecord(item: SealableItem): SealedRecord {
  return {
    kind: item.kind,
    key: item.key,
    cluster: item.cluster,
    time: item.time,
    ...(item.expiresAt !== undefined ? { expiresAt: item.expiresAt } : {}),
    hash: sha256(canonicalJson(item.item)),
  };
}

/** The digest of a plan over the items read for its range (items outside the range are left out). */
export function buildDigest(plan: DigestPlan, items: readonly SealableItem[]): Digest {
  const from = Date.parse(plan.from);
  const to = Date.parse(plan.to);
  const records = items
    .filter((i) => Date.parse(i.time) >= from && Date.parse(i.time) < to)
    .map(sealRecord)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    schema: DIGEST_SCHEMA,
    region: plan.region,
    ...(plan.account ? { account: plan.account } : {}),
    table: plan.table,
    sequence: plan.sequence,
    from: plan.from,
    to: plan.to,
    sealedAt: plan.sealedAt,
    previous: plan.previous,
    records,
  };
}

/** The exact text stored, and so hashed: one line of JSON. */
export function digestText(digest: Digest): string {
  return `${JSON.stringify(digest)}\n`;
}

/** The hash the next digest names: over the stored bytes, not a re-serialisation. */
export function digestHash(text: string): string {
  return sha256(text);
}

/**
 * How long after a decision its record may still be written: the function runs for at most
 * 5 minutes, so a digest seals records up to this long before it runs, and the next digest seals
 * the rest. (A decision whose delivery finished from the queue later still is reported by verify
 * as inserted after sealing: docs/evidence.md says how to tell.)
 */
export const SETTLE_SECONDS = 15 * 60;
/** The first digest of a table seals the records of this many days before it. */
export const FIRST_DIGEST_DAYS = 400;

/** The chain's latest digest, as the audit table remembers it for the next run. */
export interface DigestHead {
  sequence: number;
  key: string;
  hash: string;
  to: string;
  /** A digest planned but not yet known to be stored: the next run stores it first. */
  pending?: DigestPlan;
  /** The table's write counter of the head: a run replaces only the head it read. */
  revision?: number;
}

/** The plan of the next digest after `head` at `now`; undefined when there is nothing to seal yet. */
export function nextPlan(
  head: DigestHead | undefined,
  now: Date,
  scope: { region: string; account?: string; table: string },
  settleSeconds = SETTLE_SECONDS,
): DigestPlan | undefined {
  const to = new Date(now.getTime() - settleSeconds * 1000);
  const from = head ? new Date(head.to) : new Date(to.getTime() - FIRST_DIGEST_DAYS * 86_400_000);
  if (to.getTime() <= from.getTime()) return undefined;
  return {
    region: scope.region,
    ...(scope.account ? { account: scope.account } : {}),
    table: scope.table,
    sequence: head ? head.sequence + 1 : 1,
    from: from.toISOString(),
    to: to.toISOString(),
    sealedAt: now.toISOString(),
    previous: head ? { sequence: head.sequence, key: head.key, hash: head.hash } : null,
  };
}
