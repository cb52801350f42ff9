import type { ClientsLookup } from '../core/clients/types';
import type { ClientsPort, ClientsTarget } from '../ports';

/**
 * A look-up's answer kept per cluster for a while, so that a sweep, the event that follows it, and
 * `policy what-if`'s two decisions of one cluster do not read the log again. Concurrent look-ups
 * of one cluster share one; only answers that know something are kept (the next decision retries
 * a failed or capped look-up). A kept answer still names its own window and freshness.
 */
export const CLIENTS_CACHE_ENTRIES = 500;

export function cachedClients(
  port: ClientsPort,
  ttlMs: number,
  now: () => number = Date.now,
  maxEntries = CLIENTS_CACHE_ENTRIES,
): ClientsPort {
  if (ttlMs <= 0) return port;
  const kept = new Map<string, { answer: Promise<ClientsLookup>; until: number }>();
  return {
    recentClients(target: ClientsTarget): Promise<ClientsLookup> {
      // Logging switched off since the answer was kept: say so now.
      const key = `${target.name}\u0000${target.auditLogging === false ? 'off' : 'on'}`;
      const found = kept.get(key);
      // Marked as reused, so that what the look-up scanned is counted once.
      if (found && found.until > now()) return found.answer.then((lookup) => ({ ...lookup, reused: true }));
      const answer = port.recentClients(target);
      const entry = { answer, until: now() + ttlMs };
      kept.delete(key);
      kept.set(key, entry);
      while (kept.size > maxEntries) kept.delete(kept.keys().next().value as string);
      answer.then(
        (lookup) => {
          if (!lookup.known && kept.get(key) === entry) kept.delete(key);
        },
        () => {
          if (kept.get(key) === entry) kept.delete(key);
        },
      );
      return answer;
    },
  };
}
