import 'aws-sdk-client-mock-jest';
import { UpdateClusterConfigCommand } from '@aws-sdk/client-eks';
import type { Context } from 'aws-lambda';
import { tracingActive } from '../../../functions/remediator/tracing';
import { givenCluster, loadEvent, mocks, resetAws, TEST_ENV } from '../support/aws';

/** The Lambda reads its environment once at load: set it, then load the module. */
async function loadHandler() {
  Object.assign(process.env, TEST_ENV);
  const module = await import('../../../functions/remediator/handler');
  return module.handler;
}

const context = {
  functionName: 'eks-endpoint-guard-remediator',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:eks-endpoint-guard-remediator',
  memoryLimitInMB: '512',
  awsRequestId: 'req-0001',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

beforeEach(() => resetAws());

/** What Lambda sets for a function with active tracing, the X-Ray daemon on a port that discards. */
const LAMBDA_TRACING_ENV = {
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:9',
  AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
  _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=557abcec3ee5a047;Sampled=1',
};

describe('tracingActive', () => {
  it.each([
    ['in Lambda', { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' }, true],
    ['outside Lambda (CLI, tests)', {}, false],
    [
      'in Lambda, turned off',
      { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', POWERTOOLS_TRACE_ENABLED: 'FALSE' },
      false,
    ],
    ['under SAM local', { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x', AWS_SAM_LOCAL: 'true' }, false],
    ['under the Amplify mock', { AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' }, false],
  ])('%s', (_label, env, expected) => {
    expect(tracingActive(env)).toBe(expected);
  });
});

describe('remediator handler', () => {
  it('runs the middy chain and returns one result per check request', async () => {
    // Prepare
    const handler = await loadHandler();
    givenCluster({ name: 'prod-api' });

    // Act
    const response = await handler(loadEvent('update-config-open-world.json'), context);

    // Assess
    expect(response.results).toHaveLength(1);
    expect(response.results[0]).toMatchObject({
      cluster: 'prod-api',
      region: 'us-east-1',
      outcome: 'remediated',
    });
    expect(response.batchItemFailures).toEqual([]);
    expect(mocks.eks).toHaveReceivedCommand(UpdateClusterConfigCommand);
  });

  it('runs the same chain with the tracer when tracing is active, as in Lambda', async () => {
    // Prepare
    const saved = { ...process.env };
    Object.assign(process.env, TEST_ENV, LAMBDA_TRACING_ENV);
    givenCluster({ name: 'prod-api' });
    try {
      let handler: Awaited<ReturnType<typeof loadHandler>> | undefined;
      await jest.isolateModulesAsync(async () => {
        handler = (await import('../../../functions/remediator/handler')).handler;
      });

      // Act
      const response = await handler?.(loadEvent('update-config-open-world.json'), context);

      // Assess
      expect(response?.results[0]).toMatchObject({ cluster: 'prod-api', outcome: 'remediated' });
    } finally {
      for (const name of Object.keys(LAMBDA_TRACING_ENV)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });

  it('recognises its own role from GUARD_ROLE_ARN and never changes the cluster again', async () => {
    // Prepare
    const handler = await loadHandler();
    givenCluster({ name: 'prod-api' });
    const event = loadEvent('update-config-open-world.json') as { detail: Record<string, unknown> };
    event.detail.userIdentity = {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::123456789012:assumed-role/eks-endpoint-guard-remediator/eks-endpoint-guard-remediator',
      sessionContext: { sessionIssuer: { type: 'Role', arn: TEST_ENV.GUARD_ROLE_ARN } },
    };
    (event.detail.requestParameters as Record<string, unknown>).clientRequestToken =
      'eks-endpoint-guard-0123abcd';

    // Act
    const response = await handler(event, context);

    // Assess
    expect(response.results[0]?.outcome).toBe('ignored');
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
  });

  it("takes the guard's account from the function ARN: an event from another account is ignored", async () => {
    // Prepare
    const handler = await loadHandler();
    givenCluster({ name: 'prod-api' });
    const event = loadEvent('update-config-open-world.json') as Record<string, unknown> & {
      detail: Record<string, unknown>;
    };
    event.account = '444455556666';
    event.detail.recipientAccountId = '444455556666';
    const elsewhere = {
      ...context,
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:999988887777:function:eks-endpoint-guard-remediator',
    } as Context;

    // Act
    const foreign = await handler(event, context);
    const ownAccount = await handler(event, elsewhere);

    // Assess
    expect(foreign.results[0]).toMatchObject({
      outcome: 'ignored',
      reason:
        'the event is from account 444455556666; this guard runs in 123456789012 (deploy it in each account)',
    });
    expect(ownAccount.results[0]?.reason).toBe(
      'the event is from account 444455556666; this guard runs in 999988887777 (deploy it in each account)',
    );
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
  });
});
