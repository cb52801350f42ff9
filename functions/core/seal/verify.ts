import {
  type Digest,
  digestHash,
  digestKey,
  digestPrefix,
  type SealableItem,
  type SealedRecord,
  sealRecord,
} from './digest';
import { readDigest } from './read';

/** One stored version of a digest key, as the bucket lists it (ListObjectVersions). */
export interface DigestVersion {
  key: string;
  versionId: string;
  /** ISO, as S3 set it. */
  lastModified: string;
  isLatest: boolean;
  deleteMarker: boolean;
  /** S3's ETag: versions with different ETags hold different bytes. */
  etag?: string;
  /** The stored text, when it was read (versions of digests older than --since are only listed). */
  body?: string;
}

export type FindingKind =
  | 'changed'
  | 'deleted'
  | 'inserted'
  | 'digest-fork'
  | 'digest-deleted'
  | 'digest-missing'
  | 'digest-unreadable'
  | 'chain-broken';

/** Something that does not match what was sealed: each one makes verify exit 1. */
export interface Finding {
  kind: FindingKind;
  /** One line naming the record (cluster and time) or the digest. */
  message: string;
  cluster?: string;
  time?: string;
  digestKey?: string;
}

export interface UnsealedRecord {
  key: string;
  cluster: string;
  time: string;
}

export interface VerifyResult {
  /** No finding: every sealed record is as it was sealed, and the chain is whole. */
  intact: boolean;
  findings: Finding[];
  /** Digest keys in the bucket, and those whose records were checked. */
  digests: number;
  digestsChecked: number;
  /** Records checked against their digests. */
  sealedRecords: number;
  /** Records written after the last digest's range: not sealed yet (not a failure). */
  unsealed: UnsealedRecord[];
  /** Sealed records gone after their expiry (the table's retention): not a failure. */
  expired: SealedRecord[];
  /** ISO end of the last digest's range: records before it are sealed. */
  sealedUntil?: string;
}

export interface VerifyInput {
  region: string;
  versions: readonly DigestVersion[];
  /** The table's items from `since` (or the first checked digest's start) to now. */
  items: readonly SealableItem[];
  now: Date;
  /** Only digests whose range ends after this are checked against the records. */
  since?: Date;
}

interface Stored {
  version: DigestVersion;
  digest: Digest;
  hash: string;
}

