import 'aws-sdk-client-mock-jest';
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { SCAN_FILTER_PATTERN, scanClients } from '../../../functions/aws/clients-scan';
import type { ClientsLookup } from '../../../functions/core/clients/types';
import { auditEvent } from '../core/clients/audit-events';

const logs = mockClient(CloudWatchLogsClient);
const NOW = Date.parse('2026-06-03T10:20:00Z');
let now = NOW;

function scan(
  options: { maxScanBytes?: number; maxEvents?: number; deadlineMs?: number; auditLogging?: boolean } = {},
) {
  const port = scanClients(new CloudWatchLogsClient({ region: 'us-east-1' }), {
    windowHours: 24,
    maxScanBytes: options.maxScanBytes ?? 1_073_741_824,
    deadlineMs: options.deadlineMs ?? 20_000,
    clock: () => new Date(now),
    ...(options.maxEvents !== undefined ? { maxEvents: options.maxEvents } : {}),
  });
  return port.recentClients({
    name: 'analytics',
    ...(options.auditLogging !== undefined ? { auditLogging: options.auditLogging } : {}),
  });
}

const event = (
  sourceIPs: string[],
  minutesAgo: number,
  spec: Parameters<typeof auditEvent>[0] | object = {},
) => ({
  logStreamName: 'kube-apiserver-audit-0a1b2c',
  timestamp: NOW - minutesAgo * 60_000,
  message: auditEvent({ sourceIPs, ...spec }),
});

const known = (lookup: ClientsLookup) => lookup as Extract<ClientsLookup, { known: true }>;

beforeEach(() => {
  logs.reset();
  now = NOW;
});

describe('scanClients', () => {
  it('reads every page of the audit streams in the window and counts the requests itself', async () => {
    // Prepare
    logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({
        events: [
          event(['192.0.2.10'], 30, { username: 'argocd' }),
          event(['192.0.2.10'], 5, { username: 'argocd' }),
        ],
        nextToken: 'page-2',
      })
      .resolvesOnce({
        events: [
          event(['203.0.113.1', '192.0.2.200'], 10, { username: 'ci' }),
          event(['192.0.2.77'], 1, { code: 403 }),
        ],
      });

    // Act
    const lookup = known(await scan());

    // Assess
    expect(logs).toHaveReceivedCommandWith(FilterLogEventsCommand, {
      logGroupName: '/aws/eks/analytics/cluster',
      logStreamNamePrefix: 'kube-apiserver-audit',
      startTime: NOW - 24 * 3_600_000,
      endTime: NOW,
      filterPattern: SCAN_FILTER_PATTERN,
    });
    expect(logs).toHaveReceivedNthCommandWith(2, FilterLogEventsCommand, { nextToken: 'page-2' });
    expect(lookup.clients.map((c) => [c.ip, c.requests, c.users])).toEqual([
      ['192.0.2.10', 2, ['argocd']],
      ['192.0.2.200', 1, ['ci']],
    ]);
    expect(lookup).toMatchObject({
      known: true,
      strategy: 'scan',
      newestEvent: new Date(NOW - 5 * 60_000).toISOString(),
    });
    expect(lookup.partial).toBeUndefined();
    expect(lookup.bytesScanned).toBeGreaterThan(0);
  });

  it('stops at the byte cap with what it found, marked partial', async () => {
    // Prepare
    logs.on(FilterLogEventsCommand).resolves({ events: [event(['192.0.2.10'], 5)], nextToken: 'more' });

    // Act
    const lookup = await scan({ maxScanBytes: 100 });

    // Assess
    expect(logs).toHaveReceivedCommandTimes(FilterLogEventsCommand, 1);
    expect(lookup).toMatchObject({
      known: true,
      partial: expect.stringMatching(/^the scan stopped at its cap after .* MB; later events were not read$/),
    });
  });

  it('stops at the event cap', async () => {
    // Prepare
    logs
      .on(FilterLogEventsCommand)
      .resolves({ events: [event(['192.0.2.10'], 5), event(['192.0.2.11'], 4)], nextToken: 'more' });

    // Act
    const lookup = await scan({ maxEvents: 3 });

    // Assess
    expect(logs).toHaveReceivedCommandTimes(FilterLogEventsCommand, 2);
    expect(lookup).toMatchObject({
      partial: 'the scan stopped at its cap after 4 events; later events were not read',
    });
  });

  it('stops at the deadline; having found nobody it answers "unknown", never "nobody"', async () => {
    // Prepare: each page takes 15 s
    logs.on(FilterLogEventsCommand).callsFake(async () => {
      now += 15_000;
      return { events: [], nextToken: 'more' };
    });

    // Act
    const lookup = await scan({ deadlineMs: 20_000 });

    // Assess
    expect(logs).toHaveReceivedCommandTimes(FilterLogEventsCommand, 2);
    expect(lookup).toMatchObject({
      known: false,
      cause: 'deadline',
      why: 'the scan stopped at the deadline of 20 s, before it found any client',
    });
  });

  it('a missing log group is "unknown"', async () => {
    // Prepare
    logs
      .on(FilterLogEventsCommand)
      .rejects(new ResourceNotFoundException({ message: 'no group', $metadata: {} }));

    // Act
    const lookup = await scan();

    // Assess
    expect(lookup).toMatchObject({ known: false, cause: 'no-log-group' });
  });

  it('audit logging off: "unknown" without reading', async () => {
    // Act
    const lookup = await scan({ auditLogging: false });

    // Assess
    expect(lookup).toMatchObject({ known: false, cause: 'logging-off' });
    expect(logs).not.toHaveReceivedCommand(FilterLogEventsCommand);
  });
});
