import type { Trigger } from './core/check-request';
import { PolicyError } from './core/policy';
import type { CheckResult } from './core/result';
import { SweepRecorder } from './evidence';
import { checkCluster, type GuardOptions, type GuardTelemetry, recordDecision } from './guard';
import type { GuardPorts } from './ports';

export interface SweepOptions {
  region: string;
  account?: string;
  /** Identifies this sweep; each cluster's correlation id is `<sweepId>/<cluster>`. */
  sweepId: string;
  trigger: Trigger;
  concurrency: number;
  /** Only these clusters (the CLI's --cluster); all of the region when absent. */
  clusters?: string[];
}

/** Raised at the end of a sweep when some clusters could be neither checked nor queued for a re-check. */
export class SweepIncompleteError extends Error {
  override readonly name = 'SweepIncompleteError';
}

/**
 * Checks every cluster of the region with bounded concurrency, yielding results as they come:
 * names are listed page by page and nothing is held beyond the clusters in flight.
 * A cluster that fails with an AWS error is queued for a re-check (when acting) so one bad
 * cluster never stops the sweep.
 */
export async function* sweep(
  ports: GuardPorts,
  guard: GuardOptions,
  options: SweepOptions,
  telemetry?: GuardTelemetry,
): AsyncGenerator<CheckResult> {
  const recorder = new SweepRecorder(ports, options, guard.act);
  // An unusable policy is one problem, not one per cluster: report it once and stop.
  const policyFault = await unusablePolicy(ports);
  if (policyFault) {
    const result: CheckResult = {
      cluster: '-',
      region: options.region,
      outcome: 'failed',
      reason: `${policyFault}; sweep skipped, nothing changed`,
      time: ports.clock().toISOString(),
      correlationId: options.sweepId,
      trigger: options.trigger,
      attempt: 0,
    };
    yield recorder.add(guard.act ? await recordDecision(result, ports, telemetry) : result);
    await recorder.finish();
    return;
  }

  const names = options.clusters ?? ports.eks.listClusters();
  let unfinished = 0;

  const checkOne = async (cluster: string): Promise<CheckResult> => {
    const request = {
      cluster,
      region: options.region,
      ...(options.account ? { account: options.account } : {}),
      trigger: options.trigger,
      correlationId: `${options.sweepId}/${cluster}`,
      attempt: 0,
    };
    try {
      return await checkCluster(request, ports, guard, telemetry);
    } catch (error) {
      const reason = `${(error as Error).name}: ${(error as Error).message}`;
      const base = { ...request, time: ports.clock().toISOString() };
      if (guard.act) {
        try {
          await ports.recheck.send(request, 60);
          return { ...base, outcome: 'deferred', reason: `${reason}; re-check queued` };
        } catch {
          // Falls through: reported as failed, and the sweep as a whole fails so it is retried.
        }
      }
      unfinished += 1;
      return { ...base, outcome: 'failed', reason: `could not check: ${reason}` };
    }
  };

  for await (const result of mapBounded(names, options.concurrency, checkOne)) yield recorder.add(result);
  await recorder.finish();
  if (unfinished > 0 && guard.act) {
    throw new SweepIncompleteError(
      `${unfinished} cluster(s) could be neither checked nor queued for a re-check`,
    );
  }
}

async function unusablePolicy(ports: GuardPorts): Promise<string | undefined> {
  try {
    await ports.policy.load();
    return undefined;
  } catch (error) {
    if (error instanceof PolicyError) return error.message;
    throw error;
  }
}

/** Maps an (async) iterable with at most `limit` calls in flight, yielding in completion order. */
export async function* mapBounded<T, R>(
  source: Iterable<T> | AsyncIterable<T>,
  limit: number,
  fn: (item: T) => Promise<R>,
): AsyncGenerator<R> {
  const iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : toAsync(source);
  const inFlight = new Map<number, Promise<{ id: number; value: R }>>();
  let nextId = 0;
  let exhausted = false;
  while (true) {
    while (!exhausted && inFlight.size < limit) {
      const next = await iterator.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      const id = nextId++;
      inFlight.set(
        id,
        fn(next.value).then((value) => ({ id, value })),
      );
    }
    if (inFlight.size === 0) return;
    const { id, value } = await Promise.race(inFlight.values());
    inFlight.delete(id);
    yield value;
  }
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}
