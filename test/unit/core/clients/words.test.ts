import type { ClientsCutOff } from '../../../../functions/core/clients/types';
import { clientText, cutOffCell, cutOffClause, windowText } from '../../../../functions/core/clients/words';

const WINDOW = { since: '2026-06-02T10:20:00.000Z', until: '2026-06-03T10:20:00.000Z' };
const ARGO = {
  ip: '198.51.100.23',
  users: ['system:serviceaccount:argocd:controller'],
  userAgents: ['argocd/v2.13.1'],
  requests: 1284,
  lastSeen: '2026-06-03T10:12:40.000Z',
};

describe('the clients in words', () => {
  it('says how long the window was', () => {
    // Assess
    expect([
      windowText(WINDOW.since, WINDOW.until),
      windowText('2026-06-03T10:00:00Z', '2026-06-03T10:30:00Z'),
      windowText('x', 'y'),
    ]).toEqual(['24 h', '30 min', 'the window']);
  });

  it('names a client by its address, users, requests and last time', () => {
    // Assess
    expect(clientText(ARGO)).toBe(
      '198.51.100.23 (system:serviceaccount:argocd:controller; 1,284 requests, last 10:12 UTC)',
    );
  });

  it('makes user names from the audit log one safe line', () => {
    // Act
    const text = clientText({ ...ARGO, users: ['evil\u001b[31m\nname'] });

    // Assess
    expect([text.includes('\u001b'), text.includes('\n')]).toEqual([false, false]);
  });

  it.each<[string, ClientsCutOff, string]>([
    [
      'clients cut off',
      { clients: [ARGO], ...WINDOW, seen: 4, newestEvent: '2026-06-03T10:12:40.000Z' },
      'it cuts off 1 client seen in the last 24 h: 198.51.100.23 (system:serviceaccount:argocd:controller; 1,284 requests, last 10:12 UTC), audit log as of 2026-06-03T10:12Z',
    ],
    [
      'nobody',
      { clients: [], ...WINDOW, seen: 4 },
      'it cuts off none of the 4 clients seen in the last 24 h',
    ],
    [
      'unknown',
      { clients: 'unknown', cause: 'logging-off', why: 'the audit log is off', ...WINDOW },
      'whom it cuts off is unknown (the audit log is off)',
    ],
    [
      'a lower bound',
      { clients: [], ...WINDOW, seen: 1, partial: 'the scan stopped' },
      'it cuts off none of the 1 client seen in the last 24 h (partial: the scan stopped)',
    ],
  ])('a reason clause: %s', (_name, cutOff, expected) => {
    // Assess
    expect(cutOffClause(cutOff)).toBe(expected);
  });

  it('counts the clients beyond the three a reason names', () => {
    // Prepare
    const clients = Array.from({ length: 4 }, (_, i) => ({ ...ARGO, ip: `198.51.100.${i}` }));

    // Act
    const clause = cutOffClause({ clients, more: 2, ...WINDOW });

    // Assess
    expect(clause).toMatch(/^it cuts off 6 clients seen in the last 24 h: .* and 3 more$/);
  });

  it.each<[ClientsCutOff | undefined, string]>([
    [undefined, '-'],
    [{ clients: 'unknown', why: 'audit log off', ...WINDOW }, 'unknown (audit log off)'],
    [{ clients: [], seen: 3, ...WINDOW }, 'none of 3 seen'],
    [{ clients: [ARGO], ...WINDOW, partial: 'capped' }, '1: 198.51.100.23 (at least)'],
  ])('a table cell for %j', (cutOff, expected) => {
    // Assess
    expect(cutOffCell(cutOff)).toBe(expected);
  });
});
