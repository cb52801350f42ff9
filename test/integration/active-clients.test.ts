import { randomUUID } from 'node:crypto';
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { createCluster } from '../../functions/cli/sandbox';
import type { ActiveClient } from '../../functions/core/clients/types';
import type { CheckResult } from '../../functions/core/result';
import { checkCluster } from '../../functions/guard/check';
import { auditEvent } from '../unit/core/clients/audit-events';
import { ACCOUNT, auditRecords, createWorld, REGION, runCli, type World } from './support';

jest.setTimeout(60_000);

/**
 * The scan strategy against the emulator (its Logs Insights returns no aggregation, its
 * FilterLogEvents does work): audit events seeded into a cluster's audit log group as EKS writes
 * them, read back by the guard before a change, and by `check --clients`.
 */
const POLICY = {
  version: 1,
  publicAccess: 'restricted',
  allowedPublicCidrs: ['203.0.113.0/24'],
  privateAccess: 'optional',
};

let world: World;
let analytics: string;
let dark: string;
const started = Date.now();
const ago = (minutes: number) => started - minutes * 60_000;

beforeAll(async () => {
  world = await createWorld('clients', POLICY);
  Object.assign(world.processEnv, { CLIENTS_STRATEGY: 'scan' });
  process.env.CLIENTS_STRATEGY = 'scan';
  analytics = world.name('analytics');
  dark = world.name('dark');
  await Promise.all([
    createCluster(world.clients.eks, {
      name: analytics,
      vpc: world.vpcs.withDns,
      endpoint: {
        publicAccess: true,
        privateAccess: false,
        publicAccessCidrs: ['203.0.113.0/24', '192.0.2.0/24'],
      },
      auditLogging: true,
    }),
    createCluster(world.clients.eks, {
      name: dark,
      vpc: world.vpcs.withDns,
      endpoint: {
        publicAccess: true,
        privateAccess: false,
        publicAccessCidrs: ['203.0.113.0/24', '192.0.2.0/24'],
      },
    }),
  ]);
  const logGroupName = `/aws/eks/${analytics}/cluster`;
  const audit = `kube-apiserver-audit-${randomUUID().replace(/-/g, '')}`;
  const apiserver = `kube-apiserver-${randomUUID().replace(/-/g, '')}`;
  await world.clients.logs.send(new CreateLogGroupCommand({ logGroupName }));
  await world.clients.logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: audit }));
  await world.clients.logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName: apiserver }));
  const events: { m: number; ips: string[]; user: string; code?: number; stage?: string }[] = [
    ...[30, 20, 5].map((m) => ({
      m,
      ips: ['192.0.2.10'],
      user: 'system:serviceaccount:argocd:argocd-application-controller',
    })),
    ...[50, 45].map((m) => ({ m, ips: ['203.0.113.25'], user: 'maria' })),
    // X-Forwarded-For claims an allowed address; the connection came from 192.0.2.200.
    { m: 15, ips: ['203.0.113.99', '192.0.2.200'], user: 'ci-deployer' },
    // Refused, anonymous, the same request's first stage, and one older than the window: none count.
    { m: 12, ips: ['192.0.2.77'], user: 'visitor', code: 403 },
    { m: 11, ips: ['192.0.2.88'], user: 'system:anonymous' },
    { m: 10, ips: ['192.0.2.99'], user: 'early', stage: 'RequestReceived' },
    { m: 26 * 60, ips: ['192.0.2.66'], user: 'long-gone' },
  ];
  await world.clients.logs.send(
    new PutLogEventsCommand({
      logGroupName,
      logStreamName: audit,
      logEvents: events
        .map((e) => ({
          timestamp: ago(e.m),
          message: auditEvent({
            sourceIPs: e.ips,
            username: e.user,
            userAgent: 'kubectl/v1.33.1',
            ...(e.code ? { code: e.code } : {}),
            ...(e.stage ? { stage: e.stage } : {}),
          }),
        }))
        .sort((a, b) => a.timestamp - b.timestamp),
    }),
  );
  // The API server's own log lines live in the same group, in streams the audit prefix leaves out.
  await world.clients.logs.send(
    new PutLogEventsCommand({
      logGroupName,
      logStreamName: apiserver,
      logEvents: [
        {
          timestamp: ago(3),
          message: 'I0603 10:17:03.123456 1 controller.go:615] quota admission added evaluator',
        },
      ],
    }),
  );
});

