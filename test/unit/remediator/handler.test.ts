import 'aws-sdk-client-mock-jest';
import { UpdateClusterConfigCommand } from '@aws-sdk/client-eks';
import type { Context } from 'aws-lambda';
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
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:eks-endpoint-guard-remediator',
  memoryLimitInMB: '512',
  awsRequestId: 'req-0001',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

beforeEach(() => resetAws());

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

  it('recognises its own role from GUARD_ROLE_ARN and never changes the cluster again', async () => {
    // Prepare
    const handler = await loadHandler();
    givenCluster({ name: 'prod-api' });
    const event = loadEvent('update-config-open-world.json') as { detail: Record<string, unknown> };
    event.detail.userIdentity = {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111122223333:assumed-role/eks-endpoint-guard-remediator/eks-endpoint-guard-remediator',
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
        'the event is from account 444455556666; this guard runs in 111122223333 (deploy it in each account)',
    });
    expect(ownAccount.results[0]?.reason).toBe(
      'the event is from account 444455556666; this guard runs in 999988887777 (deploy it in each account)',
    );
    expect(mocks.eks).not.toHaveReceivedCommand(UpdateClusterConfigCommand);
  });
});
