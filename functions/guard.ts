import { attributeDrift } from './attribution';
import { AlreadyAtTargetError, ClusterBusyError, UpdateRejectedError } from './aws/errors';
import type { RemediationBudget } from './core/budget';
import type { CheckRequest } from './core/check-request';
import type { QueuedDecision } from './core/decision-message';
import { backoffSeconds, deadlineOf, isPastDeadline } from './core/deferral';
import type { EffectivePolicy } from './core/effective';
import { describeEndpointConfig, type EndpointConfig } from './core/endpoint';
import { evaluateEndpoint } from './core/evaluate';
import { lockoutFixOf } from './core/lockout';
import { accessNoteOf, planTarget, turnsPublicOff } from './core/plan';
import { type LoadedPolicy, PolicyError } from './core/policy';
import { quote } from './core/quote';
import { flipFlop } from './core/repetition';
import { clientRequestToken } from './core/request-token';
import type { CheckResult, PolicyRef } from './core/result';
import { type DecisionEventTelemetry, forwardDecision } from './decision-events';
import { recordResult } from './evidence';
import { alertOfDecision, sendAlert } from './guard-alerts';
import { graceOf } from './guard-grace';
import { effectiveFor, type History, isFirstSighting, recentHistory } from './guard-sighting';
import type { ClusterState, GuardPorts } from './ports';

export interface GuardOptions {
  /** The region the adapters' clients talk to: a request for another region is not this guard's. */
  region: string;
  /** false: decide and report only (the CLI's `check` without --fix): no change, alert, record or queue. */
  act: boolean;
  recheckDeadlineMinutes: number;
  flipFlop: { threshold: number; windowMinutes: number };
  /** A sweep's blast-radius limit (maxRemediationsPerRun), shared by its checks; absent: one event, unlimited. */
  budget?: RemediationBudget;
}

/** Where telemetry about delivery problems goes; the handler wires it to Logger and Metrics. */
export interface GuardTelemetry extends DecisionEventTelemetry {
  deliveryFailed(part: 'alert' | 'audit' | 'recheck', result: CheckResult, error: unknown): void;
  /** A queued alert failed to publish again; the queue will redeliver it. */
  alertRetry?(correlationId: string, error: unknown): void;
}

/** A decision whose alert, record or follow-up could not be delivered: the request must be retried. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  /** The decision issued an update: report `result` as it is, a retry would find the cluster changed. */
  readonly changed: boolean;
  constructor(
    readonly result: CheckResult,
    readonly parts: string[],
    options?: { cause?: unknown; changed?: boolean },
  ) {
    super(
      `${result.cluster}: decided ${result.outcome} but could not deliver the ${parts.join(' and ')}`,
      options,
    );
    this.changed = options?.changed === true;
  }
}

/** A decision plus what must happen after it. */
export interface Decision {
  result: CheckResult;
  /** Publish an alert for it (subject to alertFor deciding the outcome warrants one). */
  notify: boolean;
  /** A re-check to queue, with its delay. */
  next?: { request: CheckRequest; delaySeconds: number };
  /** An update was issued: the decision must be delivered as made, never decided again. */
  changed?: boolean;
}

const UPDATE_POLL_SECONDS = 30;
const BUSY_STATUSES = new Set(['CREATING', 'UPDATING', 'PENDING']);

/**
 * Takes one check request through the pure core and the adapters: the only place that
 * sequences I/O. Transient AWS errors propagate (the caller retries or dead-letters the
 * request); a decision is always recorded and, where people must know, alerted.
 */
export async function checkCluster(
  request: CheckRequest,
  ports: GuardPorts,
  options: GuardOptions,
  telemetry?: GuardTelemetry,
): Promise<CheckResult> {
  const decision =
    request.region !== options.region
      ? otherRegion(request, ports, options)
      : request.followUpdate
        ? await followUpdate(request, ports, options)
        : await decide(request, ports, options);
  return options.act ? deliverDecision(decision, ports, telemetry) : decision.result;
}

/**
 * Delivers a decision; when part of the delivery of one that issued an update fails, queues the
 * rest as a decision message instead of failing the request. A retry of the request would decide
 * again, find the cluster UPDATING or compliant, and lose the `remediated` record (violations,
 * policy digest, alert id). Only if the queue fails too does the request fail, with a DeliveryError
 * marked `changed` that carries the result (the sweep reports it as it is).
 */
