import { clientAddress, isPrivateAddress, pathOf, reaches } from '../../../../functions/core/clients/address';
import type { EndpointConfig } from '../../../../functions/core/endpoint';

const config = (publicAccess: boolean, privateAccess: boolean, cidrs: string[] = []): EndpointConfig => ({
  publicAccess,
  privateAccess,
  publicAccessCidrs: cidrs,
});

describe('clientAddress', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    [' 203.0.113.7 ', '203.0.113.7'],
    ['2001:0DB8:0:0::1', '2001:db8::1'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['10.1', undefined],
    ['203.0.113.7, 198.51.100.1', undefined],
    ['not-an-ip', undefined],
    ['', undefined],
  ])('%j → %j', (text, expected) => {
    // Act
    const address = clientAddress(text);

    // Assess
    expect(address).toBe(expected);
  });
});

describe('isPrivateAddress', () => {
  it.each([
    ['10.0.3.7', true],
    ['172.20.0.1', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['100.64.12.1', true],
    ['100.128.0.1', false],
    ['fd12:3456::1', true],
    ['fe80::1', true],
    ['127.0.0.1', true],
    ['::ffff:10.0.0.1', true],
    ['203.0.113.7', false],
    ['2001:db8::1', false],
    ['garbage', false],
  ])('%s: %s', (ip, expected) => {
    // Act
    const result = isPrivateAddress(ip);

    // Assess
    expect(result).toBe(expected);
  });
});

describe('reaches and pathOf', () => {
  it('a public address reaches the public endpoint only from inside its CIDRs', () => {
    // Prepare
    const open = config(true, false, ['203.0.113.0/24']);

    // Act
    const inside = reaches(open, '203.0.113.9');
    const outside = reaches(open, '198.51.100.9');

    // Assess
    expect([inside, outside]).toEqual([true, false]);
  });

  it('no CIDRs listed means the EKS default, the whole IPv4 internet, and no IPv6', () => {
    // Prepare
    const defaults = config(true, false, []);

    // Act
    const results = [reaches(defaults, '198.51.100.9'), reaches(defaults, '2001:db8::9')];

    // Assess
    expect(results).toEqual([true, false]);
  });

  it('a private address reaches the server through the private endpoint whatever the public CIDRs say', () => {
    // Prepare
    const both = config(true, true, ['10.0.0.0/8']);
    const publicOnly = config(true, false, ['10.0.0.0/8']);

    // Act
    const results = [reaches(both, '10.0.0.9'), reaches(publicOnly, '10.0.0.9')];

    // Assess
    expect(results).toEqual([true, false]);
  });

  it('names the endpoint a client uses today', () => {
    // Prepare
    const both = config(true, true, ['203.0.113.0/24']);

    // Act
    const paths = ['203.0.113.1', '10.1.2.3', '198.51.100.1', 'bogus'].map((ip) => pathOf(both, ip));

    // Assess
    expect(paths).toEqual(['public', 'private', 'none', 'none']);
  });
});
