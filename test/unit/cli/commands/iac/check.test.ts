import 'aws-sdk-client-mock-jest';
import * as path from 'node:path';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { uriOf } from '../../../../../functions/cli/commands/iac/check';
import { IAC_CHECK_HELP } from '../../../../../functions/cli/commands/iac/help';
import { TERRAFORM_PLAN_TEXT } from '../../../core/iac/fixtures/terraform-plan';
import { reportSchemaErrors, sarifSchemaErrors } from '../../../core/iac/support';
import { mocks, resetAws } from '../../../support/aws';
import { runInProcess, runOffline, scratchFiles, withEnv } from '../../in-process';
import { synthesiseEksAssembly } from './cdk-assembly';

/**
 * `iac check` through the same entry point as the bin, in this process. With --policy nothing may
 * reach AWS: the endpoint is a closed local port, so a call would fail instead of giving the output.
 */
const { file, pathOf } = scratchFiles('iac-check-');

const POLICY = {
  version: 1,
  publicAccess: 'restricted',
  allowedPublicCidrs: ['203.0.113.0/24'],
  privateAccess: 'required',
  exemptions: [{ cluster: 'legacy-*', reason: 'OPS-123 migration' }],
};

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env:
    Type: String
    Default: prod
Resources:
  ProdCluster:
    Type: AWS::EKS::Cluster
    Properties:
      Name: !Sub "\${Env}-api"
      RoleArn: !GetAtt Role.Arn
      ResourcesVpcConfig:
        SubnetIds: [subnet-1]
        EndpointPublicAccess: "true"
        PublicAccessCidrs: [0.0.0.0/0]
  Legacy:
    Type: AWS::EKS::Cluster
    Properties:
      Name: legacy-billing
`;

const COMPLIANT = `Resources:
  Private:
    Type: AWS::EKS::Cluster
    Properties:
      Name: private-api
      ResourcesVpcConfig:
        EndpointPublicAccess: false
        EndpointPrivateAccess: true
