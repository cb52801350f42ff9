import type { QueuedDecision } from '../core/decision-message';
import { type EndpointConfig, sameEndpointConfig } from '../core/endpoint';
import type { CheckResult } from '../core/result';
import type { GuardPorts, UpdateState } from '../ports';
import { decisionOwner, deliverDecision, followUpOf, updateClaimKey } from './delivery';
import type { Decision, GuardOptions, GuardTelemetry } from './options';

/**
 * The record of intent of a remediation: before the guard asks EKS for an update, it queues the
 * decision as made, delayed past the function's timeout. If the invocation dies after the update
 * and before its record (a crash, a timeout, a throttled table until the end), nothing else would
 * ever write it: a retry decides again, finds the cluster UPDATING or compliant, and the
 * `remediated` record, its violations, policy and alert are lost. When the intent arrives it looks
 * for the decision's record; if there is none, it finds the update in EKS (ListUpdates,
 * DescribeUpdate: created after the decision, with the decision's target) and delivers the
 * decision with it; if EKS has no such update, the attempt stopped before the update and there is
 * nothing to record. The update's claim (delivery.ts) keeps it to one record and one alert
 * when the first attempt's delivery and the intent both get that far.
 */

/** Longer than the function's timeout (infra FUNCTION_TIMEOUT, 5 minutes): the first attempt is over by then. */
export const INTENT_DELAY_SECONDS = 600;
/** How many of the cluster's newest updates are looked at. */
export const UPDATE_SEARCH_LIMIT = 20;
/** EKS's clock and the function's may differ a little. */
const CLOCK_SKEW_MS = 5_000;

/** Queues the decision ahead of its update; a failure stops the remediation before anything changed. */
export async function writeIntent(decision: Decision, ports: GuardPorts): Promise<void> {
  await ports.recheck.sendDecision(
    { result: decision.result, notify: decision.notify, record: true, followUp: true, pending: true },
    INTENT_DELAY_SECONDS,
  );
}

/** Delivers a remediation whose first attempt stopped after its update, or does nothing. */
export async function recoverIntent(
  queued: QueuedDecision,
  ports: GuardPorts,
  options: GuardOptions,
  telemetry?: GuardTelemetry,
): Promise<CheckResult> {
  const { result } = queued;
  const quietly = (reason: string): CheckResult => ({ ...result, outcome: 'ignored', reason });
  if (result.region !== options.region)
    return quietly(`the cluster is in ${result.region}; this guard runs in ${options.region}`);
  const decided = Date.parse(result.time);
  const records = await ports.audit.query({
    cluster: result.cluster,
    region: result.region,
    since: new Date(decided - CLOCK_SKEW_MS),
    limit: 1,
    filter: (r) => r.correlationId === result.correlationId && r.time === result.time,
  });
  if (records.length > 0)
    return quietly('the remediation was recorded by its own attempt; nothing to recover');
  const updates = await updatesWithTarget(result, ports, decided);
  if (updates.length === 0) {
    return quietly(
      'EKS has no update for this remediation: its attempt stopped before the update; nothing to record',
    );
  }
  // Oldest first: the attempt made its update right after the decision. An update another decision
  // already claimed is that decision's (EKS took the same target from it), so the next one is looked at.
  for (const update of updates) {
    const found: CheckResult = {
      ...result,
      updateId: update.id,
      updateStatus: update.status,
      reason: `${result.reason}; recorded after its attempt stopped (the update was found in EKS)`,
    };
    if (!(await ports.audit.claim(updateClaimKey(found), decisionOwner(found)))) continue;
    const decision: Decision = { result: found, notify: queued.notify, changed: true };
    const next = followUpOf(found, ports.clock(), options);
    if (next && update.status !== 'Successful') decision.next = next;
    return deliverDecision(decision, ports, telemetry);
  }
  return quietly(
    'every update EKS made with this target since the decision is recorded by the decision that claimed it',
  );
}

/**
 * The cluster's updates that set this decision's target, created between the decision and the
 * moment its record of intent was due (its attempt was over by then), oldest first.
 */
async function updatesWithTarget(
  result: CheckResult,
  ports: GuardPorts,
  decided: number,
): Promise<{ id: string; status: string; created: number }[]> {
  const target = result.after;
  if (!target) return [];
  const found: { id: string; status: string; created: number }[] = [];
  for (const id of await ports.eks.listUpdates(result.cluster, UPDATE_SEARCH_LIMIT)) {
    const update = await ports.eks.describeUpdate(result.cluster, id);
    if (!update) return [];
    const created = update.createdAt ? Date.parse(update.createdAt) : Number.NaN;
    const inWindow =
      Number.isNaN(created) ||
      (created >= decided - CLOCK_SKEW_MS &&
        created <= decided + INTENT_DELAY_SECONDS * 1000 + CLOCK_SKEW_MS);
    if (inWindow && setsTarget(update, target)) found.push({ id, status: update.status, created });
  }
  return found.sort((a, b) =>
    Number.isNaN(a.created) ? 1 : Number.isNaN(b.created) ? -1 : a.created - b.created,
  );
}

/** Whether an update's parameters set exactly this endpoint configuration (type names in any case). */
export function setsTarget(update: UpdateState, target: EndpointConfig): boolean {
  const param = (name: string) =>
    update.params?.find((p) => p.type.toLowerCase() === name.toLowerCase())?.value;
  const publicAccess = param('EndpointPublicAccess');
  const privateAccess = param('EndpointPrivateAccess');
  if (publicAccess === undefined || privateAccess === undefined) return false;
  const cidrs = cidrsOf(param('PublicAccessCidrs'));
  const set: EndpointConfig = {
    publicAccess: publicAccess.toLowerCase() === 'true',
    privateAccess: privateAccess.toLowerCase() === 'true',
    publicAccessCidrs: cidrs ?? target.publicAccessCidrs,
  };
  return sameEndpointConfig(set, target);
}

/** `["203.0.113.0/24"]` (as EKS writes it) or `203.0.113.0/24, ...`. */
function cidrsOf(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (Array.isArray(parsed)) return parsed.filter((c): c is string => typeof c === 'string');
  } catch {
    // Not JSON: a list separated by commas.
  }
  return value
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
}