async function deliverDecision(
  decision: Decision,
  ports: GuardPorts,
  telemetry?: GuardTelemetry,
): Promise<CheckResult> {
  try {
    return await deliver(decision, ports, telemetry);
  } catch (error) {
    if (!decision.changed || !(error instanceof DeliveryError)) throw error;
    const { alertFailed: _retriedFromTheQueue, ...delivered } = error.result;
    const result: CheckResult = { ...delivered, deliveryQueued: true };
    const rest: QueuedDecision = {
      result,
      notify: error.parts.includes('alert'),
      record: error.parts.includes('audit record'),
      followUp: error.parts.includes('re-check'),
    };
    try {
      await ports.recheck.sendDecision(rest);
    } catch (queueError) {
      telemetry?.deliveryFailed('recheck', error.result, queueError);
      throw new DeliveryError(error.result, error.parts, { cause: queueError, changed: true });
    }
    return result;
  }
}

/**
 * Finishes the delivery of a decision message (see deliverDecision) as it was decided: no cluster
 * is read and nothing decided again. A failure fails the message, which SQS redelivers.
 */
export async function deliverQueuedDecision(
  queued: QueuedDecision,
  ports: GuardPorts,
  options: GuardOptions,
  telemetry?: GuardTelemetry,
): Promise<CheckResult> {
  const { result } = queued;
  if (result.region !== options.region) {
    return otherRegion(result, ports, options).result;
  }
  const now = ports.clock();
  const decision: Decision = { result, notify: queued.notify };
  const next = queued.followUp ? followUpOf(result, now, options) : undefined;
  if (next) decision.next = next;
  // The record was written on the first try: never a second copy of it.
  const target = queued.record ? ports : { ...ports, audit: { ...ports.audit, write: async () => {} } };
  return deliver(decision, target, telemetry);
}

/** The re-check that follows an issued update until EKS reports it done, or undefined without an update id. */
function followUpOf(result: CheckResult, now: Date, options: GuardOptions): Decision['next'] | undefined {
  if (!result.updateId || !result.before || !result.after) return undefined;
  return {
    delaySeconds: UPDATE_POLL_SECONDS,
    request: {
      cluster: result.cluster,
      region: result.region,
      ...(result.account ? { account: result.account } : {}),
      trigger: result.trigger,
      correlationId: result.correlationId,
      attempt: 0,
      deadline: deadlineOf(undefined, now, options.recheckDeadlineMinutes),
      followUpdate: {
        updateId: result.updateId,
        issuedAt: result.time,
        before: result.before,
        after: result.after,
      },
    },
  };
}

/** Records and alerts a decision that did not come from a cluster (an unreadable trigger, say). */
export async function recordDecision(
  result: CheckResult,
  ports: GuardPorts,
  telemetry?: GuardTelemetry,
): Promise<CheckResult> {
  return deliver({ result, notify: true }, ports, telemetry);
}

/** Never act on a same-named cluster of this region for an event that happened in another one. */
function otherRegion(request: CheckRequest, ports: GuardPorts, options: GuardOptions): Decision {
  return quiet({
    ...baseResult(request, ports.clock()),
    outcome: 'ignored',
    reason: `the cluster is in ${request.region}; this guard runs in ${options.region} (deploy it in each region)`,
  });
}

