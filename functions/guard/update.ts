import { type Busy, busyEn } from '../core/cause';
import type { CheckRequest } from '../core/check-request';
import { backoffSeconds, deadlineOf, isPastDeadline } from '../core/deferral';
import { describeEndpointConfig, type EndpointConfig } from '../core/endpoint';
import { quote } from '../core/quote';
import { flipFlop } from '../core/repetition';
import { clientRequestToken } from '../core/request-token';
import type { CheckResult } from '../core/result';
import { whyOf } from '../core/why';
import {
  AlreadyAtTargetError,
  ClusterBusyError,
  type ClusterState,
  type GuardPorts,
  UpdateRejectedError,
} from '../ports';
import { followUpOf, UPDATE_POLL_SECONDS } from './delivery';
import { writeIntent } from './intent';
import type { Decision, GuardOptions } from './options';

/**
 * The guard's own endpoint updates: issuing one (within the sweep's blast-radius budget, with a
 * token that absorbs duplicates), following it until EKS reports it done, and deferring while the
 * cluster is busy. The decision to change was made in guard.ts.
 */

export async function remediate(
  request: CheckRequest,
  state: ClusterState,
  planned: CheckResult,
  target: EndpointConfig,
  ports: GuardPorts,
  options: GuardOptions,
  now: Date,
  maxRemediations: number | undefined,
  /** Which grace rule let the change happen now (grace.ts), said in the reason. */
  graceRule?: string,
): Promise<Decision> {
  const budget = options.budget;
  if (budget && !(await budget.reserve(maxRemediations, state.name))) {
    // Reported once for the whole sweep (sweep.ts), not once per cluster.
    budget.withhold(state.name);
    const why = whyOf(planned);
    return quiet({
      ...planned,
      outcome: 'would-remediate',
      reason: `${why}; not changed: this sweep reached the blast-radius limit of ${maxRemediations} remediation(s) (maxRemediationsPerRun)`,
    });
  }
  let issuedUpdate = false;
  try {
    const decision = await issue(request, state, planned, target, ports, options, now, graceRule);
    issuedUpdate = decision.changed === true;
    return decision;
  } finally {
    if (budget && !issuedUpdate) budget.release();
  }
}

async function issue(
  request: CheckRequest,
  state: ClusterState,
  planned: CheckResult,
  target: EndpointConfig,
  ports: GuardPorts,
  options: GuardOptions,
  now: Date,
  grace: string | undefined,
): Promise<Decision> {
  const history = await ports.audit.query({
    cluster: state.name,
    region: request.region,
    since: windowStart(now, options),
  });
  const loop = flipFlop(history, now, options.flipFlop, request.trigger.actorArn, request.correlationId);

  const change = `${describeEndpointConfig(state.config)} → ${describeEndpointConfig(target)}`;
  const intended: CheckResult = {
    ...planned,
    outcome: 'remediated',
    reason: `${whyOf(planned)}; changed ${change}${graceNote(planned, grace)}`,
    ...(loop.escalation ? { escalation: loop.escalation } : {}),
  };
  const notify = !loop.alreadyEscalated;
  // Queued before EKS is asked: should this invocation die after the update, the intent records it.
  await writeIntent({ result: intended, notify }, ports);

  let issued: { updateId?: string; status?: string };
  try {
    issued = await ports.eks.updateEndpointAccess(
      state.name,
      target,
      clientRequestToken(request.correlationId, state.name, state.config, target),
    );
  } catch (error) {
    if (error instanceof ClusterBusyError)
      return defer(request, planned, { kind: 'another-update' }, now, options);
    if (error instanceof AlreadyAtTargetError) {
      return quiet({
        ...planned,
        outcome: 'compliant',
        reason: 'EKS reports the target configuration is already applied',
      });
    }
    if (error instanceof UpdateRejectedError) {
      // A permanent refusal: people must look at it, a retry would be refused the same way.
      return {
        result: {
          ...planned,
          outcome: 'failed',
          reason: `EKS rejected the update: ${quote(error.eksMessage, 300)}; nothing changed`,
          cause: { kind: 'eks-rejected', message: error.eksMessage },
        },
        notify: true,
      };
    }
    throw error;
  }

  const result: CheckResult = {
    ...intended,
    updateId: issued.updateId,
    updateStatus: issued.status ?? (issued.updateId ? 'InProgress' : undefined),
  };
  const decision: Decision = { result, notify, changed: true };
  const next = followUpOf(result, now, options);
  if (next) decision.next = next;
  return decision;
}

