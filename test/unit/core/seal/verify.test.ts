import { canonicalJson, sha256 } from '../../../../functions/core/seal/canonical';
import {
  buildDigest,
  type DigestHead,
  type DigestPlan,
  digestHash,
  digestKey,
  digestText,
  nextPlan,
  SETTLE_SECONDS,
  type SealableItem,
} from '../../../../functions/core/seal/digest';
import { type DigestVersion, verifyChain } from '../../../../functions/core/seal/verify';

const REGION = 'us-east-1';
const SCOPE = { region: REGION, table: 'guard-audit' };
const HOUR = 3600_000;
const T0 = Date.parse('2026-11-03T00:00:00Z');

function item(cluster: string, at: number, extra: Record<string, unknown> = {}): SealableItem {
  const time = new Date(at).toISOString();
  const key = `${REGION}#${cluster} ${time}#c-${cluster}#0#compliant`;
  return {
    kind: 'decision',
    key,
    cluster,
    time,
    item: {
      pk: `${REGION}#${cluster}`,
      sk: `${time}#c-${cluster}#0#compliant`,
      cluster,
      time,
      outcome: 'compliant',
      ...extra,
    },
  };
}

let clock = 0;
function version(key: string, body: string): DigestVersion {
  clock += 1;
  return {
    key,
    versionId: `v${clock}`,
    lastModified: new Date(T0 + clock * 1000).toISOString(),
    isLatest: true,
    deleteMarker: false,
    etag: sha256(body).slice(7, 39),
    body,
  };
}

/** Seals `items` with digests run at each of `runs` (ms), as the scheduled job would. */
function sealed(items: SealableItem[], runs: number[]): { versions: DigestVersion[]; plans: DigestPlan[] } {
  let head: DigestHead | undefined;
  const versions: DigestVersion[] = [];
  const plans: DigestPlan[] = [];
  for (const run of runs) {
    const plan = nextPlan(head, new Date(run), SCOPE);
    if (!plan) continue;
    const text = digestText(buildDigest(plan, items));
    const key = digestKey(REGION, plan.sequence);
    versions.push(version(key, text));
    plans.push(plan);
    head = { sequence: plan.sequence, key, hash: digestHash(text), to: plan.to };
  }
  return { versions, plans };
}

const NOW = new Date(T0 + 10 * HOUR);
const ITEMS = [item('prod-api', T0 + HOUR), item('payments', T0 + 2 * HOUR), item('prod-api', T0 + 5 * HOUR)];
const RUNS = [T0 + 3 * HOUR, T0 + 6 * HOUR, T0 + 9 * HOUR];

