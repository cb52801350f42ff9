import 'aws-sdk-client-mock-jest';
import {
  DescribeClusterCommand,
  DescribeUpdateCommand,
  InvalidParameterException,
  ListClustersCommand,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import { AlreadyAtTargetError, UpdateRejectedError } from '../../../functions/ports';
import { clusterOf, givenCluster, mocks, resetAws, testPorts } from '../support/aws';

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

  it('reads whether the audit log goes to CloudWatch Logs, and says nothing when EKS does not', async () => {
    // Prepare
    givenCluster({ name: 'logged', auditLogging: true });
    givenCluster({ name: 'dark' });
    mocks.eks
      .on(DescribeClusterCommand, { name: 'older' })
      .resolves({ cluster: { ...clusterOf({ name: 'older' }), logging: undefined } });

    // Act
    const states = await Promise.all(
      ['logged', 'dark', 'older'].map((name) => testPorts().eks.describeCluster(name)),
    );

    // Assess
    expect(states.map((s) => s?.auditLogging)).toEqual([true, false, undefined]);
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

  it.each([
    [
      'Cluster is already at the desired configuration with endpointPrivateAccess: true',
      AlreadyAtTargetError,
    ],
    ['publicAccessCidrs: 2001:db8::/32 is not supported for IPv4 clusters', UpdateRejectedError],
  ])('tells "%s" apart', async (message, expected) => {
    // Prepare
    mocks.eks
      .on(UpdateClusterConfigCommand)
      .rejects(new InvalidParameterException({ message, $metadata: {} }));

    // Act
    const update = testPorts().eks.updateEndpointAccess(
      'prod-api',
      { publicAccess: true, privateAccess: false, publicAccessCidrs: ['2001:db8::/32'] },
      'eks-endpoint-guard-x',
    );

    // Assess
    await expect(update).rejects.toBeInstanceOf(expected);
  });

  it('sends CIDRs in canonical form', async () => {
    // Act
    await testPorts().eks.updateEndpointAccess(
      'prod-api',
      { publicAccess: true, privateAccess: true, publicAccessCidrs: ['10.0.0.0/08', '2001:0DB8::/32'] },
      'eks-endpoint-guard-x',
    );

    // Assess
    expect(mocks.eks).toHaveReceivedCommandWith(UpdateClusterConfigCommand, {
      resourcesVpcConfig: {
        endpointPublicAccess: true,
        endpointPrivateAccess: true,
        publicAccessCidrs: ['10.0.0.0/8', '2001:db8::/32'],
      },
    });
  });
});
