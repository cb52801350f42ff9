import { createHash } from 'node:crypto';
import type { EndpointConfig } from './endpoint';
import { GUARD_TOKEN_PREFIX } from './triggers';

/**
 * The clientRequestToken of the guard's UpdateClusterConfig: derived from the request and the
 * target, so a duplicate delivery of the same event asks for the same update and EKS absorbs it.
 * The prefix lets the guard recognise its own change when CloudTrail reports it back.
 */
export function clientRequestToken(correlationId: string, cluster: string, target: EndpointConfig): string {
  const cidrs = target.publicAccess ? [...target.publicAccessCidrs].sort() : [];
  const digest = createHash('sha256')
    .update(JSON.stringify([correlationId, cluster, target.publicAccess, target.privateAccess, cidrs]))
    .digest('hex');
  return `${GUARD_TOKEN_PREFIX}${digest.slice(0, 40)}`;
}
