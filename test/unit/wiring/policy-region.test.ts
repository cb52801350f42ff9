import 'aws-sdk-client-mock-jest';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { mocks, resetAws, testConfig, testPorts } from '../support/aws';

beforeEach(() => resetAws());

async function regionOfPolicyRead(parameter: string): Promise<string> {
  // Act
  await testPorts(
    new Date('2026-12-01T08:00:00Z'),
    testConfig({ POLICY_PARAMETER_NAME: parameter }),
  ).policy.load();
  // Assess: the client that sent GetParameter
  const call = mocks.ssm.commandCalls(GetParameterCommand)[0];
  const client = call?.thisValue as { config: { region: () => Promise<string> } };
  return client.config.region();
}

describe('policy parameter region', () => {
  test('a parameter shared by ARN is read in the ARN region', async () => {
    // Prepare
    const arn = 'arn:aws:ssm:eu-west-1:222233334444:parameter/eks-endpoint-guard/organisation/policy';
    // Act / Assess
    expect(await regionOfPolicyRead(arn)).toBe('eu-west-1');
    expect(mocks.ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: arn });
  });

  test("the guard's own parameter is read in the guard's region", async () => {
    // Act / Assess
    expect(await regionOfPolicyRead('/eks-endpoint-guard/policy')).toBe('us-east-1');
  });
});
