import { AdaptiveLimit } from '../core/adaptive-limit';
import { type Budget, MAX_WITHHELD_NAMES, RemediationBudget } from '../core/budget';
import type { Trigger } from '../core/check-request';
import { boundedId, clusterCorrelationId } from '../core/ids';
import { type LoadedPolicy, PolicyError } from '../core/policy/policy';
import type { CheckResult } from '../core/result';
import { periodStart } from '../core/schedule';
import type { GuardPorts, PolicyPort } from '../ports';
import { mapBounded, Retry, readAhead } from './bounded-map';
import { checkCluster } from './check';
import { DeliveryError, recordDecision } from './delivery';
import { SweepRecorder } from './evidence';
import type { GuardOptions, GuardTelemetry } from './options';
import { SharedBudget } from './shared-budget';

export { mapBounded, Retry, readAhead };

export interface SweepOptions {
  region: string;
  account?: string;
  /** Identifies this sweep; each cluster's correlation id is `<sweepId>/<cluster>`. */
  sweepId: string;
  trigger: Trigger;
  /** The most clusters checked at once (SWEEP_CONCURRENCY): the adaptive limit's ceiling. */
  concurrency: number;
  /** Only these clusters (the CLI's --cluster); all of the region when absent. */
  clusters?: string[];
  /** Drives the concurrency (given to observe it); by default one starting at INITIAL_CONCURRENCY. */
  limit?: AdaptiveLimit;
  /** Wait before a throttled cluster's next attempt, times the attempt (default 100 ms; the SDK has already backed off). */
  throttleBackoffMs?: number;
  /**
   * Started by the schedule: the sweep shares the blast-radius budget of its schedule period with
   * every other scheduled sweep of it (ports.sweepBudget), so that no scheduled event, forged or
   * repeated, brings a fresh budget of its own.
   */
  scheduled?: boolean;
}

/** A safe start: the limit grows from here while calls succeed, up to `concurrency`. */
export const INITIAL_CONCURRENCY = 4;
/** Attempts of a cluster whose check is throttled (after the SDK's own retries) before it is reported. */
export const THROTTLED_ATTEMPTS = 4;
/** Names read ahead of the checks: a page of ListClusters is fetched while the previous one is checked. */
const READ_AHEAD = 200;

/** Raised at the end of a sweep when some clusters could be neither checked nor queued for a re-check. */
export class SweepIncompleteError extends Error {
  override readonly name = 'SweepIncompleteError';
}

/**
 * Checks every cluster of the region with adaptive concurrency, yielding results as they come.
 * Names are listed page by page, the next page while the current one is checked, and nothing is
 * held beyond the clusters in flight and one page read ahead. The policy is read once for the
 * whole sweep. A throttled check halves the concurrency and the cluster is tried again; a cluster
 * that fails with an AWS error is queued for a re-check (when acting) so one bad cluster never
 * stops the sweep.
 */
export async function* sweep(
  ports: GuardPorts,
  guard: GuardOptions,
  options: SweepOptions,
  telemetry?: GuardTelemetry,
): AsyncGenerator<CheckResult> {
  const recorder = new SweepRecorder(ports, options, guard.act, telemetry);
  const policy = policyOnce(ports.policy);
  const sweepPorts: GuardPorts = { ...ports, policy };
  // Listing starts while the policy is read: neither waits for the other.
  const names = options.clusters ?? readAhead(ports.eks.listClusters(), READ_AHEAD);
  // An unusable policy is one problem, not one per cluster: report it once and stop.
  const policyFault = await unusablePolicy(policy).catch(async (error: unknown) => {
    await closeSource(names);
    throw error;
  });
  if (policyFault) {
    await closeSource(names);
    const result: CheckResult = {
      cluster: '-',
      region: options.region,
      outcome: 'failed',
      reason: `${policyFault}; sweep skipped, nothing changed`,
      time: ports.clock().toISOString(),
      correlationId: boundedId(options.sweepId),
      trigger: options.trigger,
      attempt: 0,
    };
    yield recorder.add(guard.act ? await recordDecision(result, ports, telemetry) : result);
    await recorder.finish();
    return;
  }

  // The policy's maxRemediationsPerRun, counted across this sweep's concurrent checks.
  const budget = guard.act ? budgetOf(ports, options) : undefined;
  const sweepGuard: GuardOptions = budget ? { ...guard, budget } : guard;
  const limit =
    options.limit ?? new AdaptiveLimit({ initial: INITIAL_CONCURRENCY, max: options.concurrency });
  const backoffMs = options.throttleBackoffMs ?? 100;
  let unfinished = 0;

  const checkOne = async ({ cluster, tries }: Queued): Promise<CheckResult | Retry<Queued>> => {
    const request = {
      cluster,
      region: options.region,
      ...(options.account ? { account: options.account } : {}),
      trigger: options.trigger,
      correlationId: clusterCorrelationId(options.sweepId, cluster),
      attempt: 0,
    };
    if (tries > 0 && backoffMs > 0) await delay(backoffMs * tries);
    try {
      return await checkCluster(request, sweepPorts, sweepGuard, telemetry);
    } catch (error) {
      if (error instanceof DeliveryError && error.changed) {
        // The cluster was changed: a plain re-check would decide again. Report what was done; the
        // sweep fails at the end so the undelivered record is seen.
        unfinished += 1;
        return { ...error.result, reason: `${error.result.reason}; ${error.message}` };
      }
      // Throttled: slow down and try this cluster again later in the sweep, a bounded number of times.
      if (isThrottling(error) && tries + 1 < THROTTLED_ATTEMPTS) {
        return new Retry({ cluster, tries: tries + 1 }, true);
      }
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
      return {
        ...base,
        outcome: 'failed',
        reason: `could not check: ${reason}`,
        cause: { kind: 'check-error', error: reason },
      };
    }
  };

  for await (const result of mapBounded(queued(names), limit, checkOne)) yield recorder.add(result);
  const capped = budget ? blastRadiusResult(budget, options, ports.clock()) : undefined;
  // Not a cluster's result: yielded and recorded, but not counted in the sweep's summary.
  if (capped) yield await recordDecision(capped, ports, telemetry);
  await recorder.finish();
  if (unfinished > 0 && guard.act) {
    throw new SweepIncompleteError(
      `${unfinished} cluster(s) could be neither checked nor queued for a re-check`,
    );
  }
}

