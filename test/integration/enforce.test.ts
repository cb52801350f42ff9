import { DeleteClusterCommand } from '@aws-sdk/client-eks';
import { createCluster } from '../../functions/cli/sandbox';
import { GUARD_TOKEN_PREFIX } from '../../functions/core/triggers/normalise';
import { processEvent } from '../../functions/guard/process-event';
import { schemaErrors } from '../unit/core/alert/support';
import { auditRecords, createWorld, endpointOf, sampleEvent, type World } from './support';

/** Enforce mode against the emulator: the decisions that change a cluster, or refuse to. */
const ALLOWED = ['203.0.113.0/24', '198.51.100.10/32'];
const POLICY = {
  version: 1,
  mode: 'enforce',
  publicAccess: 'disabled',
  privateAccess: 'required',
  overrides: [
    {
      clusters: ['enf-narrow*'],
      publicAccess: 'restricted',
      allowedPublicCidrs: ALLOWED,
      privateAccess: 'optional',
    },
  ],
};
const JDOE = 'arn:aws:sts::123456789012:assumed-role/PlatformAdmin/jdoe';
const GUARD_ROLE = 'arn:aws:iam::123456789012:role/eks-endpoint-guard-remediator';

let world: World;

beforeAll(async () => {
  world = await createWorld('enf', POLICY);
});

beforeEach(async () => {
  await world.inbox.drain();
});

