import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * A real CDK cloud assembly: an `aws-eks` L2 cluster (its `Custom::AWSCDK-EKS-Cluster` custom
 * resource, with nested stacks beside it) open to the world, and a `CfnCluster` restricted to an
 * allowed network. Bundling is skipped: only the templates matter.
 */
export function synthesiseEksAssembly(outdir: string): void {
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Platform', { env: { account: '111122223333', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  new eks.Cluster(stack, 'Prod', {
    version: eks.KubernetesVersion.V1_31,
    kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(
      stack,
      'Kubectl',
      'arn:aws:lambda:eu-west-1:111122223333:layer:kubectl:1',
    ),
    vpc,
    defaultCapacity: 0,
    clusterName: 'prod-api',
    endpointAccess: eks.EndpointAccess.PUBLIC_AND_PRIVATE,
  });
  new eks.CfnCluster(stack, 'Batch', {
    name: 'batch-api',
    roleArn: 'arn:aws:iam::111122223333:role/eks-cluster',
    resourcesVpcConfig: {
      subnetIds: vpc.privateSubnets.map((s) => s.subnetId),
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: ['203.0.113.0/24'],
    },
  });
  app.synth();
}
