import * as z from 'zod/mini';
import { type ChatFromDetail, chatFromDetail } from './alert/chat-from-json';
import { type CentralContext, firstIssue, guardEnvelope } from './central-envelope';
import { DECISION_DETAIL_TYPE, SWEEP_DETAIL_TYPE } from './decision-event';
import { schedulePeriodSeconds } from './schedule';

export type { CentralContext } from './central-envelope';

/**
 * What the central account keeps of the members' events (DESIGN §12, §15): one audit item per
 * decision, keyed like a member's audit table with the account in front, and one heartbeat item
 * per enrolled account-region. Every event is untrusted: the account and region are the ones the
 * bus policy enforced (central-envelope.ts), never the detail's, and the recorder refuses what
 * cannot be true: a sweep later than now + 5 minutes, a schedule outside 5 minutes to 1 day.
 */

/** Partition of the heartbeat items: one item per account-region, sort key `account#region`. */
export const MEMBERS_PARTITION = 'member';
/** A member silent this long is no longer enrolled (its item expires): it was removed from the StackSet. */
export const RETIRE_AFTER_DAYS = 30;
/** A member whose cron schedule cannot be read is expected at least daily. */
const DEFAULT_INTERVAL_SECONDS = 86_400;
/** The shortest and longest sweep schedule a member may name. */
export const SCHEDULE_BOUNDS_SECONDS = { min: 300, max: 86_400 } as const;
/** How far ahead of the central clock a sweep's time may be (clock skew), no more. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

const Text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

const Decision = z.object({
  cluster: Text(100),
  outcome: Text(40),
  time: z.iso.datetime(),
  correlationId: Text(200),
});

const Sweep = z.object({
  sweptAt: z.iso.datetime(),
  clusters: z.number().check(z.int(), z.nonnegative()),
  sweepSchedule: Text(256),
});

export interface CentralAuditItem extends Record<string, unknown> {
  pk: string;
  sk: string;
  day: string;
  account: string;
  region: string;
  cluster: string;
  outcome: string;
}

export interface MemberItem {
  pk: typeof MEMBERS_PARTITION;
  sk: string;
  account: string;
  region: string;
  lastSweepAt: string;
  sweepSchedule: string;
  clusters: number;
  expiresAt: number;
}

export type CentralRecord =
  | { kind: 'decision'; item: CentralAuditItem }
  | { kind: 'sweep'; item: MemberItem }
  | { kind: 'rejected'; reason: string };

/** The item to write for one event from the central bus, or why the event is refused. */
export function centralRecord(event: unknown, context: CentralContext): CentralRecord {
  const envelope = guardEnvelope(event, context);
  if ('refused' in envelope) return { kind: 'rejected', reason: envelope.refused };
  const { account, region, detail } = envelope;

  if (envelope.detailType === SWEEP_DETAIL_TYPE) {
    const sweep = Sweep.safeParse(detail);
    if (!sweep.success) return { kind: 'rejected', reason: `sweep detail: ${firstIssue(sweep.error)}` };
    const skew = Date.parse(sweep.data.sweptAt) - context.now.getTime();
    if (skew > MAX_CLOCK_SKEW_SECONDS * 1000) {
      return {
        kind: 'rejected',
        reason: `sweep detail: sweptAt ${sweep.data.sweptAt} is ${Math.round(skew / 1000)} s ahead of the central clock (at most ${MAX_CLOCK_SKEW_SECONDS} s)`,
      };
    }
    const period = sweepPeriodSeconds(sweep.data.sweepSchedule);
    if (
      period === undefined ||
      period < SCHEDULE_BOUNDS_SECONDS.min ||
      period > SCHEDULE_BOUNDS_SECONDS.max
    ) {
      return {
        kind: 'rejected',
        reason: `sweep detail: sweepSchedule ${JSON.stringify(sweep.data.sweepSchedule.slice(0, 60))} is not a schedule of 5 minutes to 1 day`,
      };
    }
    const lastSeen = Math.floor(Date.parse(sweep.data.sweptAt) / 1000);
    return {
      kind: 'sweep',
      item: {
        pk: MEMBERS_PARTITION,
        sk: `${account}#${region}`,
        account,
        region,
        lastSweepAt: sweep.data.sweptAt,
        sweepSchedule: sweep.data.sweepSchedule,
        clusters: sweep.data.clusters,
        expiresAt: lastSeen + RETIRE_AFTER_DAYS * 86_400,
      },
    };
  }

  const decision = Decision.safeParse(detail);
  if (!decision.success)
    return { kind: 'rejected', reason: `decision detail: ${firstIssue(decision.error)}` };
  const { cluster, outcome, time, correlationId } = decision.data;
  return {
    kind: 'decision',
    item: {
      // The detail first, so that the envelope's account and region always win.
      ...plainFields(detail),
      ...(detail.account !== undefined && detail.account !== account
        ? { claimedAccount: detail.account }
        : {}),
      ...(detail.region !== undefined && detail.region !== region ? { claimedRegion: detail.region } : {}),
      pk: `${account}#${region}#${cluster}`,
      sk: `${time}#${correlationId}#${outcome}`,
      day: time.slice(0, 10),
      account,
      region,
      cluster,
      outcome,
    },
  };
}

