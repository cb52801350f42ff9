import { ListClustersCommand } from '@aws-sdk/client-eks';
import { printWhatIf, whatIf, whatIfJson } from '../../../../../functions/cli/commands/policy/what-if';
import type { CliIo } from '../../../../../functions/cli/io';
import { policySource } from '../../../../../functions/guard/policy-source';
import { givenAuditClients, givenCluster, mocks, REGION, resetAws, testPorts } from '../../../support/aws';

/** `policy what-if` names, for each cluster the candidate would change, the clients that change would cut off. */
const LIVE = { version: 1, publicAccess: 'allowed', privateAccess: 'optional' };
const CANDIDATE = {
  version: 1,
  publicAccess: 'restricted',
  allowedPublicCidrs: ['203.0.113.0/24'],
  privateAccess: 'optional',
};
const GUARD = {
  region: REGION,
  act: true,
  recheckDeadlineMinutes: 120,
  flipFlop: { threshold: 3, windowMinutes: 60 },
};

beforeEach(() => {
  resetAws();
  givenCluster({
    name: 'prod-api',
    publicAccess: true,
    privateAccess: false,
    cidrs: ['0.0.0.0/0'],
    auditLogging: true,
  });
  mocks.eks.on(ListClustersCommand).resolves({ clusters: ['prod-api'] });
  givenAuditClients([
    { client: '198.51.100.23', user: 'ci', requests: 120, lastSeen: '2026-06-03 10:14:00.000' },
    { client: '203.0.113.40', user: 'maria', requests: 17, lastSeen: '2026-06-03 09:58:02.000' },
  ]);
});

describe('policy what-if', () => {
  it('names the clients the candidate’s change would cut off, in the JSON and the table', async () => {
    // Act
    const report = await whatIf(
      testPorts(),
      GUARD,
      policySource(JSON.stringify(LIVE), 'live'),
      policySource(JSON.stringify(CANDIDATE), 'candidate.json'),
      2,
    );
    let out = '';
    const io = {
      out: (text: string) => (out += text),
      style: { bold: (t: string) => t },
    } as unknown as CliIo;
    printWhatIf(report, io);

    // Assess
    const [change] = whatIfJson(report).changes;
    expect(change?.candidate).toMatchObject({
      outcome: 'would-remediate',
      clientsCutOff: { clients: [{ ip: '198.51.100.23', requests: 120 }], seen: 2 },
    });
    expect(out.split('\n')[0]).toMatch(/WOULD CUT OFF/);
    expect(out).toContain('1: 198.51.100.23');
  });
});
