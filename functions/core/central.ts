import * as z from 'zod/mini';
import { type ChatFromDetail, chatFromDetail } from './alert/chat-from-json';
import { DECISION_DETAIL_TYPE, DECISION_EVENT_SOURCE, SWEEP_DETAIL_TYPE } from './decision-event';

/**
 * What the central account keeps of the members' events (DESIGN §12): one audit item per decision,
 * keyed like a member's audit table with the account in front, and one heartbeat item per enrolled
 * account-region. Every event is untrusted: the account and region come from the EventBridge
 * envelope (set by EventBridge from the sender's credentials), never from the detail.
 */

/** Partition of the heartbeat items: one item per account-region, sort key `account#region`. */
export const MEMBERS_PARTITION = 'member';
/** A member silent this long is no longer enrolled (its item expires): it was removed from the StackSet. */
export const RETIRE_AFTER_DAYS = 30;
/** A member whose schedule cannot be read is expected at least daily. */
const DEFAULT_INTERVAL_SECONDS = 86_400;

const Text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

const Envelope = z.object({
  account: z.string().check(z.regex(/^\d{12}$/)),
  region: z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/)),
  source: z.literal(DECISION_EVENT_SOURCE),
  'detail-type': z.enum([DECISION_DETAIL_TYPE, SWEEP_DETAIL_TYPE]),
  detail: z.record(z.string(), z.unknown()),
});

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
export function centralRecord(event: unknown): CentralRecord {
  const envelope = Envelope.safeParse(event);
  if (!envelope.success)
    return { kind: 'rejected', reason: `not a guard event: ${firstIssue(envelope.error)}` };
  const { account, region, detail } = envelope.data;

  if (envelope.data['detail-type'] === SWEEP_DETAIL_TYPE) {
    const sweep = Sweep.safeParse(detail);
    if (!sweep.success) return { kind: 'rejected', reason: `sweep detail: ${firstIssue(sweep.error)}` };
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
export function centralChat(event: unknown): ChatFromDetail | { kind: 'rejected'; reason: string } {
  const envelope = Envelope.safeParse(event);
  if (!envelope.success)
    return { kind: 'rejected', reason: `not a guard event: ${firstIssue(envelope.error)}` };
  if (envelope.data['detail-type'] !== DECISION_DETAIL_TYPE)
    return { kind: 'rejected', reason: 'not a decision: nothing to say in chat' };
  const { account, region, detail } = envelope.data;
  return chatFromDetail(detail, { account, region });
}

/** Seconds between sweeps of a `rate(...)` schedule; a `cron(...)` or anything else counts as daily. */
export function scheduleSeconds(schedule: string): number {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(schedule.trim());
  if (!match) return DEFAULT_INTERVAL_SECONDS;
  const unit = match[2]?.startsWith('minute') ? 60 : match[2]?.startsWith('hour') ? 3600 : 86_400;
  return Number(match[1]) * unit;
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

function firstIssue(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || '(event)'}: ${issue.message}` : 'invalid';
}

/** The CloudWatch namespace of the central functions' metrics (the dashboard and alarms read it). */
export const CENTRAL_METRICS_NAMESPACE = 'EksEndpointGuard/Central';
