import { type SarifLog, sarifLog } from '../../../../functions/core/iac/sarif';
import { IacInputError } from '../../../../functions/core/iac/source';
import { TERRAFORM_PLAN_TEXT } from './fixtures/terraform-plan';
import { checkedOf, sarifSchemaErrors } from './support';

const TEMPLATE = `Resources:
  Prod:
    Type: AWS::EKS::Cluster
    Properties:
      Name: prod-api
      ResourcesVpcConfig:
        SubnetIds: [subnet-1]
        EndpointPublicAccess: true
        EndpointPrivateAccess: false
        PublicAccessCidrs: [0.0.0.0/0]
  Maybe:
    Type: AWS::EKS::Cluster
    Properties:
      ResourcesVpcConfig:
        EndpointPublicAccess: !Ref Public
        EndpointPrivateAccess: true
  Legacy:
    Type: AWS::EKS::Cluster
    Properties:
      Name: legacy-billing
  Fine:
    Type: AWS::EKS::Cluster
    Properties:
      Name: fine
      ResourcesVpcConfig:
        EndpointPublicAccess: false
        EndpointPrivateAccess: true
`;

const OPTIONS = { version: '0.1.0', uriOf: (file: string) => `infra/${file}` };

type Result = {
  ruleId: string;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> };
    logicalLocations: { fullyQualifiedName: string }[];
  }[];
  partialFingerprints: Record<string, string>;
};
type Rule = {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  properties: { tags: string[]; precision: string; 'security-severity': string };
};

function runOf(log: SarifLog): Record<string, unknown> {
  const [run] = log.runs;
  if (!run) throw new Error('the log has no run');
  return run;
}

function resultsOf(log: SarifLog): Result[] {
  return runOf(log).results as Result[];
}

function rulesOf(log: SarifLog): Rule[] {
  return (runOf(log).tool as { driver: { rules: Rule[] } }).driver.rules;
}

