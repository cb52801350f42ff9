import { accountOfArn } from '../core/arn';
import type { Trigger } from '../core/check-request';
import type { CheckResult } from '../core/result';
import { type NormalisedItem, normaliseEvent } from '../core/triggers/normalise';
import type { GuardPorts } from '../ports';
import { deliverForm } from './alerts';
import { checkCluster, deliverQueuedDecision } from './check';
import { resendDecisionEvent } from './decision-events';
import { recordDecision } from './delivery';
import { passOnUntilDue } from './grace';
import { recoverIntent } from './intent';
import type { GuardOptions, GuardTelemetry } from './options';
import { decidePolicyChange, earlierPolicyDecision } from './policy-change';
import { type SealOutcome, sealRecords } from './seal';
import { sweep } from './sweep';

export interface ProcessOptions {
  region: string;
  /** The guard's own account (the Lambda's function ARN, else GUARD_ROLE_ARN's); unknown: not checked. */
  account?: string;
  guardRoleArn?: string;
  /** The role's unique id: only messages its sessions sent are the guard's own. */
  guardRoleId?: string;
  sweepConcurrency: number;
  guard: GuardOptions;
  telemetry?: GuardTelemetry;
  observe?: (result: CheckResult) => void;
}

export interface HandlerResponse {
  /** One per check request, in the DESIGN §4 outcome words. */
  results: CheckResult[];
  /** SQS partial batch response: the records to retry. */
  batchItemFailures: { itemIdentifier: string }[];
  /** What the scheduled sweep sealed into digests (DESIGN §16), when a digest bucket is configured. */
  sealed?: SealOutcome;
}

/**
 * Any trigger → check requests → the guard. A request that fails with an AWS error is retried:
 * SQS records through the partial batch response, anything else by rethrowing (Lambda's async
 * retries, then the on-failure destination).
 */
export async function processEvent(
  event: unknown,
  ports: GuardPorts,
  options: ProcessOptions,
): Promise<HandlerResponse> {
  const account = options.account ?? accountOfArn(options.guardRoleArn);
  const normalised = normaliseEvent(event, {
    region: options.region,
    account,
    guardRoleArn: options.guardRoleArn,
    guardRoleId: options.guardRoleId,
    recheckDeadlineMinutes: options.guard.recheckDeadlineMinutes,
    policyParameterName: ports.policy.parameterName,
    now: ports.clock(),
  });
  const response: HandlerResponse = { results: [], batchItemFailures: [] };
  const add = (result: CheckResult) => {
    options.observe?.(result);
    response.results.push(result);
  };

  const sweepAll = async (sweepId: string, trigger: Trigger, scheduled = false) => {
    const sweepOptions = {
      region: options.region,
      account,
      sweepId,
      trigger,
      concurrency: options.sweepConcurrency,
      scheduled,
    };
    for await (const result of sweep(ports, options.guard, sweepOptions, options.telemetry)) add(result);
  };
  if (normalised.sweep) {
    // A scheduled event is anyone's to forge: its sweep shares the schedule period's budget.
    await sweepAll(normalised.sweep.correlationId, normalised.sweep.trigger, true);
    // The schedule also seals the records written since the last digest. A failure is logged and
    // retried by the next run (the chain's head keeps what is pending), not by sweeping again.
    if (ports.seal && options.guard.act) {
      try {
        response.sealed = await sealRecords(ports.seal, ports.clock());
        options.telemetry?.sealed?.(response.sealed);
      } catch (error) {
        options.telemetry?.sealFailed?.(error);
      }
    }
  }

  for (const queued of normalised.items) {
    let item = queued;
    try {
      // A record's claimed privileges hold only when SQS confirms it (core/triggers/types.ts, QueueProof).
      const proof = 'proof' in item ? item.proof : undefined;
      if (proof) {
        const confirmed = await ports.recheck.confirm(proof.receiptHandle);
        if (!confirmed) options.telemetry?.unprovenRecord?.(item.kind, item.messageId);
        item = confirmed ? item : proof.unproven;
      }
      if (item.kind === 'alert') {
        // Not a decision: the delivery of one made earlier, so it adds no result.
        await ports.notifier.publish(item.alert);
        continue;
      }
      if (item.kind === 'decision-event') {
        // The organisation's copy of a decision made earlier: it adds no result either.
        await resendDecisionEvent(item.event, ports);
        continue;
      }
      if (item.kind === 'delivery') {
        // The chat or Security Hub form of an alert made earlier: no result either.
        await deliverForm(item.delivery, ports);
        continue;
      }
      if (item.kind === 'policy-change') {
        const earlier = options.guard.act ? await earlierPolicyDecision(item, ports) : undefined;
        const decision = earlier ?? (await decidePolicyChange(item, ports));
        if (earlier) add({ ...earlier.result, finishedFromQueue: true });
        else
          add(
            options.guard.act
              ? await recordDecision(decision.result, ports, options.telemetry)
              : decision.result,
          );
        // The same path as the schedule: every cluster under the new policy, now.
        if (decision.sweep)
          await sweepAll(`sweep-${item.correlationId}`, { ...item.trigger, source: 'sweep' });
        continue;
      }
      add(await handleItem(item, ports, options));
    } catch (error) {
      if (item.messageId === undefined) throw error;
      response.batchItemFailures.push({ itemIdentifier: item.messageId });
      if (item.kind === 'decision-event') options.telemetry?.decisionEventRetry?.(item.correlationId, error);
      else if (item.kind !== 'alert' && item.kind !== 'delivery')
        add(retryResult(item, ports.clock(), error));
      else options.telemetry?.alertRetry?.(item.correlationId, error);
    }
  }
  return response;
}

