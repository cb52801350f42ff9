import { randomUUID } from 'node:crypto';
import { createCluster } from '../../functions/cli/sandbox';
import { processEvent } from '../../functions/guard/process-event';
import { auditRecords, createWorld, endpointOf, sampleEvent, type World } from './support';

/** A change to the policy parameter, as CloudTrail reports it, against the emulator's SSM history. */
const STRICT = { version: 1, mode: 'enforce', publicAccess: 'disabled', privateAccess: 'required' };
const ADMIN = 'arn:aws:sts::123456789012:assumed-role/PlatformAdmin/jdoe';

let world: World;

beforeAll(async () => {
  world = await createWorld('pchg', { ...STRICT, mode: 'notify' });
});

beforeEach(async () => {
  await world.inbox.drain();
});

/**
 * The sample CloudTrail event turned into a PutParameter of the guard's policy parameter, with an
 * id of its own: each change is a new CloudTrail event (the guard takes the same id for a retry).
 */
function putParameterEvent(): unknown {
  const event = sampleEvent('update-config-open-world.json', 'unused') as {
    id: string;
    source: string;
    detail: Record<string, unknown>;
  };
  event.id = randomUUID();
  event.detail.eventID = randomUUID();
  event.source = 'aws.ssm';
  event.detail.eventSource = 'ssm.amazonaws.com';
  event.detail.eventName = 'PutParameter';
  event.detail.requestParameters = { name: world.env.POLICY_PARAMETER_NAME, type: 'String', overwrite: true };
  delete event.detail.responseElements;
  return event;
}

describe('policy parameter changes against the emulator', () => {
  test('a stricter policy is alerted with what changed and enforced at once by a sweep', async () => {
    // Prepare: a cluster left open under the notify-mode policy, the policy then set to enforce
    const cluster = world.name('open');
    await createCluster(world.clients.eks, { name: cluster, vpc: world.vpcs.withDns });
    const { ports, options } = world.guard();
    await ports.policy.load();
    await world.setPolicy(STRICT);
    // Act
    const { results } = await processEvent(putParameterEvent(), ports, options);
    // Assess: the change itself
    expect(results[0]).toMatchObject({
      cluster: '-',
      outcome: 'ignored',
      trigger: { actorArn: ADMIN, eventName: 'PutParameter' },
      policyChange: {
        eventName: 'PutParameter',
        version: 2,
        previousVersion: 1,
        changes: ['mode: notify → enforce'],
      },
    });
    // Assess: the sweep under the new policy, not the cached one
    expect(results.find((r) => r.cluster === cluster)).toMatchObject({ outcome: 'remediated' });
    expect(await endpointOf(world, cluster)).toMatchObject({ publicAccess: false });
    const alerts = await world.inbox.drain();
    const change = alerts.find((a) => a.attributes.cluster === '-');
    expect(change?.attributes).toMatchObject({ severity: 'warning' });
    expect(change?.text).toContain(`changed by ${ADMIN}`);
    expect(change?.text).toContain('  - mode: notify → enforce');
    expect((await auditRecords(world, '-')).map((r) => r.policyChange?.version)).toContain(2);
  });

  test('a policy that no longer parses is alerted as failed with the fault', async () => {
    // Prepare
    const { ports, options } = world.guard();
    await world.setPolicy({ ...STRICT, publicAccess: 'sometimes' });
    // Act
    const { results } = await processEvent(putParameterEvent(), ports, options);
    // Assess
    expect(results).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        reason: expect.stringContaining(
          'publicAccess: must be one of "disabled", "restricted", "allowed", got "sometimes"',
        ),
      }),
    ]);
    const alerts = await world.inbox.drain();
    expect(alerts.map((a) => a.attributes.severity)).toEqual(['critical']);
  });
});
