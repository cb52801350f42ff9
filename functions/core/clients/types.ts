/**
 * The API clients of a cluster, as the EKS control-plane audit log shows them (DESIGN §18), and
 * the ones a target configuration would cut off. The client's address is the last element of the
 * audit event's `sourceIPs`: the address of the connection itself. The elements before it come
 * from the X-Forwarded-For and X-Real-Ip headers, which any client can set, so they are never
 * evidence; neither is the user agent, which is only a label the client chose.
 */

/** One client address seen by the API server in the window, with what it did. */
export interface ActiveClient {
  /** The connection's own address (IPv4 or IPv6, as the API server wrote it). */
  ip: string;
  /** The Kubernetes users (IAM principals mapped to users, service accounts), busiest first. */
  users: string[];
  /** The user agents the client sent (a label, not evidence), busiest first. */
  userAgents: string[];
  /** Completed requests from this address in the window. */
  requests: number;
  /** ISO time of its latest request in the window. */
  lastSeen: string;
  /** Users and user agents beyond those listed (each list keeps MAX_NAMES_PER_CLIENT). */
  moreUsers?: number;
  moreUserAgents?: number;
}

export type ClientsStrategy = 'insights' | 'scan';

/** Why a look-up could not tell, as a fact each language words itself (the `why` text is the English detail). */
export type UnknownCause =
  | 'logging-off'
  | 'no-log-group'
  | 'concurrency'
  | 'query-ended'
  | 'scan-cap'
  | 'deadline'
  | 'look-up-off'
  | 'error';
export const UNKNOWN_CAUSES: readonly UnknownCause[] = [
  'logging-off',
  'no-log-group',
  'concurrency',
  'query-ended',
  'scan-cap',
  'deadline',
  'look-up-off',
  'error',
];

/** What one look-up of the audit log found. */
export type ClientsLookup = LookupWindow &
  (
    | {
        known: true;
        /** Busiest first. */
        clients: ActiveClient[];
        /** ISO time of the newest audit event found: clients seen after it are not in the list yet. */
        newestEvent?: string;
        /** Set when part of the window was not read (row limit, scan cap): the list is a lower bound. */
        partial?: string;
      }
    | {
        known: false;
        cause: UnknownCause;
        /** Why the look-up cannot say (logging off, the query failed, the deadline passed, ...), in English. */
        why: string;
      }
  );

export interface LookupWindow {
  /** The window read, [since, until), ISO. */
  since: string;
  until: string;
  strategy: ClientsStrategy;
  /** Bytes of log data read (Logs Insights bills by them; the scan counts the messages). */
  bytesScanned?: number;
  /** An earlier look-up's answer, kept for a while: this decision scanned nothing. */
  reused?: boolean;
}

/** Which recently seen clients a decision's target would cut off: what the record and alerts carry. */
export interface ClientsCutOff {
  /** The clients cut off, busiest first (at most MAX_RECORDED_CLIENTS); "unknown" never means nobody. */
  clients: ActiveClient[] | 'unknown';
  /** Why unknown: the cause, and the English detail. */
  cause?: UnknownCause;
  why?: string;
  /** Part of the window was not read: the list is a lower bound, and why. */
  partial?: string;
  /** The audit-log window read, ISO. */
  since: string;
  until: string;
  /** The newest audit event found: audit logs reach CloudWatch minutes late, so later clients are missing. */
  newestEvent?: string;
  /** How many clients were seen in the window in all (cut off or not). */
  seen?: number;
  /** Clients cut off beyond those listed. */
  more?: number;
  /** How the log was read, and how many bytes (Logs Insights bills by bytes scanned). */
  strategy?: ClientsStrategy;
  bytesScanned?: number;
  /** The answer of an earlier look-up, kept for a while: bytesScanned was paid then, not by this decision. */
  reused?: boolean;
  /** The change waits for these clients (protectActiveClients "defer"). */
  deferred?: boolean;
}

/** How long protectActiveClients "defer" waits where the policy gives no grace period (minutes). */
export const DEFER_MINUTES_WITHOUT_GRACE = 60;

/** Each client keeps at most this many users and user agents. */
export const MAX_NAMES_PER_CLIENT = 5;
/** A record lists at most this many clients cut off (the rest are counted in `more`). */
export const MAX_RECORDED_CLIENTS = 20;

export function isKnownCutOff(
  cutOff: ClientsCutOff | undefined,
): cutOff is ClientsCutOff & { clients: ActiveClient[] } {
  return cutOff !== undefined && cutOff.clients !== 'unknown';
}