async function handleItem(
  item: Exclude<
    NormalisedItem,
    { kind: 'alert' } | { kind: 'delivery' } | { kind: 'policy-change' } | { kind: 'decision-event' }
  >,
  ports: GuardPorts,
  options: ProcessOptions,
): Promise<CheckResult> {
  const time = ports.clock().toISOString();
  switch (item.kind) {
    case 'check':
      // A grace period's re-check that is not due yet only takes another hop through the queue.
      return (
        (await passOnUntilDue(item.request, ports, options.guard)) ??
        checkCluster(item.request, ports, options.guard, options.telemetry)
      );
    case 'decision': {
      // An intent written ahead of an update is delivered only if its own attempt never did.
      const result = item.decision.pending
        ? await recoverIntent(item.decision, ports, options.guard, options.telemetry)
        : await deliverQueuedDecision(item.decision, ports, options.guard, options.telemetry);
      // A recovered remediation was never counted: its attempt died before it was delivered.
      const recovered = item.decision.pending && result.outcome === 'remediated';
      return recovered ? result : { ...result, finishedFromQueue: true };
    }
    case 'ignored':
      // Irrelevant triggers are logged, not recorded: they are not decisions about a cluster.
      return {
        cluster: item.cluster ?? '-',
        region: item.region,
        outcome: 'ignored',
        reason: item.reason,
        time,
        correlationId: item.correlationId,
        trigger: item.trigger,
        attempt: 0,
      };
    case 'unreadable': {
      // Never dropped silently: recorded and alerted as a failure to decide.
      const result: CheckResult = {
        cluster: '-',
        region: options.region,
        outcome: 'failed',
        reason: item.reason,
        cause: { kind: 'unreadable', detail: item.reason },
        time,
        correlationId: item.correlationId,
        trigger: { source: item.messageId ? 'recheck' : 'event' } satisfies Trigger,
        attempt: 0,
      };
      return options.guard.act ? recordDecision(result, ports, options.telemetry) : result;
    }
  }
}

/**
 * A queued request that hit an AWS error after the SDK's retries: SQS delivers it again after the
 * visibility timeout (the dead-letter queue and its alarm take it after the last receive), so the
 * decision is put off, not lost, and is reported as deferred rather than paging as a failure.
 */
function retryResult(item: NormalisedItem, now: Date, error: unknown): CheckResult {
  // A queued decision names its cluster too: the retry is reported against it, not against `-`.
  const request =
    item.kind === 'check' ? item.request : item.kind === 'decision' ? item.decision.result : undefined;
  return {
    cluster: request?.cluster ?? '-',
    region: request?.region ?? '-',
    outcome: 'deferred',
    reason: `${(error as Error).name}: ${(error as Error).message}; the message stays on the queue and is retried`,
    time: now.toISOString(),
    correlationId: request?.correlationId ?? ('correlationId' in item ? item.correlationId : '-'),
    trigger: request?.trigger ?? { source: 'recheck' },
    attempt: request?.attempt ?? 0,
  };
}
