import { randomUUID } from 'node:crypto';
import {
  type CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { AUDIT_LOG_STREAM_PREFIX, auditLogGroupOf } from '../core/clients/audit-event';

/**
 * The demo's API clients: Kubernetes audit events, as EKS writes them to CloudWatch Logs, for the
 * clusters whose audit log is on. The guard reads them back (the scan strategy: the emulator has
 * no Logs Insights aggregation) before a change, to name whom the change cuts off.
 */
export interface DemoClient {
  /** sourceIPs as the API server writes them: forwarded addresses first, the connection last. */
  sourceIPs: string[];
  username: string;
  userAgent: string;
  requests: number;
  /** Minutes before the demo started of the latest request. */
  minutesAgo: number;
  /** The response code (401 and 403 are refusals: not a working client). */
  code?: number;
}

export const DEMO_CLIENTS: Record<string, DemoClient[]> = {
  // Allowed 203.0.113.0/24; open to 192.0.2.0/24 as well.
  analytics: [
    {
      sourceIPs: ['192.0.2.10'],
      username: 'system:serviceaccount:argocd:argocd-application-controller',
      userAgent: 'argocd-application-controller/v2.13.1 (linux/amd64)',
      requests: 42,
      minutesAgo: 3,
    },
    {
      sourceIPs: ['203.0.113.25'],
      username: 'arn:aws:sts::123456789012:assumed-role/Developer/maria',
      userAgent: 'kubectl/v1.33.1 (darwin/arm64) kubernetes/8adc0f0',
      requests: 7,
      minutesAgo: 25,
    },
    // Claims an allowed address in X-Forwarded-For; the connection came from 192.0.2.200.
    {
      sourceIPs: ['203.0.113.99', '192.0.2.200'],
      username: 'ci-deployer',
      userAgent: 'Helm/3.16.2',
      requests: 5,
      minutesAgo: 40,
    },
    // Refused: not a working client, and not counted.
    {
      sourceIPs: ['192.0.2.77'],
      username: 'arn:aws:sts::123456789012:assumed-role/ReadOnly/visitor',
      userAgent: 'kubectl/v1.31.0',
      requests: 3,
      minutesAgo: 10,
      code: 403,
    },
  ],
  'prod-api': [
    {
      sourceIPs: ['198.51.100.30'],
      username: 'arn:aws:sts::123456789012:assumed-role/GitLabRunner/ci',
      userAgent: 'kubectl/v1.33.1 (linux/amd64) kubernetes/8adc0f0',
      requests: 18,
      minutesAgo: 6,
    },
  ],
};

/** Writes each cluster's demo clients to its audit log group (one stream, as EKS names them). */
export async function seedDemoAuditLogs(logs: CloudWatchLogsClient, started: Date): Promise<void> {
  for (const [cluster, clients] of Object.entries(DEMO_CLIENTS)) {
    const logGroupName = auditLogGroupOf(cluster);
    const logStreamName = `${AUDIT_LOG_STREAM_PREFIX}-${randomUUID().replace(/-/g, '')}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName }));
    await logs.send(new CreateLogStreamCommand({ logGroupName, logStreamName }));
    const logEvents = clients
      .flatMap((client) =>
        Array.from({ length: client.requests }, (_, i) => {
          const time = started.getTime() - client.minutesAgo * 60_000 - i * 20_000;
          return { timestamp: time, message: auditEventText(client, new Date(time)) };
        }),
      )
      .sort((a, b) => a.timestamp - b.timestamp);
    await logs.send(new PutLogEventsCommand({ logGroupName, logStreamName, logEvents }));
  }
}

/** One audit event in the API server's own JSON shape (audit.k8s.io/v1, compact). */
function auditEventText(client: DemoClient, at: Date): string {
  const time = at.toISOString().replace('Z', '000Z');
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: randomUUID(),
    stage: 'ResponseComplete',
    requestURI: '/apis/apps/v1/namespaces/default/deployments?limit=500',
    verb: 'list',
    user: { username: client.username, groups: ['system:authenticated'] },
    sourceIPs: client.sourceIPs,
    userAgent: client.userAgent,
    objectRef: { resource: 'deployments', namespace: 'default', apiGroup: 'apps', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: client.code ?? 200 },
    requestReceivedTimestamp: time,
    stageTimestamp: time,
  });
}