describe('enforce mode against the emulator', () => {
  test('a public endpoint opened to the world is reverted to private only, alerted and recorded', async () => {
    // Prepare
    const cluster = world.name('open');
    await createCluster(world.clients.eks, { name: cluster, vpc: world.vpcs.withDns });
    const { ports, options } = world.guard();
    // Act
    const { results } = await processEvent(
      sampleEvent('update-config-open-world.json', cluster),
      ports,
      options,
    );
    // Assess: the decision
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      cluster,
      outcome: 'remediated',
      before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
      after: { publicAccess: false, privateAccess: true },
    });
    // Assess: the cluster (endpoint fields only: the emulator replaces the whole VPC config)
    expect(await endpointOf(world, cluster)).toMatchObject({ publicAccess: false, privateAccess: true });
    // Assess: the alert, as a subscriber of the topic receives it
    const alerts = await world.inbox.drain();
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert?.subject).toMatch(
      new RegExp(`^\\[eks-endpoint-guard\\] ${cluster}: public endpoint turned off`),
    );
    expect(alert?.attributes).toEqual({
      outcome: 'remediated',
      cluster,
      severity: 'warning',
      status: 'open',
    });
    expect(schemaErrors(alert?.message)).toEqual([]);
    expect(alert?.message).toMatchObject({ trigger: { actorArn: JDOE, eventName: 'UpdateClusterConfig' } });
    expect(alert?.message.reason).toContain('public (0.0.0.0/0) → private');
    expect(alert?.text).toContain(JDOE);
    expect(alert?.text).toMatch(/Before:\s+public \(0\.0\.0\.0\/0\)\n\s+After:\s+private\n/);
    // Assess: the audit record
    const records = await auditRecords(world, cluster);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      outcome: 'remediated',
      account: '123456789012',
      trigger: {
        source: 'event',
        eventName: 'UpdateClusterConfig',
        actorArn: JDOE,
        sourceIp: '198.51.100.77',
      },
      before: { publicAccess: true, privateAccess: false },
      after: { publicAccess: false, privateAccess: true },
      alertMessageId: expect.stringMatching(/.+/),
      policy: { source: world.env.POLICY_PARAMETER_NAME, version: 1 },
    });
  });

  test("the guard's own change coming back as an event changes nothing and alerts nobody", async () => {
    // Prepare: the cluster of the previous test, already remediated; the event is a session of the guard's role
    const cluster = world.name('open');
    const { ports, options } = world.guard();
    const event = sampleEvent('update-config-open-world.json', cluster, {
      token: `${GUARD_TOKEN_PREFIX}abc`,
    }) as { detail: Record<string, unknown> };
    event.detail.userIdentity = {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::123456789012:assumed-role/eks-endpoint-guard-remediator/fn',
      accountId: '123456789012',
      sessionContext: { sessionIssuer: { type: 'Role', arn: GUARD_ROLE } },
    };
    // Act
    const { results } = await processEvent(event, ports, { ...options, guardRoleArn: GUARD_ROLE });
    // Assess
    expect(results.map((r) => r.outcome)).toEqual(['compliant']);
    expect(results[0]?.trigger.byGuard).toBe(true);
    expect(await world.inbox.drain()).toEqual([]);
    expect(await endpointOf(world, cluster)).toMatchObject({ publicAccess: false, privateAccess: true });
  });

  test("someone else's change carrying the guard's token prefix is reverted and alerted", async () => {
    // Prepare
    const cluster = world.name('impostor');
    await createCluster(world.clients.eks, { name: cluster, vpc: world.vpcs.withDns });
    const { ports, options } = world.guard();
    const event = sampleEvent('update-config-open-world.json', cluster, {
      token: `${GUARD_TOKEN_PREFIX}abc`,
    });
    // Act
    const { results } = await processEvent(event, ports, { ...options, guardRoleArn: GUARD_ROLE });
    // Assess
    expect(results.map((r) => r.outcome)).toEqual(['remediated']);
    expect(results[0]?.trigger.byGuard).toBeUndefined();
    expect(await endpointOf(world, cluster)).toMatchObject({ publicAccess: false, privateAccess: true });
    expect((await world.inbox.drain()).map((a) => a.attributes.outcome)).toEqual(['remediated']);
  });

  test('a cluster exempt by its tag stays as it is', async () => {
    // Prepare
    const cluster = world.name('legacy');
    await createCluster(world.clients.eks, {
      name: cluster,
      vpc: world.vpcs.withDns,
      tags: { 'eks-endpoint-guard/exempt': 'OPS-123 migration' },
    });
    const { ports, options } = world.guard();
    // Act
    const { results } = await processEvent(
      sampleEvent('create-cluster-legacy-2018.json', cluster),
      ports,
      options,
    );
    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      cluster,
      outcome: 'exempt',
      exemption: { source: 'tag', reason: 'OPS-123 migration' },
    });
    expect(await endpointOf(world, cluster)).toEqual({
      publicAccess: true,
      privateAccess: false,
      publicAccessCidrs: ['0.0.0.0/0'],
    });
    const alerts = await world.inbox.drain();
    expect(alerts.map((a) => a.attributes.outcome)).toEqual(['exempt']);
    expect((await auditRecords(world, cluster)).map((r) => r.outcome)).toEqual(['exempt']);
  });

  test('a restricted override narrows a world-open endpoint to the allowed list', async () => {
    // Prepare
    const cluster = 'enf-narrow';
    await createCluster(world.clients.eks, {
      name: cluster,
      vpc: world.vpcs.withDns,
      endpoint: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
    });
    const { ports, options } = world.guard();
    // Act
    const { results } = await processEvent(sampleEvent('update-config-cidrs.json', cluster), ports, options);
    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      outcome: 'remediated',
      after: { publicAccess: true, privateAccess: false, publicAccessCidrs: ALLOWED },
    });
    const endpoint = await endpointOf(world, cluster);
    expect(endpoint.publicAccess).toBe(true);
    expect(endpoint.privateAccess).toBe(false);
    expect([...endpoint.publicAccessCidrs].sort()).toEqual([...ALLOWED].sort());
    const [alert] = await world.inbox.drain();
    expect(alert?.subject).toContain('public access narrowed to');
  });

  test('an event for a deleted cluster is ignored', async () => {
    // Prepare
    const cluster = world.name('gone');
    await createCluster(world.clients.eks, { name: cluster, vpc: world.vpcs.withDns });
    await world.clients.eks.send(new DeleteClusterCommand({ name: cluster }));
    const { ports, options } = world.guard();
    // Act
    const { results } = await processEvent(
      sampleEvent('create-cluster-public.json', cluster),
      ports,
      options,
    );
    // Assess
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      cluster,
      outcome: 'ignored',
      reason: expect.stringMatching(/not found/),
    });
    expect(await world.inbox.drain()).toEqual([]);
  });

  test('an event for a cluster that never existed is ignored', async () => {
    // Prepare
    const cluster = world.name('never');
    const { ports, options } = world.guard();
    // Act
    const { results } = await processEvent(
      sampleEvent('create-cluster-public.json', cluster),
      ports,
      options,
    );
    // Assess
    expect(results.map((r) => r.outcome)).toEqual(['ignored']);
    expect(await world.inbox.drain()).toEqual([]);
  });

  test('the lockout guard blocks turning public off in a VPC without DNS hostnames', async () => {
    // Prepare
    const cluster = world.name('edge');
    await createCluster(world.clients.eks, { name: cluster, vpc: world.vpcs.withoutDns });
    const { ports, options } = world.guard();
    // Act
    const { results } = await processEvent(
      sampleEvent('update-config-open-world.json', cluster),
      ports,
      options,
    );
    // Assess
    const vpcId = world.vpcs.withoutDns.vpcId;
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ outcome: 'blocked', fix: expect.stringContaining(vpcId) });
    expect(await endpointOf(world, cluster)).toMatchObject({ publicAccess: true, privateAccess: false });
    const alerts = await world.inbox.drain();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.attributes).toEqual({
      outcome: 'blocked',
      cluster,
      severity: 'critical',
      status: 'open',
    });
    expect(schemaErrors(alerts[0]?.message)).toEqual([]);
    expect(alerts[0]?.text).toContain(`modify-vpc-attribute --vpc-id ${vpcId} --enable-dns-hostnames`);
    expect((await auditRecords(world, cluster)).map((r) => r.outcome)).toEqual(['blocked']);
  });
});
