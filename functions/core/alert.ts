import { bodyOf, isTagEvent } from './alert/body';
import { subjectOf } from './alert/subject';
import { forAttribute, forJson } from './escape';
import type { Outcome, Severity } from './outcome';
import type { CheckResult } from './result';

export interface Alert {
  subject: string;
  /** The body people read in an email. */
  text: string;
  /** The same decision for machines (queues, functions, webhooks). */
  json: Record<string, unknown>;
  /** Carried as SNS message attributes, so that subscriptions can filter on them. */
  attributes: { outcome: Outcome; cluster: string; severity: Severity };
}

export interface AlertOptions {
  /** null: the policy turned tag exemptions off. */
  exemptionTag: string | null;
  policyParameter: string;
}

export const ALERT_SCHEMA = 'eks-endpoint-guard/alert@1';
const ALERTING: readonly Outcome[] = ['remediated', 'would-remediate', 'exempt', 'blocked', 'failed'];

/** The alert for a decision people must know about (DESIGN §4), or undefined when there is none. */
export function alertFor(result: CheckResult, options: AlertOptions): Alert | undefined {
  // A deferral alerts only as the first sighting of a violation under a grace period (graceUntil).
  const grace = result.outcome === 'deferred' && result.graceUntil !== undefined;
  if (!result.escalation && !result.policyChange && !grace && !ALERTING.includes(result.outcome))
    return undefined;
  const severity = severityOf(result);
  return {
    subject: subjectOf(result),
    text: bodyOf(result, severity, options),
    json: machineForm(result, severity),
    attributes: { outcome: result.outcome, cluster: forAttribute(result.cluster), severity },
  };
}

/** The PublishCommand input: text for email and the default, the JSON form for queues, functions and webhooks. */
export function snsMessage(alert: Alert): {
  Subject: string;
  Message: string;
  MessageStructure: 'json';
  MessageAttributes: Record<string, { DataType: 'String'; StringValue: string }>;
} {
  const machine = forJson(alert.json);
  const attribute = (value: string) => ({
    DataType: 'String' as const,
    StringValue: forAttribute(value) || '-',
  });
  return {
    Subject: alert.subject,
    Message: JSON.stringify({
      default: alert.text,
      email: alert.text,
      sqs: machine,
      lambda: machine,
      https: machine,
    }),
    MessageStructure: 'json',
    MessageAttributes: {
      outcome: attribute(alert.attributes.outcome),
      cluster: attribute(alert.attributes.cluster),
      severity: attribute(alert.attributes.severity),
    },
  };
}

function severityOf(result: CheckResult): Severity {
  if (result.escalation || result.blastRadius || result.outcome === 'failed' || result.outcome === 'blocked')
    return 'critical';
  if (result.policyChange) return result.policyChange.weaker.length > 0 ? 'critical' : 'warning';
  // Someone just set or removed a tag to exempt the cluster: not routine information.
  if (result.outcome === 'exempt') return isTagEvent(result.trigger) ? 'warning' : 'info';
  return 'warning';
}

// ---- machine form ----

function machineForm(result: CheckResult, severity: Severity): Record<string, unknown> {
  const form: Record<string, unknown> = {
    schema: ALERT_SCHEMA,
    outcome: result.outcome,
    severity,
    cluster: result.cluster,
    clusterArn: result.clusterArn,
    region: result.region,
    account: result.account,
    reason: result.reason,
    trigger: result.trigger,
    before: result.before,
    after: result.after,
    violations: result.violations,
    policy: result.policy,
    exemption: result.exemption,
    rejectedTag: result.rejectedTag,
    policyChange: result.policyChange,
    fix: result.fix,
    accessNote: result.accessNote,
    updateId: result.updateId,
    updateStatus: result.updateStatus,
    updateErrors: result.updateErrors,
    escalation: result.escalation,
    correlationId: result.correlationId,
    time: result.time,
  };
  return Object.fromEntries(Object.entries(form).filter(([, value]) => value !== undefined));
}
