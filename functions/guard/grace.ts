import type { CheckRequest } from '../core/check-request';
import { sameEndpointConfig } from '../core/endpoint';
import { type FlipFlopRule, flipFlop } from '../core/repetition';
import type { CheckResult } from '../core/result';
import { whyOf } from '../core/why';
import { type GuardPorts, MAX_RECHECK_DELAY_SECONDS } from '../ports';
import type { Decision, GuardOptions } from './options';

/**
 * The policy's grace period (`gracePeriodMinutes`): a new violation is alerted at once and
 * reverted only when the period ends, if the cluster is then still non-compliant and not exempt.
 *
 * When a violation starts: at the first grace record (`deferred` with `graceUntil`) since the
 * cluster was last decided otherwise (compliant, remediated, exempt, notify mode, blocked). Each
 * later grace record carries that start forward (`graceSince`), so a sweep or a repeated event never
 * restarts the clock, and neither does a changed configuration within the same violation (a rolling
 * change cannot keep a cluster open); busy deferrals, ignored and failed records in between do not
 * end it. The end is always start + the grace period of the policy read now, so a changed policy
 * moves it. People are told on the first sighting and again only when the configuration, the
 * target or the end changes (or the first alert could not be sent).
 *
 * A grace period cannot be waited out (close the endpoint just before the end, reopen it a minute
 * later): a cluster gets at most one grace period per rolling 24 hours. A violation that begins
 * within 24 hours of the start of the cluster's last grace period inherits that period's end, and
 * is reverted at once when it has passed. A grace start counts towards the flip-flop breaker like a
 * revert, and a fresh period that would trip it is not given: a cluster that keeps being made
 * non-compliant gets no grace at all. The reason (and so the alert and the record) says which rule
 * applied.
 */

/** At most one grace period per cluster in this many hours. */
export const GRACE_ONCE_PER_HOURS = 24;
/** Records of the last 24 hours read to find grace starts and reverts (a cluster has few of either). */
const RECENT_RECORDS = 100;

export interface Grace {
  /** The grace period runs: the decision to deliver instead of a change. */
  wait?: Decision;
  /** The violation's start and end, also once the period is over (they go on the record). */
  since?: string;
  until?: string;
  /** Which rule decided when no period runs now, in words (for the remediation's reason). */
  rule?: string;
}

/** What the grace rules need besides the policy: the flip-flop breaker and who made the change. */
export interface GraceContext {
  flipFlop: FlipFlopRule;
  actorArn?: string;
}

export async function graceOf(
  request: CheckRequest,
  planned: CheckResult,
  minutes: number,
  ports: GuardPorts,
  now: Date,
  context: GraceContext,
): Promise<Grace> {
  if (minutes <= 0) return {};
  const cluster = { cluster: planned.cluster, region: planned.region };
  const [newest, recent] = await Promise.all([
    ports.audit.query({ ...cluster, since: new Date(0), limit: 1, filter: endsOrCarriesGrace }),
    ports.audit.query({
      ...cluster,
      since: new Date(now.getTime() - GRACE_ONCE_PER_HOURS * 3_600_000),
      limit: RECENT_RECORDS,
      filter: (r) => r.graceSince !== undefined || r.outcome === 'remediated',
    }),
  ]);
  const previous = newest[0];
  const carried = previous && carriesGrace(previous) ? previous : undefined;
  // Never later than now, whatever a record says.
  const carriedStart = carried?.graceSince ? Date.parse(carried.graceSince) : Number.NaN;
  const lastStart = lastGraceStart(recent, now);
  let start: number;
  let inherited = false;
  if (!Number.isNaN(carriedStart)) {
    start = Math.min(carriedStart, now.getTime());
  } else if (lastStart !== undefined) {
    start = lastStart;
    inherited = true;
  } else {
    // A fresh period, unless the cluster keeps being made non-compliant.
    const loop = flipFlop(recent, now, context.flipFlop, context.actorArn, request.correlationId);
    if (loop.escalation) {
      const { remediations, windowMinutes } = loop.escalation;
      return {
        rule: `no grace period: the cluster was made non-compliant ${remediations} times in ${windowMinutes} minutes (flip-flop breaker)`,
      };
    }
    start = now.getTime();
  }
  const since = new Date(start).toISOString();
  const end = Date.parse(since) + minutes * 60_000;
  const until = new Date(end).toISOString();
  const once = `one grace period per cluster per ${GRACE_ONCE_PER_HOURS} hours: the grace period that began at ${since}`;
  if (now.getTime() >= end) {
    return { since, until, ...(inherited && { rule: `${once} ended at ${until}, so none was given again` }) };
  }

  const why = whyOf(planned);
  const rule = inherited
    ? `${once} ends at ${until}, and this violation inherits that end`
    : `grace period of ${minutes} minutes, from ${since} until ${until}`;
  const result: CheckResult = {
    ...planned,
    outcome: 'deferred',
    graceSince: since,
    graceUntil: until,
    nextCheckAt: until,
    reason: `${why}; will be reverted at ${until.slice(11, 16)} UTC unless an exemption appears (${rule})`,
  };
  const told =
    carried !== undefined &&
    !carried.alertFailed &&
    carried.graceUntil === until &&
    sameConfig(carried.before, planned.before) &&
    sameConfig(carried.after, planned.after);
  if (told) return { wait: { result, notify: false }, since, until };
  // One re-check at the end, queued with the alert: a sweep in between finds the same story and stays quiet.
  return {
    wait: {
      result,
      notify: true,
      next: { request: dueRequest(request, until), delaySeconds: hop(end, now) },
    },
    since,
    until,
  };
}