`;

let policy: string;
let template: string;
let compliant: string;
let plan: string;
let assembly: string;

beforeAll(() => {
  policy = file('policy.json', POLICY);
  template = file('cluster.yaml', TEMPLATE);
  compliant = file('private.yaml', COMPLIANT);
  plan = file('plan.json', TERRAFORM_PLAN_TEXT);
  assembly = pathOf('cdk.out');
  synthesiseEksAssembly(assembly);
}, 60_000);

describe('iac check (offline, --policy)', () => {
  it('names the file, the resource, the cluster, the rule and the value to write; exit 3', async () => {
    // Act
    const result = await runOffline(['iac', 'check', template, '--policy', policy]);

    // Assess
    expect(result.code).toBe(3);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toEqual([
      `${template}:7:3: ProdCluster, cluster "prod-api": non-compliant`,
      `  ${template}:15:9: public-cidrs: public endpoint is open to 0.0.0.0/0, outside the allowed networks 203.0.113.0/24`,
      `  ${template}:12:7: private-required: private endpoint is disabled, but the policy requires it enabled (ResourcesVpcConfig.EndpointPrivateAccess is not set, so the EKS default applies)`,
      '  write: ResourcesVpcConfig: { EndpointPublicAccess: true, EndpointPrivateAccess: true, PublicAccessCidrs: [203.0.113.0/24] }',
      '  rules: publicAccess "restricted" 203.0.113.0/24, privateAccess "required" (policy)',
      "  note: the name is parameter Env's default",
      `${template}:16:3: Legacy, cluster "legacy-billing": exempt`,
      `  ${template}:18:5: public-cidrs: public endpoint is open to 0.0.0.0/0, outside the allowed networks 203.0.113.0/24 (ResourcesVpcConfig.EndpointPublicAccess is not set, so the EKS default applies; ResourcesVpcConfig.PublicAccessCidrs is not set, so the EKS default applies)`,
      `  ${template}:18:5: private-required: private endpoint is disabled, but the policy requires it enabled (ResourcesVpcConfig.EndpointPrivateAccess is not set, so the EKS default applies)`,
      '  exempt by policy: OPS-123 migration',
      '  rules: publicAccess "restricted" 203.0.113.0/24, privateAccess "required" (policy)',
      expect.stringMatching(
        /^2 EKS clusters in 1 file: 1 non-compliant, 1 exempt \(policy .*policy\.json, sha256:[0-9a-f]{12}\.\.\.\)$/,
      ),
      '',
    ]);
  });

  it('exits 0 when every cluster complies, and 0 with --exit-zero when one does not', async () => {
    // Act
    const clean = await runOffline(['iac', 'check', compliant, '--policy', policy]);
    const forgiven = await runOffline(['iac', 'check', template, '--policy', policy, '--exit-zero']);

    // Assess
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('1 EKS cluster in 1 file: 1 compliant');
    expect(forgiven.code).toBe(0);
  });

  it('uses --parameters over the defaults', async () => {
    // Prepare
    const values = file('params.json', [{ ParameterKey: 'Env', ParameterValue: 'legacy' }]);

    // Act
    const pair = await runOffline(['iac', 'check', template, '--policy', policy, '--parameters', 'Env=dev']);
    const json = await runOffline(['iac', 'check', template, '--policy', policy, '--parameters', values]);

    // Assess: as legacy-api the cluster falls under the exemption.
    expect(pair.stdout).toContain('ProdCluster, cluster "dev-api": non-compliant');
    expect(json.stdout).toContain('ProdCluster, cluster "legacy-api": exempt');
    expect(json.code).toBe(0);
  });

  it('reads a CDK assembly: every template, the aws-eks L2 custom resource included', async () => {
    // Act
    const result = await runOffline(['iac', 'check', assembly, '--policy', policy, '--format', 'json']);
    const report = JSON.parse(result.stdout);

    // Assess
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(result.code).toBe(3);
    // The stack's template and its nested stacks' (which hold no cluster).
    expect(report.summary).toMatchObject({ files: 3, clusters: 2, nonCompliant: 1, compliant: 1 });
    const l2 = report.clusters.find(
      (c: { resourceType: string }) => c.resourceType === 'Custom::AWSCDK-EKS-Cluster',
    );
    expect(l2).toMatchObject({
      file: path.join(assembly, 'Platform.template.json'),
      format: 'cdk',
      cluster: 'prod-api',
      status: 'non-compliant',
      findings: [{ rule: 'public-cidrs' }],
      fix: { write: "endpointAccess: EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom('203.0.113.0/24')" },
    });
    expect(report.clusters.find((c: { cluster: string }) => c.cluster === 'batch-api')).toMatchObject({
      status: 'compliant',
    });
  });

  it('reads a Terraform plan, naming resource addresses', async () => {
    // Act
    const result = await runOffline(['iac', 'check', plan, '--policy', policy]);

    // Assess
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('aws_eks_cluster.prod, cluster "prod-api": non-compliant');
    expect(result.stdout).toContain(
      'module.eks["blue"].aws_eks_cluster.this[0], cluster "blue-api": not provably compliant before deploy',
    );
    expect(result.stdout).toContain(
      'write: vpc_config { endpoint_public_access = true, endpoint_private_access = true, public_access_cidrs = ["203.0.113.0/24"] }',
    );
  });

  it('prints SARIF that code scanning accepts', async () => {
    // Act
    const result = await runOffline([
      'iac',
      'check',
      template,
      plan,
      '--policy',
      policy,
      '--format',
      'sarif',
    ]);
    const log = JSON.parse(result.stdout);

    // Assess
    expect(result.code).toBe(3);
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual([
      'public-cidrs',
      'private-required',
      'public-cidrs',
      'private-required',
      'unknown-until-deploy',
    ]);
  });

  it.each([
    [
      'a YAML syntax error',
      'broken.yaml',
      'Resources:\n  C: [1, 2\n',
      /^.*broken\.yaml:\d+:\d+: invalid YAML: .+$/,
    ],
    [
      'a JSON syntax error',
      'broken.json',
      '{\n  "Resources": {\n    "C": 1,\n  }\n}\n',
      /^.*broken\.json:4:3: invalid JSON: .+$/,
    ],
    [
      'JSON of another kind',
      'other.json',
      '{"name": "x"}',
      /^.*other\.json:1:1: neither a CloudFormation template .+$/,
    ],
    ['a missing file', 'missing.yaml', undefined, /^.*missing\.yaml: no such file or directory$/],
  ])(
    'exits 1 on %s, one line FILE:LINE:COLUMN on stderr, still checking the rest',
    async (_name, name, text, line) => {
      // Prepare
      const input = text === undefined ? pathOf(name) : file(name, text);

      // Act
      const result = await runOffline(['iac', 'check', input, compliant, '--policy', policy]);

      // Assess
      expect(result.code).toBe(1);
      expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(line)]);
      expect(result.stdout).toContain('Private, cluster "private-api": compliant');
    },
  );

  it('refuses an invalid policy before reading any input', async () => {
    // Prepare
    const bad = file('bad-policy.json', { version: 1, publicAccess: 'sometimes' });

    // Act
    const result = await runOffline(['iac', 'check', template, '--policy', bad]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('not a valid policy');
  });

  it('has --help with the formats, the exit codes and examples', async () => {
    // Act
    const result = await runInProcess(['iac', 'check', '--help']);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--format <format>');
    expect(result.stdout).toContain('--parameters <value>');
    expect(result.stdout).toContain('--exit-zero');
    expect(result.stdout).toContain(IAC_CHECK_HELP.examples[0]);
  });
});

describe('iac check (the live policy)', () => {
  beforeEach(() => resetAws(POLICY));

  it('reads the policy from SSM like the other commands', async () => {
    // Act
    const result = await withEnv(
      { AWS_REGION: 'us-east-1', POLICY_PARAMETER_NAME: '/platform/eks-policy' },
      () => runInProcess(['iac', 'check', compliant]),
    );

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('(policy /platform/eks-policy, sha256:');
    expect(mocks.ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: '/platform/eks-policy' });
  });

  it('says what to do when the parameter is missing', async () => {
    // Prepare
    mocks.ssm
      .on(GetParameterCommand)
      .rejects(Object.assign(new Error('not found'), { name: 'ParameterNotFound' }));

    // Act
    const result = await withEnv({ AWS_REGION: 'us-east-1' }, () =>
      runInProcess(['iac', 'check', compliant]),
    );

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'eks-endpoint-guard: policy /eks-endpoint-guard/policy: the parameter does not exist (or give the policy with --policy FILE)',
    );
  });
});

describe('uriOf', () => {
  it('gives a path relative to the repository root, and a file URI outside it', () => {
    // Act / Assess
    expect(uriOf('infra/my stack.yaml', '/repo')).toBe('infra/my%20stack.yaml');
    expect(uriOf('/repo/cdk.out/App.template.json', '/repo')).toBe('cdk.out/App.template.json');
    expect(uriOf('/elsewhere/plan.json', '/repo')).toBe('file:///elsewhere/plan.json');
  });
});
