import { forAttribute, forJson } from '../escape';
import type { Outcome, Severity } from '../outcome';
import type { CheckResult } from '../result';
import type { AlertOptions } from './alert-options';
import { bodyOf } from './body';
import { renderEmailJa } from './email-ja';
import type { AlertFacts } from './fact-types';
import { factsOf, severityOf } from './facts';
import { ALERT_JSON_SCHEMA, renderJson } from './json';
import type { Language } from './phrases';
import { subjectOf } from './subject';

/**
 * An alert (DESIGN §10): the facts of a decision, built once, and the forms the alert topic
 * carries (the e-mail subject and text, the alert@2 JSON). Chat and Security Hub render the same
 * facts (alert/deliveries.ts).
 */
export interface Alert {
  subject: string;
  /** The body people read in an email. */
  text: string;
  /** The same decision for machines (queues, functions, webhooks): alert@2. */
  json: Record<string, unknown>;
  /** Carried as SNS message attributes, so that subscriptions can filter on them. */
  attributes: { outcome: Outcome; cluster: string; severity: Severity; status?: AlertFacts['status'] };
  /** The facts every form is rendered from; absent on an alert read back from the queue. */
  facts?: AlertFacts;
  /** The language of the subject and text (and of the chat form). */
  language?: Language;
}

export type { AlertOptions } from './alert-options';

export const ALERT_SCHEMA = ALERT_JSON_SCHEMA;
/** The machine form before `status` and `dedupKey`: still read back from queues that hold one. */
export const ALERT_SCHEMA_V1 = 'eks-endpoint-guard/alert@1';
const ALERTING: readonly Outcome[] = ['remediated', 'would-remediate', 'exempt', 'blocked', 'failed'];

/** The alert for a decision people must know about (DESIGN §4), or undefined when there is none. */
export function alertFor(result: CheckResult, options: AlertOptions): Alert | undefined {
  // A deferral alerts only as the first sighting of a violation under a grace period (graceUntil).
  const grace = result.outcome === 'deferred' && result.graceUntil !== undefined;
  if (!result.escalation && !result.policyChange && !grace && !ALERTING.includes(result.outcome))
    return undefined;
  const severity = severityOf(result);
  const facts = factsOf(result, {
    exemptionTag: options.exemptionTag ?? '',
    policyParameter: options.policyParameter,
    severity,
  });
  if (!facts) return undefined;
  return alertOfFacts(
    facts,
    () => ({ subject: subjectOf(result), text: bodyOf(result, severity, options) }),
    options.language,
  );
}

/** The alert of prepared facts (a decision's, or a resolution's): e-mail in the language asked for. */
export function alertOfFacts(
  facts: AlertFacts,
  english: () => { subject: string; text: string },
  language: Language = 'en',
): Alert {
  const email = language === 'ja' ? renderEmailJa(facts) : english();
  return {
    subject: email.subject,
    text: email.text,
    json: renderJson(facts),
    attributes: {
      outcome: facts.outcome,
      cluster: forAttribute(facts.cluster),
      severity: facts.severity,
      status: facts.status,
    },
    facts,
    language,
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
      // A subscription filter policy routes pagers on severity and closes incidents on status.
      status: attribute(alert.attributes.status ?? 'open'),
    },
  };
}
