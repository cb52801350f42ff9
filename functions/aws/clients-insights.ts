import type { CloudWatchLogsClient, GetQueryResultsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { type ClientHit, clientsOf, newestOf } from '../core/clients/aggregate';
import {
  ANONYMOUS_USER,
  AUDIT_LOG_STREAM_PREFIX,
  auditLogGroupOf,
  COUNTED_STAGE,
  REFUSED_CODES,
} from '../core/clients/audit-event';
import type { ClientsLookup, LookupWindow } from '../core/clients/types';
import type { ClientsPort, ClientsTarget } from '../ports';
import { type ClientSource, resolveClient, sdk } from './clients';
import {
  type ClientsLookupOptions,
  loggingOff,
  megabytes,
  realSleep,
  unknown,
  unknownOfError,
  windowOf,
} from './clients-lookup';

/**
 * The clients of a cluster by CloudWatch Logs Insights: one StartQuery over the window, then
 * GetQueryResults polled under a deadline. Insights aggregates in the service (one row per
 * address, user and user agent), so the function reads a few rows rather than the log.
 *
 * Its rules, as AWS documents them: a query is Scheduled, then Running (GetQueryResults then
 * returns partial rows, which are never taken for an answer), then Complete, Failed, Cancelled or
 * Timeout (Unknown is possible too); a page holds at most 10,000 rows; StartQuery fails with
 * LimitExceededException when the account's concurrent queries are used up; queries are billed by
 * bytes scanned, which the statistics report and the look-up records. A query that scans more
 * than the cap, or is still running at the deadline, is stopped (StopQuery) and answers "unknown".
 */
export const INSIGHTS_MAX_ROWS = 10_000;
/** Polls start a second apart and back off to 4 s: GetQueryResults has a low per-account rate quota. */
export const INSIGHTS_POLL_MS = 1_000;
export const INSIGHTS_MAX_POLL_MS = 4_000;

/** The query: completed, accepted, authenticated requests, by address (the last of sourceIPs), user and agent. */
export const INSIGHTS_QUERY = [
  `filter @logStream like /^${AUDIT_LOG_STREAM_PREFIX}/`,
  `filter stage = "${COUNTED_STAGE}"`,
  `filter user.username != "${ANONYMOUS_USER}"`,
  `filter ${REFUSED_CODES.map((code) => `responseStatus.code != ${code}`).join(' and ')}`,
  // The last element of the array: greedy [^\]]* runs to the array's end and backs off one element.
  `parse @message /"sourceIPs":\\[[^\\]]*"(?<client>[^"]+)"\\]/`,
  'filter ispresent(client)',
  'stats count(*) as requests, max(@timestamp) as lastSeen by client, user.username, userAgent',
  'sort lastSeen desc',
  `limit ${INSIGHTS_MAX_ROWS}`,
].join('\n| ');

export function insightsClients(
  source: ClientSource<CloudWatchLogsClient>,
  options: ClientsLookupOptions,
): ClientsPort {
  const clock = options.clock ?? (() => new Date());
  const sleep = options.sleep ?? realSleep;
  return {
    async recentClients(target: ClientsTarget): Promise<ClientsLookup> {
      const started = clock();
      const window = windowOf(started, options, 'insights');
      const off = loggingOff(target, window);
      if (off) return off;
      const client = resolveClient(source);
      const logs = sdk.logs();
      const logGroup = auditLogGroupOf(target.name);
      let queryId: string | undefined;
      try {
        ({ queryId } = await client.send(
          new logs.StartQueryCommand({
            logGroupName: logGroup,
            startTime: Math.floor(Date.parse(window.since) / 1000),
            endTime: Math.ceil(Date.parse(window.until) / 1000),
            queryString: INSIGHTS_QUERY,
            limit: INSIGHTS_MAX_ROWS,
          }),
        ));
      } catch (error) {
        return unknownOfError(window, error, logGroup);
      }
      if (!queryId) return unknown(window, 'error', 'Logs Insights returned no query id');

      const deadline = started.getTime() + options.deadlineMs;
      let last: GetQueryResultsCommandOutput | undefined;
      for (let polls = 0; ; polls++) {
        try {
          last = await client.send(new logs.GetQueryResultsCommand({ queryId }));
        } catch (error) {
          await stop(client, queryId);
          return unknownOfError(window, error, logGroup);
        }
        const bytes = last.statistics?.bytesScanned;
        const status = last.status ?? 'Unknown';
        if (status === 'Complete') return answer(window, last);
        if (status !== 'Scheduled' && status !== 'Running') {
          return unknown(
            window,
            'query-ended',
            ENDED[status] ?? `Logs Insights reported the query ${status}`,
            bytes,
          );
        }
        if (bytes !== undefined && bytes > options.maxScanBytes) {
          await stop(client, queryId);
          return unknown(
            window,
            'scan-cap',
            `the query was stopped after scanning ${megabytes(bytes)}, over the cap of ${megabytes(options.maxScanBytes)} a decision may scan`,
            bytes,
          );
        }
        const wait = Math.min(INSIGHTS_MAX_POLL_MS, INSIGHTS_POLL_MS * 2 ** Math.floor(polls / 2));
        if (clock().getTime() + wait > deadline) {
          await stop(client, queryId);
          return unknown(
            window,
            'deadline',
            `the query was still ${status} after ${Math.round(options.deadlineMs / 1000)} s, the deadline of a look-up`,
            bytes,
          );
        }
        await sleep(wait);
      }
    },
  };
}

const ENDED: Record<string, string> = {
  Failed: 'the Logs Insights query failed',
  Cancelled: 'the Logs Insights query was cancelled',
  Timeout: 'the Logs Insights query timed out',
  Unknown: 'Logs Insights reported the query status Unknown',
};

/** Stops a query that is no longer wanted, so that it scans (and bills) no more; a failure to stop changes no answer. */
async function stop(client: CloudWatchLogsClient, queryId: string): Promise<void> {
  try {
    await client.send(new (sdk.logs().StopQueryCommand)({ queryId }));
  } catch {
    // It may have finished meanwhile; either way the look-up has answered.
  }
}

function answer(window: LookupWindow, output: GetQueryResultsCommandOutput): ClientsLookup {
  const rows = output.results ?? [];
  const hits: ClientHit[] = [];
  let malformed = 0;
  for (const row of rows) {
    const hit = hitOfRow(row);
    if (hit) hits.push(hit);
    else malformed += 1;
  }
  // Rows that say nothing readable (an emulator returns only @ptr) cannot stand for "nobody".
  if (hits.length === 0 && malformed > 0) {
    return unknown(
      window,
      'error',
      `Logs Insights returned ${malformed} row${malformed === 1 ? '' : 's'} and none could be read`,
      output.statistics?.bytesScanned,
    );
  }
  const clients = clientsOf(hits);
  const limits: string[] = [];
  if (rows.length >= INSIGHTS_MAX_ROWS || output.nextToken) {
    limits.push(
      `more than ${INSIGHTS_MAX_ROWS.toLocaleString('en-US')} address, user and agent rows: the most recent were read`,
    );
  }
  if (malformed > 0) limits.push(`${malformed} unreadable row${malformed === 1 ? '' : 's'} left out`);
  const bytes = output.statistics?.bytesScanned;
  const newest = newestOf(clients);
  return {
    ...window,
    known: true,
    clients,
    ...(newest ? { newestEvent: newest } : {}),
    ...(limits.length > 0 ? { partial: limits.join('; ') } : {}),
    ...(bytes !== undefined ? { bytesScanned: bytes } : {}),
  };
}

/** One stats row, or undefined when it lacks an address, a count or a time. */
function hitOfRow(row: { field?: string; value?: string }[]): ClientHit | undefined {
  const value = (name: string) => row.find((f) => f.field === name)?.value;
  const ip = value('client');
  const requests = Number(value('requests'));
  const lastSeen = insightsTime(value('lastSeen'));
  if (!ip || !Number.isInteger(requests) || requests <= 0 || lastSeen === undefined) return undefined;
  const user = value('user.username');
  const userAgent = value('userAgent');
  return { ip, requests, lastSeen, ...(user ? { user } : {}), ...(userAgent ? { userAgent } : {}) };
}

/** Insights writes times as `2026-03-01 10:42:13.123` (UTC); epoch milliseconds and ISO are read too. */
export function insightsTime(text: string | undefined): number | undefined {
  if (!text) return undefined;
  if (/^\d{10,13}$/.test(text)) return Number(text.length === 10 ? `${text}000` : text);
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(text)
    ? `${text.replace(' ', 'T')}Z`
    : text;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? undefined : time;
}
