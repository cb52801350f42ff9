import 'aws-sdk-client-mock-jest';
import { DescribeUpdateCommand, ListClustersCommand } from '@aws-sdk/client-eks';
import { givenCluster, mocks, resetAws, testPorts } from '../support/aws';

beforeEach(() => resetAws());

describe('EKS adapter', () => {
  it('reads absent endpoint fields as the EKS defaults', async () => {
    // Prepare
    givenCluster({ name: 'prod-api' });

    // Act
    const state = await testPorts().eks.describeCluster('prod-api');

    // Assess
    expect(state?.config).toEqual({
      publicAccess: true,
      privateAccess: false,
      publicAccessCidrs: ['0.0.0.0/0'],
    });
    expect(state?.vpcId).toBeUndefined();
    expect(state?.subnetIds).toEqual(['subnet-0a1', 'subnet-0b2']);
  });

  it('lists every cluster across pages', async () => {
    // Prepare
    mocks.eks
      .on(ListClustersCommand)
      .resolvesOnce({ clusters: ['a', 'b'], nextToken: 't1' })
      .resolvesOnce({ clusters: ['c'] });

    // Act
    const names: string[] = [];
    for await (const name of testPorts().eks.listClusters()) names.push(name);

    // Assess
    expect(names).toEqual(['a', 'b', 'c']);
    expect(mocks.eks).toHaveReceivedNthCommandWith(2, ListClustersCommand, { nextToken: 't1' });
  });

  it('maps update errors to codes and messages', async () => {
    // Prepare
    mocks.eks.on(DescribeUpdateCommand).resolves({
      update: { status: 'Failed', errors: [{ errorCode: 'AccessDenied', errorMessage: 'role cannot' }] },
    });

    // Act
    const update = await testPorts().eks.describeUpdate('prod-api', 'upd-1');

    // Assess
    expect(update).toEqual({ status: 'Failed', errors: [{ code: 'AccessDenied', message: 'role cannot' }] });
  });
});
