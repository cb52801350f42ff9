import { auditLogGroupOf, hitOfAuditEvent } from '../../../../functions/core/clients/audit-event';
import { auditEvent } from './audit-events';

const AT = Date.parse('2026-06-03T10:12:41Z');

describe('hitOfAuditEvent', () => {
  it('takes the last of sourceIPs, the connection address: the forwarded ones before it are anyone’s to forge', () => {
    // Prepare: X-Forwarded-For and X-Real-Ip claim allowed addresses; the connection came from 198.51.100.23
    const message = auditEvent({
      sourceIPs: ['203.0.113.1', '203.0.113.2', '198.51.100.23'],
      username: 'system:serviceaccount:argocd:argocd-application-controller',
      userAgent: 'argocd-application-controller/v2.13.1',
    });

    // Act
    const hit = hitOfAuditEvent(message, AT);

    // Assess
    expect(hit).toEqual({
      ip: '198.51.100.23',
      user: 'system:serviceaccount:argocd:argocd-application-controller',
      userAgent: 'argocd-application-controller/v2.13.1',
      requests: 1,
      lastSeen: AT,
    });
  });

  it('reads IPv6 connection addresses', () => {
    // Act
    const hit = hitOfAuditEvent(auditEvent({ sourceIPs: ['2001:db8::7'] }), AT);

    // Assess
    expect(hit?.ip).toBe('2001:db8::7');
  });

  it.each([
    [
      'the RequestReceived stage (the same request counts once, at ResponseComplete)',
      { stage: 'RequestReceived' },
    ],
    ['a watch’s ResponseStarted', { stage: 'ResponseStarted' }],
    ['a request refused as unauthenticated (401)', { code: 401 }],
    ['a request refused as unauthorised (403)', { code: 403 }],
    ['an anonymous request', { username: 'system:anonymous' }],
    ['an event without sourceIPs', { sourceIPs: [] }],
  ])('does not count %s', (_what, spec) => {
    // Prepare
    const message = auditEvent({ sourceIPs: ['198.51.100.23'], ...spec });

    // Act
    const hit = hitOfAuditEvent(message, AT);

    // Assess
    expect(hit).toBeUndefined();
  });

  it('counts a request that failed for another reason (a 404 still shows a working client)', () => {
    // Act
    const hit = hitOfAuditEvent(auditEvent({ sourceIPs: ['198.51.100.23'], code: 404 }), AT);

    // Assess
    expect(hit?.ip).toBe('198.51.100.23');
  });

  it.each(['', 'not json', '[]', 'null', '{"stage":"ResponseComplete","sourceIPs":"198.51.100.23"}'])(
    'reads nothing from an unreadable message %j',
    (message) => {
      // Act
      const hit = hitOfAuditEvent(message, AT);

      // Assess
      expect(hit).toBeUndefined();
    },
  );

  it('names the log group EKS writes the audit log to', () => {
    // Assess
    expect(auditLogGroupOf('prod-api')).toBe('/aws/eks/prod-api/cluster');
  });
});
