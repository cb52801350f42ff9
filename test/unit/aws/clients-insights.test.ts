import 'aws-sdk-client-mock-jest';
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand,
  type GetQueryResultsCommandOutput,
  LimitExceededException,
  ResourceNotFoundException,
  ServiceUnavailableException,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import {
  INSIGHTS_MAX_ROWS,
  INSIGHTS_QUERY,
  insightsClients,
  insightsTime,
} from '../../../functions/aws/clients-insights';
import type { ClientsLookup } from '../../../functions/core/clients/types';
import { auditEvent } from '../core/clients/audit-events';

const logs = mockClient(CloudWatchLogsClient);
const NOW = new Date('2026-06-03T10:20:00Z');

/** A look-up under a fake clock: each wait moves the clock on instead of waiting. */
function lookUp(options: { deadlineMs?: number; maxScanBytes?: number; auditLogging?: boolean } = {}) {
  let now = NOW.getTime();
  const waits: number[] = [];
  const port = insightsClients(new CloudWatchLogsClient({ region: 'us-east-1' }), {
    windowHours: 24,
    maxScanBytes: options.maxScanBytes ?? 1024 * 1_048_576,
    deadlineMs: options.deadlineMs ?? 20_000,
    clock: () => new Date(now),
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  });
  const target = {
    name: 'prod-api',
    ...(options.auditLogging !== undefined ? { auditLogging: options.auditLogging } : {}),
  };
  return { answer: port.recentClients(target), waits };
}

/** GetQueryResults as the API reference shows it: rows of field/value pairs, statistics, a status. */
function results(
  status: GetQueryResultsCommandOutput['status'],
  rows: Record<string, string>[] = [],
  bytesScanned = 2_097_152,
): Partial<GetQueryResultsCommandOutput> {
  return {
    status,
    results: rows.map((row) => Object.entries(row).map(([field, value]) => ({ field, value }))),
    statistics: { recordsMatched: rows.length, recordsScanned: 52_113, bytesScanned },
  };
}

const ARGO = {
  client: '198.51.100.23',
  'user.username': 'system:serviceaccount:argocd:argocd-application-controller',
  userAgent: 'argocd-application-controller/v2.13.1',
  requests: '1284',
  lastSeen: '2026-06-03 10:12:40.000',
};
const MARIA = {
  client: '203.0.113.40',
  'user.username': 'arn:aws:sts::111122223333:assumed-role/Developer/maria',
  userAgent: 'kubectl/v1.33.1 (darwin/arm64) kubernetes/8adc0f0',
  requests: '17',
  lastSeen: '2026-06-03 09:58:02.000',
};

beforeEach(() => {
  logs.reset();
  logs.on(StartQueryCommand).resolves({ queryId: 'q-1' });
  logs.on(StopQueryCommand).resolves({ success: true });
});

