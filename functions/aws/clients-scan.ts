import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { type ClientHit, clientsOf, newestOf } from '../core/clients/aggregate';
import {
  AUDIT_LOG_STREAM_PREFIX,
  auditLogGroupOf,
  COUNTED_STAGE,
  hitOfAuditEvent,
} from '../core/clients/audit-event';
import type { ClientsLookup } from '../core/clients/types';
import type { ClientsPort, ClientsTarget } from '../ports';
import { type ClientSource, resolveClient, sdk } from './clients';
import {
  type ClientsLookupOptions,
  loggingOff,
  megabytes,
  unknown,
  unknownOfError,
  windowOf,
} from './clients-lookup';

/**
 * The clients of a cluster by a bounded FilterLogEvents scan of its audit streams: the function
 * reads the events and counts them itself. An option for small clusters, and what serves where
 * Logs Insights cannot aggregate, such as the local emulator. Bounded three ways: the bytes one
 * look-up may read, the number of events, and the deadline. A scan stopped by a bound answers
 * with what it found, marked partial (a lower bound), or "unknown" when it found nobody.
 */
export const SCAN_PAGE_EVENTS = 10_000;
export const SCAN_MAX_EVENTS = 200_000;
/** Only completed requests come back from CloudWatch (the rules are applied again to what does). */
export const SCAN_FILTER_PATTERN = `{ $.stage = "${COUNTED_STAGE}" }`;

export function scanClients(
  source: ClientSource<CloudWatchLogsClient>,
  options: ClientsLookupOptions & { maxEvents?: number },
): ClientsPort {
  const clock = options.clock ?? (() => new Date());
  const maxEvents = options.maxEvents ?? SCAN_MAX_EVENTS;
  return {
    async recentClients(target: ClientsTarget): Promise<ClientsLookup> {
      const started = clock();
      const window = windowOf(started, options, 'scan');
      const off = loggingOff(target, window);
      if (off) return off;
      const client = resolveClient(source);
      const logGroup = auditLogGroupOf(target.name);
      const deadline = started.getTime() + options.deadlineMs;
      const hits: ClientHit[] = [];
      let bytes = 0;
      let events = 0;
      let stopped: { cause: 'scan-cap' | 'deadline'; text: string } | undefined;
      let nextToken: string | undefined;
      try {
        do {
          const page = await client.send(
            new (sdk.logs().FilterLogEventsCommand)({
              logGroupName: logGroup,
              logStreamNamePrefix: AUDIT_LOG_STREAM_PREFIX,
              startTime: Date.parse(window.since),
              endTime: Date.parse(window.until),
              filterPattern: SCAN_FILTER_PATTERN,
              limit: SCAN_PAGE_EVENTS,
              ...(nextToken ? { nextToken } : {}),
            }),
          );
          for (const event of page.events ?? []) {
            const message = event.message ?? '';
            bytes += Buffer.byteLength(message);
            events += 1;
            const hit = hitOfAuditEvent(message, event.timestamp ?? Number.NaN);
            if (hit) hits.push(hit);
          }
          nextToken = page.nextToken;
          if (nextToken && bytes >= options.maxScanBytes) {
            stopped = { cause: 'scan-cap', text: `the scan stopped at its cap after ${megabytes(bytes)}` };
          } else if (nextToken && events >= maxEvents) {
            const read = events.toLocaleString('en-US');
            stopped = { cause: 'scan-cap', text: `the scan stopped at its cap after ${read} events` };
          } else if (nextToken && clock().getTime() >= deadline) {
            const seconds = Math.round(options.deadlineMs / 1000);
            stopped = { cause: 'deadline', text: `the scan stopped at the deadline of ${seconds} s` };
          }
        } while (nextToken && !stopped);
      } catch (error) {
        return unknownOfError(window, error, logGroup, bytes);
      }
      const clients = clientsOf(hits);
      if (stopped && clients.length === 0) {
        return unknown(window, stopped.cause, `${stopped.text}, before it found any client`, bytes);
      }
      const newest = newestOf(clients);
      return {
        ...window,
        known: true,
        clients,
        ...(newest ? { newestEvent: newest } : {}),
        ...(stopped ? { partial: `${stopped.text}; later events were not read` } : {}),
        bytesScanned: bytes,
      };
    },
  };
}
