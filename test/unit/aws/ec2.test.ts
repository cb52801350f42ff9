import 'aws-sdk-client-mock-jest';
import {
  DescribeDhcpOptionsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { ec2Adapter, VPC_DNS_CACHE_MS } from '../../../functions/aws/ec2';
import { givenDhcpServers, givenVpcDns, mocks, resetAws } from '../support/aws';

beforeEach(() => resetAws());

const adapter = (clock: () => number = Date.now) => ec2Adapter(new EC2Client({ region: 'us-east-1' }), clock);

describe('EC2 adapter', () => {
  it('asks once per VPC within the cache time, and again after it', async () => {
    // Prepare
    let clock = 1_000_000;
    const ec2 = adapter(() => clock);

    // Act
    await ec2.vpcDns(undefined, ['subnet-0a1']);
    await ec2.vpcDns(undefined, ['subnet-0a1']);
    clock += VPC_DNS_CACHE_MS + 1;
    givenVpcDns(true, false);
    const later = await ec2.vpcDns(undefined, ['subnet-0a1']);

    // Assess
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeSubnetsCommand, 1);
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeVpcAttributeCommand, 4);
    expect(later).toMatchObject({ vpcId: 'vpc-0abc', dnsSupport: true, dnsHostnames: false });
  });

  it('looks a VPC up once when several checks of it run at the same time', async () => {
    // Prepare
    const ec2 = adapter();

    // Act
    const all = await Promise.all([
      ec2.vpcDns(undefined, ['subnet-0a1']),
      ec2.vpcDns(undefined, ['subnet-0a1']),
      ec2.vpcDns('vpc-0abc', []),
      ec2.vpcDns('vpc-0abc', []),
    ]);

    // Assess
    expect(new Set(all.map((dns) => JSON.stringify(dns))).size).toBe(1);
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeSubnetsCommand, 1);
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeVpcAttributeCommand, 2);
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeVpcsCommand, 1);
  });

  it('does not remember a failed look-up', async () => {
    // Prepare
    const ec2 = adapter();
    mocks.ec2
      .on(DescribeVpcsCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'Throttling' }))
      .resolves({ Vpcs: [{ VpcId: 'vpc-0abc', DhcpOptionsId: 'default' }] });

    // Act
    const first = ec2.vpcDns('vpc-0abc', []);
    const concurrent = ec2.vpcDns('vpc-0abc', []);
    await expect(first).rejects.toThrow('slow down');
    await expect(concurrent).rejects.toThrow('slow down');
    const retry = await ec2.vpcDns('vpc-0abc', []);

    // Assess
    expect(retry).toMatchObject({ vpcId: 'vpc-0abc', dnsSupport: true });
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeVpcsCommand, 2);
  });

  it('reports the Amazon-provided DNS for a VPC with the default DHCP options, without reading them', async () => {
    // Act
    const dns = await adapter().vpcDns('vpc-0abc', []);

    // Assess
    expect(dns).toMatchObject({ dhcpOptionsId: 'default', domainNameServers: ['AmazonProvidedDNS'] });
    expect(mocks.ec2).not.toHaveReceivedCommand(DescribeDhcpOptionsCommand);
  });

  it('reads the DNS servers of a VPC own DHCP options', async () => {
    // Prepare
    givenDhcpServers(['10.0.0.53', '10.0.1.53']);

    // Act
    const dns = await adapter().vpcDns('vpc-0abc', []);

    // Assess
    expect(dns).toMatchObject({
      dhcpOptionsId: 'dopt-0c0ffee',
      domainNameServers: ['10.0.0.53', '10.0.1.53'],
    });
    expect(mocks.ec2).toHaveReceivedCommandWith(DescribeDhcpOptionsCommand, {
      DhcpOptionsIds: ['dopt-0c0ffee'],
    });
  });

  it('reports no servers for DHCP options that name none', async () => {
    // Prepare
    givenDhcpServers([]);

    // Act
    const dns = await adapter().vpcDns('vpc-0abc', []);

    // Assess
    expect(dns.domainNameServers).toEqual([]);
  });
});