const ips = (clients: ActiveClient[] | 'unknown' | undefined) =>
  Array.isArray(clients) ? clients.map((c) => `${c.ip} ${c.requests}`) : clients;

describe('the scan strategy against the emulator', () => {
  test('reads the seeded audit log: the connection address, completed and accepted requests only, in the window', async () => {
    // Prepare
    const { ports } = world.guard();

    // Act
    const lookup = await ports.clients?.recentClients({ name: analytics, auditLogging: true });

    // Assess
    expect(lookup).toMatchObject({ known: true, strategy: 'scan' });
    expect(ips(lookup?.known ? lookup.clients : undefined)).toEqual([
      '192.0.2.10 3',
      '203.0.113.25 2',
      '192.0.2.200 1',
    ]);
  });

  test('a change names the clients it cuts off in its record and its alert', async () => {
    // Prepare
    const { ports, options } = world.guard();
    await world.inbox.drain();

    // Act
    const result: CheckResult = await checkCluster(
      {
        cluster: analytics,
        region: REGION,
        account: ACCOUNT,
        correlationId: `clients-${randomUUID()}`,
        attempt: 0,
        trigger: { source: 'cli' },
      },
      ports,
      options.guard,
    );

    // Assess
    expect(result.outcome).toBe('remediated');
    expect(result.after?.publicAccessCidrs).toEqual(['203.0.113.0/24']);
    expect(ips(result.clientsCutOff?.clients)).toEqual(['192.0.2.10 3', '192.0.2.200 1']);
    expect(result.clientsCutOff?.seen).toBe(3);
    const [record] = await auditRecords(world, analytics);
    expect(ips(record?.clientsCutOff?.clients)).toEqual(['192.0.2.10 3', '192.0.2.200 1']);
    const [alert] = await world.inbox.drain();
    expect(alert?.text).toContain('- 192.0.2.10: 3 requests');
    expect(alert?.text).toContain('- 192.0.2.200: 1 request,');
  });

  test('a cluster whose audit log is off: "unknown", never "nobody"', async () => {
    // Prepare
    const { ports } = world.guard();

    // Act
    const lookup = await ports.clients?.recentClients({ name: dark, auditLogging: false });
    const missing = await ports.clients?.recentClients({ name: dark });

    // Assess
    expect(lookup).toMatchObject({ known: false, cause: 'logging-off' });
    expect(missing).toMatchObject({ known: false, cause: 'no-log-group' });
  });

  test('check --clients lists each cluster’s recent clients through the CLI', async () => {
    // Act
    const run = await runCli(
      ['check', '--clients', '--json', '--cluster', analytics, dark],
      world.processEnv,
    );

    // Assess
    expect(run.code).toBe(0);
    const listed = JSON.parse(run.stdout) as {
      cluster: string;
      known: boolean;
      clients?: { ip: string; reachesVia: string }[];
      cause?: string;
    }[];
    expect(listed.map((l) => [l.cluster, l.known, l.cause])).toEqual([
      [analytics, true, undefined],
      [dark, false, 'logging-off'],
    ]);
    // After the change above only 203.0.113.0/24 is open: the others no longer reach the endpoint.
    expect(listed[0]?.clients?.map((c) => [c.ip, c.reachesVia])).toEqual([
      ['192.0.2.10', 'none'],
      ['203.0.113.25', 'public'],
      ['192.0.2.200', 'none'],
    ]);
  });
});
