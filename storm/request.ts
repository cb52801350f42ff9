/**
 * Which AWS service, operation and caller an SDK request is, read from the request itself: the
 * service from the SigV4 credential scope, the operation from the JSON target header, the query
 * `Action`, or the REST path (EKS, Security Hub, Lambda), the caller from the access key id.
 */
export interface AwsRequest {
  service: string;
  operation: string;
  caller: Caller;
}

export type Caller = { kind: 'worker'; id: number } | { kind: 'person'; id: number } | { kind: 'harness' };

/** Access keys the storm hands out: each worker process and each person has its own. */
export const WORKER_KEY_PREFIX = 'ASIASTORMWORKER';
export const PERSON_KEY_PREFIX = 'ASIASTORMPERSON';

export function workerAccessKey(id: number): string {
  return `${WORKER_KEY_PREFIX}${String(id).padStart(4, '0')}`;
}

export function personAccessKey(id: number): string {
  return `${PERSON_KEY_PREFIX}${String(id).padStart(4, '0')}`;
}

export function callerOf(accessKeyId: string | undefined): Caller {
  const id = (prefix: string) => Number((accessKeyId ?? '').slice(prefix.length));
  if (accessKeyId?.startsWith(WORKER_KEY_PREFIX)) return { kind: 'worker', id: id(WORKER_KEY_PREFIX) };
  if (accessKeyId?.startsWith(PERSON_KEY_PREFIX)) return { kind: 'person', id: id(PERSON_KEY_PREFIX) };
  return { kind: 'harness' };
}

/** `Credential=AKID/20260603/us-east-1/eks/aws4_request` → the key id and the service. */
export function credentialOf(authorization: string | undefined): { accessKeyId?: string; service?: string } {
  const match = /Credential=([^/,\s]+)\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return match ? { accessKeyId: match[1], service: match[2] } : {};
}

export function parseRequest(
  method: string,
  path: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
): AwsRequest {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const { accessKeyId, service = 'unknown' } = credentialOf(header('authorization'));
  return {
    service,
    operation: operationOf(service, method, path, header('x-amz-target'), body),
    caller: callerOf(accessKeyId),
  };
}

function operationOf(
  service: string,
  method: string,
  path: string,
  target: string | undefined,
  body: string,
): string {
  if (target) return target.slice(target.lastIndexOf('.') + 1);
  const action = /(?:^|&)Action=([A-Za-z]+)/.exec(body)?.[1];
  if (action) return action;
  const route = path.split('?')[0] ?? '/';
  if (service === 'eks') return eksOperation(method, route);
  if (service === 'securityhub' && route === '/findings/import') return 'BatchImportFindings';
  if (service === 'lambda' && /\/functions\/[^/]+\/invocations$/.test(route)) return 'Invoke';
  return `${method} ${route}`;
}

/** The EKS REST routes the guard and the storm use. */
export function eksOperation(method: string, route: string): string {
  const parts = route.split('/').filter(Boolean);
  if (parts[0] === 'tags') {
    return method === 'POST' ? 'TagResource' : method === 'DELETE' ? 'UntagResource' : 'ListTagsForResource';
  }
  if (parts[0] !== 'clusters') return `${method} ${route}`;
  if (parts.length === 1) return method === 'POST' ? 'CreateCluster' : 'ListClusters';
  if (parts.length === 2) return method === 'DELETE' ? 'DeleteCluster' : 'DescribeCluster';
  if (parts[2] === 'update-config') return 'UpdateClusterConfig';
  if (parts[2] === 'updates') return parts.length === 3 ? 'ListUpdates' : 'DescribeUpdate';
  return `${method} ${route}`;
}

/** The path segments of an EKS cluster route: `/clusters/<name>/updates/<id>`. */
export function eksRoute(path: string): { cluster?: string; updateId?: string } {
  const parts = (path.split('?')[0] ?? '').split('/').filter(Boolean).map(decodeURIComponent);
  return parts[0] === 'clusters' ? { cluster: parts[1], updateId: parts[3] } : {};
}
