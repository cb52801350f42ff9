import 'aws-sdk-client-mock-jest';
import { DescribeSubnetsCommand, DescribeVpcAttributeCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ec2Adapter, VPC_DNS_CACHE_MS } from '../../../functions/aws/ec2';
import { givenVpcDns, mocks, resetAws } from '../support/aws';

beforeEach(() => resetAws());

describe('EC2 adapter', () => {
  it('asks once per VPC within the cache time, and again after it', async () => {
    // Prepare
    let clock = 1_000_000;
    const ec2 = ec2Adapter(new EC2Client({ region: 'us-east-1' }), () => clock);

    // Act
    await ec2.vpcDns(undefined, ['subnet-0a1']);
    await ec2.vpcDns(undefined, ['subnet-0a1']);
    clock += VPC_DNS_CACHE_MS + 1;
    givenVpcDns(true, false);
    const later = await ec2.vpcDns(undefined, ['subnet-0a1']);

    // Assess
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeSubnetsCommand, 1);
    expect(mocks.ec2).toHaveReceivedCommandTimes(DescribeVpcAttributeCommand, 4);
    expect(later).toEqual({ vpcId: 'vpc-0abc', dnsSupport: true, dnsHostnames: false });
  });
});