/**
 * The chat message for one event from the central bus: decisions only (sweeps say nothing to
 * people), from the sender named by the envelope; refused when the envelope is not a guard decision.
 */
export function centralChat(
  event: unknown,
  context: CentralContext,
): ChatFromDetail | { kind: 'rejected'; reason: string } {
  const envelope = guardEnvelope(event, context);
  if ('refused' in envelope) return { kind: 'rejected', reason: envelope.refused };
  if (envelope.detailType !== DECISION_DETAIL_TYPE)
    return { kind: 'rejected', reason: 'not a decision: nothing to say in chat' };
  const { account, region, detail } = envelope;
  return chatFromDetail(detail, { account, region });
}

/**
 * Seconds between a member's sweeps: a `rate(...)` or a common `cron(...)` exactly (core/schedule.ts),
 * another `cron(...)` counts as daily; anything else is no schedule (undefined).
 */
export function sweepPeriodSeconds(schedule: string): number | undefined {
  const period = schedulePeriodSeconds(schedule);
  if (period !== undefined) return period;
  return /^cron\(.+\)$/.test(schedule.trim()) ? DEFAULT_INTERVAL_SECONDS : undefined;
}

/** Seconds between sweeps as the watchdog counts silence: a schedule it cannot read counts as daily. */
export function scheduleSeconds(schedule: string): number {
  return sweepPeriodSeconds(schedule) ?? DEFAULT_INTERVAL_SECONDS;
}

export interface StaleMember {
  account: string;
  region: string;
  lastSweepAt: string;
  silentSeconds: number;
}

/** Enrolled account-regions with no sweep within twice their schedule: their guard stopped. */
export function staleMembers(members: readonly MemberItem[], now: Date): StaleMember[] {
  const stale: StaleMember[] = [];
  for (const member of members) {
    const silentSeconds = Math.floor((now.getTime() - Date.parse(member.lastSweepAt)) / 1000);
    if (silentSeconds > 2 * scheduleSeconds(member.sweepSchedule)) {
      stale.push({
        account: member.account,
        region: member.region,
        lastSweepAt: member.lastSweepAt,
        silentSeconds,
      });
    }
  }
  return stale.sort((a, b) => b.silentSeconds - a.silentSeconds);
}

/** Top-level detail fields with ordinary names only: an attribute name is not the sender's to choose. */
function plainFields(detail: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(detail).filter(([key]) => /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(key)),
  );
}

/** The CloudWatch namespace of the central functions' metrics (the dashboard and alarms read it). */
export const CENTRAL_METRICS_NAMESPACE = 'EksEndpointGuard/Central';
