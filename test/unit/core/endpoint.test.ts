import {
  describeEndpointConfig,
  EKS_DEFAULT_PUBLIC_CIDRS,
  type EndpointConfig,
  endpointConfigOf,
  sameEndpointConfig,
} from '../../../functions/core/endpoint';

const config = (
  publicAccess: boolean,
  privateAccess: boolean,
  publicAccessCidrs: string[],
): EndpointConfig => ({
  publicAccess,
  privateAccess,
  publicAccessCidrs,
});

describe('endpointConfigOf', () => {
  it.each([
    ['an absent resourcesVpcConfig', undefined],
    ['an empty resourcesVpcConfig', {}],
    ['null fields', { endpointPublicAccess: null, endpointPrivateAccess: null, publicAccessCidrs: null }],
    ['an empty CIDR list', { publicAccessCidrs: [] }],
  ])('reads %s as the EKS defaults', (_name, raw) => {
    // Act
    const result = endpointConfigOf(raw);

    // Assess
    expect(result).toEqual(config(true, false, ['0.0.0.0/0']));
  });

  it('keeps the values that are present', () => {
    // Prepare
    const raw = {
      endpointPublicAccess: false,
      endpointPrivateAccess: true,
      publicAccessCidrs: ['203.0.113.0/24'],
    };

    // Act
    const result = endpointConfigOf(raw);

    // Assess
    expect(result).toEqual(config(false, true, ['203.0.113.0/24']));
  });

  it('copies the CIDR lists so callers cannot change the source or the defaults', () => {
    // Prepare
    const raw = { publicAccessCidrs: ['203.0.113.0/24'] };

    // Act
    const read = endpointConfigOf(raw);
    const defaults = endpointConfigOf(undefined);
    read.publicAccessCidrs.push('198.51.100.0/24');
    defaults.publicAccessCidrs.push('198.51.100.0/24');

    // Assess
    expect(raw.publicAccessCidrs).toEqual(['203.0.113.0/24']);
    expect(EKS_DEFAULT_PUBLIC_CIDRS).toEqual(['0.0.0.0/0']);
  });
});

describe('sameEndpointConfig', () => {
  it('ignores CIDR order and duplicates', () => {
    // Prepare
    const a = config(true, true, ['203.0.113.0/24', '198.51.100.0/24']);
    const b = config(true, true, ['198.51.100.0/24', '203.0.113.0/24', '198.51.100.0/24']);

    // Act
    const same = sameEndpointConfig(a, b);

    // Assess
    expect(same).toBe(true);
  });

  it('ignores stale CIDRs while the public endpoint is off', () => {
    // Prepare
    const a = config(false, true, ['0.0.0.0/0']);
    const b = config(false, true, ['203.0.113.0/24']);

    // Act
    const same = sameEndpointConfig(a, b);

    // Assess
    expect(same).toBe(true);
  });

  it.each([
    ['public access differs', config(false, true, ['0.0.0.0/0'])],
    ['private access differs', config(true, false, ['0.0.0.0/0'])],
    ['the CIDRs differ', config(true, true, ['203.0.113.0/24'])],
    ['a CIDR is added', config(true, true, ['0.0.0.0/0', '203.0.113.0/24'])],
  ])('is false when %s', (_name, other) => {
    // Prepare
    const base = config(true, true, ['0.0.0.0/0']);

    // Act
    const same = sameEndpointConfig(base, other);

    // Assess
    expect(same).toBe(false);
  });
});

describe('describeEndpointConfig', () => {
  it.each([
    ['public only', 'public (0.0.0.0/0)', config(true, false, ['0.0.0.0/0'])],
    [
      'public and private',
      'public (203.0.113.0/24, 2001:db8::/32) + private',
      config(true, true, ['203.0.113.0/24', '2001:db8::/32']),
    ],
    ['private only, stale CIDRs hidden', 'private', config(false, true, ['0.0.0.0/0'])],
    ['neither', 'no endpoint', config(false, false, [])],
  ])('%s → %s', (_name, expected, value) => {
    // Act
    const text = describeEndpointConfig(value);

    // Assess
    expect(text).toBe(expected);
  });
});