/** Recomputes the chain and every sealed record's hash (pure: the caller reads bucket and table). */
export function verifyChain(input: VerifyInput): VerifyResult {
  const findings: Finding[] = [];
  const prefix = digestPrefix(input.region);
  const byKey = new Map<string, DigestVersion[]>();
  for (const v of input.versions) {
    if (!v.key.startsWith(prefix)) continue;
    byKey.set(v.key, [...(byKey.get(v.key) ?? []), v]);
  }
  const sequenceOf = (key: string) => Number(/(\d{10})\.json$/.exec(key)?.[1] ?? Number.NaN);

  // Each key: deleted? rewritten? readable?
  const stored = new Map<number, Stored[]>();
  for (const [key, versions] of [...byKey].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const markers = versions.filter((v) => v.deleteMarker);
    if (markers.length > 0) {
      const hidden = markers.some((m) => m.isLatest) ? 'hidden by a delete marker' : 'deleted and put back';
      findings.push({
        kind: 'digest-deleted',
        digestKey: key,
        message: `digest ${key} was deleted after it was written (${hidden}); its locked version is still read`,
      });
    }
    const objects = versions.filter((v) => !v.deleteMarker);
    // Compared by S3's ETag when every version has one (not every version is read), else by the bytes.
    const byEtag = objects.every((v) => v.etag !== undefined);
    const contents = new Set(
      objects.map((v) => (byEtag ? v.etag : v.body !== undefined ? digestHash(v.body) : v.versionId)),
    );
    if (contents.size > 1) {
      findings.push({
        kind: 'digest-fork',
        digestKey: key,
        message: `digest ${key} has ${contents.size} different versions: someone wrote it again after it was sealed`,
      });
    }
    const sequence = sequenceOf(key);
    for (const version of objects) {
      if (version.body === undefined) continue;
      const read = readDigest(version.body);
      if (typeof read === 'string') {
        findings.push({
          kind: 'digest-unreadable',
          digestKey: key,
          message: `digest ${key} (version ${version.versionId}) is not a digest: ${read}`,
        });
        continue;
      }
      if (read.sequence !== sequence || read.region !== input.region) {
        findings.push({
          kind: 'chain-broken',
          digestKey: key,
          message: `digest ${key} holds digest ${read.sequence} of ${read.region}: digests were moved or reordered`,
        });
        continue;
      }
      stored.set(sequence, [
        ...(stored.get(sequence) ?? []),
        { version, digest: read, hash: digestHash(version.body) },
      ]);
    }
  }

  // The chain: every sequence from 1 to the last, each naming the one before.
  const sequences = [...byKey.keys()].map(sequenceOf).filter((n) => Number.isInteger(n) && n > 0);
  const last = sequences.length > 0 ? Math.max(...sequences) : 0;
  const present = new Set(sequences);
  for (let n = 1; n <= last; n++) {
    if (!present.has(n)) {
      findings.push({
        kind: 'digest-missing',
        digestKey: digestKey(input.region, n),
        message: `digest ${digestKey(input.region, n)} is missing: the records it sealed cannot be verified`,
      });
    }
  }
  const chosen = new Map<number, Stored>();
  for (let n = last; n >= 1; n--) {
    const candidates = stored.get(n);
    if (!candidates || candidates.length === 0) continue;
    // The version the next digest chained to; else the first written (the one Object Lock protects).
    const wanted = chosen.get(n + 1)?.digest.previous?.hash;
    const oldest = [...candidates].sort((a, b) =>
      a.version.lastModified.localeCompare(b.version.lastModified),
    )[0];
    const pick = candidates.find((c) => c.hash === wanted) ?? oldest;
    if (pick) chosen.set(n, pick);
  }
  for (const [n, current] of chosen) {
    const problem = linkProblem(current.digest, n === 1 ? undefined : stored.get(n - 1), n);
    if (problem) {
      findings.push({
        kind: 'chain-broken',
        digestKey: current.version.key,
        message: `digest ${current.version.key} ${problem}`,
      });
    }
  }

  // The records: each one sealed as it is now, none missing, none added.
  const since = input.since?.getTime() ?? Number.NEGATIVE_INFINITY;
  const checked = [...chosen.values()].filter((s) => Date.parse(s.digest.to) > since);
  const items = new Map(input.items.map((i) => [i.key, i]));
  const byTime = [...input.items].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
  const expired: SealedRecord[] = [];
  let sealedRecords = 0;
  for (const { digest, version } of checked) {
    const sealed = new Map(digest.records.map((r) => [r.key, r]));
    for (const record of digest.records) {
      sealedRecords += 1;
      const item = items.get(record.key);
      if (!item) {
        if (record.expiresAt !== undefined && record.expiresAt * 1000 <= input.now.getTime())
          expired.push(record);
        else findings.push(recordFinding('deleted', record, version.key));
      } else if (sealRecord(item).hash !== record.hash) {
        findings.push(recordFinding('changed', record, version.key));
      }
    }
    const to = Date.parse(digest.to);
    for (let i = firstAtOrAfter(byTime, Date.parse(digest.from)); i < byTime.length; i++) {
      const item = byTime[i] as SealableItem;
      if (Date.parse(item.time) >= to) break;
      if (!sealed.has(item.key)) findings.push(recordFinding('inserted', item, version.key));
    }
  }
  const sealedUntil = last > 0 ? chosen.get(last)?.digest.to : undefined;
  const unsealed = sealedUntil
    ? input.items.filter((i) => Date.parse(i.time) >= Date.parse(sealedUntil))
    : [...input.items];
  return {
    intact: findings.length === 0,
    findings,
    digests: byKey.size,
    digestsChecked: checked.length,
    sealedRecords,
    unsealed: unsealed
      .map(({ key, cluster, time }) => ({ key, cluster, time }))
      .sort((a, b) => a.time.localeCompare(b.time)),
    expired,
    ...(sealedUntil ? { sealedUntil } : {}),
  };
}

/** The index of the first item at or after `time` in items sorted by time. */
function firstAtOrAfter(items: readonly SealableItem[], time: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (Date.parse((items[mid] as SealableItem).time) < time) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** What is wrong with the link from digest `n` to the one before it, if anything. */
function linkProblem(digest: Digest, before: Stored[] | undefined, n: number): string | undefined {
  if (Date.parse(digest.from) >= Date.parse(digest.to))
    return `has an empty or inverted range (${digest.from} to ${digest.to})`;
  if (n === 1) return digest.previous === null ? undefined : 'is the first digest but names one before it';
  if (!digest.previous) return `names no digest before it, though it is digest ${n}`;
  if (digest.previous.sequence !== n - 1) {
    return `names digest ${digest.previous.sequence} as the one before it, not ${n - 1}: digests were reordered`;
  }
  if (!before) return undefined; // Reported as missing or left unread (before --since).
  const match = before.find((b) => b.hash === digest.previous?.hash);
  if (!match)
    return `names a digest ${n - 1} whose hash matches no stored version of it: digest ${n - 1} was replaced`;
  if (match.digest.to !== digest.from) {
    return `starts at ${digest.from} but digest ${n - 1} ends at ${match.digest.to}: the ranges do not join`;
  }
  return undefined;
}

const VERBS: Record<'changed' | 'deleted' | 'inserted', string> = {
  changed: 'changed after it was sealed',
  deleted: 'deleted after it was sealed',
  inserted: 'inserted after its time range was sealed',
};

function recordFinding(
  kind: 'changed' | 'deleted' | 'inserted',
  record: { key: string; cluster: string; time: string; kind: string },
  digest: string,
): Finding {
  const what =
    record.kind === 'sweep'
      ? `sweep summary of ${record.time}`
      : `record of ${record.cluster} at ${record.time}`;
  return {
    kind,
    cluster: record.cluster,
    time: record.time,
    digestKey: digest,
    message: `${what} ${VERBS[kind]} (digest ${digest})`,
  };
}
