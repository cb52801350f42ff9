import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { securityHub } from '../../functions/aws/security-hub';
import { renderFindings } from '../../functions/core/alert/asff';
import { sampleFacts } from '../unit/core/alert/support';
import { ACCOUNT, REGION, useEmulator } from './support';

/** The guard's findings through the real SDK against the emulator's Security Hub. */
let client: SecurityHubClient;

beforeAll(() => {
  useEmulator();
  client = new SecurityHubClient({ region: REGION });
});

afterAll(() => client.destroy());

/** The sample decisions, moved into the emulator's account and region and onto a cluster of this file. */
function findingsOf(name: string) {
  return renderFindings(
    sampleFacts(name, {
      account: ACCOUNT,
      region: REGION,
      cluster: 'sh-prod-api',
      clusterArn: `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/sh-prod-api`,
    }),
  );
}

async function findingsOfCluster() {
  const { Findings = [] } = await client.send(
    new GetFindingsCommand({
      Filters: { GeneratorId: [{ Value: 'eks-endpoint-guard/', Comparison: 'PREFIX' }] },
      MaxResults: 100,
    }),
  );
  return Findings.filter((f) => f.Resources?.[0]?.Id?.endsWith('/sh-prod-api'));
}

describe('Security Hub findings in the emulator', () => {
  it('are imported one per rule, and a resolution updates the same findings', async () => {
    // Prepare
    const hub = securityHub(client);
    // Act
    await hub.importFindings(findingsOf('blocked'));
    const open = await findingsOfCluster();
    await hub.importFindings(findingsOf('resolved'));
    const resolved = await findingsOfCluster();
    // Assess
    expect(open.map((f) => [f.GeneratorId, f.Compliance?.Status]).sort()).toEqual([
      ['eks-endpoint-guard/private-required', 'FAILED'],
      ['eks-endpoint-guard/public-disabled', 'FAILED'],
    ]);
    expect(resolved.map((f) => f.Id).sort()).toEqual(open.map((f) => f.Id).sort());
    expect(resolved.map((f) => [f.Compliance?.Status, f.RecordState])).toEqual([
      ['PASSED', 'ARCHIVED'],
      ['PASSED', 'ARCHIVED'],
    ]);
    expect(resolved[0]?.ProductArn).toBe(
      `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`,
    );
  });
});
