import 'aws-sdk-client-mock-jest';
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  LimitExceededException,
  StartQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { cachedClients } from '../../../functions/aws/clients-cache';
import { insightsClients } from '../../../functions/aws/clients-insights';

const logs = mockClient(CloudWatchLogsClient);
let now = Date.parse('2026-06-03T10:20:00Z');

/** The Insights adapter, faked at the SDK boundary, behind the cache. */
function port(ttlMs: number, maxEntries?: number) {
  const insights = insightsClients(new CloudWatchLogsClient({ region: 'us-east-1' }), {
    windowHours: 24,
    maxScanBytes: 1_073_741_824,
    deadlineMs: 20_000,
    clock: () => new Date(now),
    sleep: async () => {},
  });
  return cachedClients(insights, ttlMs, () => now, maxEntries);
}

beforeEach(() => {
  logs.reset();
  now = Date.parse('2026-06-03T10:20:00Z');
  logs.on(StartQueryCommand).resolves({ queryId: 'q-1' });
  logs.on(GetQueryResultsCommand).resolves({
    status: 'Complete',
    results: [
      [
        { field: 'client', value: '198.51.100.23' },
        { field: 'requests', value: '3' },
        { field: 'lastSeen', value: '2026-06-03 10:00:00.000' },
      ],
    ],
  });
});

describe('cachedClients', () => {
  it('reads a cluster’s log once within the time to keep, also for look-ups at the same moment', async () => {
    // Prepare
    const clients = port(60 * 60_000);

    // Act
    const [a, b] = await Promise.all([
      clients.recentClients({ name: 'prod-api' }),
      clients.recentClients({ name: 'prod-api' }),
    ]);
    now += 30 * 60_000;
    const c = await clients.recentClients({ name: 'prod-api' });

    // Assess
    expect(logs).toHaveReceivedCommandTimes(StartQueryCommand, 1);
    expect(a.reused).toBeUndefined();
    // What the one query scanned is paid once: the other answers say they are reused.
    expect(b).toEqual({ ...a, reused: true });
    expect(c).toEqual({ ...a, reused: true });
  });

  it('reads again once the answer is older than the time to keep, and for another cluster', async () => {
    // Prepare
    const clients = port(60 * 60_000);
    await clients.recentClients({ name: 'prod-api' });

    // Act
    await clients.recentClients({ name: 'payments' });
    now += 61 * 60_000;
    await clients.recentClients({ name: 'prod-api' });

    // Assess
    expect(logs).toHaveReceivedCommandTimes(StartQueryCommand, 3);
  });

  it('keeps no "unknown": the next decision asks again', async () => {
    // Prepare
    logs
      .on(StartQueryCommand)
      .rejectsOnce(new LimitExceededException({ message: 'busy', $metadata: {} }))
      .resolves({ queryId: 'q-2' });
    const clients = port(60 * 60_000);

    // Act
    const first = await clients.recentClients({ name: 'prod-api' });
    const second = await clients.recentClients({ name: 'prod-api' });

    // Assess
    expect([first.known, second.known]).toEqual([false, true]);
  });

  it('says at once when logging was switched off since an answer was kept', async () => {
    // Prepare
    const clients = port(60 * 60_000);
    await clients.recentClients({ name: 'prod-api' });

    // Act
    const lookup = await clients.recentClients({ name: 'prod-api', auditLogging: false });

    // Assess
    expect(lookup).toMatchObject({ known: false, cause: 'logging-off' });
  });

  it('holds a bounded number of clusters, forgetting the oldest', async () => {
    // Prepare
    const clients = port(60 * 60_000, 2);

    // Act
    for (const name of ['a', 'b', 'c', 'a']) await clients.recentClients({ name });

    // Assess: a was forgotten when c came
    expect(logs).toHaveReceivedCommandTimes(StartQueryCommand, 4);
  });

  it('with no time to keep, every decision reads the log', async () => {
    // Prepare
    const clients = port(0);

    // Act
    await clients.recentClients({ name: 'prod-api' });
    await clients.recentClients({ name: 'prod-api' });

    // Assess
    expect(logs).toHaveReceivedCommandTimes(StartQueryCommand, 2);
  });
});
