import 'aws-sdk-client-mock-jest';
import { StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { UpdateClusterConfigCommand } from '@aws-sdk/client-eks';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CheckRequest } from '../../../functions/core/check-request';
import type { CheckResult } from '../../../functions/core/result';
import { checkCluster } from '../../../functions/guard/check';
import type { GuardOptions } from '../../../functions/guard/options';
import {
  ACCOUNT,
  auditWrites,
  givenAuditClients,
  givenCluster,
  givenPolicy,
  lastAlert,
  mocks,
  REGION,
  resetAws,
  STRICT_POLICY,
  testConfig,
  testPorts,
} from '../support/aws';

/**
 * Remediation that knows whom it cuts off (DESIGN §18), through the whole check: the audit log at
 * the SDK boundary (Logs Insights rows), every adapter and the guard real.
 */
const NOW = new Date('2026-06-03T10:20:00Z');
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000).toISOString();
const OPTIONS: GuardOptions = {
  region: REGION,
  act: true,
  recheckDeadlineMinutes: 120,
  flipFlop: { threshold: 3, windowMinutes: 60 },
};
const OPEN = {
  name: 'prod-api',
  publicAccess: true,
  privateAccess: false,
  cidrs: ['0.0.0.0/0'],
  auditLogging: true,
};
const CI_RUNNER = {
  client: '198.51.100.23',
  user: 'arn:aws:sts::111122223333:assumed-role/GitLabRunner/ci',
  agent: 'kubectl/v1.33.1',
  requests: 120,
  lastSeen: '2026-06-03 10:14:00.000',
};
const NODE = {
  client: '10.0.3.7',
  user: 'system:node:ip-10-0-3-7',
  agent: 'kubelet/v1.33.1',
  requests: 900,
  lastSeen: '2026-06-03 10:15:00.000',
};

const request: CheckRequest = {
  cluster: 'prod-api',
  region: REGION,
  account: ACCOUNT,
  correlationId: 'evt-0001',
  attempt: 0,
  trigger: {
    source: 'event',
    eventId: 'evt-0001',
    eventName: 'UpdateClusterConfig',
    actorArn: 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe',
  },
};

function check(options = OPTIONS, config = testConfig()): Promise<CheckResult> {
  return checkCluster(request, testPorts(NOW, config), options);
}

beforeEach(() => resetAws());

