import 'aws-sdk-client-mock-jest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { auditItem, daysBack, resultOfItem } from '../../../functions/aws/audit-store';
import { OUTCOMES } from '../../../functions/core/outcome';
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
