import type { Trigger } from '../core/check-request';
import type { CheckResult } from '../core/result';
import type { GuardPorts } from '../ports';

/** CloudTrail's event history goes back 90 days. */
export const LOOKUP_DAYS = 90;

/**
 * Who caused drift the sweep found: no event named anyone, so the latest endpoint change of the
 * cluster in CloudTrail does, marked `actorSource: 'lookup'`. The guard's own change names no one
 * (the drift came from elsewhere, a policy change say). Best effort: a failed lookup leaves the
 * trigger as it was and never stops the decision.
 */
export async function attributeDrift(result: CheckResult, ports: GuardPorts): Promise<Trigger> {
  const trigger = result.trigger;
  if (!ports.cloudtrail || trigger.source !== 'sweep' || trigger.actorArn || trigger.byGuard) return trigger;
  const since = new Date(ports.clock().getTime() - LOOKUP_DAYS * 86_400_000);
  try {
    const change = await ports.cloudtrail.latestEndpointChange(result.cluster, since);
    if (!change || change.byGuard || !change.actorArn) return trigger;
    return {
      ...trigger,
      eventId: change.eventId,
      eventName: change.eventName,
      eventTime: change.eventTime,
      actorArn: change.actorArn,
      actorSource: 'lookup',
      ...(change.sourceIp ? { sourceIp: change.sourceIp } : {}),
      ...(change.userAgent ? { userAgent: change.userAgent } : {}),
    };
  } catch {
    return trigger;
  }
}
