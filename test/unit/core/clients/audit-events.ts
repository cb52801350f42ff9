/**
 * Kubernetes audit events as the API server's log backend writes them (compact JSON, fields in
 * the audit.k8s.io/v1 Event order) and EKS delivers them to CloudWatch Logs, one per log event.
 * Documentation addresses and accounts only.
 */
export interface AuditEventSpec {
  sourceIPs: string[];
  username?: string;
  userAgent?: string;
  stage?: string;
  code?: number;
  verb?: string;
  received?: string;
}

let serial = 0;

export function auditEvent(spec: AuditEventSpec): string {
  serial += 1;
  const received = spec.received ?? '2026-06-03T10:12:40.123456Z';
  const event = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: `0f1e2d3c-4b5a-4697-8877-${String(serial).padStart(12, '0')}`,
    stage: spec.stage ?? 'ResponseComplete',
    requestURI: '/api/v1/namespaces/default/pods?limit=500',
    verb: spec.verb ?? 'list',
    user: {
      username: spec.username ?? 'kubernetes-admin',
      uid: 'aws-iam-authenticator:111122223333:AROAEXAMPLE0000000001',
      groups: ['system:masters', 'system:authenticated'],
      extra: { accessKeyId: ['ASIAEXAMPLE000000001'], sessionName: ['ci'] },
    },
    sourceIPs: spec.sourceIPs,
    ...(spec.userAgent !== undefined ? { userAgent: spec.userAgent } : {}),
    objectRef: { resource: 'pods', namespace: 'default', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: spec.code ?? 200 },
    requestReceivedTimestamp: received,
    stageTimestamp: received,
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' },
  };
  return JSON.stringify(event);
}
