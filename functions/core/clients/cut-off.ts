import type { EndpointConfig } from '../endpoint';
import { reaches } from './address';
import {
  type ActiveClient,
  type ClientsCutOff,
  type ClientsLookup,
  MAX_RECORDED_CLIENTS,
  type UnknownCause,
} from './types';

/**
 * Which recently seen clients a change cuts off: those that reach the API server under the
 * configuration now (`before`) and would not under the target (`after`). A client that cannot
 * reach it now (seen under an earlier, wider configuration) is not this change's doing. See
 * address.ts for how an address reaches the server.
 */
export function clientsCutOffBy(
  before: EndpointConfig,
  after: EndpointConfig,
  clients: readonly ActiveClient[],
): ActiveClient[] {
  return clients.filter((client) => reaches(before, client.ip) && !reaches(after, client.ip));
}

/**
 * True when the target takes access away from some address: the public endpoint goes off, or its
 * CIDRs stop covering an address they cover now. Only such a change needs the audit log read.
 */
export function takesAccessAway(before: EndpointConfig, after: EndpointConfig): boolean {
  if (before.privateAccess && !after.privateAccess) return true;
  if (!before.publicAccess) return false;
  if (!after.publicAccess) return true;
  return !sameCoverage(before, after);
}

function sameCoverage(before: EndpointConfig, after: EndpointConfig): boolean {
  const kept = new Set(after.publicAccessCidrs);
  const now = before.publicAccessCidrs.length > 0 ? before.publicAccessCidrs : ['0.0.0.0/0'];
  return now.every((cidr) => kept.has(cidr));
}

/** What the record keeps of a look-up for one decision: the clients cut off, or "unknown" and why. */
export function cutOffOf(
  lookup: ClientsLookup,
  before: EndpointConfig,
  after: EndpointConfig,
): ClientsCutOff {
  const window = {
    since: lookup.since,
    until: lookup.until,
    strategy: lookup.strategy,
    ...(lookup.bytesScanned !== undefined ? { bytesScanned: lookup.bytesScanned } : {}),
    ...(lookup.reused ? { reused: true } : {}),
  };
  if (!lookup.known) return { clients: 'unknown', cause: lookup.cause, why: lookup.why, ...window };
  const cut = clientsCutOffBy(before, after, lookup.clients);
  return {
    clients: cut.slice(0, MAX_RECORDED_CLIENTS),
    ...window,
    ...(lookup.newestEvent ? { newestEvent: lookup.newestEvent } : {}),
    ...(lookup.partial ? { partial: lookup.partial } : {}),
    seen: lookup.clients.length,
    ...(cut.length > MAX_RECORDED_CLIENTS ? { more: cut.length - MAX_RECORDED_CLIENTS } : {}),
  };
}

/** "unknown" with a reason, for the cases where no look-up was made. */
export function unknownCutOff(cause: UnknownCause, why: string, since: Date, until: Date): ClientsCutOff {
  return { clients: 'unknown', cause, why, since: since.toISOString(), until: until.toISOString() };
}
