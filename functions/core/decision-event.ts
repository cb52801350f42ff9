/**
 * The cross-account form of a decision: one EventBridge PutEvents entry per alerted decision,
 * sent by each member guard to the organisation's central event bus (DESIGN §12), and one
 * heartbeat entry per sweep, so that the central account can tell a quiet member from a dead one.
 */

/** What the `source` of every entry the guard sends starts with. */
export const DECISION_EVENT_SOURCE = 'eks-endpoint-guard';

/**
 * The `source` of a member's entries: `eks-endpoint-guard.<region>`. EventBridge stamps an event
 * sent to a bus in another region with the bus's region, so the sender's region must travel in the
 * event, and only what the bus policy enforces can be trusted: its statement for each region admits
 * this source only from that region's guard role (infra/org/bus-policy.ts).
 */
export function memberEventSource(region: string): string {
  return `${DECISION_EVENT_SOURCE}.${region}`;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The region a member's `source` names, or undefined when it is not one. */
export function regionOfSource(source: unknown): string | undefined {
  if (typeof source !== 'string' || !source.startsWith(`${DECISION_EVENT_SOURCE}.`)) return undefined;
  const region = source.slice(DECISION_EVENT_SOURCE.length + 1);
  return REGION.test(region) ? region : undefined;
}

/** Where a member's entries go, and as what source. */
export interface EventTarget {
  readonly busArn: string;
  readonly source: string;
}
/** `detail-type` of a decision: the detail is the alert's machine (JSON) form. */
export const DECISION_DETAIL_TYPE = 'EKS Endpoint Guard Decision';
/** `detail-type` of a sweep heartbeat: `{ schema, sweptAt, clusters, sweepSchedule }`. */
export const SWEEP_DETAIL_TYPE = 'EKS Endpoint Guard Sweep';
export const SWEEP_SCHEMA = 'eks-endpoint-guard/sweep@1';

/** PutEvents rejects an entry of 256 KB or more (Time, Source, DetailType, Detail, Resources, UTF-8). */
export const MAX_ENTRY_BYTES = 256 * 1024;
/** Room left under the limit, so that an entry never sits on the edge. */
const ENTRY_MARGIN_BYTES = 1024;

/** Fields of the alert JSON that identify a decision: kept when an oversized detail is cut. */
const IDENTITY_FIELDS = [
  'schema',
  'dedupKey',
  'status',
  'outcome',
  'severity',
  'cluster',
  'clusterArn',
  'region',
  'account',
  'correlationId',
  'time',
] as const;
/** The longest string an oversized detail keeps of each field it keeps. */
const MAX_CUT_FIELD = 1000;
/** The longest cluster ARN named as the entry's resource (real ones are far shorter). */
const MAX_RESOURCE = 2048;

/** What the SDK's PutEventsRequestEntry needs, without importing the SDK. */
export interface DecisionEventEntry {
  EventBusName: string;
  Source: string;
  DetailType: string;
  Detail: string;
  Resources: string[];
  Time?: Date;
}

/** Bytes PutEvents counts for an entry (the EventBusName is not counted). */
export function entryBytes(entry: DecisionEventEntry): number {
  let bytes = entry.Time ? 14 : 0;
  bytes += Buffer.byteLength(entry.Source) + Buffer.byteLength(entry.DetailType);
  bytes += Buffer.byteLength(entry.Detail);
  for (const resource of entry.Resources) bytes += Buffer.byteLength(resource);
  return bytes;
}

/**
 * The PutEvents entry of one alerted decision. `alert` is the alert's machine form (the same JSON
 * the SNS topic carries). A detail that would break the entry limit keeps the fields that identify
 * the decision, a shortened reason and `truncated: true`; the member's own audit record keeps the rest.
 */
export function decisionEvent(
  alert: Record<string, unknown>,
  to: EventTarget,
  time?: Date,
): DecisionEventEntry {
  const clusterArn = typeof alert.clusterArn === 'string' ? alert.clusterArn : undefined;
  const entry: DecisionEventEntry = {
    EventBusName: to.busArn,
    Source: to.source,
    DetailType: DECISION_DETAIL_TYPE,
    Detail: JSON.stringify(alert),
    // A cluster ARN is the one resource; anything else (an unexpected value) is left out.
    Resources: clusterArn?.startsWith('arn:') && clusterArn.length <= MAX_RESOURCE ? [clusterArn] : [],
    ...(time ? { Time: time } : {}),
  };
  if (entryBytes(entry) <= MAX_ENTRY_BYTES - ENTRY_MARGIN_BYTES) return entry;

  const cut: Record<string, unknown> = {};
  for (const field of [...IDENTITY_FIELDS, 'reason']) {
    const value = alert[field];
    if (typeof value === 'string') cut[field] = value.slice(0, MAX_CUT_FIELD);
    else if (typeof value === 'number' || typeof value === 'boolean') cut[field] = value;
  }
  cut.truncated = true;
  return { ...entry, Detail: JSON.stringify(cut) };
}

export interface SweepHeartbeat {
  /** ISO time the sweep started. */
  sweptAt: string;
  /** Clusters the sweep checked. */
  clusters: number;
  /** The member's sweep schedule, so the centre knows how long silence may last. */
  sweepSchedule: string;
}

/** The PutEvents entry a member sends once per sweep, whatever the sweep found. */
export function sweepEvent(heartbeat: SweepHeartbeat, to: EventTarget): DecisionEventEntry {
  return {
    EventBusName: to.busArn,
    Source: to.source,
    DetailType: SWEEP_DETAIL_TYPE,
    Detail: JSON.stringify({ schema: SWEEP_SCHEMA, ...heartbeat }),
    Resources: [],
  };
}