describe('verifyChain', () => {
  it('finds an untouched trail intact, and lists the records not sealed yet without failing', () => {
    // Prepare
    const late = item('analytics', NOW.getTime() - 60_000);
    const { versions } = sealed(ITEMS, RUNS);

    // Act
    const result = verifyChain({ region: REGION, versions, items: [...ITEMS, late], now: NOW });

    // Assess
    expect(result.findings).toEqual([]);
    expect(result.intact).toBe(true);
    expect(result.digests).toBe(3);
    expect(result.sealedRecords).toBe(3);
    expect(result.sealedUntil).toBe(new Date(T0 + 9 * HOUR - SETTLE_SECONDS * 1000).toISOString());
    expect(result.unsealed).toEqual([{ key: late.key, cluster: 'analytics', time: late.time }]);
  });

  it('names a record edited after sealing, by cluster and time', () => {
    // Prepare
    const { versions } = sealed(ITEMS, RUNS);
    const [first, ...rest] = ITEMS;
    const edited = { ...first, item: { ...first?.item, outcome: 'exempt' } } as SealableItem;

    // Act
    const result = verifyChain({ region: REGION, versions, items: [edited, ...rest], now: NOW });

    // Assess
    expect(result.intact).toBe(false);
    expect(result.findings).toEqual([
      expect.objectContaining({ kind: 'changed', cluster: 'prod-api', time: first?.time }),
    ]);
    expect(result.findings[0]?.message).toMatch(
      /^record of prod-api at 2026-11-03T01:00:00.000Z changed after it was sealed/,
    );
  });

  it('names a deleted record, but not one the table expired under its retention', () => {
    // Prepare
    const expiring = item('old', T0 + 30 * 60_000, { expiresAt: Math.floor((NOW.getTime() - 1000) / 1000) });
    const expiringLater = {
      ...expiring,
      key: `${expiring.key}x`,
      expiresAt: Math.floor(NOW.getTime() / 1000) + 3600,
    };
    const all = [...ITEMS, { ...expiring, expiresAt: expiring.item.expiresAt as number }, expiringLater];
    const { versions } = sealed(all, RUNS);

    // Act: the two old records and the payments record are gone
    const result = verifyChain({
      region: REGION,
      versions,
      items: [ITEMS[0], ITEMS[2]] as SealableItem[],
      now: NOW,
    });

    // Assess
    expect(result.findings.map((f) => [f.kind, f.cluster])).toEqual([
      ['deleted', 'old'],
      ['deleted', 'payments'],
    ]);
    expect(result.expired.map((r) => r.cluster)).toEqual(['old']);
  });

  it('names a record inserted into a sealed range', () => {
    // Prepare
    const { versions } = sealed(ITEMS, RUNS);
    const forged = item('prod-api', T0 + 90 * 60_000);

    // Act
    const result = verifyChain({ region: REGION, versions, items: [...ITEMS, forged], now: NOW });

    // Assess
    expect(result.findings).toEqual([
      expect.objectContaining({
        kind: 'inserted',
        cluster: 'prod-api',
        time: forged.time,
        digestKey: digestKey(REGION, 1),
      }),
    ]);
  });

  it('reports a second version under a digest key as a fork, and keeps checking against the first', () => {
    // Prepare: someone with s3:PutObject rewrites digest 2 without the edited record in it
    const { versions, plans } = sealed(ITEMS, RUNS);
    const [first, , third] = ITEMS as [SealableItem, SealableItem, SealableItem];
    const edited = { ...third, item: { ...third.item, outcome: 'exempt' } };
    const forged = version(
      digestKey(REGION, 2),
      digestText(buildDigest(plans[1] as DigestPlan, [first, edited])),
    );

    // Act
    const result = verifyChain({
      region: REGION,
      versions: [...versions, forged],
      items: [first, ITEMS[1] as SealableItem, edited],
      now: NOW,
    });

    // Assess
    expect(result.findings.map((f) => f.kind).sort()).toEqual(['changed', 'digest-fork']);
    expect(result.findings.find((f) => f.kind === 'digest-fork')?.message).toContain(
      '0000000002.json has 2 different versions',
    );
  });

  it('tells a rewritten digest from an unread one by its ETag, whether or not its text was read', () => {
    // Prepare: key 1 with two versions, only the newer read (written after --since); key 2 read once
    const { versions } = sealed(ITEMS, RUNS);
    const [one, ...rest] = versions as [DigestVersion, ...DigestVersion[]];
    const unread = { ...one, body: undefined };
    const same = { ...one, versionId: 'again' };
    const other = { ...one, versionId: 'other', etag: 'different' };

    // Act
    const identical = verifyChain({
      region: REGION,
      versions: [unread, same, ...rest],
      items: ITEMS,
      now: NOW,
    });
    const rewritten = verifyChain({
      region: REGION,
      versions: [unread, other, ...rest],
      items: ITEMS,
      now: NOW,
    });

    // Assess
    expect(identical.findings.map((f) => f.kind)).toEqual([]);
    expect(rewritten.findings.map((f) => f.kind)).toEqual(['digest-fork']);
  });

  it('reports digests put back in another order', () => {
    // Prepare: digest 3 stored under key 2 and digest 2 under key 3 (in a bucket without a lock)
    const { versions } = sealed(ITEMS, RUNS);
    const [one, two, three] = versions as [DigestVersion, DigestVersion, DigestVersion];
    const swapped = [
      one,
      { ...two, body: three.body, etag: three.etag },
      { ...three, body: two.body, etag: two.etag },
    ];

    // Act
    const result = verifyChain({ region: REGION, versions: swapped, items: ITEMS, now: NOW });

    // Assess
    expect(result.intact).toBe(false);
    expect(result.findings.filter((f) => f.kind === 'chain-broken').map((f) => f.digestKey)).toEqual([
      digestKey(REGION, 2),
      digestKey(REGION, 3),
    ]);
  });

  it('reports a digest that was deleted, whether hidden by a delete marker or removed', () => {
    // Prepare
    const { versions } = sealed(ITEMS, RUNS);
    const marker: DigestVersion = {
      key: digestKey(REGION, 2),
      versionId: 'marker',
      lastModified: NOW.toISOString(),
      isLatest: true,
      deleteMarker: true,
    };
    const without = versions.filter((v) => v.key !== digestKey(REGION, 2));

    // Act
    const hidden = verifyChain({
      region: REGION,
      versions: [...versions.map((v) => ({ ...v, isLatest: v.key !== marker.key })), marker],
      items: ITEMS,
      now: NOW,
    });
    const removed = verifyChain({ region: REGION, versions: without, items: ITEMS, now: NOW });

    // Assess
    expect(hidden.findings.map((f) => f.kind)).toEqual(['digest-deleted']);
    expect(hidden.sealedRecords).toBe(3);
    expect(removed.findings.map((f) => f.kind)).toEqual(['digest-missing']);
    expect(removed.findings[0]?.message).toContain('0000000002.json is missing');
  });

  it('reports a digest whose predecessor was replaced in the chain, and an unreadable one', () => {
    // Prepare
    const { versions } = sealed(ITEMS, RUNS);
    const [one, two, three] = versions as [DigestVersion, DigestVersion, DigestVersion];
    const replacedOne = { ...one, body: one.body?.replace('"sequence":1', '"sequence":1 '), etag: 'other' };

    // Act
    const replaced = verifyChain({
      region: REGION,
      versions: [replacedOne, two, three],
      items: ITEMS,
      now: NOW,
    });
    const garbled = verifyChain({
      region: REGION,
      versions: [one, { ...two, body: '{"schema":"x"}' }, three],
      items: ITEMS,
      now: NOW,
    });

    // Assess
    expect(replaced.findings.map((f) => f.kind)).toEqual(['chain-broken']);
    expect(replaced.findings[0]?.message).toContain('whose hash matches no stored version');
    expect(garbled.findings.map((f) => f.kind)).toContain('digest-unreadable');
  });

  it('with since, checks only the records of digests that end after it', () => {
    // Prepare
    const { versions } = sealed(ITEMS, RUNS);
    const [first, ...rest] = ITEMS as [SealableItem, ...SealableItem[]];

    // Act: the first record is no longer read (before since), so its absence says nothing
    const result = verifyChain({
      region: REGION,
      versions,
      items: rest,
      now: NOW,
      since: new Date(T0 + 4 * HOUR),
    });

    // Assess
    expect(result.intact).toBe(true);
    expect(result.digestsChecked).toBe(2);
    expect(first.cluster).toBe('prod-api');
  });
});

