import { hookResponse, MESSAGE_LIMIT, readHookRequest } from '../../../../functions/core/iac/hook-request';
import { CLUSTER_PROPERTIES, cloudControlCreate, stackCreate } from './fixtures/hook-requests';

describe('readHookRequest', () => {
  it('reads a stack resource request', () => {
    // Act
    const read = readHookRequest(stackCreate());

    // Assess
    expect(read).toEqual({
      ok: true,
      request: expect.objectContaining({
        token: '3c6e0b8a-9b2f-4d1e-a7f3-5e9d2c4b1a08',
        account: '111122223333',
        invocationPoint: 'CREATE_PRE_PROVISION',
        targetName: 'AWS::EKS::Cluster',
        logicalId: 'ProdCluster',
        cloudControl: false,
        properties: CLUSTER_PROPERTIES,
      }),
    });
  });

  it('tells a Cloud Control request by its empty stackId', () => {
    // Act
    const read = readHookRequest(cloudControlCreate());

    // Assess
    expect(read).toMatchObject({ ok: true, request: { cloudControl: true, targetType: 'RESOURCE' } });
  });

  it.each([
    [null, 'the request is null, not an object'],
    ['{"requestData":{}}', 'the request is "{\\"requestData\\":{}}", not an object'],
    [[1, 2], 'the request is an array, not an object'],
    [{ clientRequestToken: 'tok-1' }, 'the request has no requestData object'],
    [{ clientRequestToken: 'tok-1', requestData: 'x' }, 'the request has no requestData object'],
  ])('refuses %p, keeping the token to echo', (event, fault) => {
    // Act
    const read = readHookRequest(event);

    // Assess
    expect(read).toEqual({
      ok: false,
      token: typeof event === 'object' && event && 'clientRequestToken' in event ? 'tok-1' : '',
      fault,
    });
  });
});

describe('hookResponse', () => {
  it('echoes the token and cuts the message to what CloudFormation (4,096) and Cloud Control (1,024) keep', () => {
    // Prepare
    const long = 'x'.repeat(5000);

    // Act
    const stack = hookResponse({ token: 't', cloudControl: false }, 'FAILED', long, 'NonCompliant');
    const control = hookResponse({ token: 't', cloudControl: true }, 'FAILED', long, 'NonCompliant');
    const short = hookResponse({ token: 't', cloudControl: true }, 'SUCCESS', 'fine');

    // Assess
    expect(stack.message).toHaveLength(MESSAGE_LIMIT.cloudFormation);
    expect(control.message).toHaveLength(MESSAGE_LIMIT.cloudControl);
    expect(control.message.endsWith('...')).toBe(true);
    expect(short).toEqual({ hookStatus: 'SUCCESS', message: 'fine', clientRequestToken: 't' });
  });
});
