import 'aws-sdk-client-mock-jest';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  auditItem,
  auditStore,
  daysBack,
  markerItem,
  resultOfItem,
  sweepItem,
} from '../../../functions/aws/audit-store';
import { OUTCOMES } from '../../../functions/core/outcome';
import { markerOf } from '../../../functions/core/report/evidence';
import type { CheckResult } from '../../../functions/core/result';
import { mocks, REGION, resetAws, testPorts } from '../support/aws';

const NOW = new Date('2026-06-03T10:20:00Z');

function resultFor(outcome: CheckResult['outcome']): CheckResult {
  return {
    cluster: 'prod-api',
    region: REGION,
    account: '111122223333',
    clusterArn: `arn:aws:eks:${REGION}:111122223333:cluster/prod-api`,
    outcome,
    reason: `because ${outcome}`,
    time: '2026-06-03T10:20:00.000Z',
    correlationId: 'evt-0001',
    attempt: 0,
    trigger: {
      source: 'event',
      eventId: 'evt-0001',
      eventName: 'UpdateClusterConfig',
      actorArn: 'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe',
      sourceIp: '198.51.100.77',
      userAgent: 'aws-cli/2.17.0',
    },
    before: { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
    policy: {
      source: '/eks-endpoint-guard/policy',
      version: 1,
      digest: 'sha256:abc',
      mode: 'enforce',
      exemptionTag: 'eks-endpoint-guard/exempt',
      rule: 'publicAccess "disabled", privateAccess "required" (policy)',
    },
  };
}

beforeEach(() => resetAws());

describe('audit record mapping', () => {
  it.each(OUTCOMES)('keys a %s record by cluster, time, day and outcome and keeps every field', (outcome) => {
    // Prepare
    const result = resultFor(outcome);

    // Act
    const item = auditItem(result, 0);

    // Assess
    expect(item).toMatchObject({
      pk: `${REGION}#prod-api`,
      sk: `2026-06-03T10:20:00.000Z#evt-0001#0#${outcome}`,
      day: '2026-06-03',
      outcome,
    });
    expect(item.expiresAt).toBeUndefined();
    expect(resultOfItem({ ...item })).toEqual(result);
  });

  it('sets the TTL from the retention days', () => {
    // Act
    const item = auditItem(resultFor('remediated'), 30);

    // Assess
    expect(item.expiresAt).toBe(Date.parse('2026-07-03T10:20:00.000Z') / 1000);
  });

  it('sorts records of one cluster by time so the newest comes first in a reverse query', () => {
    // Prepare
    const older = auditItem({ ...resultFor('deferred'), time: '2026-06-03T09:59:59.000Z' }, 0);
    const newer = auditItem({ ...resultFor('remediated'), time: '2026-06-03T10:00:00.000Z' }, 0);

    // Assess
    expect(newer.sk > older.sk).toBe(true);
  });
});

describe('daysBack', () => {
  it('lists each day from the newest back to the day of the start', () => {
    // Act
    const days = daysBack(new Date('2026-06-03T01:00:00Z'), new Date('2026-05-31T23:00:00Z'));

    // Assess
    expect(days).toEqual(['2026-06-03', '2026-06-02', '2026-06-01', '2026-05-31']);
  });
});

describe('audit queries', () => {
  it('reads one cluster newest first from its partition', async () => {
    // Prepare
    const audit = testPorts(NOW).audit;

    // Act
    await audit.query({
      cluster: 'prod-api',
      since: new Date('2026-06-01T00:00:00Z'),
      outcome: 'remediated',
    });

    // Assess
    expect(mocks.dynamodb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: 'eks-endpoint-guard-audit',
      KeyConditionExpression: 'pk = :pk AND sk >= :since',
      FilterExpression: '#outcome = :outcome',
      ScanIndexForward: false,
      ExpressionAttributeValues: {
        ':pk': `${REGION}#prod-api`,
        ':since': '2026-06-01T00:00:00.000Z',
        ':outcome': 'remediated',
      },
    });
  });

  it('reads one outcome across clusters from the byOutcome index', async () => {
    // Prepare
    const audit = testPorts(NOW).audit;

    // Act
    await audit.query({ outcome: 'failed', since: new Date('2026-06-01T00:00:00Z') });

    // Assess
    expect(mocks.dynamodb).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'byOutcome',
      ScanIndexForward: false,
    });
  });

  it('walks the byDay index from today back to the start, stopping at the limit', async () => {
    // Prepare
    mocks.dynamodb.on(QueryCommand).resolves({ Items: [auditItem(resultFor('compliant'), 0)] });
    const audit = testPorts(NOW).audit;

    // Act
    const results = await audit.query({ since: new Date('2026-05-30T00:00:00Z'), limit: 2 });

    // Assess
    expect(results).toHaveLength(2);
    const days = mocks.dynamodb
      .commandCalls(QueryCommand)
      .map((c) => c.args[0].input.ExpressionAttributeValues?.[':day']);
    expect(days).toEqual(['2026-06-03', '2026-06-02']);
  });

  it('follows pagination within a partition', async () => {
    // Prepare
    mocks.dynamodb
      .on(QueryCommand)
      .resolvesOnce({ Items: [auditItem(resultFor('deferred'), 0)], LastEvaluatedKey: { pk: 'x', sk: 'y' } })
      .resolvesOnce({ Items: [auditItem(resultFor('remediated'), 0)] });
    const audit = testPorts(NOW).audit;

    // Act
    const results = await audit.query({ cluster: 'prod-api' });

    // Assess
    expect(results.map((r) => r.outcome)).toEqual(['deferred', 'remediated']);
    expect(mocks.dynamodb.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({
      pk: 'x',
      sk: 'y',
    });
  });
});