describe('canonicalJson', () => {
  it('gives one text whatever the key order, and a different hash for any change', () => {
    // Act
    const a = canonicalJson({ b: 1, a: { d: [1, 2], c: 'x' } });
    const b = canonicalJson({ a: { c: 'x', d: [1, 2] }, b: 1 });

    // Assess
    expect(a).toBe('{"a":{"c":"x","d":[1,2]},"b":1}');
    expect(b).toBe(a);
    expect(sha256(canonicalJson({ a: 1 }))).not.toBe(sha256(canonicalJson({ a: 2 })));
    expect(canonicalJson({ s: new Set(['b', 'a']), u: undefined })).toBe('{"s":{"$set":["a","b"]}}');
  });
});

describe('nextPlan', () => {
  it('starts the chain FIRST_DIGEST_DAYS back, continues from the head, and waits for records to settle', () => {
    // Act
    const first = nextPlan(undefined, new Date(T0), SCOPE);
    const next = nextPlan(
      { sequence: 4, key: 'k4', hash: `sha256:${'a'.repeat(64)}`, to: new Date(T0).toISOString() },
      new Date(T0 + HOUR),
      SCOPE,
    );
    const tooSoon = nextPlan(
      { sequence: 4, key: 'k4', hash: `sha256:${'a'.repeat(64)}`, to: new Date(T0).toISOString() },
      new Date(T0 + 60_000),
      SCOPE,
    );

    // Assess
    expect(first).toMatchObject({
      sequence: 1,
      previous: null,
      to: new Date(T0 - SETTLE_SECONDS * 1000).toISOString(),
    });
    expect(next).toMatchObject({
      sequence: 5,
      from: new Date(T0).toISOString(),
      previous: { sequence: 4, key: 'k4' },
    });
    expect(tooSoon).toBeUndefined();
  });
});