/**
 * A re-check whose grace period has not ended is passed on through the queue (SQS delays at most
 * 15 minutes) without reading the cluster or writing a record; undefined when it is due (decide it).
 */
export async function passOnUntilDue(
  request: CheckRequest,
  ports: GuardPorts,
  options: GuardOptions,
): Promise<CheckResult | undefined> {
  if (request.dueAt === undefined || request.region !== options.region) return undefined;
  const now = ports.clock();
  const due = Date.parse(request.dueAt);
  if (Number.isNaN(due) || now.getTime() >= due) return undefined;
  const delaySeconds = hop(due, now);
  await ports.recheck.send(request, delaySeconds);
  return {
    cluster: request.cluster,
    region: request.region,
    ...(request.account ? { account: request.account } : {}),
    outcome: 'deferred',
    reason: `grace period: the re-check is due at ${request.dueAt}; passed on for ${delaySeconds} s`,
    time: now.toISOString(),
    correlationId: request.correlationId,
    trigger: request.trigger,
    attempt: request.attempt,
    nextCheckAt: new Date(now.getTime() + delaySeconds * 1000).toISOString(),
  };
}

/** The re-check at the end of the grace period: the same story (trigger, correlation id), decided afresh. */
function dueRequest(request: CheckRequest, until: string): CheckRequest {
  const { deadline: _busyDeadline, followUpdate: _follow, ...rest } = request;
  return { ...rest, attempt: 0, dueAt: until };
}

/** Seconds to the next hop: what is left, at most SQS's maximum delay. */
function hop(due: number, now: Date): number {
  return Math.max(1, Math.min(MAX_RECHECK_DELAY_SECONDS, Math.ceil((due - now.getTime()) / 1000)));
}

/** The records that say where a violation stands: not ignored or failed ones, not busy deferrals. */
function endsOrCarriesGrace(record: CheckResult): boolean {
  if (record.outcome === 'ignored' || record.outcome === 'failed') return false;
  return record.outcome !== 'deferred' || record.graceSince !== undefined;
}

/** A record of a violation still under (or just past) its grace period: deferred, or withheld by the blast-radius limit. */
function carriesGrace(record: CheckResult): boolean {
  const time = record.graceSince ? Date.parse(record.graceSince) : Number.NaN;
  return !Number.isNaN(time) && (record.outcome === 'deferred' || record.outcome === 'would-remediate');
}

/**
 * The start of the cluster's newest grace period that began within the last 24 hours (records of
 * a fresh start carry it as both `time` and `graceSince`); undefined when none did.
 */
function lastGraceStart(recent: readonly CheckResult[], now: Date): number | undefined {
  const from = now.getTime() - GRACE_ONCE_PER_HOURS * 3_600_000;
  let latest: number | undefined;
  for (const record of recent) {
    const at = record.graceSince ? Date.parse(record.graceSince) : Number.NaN;
    if (Number.isNaN(at) || at < from || at > now.getTime()) continue;
    if (latest === undefined || at > latest) latest = at;
  }
  return latest;
}

function sameConfig(a: CheckResult['before'], b: CheckResult['before']): boolean {
  if (!a || !b) return a === b;
  return sameEndpointConfig(a, b);
}
