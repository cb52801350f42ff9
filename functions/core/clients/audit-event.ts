import type { ClientHit } from './aggregate';

/**
 * What counts as a client's request in the EKS audit log (log group `/aws/eks/<cluster>/cluster`,
 * streams `kube-apiserver-audit-*`, one Kubernetes audit event per log event). Both strategies
 * apply the same rules: the Insights query (aws/clients-insights.ts) in its filter, the scan
 * (aws/clients-scan.ts) through `hitOfAuditEvent`.
 *
 * - One event per request: the `ResponseComplete` stage (a request also logs `RequestReceived`
 *   unless the audit policy omits it, and a watch `ResponseStarted`).
 * - Requests the API server refused (401, 403) and anonymous ones do not make a working client:
 *   cutting them off breaks nothing, and counting them would let anyone without credentials make
 *   the guard defer a change by calling the endpoint.
 * - The client is the last element of `sourceIPs`, the connection's own address.
 */
export const AUDIT_LOG_STREAM_PREFIX = 'kube-apiserver-audit';
export const COUNTED_STAGE = 'ResponseComplete';
export const REFUSED_CODES: readonly number[] = [401, 403];
export const ANONYMOUS_USER = 'system:anonymous';

export function auditLogGroupOf(cluster: string): string {
  return `/aws/eks/${cluster}/cluster`;
}

/** The request one audit log event records, or undefined when it does not count (see above) or cannot be read. */
export function hitOfAuditEvent(message: string, timestamp: number): ClientHit | undefined {
  let event: unknown;
  try {
    event = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (!isRecord(event) || event.stage !== COUNTED_STAGE) return undefined;
  const status = isRecord(event.responseStatus) ? event.responseStatus.code : undefined;
  if (typeof status === 'number' && REFUSED_CODES.includes(status)) return undefined;
  const user =
    isRecord(event.user) && typeof event.user.username === 'string' ? event.user.username : undefined;
  if (user === ANONYMOUS_USER) return undefined;
  const ips = Array.isArray(event.sourceIPs) ? event.sourceIPs : [];
  const ip = ips.at(-1);
  if (typeof ip !== 'string') return undefined;
  return {
    ip,
    ...(user !== undefined ? { user } : {}),
    ...(typeof event.userAgent === 'string' ? { userAgent: event.userAgent } : {}),
    requests: 1,
    lastSeen: timestamp,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
