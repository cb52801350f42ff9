import fc from 'fast-check';
import type { EndpointConfig } from '../../../functions/core/endpoint';
import { clientRequestToken, MAX_TOKEN_LENGTH } from '../../../functions/core/request-token';
import { endpointConfigArb } from './arbitraries';

const OPEN: EndpointConfig = { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] };
const CLOSED: EndpointConfig = { publicAccess: false, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] };

describe('clientRequestToken', () => {
  it('is the same for the same request, configuration seen and target', () => {
    // Act
    const tokens = [
      clientRequestToken('evt-1', 'prod-api', OPEN, CLOSED),
      clientRequestToken(
        'evt-1',
        'prod-api',
        { ...OPEN, publicAccessCidrs: ['0.0.0.0/0', '0.0.0.0/0'] },
        CLOSED,
      ),
    ];

    // Assess
    expect(tokens[0]).toMatch(/^eks-endpoint-guard-[0-9a-f]{40}$/);
    expect(tokens[1]).toBe(tokens[0]);
  });

  it('changes when a retry of the same request sees another configuration', () => {
    // Prepare: the cluster drifted to another non-compliant setting between the attempts
    const drifted: EndpointConfig = { ...OPEN, publicAccessCidrs: ['198.51.100.0/24'] };

    // Act
    const first = clientRequestToken('evt-1', 'prod-api', OPEN, CLOSED);
    const retry = clientRequestToken('evt-1', 'prod-api', drifted, CLOSED);

    // Assess
    expect(retry).not.toBe(first);
  });

  it('fits EKS limit for any name, correlation id and configurations', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.stringMatching(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/),
        endpointConfigArb([]),
        endpointConfigArb([]),
        (correlationId, cluster, before, target) => {
          // Act
          const token = clientRequestToken(correlationId, cluster, before, target);

          // Assess
          expect(token.length).toBeLessThanOrEqual(MAX_TOKEN_LENGTH);
          expect(token).toMatch(/^[A-Za-z0-9-]+$/);
        },
      ),
    );
  });
});
