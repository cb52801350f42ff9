import 'aws-sdk-client-mock-jest';
import { DescribeClusterCommand, ListClustersCommand, ResourceNotFoundException } from '@aws-sdk/client-eks';
import { givenAuditClients, givenCluster, mocks, REGION, resetAws } from '../support/aws';
import { runInProcess, withEnv } from './in-process';

/** `check --clients` in this process, AWS faked at the SDK boundary. */
const ENV = { AWS_REGION: REGION, POLICY_PARAMETER_NAME: '/eks-endpoint-guard/policy', TOPIC_ARN: undefined };
const run = (args: string[], env: Record<string, string | undefined> = {}) =>
  withEnv({ ...ENV, ...env }, () => runInProcess(['check', '--clients', ...args]));

beforeEach(() => {
  resetAws();
  givenCluster({
    name: 'prod-api',
    publicAccess: true,
    privateAccess: true,
    cidrs: ['203.0.113.0/24'],
    auditLogging: true,
  });
  givenCluster({ name: 'payments', publicAccess: false, privateAccess: true });
  mocks.eks.on(ListClustersCommand).resolves({ clusters: ['prod-api', 'payments', 'gone'] });
  mocks.eks
    .on(DescribeClusterCommand, { name: 'gone' })
    .rejects(new ResourceNotFoundException({ message: 'No cluster found for name: gone.', $metadata: {} }));
  givenAuditClients([
    {
      client: '203.0.113.40',
      user: 'maria',
      agent: 'kubectl/v1.33.1',
      requests: 17,
      lastSeen: '2026-06-03 09:58:02.000',
    },
    {
      client: '10.0.3.7',
      user: 'system:node:ip-10-0-3-7',
      agent: 'kubelet/v1.33.1',
      requests: 900,
      lastSeen: '2026-06-03 10:15:00.000',
    },
    { client: '198.51.100.23', user: 'ci', requests: 3, lastSeen: '2026-06-03 08:00:00.000' },
  ]);
});

describe('check --clients', () => {
  it('lists every cluster’s recent clients with how each reaches the API server today, and decides nothing', async () => {
    // Act
    const result = await run([]);

    // Assess
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^CLUSTER\s+CLIENT\s+REACHES VIA\s+REQUESTS\s+LAST SEEN \(UTC\)\s+USERS\s+USER AGENTS$/,
    );
    // Clusters in name order; each cluster's clients busiest first.
    expect(lines.slice(1, 6).map((l) => l.split(/\s{2,}/))).toEqual([
      ['gone', 'not found', '-', '-', '-', '-', '-'],
      [
        'payments',
        'unknown',
        '-',
        '-',
        '-',
        '-',
        `the cluster's control-plane audit log is off (EKS logging type "audit")`,
      ],
      [
        'prod-api',
        '10.0.3.7',
        'private',
        '900',
        '2026-06-03 10:15',
        'system:node:ip-10-0-3-7',
        'kubelet/v1.33.1',
      ],
      ['prod-api', '203.0.113.40', 'public', '17', '2026-06-03 09:58', 'maria', 'kubectl/v1.33.1'],
      ['prod-api', '198.51.100.23', 'none', '3', '2026-06-03 08:00', 'ci', '-'],
    ]);
    expect(result.stdout).toContain(
      'prod-api: last 24 h by insights, newest event 2026-06-03T10:15Z, 0.5 MB read',
    );
  });

  it('--json: the look-ups as the guard reads them', async () => {
    // Act
    const result = await run(['--json', '--cluster', 'prod-api', 'gone']);

    // Assess
    const listed = JSON.parse(result.stdout);
    expect(listed).toEqual([
      expect.objectContaining({
        cluster: 'prod-api',
        known: true,
        strategy: 'insights',
        bytesScanned: 524_288,
        clients: [
          expect.objectContaining({ ip: '10.0.3.7', requests: 900, reachesVia: 'private' }),
          expect.objectContaining({ ip: '203.0.113.40', reachesVia: 'public' }),
          expect.objectContaining({ ip: '198.51.100.23', reachesVia: 'none' }),
        ],
      }),
      { cluster: 'gone', found: false },
    ]);
  });

  it('refuses --fix: listing clients changes nothing', async () => {
    // Act
    const result = await run(['--fix']);

    // Assess
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain('--clients lists clients and changes nothing: leave out --fix');
  });

  it('says so when the look-up is off for the guard', async () => {
    // Act
    const result = await run([], { CLIENTS_STRATEGY: 'off' });

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the client look-up is off (CLIENTS_STRATEGY=off)');
  });
});
