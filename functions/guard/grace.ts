import type { CheckRequest } from '../core/check-request';
import { sameEndpointConfig } from '../core/endpoint';
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
 */

export interface Grace {
  /** The grace period runs: the decision to deliver instead of a change. */
  wait?: Decision;
  /** The violation's start and end, also once the period is over (they go on the record). */
  since?: string;
  until?: string;
}

export async function graceOf(
  request: CheckRequest,
  planned: CheckResult,
  minutes: number,
  ports: GuardPorts,
  now: Date,
): Promise<Grace> {
  if (minutes <= 0) return {};
  const [previous] = await ports.audit.query({
    cluster: planned.cluster,
    region: planned.region,
    since: new Date(0),
    limit: 1,
    filter: endsOrCarriesGrace,
  });
  const carried = previous && carriesGrace(previous) ? previous : undefined;
  // Never later than now, whatever a record says.
  const carriedStart = carried?.graceSince ? Date.parse(carried.graceSince) : Number.NaN;
  const start = Number.isNaN(carriedStart) ? now.getTime() : Math.min(carriedStart, now.getTime());
  const since = new Date(start).toISOString();
  const end = Date.parse(since) + minutes * 60_000;
  const until = new Date(end).toISOString();
  if (now.getTime() >= end) return { since, until };

  const why = whyOf(planned);
  const result: CheckResult = {
    ...planned,
    outcome: 'deferred',
    graceSince: since,
    graceUntil: until,
    nextCheckAt: until,
    reason: `${why}; will be reverted at ${until.slice(11, 16)} UTC unless an exemption appears (grace period of ${minutes} minutes, from ${since} until ${until})`,
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

function sameConfig(a: CheckResult['before'], b: CheckResult['before']): boolean {
  if (!a || !b) return a === b;
  return sameEndpointConfig(a, b);
}