/**
 * The one record and alert (critical) of a sweep that reached the blast-radius limit: which
 * clusters it left unchanged, so people look at the policy before the next sweep changes more.
 */
function blastRadiusResult(budget: Budget, options: SweepOptions, now: Date): CheckResult | undefined {
  const limit = budget.limit;
  const withheld = budget.withheld;
  if (limit === undefined || withheld.length === 0) return undefined;
  const clusters = withheld.slice(0, MAX_WITHHELD_NAMES);
  const more = withheld.length > clusters.length ? ` and ${withheld.length - clusters.length} more` : '';
  return {
    cluster: '-',
    region: options.region,
    ...(options.account ? { account: options.account } : {}),
    outcome: 'would-remediate',
    reason:
      `blast-radius limit: this sweep reached the policy's maxRemediationsPerRun (${limit}) and left ` +
      `${withheld.length} more non-compliant cluster(s) unchanged (${clusters.join(', ')}${more}); ` +
      'check the policy: the next sweep changes up to the limit again',
    time: now.toISOString(),
    correlationId: boundedId(`${options.sweepId}/blast-radius`),
    trigger: options.trigger,
    attempt: 0,
    blastRadius: { limit, withheld: withheld.length, clusters },
  };
}

/** A scheduled sweep's share of its period's budget, or a budget of its own. */
function budgetOf(ports: GuardPorts, options: SweepOptions): Budget {
  const shared = options.scheduled ? ports.sweepBudget : undefined;
  if (!shared) return new RemediationBudget();
  return new SharedBudget(shared, periodStart(ports.clock(), shared.periodSeconds), options.sweepId);
}

interface Queued {
  cluster: string;
  /** Throttled attempts so far. */
  tries: number;
}

async function* queued(names: Iterable<string> | AsyncIterable<string>): AsyncGenerator<Queued> {
  for await (const cluster of names) yield { cluster, tries: 0 };
}

async function unusablePolicy(policy: PolicyPort): Promise<string | undefined> {
  try {
    await policy.load();
    return undefined;
  } catch (error) {
    if (error instanceof PolicyError) return error.message;
    throw error;
  }
}

/** The policy port for one sweep: loaded once, every check sees the same policy. */
export function policyOnce(port: PolicyPort): PolicyPort {
  let loaded: Promise<LoadedPolicy> | undefined;
  return {
    parameterName: port.parameterName,
    load: () => {
      loaded ??= port.load();
      return loaded;
    },
    history: (limit) => port.history(limit),
    // Drops the store's cache for later reads; this sweep keeps the policy it read, so its checks never see two.
    invalidate: () => port.invalidate(),
  };
}

/** Whether an AWS error (after the SDK's own retries) says the caller is being throttled. */
export function isThrottling(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const { name, $metadata } = e as { name?: unknown; $metadata?: { httpStatusCode?: unknown } };
    if (typeof name === 'string' && THROTTLING_ERRORS.has(name)) return true;
    if ($metadata?.httpStatusCode === 429) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Each service's own name for a throttle, as the SDK classifies them (its THROTTLING_ERROR_CODES):
 * EKS, SSM and most JSON services, API Gateway style services, EC2, DynamoDB, SQS, SNS, STS and
 * S3. A sweep whose DynamoDB or SQS calls are throttled slows down like one whose EKS calls are.
 */
const THROTTLING_ERRORS = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'RequestThrottled',
  'RequestThrottledException',
  'ThrottledException',
  'Throttling',
  'SlowDown',
  'EC2ThrottledException',
  'BandwidthLimitExceeded',
]);

/** Ends a source the sweep will not read (the policy is unusable, say). */
async function closeSource(source: Iterable<string> | AsyncIterableIterator<string>): Promise<void> {
  if (Symbol.asyncIterator in source) await source.return?.();
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
