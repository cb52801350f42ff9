import { clientAddress } from './address';
import { type ActiveClient, MAX_NAMES_PER_CLIENT } from './types';

/**
 * Audit-log findings merged into one entry per client address: a Logs Insights row (requests of
 * one address, user and user agent) or a single audit event read by the scan (requests 1).
 */
export interface ClientHit {
  ip: string;
  user?: string;
  userAgent?: string;
  requests: number;
  /** Epoch milliseconds of the latest request. */
  lastSeen: number;
}

const MAX_NAME = 256;

/** One entry per address, busiest first (then most recent); hits whose address is not an IP are left out. */
export function clientsOf(hits: Iterable<ClientHit>): ActiveClient[] {
  const byIp = new Map<string, Tally>();
  for (const hit of hits) {
    const ip = clientAddress(hit.ip);
    if (ip === undefined || !(hit.requests > 0) || !Number.isFinite(hit.lastSeen)) continue;
    const tally = byIp.get(ip) ?? { requests: 0, lastSeen: 0, users: new Map(), agents: new Map() };
    tally.requests += hit.requests;
    tally.lastSeen = Math.max(tally.lastSeen, hit.lastSeen);
    count(tally.users, hit.user, hit.requests);
    count(tally.agents, hit.userAgent, hit.requests);
    byIp.set(ip, tally);
  }
  return [...byIp.entries()]
    .map(([ip, tally]) => {
      const users = busiest(tally.users);
      const agents = busiest(tally.agents);
      const client: ActiveClient = {
        ip,
        users: users.slice(0, MAX_NAMES_PER_CLIENT),
        userAgents: agents.slice(0, MAX_NAMES_PER_CLIENT),
        requests: tally.requests,
        lastSeen: new Date(tally.lastSeen).toISOString(),
      };
      if (users.length > MAX_NAMES_PER_CLIENT) client.moreUsers = users.length - MAX_NAMES_PER_CLIENT;
      if (agents.length > MAX_NAMES_PER_CLIENT) client.moreUserAgents = agents.length - MAX_NAMES_PER_CLIENT;
      return client;
    })
    .sort(
      (a, b) => b.requests - a.requests || b.lastSeen.localeCompare(a.lastSeen) || a.ip.localeCompare(b.ip),
    );
}

interface Tally {
  requests: number;
  lastSeen: number;
  users: Map<string, number>;
  agents: Map<string, number>;
}

function count(into: Map<string, number>, name: string | undefined, requests: number): void {
  if (name === undefined || name === '') return;
  const key = name.length > MAX_NAME ? name.slice(0, MAX_NAME) : name;
  into.set(key, (into.get(key) ?? 0) + requests);
}

function busiest(names: Map<string, number>): string[] {
  return [...names.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name);
}

/** The newest lastSeen of the clients, ISO; undefined when there is none. */
export function newestOf(clients: readonly ActiveClient[]): string | undefined {
  return clients
    .map((c) => c.lastSeen)
    .sort()
    .at(-1);
}