describe('records are never rewritten', () => {
  const conditionFailed = () =>
    new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

  it('writes a decision only where no item has its key', async () => {
    // Act
    await testPorts(NOW).audit.write(resultFor('remediated'));

    // Assess
    expect(mocks.dynamodb).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: expect.objectContaining({ pk: `${REGION}#prod-api` }),
    });
  });

  it('takes a second write of the same decision (a retry) as already written', async () => {
    // Prepare
    mocks.dynamodb.on(PutCommand).rejects(conditionFailed());

    // Act
    const write = testPorts(NOW).audit.write(resultFor('remediated'));

    // Assess
    await expect(write).resolves.toBeUndefined();
  });

  it('passes any other write error on', async () => {
    // Prepare
    mocks.dynamodb
      .on(PutCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));

    // Act
    const write = testPorts(NOW).audit.write(resultFor('remediated'));

    // Assess
    await expect(write).rejects.toThrow('denied');
  });

  it('updates the marker in place, but only over a marker', async () => {
    // Act
    await testPorts(NOW).audit.markChecked(resultFor('compliant'));

    // Assess
    expect(mocks.dynamodb).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: 'attribute_not_exists(pk) OR #kind = :marker',
      ExpressionAttributeValues: { ':marker': 'last-checked' },
      Item: expect.objectContaining({ pk: `#checked#${REGION}`, sk: 'prod-api', lastOutcome: 'compliant' }),
    });
  });

  it('keeps no marker for a name EKS would not allow', async () => {
    // Act
    await testPorts(NOW).audit.markChecked({ ...resultFor('failed'), cluster: '-' });

    // Assess
    expect(mocks.dynamodb).not.toHaveReceivedCommand(PutCommand);
  });

  it('keys evidence apart from decisions: no shared key, no index attributes', () => {
    // Prepare
    const result = resultFor('compliant');
    const summary = {
      sweepId: 'sweep-1',
      region: REGION,
      startedAt: '2026-06-03T10:19:00.000Z',
      time: '2026-06-03T10:20:00.000Z',
      durationMs: 60_000,
      clustersChecked: 1,
      outcomes: { compliant: 1 },
      policyDigests: ['sha256:abc'],
    };

    // Act
    const items = [auditItem(result, 0), markerItem(markerOf(result), 0), sweepItem(summary, 7)];

    // Assess
    const [decision, marker, sweep] = items;
    expect(new Set(items.map((i) => i?.pk)).size).toBe(3);
    for (const evidence of [marker, sweep]) {
      expect(String(evidence?.pk)).toMatch(/^#/);
      expect(evidence?.day).toBeUndefined();
      expect(evidence?.outcome).toBeUndefined();
    }
    expect(decision?.pk).toMatch(/^[a-z]/);
    expect(sweep?.expiresAt).toBe(Date.parse('2026-06-10T10:20:00.000Z') / 1000);
  });
});

describe('reading evidence and periods', () => {
  it('bounds a cluster query by until as well as since', async () => {
    // Act
    await testPorts(NOW).audit.query({
      cluster: 'prod-api',
      since: new Date('2026-05-01T00:00:00Z'),
      until: new Date('2026-06-01T00:00:00Z'),
    });

    // Assess
    expect(mocks.dynamodb).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :since AND :until',
      ExpressionAttributeValues: {
        ':pk': `${REGION}#prod-api`,
        ':since': '2026-05-01T00:00:00.000Z',
        ':until': '2026-06-01T00:00:00.000Z',
      },
    });
  });

  it('walks the days back from until, not from now', async () => {
    // Act
    await testPorts(NOW).audit.query({
      since: new Date('2026-05-30T00:00:00Z'),
      until: new Date('2026-06-01T00:00:00Z'),
    });

    // Assess
    const days = mocks.dynamodb
      .commandCalls(QueryCommand)
      .map((c) => c.args[0].input.ExpressionAttributeValues?.[':day']);
    expect(days).toEqual(['2026-05-31', '2026-05-30']);
  });

  it('reads sweep summaries and markers back without their keys', async () => {
    // Prepare
    const summary = {
      sweepId: 'sweep-1',
      region: REGION,
      startedAt: '2026-06-03T10:19:00.000Z',
      time: '2026-06-03T10:20:00.000Z',
      durationMs: 60_000,
      clustersChecked: 1,
      outcomes: { compliant: 1 },
      policyDigests: [],
    };
    const marker = markerOf(resultFor('compliant'));
    mocks.dynamodb
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': `#checked#${REGION}` } })
      .resolves({ Items: [markerItem(marker, 0)] })
      .on(QueryCommand, { KeyConditionExpression: 'pk = :pk AND sk BETWEEN :since AND :until' })
      .resolvesOnce({ Items: [sweepItem(summary, 0)], LastEvaluatedKey: { pk: 'a', sk: 'b' } })
      .resolvesOnce({ Items: [] });
    const store = auditStore(new DynamoDBClient({ region: REGION }), 'eks-endpoint-guard-audit', REGION, 0);

    // Act
    const [sweeps, markers] = await Promise.all([
      store.sweeps(REGION, new Date('2026-06-01T00:00:00Z'), NOW),
      store.markers(REGION),
    ]);

    // Assess
    expect(sweeps).toEqual([summary]);
    expect(JSON.parse(JSON.stringify(markers))).toEqual([marker]);
  });
});
