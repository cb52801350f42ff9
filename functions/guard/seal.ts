import {
  buildDigest,
  type DigestHead,
  type DigestPlan,
  digestHash,
  digestKey,
  digestPrefix,
  digestText,
  nextPlan,
  SETTLE_SECONDS,
} from '../core/seal/digest';
import { type VerifyResult, verifyChain } from '../core/seal/verify';
import type { DigestReaderPort, SealPorts, SealSource } from '../seal-ports';

/**
 * Sealing and verifying the audit records (DESIGN §16). The scheduled sweep and `audit digest`
 * seal with the same function; `audit verify` and the report verify with the same function.
 */

/** Another run moved the chain's head first: nothing was sealed twice; the next run continues. */
export class DigestRaceError extends Error {
  override readonly name = 'DigestRaceError';
}

/** The digest's key already held an object this run did not write. */
export class DigestKeyTakenError extends Error {
  override readonly name = 'DigestKeyTakenError';
  constructor(readonly key: string) {
    super(
      `digest key ${key} already holds an object this run did not write: someone else wrote it; run "audit verify"`,
    );
  }
}

export interface SealOutcome {
  /** The digests stored by this run (a pending one first, if an earlier run left it). */
  digests: { key: string; sequence: number; from: string; to: string; records: number }[];
  /** The chain's head after the run; undefined when nothing was ever sealed. */
  head?: DigestHead;
}

/** Seals every record written up to SETTLE_SECONDS before `now` that no digest seals yet. */
export async function sealRecords(
  ports: SealPorts,
  now: Date,
  /** Records younger than this are left to the next run; 0 only when nothing can still be writing. */
  settleSeconds = SETTLE_SECONDS,
): Promise<SealOutcome> {
  const { source } = ports;
  const outcome: SealOutcome = { digests: [] };
  let head = await source.digestHead();
  if (head?.pending) head = await store(ports, head.pending, head, true, outcome);
  const plan = nextPlan(
    head,
    now,
    {
      region: ports.region,
      ...(ports.account ? { account: ports.account } : {}),
      table: source.table,
    },
    settleSeconds,
  );
  if (plan) {
    // Claim the sequence number first: a run that dies after storing the digest leaves it pending.
    const { revision: _revision, ...rest } = head ?? ({} as Partial<DigestHead>);
    const claimed: DigestHead = head
      ? { ...(rest as DigestHead), pending: plan }
      : { sequence: 0, key: '', hash: '', to: plan.from, pending: plan };
    if (!(await source.putDigestHead(claimed, head))) {
      throw new DigestRaceError('another digest run moved the chain first; nothing was sealed twice');
    }
    head = await store(ports, plan, { ...claimed, revision: (head?.revision ?? 0) + 1 }, false, outcome);
  }
  return { ...outcome, ...(head && head.sequence > 0 ? { head } : {}) };
}

async function store(
  ports: SealPorts,
  plan: DigestPlan,
  current: DigestHead,
  retry: boolean,
  outcome: SealOutcome,
): Promise<DigestHead> {
  const items = await ports.source.sealable(new Date(plan.from), new Date(plan.to));
  const digest = buildDigest(plan, items);
  const text = digestText(digest);
  const key = digestKey(plan.region, plan.sequence);
  const stored = await ports.store.put(key, text);
  // A pending digest found stored was stored by the run that planned it (verify checks the bytes).
  if (stored === 'exists' && !retry) throw new DigestKeyTakenError(key);
  const next: DigestHead = { sequence: plan.sequence, key, hash: digestHash(text), to: plan.to };
  if (!(await ports.source.putDigestHead(next, current))) {
    throw new DigestRaceError('another digest run moved the chain first; the digest stored is chained by it');
  }
  outcome.digests.push({
    key,
    sequence: plan.sequence,
    from: plan.from,
    to: plan.to,
    records: digest.records.length,
  });
  return { ...next, revision: (current.revision ?? 0) + 1 };
}

/** How far back the records are read to verify digests that end after `since`. */
const SINCE_MARGIN_MS = 7 * 86_400_000;

/**
 * Recomputes the chain and every sealed record: reads every version of every digest (a version
 * written after `since`, or any when `since` is absent) and the table's records of their ranges.
 */
export async function verifyRecords(
  reader: DigestReaderPort,
  source: SealSource,
  region: string,
  now: Date,
  since?: Date,
): Promise<VerifyResult> {
  // Digests are written an hour or so after their range ends: a margin keeps the one ending just
  // after `since` in, and with it the link to the digest before it.
  const cutoff = since ? since.getTime() - SINCE_MARGIN_MS : Number.NEGATIVE_INFINITY;
  const versions = await reader.versions(
    digestPrefix(region),
    (v) => !v.deleteMarker && Date.parse(v.lastModified) >= cutoff,
  );
  const read = versions.filter((v) => v.body !== undefined);
  const starts = read
    .map((v) => /"from":"([^"]+)"/.exec(v.body ?? '')?.[1])
    .filter((t): t is string => t !== undefined)
    .map(Date.parse)
    .filter((t) => !Number.isNaN(t) && (!since || t >= cutoff));
  const from = new Date(Math.min(since?.getTime() ?? Number.POSITIVE_INFINITY, ...starts, now.getTime()));
  const items = await source.sealable(from, now);
  return verifyChain({ region, versions, items, now, ...(since ? { since } : {}) });
}
