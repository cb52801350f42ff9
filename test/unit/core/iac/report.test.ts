import { readFileSync } from 'node:fs';
import { iacReport } from '../../../../functions/core/iac/report';
import { IacInputError } from '../../../../functions/core/iac/source';
import { IAC_SCHEMA_PATH, iacSchemaText } from '../../../../scripts/write-iac-schema';
import { TERRAFORM_PLAN_TEXT } from './fixtures/terraform-plan';
import { checkedOf, reportSchemaErrors } from './support';

const TEMPLATE = `Resources:
  Prod:
    Type: AWS::EKS::Cluster
    Properties:
      Name: prod-api
      ResourcesVpcConfig:
        EndpointPublicAccess: true
  Legacy:
    Type: AWS::EKS::Cluster
    Properties:
      Name: legacy-billing
`;
const POLICY_REF = { source: 'policy.json', digest: 'sha256:0000' };

describe('docs/iac-result.schema.json', () => {
  it('is the schema the code describes (regenerate with `npm run iac-schema`)', () => {
    // Act
    const committed = readFileSync(IAC_SCHEMA_PATH, 'utf8');

    // Assess
    expect(committed).toBe(iacSchemaText());
  });
});

describe('iacReport', () => {
  it('is valid by the committed schema, for templates, plans and unreadable inputs', () => {
    // Prepare
    const checked = [...checkedOf(TEMPLATE, 'cluster.yaml'), ...checkedOf(TERRAFORM_PLAN_TEXT, 'plan.json')];
    const errors = [new IacInputError('broken.json', 'invalid JSON: expected ","', { line: 2, column: 3 })];

    // Act
    const report = iacReport(checked, errors, POLICY_REF, 3);

    // Assess
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(reportSchemaErrors({ ...report, summary: { ...report.summary, files: -1 } })).not.toEqual([]);
    expect(report.summary).toEqual({
      files: 3,
      clusters: 5,
      compliant: 1,
      nonCompliant: 2,
      unknown: 1,
      exempt: 1,
      unreadable: 1,
    });
    expect(report.errors).toEqual([
      { file: 'broken.json', line: 2, column: 3, message: 'invalid JSON: expected ","' },
    ]);
  });

  it('names the file, the resource, the cluster, the rule and the compliant value to write', () => {
    // Act
    const report = iacReport(checkedOf(TEMPLATE, 'cluster.yaml'), [], POLICY_REF, 1);

    // Assess
    expect(report.clusters[0]).toEqual({
      file: 'cluster.yaml',
      format: 'cloudformation',
      resource: 'Prod',
      resourceType: 'AWS::EKS::Cluster',
      line: 2,
      column: 3,
      cluster: 'prod-api',
      clusterFrom: 'name',
      status: 'non-compliant',
      mode: 'enforce',
      rules: 'publicAccess "restricted" 203.0.113.0/24, privateAccess "required" (policy)',
      findings: [
        {
          rule: 'public-cidrs',
          setting: 'publicAccessCidrs',
          line: 6,
          column: 7,
          message:
            'public endpoint is open to 0.0.0.0/0, outside the allowed networks 203.0.113.0/24 (ResourcesVpcConfig.PublicAccessCidrs is not set, so the EKS default applies)',
        },
        {
          rule: 'private-required',
          setting: 'privateAccess',
          line: 6,
          column: 7,
          message:
            'private endpoint is disabled, but the policy requires it enabled (ResourcesVpcConfig.EndpointPrivateAccess is not set, so the EKS default applies)',
        },
      ],
      fix: {
        publicAccess: true,
        privateAccess: true,
        publicAccessCidrs: ['203.0.113.0/24'],
        write:
          'ResourcesVpcConfig: { EndpointPublicAccess: true, EndpointPrivateAccess: true, PublicAccessCidrs: [203.0.113.0/24] }',
      },
      notes: [],
    });
    expect(report.clusters[1]).toMatchObject({
      cluster: 'legacy-billing',
      status: 'exempt',
      exemption: { source: 'policy', reason: 'OPS-123 migration' },
    });
  });
});
