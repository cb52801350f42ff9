import type { EndpointConfig } from '../functions/core/endpoint';
import type { Policy } from '../functions/core/policy/policy';
import type { SweepSummary } from '../functions/core/report/evidence';
import type { CheckResult } from '../functions/core/result';

/**
 * The storm's verdict, from what is left when it is over: the clusters as EKS has them, the audit
 * table, the alerts a subscriber received, the updates EKS accepted, and the ledgers of what was
 * delivered to the function and what ended in a dead-letter queue. Pure.
 */
export interface Evidence {
  now: Date;
  clusters: { name: string; config: EndpointConfig; tags: Record<string, string> }[];
  finalPolicy: Policy;
  /** Every policy in force during the run, by digest. */
  policies: ReadonlyMap<string, Policy>;
  records: readonly CheckResult[];
  sweeps: readonly SweepSummary[];
  /** alert@2 documents as a subscriber of the topic received them, in order. */
  alerts: readonly Record<string, unknown>[];
  /** Updates EKS accepted from the guard (replays of a token are not new updates). */
  guardUpdates: readonly {
    id: string;
    cluster: string;
    before: EndpointConfig;
    tags: Record<string, string>;
  }[];
  /** CloudTrail and schedule events, by event id: copies that succeeded and that went to the failure destination. */
  events: ReadonlyMap<string, { kind: 'cloudtrail' | 'schedule'; succeeded: number; deadLettered: number }>;
  /** Event ids found in the function's on-failure destination. */
  failedEvents: ReadonlySet<string>;
  /** Messages the guard sent to the recheck queue, those the function handled, those in its dead-letter queue. */
  sentMessages: ReadonlySet<string>;
  handledMessages: ReadonlySet<string>;
  deadLetteredMessages: ReadonlySet<string>;
}

export interface InvariantResult {
  name: string;
  /** How many things were checked. */
  checked: number;
  /** How many broke it, and one line for each of the first few. */
  broken: number;
  examples: string[];
  /** Something worth knowing that breaks nothing. */
  note?: string;
}

const MAX_EXAMPLES = 5;

export function result(name: string, checked: number, problems: string[]): InvariantResult {
  return { name, checked, broken: problems.length, examples: problems.slice(0, MAX_EXAMPLES) };
}

/** How a decision is named in the invariants' lines: its correlation id and time. */
export const decisionKey = (r: { correlationId?: unknown; time?: unknown }) =>
  `${String(r.correlationId)}@${String(r.time)}`;
