import { cutOffOf, takesAccessAway, unknownCutOff } from '../core/clients/cut-off';
import { type ClientsCutOff, DEFER_MINUTES_WITHOUT_GRACE, isKnownCutOff } from '../core/clients/types';
import type { EffectivePolicy } from '../core/effective';
import type { EndpointConfig } from '../core/endpoint';
import type { Policy } from '../core/policy/policy';
import type { ClusterState, GuardPorts } from '../ports';

/**
 * Remediation that knows whom it cuts off (DESIGN §18): before a change that takes access away,
 * the clients recently seen in the cluster's audit log that the target would cut off. A look-up
 * never holds a decision up: whatever it cannot tell is "unknown", with why.
 */
export type ProtectActiveClients = Policy['protectActiveClients'];

export async function clientsCutOffFor(
  state: ClusterState,
  target: EndpointConfig,
  protect: ProtectActiveClients,
  ports: GuardPorts,
  now: Date,
): Promise<ClientsCutOff | undefined> {
  if (protect === 'off' || !takesAccessAway(state.config, target)) return undefined;
  if (!ports.clients) {
    return unknownCutOff(
      'look-up-off',
      'the client look-up is off for this guard (activeClients strategy "off")',
      now,
      now,
    );
  }
  try {
    const lookup = await ports.clients.recentClients({
      name: state.name,
      ...(state.auditLogging !== undefined ? { auditLogging: state.auditLogging } : {}),
    });
    return cutOffOf(lookup, state.config, target);
  } catch (error) {
    // The port answers "unknown" for what it expects; anything else must not stop the decision either.
    const name = error instanceof Error ? error.name : 'Error';
    return unknownCutOff('error', `the audit-log look-up failed (${name})`, now, now);
  }
}

/**
 * `defer`: a change that would cut off known active clients waits one grace period (the cluster's
 * own, or DEFER_MINUTES_WITHOUT_GRACE when it has none), under the grace-period rules, so that the
 * wait cannot be stretched. Unknown clients do not defer: nobody is named, and turning the audit
 * log off must not buy time.
 */
export function deferralMinutes(
  protect: ProtectActiveClients,
  cutOff: ClientsCutOff | undefined,
  effective: Pick<EffectivePolicy, 'gracePeriodMinutes'>,
): number | undefined {
  if (protect !== 'defer' || !isKnownCutOff(cutOff)) return undefined;
  if (cutOff.clients.length + (cutOff.more ?? 0) === 0) return undefined;
  return effective.gracePeriodMinutes > 0 ? effective.gracePeriodMinutes : DEFER_MINUTES_WITHOUT_GRACE;
}
