import { type Alert, type AlertOptions, alertFor, alertOfFacts } from '../core/alert/alert';
import { type Delivery, deliveriesOf } from '../core/alert/deliveries';
import { renderResolvedEmailEn } from '../core/alert/email-resolved';
import { resolvedFactsOf } from '../core/alert/facts';
import type { Language } from '../core/alert/phrases';
import { resolutionFor } from '../core/alert/resolved';
import { DEFAULT_EXEMPTION_TAG } from '../core/policy/policy';
import type { CheckResult } from '../core/result';
import { DEFAULT_AUDIT_WINDOW_DAYS, type GuardPorts } from '../ports';
import type { GuardTelemetry } from './options';

/**
 * The alert side of delivering a decision (DESIGN §10): which alert, in which language, and every
 * form of it sent, each on its own: the alert topic (e-mail and alert@2 JSON), the chat topic and
 * Security Hub. A form that fails is queued on the recheck queue and retried from there, so one
 * failing channel neither loses the alert nor sends it twice to the others.
 */

/** How many of a cluster's newest records are read to find the alert a compliant decision resolves. */
export const RESOLUTION_HISTORY = 10;

/**
 * The alert a decision carries: its own when `notify`, or the one `resolved` alert when compliant
 * again. `newest` reads the cluster's newest records (at most RESOLUTION_HISTORY, any age), shared
 * with the audit side of the delivery so that a compliant check reads the cluster's history once.
 */
export async function alertOfDecision(
  result: CheckResult,
  notify: boolean,
  ports: GuardPorts,
  newest: () => Promise<CheckResult[]>,
): Promise<Alert | undefined> {
  const options: AlertOptions = {
    exemptionTag: result.policy ? result.policy.exemptionTag : DEFAULT_EXEMPTION_TAG,
    policyParameter: ports.policy.parameterName,
  };
  if (notify) {
    const english = alertFor(result, options);
    if (!english) return undefined;
    const language = await languageOf(result, ports);
    return language === 'en' ? english : alertFor(result, { ...options, language });
  }
  // Only a decision about a cluster that was read (it has its ARN) can resolve anything.
  if (result.outcome !== 'compliant' || !result.clusterArn || result.escalation) return undefined;
  // Unreadable history sends nothing now: the compliant record carries no alert, so the next
  // check finds the same open alert and resolves it then.
  // An open alert is looked for in the audit query's default window, as `audit` shows it.
  const since = ports.clock().getTime() - DEFAULT_AUDIT_WINDOW_DAYS * 86_400_000;
  const history = (await newest().catch(() => [])).filter((record) => Date.parse(record.time) >= since);
  const previous = resolutionFor(result, history);
  if (!previous) return undefined;
  // One `resolved` per alert, even when two checks find the cluster compliant at once.
  const key = `resolved/${result.region}/${result.cluster}/${previous.time}`;
  if (!(await ports.audit.claim(key, result.correlationId))) return undefined;
  const facts = resolvedFactsOf(result, previous, {
    exemptionTag: options.exemptionTag ?? '',
    policyParameter: options.policyParameter,
  });
  return alertOfFacts(facts, () => renderResolvedEmailEn(facts), await languageOf(result, ports));
}

/** The policy's alertLanguage; English when the decision had no policy or it cannot be read now. */
async function languageOf(result: CheckResult, ports: GuardPorts): Promise<Language> {
  if (!result.policy) return 'en';
  try {
    return (await ports.policy.load()).policy.alertLanguage;
  } catch {
    return 'en';
  }
}

export interface SentAlert {
  result: CheckResult;
  /** Parts that could neither be sent nor queued. */
  failed: string[];
  cause?: unknown;
}

/** Sends every form of the alert; the result says what was published, queued or lost. */
export async function sendAlert(
  alert: Alert,
  decided: CheckResult,
  ports: GuardPorts,
  telemetry?: GuardTelemetry,
): Promise<SentAlert> {
  let result = decided;
  const failed: string[] = [];
  let cause: unknown;
  try {
    result = { ...result, alertMessageId: await ports.notifier.publish(alert) };
  } catch (error) {
    telemetry?.deliveryFailed('alert', result, error);
    // Retrying the request would decide afresh on a changed cluster and never re-send this
    // alert: the alert itself goes through the queue, which redelivers it until it is out.
    try {
      await ports.recheck.sendAlert(alert, result.correlationId);
      result = { ...result, alertQueued: true };
    } catch {
      failed.push('alert');
      cause = error;
      result = { ...result, alertFailed: true };
    }
  }
  for (const delivery of otherForms(alert, ports)) {
    try {
      await deliverForm(delivery, ports);
    } catch (error) {
      telemetry?.deliveryFailed('alert', result, error);
      try {
        await ports.recheck.sendDelivery(delivery, result.correlationId);
      } catch {
        failed.push(`${delivery.channel} alert`);
        cause = error;
      }
    }
  }
  return { result, failed, ...(cause !== undefined && { cause }) };
}

/** The chat and Security Hub forms of the alert, where those channels are configured. */
function otherForms(alert: Alert, ports: GuardPorts): Delivery[] {
  if (!alert.facts || (!ports.chat && !ports.securityHub)) return [];
  const options = {
    language: alert.language ?? 'en',
    chat: Boolean(ports.chat),
    securityHub: Boolean(ports.securityHub),
  };
  return deliveriesOf(alert.facts, options, () => alert).filter((d) => d.channel !== 'topic');
}

/** Sends one form of an alert, now or from the recheck queue. */
export async function deliverForm(delivery: Delivery, ports: GuardPorts): Promise<void> {
  switch (delivery.channel) {
    case 'chat':
      if (!ports.chat) throw new Error('a chat alert was queued but CHAT_TOPIC_ARN is not set');
      await ports.chat.publish(delivery.input);
      return;
    case 'security-hub':
      if (!ports.securityHub) throw new Error('a Security Hub finding was queued but SECURITY_HUB is off');
      await ports.securityHub.importFindings(delivery.findings);
      return;
    case 'topic':
      throw new Error('an alert topic message travels as a queued alert, not as a delivery');
  }
}
