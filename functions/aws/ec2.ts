import type { EC2Client } from '@aws-sdk/client-ec2';
import { AMAZON_PROVIDED_DNS } from '../core/lockout';
import type { Ec2Port, VpcDns } from '../ports';
import { type ClientSource, resolveClient, sdk } from './clients';

/** VPC DNS settings change rarely: a sweep asks once per VPC, not once per cluster. */
export const VPC_DNS_CACHE_MS = 60_000;

export function ec2Adapter(source: ClientSource<EC2Client>, now: () => number = Date.now): Ec2Port {
  // Promises, not values: a second check of the same VPC while the first look-up is in flight
  // waits for it instead of asking again. A look-up that fails is dropped, so the next one asks.
  const dnsOf = new Map<string, { value: Promise<VpcDns>; until: number }>();
  // A subnet never moves to another VPC.
  const vpcOfSubnet = new Map<string, Promise<string>>();

  function remembered<K, V>(map: Map<K, V>, key: K, entry: V, promise: Promise<unknown>): void {
    map.set(key, entry);
    promise.catch(() => {
      if (map.get(key) === entry) map.delete(key);
    });
  }

  function vpcOf(client: EC2Client, subnetIds: string[]): Promise<string> {
    const subnet = subnetIds[0];
    const known = subnet ? vpcOfSubnet.get(subnet) : undefined;
    if (known) return known;
    const lookUp = vpcOfSubnets(client, subnetIds);
    if (subnet) remembered(vpcOfSubnet, subnet, lookUp, lookUp);
    return lookUp;
  }

  return {
    async vpcDns(knownVpcId: string | undefined, subnetIds: string[]): Promise<VpcDns> {
      const client = resolveClient(source);
      const vpcId = knownVpcId ?? (await vpcOf(client, subnetIds));
      const cached = dnsOf.get(vpcId);
      if (cached && cached.until > now()) return cached.value;
      const value = lookUp(client, vpcId);
      const entry = { value, until: now() + VPC_DNS_CACHE_MS };
      remembered(dnsOf, vpcId, entry, value);
      return value;
    },
  };
}

async function lookUp(client: EC2Client, vpcId: string): Promise<VpcDns> {
  const { DescribeVpcAttributeCommand } = sdk.ec2();
  const [support, hostnames, dhcp] = await Promise.all([
    client.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsSupport' })),
    client.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: 'enableDnsHostnames' })),
    dhcpOf(client, vpcId),
  ]);
  return {
    vpcId,
    dnsSupport: support.EnableDnsSupport?.Value === true,
    dnsHostnames: hostnames.EnableDnsHostnames?.Value === true,
    ...dhcp,
  };
}

/** The VPC's DHCP options and the DNS servers they hand out (DescribeVpcs, then DescribeDhcpOptions). */
async function dhcpOf(
  client: EC2Client,
  vpcId: string,
): Promise<{ dhcpOptionsId: string; domainNameServers: string[] }> {
  const { DescribeVpcsCommand, DescribeDhcpOptionsCommand } = sdk.ec2();
  const { Vpcs } = await client.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
  const vpc = Vpcs?.[0];
  if (!vpc) throw new Error(`VPC ${vpcId} of the cluster was not found`);
  const dhcpOptionsId = vpc.DhcpOptionsId || 'default';
  if (dhcpOptionsId === 'default') return { dhcpOptionsId, domainNameServers: [AMAZON_PROVIDED_DNS] };
  const { DhcpOptions } = await client.send(
    new DescribeDhcpOptionsCommand({ DhcpOptionsIds: [dhcpOptionsId] }),
  );
  const servers = (DhcpOptions?.[0]?.DhcpConfigurations ?? [])
    .filter((c) => c.Key === 'domain-name-servers')
    .flatMap((c) => c.Values ?? [])
    .map((v) => v.Value)
    .filter((v): v is string => typeof v === 'string' && v.length > 0);
  return { dhcpOptionsId, domainNameServers: servers };
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