describe('protectActiveClients "alert" (the default)', () => {
  it('reverts and names the clients the change cuts off: in the reason, the record and the alert', async () => {
    // Prepare: a CI runner from the internet and a node through the private endpoint used the API
    givenCluster({ ...OPEN, privateAccess: true });
    givenAuditClients([CI_RUNNER, NODE]);

    // Act
    const result = await check();

    // Assess
    expect(result.outcome).toBe('remediated');
    expect(result.clientsCutOff).toMatchObject({
      clients: [
        { ip: '198.51.100.23', users: [CI_RUNNER.user], requests: 120, lastSeen: '2026-06-03T10:14:00.000Z' },
      ],
      seen: 2,
      newestEvent: '2026-06-03T10:15:00.000Z',
      since: '2026-06-02T10:20:00.000Z',
      until: '2026-06-03T10:20:00.000Z',
      bytesScanned: 524_288,
    });
    expect(result.reason).toContain('it cuts off 1 client seen in the last 24 h: 198.51.100.23');
    expect(auditWrites()[0]).toMatchObject({ clientsCutOff: { clients: [{ ip: '198.51.100.23' }] } });
    const alert = lastAlert();
    expect(alert.json.clientsCutOff).toMatchObject({ clients: [{ ip: '198.51.100.23' }], seen: 2 });
    expect(alert.text).toContain('API clients the change cuts off');
    expect(alert.text).toContain('- 198.51.100.23: 120 requests');
    expect(mocks.eks).toHaveReceivedCommand(UpdateClusterConfigCommand);
  });

  it('says "unknown" (never "nobody") when the audit log is off, and still reverts', async () => {
    // Prepare
    givenCluster({ ...OPEN, auditLogging: false });

    // Act
    const result = await check();

    // Assess
    expect(result).toMatchObject({
      outcome: 'remediated',
      clientsCutOff: { clients: 'unknown', cause: 'logging-off' },
    });
    expect(mocks.logs).not.toHaveReceivedCommand(StartQueryCommand);
    expect(lastAlert().text).toContain('"Unknown" is not "nobody"');
  });

  it('says "unknown" when the look-up itself fails unexpectedly, and the decision goes on', async () => {
    // Prepare
    givenCluster(OPEN);
    const ports = {
      ...testPorts(NOW),
      clients: { recentClients: () => Promise.reject(new TypeError('boom')) },
    };

    // Act
    const result = await checkCluster(request, ports, OPTIONS);

    // Assess
    expect(result).toMatchObject({
      outcome: 'remediated',
      clientsCutOff: { clients: 'unknown', cause: 'error' },
    });
  });

  it('with the look-up turned off for the guard (CLIENTS_STRATEGY=off), says so', async () => {
    // Prepare
    givenCluster(OPEN);

    // Act
    const result = await check(OPTIONS, testConfig({ CLIENTS_STRATEGY: 'off' }));

    // Assess
    expect(result.clientsCutOff).toMatchObject({ clients: 'unknown', cause: 'look-up-off' });
  });

  it('does not read the log for a change that takes no access away (private on only)', async () => {
    // Prepare
    givenPolicy({ version: 1, publicAccess: 'allowed', privateAccess: 'required' });
    givenCluster(OPEN);

    // Act
    const result = await check();

    // Assess
    expect(result.outcome).toBe('remediated');
    expect(result.clientsCutOff).toBeUndefined();
    expect(mocks.logs).not.toHaveReceivedCommand(StartQueryCommand);
  });

  it('names them in notify mode and report-only runs too', async () => {
    // Prepare
    givenPolicy({ ...STRICT_POLICY, mode: 'notify' });
    givenCluster(OPEN);
    givenAuditClients([CI_RUNNER]);

    // Act
    const notify = await check();
    const reportOnly = await check({ ...OPTIONS, act: false });

    // Assess
    expect(notify).toMatchObject({
      outcome: 'would-remediate',
      clientsCutOff: { clients: [{ ip: '198.51.100.23' }] },
    });
    expect(reportOnly).toMatchObject({
      outcome: 'would-remediate',
      clientsCutOff: { clients: [{ ip: '198.51.100.23' }] },
    });
  });
});

describe('protectActiveClients "off"', () => {
  it('neither reads the audit log nor records anything about clients', async () => {
    // Prepare
    givenPolicy({ ...STRICT_POLICY, protectActiveClients: 'off' });
    givenCluster(OPEN);
    givenAuditClients([CI_RUNNER]);

    // Act
    const result = await check();

    // Assess
    expect(result.outcome).toBe('remediated');
    expect(result.clientsCutOff).toBeUndefined();
    expect(mocks.logs).not.toHaveReceivedCommand(StartQueryCommand);
  });
});

