import { createCluster } from '../../functions/cli/sandbox';
import { processEvent } from '../../functions/guard/process-event';
import { auditRecords, createWorld, endpointOf, sampleEvent, type World } from './support';

/** The policy decides what the guard may do: notify mode and a broken policy change nothing. */
const STRICT = { version: 1, mode: 'enforce', publicAccess: 'disabled', privateAccess: 'required' };
const WORLD_OPEN = { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] };

let world: World;

beforeAll(async () => {
  world = await createWorld('pol', STRICT);
});

beforeEach(async () => {
  await world.inbox.drain();
});

describe('policy modes against the emulator', () => {
  test('notify mode reports would-remediate and alerts, but leaves the cluster as it is', async () => {
    // Prepare
    const cluster = world.name('notify');
    await createCluster(world.clients.eks, { name: cluster, vpc: world.vpcs.withDns });
    await world.setPolicy({ ...STRICT, mode: 'notify' });
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
      outcome: 'would-remediate',
      after: { publicAccess: false, privateAccess: true },
      policy: { mode: 'notify' },
    });
    expect(await endpointOf(world, cluster)).toEqual(WORLD_OPEN);
    const alerts = await world.inbox.drain();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.attributes).toMatchObject({ outcome: 'would-remediate', cluster });
    expect(alerts[0]?.subject).toContain('notify mode');
    expect((await auditRecords(world, cluster)).map((r) => r.outcome)).toEqual(['would-remediate']);
  });

  test('an invalid policy fails the check, changes nothing and the alert names the parameter', async () => {
    // Prepare
    const cluster = world.name('broken');
    await createCluster(world.clients.eks, { name: cluster, vpc: world.vpcs.withDns });
    await world.setPolicy({ ...STRICT, publicAccess: 'sometimes' });
    const { ports, options } = world.guard();
    // Act
    const { results } = await processEvent(
      sampleEvent('update-config-open-world.json', cluster),
      ports,
      options,
    );
    // Assess
    const parameter = world.env.POLICY_PARAMETER_NAME;
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ cluster, outcome: 'failed' });
    expect(results[0]?.reason).toContain(parameter);
    expect(results[0]?.reason).toContain('publicAccess');
    expect(await endpointOf(world, cluster)).toEqual(WORLD_OPEN);
    const alerts = await world.inbox.drain();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.attributes).toMatchObject({ outcome: 'failed', severity: 'critical' });
    expect(alerts[0]?.subject).toContain(parameter);
    expect(alerts[0]?.text).toContain(parameter);
  });

  test('a policy that is not JSON fails the same way', async () => {
    // Prepare
    const cluster = world.name('notjson');
    await createCluster(world.clients.eks, { name: cluster, vpc: world.vpcs.withDns });
    await world.setPolicy('{ "version": 1, ');
    const { ports, options } = world.guard();
    // Act
    const { results } = await processEvent(
      sampleEvent('create-cluster-public.json', cluster),
      ports,
      options,
    );
    // Assess
    expect(results.map((r) => r.outcome)).toEqual(['failed']);
    expect(results[0]?.reason).toMatch(/not valid JSON/);
    expect(await endpointOf(world, cluster)).toEqual(WORLD_OPEN);
    expect((await world.inbox.drain()).map((a) => a.attributes.outcome)).toEqual(['failed']);
  });
});
