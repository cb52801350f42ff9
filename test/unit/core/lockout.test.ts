import { lockoutFixOf } from '../../../functions/core/lockout';

const HEALTHY = { vpcId: 'vpc-1', dnsSupport: true, dnsHostnames: true };

describe('lockoutFixOf', () => {
  it.each([
    ['the default DHCP options', { dhcpOptionsId: 'default', domainNameServers: ['AmazonProvidedDNS'] }],
    [
      'custom servers that include AmazonProvidedDNS',
      { dhcpOptionsId: 'dopt-1', domainNameServers: ['10.0.0.53', 'AmazonProvidedDNS'] },
    ],
    ['DHCP options not looked up', {}],
  ])('has nothing to fix with %s', (_what, dhcp) => {
    // Act
    const fix = lockoutFixOf({ ...HEALTHY, ...dhcp }, 'us-east-1');

    // Assess
    expect(fix).toBeUndefined();
  });

  it('shows only address characters of the DNS servers, at most four', () => {
    // Prepare
    const servers = ['10.0.0.53\nInjected: yes', '10.0.0.54', '10.0.0.55', '10.0.0.56', '10.0.0.57'];

    // Act
    const fix = lockoutFixOf(
      { ...HEALTHY, dhcpOptionsId: 'dopt-1', domainNameServers: servers },
      'us-east-1',
    );

    // Assess
    expect(fix).toContain(
      'hand out only 10.0.0.53?Injected:?yes, 10.0.0.54, 10.0.0.55, 10.0.0.56, not AmazonProvidedDNS',
    );
    expect(fix).not.toContain('\n');
  });

  it('names the EKS zone of the region, or all of EKS when the region is unknown', () => {
    // Act
    const fixes = [undefined, 'eu-west-1'].map((region) =>
      lockoutFixOf({ ...HEALTHY, dhcpOptionsId: 'dopt-1', domainNameServers: ['10.0.0.53'] }, region),
    );

    // Assess
    expect(fixes[0]).toContain('forward eks.amazonaws.com from');
    expect(fixes[1]).toContain('forward eu-west-1.eks.amazonaws.com from');
  });
});