async function decide(request: CheckRequest, ports: GuardPorts, options: GuardOptions): Promise<Decision> {
  const now = ports.clock();
  const base = baseResult(request, now);

  const state = await ports.eks.describeCluster(request.cluster);
  if (!state) {
    return quiet({
      ...base,
      outcome: 'ignored',
      reason: `cluster not found in ${request.region} (deleted?)`,
    });
  }
  const seen: CheckResult = {
    ...base,
    clusterArn: state.arn,
    account: request.account ?? accountOf(state.arn),
    before: state.config,
  };

  let loaded: LoadedPolicy;
  try {
    loaded = await ports.policy.load();
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    return {
      result: { ...seen, outcome: 'failed', reason: `${error.message}; nothing changed` },
      notify: true,
    };
  }
  const history = recentHistory(request, ports, options);
  const effective = await effectiveFor(loaded, state, now, history);
  const checked: CheckResult = {
    ...seen,
    policy: policyRef(loaded, effective),
    ...(effective.rejectedTag && { rejectedTag: effective.rejectedTag }),
  };

  if (BUSY_STATUSES.has(state.status)) {
    if (request.trigger.byGuard) {
      return quiet({
        ...checked,
        outcome: 'ignored',
        reason: `the guard's own update (${state.status}); followed separately`,
      });
    }
    return defer(request, checked, `cluster is ${state.status}`, now, options);
  }
  if (state.status !== 'ACTIVE') {
    return quiet({ ...checked, outcome: 'ignored', reason: `cluster is ${state.status}; nothing to guard` });
  }

  const evaluation = evaluateEndpoint(state.config, effective);
  if (evaluation.compliant) {
    return quiet({
      ...checked,
      outcome: 'compliant',
      reason: `endpoint ${describeEndpointConfig(state.config)} complies`,
    });
  }
  const violations = evaluation.violations;
  const why = violations.map((v) => v.reason).join('; ');
  if (request.trigger.byGuard) {
    // Never a second change for the guard's own event: the change that caused this has its own trigger.
    return quiet({ ...checked, violations, outcome: 'ignored', reason: `the guard's own change; ${why}` });
  }
  // Drift found by an acting sweep: who made the latest endpoint change, from CloudTrail.
  if (options.act) checked.trigger = await attributeDrift(checked, ports);

  if (effective.exemption) {
    const result: CheckResult = {
      ...checked,
      violations,
      exemption: effective.exemption,
      outcome: 'exempt',
      reason: `${why}; exempt (${effective.exemption.reason})`,
    };
    return firstSighting(result, history);
  }

  const target = planTarget(state.config, effective);
  const note = accessNoteOf(state.config, target);
  const planned: CheckResult = {
    ...checked,
    violations,
    after: target,
    ...(note ? { accessNote: note } : {}),
  };
  // The lockout check only reads the VPC, so report-only and notify runs say what would block too.
  const fix = turnsPublicOff(state.config, target) ? await lockoutFix(state, ports) : undefined;
  if (effective.mode === 'notify') {
    const wouldRemediate: CheckResult = {
      ...planned,
      outcome: 'would-remediate',
      reason: `${why} (policy mode notify)`,
      ...(fix ? { fix } : {}),
    };
    return firstSighting(wouldRemediate, history);
  }
  if (fix) {
    const blocked: CheckResult = {
      ...planned,
      outcome: 'blocked',
      fix,
      reason: `${why}; turning the public endpoint off now would lock clients out`,
    };
    return firstSighting(blocked, history);
  }
  if (!options.act) {
    return firstSighting({ ...planned, outcome: 'would-remediate', reason: `${why} (report only)` }, history);
  }

  // A new violation under a grace period is alerted now and reverted when the period ends.
  const grace = await graceOf(request, planned, effective.gracePeriodMinutes, ports, now);
  if (grace.wait) return grace.wait;
  const due: CheckResult = grace.until
    ? { ...planned, graceSince: grace.since, graceUntil: grace.until }
    : planned;
  return remediate(request, state, due, target, ports, options, now, loaded.policy.maxRemediationsPerRun);
}

async function remediate(
  request: CheckRequest,
  state: ClusterState,
  planned: CheckResult,
  target: EndpointConfig,
  ports: GuardPorts,
  options: GuardOptions,
  now: Date,
  maxRemediations: number | undefined,
): Promise<Decision> {
  const budget = options.budget;
  if (budget && !budget.reserve(maxRemediations)) {
    // Reported once for the whole sweep (sweep.ts), not once per cluster.
    budget.withhold(state.name);
    const why = planned.violations?.map((v) => v.reason).join('; ');
    return quiet({
      ...planned,
      outcome: 'would-remediate',
      reason: `${why}; not changed: this sweep reached the blast-radius limit of ${maxRemediations} remediation(s) (maxRemediationsPerRun)`,
    });
  }
  let issuedUpdate = false;
  try {
    const decision = await issue(request, state, planned, target, ports, options, now);
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
): Promise<Decision> {
  const history = await ports.audit.query({
    cluster: state.name,
    region: request.region,
    since: windowStart(now, options),
  });
  const loop = flipFlop(history, now, options.flipFlop, request.trigger.actorArn);

  let issued: { updateId?: string; status?: string };
  try {
    issued = await ports.eks.updateEndpointAccess(
      state.name,
      target,
      clientRequestToken(request.correlationId, state.name, state.config, target),
    );
  } catch (error) {
    if (error instanceof ClusterBusyError)
      return defer(request, planned, 'another update is in progress', now, options);
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
        },
        notify: true,
      };
    }
    throw error;
  }

  const change = `${describeEndpointConfig(state.config)} → ${describeEndpointConfig(target)}`;
  const result: CheckResult = {
    ...planned,
    outcome: 'remediated',
    reason: `${planned.violations?.map((v) => v.reason).join('; ')}; changed ${change}${planned.graceUntil ? ` (the grace period ended at ${planned.graceUntil})` : ''}`,
    updateId: issued.updateId,
    updateStatus: issued.status ?? (issued.updateId ? 'InProgress' : undefined),
    ...(loop.escalation ? { escalation: loop.escalation } : {}),
  };
  const decision: Decision = { result, notify: !loop.alreadyEscalated, changed: true };
  const next = followUpOf(result, now, options);
  if (next) decision.next = next;
  return decision;
}

