import { createCluster } from '../../functions/cli/sandbox';
import type { CheckResult } from '../../functions/core/result';
import { processEvent } from '../../functions/guard/process-event';
import { loadConfig } from '../../functions/wiring/config';
import { createPorts } from '../../functions/wiring/ports';
import { runInProcess } from '../unit/cli/in-process';
import { auditRecords, createWorld, endpointOf, queueDepth, sampleEvent, type World } from './support';

/** The grace period and the blast-radius limit against the emulator: real table, queue and topic. */
const STRICT = { version: 1, mode: 'enforce', publicAccess: 'disabled', privateAccess: 'required' };
const WORLD_OPEN = { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] };

let world: World;

beforeAll(async () => {
  world = await createWorld('grace', STRICT);
});

beforeEach(async () => {
  await world.inbox.drain();
});

/** The guard as the Lambda runs it, at a given time. */
function guardAt(now: Date) {
  const { options } = world.guard();
  const config = loadConfig({ ...process.env, ...world.processEnv });
  return { ports: createPorts(config, world.clients, () => now), options };
}

describe('gracePeriodMinutes against the emulator', () => {
  test('alerts a new violation at once, stays quiet on a repeat, and reverts it when the period has ended', async () => {
    // Prepare
    const cluster = world.name('grace');
    await createCluster(world.clients.eks, { name: cluster, vpc: world.vpcs.withDns });
    await world.setPolicy({ ...STRICT, gracePeriodMinutes: 30 });
    const start = new Date();
    const event = sampleEvent('update-config-open-world.json', cluster);

    // Act
    const first = await processEvent(event, guardAt(start).ports, guardAt(start).options);
    const firstAlerts = await world.inbox.drain();
    const queuedAfterFirst = await queueDepth(world);
    const later = new Date(start.getTime() + 10 * 60_000);
    const repeat = await processEvent(event, guardAt(later).ports, guardAt(later).options);
    const repeatAlerts = await world.inbox.drain();
    const queuedAfterRepeat = await queueDepth(world);
    const late = new Date(start.getTime() + 31 * 60_000);
    const last = await processEvent(event, guardAt(late).ports, guardAt(late).options);

    // Assess
    const until = new Date(start.getTime() + 30 * 60_000).toISOString();
    expect(first.results[0]).toMatchObject({ outcome: 'deferred', graceUntil: until });
    expect(firstAlerts).toHaveLength(1);
    expect(firstAlerts[0]?.subject).toContain('will be reverted at');
    // One re-check at the end of the period, delayed on the queue; none for the repeat.
    expect(queuedAfterFirst).toBeGreaterThanOrEqual(1);
    expect(queuedAfterRepeat).toBe(queuedAfterFirst);
    expect(repeat.results[0]).toMatchObject({ outcome: 'deferred', graceUntil: until });
    expect(repeatAlerts).toEqual([]);
    expect(last.results[0]?.outcome).toBe('remediated');
    expect(await endpointOf(world, cluster)).toMatchObject({ publicAccess: false, privateAccess: true });
    const records = await auditRecords(world, cluster);
    expect(records.map((r: CheckResult) => r.outcome)).toEqual(['remediated', 'deferred', 'deferred']);
  });

  test('check --fix leaves a new violation open within the period and exits 3: it is still non-compliant', async () => {
    // Prepare
    const cluster = world.name('grace-open');
    await createCluster(world.clients.eks, { name: cluster, vpc: world.vpcs.withDns });
    await world.setPolicy({ ...STRICT, gracePeriodMinutes: 30 });

    // Act
    const run = await runInProcess(['check', '--fix', '--json', '--cluster', cluster]);

    // Assess
    expect(run).toMatchObject({ code: 3, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual([
      expect.objectContaining({ cluster, outcome: 'deferred', graceUntil: expect.any(String) }),
    ]);
    expect(await endpointOf(world, cluster)).toEqual(WORLD_OPEN);
    expect((await world.inbox.drain()).map((a) => a.attributes.outcome)).toEqual(['deferred']);
  });
});

describe('maxRemediationsPerRun against the emulator', () => {
  test('check --fix changes one of three open clusters, exits 3 and sends one critical alert for the rest', async () => {
    // Prepare
    const names = ['a', 'b', 'c'].map((n) => world.name(`blast-${n}`));
    for (const name of names) await createCluster(world.clients.eks, { name, vpc: world.vpcs.withDns });
    await world.setPolicy({ ...STRICT, maxRemediationsPerRun: 1 });

    // Act
    const run = await runInProcess(['check', '--fix', '--json', '--concurrency', '1', '--cluster', ...names]);

    // Assess
    expect(run).toMatchObject({ code: 3, stderr: '' });
    const results = JSON.parse(run.stdout) as CheckResult[];
    expect(results.map((r) => [r.cluster, r.outcome])).toEqual([
      [names[0], 'remediated'],
      [names[1], 'would-remediate'],
      [names[2], 'would-remediate'],
      ['-', 'would-remediate'],
    ]);
    expect(await endpointOf(world, names[2] ?? '')).toEqual(WORLD_OPEN);
    const alerts = await world.inbox.drain();
    expect(alerts.map((a) => a.attributes.severity).sort()).toEqual(['critical', 'warning']);
    expect(alerts.find((a) => a.attributes.severity === 'critical')?.subject).toBe(
      '[eks-endpoint-guard] sweep stopped at the blast-radius limit (1): 2 cluster(s) not changed',
    );
  });
});
