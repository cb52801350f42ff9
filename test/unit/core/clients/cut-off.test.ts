import { cutOffOf, takesAccessAway, unknownCutOff } from '../../../../functions/core/clients/cut-off';
import type { ActiveClient, ClientsLookup } from '../../../../functions/core/clients/types';
import type { EndpointConfig } from '../../../../functions/core/endpoint';

const OPEN: EndpointConfig = { publicAccess: true, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] };
const NARROW: EndpointConfig = {
  publicAccess: true,
  privateAccess: true,
  publicAccessCidrs: ['203.0.113.0/24'],
};
const WINDOW = {
  since: '2026-06-02T10:20:00.000Z',
  until: '2026-06-03T10:20:00.000Z',
  strategy: 'insights' as const,
};

const client = (ip: string, requests = 1): ActiveClient => ({
  ip,
  users: ['alice'],
  userAgents: ['kubectl/v1.33.1'],
  requests,
  lastSeen: '2026-06-03T10:00:00.000Z',
});

describe('takesAccessAway', () => {
  it.each([
    ['public off', OPEN, { ...OPEN, publicAccess: false }, true],
    ['CIDRs narrowed', OPEN, NARROW, true],
    ['private on only', { ...NARROW, privateAccess: false }, NARROW, false],
    ['nothing changes', NARROW, { ...NARROW }, false],
    ['private off', NARROW, { ...NARROW, privateAccess: false }, true],
    ['public already off', { ...OPEN, publicAccess: false }, { ...OPEN, publicAccess: false }, false],
    ['the EKS default (no CIDRs) narrowed', { ...OPEN, publicAccessCidrs: [] }, NARROW, true],
  ])('%s: %s', (_name, before, after, expected) => {
    // Act
    const result = takesAccessAway(before, after as EndpointConfig);

    // Assess
    expect(result).toBe(expected);
  });
});

describe('cutOffOf', () => {
  it('keeps the clients the target cuts off, how many were seen, the window and how fresh it is', () => {
    // Prepare
    const lookup: ClientsLookup = {
      ...WINDOW,
      known: true,
      clients: [client('198.51.100.23', 40), client('203.0.113.9', 3), client('10.0.4.4', 2)],
      newestEvent: '2026-06-03T10:00:00.000Z',
      bytesScanned: 1024,
    };

    // Act
    const cutOff = cutOffOf(lookup, OPEN, NARROW);

    // Assess
    expect(cutOff).toEqual({
      clients: [client('198.51.100.23', 40)],
      ...WINDOW,
      bytesScanned: 1024,
      newestEvent: '2026-06-03T10:00:00.000Z',
      seen: 3,
    });
  });

  it('lists at most 20 and counts the rest', () => {
    // Prepare
    const clients = Array.from({ length: 23 }, (_, i) => client(`198.51.100.${i + 1}`));

    // Act
    const cutOff = cutOffOf({ ...WINDOW, known: true, clients }, OPEN, NARROW);

    // Assess
    expect([(cutOff.clients as ActiveClient[]).length, cutOff.more, cutOff.seen]).toEqual([20, 3, 23]);
  });

  it('says "unknown", with the cause and why, when the look-up could not tell: never an empty list', () => {
    // Act
    const cutOff = cutOffOf(
      { ...WINDOW, known: false, cause: 'deadline', why: 'the query was still Running after 20 s' },
      OPEN,
      NARROW,
    );

    // Assess
    expect(cutOff).toEqual({
      clients: 'unknown',
      cause: 'deadline',
      why: 'the query was still Running after 20 s',
      ...WINDOW,
    });
  });

  it('keeps a partial read as a lower bound', () => {
    // Act
    const cutOff = cutOffOf(
      { ...WINDOW, known: true, clients: [], partial: 'the scan stopped at its cap' },
      OPEN,
      NARROW,
    );

    // Assess
    expect(cutOff).toMatchObject({ clients: [], partial: 'the scan stopped at its cap', seen: 0 });
  });

  it('builds an "unknown" for a look-up that was never made', () => {
    // Act
    const cutOff = unknownCutOff('look-up-off', 'off', new Date(0), new Date(1000));

    // Assess
    expect(cutOff).toEqual({
      clients: 'unknown',
      cause: 'look-up-off',
      why: 'off',
      since: '1970-01-01T00:00:00.000Z',
      until: '1970-01-01T00:00:01.000Z',
    });
  });
});
