import { type MemberItem, scheduleSeconds } from './central';

/**
 * Which account-regions should report to the central account, and which do (DESIGN §15). The
 * watchdog lists the StackSet's instances (the account-regions that should run a guard) and keeps
 * one `expected` item per instance, with when it was first listed: a member that has sent no
 * heartbeat within two sweep periods of that is missing, as one whose heartbeats stopped is stale.
 * An instance SKIPPED_SUSPENDED_ACCOUNT is not expected to report. The organisation's management
 * account never runs a member (service-managed StackSets never deploy there): coverage says so.
 */

/** Partition of the expected account-regions: sort key `account#region`, or `management`. */
export const EXPECTED_PARTITION = 'expected';
export const MANAGEMENT_KEY = 'management';
/** An instance no longer listed is forgotten this long after it was last listed (the item expires). */
const FORGET_AFTER_SECONDS = 2 * 86_400;
/** StackSets' detailed status of an instance whose account is suspended: no guard runs there. */
export const SUSPENDED = 'SKIPPED_SUSPENDED_ACCOUNT';

/** One stack instance, as ListStackInstances summarises it. */
export interface StackInstance {
  account: string;
  region: string;
  /** CURRENT, OUTDATED or INOPERABLE. */
  status: string;
  /** SUCCEEDED, FAILED, CANCELLED, PENDING, RUNNING, SKIPPED_SUSPENDED_ACCOUNT, ... */
  detailedStatus?: string;
}

export interface ExpectedItem {
  pk: typeof EXPECTED_PARTITION;
  sk: string;
  account: string;
  region: string;
  status: string;
  detailedStatus?: string;
  firstListedAt: string;
  lastListedAt: string;
  expiresAt: number;
}

export interface ManagementItem {
  pk: typeof EXPECTED_PARTITION;
  sk: typeof MANAGEMENT_KEY;
  account: string;
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The expected items to write for this listing: new ones first listed now, known ones kept as first listed. */
export function expectedItems(
  instances: readonly StackInstance[],
  known: readonly ExpectedItem[],
  now: Date,
): ExpectedItem[] {
  const first = new Map(known.map((item) => [item.sk, item.firstListedAt]));
  const at = now.toISOString();
  const items = new Map<string, ExpectedItem>();
  for (const instance of instances) {
    if (!ACCOUNT.test(instance.account) || !REGION.test(instance.region)) continue;
    const sk = `${instance.account}#${instance.region}`;
    items.set(sk, {
      pk: EXPECTED_PARTITION,
      sk,
      account: instance.account,
      region: instance.region,
      status: instance.status,
      ...(instance.detailedStatus && { detailedStatus: instance.detailedStatus }),
      firstListedAt: first.get(sk) ?? at,
      lastListedAt: at,
      expiresAt: Math.floor(now.getTime() / 1000) + FORGET_AFTER_SECONDS,
    });
  }
  return [...items.values()];
}

export interface MissingMember {
  account: string;
  region: string;
  firstListedAt: string;
  /** The instance's status, which often says why (FAILED, INOPERABLE). */
  status: string;
  silentSeconds: number;
}

/**
 * Expected account-regions that never sent a heartbeat, two sweep periods (`memberSchedule`, the
 * StackSet's sweep schedule) after the watchdog first listed them.
 */
export function missingMembers(
  expected: readonly ExpectedItem[],
  heartbeats: readonly MemberItem[],
  memberSchedule: string,
  now: Date,
): MissingMember[] {
  const reported = new Set(heartbeats.map((member) => `${member.account}#${member.region}`));
  const grace = 2 * scheduleSeconds(memberSchedule);
  const missing: MissingMember[] = [];
  for (const item of expected) {
    if (item.detailedStatus === SUSPENDED || reported.has(item.sk)) continue;
    const silentSeconds = Math.floor((now.getTime() - Date.parse(item.firstListedAt)) / 1000);
    if (silentSeconds > grace) {
      missing.push({
        account: item.account,
        region: item.region,
        firstListedAt: item.firstListedAt,
        status: item.detailedStatus ?? item.status,
        silentSeconds,
      });
    }
  }
  return missing.sort((a, b) => b.silentSeconds - a.silentSeconds);
}

export type CoverageState = 'reporting' | 'stopped' | 'never reported' | 'suspended' | 'management account';

/** One account-region of an account, as `audit --account` and `report --account` show it. */
export interface CoverageRow {
  account: string;
  /** `*` for the management account, which runs no guard in any region. */
  region: string;
  state: CoverageState;
  lastSweepAt?: string;
  /** The StackSet's status of the instance, or why the state is what it is. */
  note: string;
}

/** Every expected account-region of `account` and every one that reports, with its last heartbeat. */
export function coverageOf(
  account: string,
  data: { expected: readonly ExpectedItem[]; heartbeats: readonly MemberItem[]; managementAccount?: string },
  now: Date,
): CoverageRow[] {
  if (data.managementAccount === account) {
    return [
      {
        account,
        region: '*',
        state: 'management account',
        note: 'the organisation management account: service-managed StackSets never deploy there, so no guard runs in it',
      },
    ];
  }
  const beats = new Map(
    data.heartbeats.filter((member) => member.account === account).map((member) => [member.region, member]),
  );
  const expected = new Map(
    data.expected.filter((item) => item.account === account).map((item) => [item.region, item]),
  );
  const rows: CoverageRow[] = [];
  for (const region of [...new Set([...expected.keys(), ...beats.keys()])].sort()) {
    const item = expected.get(region);
    const beat = beats.get(region);
    const status = item ? `StackSet ${item.detailedStatus ?? item.status}` : 'not listed in the StackSet';
    if (item?.detailedStatus === SUSPENDED) {
      rows.push({ account, region, state: 'suspended', note: `${status}: not expected to report` });
    } else if (!beat) {
      rows.push({
        account,
        region,
        state: 'never reported',
        note: `${status}, listed since ${item?.firstListedAt}`,
      });
    } else {
      const silent = (now.getTime() - Date.parse(beat.lastSweepAt)) / 1000;
      const stopped = silent > 2 * scheduleSeconds(beat.sweepSchedule);
      rows.push({
        account,
        region,
        state: stopped ? 'stopped' : 'reporting',
        lastSweepAt: beat.lastSweepAt,
        note: `${status}, sweeps ${beat.sweepSchedule}`,
      });
    }
  }
  return rows;
}
