import { renderFindings } from '../core/alert/asff';
import type { Delivery } from '../core/alert/deliveries';
import { factsOf, severityOf } from '../core/alert/facts';
import { DEFAULT_EXEMPTION_TAG } from '../core/policy/policy';
import type { CheckResult } from '../core/result';
import type { GuardPorts } from '../ports';
import { deliverForm } from './alerts';
import type { GuardTelemetry } from './options';

/**
 * A Security Hub finding's Id is deterministic (the cluster and rule), so anyone allowed
 * `securityhub:BatchImportFindings` in the account can import it again as PASSED / ARCHIVED. The
 * guard imports a finding with each alert, and alerts only on a new sighting: so each sweep also
 * imports the current finding of every cluster it finds non-compliant or exempt and alerts nobody
 * about (a repeat sighting), and a forged archive lasts at most one sweep. The protection SCP
 * (`policy scp --protect-guard`) keeps the import itself to the guard's role.
 */

/** Outcomes whose finding is open (FAILED / ACTIVE) while the cluster stays as it is. */
const OPEN_FINDING: readonly CheckResult['outcome'][] = ['exempt', 'would-remediate', 'blocked', 'deferred'];

/** Whether a decision that sent no alert still re-imports its cluster's current finding. */
export function refreshesFinding(result: CheckResult, ports: GuardPorts): boolean {
  return (
    ports.securityHub !== undefined &&
    result.trigger.source === 'sweep' &&
    result.cluster !== '-' &&
    (result.violations?.length ?? 0) > 0 &&
    OPEN_FINDING.includes(result.outcome)
  );
}

/**
 * Imports the current finding of a cluster the sweep decided without an alert; a failed import is
 * queued and retried from the recheck queue like any alert form. Returns the parts that could
 * neither be imported nor queued.
 */
export async function refreshFinding(
  result: CheckResult,
  ports: GuardPorts,
  telemetry?: GuardTelemetry,
): Promise<string[]> {
  if (!refreshesFinding(result, ports)) return [];
  const facts = factsOf(result, {
    exemptionTag: result.policy?.exemptionTag ?? DEFAULT_EXEMPTION_TAG,
    policyParameter: ports.policy.parameterName,
    severity: severityOf(result),
  });
  const findings = facts ? renderFindings(facts) : [];
  if (findings.length === 0) return [];
  const delivery: Delivery = { channel: 'security-hub', findings };
  try {
    await deliverForm(delivery, ports);
    return [];
  } catch (error) {
    telemetry?.deliveryFailed('alert', result, error);
    try {
      await ports.recheck.sendDelivery(delivery, result.correlationId);
      return [];
    } catch {
      return ['security-hub finding'];
    }
  }
}
