import {
  ASFF_LIMITS,
  AsffFindingSchema,
  controlFindingNote,
  renderFindings,
} from '../../../../functions/core/alert/asff';
import { factsOf } from '../../../../functions/core/alert/facts';
import { SAMPLE_OPTIONS, sample } from '../../../../scripts/alert-samples';
import { HOSTILE, SAMPLE_NAMES, sampleFacts } from './support';

const ARN = 'arn:aws:eks:eu-west-1:111122223333:cluster/prod-api';

describe('Security Hub findings (ASFF)', () => {
  it.each(SAMPLE_NAMES)('of the %s sample carry the required fields within their limits', (name) => {
    // Act
    const findings = renderFindings(sampleFacts(name));
    // Assess
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) {
      const parsed = AsffFindingSchema.safeParse(finding);
      expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    }
  });

  it('are one per cluster and rule, FAILED and ACTIVE while the rule is broken', () => {
    // Act
    const findings = renderFindings(sampleFacts('blocked'));
    // Assess
    expect(
      findings.map((f) => [f.Id, f.GeneratorId, f.Compliance.Status, f.RecordState, f.Severity.Label]),
    ).toEqual([
      [
        'eks-endpoint-guard/111122223333/eu-west-1/prod-api/public-disabled',
        'eks-endpoint-guard/public-disabled',
        'FAILED',
        'ACTIVE',
        'HIGH',
      ],
      [
        'eks-endpoint-guard/111122223333/eu-west-1/prod-api/private-required',
        'eks-endpoint-guard/private-required',
        'FAILED',
        'ACTIVE',
        'HIGH',
      ],
    ]);
    expect(findings[0]).toMatchObject({
      SchemaVersion: '2018-10-08',
      ProductArn: 'arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default',
      AwsAccountId: '111122223333',
      Title: 'EKS cluster prod-api: the public endpoint must be off',
      FindingProviderFields: {
        Severity: { Label: 'HIGH', Original: 'blocked' },
        Types: ['Software and Configuration Checks/AWS Security Best Practices/EKS Endpoint Access'],
      },
      Resources: [
        {
          Type: 'AwsEksCluster',
          Id: ARN,
          Partition: 'aws',
          Region: 'eu-west-1',
          Details: {
            AwsEksCluster: { Name: 'prod-api', Arn: ARN, ResourcesVpcConfig: { EndpointPublicAccess: true } },
          },
        },
      ],
      ProductFields: expect.objectContaining({
        'eks-endpoint-guard/endpointPrivateAccess': 'false',
        'eks-endpoint-guard/publicAccessCidrs': '0.0.0.0/0',
      }),
      SourceUrl: expect.stringContaining('selectedTab=cluster-networking-tab'),
      Remediation: { Recommendation: { Text: expect.stringContaining('turn on DNS hostnames in vpc-0abc') } },
    });
  });

  it('are PASSED and ARCHIVED, same ids, once remediated or resolved', () => {
    // Act
    const open = renderFindings(sampleFacts('blocked'));
    const remediated = renderFindings(sampleFacts('remediated'));
    const resolved = renderFindings(sampleFacts('resolved'));
    // Assess
    for (const findings of [remediated, resolved]) {
      expect(findings.map((f) => f.Id)).toEqual(open.map((f) => f.Id));
      expect(findings.map((f) => [f.Compliance.Status, f.RecordState, f.Severity.Label])).toEqual([
        ['PASSED', 'ARCHIVED', 'INFORMATIONAL'],
        ['PASSED', 'ARCHIVED', 'INFORMATIONAL'],
      ]);
      expect(findings[0]?.Remediation).toBeUndefined();
    }
    expect(remediated[0]?.Resources[0]?.Details.AwsEksCluster.ResourcesVpcConfig.EndpointPublicAccess).toBe(
      false,
    );
  });

  it('of an exempt cluster carry the exemption reason and expiry', () => {
    // Act
    const [finding] = renderFindings(sampleFacts('exempt'));
    // Assess
    expect(finding).toMatchObject({
      Compliance: { Status: 'FAILED' },
      RecordState: 'ACTIVE',
      Severity: { Label: 'LOW' },
      UserDefinedFields: {
        exemptionSource: 'policy',
        exemptionReason: 'OPS-123 load test',
        exemptionExpires: '2026-07-31',
      },
      Note: {
        Text: 'Exempt by the policy exemptions until 2026-07-31 (inclusive): OPS-123 load test',
        UpdatedBy: 'eks-endpoint-guard',
        UpdatedAt: '2026-06-03T10:17:41.000Z',
      },
    });
  });

  it('grade severity by outcome', () => {
    // Act
    const labels = ['would-remediate', 'failed', 'escalation'].map(
      (name) => renderFindings(sampleFacts(name))[0]?.Severity.Label,
    );
    // Assess
    expect(labels).toEqual(['MEDIUM', 'HIGH', 'CRITICAL']);
  });

  it('of a check that could not run say NOT_AVAILABLE for the check rule', () => {
    // Act
    const findings = renderFindings(sampleFacts('failed-policy'));
    // Assess
    expect(findings.map((f) => [f.GeneratorId, f.Compliance.Status])).toEqual([
      ['eks-endpoint-guard/check', 'NOT_AVAILABLE'],
    ]);
  });

  it('are none when the account is unknown, which a finding requires', () => {
    // Act
    const findings = renderFindings(sampleFacts('blocked', { account: undefined }));
    // Assess
    expect(findings).toEqual([]);
  });

  it('stay within every limit for hostile and very long outside text', () => {
    // Prepare
    const long = HOSTILE.repeat(80);
    const facts = factsOf(
      sample({
        outcome: 'exempt',
        reason: long,
        exemption: { source: 'tag', reason: long, expires: '2026-12-31' },
        trigger: { source: 'event', actorArn: long, eventTime: 'not a time' },
        violations: [{ rule: 'public-cidrs', reason: long, offendingCidrs: ['0.0.0.0/0'] }],
      }),
      SAMPLE_OPTIONS,
    );
    // Act
    const findings = renderFindings(facts as NonNullable<typeof facts>);
    // Assess
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(AsffFindingSchema.safeParse(finding).success).toBe(true);
    expect(finding?.Description.length).toBeLessThanOrEqual(ASFF_LIMITS.description);
    expect(finding?.Note?.Text.length).toBeLessThanOrEqual(ASFF_LIMITS.noteText);
    expect(finding?.CreatedAt).toBe('2026-06-03T10:17:41.000Z');
    expect(JSON.stringify(finding)).not.toMatch(/\\n|\\u0000|\u202e/);
  });

  it('the schema rejects a finding over a limit, so the limit check can fail', () => {
    // Prepare
    const [finding] = renderFindings(sampleFacts('blocked'));
    // Act
    const parsed = AsffFindingSchema.safeParse({ ...finding, Title: 't'.repeat(ASFF_LIMITS.title + 1) });
    // Assess
    expect(parsed.success).toBe(false);
  });

  it('note for the managed EKS.1 control finding what the guard did', () => {
    // Act
    const note = controlFindingNote(sampleFacts('remediated'));
    // Assess
    expect(note).toEqual({
      Text: 'prod-api: public endpoint turned off (was open to 0.0.0.0/0). Decided 2026-06-03T10:17:41.000Z, correlation id 7d1e6c2a-3f4b-4a5c-9d8e-0f1a2b3c4d5e.',
      UpdatedBy: 'eks-endpoint-guard',
    });
  });
});