/** Follows an update the guard issued until EKS reports it Successful, Failed or Cancelled. */
export async function followUpdate(
  request: CheckRequest,
  ports: GuardPorts,
  options: GuardOptions,
): Promise<Decision> {
  const follow = request.followUpdate;
  if (!follow) throw new Error('followUpdate called without an update to follow');
  const now = ports.clock();
  const base: CheckResult = {
    ...baseResult(request, now),
    before: follow.before,
    after: follow.after,
    updateId: follow.updateId,
    updateIssuedAt: follow.issuedAt,
  };
  const update = await ports.eks.describeUpdate(request.cluster, follow.updateId);
  if (!update) {
    return quiet({
      ...base,
      outcome: 'ignored',
      reason: `cluster not found in ${request.region} (deleted?); update ${follow.updateId} no longer followed`,
    });
  }
  const result: CheckResult = { ...base, updateStatus: update.status, updateErrors: update.errors };

  if (update.status === 'Successful') {
    // Already alerted when issued: this record only closes the story.
    return quiet({ ...result, outcome: 'remediated', reason: `update ${follow.updateId} succeeded` });
  }
  if (update.status === 'Failed' || update.status === 'Cancelled') {
    const errors = update.errors.map((e) => `${e.code}: ${e.message}`).join('; ');
    return {
      result: {
        ...result,
        outcome: 'failed',
        reason: `update ${follow.updateId} ${update.status.toLowerCase()}${errors ? ` (${errors})` : ''}`,
      },
      notify: true,
    };
  }
  return defer(
    request,
    result,
    { kind: 'update', updateId: follow.updateId, status: update.status },
    now,
    options,
  );
}

export function defer(
  request: CheckRequest,
  result: CheckResult,
  busy: Busy,
  now: Date,
  options: GuardOptions,
): Decision {
  const why = busyEn(busy);
  const deadline = deadlineOf(request.deadline, now, options.recheckDeadlineMinutes);
  if (isPastDeadline(deadline, now)) {
    return {
      result: {
        ...result,
        outcome: 'failed',
        deadline,
        reason: `${why} after ${request.attempt} re-checks; deadline ${deadline} passed, nothing changed`,
        cause: { kind: 'deadline', busy, attempts: request.attempt, deadline },
      },
      notify: true,
    };
  }
  const delaySeconds = request.followUpdate ? UPDATE_POLL_SECONDS : backoffSeconds(request.attempt);
  const nextCheckAt = new Date(now.getTime() + delaySeconds * 1000).toISOString();
  return {
    result: {
      ...result,
      outcome: 'deferred',
      deadline,
      nextCheckAt,
      reason: `${why}; re-check at ${nextCheckAt}`,
    },
    notify: false,
    next: { delaySeconds, request: { ...request, attempt: request.attempt + 1, deadline } },
  };
}

/** Which grace rule let the change happen now, for the remediation's reason (and so its alert). */
function graceNote(planned: CheckResult, rule: string | undefined): string {
  if (rule) return ` (${rule})`;
  return planned.graceUntil ? ` (the grace period ended at ${planned.graceUntil})` : '';
}

export function quiet(result: CheckResult): Decision {
  return { result, notify: false };
}

export function baseResult(request: CheckRequest, now: Date): CheckResult {
  return {
    cluster: request.cluster,
    region: request.region,
    ...(request.account ? { account: request.account } : {}),
    outcome: 'ignored',
    reason: '',
    time: now.toISOString(),
    correlationId: request.correlationId,
    trigger: request.trigger,
    attempt: request.attempt,
    ...(request.deadline ? { deadline: request.deadline } : {}),
  };
}

function windowStart(now: Date, options: GuardOptions): Date {
  return new Date(now.getTime() - options.flipFlop.windowMinutes * 60_000);
}
