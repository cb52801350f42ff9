import type { Budget } from '../core/budget';
import type { CheckRequest } from '../core/check-request';
import type { CheckResult } from '../core/result';
import type { DecisionEventTelemetry } from './decision-events';

/** The options, telemetry and decision shape that the guard's modules share: one module they all import. */

export interface GuardOptions {
  /** The region the adapters' clients talk to: a request for another region is not this guard's. */
  region: string;
  /** false: decide and report only (the CLI's `check` without --fix): no change, alert, record or queue. */
  act: boolean;
  recheckDeadlineMinutes: number;
  flipFlop: { threshold: number; windowMinutes: number };
  /** A sweep's blast-radius limit (maxRemediationsPerRun), shared by its checks; absent: one event, unlimited. */
  budget?: Budget;
}

/** Where telemetry about delivery problems goes; the handler wires it to Logger and Metrics. */
export interface GuardTelemetry extends DecisionEventTelemetry {
  deliveryFailed(part: 'alert' | 'audit' | 'recheck', result: CheckResult, error: unknown): void;
  /** A queued alert failed to publish again; the queue will redeliver it. */
  alertRetry?(correlationId: string, error: unknown): void;
  /** The schedule sealed records into digests. */
  sealed?(outcome: { digests: { key: string; records: number }[] }): void;
  /** The schedule could not seal; the next run tries again. */
  sealFailed?(error: unknown): void;
  /** A record claimed the guard's privileges but SQS did not confirm it (a direct invoke, say): demoted. */
  unprovenRecord?(kind: string, messageId: string | undefined): void;
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
