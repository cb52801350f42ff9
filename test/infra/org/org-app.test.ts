import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ORG_CONTEXT, orgApp } from './support';

function memberEnv(context: Record<string, unknown>): { stacks: string[]; env: Record<string, unknown> } {
  const app = orgApp(context);
  const directory = app.synth().directory;
  const template = JSON.parse(
    readFileSync(path.join(directory, 'stackset-member', 'Member.template.json'), 'utf8'),
  );
  const fn = Object.values(
    template.Resources as Record<
      string,
      { Type: string; Properties: { Environment: { Variables: Record<string, unknown> } } }
    >,
  ).find((r) => r.Type === 'AWS::Lambda::Function');
  return {
    stacks: app.node.children.map((c) => c.node.id).sort(),
    env: fn?.Properties.Environment.Variables ?? {},
  };
}

describe('organisation app modes', () => {
  test('without a central account: no central stack, no decision events, the member installs its own policy', () => {
    // Prepare
    const { centralAccount: _c, managementAccountId: _m, centralRegion: _r, ...context } = ORG_CONTEXT;
    // Act
    const { stacks, env } = memberEnv(context);
    // Assess
    expect(stacks).not.toContain('EksEndpointGuardCentral');
    expect(env.DECISION_BUS_ARN).toBeUndefined();
    expect(env.POLICY_PARAMETER_NAME).toEqual({ Ref: expect.stringMatching(/^PolicyParameter/) });
  }, 60_000);

  test('a member given its own policy parameter reads that one, still sending to the central bus', () => {
    // Act
    const { stacks, env } = memberEnv({ ...ORG_CONTEXT, policyParameter: '/team/eks-policy' });
    // Assess
    expect(stacks).toContain('EksEndpointGuardCentral');
    expect(env.POLICY_PARAMETER_NAME).toBe('/team/eks-policy');
    expect(env.DECISION_BUS_ARN).toBe('arn:aws:events:eu-west-1:222233334444:event-bus/eks-endpoint-guard');
  }, 60_000);
});

// Issue 19, finding 3: members that never reported were invisible, because only the management
// account or a StackSets delegated administrator can list a StackSet's instances.
describe('the central account lists the members that should report', () => {
  test('deploys the StackSet as its delegated administrator, and its watchdog may list that StackSet only', () => {
    // Act
    const app = orgApp(ORG_CONTEXT);
    const assembly = app.synth();
    const stackSet = assembly.getStackByName('EksEndpointGuardStackSet');
    const central = assembly.getStackByName('EksEndpointGuardCentral');
    // biome-ignore lint/suspicious/noExplicitAny: a template is free-form JSON
    type Resource = { Type: string; Properties: Record<string, any> };
    const resources = Object.values(central.template.Resources as Record<string, Resource>);
    const watchdog = resources.find(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.Handler === 'index.watch',
    );
    const statements = resources
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap(
        (r) => r.Properties.PolicyDocument.Statement as { Sid: string; Action: unknown; Resource: unknown }[],
      );
    // Assess
    expect(stackSet.environment.account).toBe('222233334444');
    const set = Object.values(
      stackSet.template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>,
    ).find((r) => r.Type === 'AWS::CloudFormation::StackSet');
    expect(set?.Properties.CallAs).toBe('DELEGATED_ADMIN');
    expect(watchdog?.Properties.Environment.Variables).toMatchObject({
      STACKSET_NAME: 'eks-endpoint-guard',
      STACKSET_REGION: 'us-east-1',
      MEMBER_SWEEP_SCHEDULE: 'rate(1 hour)',
      MANAGEMENT_ACCOUNT_ID: '111111111111',
      MEMBER_REGIONS: 'us-east-1,eu-west-1',
    });
    expect(statements.find((s) => s.Sid === 'ListTheMemberStackSet')).toMatchObject({
      Action: 'cloudformation:ListStackInstances',
      Resource: 'arn:aws:cloudformation:us-east-1:111111111111:stackset/eks-endpoint-guard:*',
    });
  }, 60_000);

  test('refuses callAs SELF beside a central account, in one line', () => {
    // Act
    const build = () => orgApp({ ...ORG_CONTEXT, callAs: 'SELF' });
    // Assess
    expect(build).toThrow(
      'context callAs SELF with centralAccount: the central account deploys the StackSet as its delegated administrator (callAs DELEGATED_ADMIN), so that its watchdog can list the members that should report',
    );
  });

  test("the member's role has the fixed name the central bus admits for its region", () => {
    // Act
    const app = orgApp(ORG_CONTEXT);
    const directory = app.synth().directory;
    const template = JSON.parse(
      readFileSync(path.join(directory, 'stackset-member', 'Member.template.json'), 'utf8'),
    );
    const role = Object.values(
      template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>,
    ).find(
      (r) =>
        r.Type === 'AWS::IAM::Role' && JSON.stringify(r.Properties).includes('eks-endpoint-guard-member'),
    );
    // Assess
    expect(role?.Properties.RoleName).toEqual({
      'Fn::Join': ['', ['eks-endpoint-guard-member-', { Ref: 'AWS::Region' }]],
    });
  }, 60_000);
});
