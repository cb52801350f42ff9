import type { EC2Client } from '@aws-sdk/client-ec2';
import type { Ec2Port, VpcDns } from '../ports';
import { type ClientSource, resolveClient, sdk } from './clients';

export function ec2Adapter(source: ClientSource<EC2Client>): Ec2Port {
  return {
    async vpcDns(knownVpcId: string | undefined, subnetIds: string[]): Promise<VpcDns> {
      const client = resolveClient(source);
      const { DescribeVpcAttributeCommand } = sdk.ec2();
      const vpcId = knownVpcId ?? (await vpcOfSubnets(client, subnetIds));
      const [support, hostnames] = await Promise.all([
        client.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsSupport' })),
        client.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsHostnames' })),
      ]);
      return {
        vpcId,
        dnsSupport: support.EnableDnsSupport?.Value === true,
        dnsHostnames: hostnames.EnableDnsHostnames?.Value === true,
      };
    },
  };
}

/** DescribeCluster may leave out vpcId: every cluster subnet lies in the cluster VPC. */
async function vpcOfSubnets(client: EC2Client, subnetIds: string[]): Promise<string> {
  const first = subnetIds[0];
  if (!first) throw new Error('the cluster reports neither a VPC nor subnets');
  const { Subnets } = await client.send(new (sdk.ec2().DescribeSubnetsCommand)({ SubnetIds: [first] }));
  const vpcId = Subnets?.[0]?.VpcId;
  if (!vpcId) throw new Error(`subnet ${first} of the cluster has no VPC`);
  return vpcId;
}
