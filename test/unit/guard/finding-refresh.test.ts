import 'aws-sdk-client-mock-jest';
import { ListClustersCommand } from '@aws-sdk/client-eks';
import {
  BatchImportFindingsCommand,
  type BatchImportFindingsCommandInput,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { CheckResult } from '../../../functions/core/result';
import { sweep } from '../../../functions/guard/sweep';
import {
  ACCOUNT,
  givenCluster,
  mocks,
  processOptions,
  REGION,
  resetAws,
  STRICT_POLICY,
  testConfig,
  testPorts,
} from '../support/aws';

/**
 * Issue 19, finding 8: anyone with securityhub:BatchImportFindings could re-import the guard's
 * finding (its Id is deterministic) as PASSED / ARCHIVED, and the guard imported again only on a
 * new sighting. Each sweep now re-imports the current finding of every non-compliant or exempt
 * cluster, alert or not.
 */
const securityhub = mockClient(SecurityHubClient);
const T0 = new Date('2026-06-03T10:00:00Z');
const NOTIFY = { ...STRICT_POLICY, mode: 'notify' };

let items: Record<string, unknown>[] = [];
function givenStatefulAudit(): void {
  items = [];
  mocks.dynamodb.on(PutCommand).callsFake((input) => {
    items.push(input.Item);
    return {};
  });
  mocks.dynamodb.on(QueryCommand).callsFake((input) => {
    const values = input.ExpressionAttributeValues ?? {};
    const rows = items
      .filter((i) => i.pk === values[':pk'] && String(i.sk) >= String(values[':since'] ?? ''))
      .sort((a, b) => String(b.sk).localeCompare(String(a.sk)));
    return { Items: rows };
  });
}

async function runSweep(at: Date): Promise<CheckResult[]> {
  const config = testConfig({ SECURITY_HUB: 'true' });
  const results: CheckResult[] = [];
  for await (const result of sweep(testPorts(at, config), processOptions(config).guard, {
    region: REGION,
    account: ACCOUNT,
    sweepId: `sweep-${at.getTime()}`,
    trigger: { source: 'sweep' },
    concurrency: 1,
  })) {
    results.push(result);
  }
  return results;
}

const imported = () =>
  securityhub
    .commandCalls(BatchImportFindingsCommand)
    .flatMap((call) => (call.args[0].input as BatchImportFindingsCommandInput).Findings ?? []);

beforeEach(() => {
  resetAws(NOTIFY);
  givenStatefulAudit();
  securityhub.reset();
  securityhub
    .on(BatchImportFindingsCommand)
    .resolves({ FailedCount: 0, SuccessCount: 1, FailedFindings: [] });
  mocks.eks.on(ListClustersCommand).resolves({ clusters: ['prod-api', 'legacy-batch'] });
  givenCluster({ name: 'prod-api', publicAccess: true, privateAccess: false, cidrs: ['0.0.0.0/0'] });
  givenCluster({
    name: 'legacy-batch',
    publicAccess: true,
    privateAccess: false,
    cidrs: ['0.0.0.0/0'],
    tags: { 'eks-endpoint-guard/exempt': 'OPS-1 until 2027-01-31' },
  });
});

describe('each sweep re-imports the current finding (finding 8)', () => {
  it('of every non-compliant or exempt cluster, though the repeat sighting alerts nobody', async () => {
    // Prepare: the first sweep alerts and imports
    await runSweep(T0);
    const alerts = mocks.sns.commandCalls(PublishCommand).length;
    securityhub.resetHistory();

    // Act: a forged PASSED import happened in between; the next sweep finds the same clusters
    const results = await runSweep(new Date(T0.getTime() + 3_600_000));

    // Assess
    expect(results.map((r) => [r.cluster, r.outcome])).toEqual([
      ['prod-api', 'would-remediate'],
      ['legacy-batch', 'exempt'],
    ]);
    expect(mocks.sns.commandCalls(PublishCommand)).toHaveLength(alerts);
    const findings = imported();
    expect(
      findings.map((f) => [f.Resources?.[0]?.Details?.AwsEksCluster?.Name, f.Compliance?.Status]),
    ).toEqual(
      expect.arrayContaining([
        ['prod-api', 'FAILED'],
        ['legacy-batch', 'FAILED'],
      ]),
    );
    expect(findings.every((f) => f.RecordState === 'ACTIVE')).toBe(true);
  });

  it('queues a failed re-import for a retry instead of losing it', async () => {
    // Prepare
    await runSweep(T0);
    securityhub.reset();
    securityhub.on(BatchImportFindingsCommand).rejects(new Error('throttled'));
    const queued = mocks.sqs.commandCalls(SendMessageCommand).length;

    // Act
    await runSweep(new Date(T0.getTime() + 3_600_000));

    // Assess
    const bodies = mocks.sqs
      .commandCalls(SendMessageCommand)
      .slice(queued)
      .map((call) => JSON.parse(call.args[0].input.MessageBody ?? '{}'));
    expect(bodies.filter((b) => b.delivery?.channel === 'security-hub')).toHaveLength(2);
  });

  it('imports nothing for a compliant cluster or an event that is not a sweep', async () => {
    // Prepare
    givenCluster({ name: 'prod-api', publicAccess: false, privateAccess: true });
    mocks.eks.on(ListClustersCommand).resolves({ clusters: ['prod-api'] });
    await runSweep(T0);
    securityhub.resetHistory();

    // Act
    await runSweep(new Date(T0.getTime() + 3_600_000));

    // Assess
    expect(securityhub).not.toHaveReceivedCommand(BatchImportFindingsCommand);
  });
});
