import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { auditStore } from '../../functions/aws/audit-store';
import { createCluster } from '../../functions/cli/sandbox';
import type { CheckResult } from '../../functions/core/result';
import { processEvent } from '../../functions/guard/process-event';
import { auditRecordFixture, auditRecords, createWorld, REGION, sampleEvent, type World } from './support';

/**
 * One audit record per decision, for every outcome the emulator can produce, written by the
 * real path (event → guard → DynamoDB). `deferred` needs a busy cluster, which the emulator never
 * has: the unit tests cover it at the SDK boundary.
 */
const POLICY = {
  version: 1,
  publicAccess: 'disabled',
  privateAccess: 'required',
  overrides: [{ clusters: ['*-notify'], publicAccess: 'allowed' }],
};

let world: World;

beforeAll(async () => {
  world = await createWorld('trail', POLICY);
});

async function decide(file: string, cluster: string): Promise<CheckResult> {
  const { ports, options } = world.guard();
  const { results } = await processEvent(sampleEvent(file, cluster), ports, options);
  expect(results).toHaveLength(1);
  return results[0] as CheckResult;
}

describe('the audit trail against the emulator', () => {
  test('writes one record with the decision for each outcome', async () => {
    // Prepare
    const names = {
      compliant: world.name('private'),
      remediated: world.name('open'),
      exempt: world.name('tagged'),
      blocked: world.name('nodns'),
      ignored: world.name('gone'),
    };
    const private_ = { publicAccess: false, privateAccess: true };
    await Promise.all([
      createCluster(world.clients.eks, {
        name: names.compliant,
        vpc: world.vpcs.withDns,
        endpoint: private_,
      }),
      createCluster(world.clients.eks, { name: names.remediated, vpc: world.vpcs.withDns }),
      createCluster(world.clients.eks, {
        name: names.exempt,
        vpc: world.vpcs.withDns,
        tags: { 'eks-endpoint-guard/exempt': 'OPS-7 audit trail test' },
      }),
      createCluster(world.clients.eks, { name: names.blocked, vpc: world.vpcs.withoutDns }),
    ]);

    // Act
    const decided = {
      compliant: await decide('create-cluster-private.json', names.compliant),
      remediated: await decide('update-config-open-world.json', names.remediated),
      exempt: await decide('update-config-open-world.json', names.exempt),
      blocked: await decide('update-config-open-world.json', names.blocked),
      ignored: await decide('update-config-open-world.json', names.ignored),
    };
    await world.setPolicy({ version: 1, publicAccess: 'sometimes' });
    const failed = await decide('update-config-open-world.json', names.compliant);
    await world.setPolicy({ ...POLICY, mode: 'notify' });
    const wouldRemediate = await decide('update-config-open-world.json', names.blocked);

    // Assess
    for (const [outcome, result] of Object.entries(decided)) expect(result.outcome).toBe(outcome);
    expect(failed.outcome).toBe('failed');
    expect(wouldRemediate.outcome).toBe('would-remediate');
    const trail = async (cluster: string) => (await auditRecords(world, cluster)).map((r) => r.outcome);
    expect(await trail(names.compliant)).toEqual(['failed', 'compliant']);
    expect(await trail(names.remediated)).toEqual(['remediated']);
    expect(await trail(names.exempt)).toEqual(['exempt']);
    expect(await trail(names.blocked)).toEqual(['would-remediate', 'blocked']);
    expect(await trail(names.ignored)).toEqual(['ignored']);
    const [remediated] = await auditRecords(world, names.remediated);
    expect(remediated).toMatchObject({
      cluster: names.remediated,
      region: 'us-east-1',
      account: '123456789012',
      clusterArn: expect.stringContaining(`:cluster/${names.remediated}`),
      trigger: {
        source: 'event',
        eventName: 'UpdateClusterConfig',
        actorArn: expect.stringContaining('assumed-role/PlatformAdmin/jdoe'),
        sourceIp: expect.any(String),
        userAgent: expect.any(String),
        eventId: expect.any(String),
      },
      before: { publicAccess: true, privateAccess: false },
      after: { publicAccess: false, privateAccess: true },
      policy: { version: 1, digest: expect.stringMatching(/^sha256:/), mode: 'enforce' },
      alertMessageId: expect.any(String),
    });
  }, 60_000);
});

describe('records cannot be rewritten', () => {
  test('a second write of the same decision is taken as written and leaves the first', async () => {
    // Prepare
    const cluster = world.name('twice');
    const store = auditStore(world.clients.dynamodb, world.env.AUDIT_TABLE_NAME, REGION, 0);
    const first = auditRecordFixture('twice-1', cluster, 'remediated', 0);

    // Act
    await store.write(first);
    await store.write({ ...first, reason: 'a rewritten reason' });

    // Assess
    const records = await auditRecords(world, cluster);
    expect(records.map((r) => r.reason)).toEqual([first.reason]);
  });

  test('a marker never replaces a record, even one put under its key', async () => {
    // Prepare
    const cluster = world.name('forged');
    const documents = DynamoDBDocumentClient.from(world.clients.dynamodb);
    await documents.send(
      new PutCommand({
        TableName: world.env.AUDIT_TABLE_NAME,
        Item: { pk: `#checked#${REGION}`, sk: cluster, outcome: 'remediated', note: 'not a marker' },
      }),
    );
    const store = auditStore(world.clients.dynamodb, world.env.AUDIT_TABLE_NAME, REGION, 0);

    // Act
    const marking = store.markChecked(auditRecordFixture('forged-1', cluster, 'compliant', 0));

    // Assess
    await expect(marking).rejects.toThrow(/conditional/i);
    const { Item } = await documents.send(
      new GetCommand({
        TableName: world.env.AUDIT_TABLE_NAME,
        Key: { pk: `#checked#${REGION}`, sk: cluster },
      }),
    );
    expect(Item?.note).toBe('not a marker');
  });
});
