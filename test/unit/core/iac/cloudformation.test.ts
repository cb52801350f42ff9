import { cloudFormationClusters } from '../../../../functions/core/iac/cloudformation';
import { jsonSource } from '../../../../functions/core/iac/json-source';
import { IacInputError } from '../../../../functions/core/iac/source';
import { yamlSource } from '../../../../functions/core/iac/yaml-source';

function clustersOf(text: string, parameters: Record<string, string> = {}) {
  return cloudFormationClusters(yamlSource(text, 'stack.yaml'), 'stack.yaml', {
    format: 'cloudformation',
    parameters,
  });
}

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Env: { Type: String, Default: prod }
  Open: { Type: String, AllowedValues: ['true', 'false'] }
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Prod:
    Type: AWS::EKS::Cluster
    Condition: IsProd
    Metadata:
      aws:cdk:path: App/Prod/Resource
    Properties:
      Name: !Sub "\${Env}-api"
      RoleArn: !GetAtt Role.Arn
      ResourcesVpcConfig:
        SubnetIds: [subnet-1]
        EndpointPublicAccess: "False"
        EndpointPrivateAccess: "TRUE"
        PublicAccessCidrs: [203.0.113.0/24]
      Tags:
        - { Key: team, Value: platform }
        - { Key: eks-endpoint-guard/exempt, Value: !Ref Env }
        - { Key: owner, Value: !GetAtt Role.Arn }
  Unnamed:
    Type: AWS::EKS::Cluster
    Properties:
      RoleArn: x
      ResourcesVpcConfig:
        SubnetIds: [subnet-1]
        EndpointPublicAccess: !Ref Open
        EndpointPrivateAccess: yes
        PublicAccessCidrs: [10.0.0.1/8]
  Computed:
    Type: AWS::EKS::Cluster
    Properties:
      Name: !GetAtt Namer.Value
      ResourcesVpcConfig: !If [IsProd, { EndpointPublicAccess: false }, !Ref AWS::NoValue]
`;

describe('cloudFormationClusters', () => {
  it('finds every AWS::EKS::Cluster with its settings, name, tags and position', () => {
    // Act
    const [prod] = clustersOf(TEMPLATE);

    // Assess
    expect(prod).toEqual({
      format: 'cloudformation',
      file: 'stack.yaml',
      resource: 'Prod',
      resourceType: 'AWS::EKS::Cluster',
      at: expect.objectContaining({ line: 8, column: 3 }),
      name: { value: 'prod-api', from: 'name', note: "the name is parameter Env's default" },
      publicAccess: { state: 'set', value: false, at: expect.objectContaining({ line: 18, column: 9 }) },
      privateAccess: { state: 'set', value: true, at: expect.objectContaining({ line: 19, column: 9 }) },
      publicAccessCidrs: {
        state: 'set',
        value: ['203.0.113.0/24'],
        at: expect.objectContaining({ line: 20 }),
      },
      // Literal tags and tags from parameters; a tag known only at deploy is left out.
      tags: { team: 'platform', 'eks-endpoint-guard/exempt': 'prod' },
      constructPath: 'App/Prod/Resource',
      notes: ['created only when the condition IsProd is true'],
    });
  });

  it('says when the name is generated, and keeps invalid and deploy-time values apart', () => {
    // Act
    const unnamed = clustersOf(TEMPLATE)[1];

    // Assess
    expect(unnamed?.name).toEqual({
      value: 'Unnamed',
      from: 'logical-id',
      note: 'no name is set, so CloudFormation generates one: the policy is applied to the logical id Unnamed',
    });
    expect(unnamed?.publicAccess).toMatchObject({ state: 'unknown', candidates: [true, false] });
    expect(unnamed?.privateAccess).toMatchObject({
      state: 'invalid',
      written: '"yes"',
      why: 'not true or false',
    });
    expect(unnamed?.publicAccessCidrs).toMatchObject({
      state: 'invalid',
      why: '"10.0.0.1/8" has host bits set (did you mean 10.0.0.0/8?)',
    });
  });

  it('reads a whole block known only at deploy as unknown, and a name known only at deploy as the logical id', () => {
    // Act
    const computed = clustersOf(TEMPLATE)[2];

    // Assess
    expect(computed?.name).toMatchObject({ value: 'Computed', from: 'logical-id' });
    expect(computed?.name.note).toContain('!GetAtt Namer.Value, known only at deploy');
    expect(computed?.publicAccess).toMatchObject({
      state: 'unknown',
      expression: expect.stringMatching(/^!If /),
    });
    expect(computed?.privateAccess).toMatchObject({ state: 'unknown' });
  });

  it('applies --parameters values over the defaults', () => {
    // Act
    const [prod] = clustersOf(TEMPLATE, { Env: 'dev' });

    // Assess
    expect(prod?.name).toMatchObject({ value: 'dev-api', note: 'the name is parameter Env, as given' });
  });

  it("reads the aws-eks L2 custom resource's settings from Config", () => {
    // Prepare: the shape aws-cdk-lib's aws-eks Cluster synthesises.
    const template = {
      Resources: {
        ClusterB3C8223D: {
          Type: 'Custom::AWSCDK-EKS-Cluster',
          Properties: {
            ServiceToken: { 'Fn::GetAtt': ['Provider', 'Arn'] },
            Config: {
              name: 'prod-api',
              resourcesVpcConfig: {
                subnetIds: [{ Ref: 'Subnet1' }],
                endpointPublicAccess: true,
                endpointPrivateAccess: 'false',
                publicAccessCidrs: ['203.0.113.0/24'],
              },
              tags: { team: 'platform' },
            },
          },
        },
      },
    };
    const text = JSON.stringify(template, null, 2);

    // Act
    const [cluster] = cloudFormationClusters(jsonSource(text, 'App.template.json'), 'App.template.json', {
      format: 'cdk',
    });

    // Assess
    expect(cluster).toMatchObject({
      format: 'cdk',
      resourceType: 'Custom::AWSCDK-EKS-Cluster',
      name: { value: 'prod-api', from: 'name' },
      publicAccess: { state: 'set', value: true, at: { line: 20, column: 13 } },
      privateAccess: { state: 'set', value: false },
      publicAccessCidrs: { state: 'set', value: ['203.0.113.0/24'] },
      tags: { team: 'platform' },
    });
  });

  it('points an absent setting at its block', () => {
    // Act
    const [cluster] = clustersOf(
      'Resources:\n  C:\n    Type: AWS::EKS::Cluster\n    Properties:\n      ResourcesVpcConfig:\n        SubnetIds: [s]\n',
    );

    // Assess
    expect(cluster?.publicAccess).toEqual({
      state: 'absent',
      at: expect.objectContaining({ line: 5, column: 7 }),
    });
  });

  it('refuses a document that is not a template', () => {
    // Act
    const read = () => clustersOf('AWSTemplateFormatVersion: "2010-09-09"\n');

    // Assess
    expect(read).toThrow(IacInputError);
    expect(read).toThrow('stack.yaml:1:1: not a CloudFormation template: no Resources section');
  });
});
