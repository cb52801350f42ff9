import type { ClientsLookup, ClientsStrategy, LookupWindow, UnknownCause } from '../core/clients/types';
import type { ClientsTarget } from '../ports';
import { awsErrorName } from './errors';

/**
 * What both audit-log strategies (Logs Insights, the bounded scan) share: their options, the window
 * of one look-up, and the "unknown" answers for what the log cannot tell.
 */
export interface ClientsLookupOptions {
  /** How far back a look-up reads (hours). */
  windowHours: number;
  /** The most log data one look-up (so one decision) may read, in bytes. */
  maxScanBytes: number;
  /** How long one look-up may take, in milliseconds; then it answers "unknown". */
  deadlineMs: number;
  clock?: () => Date;
  /** Waits between polls; tests pass one that advances a fake clock. */
  sleep?: (ms: number) => Promise<void>;
}

export function windowOf(now: Date, options: ClientsLookupOptions, strategy: ClientsStrategy): LookupWindow {
  return {
    since: new Date(now.getTime() - options.windowHours * 3_600_000).toISOString(),
    until: now.toISOString(),
    strategy,
  };
}

export function unknown(
  window: LookupWindow,
  cause: UnknownCause,
  why: string,
  bytesScanned?: number,
): ClientsLookup {
  return { ...window, known: false, cause, why, ...(bytesScanned !== undefined ? { bytesScanned } : {}) };
}

/** Logging off answers at once, without reading a log. */
export function loggingOff(target: ClientsTarget, window: LookupWindow): ClientsLookup | undefined {
  if (target.auditLogging !== false) return undefined;
  return unknown(
    window,
    'logging-off',
    `the cluster's control-plane audit log is off (EKS logging type "audit")`,
  );
}

/** An SDK error as an "unknown": its cause, its name and a short message, never a stack. */
export function unknownOfError(
  window: LookupWindow,
  error: unknown,
  logGroup: string,
  bytes?: number,
): ClientsLookup {
  const name = awsErrorName(error) ?? 'Error';
  if (name === 'ResourceNotFoundException') {
    return unknown(
      window,
      'no-log-group',
      `the log group ${logGroup} does not exist (the audit log has never been on, or it was deleted)`,
      bytes,
    );
  }
  if (name === 'LimitExceededException') {
    return unknown(
      window,
      'concurrency',
      `the account's concurrent Logs Insights queries are used up (LimitExceededException); the next check tries again`,
      bytes,
    );
  }
  const message = error instanceof Error ? error.message.replace(/\s+/g, ' ').slice(0, 200) : String(error);
  return unknown(
    window,
    'error',
    `reading ${logGroup} failed: ${name}${message ? `: ${message}` : ''}`,
    bytes,
  );
}

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(bytes < 10_485_760 ? 1 : 0)} MB`;
}