describe('insightsClients', () => {
  it('starts one query over the window and polls Scheduled, Running (partial rows not taken), Complete', async () => {
    // Prepare: the partial rows of Running name a client the complete answer does not have
    logs
      .on(GetQueryResultsCommand)
      .resolvesOnce(results('Scheduled'))
      .resolvesOnce(results('Running', [{ ...MARIA, client: '192.0.2.99' }], 1_048_576))
      .resolvesOnce(results('Complete', [ARGO, MARIA]));

    // Act
    const { answer, waits } = lookUp();
    const lookup = await answer;

    // Assess
    expect(logs).toHaveReceivedCommandWith(StartQueryCommand, {
      logGroupName: '/aws/eks/prod-api/cluster',
      startTime: Date.parse('2026-06-02T10:20:00Z') / 1000,
      endTime: Date.parse('2026-06-03T10:20:00Z') / 1000,
      queryString: INSIGHTS_QUERY,
      limit: INSIGHTS_MAX_ROWS,
    });
    expect(logs).toHaveReceivedCommandTimes(GetQueryResultsCommand, 3);
    expect(waits).toEqual([1000, 1000]);
    expect(lookup).toEqual({
      since: '2026-06-02T10:20:00.000Z',
      until: '2026-06-03T10:20:00.000Z',
      strategy: 'insights',
      known: true,
      clients: [
        {
          ip: '198.51.100.23',
          users: ['system:serviceaccount:argocd:argocd-application-controller'],
          userAgents: ['argocd-application-controller/v2.13.1'],
          requests: 1284,
          lastSeen: '2026-06-03T10:12:40.000Z',
        },
        {
          ip: '203.0.113.40',
          users: ['arn:aws:sts::111122223333:assumed-role/Developer/maria'],
          userAgents: ['kubectl/v1.33.1 (darwin/arm64) kubernetes/8adc0f0'],
          requests: 17,
          lastSeen: '2026-06-03T09:58:02.000Z',
        },
      ],
      newestEvent: '2026-06-03T10:12:40.000Z',
      bytesScanned: 2_097_152,
    });
    expect(logs).not.toHaveReceivedCommand(StopQueryCommand);
  });

  it('a complete query without rows: nobody was seen, and that is known', async () => {
    // Prepare
    logs.on(GetQueryResultsCommand).resolves(results('Complete', []));

    // Act
    const lookup = await lookUp().answer;

    // Assess
    expect(lookup).toMatchObject({ known: true, clients: [], bytesScanned: 2_097_152 });
  });

  it.each([
    ['Failed', 'the Logs Insights query failed'],
    ['Cancelled', 'the Logs Insights query was cancelled'],
    ['Timeout', 'the Logs Insights query timed out'],
    ['Unknown', 'Logs Insights reported the query status Unknown'],
  ] as const)(
    'a query that ends %s answers "unknown", with why and the bytes it scanned',
    async (status, why) => {
      // Prepare
      logs
        .on(GetQueryResultsCommand)
        .resolvesOnce(results('Running'))
        .resolves(results(status, [], 3_000));

      // Act
      const lookup = await lookUp().answer;

      // Assess
      expect(lookup).toMatchObject({ known: false, cause: 'query-ended', why, bytesScanned: 3_000 });
    },
  );

  it('leaves out malformed rows and says the list is partial', async () => {
    // Prepare
    logs
      .on(GetQueryResultsCommand)
      .resolves(
        results('Complete', [
          ARGO,
          { client: '203.0.113.40', requests: 'many', lastSeen: '2026-06-03 09:58:02.000' },
          { requests: '5', lastSeen: '2026-06-03 09:58:02.000' },
          { client: 'not-an-address', requests: '5', lastSeen: '2026-06-03 09:58:02.000' },
          { client: '203.0.113.41', requests: '5', lastSeen: 'yesterday' },
        ]),
      );

    // Act
    const lookup = await lookUp().answer;

    // Assess: the address that is no IP is read as a row but kept by no client
    expect(lookup).toMatchObject({ known: true, partial: '3 unreadable rows left out' });
    expect((lookup as Extract<ClientsLookup, { known: true }>).clients.map((c) => c.ip)).toEqual([
      '198.51.100.23',
    ]);
  });

  it('rows of which none can be read (an emulator returns only @ptr) are "unknown", never "nobody"', async () => {
    // Prepare
    logs
      .on(GetQueryResultsCommand)
      .resolves(results('Complete', [{ '@ptr': 'CmAKJgoi' }, { '@ptr': 'CmAKJgoj' }]));

    // Act
    const lookup = await lookUp().answer;

    // Assess
    expect(lookup).toMatchObject({
      known: false,
      cause: 'error',
      why: 'Logs Insights returned 2 rows and none could be read',
    });
  });

  it('a full page of rows: the list is marked partial (Insights returns at most 10,000)', async () => {
    // Prepare
    const rows = Array.from({ length: INSIGHTS_MAX_ROWS }, (_, i) => ({
      client: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      requests: '1',
      lastSeen: '2026-06-03 10:00:00.000',
    }));
    logs.on(GetQueryResultsCommand).resolves(results('Complete', rows));

    // Act
    const lookup = await lookUp().answer;

    // Assess
    expect(lookup).toMatchObject({ known: true, partial: expect.stringContaining('more than 10,000') });
  });

  it('stops a query still running at the deadline and answers "unknown"; partial rows are no answer', async () => {
    // Prepare
    logs.on(GetQueryResultsCommand).resolves(results('Running', [ARGO], 9_000));

    // Act
    const { answer, waits } = lookUp({ deadlineMs: 10_000 });
    const lookup = await answer;

    // Assess: polls back off (1, 1, 2, 2, 4 s reach the deadline; another 4 s would pass it)
    expect(waits).toEqual([1000, 1000, 2000, 2000, 4000]);
    expect(lookup).toMatchObject({ known: false, cause: 'deadline', bytesScanned: 9_000 });
    expect(logs).toHaveReceivedCommandWith(StopQueryCommand, { queryId: 'q-1' });
  });

  it('stops a query that scans more than one decision may, and records what it scanned', async () => {
    // Prepare
    logs.on(GetQueryResultsCommand).resolves(results('Running', [], 3 * 1_048_576));

    // Act
    const lookup = await lookUp({ maxScanBytes: 2 * 1_048_576 }).answer;

    // Assess
    expect(lookup).toMatchObject({
      known: false,
      cause: 'scan-cap',
      why: 'the query was stopped after scanning 3.0 MB, over the cap of 2.0 MB a decision may scan',
      bytesScanned: 3 * 1_048_576,
    });
    expect(logs).toHaveReceivedCommandTimes(StopQueryCommand, 1);
  });

  it('the account’s concurrent queries used up (LimitExceededException): "unknown", the next check tries again', async () => {
    // Prepare
    logs.on(StartQueryCommand).rejects(new LimitExceededException({ message: 'too many', $metadata: {} }));

    // Act
    const lookup = await lookUp().answer;

    // Assess
    expect(lookup).toMatchObject({ known: false, cause: 'concurrency' });
    expect(logs).not.toHaveReceivedCommand(GetQueryResultsCommand);
  });

  it('no log group: "unknown" naming it', async () => {
    // Prepare
    logs.on(StartQueryCommand).rejects(new ResourceNotFoundException({ message: 'nope', $metadata: {} }));

    // Act
    const lookup = await lookUp().answer;

    // Assess
    expect(lookup).toMatchObject({
      known: false,
      cause: 'no-log-group',
      why: expect.stringContaining('/aws/eks/prod-api/cluster does not exist'),
    });
  });

  it('a failing GetQueryResults: "unknown" with the error, and the query stopped', async () => {
    // Prepare
    logs
      .on(GetQueryResultsCommand)
      .rejects(new ServiceUnavailableException({ message: 'try later', $metadata: {} }));

    // Act
    const lookup = await lookUp().answer;

    // Assess
    expect(lookup).toMatchObject({
      known: false,
      cause: 'error',
      why: expect.stringContaining('ServiceUnavailableException: try later'),
    });
    expect(logs).toHaveReceivedCommand(StopQueryCommand);
  });

  it('audit logging off: "unknown" at once, without reading any log', async () => {
    // Act
    const lookup = await lookUp({ auditLogging: false }).answer;

    // Assess
    expect(lookup).toMatchObject({ known: false, cause: 'logging-off' });
    expect(logs).not.toHaveReceivedCommand(StartQueryCommand);
  });
});

