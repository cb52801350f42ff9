import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { buildRegionalGuards, type RegionalGuard } from '../../../infra/multi-region';
import { OrgConfigError } from '../../../infra/org/config';
import { newApp, show } from '../helpers';

let guards: RegionalGuard[];
let templates: Template[];
let app: ReturnType<typeof newApp>;

beforeAll(() => {
  // Prepare
  app = newApp();
  // Act
  guards = buildRegionalGuards(app, ['us-east-1', 'eu-west-1', 'ap-northeast-1'], { createTrail: true });
  templates = guards.map((g) => Template.fromStack(g.stack));
}, 120_000);

function policyEnv(template: Template): string {
  const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0];
  return show(fn?.Properties.Environment.Variables.POLICY_PARAMETER_NAME);
}

describe('many regions of one account', () => {
  test('one guard stack per region, each pinned to its region', () => {
    // Assess
    expect(guards.map((g) => [g.stack.stackName, g.stack.region])).toEqual([
      ['EksEndpointGuard-us-east-1', 'us-east-1'],
      ['EksEndpointGuard-eu-west-1', 'eu-west-1'],
      ['EksEndpointGuard-ap-northeast-1', 'ap-northeast-1'],
    ]);
  });

  test('the multi-region trail is created once, in the home region', () => {
    // Act
    const trails = templates.map((t) => Object.keys(t.findResources('AWS::CloudTrail::Trail')).length);
    // Assess
    expect(trails).toEqual([1, 0, 0]);
  });

  test('the policy comes from the home region: one parameter, read by ARN everywhere else', () => {
    // Act
    const parameters = templates.map((t) => Object.keys(t.findResources('AWS::SSM::Parameter')).length);
    // Assess
    expect(parameters).toEqual([1, 0, 0]);
    for (const template of templates.slice(1)) {
      expect(policyEnv(template)).toBe(
        `arn:\${AWS::Partition}:ssm:us-east-1:\${AWS::AccountId}:parameter/eks-endpoint-guard/policy`,
      );
    }
    expect(guards[1]?.stack.dependencies.map((d) => d.stackName)).toEqual(['EksEndpointGuard-us-east-1']);
  });

  test('cdk-nag AwsSolutions and Serverless report nothing unacknowledged', () => {
    // Act
    const violations = [new AwsSolutionsChecks(app), new ServerlessChecks(app)].flatMap(
      (p) => p.validateScope(app).violations,
    );
    // Assess
    expect(violations).toEqual([]);
  });

  test('no region is refused in one line', () => {
    // Act / Assess
    expect(() => buildRegionalGuards(newApp(), [], {})).toThrow(OrgConfigError);
  });
});
