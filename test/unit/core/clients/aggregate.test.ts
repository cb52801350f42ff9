import { clientsOf, newestOf } from '../../../../functions/core/clients/aggregate';

const T1 = Date.parse('2026-06-03T09:00:00Z');
const T2 = Date.parse('2026-06-03T10:00:00Z');

describe('clientsOf', () => {
  it('merges the rows of one address: requests added, the latest time, users and agents busiest first', () => {
    // Act
    const clients = clientsOf([
      { ip: '203.0.113.7', user: 'alice', userAgent: 'kubectl/v1.33.1', requests: 3, lastSeen: T1 },
      { ip: '203.0.113.7', user: 'ci', userAgent: 'argocd/v2.13', requests: 10, lastSeen: T2 },
      { ip: '203.0.113.7', user: 'alice', userAgent: 'argocd/v2.13', requests: 1, lastSeen: T1 },
    ]);

    // Assess
    expect(clients).toEqual([
      {
        ip: '203.0.113.7',
        users: ['ci', 'alice'],
        userAgents: ['argocd/v2.13', 'kubectl/v1.33.1'],
        requests: 14,
        lastSeen: '2026-06-03T10:00:00.000Z',
      },
    ]);
  });

  it('sorts clients busiest first, then most recent, then by address; one address written two ways is one client', () => {
    // Act
    const clients = clientsOf([
      { ip: '2001:db8::1', requests: 5, lastSeen: T1 },
      { ip: '2001:0db8:0::1', requests: 5, lastSeen: T2 },
      { ip: '198.51.100.2', requests: 20, lastSeen: T1 },
      { ip: '192.0.2.9', requests: 10, lastSeen: T2 },
    ]);

    // Assess
    expect(clients.map((c) => [c.ip, c.requests])).toEqual([
      ['198.51.100.2', 20],
      ['192.0.2.9', 10],
      ['2001:db8::1', 10],
    ]);
  });

  it('keeps five users and five agents per client, and counts the rest', () => {
    // Prepare
    const hits = Array.from({ length: 7 }, (_, i) => ({
      ip: '203.0.113.7',
      user: `user-${i}`,
      userAgent: `agent-${i}`,
      requests: 10 - i,
      lastSeen: T1,
    }));

    // Act
    const [client] = clientsOf(hits);

    // Assess
    expect(client?.users).toEqual(['user-0', 'user-1', 'user-2', 'user-3', 'user-4']);
    expect([client?.moreUsers, client?.moreUserAgents]).toEqual([2, 2]);
  });

  it('leaves out rows whose address is not an IP, or whose count or time is unusable', () => {
    // Act
    const clients = clientsOf([
      { ip: 'localhost', requests: 1, lastSeen: T1 },
      { ip: '203.0.113.7', requests: 0, lastSeen: T1 },
      { ip: '203.0.113.8', requests: 2, lastSeen: Number.NaN },
      { ip: '203.0.113.9', requests: 2, lastSeen: T1 },
    ]);

    // Assess
    expect(clients.map((c) => c.ip)).toEqual(['203.0.113.9']);
  });

  it('names the newest time seen, or nothing', () => {
    // Prepare
    const clients = clientsOf([
      { ip: '203.0.113.7', requests: 1, lastSeen: T1 },
      { ip: '203.0.113.8', requests: 1, lastSeen: T2 },
    ]);

    // Act
    const newest = [newestOf(clients), newestOf([])];

    // Assess
    expect(newest).toEqual(['2026-06-03T10:00:00.000Z', undefined]);
  });
});
