import type { CheckRequest } from '../core/check-request';
import type { QueuedDecision } from '../core/decision-message';
import type { EffectivePolicy } from '../core/effective';
import { describeEndpointConfig } from '../core/endpoint';
import { evaluateEndpoint } from '../core/evaluate';
import { type Lockout, lockoutFixEn, lockoutOf } from '../core/lockout';
import { accessNoteOf, planOf, turnsPublicOff } from '../core/plan';
import { type LoadedPolicy, PolicyError } from '../core/policy/policy';
import type { CheckResult, PolicyRef } from '../core/result';
import { whyOf } from '../core/why';
import type { ClusterState, GuardPorts } from '../ports';
import { attributeDrift } from './attribution';
import { clientsCutOffFor, deferralMinutes } from './clients';
import { deliver, deliverDecision, followUpOf } from './delivery';
import { graceOf } from './grace';
import type { Decision, GuardOptions, GuardTelemetry } from './options';
import { effectiveFor, type History, isFirstSighting, recentHistory } from './sighting';
import { baseResult, defer, followUpdate, quiet, remediate } from './update';

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
    ...(state.createdAt ? { clusterCreatedAt: state.createdAt } : {}),
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
    return defer(request, checked, { kind: 'cluster', status: state.status }, now, options);
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

  const { target, note: targetNote } = planOf(state.config, effective);
  const note = accessNoteOf(state.config, target);
  // Whom the target cuts off, from the audit log: named in every outcome that follows.
  const protect = loaded.policy.protectActiveClients;
  const cutOff = await clientsCutOffFor(state, target, protect, ports, now);
  const planned: CheckResult = {
    ...checked,
    violations,
    after: target,
    ...(note ? { accessNote: note } : {}),
    ...(targetNote ? { targetNote } : {}),
    ...(cutOff ? { clientsCutOff: cutOff } : {}),
  };
  const plannedWhy = whyOf(planned);
  // The lockout check only reads the VPC, so report-only and notify runs say what would block too.
  const lockout = turnsPublicOff(state.config, target) ? await lockoutIn(state, ports) : undefined;
  const fix = lockout ? lockoutFixEn(lockout) : undefined;
  if (effective.mode === 'notify') {
    const wouldRemediate: CheckResult = {
      ...planned,
      outcome: 'would-remediate',
      reason: `${plannedWhy} (policy mode notify)`,
      ...(fix ? { fix, lockout } : {}),
    };
    return firstSighting(wouldRemediate, history);
  }
  if (fix) {
    const blocked: CheckResult = {
      ...planned,
      outcome: 'blocked',
      fix,
      lockout,
      reason: `${plannedWhy}; turning the public endpoint off now would lock clients out`,
    };
    return firstSighting(blocked, history);
  }
  if (!options.act) {
    return firstSighting(
      { ...planned, outcome: 'would-remediate', reason: `${plannedWhy} (report only)` },
      history,
    );
  }

  // A new violation under a grace period is alerted now and reverted when the period ends; so is
  // one whose target would cut off active clients under protectActiveClients "defer".
  const deferral = deferralMinutes(protect, cutOff, effective);
  const grace = await graceOf(request, planned, deferral ?? effective.gracePeriodMinutes, ports, now, {
    flipFlop: options.flipFlop,
    actorArn: request.trigger.actorArn,
  });
  if (grace.wait) {
    if (deferral === undefined) return grace.wait;
    const { result } = grace.wait;
    const waited: CheckResult = {
      ...result,
      reason: `protectActiveClients "defer": ${result.reason}`,
      ...(result.clientsCutOff ? { clientsCutOff: { ...result.clientsCutOff, deferred: true } } : {}),
    };
    return { ...grace.wait, result: waited };
  }
  const due: CheckResult = grace.until
    ? { ...planned, graceSince: grace.since, graceUntil: grace.until }
    : planned;
  const limit = loaded.policy.maxRemediationsPerRun;
  return remediate(request, state, due, target, ports, options, now, limit, grace.rule);
}

async function firstSighting(result: CheckResult, history: History): Promise<Decision> {
  return { result, notify: await isFirstSighting(result, history) };
}

/** What stands in the way before the public endpoint can go off, or undefined when private clients can resolve it. */
async function lockoutIn(state: ClusterState, ports: GuardPorts): Promise<Lockout | undefined> {
  return lockoutOf(await ports.ec2.vpcDns(state.vpcId, state.subnetIds), state.arn?.split(':')[3]);
}

function policyRef(loaded: LoadedPolicy, effective: EffectivePolicy): PolicyRef {
  const cidrs = effective.publicAccess === 'restricted' ? ` ${effective.allowedPublicCidrs.join(', ')}` : '';
  return {
    source: loaded.source,
    version: loaded.policy.version,
    digest: loaded.digest,
    ...(loaded.parameterVersion !== undefined ? { policyParameterVersion: loaded.parameterVersion } : {}),
    mode: effective.mode,
    exemptionTag: loaded.policy.exemptionTag,
    rule: `publicAccess "${effective.publicAccess}"${cidrs}, privateAccess "${effective.privateAccess}" (${effective.ruleSource})`,
  };
}

function accountOf(arn: string | undefined): string | undefined {
  return arn?.split(':')[4] || undefined;
}