/** Follows an update the guard issued until EKS reports it Successful, Failed or Cancelled. */
async function followUpdate(
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
  return defer(request, result, `update ${follow.updateId} is ${update.status}`, now, options);
}

function defer(
  request: CheckRequest,
  result: CheckResult,
  why: string,
  now: Date,
  options: GuardOptions,
): Decision {
  const deadline = deadlineOf(request.deadline, now, options.recheckDeadlineMinutes);
  if (isPastDeadline(deadline, now)) {
    return {
      result: {
        ...result,
        outcome: 'failed',
        deadline,
        reason: `${why} after ${request.attempt} re-checks; deadline ${deadline} passed, nothing changed`,
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

async function firstSighting(result: CheckResult, history: History): Promise<Decision> {
  return { result, notify: await isFirstSighting(result, history) };
}

/** What to fix before the public endpoint can go off, or undefined when private clients can resolve it. */
async function lockoutFix(state: ClusterState, ports: GuardPorts): Promise<string | undefined> {
  return lockoutFixOf(await ports.ec2.vpcDns(state.vpcId, state.subnetIds), state.arn?.split(':')[3]);
}

async function deliver(
  decision: Decision,
  ports: GuardPorts,
  telemetry?: GuardTelemetry,
): Promise<CheckResult> {
  let result = decision.result;
  const failed: string[] = [];
  let cause: unknown;

  // The decision's own alert, or the one `resolved` alert of a cluster compliant again.
  const alert = await alertOfDecision(result, decision.notify, ports);
  if (alert) {
    const sent = await sendAlert(alert, result, ports, telemetry);
    result = sent.result;
    if (sent.failed.length > 0) {
      failed.push(...sent.failed);
      cause = sent.cause;
    }
  }
  // The organisation's copy (decision-events.ts): sent whether or not the topic took the alert, never failing the decision.
  if (alert) await forwardDecision(alert.json, ports, telemetry);
  // The record is written even when the alert failed, and says so.
  try {
    await recordResult(result, ports.audit);
  } catch (error) {
    failed.push('audit record');
    cause = error;
    telemetry?.deliveryFailed('audit', result, error);
  }
  if (decision.next) {
    try {
      await ports.recheck.send(decision.next.request, decision.next.delaySeconds);
    } catch (error) {
      failed.push('re-check');
      cause = error;
      telemetry?.deliveryFailed('recheck', result, error);
    }
  }
  if (failed.length > 0) throw new DeliveryError(result, failed, { cause });
  return result;
}

function quiet(result: CheckResult): Decision {
  return { result, notify: false };
}

function baseResult(request: CheckRequest, now: Date): CheckResult {
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

function policyRef(loaded: LoadedPolicy, effective: EffectivePolicy): PolicyRef {
  const cidrs = effective.publicAccess === 'restricted' ? ` ${effective.allowedPublicCidrs.join(', ')}` : '';
  return {
    source: loaded.source,
    version: loaded.policy.version,
    digest: loaded.digest,
    mode: effective.mode,
    exemptionTag: loaded.policy.exemptionTag,
    rule: `publicAccess "${effective.publicAccess}"${cidrs}, privateAccess "${effective.privateAccess}" (${effective.ruleSource})`,
  };
}

function windowStart(now: Date, options: GuardOptions): Date {
  return new Date(now.getTime() - options.flipFlop.windowMinutes * 60_000);
}

function accountOf(arn: string | undefined): string | undefined {
  return arn?.split(':')[4] || undefined;
}