describe('sarifLog', () => {
  const log = sarifLog(checkedOf(TEMPLATE, 'cluster.yaml'), [], OPTIONS);

  it('is valid SARIF 2.1.0 by its JSON Schema', () => {
    // Act
    const errors = sarifSchemaErrors(log);
    const broken = sarifSchemaErrors({ ...log, runs: [{ ...log.runs[0], tool: { driver: {} } }] });

    // Assess: and the validator does catch what is wrong.
    expect(errors).toEqual([]);
    expect(broken).toContain("/runs/0/tool/driver must have required property 'name'");
  });

  it('has what GitHub code scanning requires of the log, the run and every rule', () => {
    // Act
    const rules = rulesOf(log);

    // Assess
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect((runOf(log).tool as { driver: { name: string } }).driver.name).toBe('eks-endpoint-guard');
    expect(rules.map((r) => r.id)).toEqual([
      'public-disabled',
      'public-cidrs',
      'private-required',
      'unknown-until-deploy',
      'invalid-value',
    ]);
    for (const rule of rules) {
      expect(rule.name.length).toBeGreaterThan(0);
      expect(rule.name.length).toBeLessThanOrEqual(255);
      for (const text of [rule.shortDescription.text, rule.fullDescription.text]) {
        expect(text.length).toBeGreaterThan(0);
        expect(text.length).toBeLessThanOrEqual(1024);
      }
      expect(rule.help.text.length).toBeGreaterThan(0);
      expect(rule.help.markdown.length).toBeGreaterThan(0);
      // A security rule: tagged so, with a score code scanning reads as low to critical.
      expect(rule.properties.tags).toContain('security');
      const severity = Number(rule.properties['security-severity']);
      expect(severity).toBeGreaterThan(0);
      expect(severity).toBeLessThanOrEqual(10);
      expect(['very-high', 'high', 'medium', 'low']).toContain(rule.properties.precision);
    }
  });

  it('has what GitHub code scanning requires of every result', () => {
    // Act
    const results = resultsOf(log);
    const ids = rulesOf(log).map((r) => r.id);

    // Assess
    expect(results.length).toBeGreaterThan(0);
    for (const result of results) {
      expect(ids).toContain(result.ruleId);
      expect(result.message.text.length).toBeGreaterThan(0);
      expect(result.locations.length).toBeGreaterThanOrEqual(1);
      expect(result.locations.length).toBeLessThanOrEqual(10);
      const { artifactLocation, region } = result.locations[0]?.physicalLocation ?? {
        artifactLocation: { uri: '' },
        region: {},
      };
      // Relative to the repository root: no scheme, no leading slash.
      expect(artifactLocation.uri).toMatch(/^[^/:][^:]*$/);
      for (const field of ['startLine', 'startColumn', 'endLine', 'endColumn']) {
        expect(Number.isInteger(region[field])).toBe(true);
        expect(region[field]).toBeGreaterThanOrEqual(1);
      }
      expect(region.endLine).toBeGreaterThanOrEqual(region.startLine as number);
      expect(result.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{16}:1$/);
    }
  });

  it('locates each result at the setting to change, with the cluster, the rule and the value to write', () => {
    // Act
    const results = resultsOf(log);

    // Assess: the exempt and the compliant clusters give no result.
    expect(results.map((r) => [r.ruleId, r.locations[0]?.logicalLocations[0]?.fullyQualifiedName])).toEqual([
      ['public-cidrs', 'Prod'],
      ['private-required', 'Prod'],
      ['unknown-until-deploy', 'Maybe'],
    ]);
    expect(results[0]?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'infra/cluster.yaml' },
      region: { startLine: 10, startColumn: 9, endLine: 10, endColumn: 26 },
    });
    expect(results[1]?.locations[0]?.physicalLocation.region.startLine).toBe(9);
    expect(results[0]?.message.text).toBe(
      'Cluster "prod-api" in Prod (AWS::EKS::Cluster): public endpoint is open to 0.0.0.0/0, outside the allowed networks 203.0.113.0/24. Write ResourcesVpcConfig: { EndpointPublicAccess: true, EndpointPrivateAccess: true, PublicAccessCidrs: [203.0.113.0/24] }.',
    );
    expect(results[2]?.level).toBe('warning');
  });

  it('keeps the fingerprints when lines move, and tells results apart', () => {
    // Prepare
    const moved = sarifLog(checkedOf(`# a comment\n\n${TEMPLATE}`, 'cluster.yaml'), [], OPTIONS);

    // Act
    const before = resultsOf(log).map((r) => r.partialFingerprints.primaryLocationLineHash);
    const after = resultsOf(moved).map((r) => r.partialFingerprints.primaryLocationLineHash);

    // Assess
    expect(resultsOf(moved)[0]?.locations[0]?.physicalLocation.region.startLine).toBe(12);
    expect(after).toEqual(before);
    expect(new Set(before).size).toBe(before.length);
  });

  it('points a Terraform plan result at the plan file and names the resource address', () => {
    // Act
    const planLog = sarifLog(checkedOf(TERRAFORM_PLAN_TEXT, 'plan.json'), [], OPTIONS);
    const results = resultsOf(planLog);

    // Assess
    expect(sarifSchemaErrors(planLog)).toEqual([]);
    expect(results.map((r) => r.locations[0]?.logicalLocations[0]?.fullyQualifiedName)).toEqual([
      'aws_eks_cluster.prod',
      'aws_eks_cluster.prod',
      'module.eks["blue"].aws_eks_cluster.this[0]',
    ]);
    expect(results[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('infra/plan.json');
    expect(results[0]?.locations[0]?.physicalLocation.region.startLine).toBe(1);
    expect(results[0]?.message.text).toMatch(/^Cluster "prod-api" in aws_eks_cluster\.prod: /);
    expect(results[0]?.message.text).toContain('Write vpc_config { endpoint_public_access = true');
  });

  it('reports unreadable inputs as failed tool execution, still valid SARIF', () => {
    // Prepare
    const errors = [
      new IacInputError('broken.yaml', 'invalid YAML: bad indentation', { line: 3, column: 5 }),
    ];

    // Act
    const failed = sarifLog([], errors, OPTIONS);
    const invocation = (runOf(failed).invocations as Record<string, unknown>[])[0];

    // Assess
    expect(sarifSchemaErrors(failed)).toEqual([]);
    expect(invocation).toMatchObject({
      executionSuccessful: false,
      toolExecutionNotifications: [
        {
          level: 'error',
          message: { text: 'broken.yaml:3:5: invalid YAML: bad indentation' },
          locations: [{ physicalLocation: { region: { startLine: 3, startColumn: 5 } } }],
        },
      ],
    });
  });
});
