import 'aws-sdk-client-mock-jest';
import { ListClustersCommand } from '@aws-sdk/client-eks';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { auditItem } from '../../../functions/aws/audit-store';
import type { CheckResult } from '../../../functions/core/result';
import { RESOLUTION_HISTORY } from '../../../functions/guard/alerts';
import { processEvent } from '../../../functions/guard/process-event';
import { givenCluster, loadEvent, mocks, processOptions, resetAws, testPorts } from '../support/aws';

/** What a sweep leaves in the audit table: a summary, a marker per cluster, records only for changes. */
const NOW = new Date('2026-06-03T10:20:00Z');
const run = (event: unknown) => processEvent(event, testPorts(NOW), processOptions());

function puts(): Record<string, unknown>[] {
  return mocks.dynamodb.commandCalls(PutCommand).map((c) => c.args[0].input.Item as Record<string, unknown>);
}

const decisions = () => puts().filter((item) => !String(item.pk).startsWith('#'));
const markers = () => puts().filter((item) => String(item.pk).startsWith('#checked#'));
const summaries = () => puts().filter((item) => String(item.pk).startsWith('#sweep#'));

function previousRecord(cluster: string, digest: string): CheckResult {
  return {
    cluster,
    region: 'us-east-1',
    outcome: 'compliant',
    reason: 'complies',
    time: '2026-06-03T09:20:00.000Z',
    correlationId: `sweep-1/${cluster}`,
    trigger: { source: 'sweep' },
    attempt: 0,
    before: { publicAccess: false, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
    policy: {
      source: '/eks-endpoint-guard/policy',
      version: 1,
      digest,
      mode: 'enforce',
      exemptionTag: 'eks-endpoint-guard/exempt',
      rule: 'x',
    },
  };
}

beforeEach(() => resetAws());

describe('a sweep that acts', () => {
  it('writes one summary with the outcome counts and a marker per cluster', async () => {
    // Prepare
    mocks.eks.on(ListClustersCommand).resolves({ clusters: ['prod-api', 'payments'] });
    givenCluster({ name: 'prod-api' });
    givenCluster({ name: 'payments', publicAccess: false, privateAccess: true });

    // Act
    await run(loadEvent('scheduled-sweep.json'));

    // Assess
    expect(summaries()).toEqual([
      expect.objectContaining({
        kind: 'sweep-summary',
        region: 'us-east-1',
        clustersChecked: 2,
        outcomes: { remediated: 1, compliant: 1 },
        policyDigests: [expect.stringMatching(/^sha256:/)],
        durationMs: 0,
        time: NOW.toISOString(),
        startedAt: NOW.toISOString(),
      }),
    ]);
    expect(markers().map((m) => [m.sk, m.lastOutcome, m.outcome])).toEqual(
      expect.arrayContaining([
        ['prod-api', 'remediated', undefined],
        ['payments', 'compliant', undefined],
      ]),
    );
    // First sighting of the compliant cluster: recorded in full, as is the remediation.
    expect(
      decisions()
        .map((d) => d.outcome)
        .sort(),
    ).toEqual(['compliant', 'remediated']);
  });

  it('leaves only the marker for a compliant cluster whose latest record says the same', async () => {
    // Prepare
    mocks.eks.on(ListClustersCommand).resolves({ clusters: ['payments'] });
    givenCluster({ name: 'payments', publicAccess: false, privateAccess: true });
    const first = await processEvent(loadEvent('scheduled-sweep.json'), testPorts(NOW), processOptions());
    const digest = first.results[0]?.policy?.digest ?? '';
    mocks.dynamodb.resetHistory();
    mocks.dynamodb.on(QueryCommand).resolves({ Items: [auditItem(previousRecord('payments', digest), 0)] });

    // Act
    await run(loadEvent('scheduled-sweep.json'));

    // Assess
    expect(decisions()).toEqual([]);
    expect(markers()).toHaveLength(1);
    expect(summaries()).toHaveLength(1);
    // One read of the cluster's newest records, of any age, serves the record and the resolved-alert check.
    expect(mocks.dynamodb).toHaveReceivedCommandTimes(QueryCommand, 1);
    expect(mocks.dynamodb).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: 'pk = :pk AND sk >= :since',
      Limit: RESOLUTION_HISTORY,
      ExpressionAttributeValues: { ':pk': 'us-east-1#payments', ':since': '1970-01-01T00:00:00.000Z' },
    });
  });

  it('records a compliant check in full when the policy changed since the latest record', async () => {
    // Prepare
    mocks.eks.on(ListClustersCommand).resolves({ clusters: ['payments'] });
    givenCluster({ name: 'payments', publicAccess: false, privateAccess: true });
    mocks.dynamodb
      .on(QueryCommand)
      .resolves({ Items: [auditItem(previousRecord('payments', 'sha256:older'), 0)] });

    // Act
    await run(loadEvent('scheduled-sweep.json'));

    // Assess
    expect(decisions().map((d) => d.outcome)).toEqual(['compliant']);
  });

  it('writes no summary and no marker when it only reports', async () => {
    // Prepare
    mocks.eks.on(ListClustersCommand).resolves({ clusters: ['payments'] });
    givenCluster({ name: 'payments', publicAccess: false, privateAccess: true });

    // Act
    await processEvent(loadEvent('scheduled-sweep.json'), testPorts(NOW), processOptions(undefined, false));

    // Assess
    expect(puts()).toEqual([]);
  });

  it('still writes a summary when the policy is unusable, counting no cluster', async () => {
    // Prepare
    resetAws({ version: 1, publicAccess: 'sometimes' });

    // Act
    await run(loadEvent('scheduled-sweep.json'));

    // Assess
    expect(summaries()).toEqual([expect.objectContaining({ clustersChecked: 0, outcomes: { failed: 1 } })]);
    expect(markers()).toEqual([]);
  });
});

describe('an event-triggered decision', () => {
  it('is recorded in full and moves no marker', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', publicAccess: false, privateAccess: true });

    // Act
    await run(loadEvent('update-config-open-world.json'));

    // Assess
    expect(decisions().map((d) => d.outcome)).toEqual(['compliant']);
    expect(markers()).toEqual([]);
    expect(summaries()).toEqual([]);
  });
});