describe('protectActiveClients "defer"', () => {
  it('defers a change that would cut off active clients for one grace period (60 minutes without one), alerted with them named', async () => {
    // Prepare
    givenPolicy({ ...STRICT_POLICY, protectActiveClients: 'defer' });
    givenCluster(OPEN);
    givenAuditClients([CI_RUNNER]);

    // Act
    const result = await check();

    // Assess
    expect(result).toMatchObject({
      outcome: 'deferred',
      graceSince: NOW.toISOString(),
      graceUntil: minutes(60),
      clientsCutOff: { clients: [{ ip: '198.51.100.23' }], deferred: true },
    });
    expect(result.reason).toMatch(
      /^protectActiveClients "defer": .*it cuts off 1 client .*; will be reverted at 11:20 UTC/,
    );
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
    expect(lastAlert().json).toMatchObject({ outcome: 'deferred', clientsCutOff: { deferred: true } });
    expect(lastAlert().text).toContain('The policy protects active clients (protectActiveClients "defer")');
    // The re-check at the end of the period is queued with the alert.
    const queued = mocks.sqs
      .commandCalls(SendMessageCommand)
      .map((c) => JSON.parse(c.args[0].input.MessageBody ?? '{}'));
    expect(queued).toContainEqual(
      expect.objectContaining({ request: expect.objectContaining({ dueAt: minutes(60) }) }),
    );
  });

  it("waits the policy's own grace period when it has one", async () => {
    // Prepare
    givenPolicy({ ...STRICT_POLICY, protectActiveClients: 'defer', gracePeriodMinutes: 30 });
    givenCluster(OPEN);
    givenAuditClients([CI_RUNNER]);

    // Act
    const result = await check();

    // Assess
    expect(result).toMatchObject({ outcome: 'deferred', graceUntil: minutes(30) });
  });

  it('cannot be waited out: once the period that started with the first deferral is over, the change is made, clients or not', async () => {
    // Prepare: the first deferral was 61 minutes ago, the clients are still active
    givenPolicy({ ...STRICT_POLICY, protectActiveClients: 'defer' });
    givenCluster(OPEN);
    givenAuditClients([CI_RUNNER]);
    mocks.dynamodb.on(QueryCommand).resolves({
      Items: [
        {
          pk: `${REGION}#prod-api`,
          sk: 'x',
          cluster: 'prod-api',
          region: REGION,
          outcome: 'deferred',
          time: minutes(-61),
          graceSince: minutes(-61),
          graceUntil: minutes(-1),
          before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
        },
      ],
    });

    // Act
    const result = await check();

    // Assess
    expect(result).toMatchObject({
      outcome: 'remediated',
      graceSince: minutes(-61),
      graceUntil: minutes(-1),
    });
    expect(result.clientsCutOff?.deferred).toBeUndefined();
    expect(mocks.eks).toHaveReceivedCommand(UpdateClusterConfigCommand);
  });

  it('does not defer for "unknown": nobody is named, and switching the log off must not buy time', async () => {
    // Prepare
    givenPolicy({ ...STRICT_POLICY, protectActiveClients: 'defer' });
    givenCluster({ ...OPEN, auditLogging: false });

    // Act
    const result = await check();

    // Assess
    expect(result).toMatchObject({ outcome: 'remediated', clientsCutOff: { clients: 'unknown' } });
  });

  it('does not defer when the clients seen keep their access', async () => {
    // Prepare: only a node through the private endpoint, which the target keeps on
    givenPolicy({ ...STRICT_POLICY, protectActiveClients: 'defer' });
    givenCluster({ ...OPEN, privateAccess: true });
    givenAuditClients([NODE]);

    // Act
    const result = await check();

    // Assess
    expect(result).toMatchObject({ outcome: 'remediated', clientsCutOff: { clients: [], seen: 1 } });
    expect(mocks.dynamodb).toHaveReceivedCommand(PutCommand);
  });
});

describe('the 40-block rule', () => {
  it('reproduction: beyond 40 blocks after aggregation the target is the allowed list, and the reason says so', async () => {
    // Prepare: the case
    const sprinkled = Array.from({ length: 20 }, (_, i) => `203.0.113.${2 * i + 1}/32`);
    const eights = Array.from({ length: 20 }, (_, i) => `${i + 11}.0.0.0/8`);
    const inEights = Array.from({ length: 39 }, (_, i) => `${(i % 20) + 11}.0.0.${i < 20 ? 1 : 3}/32`);
    const allowed = ['203.0.113.0/24', ...inEights];
    givenPolicy({
      version: 1,
      publicAccess: 'restricted',
      allowedPublicCidrs: allowed,
      privateAccess: 'optional',
      protectActiveClients: 'off',
    });
    givenCluster({
      name: 'prod-api',
      publicAccess: true,
      privateAccess: false,
      cidrs: [...sprinkled, ...eights],
    });

    // Act
    const result = await check();

    // Assess
    expect(result.after?.publicAccessCidrs).toEqual(allowed);
    expect(result.targetNote).toContain('come to 59 blocks after aggregation');
    expect(result.reason).toContain(
      'so the target is the allowed list itself (40 blocks): no allowed network is cut off',
    );
    expect(mocks.eks).toHaveReceivedCommandWith(UpdateClusterConfigCommand, {
      resourcesVpcConfig: expect.objectContaining({ publicAccessCidrs: allowed }),
    });
  });
});
