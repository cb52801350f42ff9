import 'aws-sdk-client-mock-jest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { auditSeal } from '../../../functions/aws/audit-seal';
import { auditItem, sweepItem } from '../../../functions/aws/audit-store';
import { createAwsClients } from '../../../functions/aws/clients';
import { history } from '../core/report/history';
import { mocks, REGION, resetAws } from '../support/aws';

const TABLE = 'eks-endpoint-guard-audit';
const seal = () => auditSeal(createAwsClients(REGION).dynamodb, TABLE, REGION);

beforeEach(() => resetAws());

describe('audit table as a seal source', () => {
  it('reads every day of the range through the day index and the sweep summaries, as stored', async () => {
    // Prepare: a record whose attributes were edited (cluster and time) still named by its key
    const [record] = history([[{ kind: 'compliant' }, '2026-11-02T23:30:00Z']]).map((r) => auditItem(r, 30));
    const edited = { ...record, cluster: 'someone-else', time: '2020-01-01T00:00:00Z' };
    const summary = sweepItem(
      {
        sweepId: 's1',
        region: REGION,
        startedAt: '2026-11-03T00:10:00.000Z',
        time: '2026-11-03T00:10:05.000Z',
        durationMs: 5000,
        clustersChecked: 1,
        outcomes: { compliant: 1 },
        policyDigests: [],
      },
      0,
    );
    mocks.dynamodb
      .on(QueryCommand, { IndexName: 'byDay', ExpressionAttributeValues: { ':day': '2026-11-02' } })
      .resolves({ Items: [edited] })
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': `#sweep#${REGION}` } })
      .resolves({ Items: [summary] });

    // Act
    const items = await seal().sealable(new Date('2026-11-02T12:00:00Z'), new Date('2026-11-03T06:00:00Z'));

    // Assess
    const days = mocks.dynamodb
      .commandCalls(QueryCommand)
      .map((c) => c.args[0].input)
      .filter((i) => i.IndexName === 'byDay');
    expect(days.map((i) => i.ExpressionAttributeValues?.[':day'])).toEqual(['2026-11-03', '2026-11-02']);
    expect(days[0]).toMatchObject({
      KeyConditionExpression: '#day = :day AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':from': '2026-11-02T12:00:00.000Z', ':to': '2026-11-03T06:00:00.000Z' },
    });
    expect(items.map((i) => [i.kind, i.cluster, i.time, i.expiresAt])).toEqual([
      ['decision', 'prod-api', '2026-11-02T23:30:00.000Z', record?.expiresAt],
      ['sweep', '-', '2026-11-03T00:10:05.000Z', undefined],
    ]);
    expect(items[0]?.item).toBe(edited);
  });

  it("gives the first sweep's start as the beginning of the guard's coverage", async () => {
    // Prepare
    mocks.dynamodb
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': `#sweep#${REGION}` } })
      .resolves({ Items: [{ startedAt: '2026-09-01T00:00:00.000Z' }] });

    // Act
    const first = await seal().firstSweepAt();

    // Assess
    expect(first?.toISOString()).toBe('2026-09-01T00:00:00.000Z');
    expect(mocks.dynamodb).toHaveReceivedCommandWith(QueryCommand, { ScanIndexForward: true, Limit: 1 });
  });
});
