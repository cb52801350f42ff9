import 'aws-sdk-client-mock-jest';
import { PublishCommand } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { loadHookConfig } from '../../../functions/hook/config';
import { withEnv } from '../cli/in-process';
import { stackCreate } from '../core/iac/fixtures/hook-requests';
import { mocks, resetAws, TEST_ENV } from '../support/aws';

const context = {
  functionName: 'eks-endpoint-guard-hook',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:eks-endpoint-guard-hook',
  memoryLimitInMB: '256',
  awsRequestId: 'req-0001',
  getRemainingTimeInMillis: () => 20_000,
} as unknown as Context;

/** The function reads its environment once at load: a fresh module under the environment given. */
async function handlerUnder(env: Record<string, string | undefined>) {
  return withEnv(env, async () => {
    let module: typeof import('../../../functions/hook/handler') | undefined;
    await jest.isolateModulesAsync(async () => {
      module = await import('../../../functions/hook/handler');
    });
    if (!module) throw new Error('the handler did not load');
    return module.handler;
  });
}

const ENV = {
  POLICY_PARAMETER_NAME: TEST_ENV.POLICY_PARAMETER_NAME,
  TOPIC_ARN: TEST_ENV.TOPIC_ARN,
  AWS_REGION: TEST_ENV.AWS_REGION,
  POLICY_CACHE_SECONDS: '0',
};

beforeEach(() => resetAws({ version: 1, publicAccess: 'disabled', privateAccess: 'required' }));

describe('hook handler', () => {
  it('runs the middy chain and answers with the live policy', async () => {
    // Prepare
    const handler = await handlerUnder({ ...ENV, ON_HOOK_ERROR: 'allow' });

    // Act
    const response = await handler(stackCreate(), context);

    // Assess
    expect(response).toMatchObject({
      hookStatus: 'FAILED',
      errorCode: 'NonCompliant',
      clientRequestToken: '3c6e0b8a-9b2f-4d1e-a7f3-5e9d2c4b1a08',
    });
  });

  it.each([
    [undefined, 'SUCCESS'],
    ['deny', 'FAILED'],
  ])('answers without a usable configuration (ON_HOOK_ERROR %s): %s', async (onHookError, status) => {
    // Prepare: no topic to alert.
    const handler = await handlerUnder({ ...ENV, TOPIC_ARN: undefined, ON_HOOK_ERROR: onHookError });

    // Act
    const response = await handler(stackCreate(), context);

    // Assess
    expect(response).toMatchObject({
      hookStatus: status,
      clientRequestToken: '3c6e0b8a-9b2f-4d1e-a7f3-5e9d2c4b1a08',
    });
    expect(response.message).toContain('environment variable TOPIC_ARN is not set');
    expect(mocks.sns).not.toHaveReceivedCommand(PublishCommand);
  });
});

describe('loadHookConfig', () => {
  it('reads the defaults, and names a bad value', () => {
    // Act
    const good = loadHookConfig({ TOPIC_ARN: TEST_ENV.TOPIC_ARN, AWS_REGION: 'eu-west-1' });
    const bad = loadHookConfig({
      TOPIC_ARN: TEST_ENV.TOPIC_ARN,
      AWS_REGION: 'eu-west-1',
      ON_HOOK_ERROR: 'maybe',
    });

    // Assess
    expect(good).toEqual({
      ok: true,
      config: {
        POLICY_PARAMETER_NAME: '/eks-endpoint-guard/policy',
        TOPIC_ARN: TEST_ENV.TOPIC_ARN,
        AWS_REGION: 'eu-west-1',
        ON_HOOK_ERROR: 'allow',
        POLICY_CACHE_SECONDS: 60,
      },
    });
    expect(bad).toEqual({
      ok: false,
      fault: 'environment variable ON_HOOK_ERROR is invalid (expected allow or deny)',
      onHookError: 'allow',
    });
  });
});
