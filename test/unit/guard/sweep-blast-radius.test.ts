import 'aws-sdk-client-mock-jest';
import { ListClustersCommand, ResourceInUseException, UpdateClusterConfigCommand } from '@aws-sdk/client-eks';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { CheckResult } from '../../../functions/core/result';
import { processEvent } from '../../../functions/guard/process-event';
import { sweep } from '../../../functions/guard/sweep';
import {
  ACCOUNT,
  auditWrites,
  givenCluster,
  loadEvent,
  mocks,
  processOptions,
  REGION,
  resetAws,
  STRICT_POLICY,
  testPorts,
} from '../support/aws';

const GUARD = {
  region: REGION,
  act: true,
  recheckDeadlineMinutes: 120,
  flipFlop: { threshold: 3, windowMinutes: 60 },
};
const SWEEP = {
  region: REGION,
  account: ACCOUNT,
  sweepId: 'sweep-3f8a2b1c',
  trigger: { source: 'sweep' as const },
  concurrency: 1,
};
const CLUSTERS = ['c-1', 'c-2', 'c-3', 'c-4', 'c-5'];

function givenFleet(names: string[]): void {
  mocks.eks.on(ListClustersCommand).resolves({ clusters: names });
  for (const name of names) givenCluster({ name });
}

async function runSweep(act = true, concurrency = SWEEP.concurrency): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for await (const result of sweep(testPorts(), { ...GUARD, act }, { ...SWEEP, concurrency })) {
    results.push(result);
  }
  return results;
}

/** Every alert published, with its subject and severity attribute. */
function alerts(): { subject: string; severity: string; text: string }[] {
  return mocks.sns.commandCalls(PublishCommand).map((call) => {
    const input = call.args[0].input;
    return {
      subject: input.Subject ?? '',
      severity: input.MessageAttributes?.severity?.StringValue ?? '',
      text: JSON.parse(input.Message ?? '{}').default,
    };
  });
}

describe('maxRemediationsPerRun: the blast-radius limit of a sweep', () => {
  it('changes 2 of 5 non-compliant clusters, reports the rest would-remediate and sends one critical alert', async () => {
    // Prepare
    resetAws({ ...STRICT_POLICY, maxRemediationsPerRun: 2 });
    givenFleet(CLUSTERS);

    // Act
    const results = await runSweep();

    // Assess
    expect(mocks.eks).toHaveReceivedCommandTimes(UpdateClusterConfigCommand, 2);
    const byCluster = Object.fromEntries(results.map((r) => [r.cluster, r]));
    expect(CLUSTERS.map((c) => byCluster[c]?.outcome)).toEqual([
      'remediated',
      'remediated',
      'would-remediate',
      'would-remediate',
      'would-remediate',
    ]);
    expect(byCluster['c-3']?.reason).toMatch(
      /blast-radius limit of 2 remediation\(s\) \(maxRemediationsPerRun\)/,
    );
    expect(byCluster['-']).toMatchObject({
      outcome: 'would-remediate',
      blastRadius: { limit: 2, withheld: 3, clusters: ['c-3', 'c-4', 'c-5'] },
    });
    const critical = alerts().filter((a) => a.severity === 'critical');
    expect(critical).toHaveLength(1);
    expect(critical[0]?.subject).toBe(
      '[eks-endpoint-guard] sweep stopped at the blast-radius limit (2): 3 cluster(s) not changed',
    );
    expect(critical[0]?.text).toContain('it left 3 unchanged: c-3, c-4, c-5.');
    // Two remediation alerts and the sweep's one: none per withheld cluster.
    expect(alerts()).toHaveLength(3);
    expect(auditWrites().filter((w) => w.outcome === 'would-remediate')).toHaveLength(4);
    // The sweep's summary counts clusters: the sweep's own record is not one.
    expect(auditWrites().find((w) => String(w.pk).startsWith('#sweep#'))).toMatchObject({
      clustersChecked: 5,
      outcomes: { remediated: 2, 'would-remediate': 3 },
    });
  });

  it('never issues more updates than the limit with checks running concurrently', async () => {
    // Prepare
    resetAws({ ...STRICT_POLICY, maxRemediationsPerRun: 2 });
    givenFleet(CLUSTERS);

    // Act
    const results = await runSweep(true, 8);

    // Assess
    expect(mocks.eks).toHaveReceivedCommandTimes(UpdateClusterConfigCommand, 2);
    expect(results.filter((r) => r.outcome === 'remediated')).toHaveLength(2);
    expect(results.find((r) => r.cluster === '-')?.blastRadius?.withheld).toBe(3);
  });

  it('gives the reservation back when no update was issued (the cluster was busy)', async () => {
    // Prepare
    resetAws({ ...STRICT_POLICY, maxRemediationsPerRun: 2 });
    givenFleet(['c-1', 'c-2', 'c-3']);
    mocks.eks
      .on(UpdateClusterConfigCommand, { name: 'c-1' })
      .rejects(new ResourceInUseException({ message: 'update in progress', $metadata: {} }));

    // Act
    const results = await runSweep();

    // Assess
    expect(results.map((r) => [r.cluster, r.outcome])).toEqual([
      ['c-1', 'deferred'],
      ['c-2', 'remediated'],
      ['c-3', 'remediated'],
    ]);
    expect(alerts().filter((a) => a.severity === 'critical')).toHaveLength(0);
  });

  it('changes every cluster and sends no sweep alert without a limit', async () => {
    // Prepare
    resetAws(STRICT_POLICY);
    givenFleet(CLUSTERS);

    // Act
    const results = await runSweep();

    // Assess
    expect(mocks.eks).toHaveReceivedCommandTimes(UpdateClusterConfigCommand, 5);
    expect(results.some((r) => r.cluster === '-')).toBe(false);
  });

  it('does not apply to a report-only sweep, which changes nothing anyway', async () => {
    // Prepare
    resetAws({ ...STRICT_POLICY, maxRemediationsPerRun: 2 });
    givenFleet(CLUSTERS);

    // Act
    const results = await runSweep(false);

    // Assess
    expect(results.map((r) => r.outcome)).toEqual(Array(5).fill('would-remediate'));
    expect(results.every((r) => r.reason.endsWith('(report only)'))).toBe(true);
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
  });

  it('does not limit the event path: one event is one cluster', async () => {
    // Prepare
    resetAws({ ...STRICT_POLICY, maxRemediationsPerRun: 1 });
    givenCluster({ name: 'prod-api' });
    const event = loadEvent('update-config-open-world.json');

    // Act
    const first = await processEvent(event, testPorts(), processOptions());
    const second = await processEvent(
      { ...event, id: 'another-event', detail: { ...(event.detail as object), eventID: 'another' } },
      testPorts(),
      processOptions(),
    );

    // Assess
    expect([first.results[0]?.outcome, second.results[0]?.outcome]).toEqual(['remediated', 'remediated']);
  });
});
