import { createHash } from 'node:crypto';
import type { EndpointConfig } from './endpoint';
import { GUARD_TOKEN_PREFIX } from './triggers/normalise';

/** EKS accepts a clientRequestToken of at most 64 characters. */
export const MAX_TOKEN_LENGTH = 64;

/**
 * The clientRequestToken of the guard's UpdateClusterConfig: derived from the request, the
 * configuration seen and the target, so a duplicate delivery of the same event that sees the same
 * cluster asks for the same update and EKS absorbs it, while a retry that finds the cluster changed
 * again gets a new token and so a real update, not EKS's replay of the earlier one. Always
 * `eks-endpoint-guard-` and 40 hex digits (59 characters) whatever the names and CIDRs.
 */
export function clientRequestToken(
  correlationId: string,
  cluster: string,
  before: EndpointConfig,
  target: EndpointConfig,
): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([correlationId, cluster, access(before), access(target)]))
    .digest('hex');
  return `${GUARD_TOKEN_PREFIX}${digest.slice(0, 40)}`;
}

/** The access a configuration grants: CIDRs in a stable order, and none while public is off. */
function access(config: EndpointConfig): [boolean, boolean, string[]] {
  const cidrs = config.publicAccess ? [...new Set(config.publicAccessCidrs)].sort() : [];
  return [config.publicAccess, config.privateAccess, cidrs];
}
