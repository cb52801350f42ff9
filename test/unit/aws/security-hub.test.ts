import 'aws-sdk-client-mock-jest';
import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { IMPORT_BATCH, SecurityHubImportError, securityHub } from '../../../functions/aws/security-hub';
import { renderFindings } from '../../../functions/core/alert/asff';
import { sampleFacts } from '../core/alert/support';

const hub = mockClient(SecurityHubClient);
const ARN = 'arn:aws:eks:eu-west-1:111122223333:cluster/prod-api';
const CONTROL_PRODUCT = 'arn:aws:securityhub:eu-west-1::product/aws/securityhub';

beforeEach(() => {
  hub.reset();
  hub.on(BatchImportFindingsCommand).resolves({ FailedCount: 0, SuccessCount: 1, FailedFindings: [] });
});

describe('Security Hub adapter', () => {
  it('imports the findings exactly as rendered', async () => {
    // Prepare
    const findings = renderFindings(sampleFacts('blocked'));
    // Act
    await securityHub(new SecurityHubClient({ region: 'eu-west-1' })).importFindings(findings);
    // Assess
    expect(hub).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 1);
    expect(hub).toHaveReceivedCommandWith(BatchImportFindingsCommand, { Findings: findings });
  });

  it('imports in batches of at most 100', async () => {
    // Prepare
    const [one] = renderFindings(sampleFacts('blocked'));
    const findings = Array.from({ length: IMPORT_BATCH + 1 }, (_, i) => ({
      ...one,
      Id: `f-${i}`,
    })) as never[];
    // Act
    await securityHub(() => new SecurityHubClient({ region: 'eu-west-1' })).importFindings(findings);
    // Assess
    const sizes = hub
      .commandCalls(BatchImportFindingsCommand)
      .map((call) => call.args[0].input.Findings?.length);
    expect(sizes).toEqual([100, 1]);
  });

  it('fails, naming each refused finding, so the caller retries them', async () => {
    // Prepare
    hub.on(BatchImportFindingsCommand).resolves({
      FailedCount: 1,
      SuccessCount: 1,
      FailedFindings: [{ Id: 'f-1', ErrorCode: 'InvalidInput', ErrorMessage: 'Title too long' }],
    });
    const findings = renderFindings(sampleFacts('blocked'));
    // Act
    const importing = securityHub(new SecurityHubClient({ region: 'eu-west-1' })).importFindings(findings);
    // Assess
    await expect(importing).rejects.toThrow(SecurityHubImportError);
    await expect(importing).rejects.toThrow(
      'Security Hub refused 1 finding(s): f-1 (InvalidInput: Title too long)',
    );
  });

  it('fails when Security Hub counts refusals without naming them', async () => {
    // Prepare
    hub.on(BatchImportFindingsCommand).resolves({ FailedCount: 2, SuccessCount: 0 });
    // Act
    const importing = securityHub(new SecurityHubClient({ region: 'eu-west-1' })).importFindings(
      renderFindings(sampleFacts('blocked')),
    );
    // Assess
    await expect(importing).rejects.toThrow('Security Hub refused 1 finding(s): 2 finding(s)');
  });

  it('notes the active EKS.1 control finding of the cluster, without touching its workflow', async () => {
    // Prepare
    hub
      .on(GetFindingsCommand)
      .resolves({ Findings: [{ Id: 'control-1', ProductArn: CONTROL_PRODUCT } as never] });
    hub.on(BatchUpdateFindingsCommand).resolves({ ProcessedFindings: [], UnprocessedFindings: [] });
    const note = { Text: 'prod-api: public endpoint turned off', UpdatedBy: 'eks-endpoint-guard' };
    // Act
    const noted = await securityHub(new SecurityHubClient({ region: 'eu-west-1' })).noteControlFinding(
      ARN,
      note,
    );
    // Assess
    expect(noted).toBe(1);
    expect(hub).toHaveReceivedCommandWith(GetFindingsCommand, {
      Filters: {
        ComplianceSecurityControlId: [{ Value: 'EKS.1', Comparison: 'EQUALS' }],
        ResourceId: [{ Value: ARN, Comparison: 'EQUALS' }],
        RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
      },
    });
    const update = hub.commandCalls(BatchUpdateFindingsCommand)[0]?.args[0].input;
    expect(update).toEqual({
      FindingIdentifiers: [{ Id: 'control-1', ProductArn: CONTROL_PRODUCT }],
      Note: note,
    });
  });

  it('suppresses the control finding only when asked to', async () => {
    // Prepare
    hub
      .on(GetFindingsCommand)
      .resolves({ Findings: [{ Id: 'control-1', ProductArn: CONTROL_PRODUCT } as never] });
    hub.on(BatchUpdateFindingsCommand).resolves({});
    // Act
    await securityHub(new SecurityHubClient({ region: 'eu-west-1' })).noteControlFinding(
      ARN,
      { Text: 'exempt', UpdatedBy: 'eks-endpoint-guard' },
      true,
    );
    // Assess
    expect(hub).toHaveReceivedCommandWith(BatchUpdateFindingsCommand, { Workflow: { Status: 'SUPPRESSED' } });
  });

  it('updates nothing when the cluster has no control finding', async () => {
    // Prepare
    hub.on(GetFindingsCommand).resolves({ Findings: [] });
    // Act
    const noted = await securityHub(new SecurityHubClient({ region: 'eu-west-1' })).noteControlFinding(ARN, {
      Text: 'x',
      UpdatedBy: 'eks-endpoint-guard',
    });
    // Assess
    expect(noted).toBe(0);
    expect(hub).toHaveReceivedCommandTimes(BatchUpdateFindingsCommand, 0);
  });
});
