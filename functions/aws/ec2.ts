import type { EC2Client } from '@aws-sdk/client-ec2';
import type { Ec2Port, VpcDns } from '../ports';
import { type ClientSource, resolveClient, sdk } from './clients';

/** VPC DNS settings change rarely: a sweep asks once per VPC, not once per cluster. */
export const VPC_DNS_CACHE_MS = 60_000;

export function ec2Adapter(source: ClientSource<EC2Client>, now: () => number = Date.now): Ec2Port {
  const dnsOf = new Map<string, { value: VpcDns; until: number }>();
  // A subnet never moves to another VPC.
  const vpcOfSubnet = new Map<string, string>();

  async function lookUp(client: EC2Client, vpcId: string): Promise<VpcDns> {
    const { DescribeVpcAttributeCommand } = sdk.ec2();
    const [support, hostnames] = await Promise.all([
      client.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsSupport' })),
      client.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsHostnames' })),
    ]);
    return {
      vpcId,
      dnsSupport: support.EnableDnsSupport?.Value === true,
      dnsHostnames: hostnames.EnableDnsHostnames?.Value === true,
    };
  }

  return {
    async vpcDns(knownVpcId: string | undefined, subnetIds: string[]): Promise<VpcDns> {
      const client = resolveClient(source);
      const subnet = subnetIds[0];
      let vpcId = knownVpcId ?? (subnet ? vpcOfSubnet.get(subnet) : undefined);
      if (!vpcId) {
        vpcId = await vpcOfSubnets(client, subnetIds);
        if (subnet) vpcOfSubnet.set(subnet, vpcId);
      }
      const cached = dnsOf.get(vpcId);
      if (cached && cached.until > now()) return cached.value;
      const value = await lookUp(client, vpcId);
      dnsOf.set(vpcId, { value, until: now() + VPC_DNS_CACHE_MS });
      return value;
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
