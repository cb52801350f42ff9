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