describe('the query', () => {
  /** The parse command's pattern, read as a JavaScript regular expression (the same syntax here). */
  const parse = new RegExp(/parse @message \/(.*)\/\n/.exec(`${INSIGHTS_QUERY}\n`)?.[1] ?? 'missing');

  it.each([
    [['198.51.100.23'], '198.51.100.23'],
    [['203.0.113.1', '203.0.113.2', '198.51.100.23'], '198.51.100.23'],
    [['2001:db8::1', '2001:db8::7'], '2001:db8::7'],
  ])('takes the last of sourceIPs %j from a real-shaped event', (sourceIPs, expected) => {
    // Act
    const match = parse.exec(auditEvent({ sourceIPs }));

    // Assess
    expect(match?.groups?.client).toBe(expected);
  });

  it('counts completed, accepted, authenticated requests by address, user and agent, newest first', () => {
    // Assess
    expect(INSIGHTS_QUERY).toContain('filter stage = "ResponseComplete"');
    expect(INSIGHTS_QUERY).toContain('filter user.username != "system:anonymous"');
    expect(INSIGHTS_QUERY).toContain('responseStatus.code != 401 and responseStatus.code != 403');
    expect(INSIGHTS_QUERY).toContain('by client, user.username, userAgent');
    expect(INSIGHTS_QUERY).toContain('| sort lastSeen desc');
  });

  it.each([
    ['2026-06-03 10:12:40.000', '2026-06-03T10:12:40.000Z'],
    ['2026-06-03 10:12:40', '2026-06-03T10:12:40.000Z'],
    ['1780481560000', '2026-06-03T10:12:40.000Z'],
    ['1780481560', '2026-06-03T10:12:40.000Z'],
    ['2026-06-03T10:12:40Z', '2026-06-03T10:12:40.000Z'],
  ])('reads the time %s', (text, iso) => {
    // Assess
    expect(new Date(insightsTime(text) as number).toISOString()).toBe(iso);
  });

  it.each([undefined, '', 'yesterday'])('reads no time from %j', (text) => {
    // Assess
    expect(insightsTime(text)).toBeUndefined();
  });
});
