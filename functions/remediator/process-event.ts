import type { Trigger } from '../core/check-request';
import type { CheckResult } from '../core/result';
import { type NormalisedItem, normaliseEvent } from '../core/triggers';
import {
  checkCluster,
  deliverQueuedDecision,
  type GuardOptions,
  type GuardTelemetry,
  recordDecision,
} from '../guard';
import type { GuardPorts } from '../ports';
import { sweep } from '../sweep';

export interface ProcessOptions {
  region: string;
  account?: string;
  guardRoleArn?: string;
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
  const normalised = normaliseEvent(event, {
    region: options.region,
    account: options.account,
    guardRoleArn: options.guardRoleArn,
    now: ports.clock(),
  });
  const response: HandlerResponse = { results: [], batchItemFailures: [] };
  const add = (result: CheckResult) => {
    options.observe?.(result);
    response.results.push(result);
  };

  if (normalised.sweep) {
    const sweepOptions = {
      region: options.region,
      account: options.account,
      sweepId: normalised.sweep.correlationId,
      trigger: normalised.sweep.trigger,
      concurrency: options.sweepConcurrency,
    };
    for await (const result of sweep(ports, options.guard, sweepOptions, options.telemetry)) add(result);
  }

  for (const item of normalised.items) {
    try {
      if (item.kind === 'alert') {
        // Not a decision: the delivery of one made earlier, so it adds no result.
        await ports.notifier.publish(item.alert);
        continue;
      }
      add(await handleItem(item, ports, options));
    } catch (error) {
      if (item.messageId === undefined) throw error;
      response.batchItemFailures.push({ itemIdentifier: item.messageId });
      if (item.kind !== 'alert') add(retryResult(item, ports.clock(), error));
      else options.telemetry?.alertRetry?.(item.correlationId, error);
    }
  }
  return response;
}

async function handleItem(
  item: Exclude<NormalisedItem, { kind: 'alert' }>,
  ports: GuardPorts,
  options: ProcessOptions,
): Promise<CheckResult> {
  const time = ports.clock().toISOString();
  switch (item.kind) {
    case 'check':
      return checkCluster(item.request, ports, options.guard, options.telemetry);
    case 'decision':
      return deliverQueuedDecision(item.decision, ports, options.guard, options.telemetry);
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
  const request = item.kind === 'check' ? item.request : undefined;
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
