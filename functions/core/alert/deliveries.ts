import * as z from 'zod/mini';
import { type AsffFinding, AsffFindingSchema, renderFindings } from './asff';
import { chatSnsMessage } from './chat';
import { renderEmailJa } from './email-ja';
import type { AlertFacts } from './fact-types';
import { renderJson, type SnsAttributes, snsAttributesOf } from './json';
import type { Language } from './phrases';

/**
 * Every form of one alert, as the calls that deliver it: the alert topic (e-mail text for people,
 * alert@2 JSON for queues, functions and webhooks), the chat topic, Security Hub. Each delivery
 * is retried on its own through the recheck queue (`deliveryMessage`), so one failing channel
 * neither loses the alert nor sends it twice to the others.
 */
export interface EmailForm {
  subject: string;
  text: string;
}

export interface TopicMessage {
  Subject: string;
  Message: string;
  MessageStructure: 'json';
  MessageAttributes: SnsAttributes;
}

export interface ChatMessage {
  Message: string;
  MessageAttributes: SnsAttributes;
}

export type Delivery =
  | { channel: 'topic'; input: TopicMessage }
  | { channel: 'chat'; input: ChatMessage }
  | { channel: 'security-hub'; findings: AsffFinding[] };

export interface DeliveryOptions {
  /** The policy's `alertLanguage`: e-mail and chat in this language; JSON and ASFF are language-neutral. */
  language: Language;
  /** A chat topic is configured. */
  chat: boolean;
  /** The `securityHub` stack option is on. */
  securityHub: boolean;
}

/** The alert topic's message: text for e-mail and the default, alert@2 JSON for sqs, lambda and https. */
export function topicMessage(facts: AlertFacts, email: EmailForm): TopicMessage {
  const machine = JSON.stringify(renderJson(facts));
  return {
    Subject: email.subject,
    Message: JSON.stringify({
      default: email.text,
      email: email.text,
      sqs: machine,
      lambda: machine,
      https: machine,
    }),
    MessageStructure: 'json',
    MessageAttributes: snsAttributesOf(facts),
  };
}

/**
 * The deliveries of an alert. `englishEmail` renders the English e-mail (subject and text) from
 * the same facts; Japanese comes from email-ja.ts.
 */
export function deliveriesOf(
  facts: AlertFacts,
  options: DeliveryOptions,
  englishEmail: (facts: AlertFacts) => EmailForm,
): Delivery[] {
  const email = options.language === 'ja' ? renderEmailJa(facts) : englishEmail(facts);
  const deliveries: Delivery[] = [{ channel: 'topic', input: topicMessage(facts, email) }];
  if (options.chat) deliveries.push({ channel: 'chat', input: chatSnsMessage(facts, options.language) });
  if (options.securityHub) {
    const findings = renderFindings(facts);
    if (findings.length > 0) deliveries.push({ channel: 'security-hub', findings });
  }
  return deliveries;
}

// ---- the recheck queue message of a delivery that failed ----

export const DELIVERY_MESSAGE_KIND = 'eks-endpoint-guard/alert-delivery';

const Attributes = z.record(
  z.string().check(z.maxLength(256)),
  z.object({ DataType: z.literal('String'), StringValue: z.string().check(z.maxLength(1024)) }),
);

const DeliverySchema: z.ZodMiniType<Delivery> = z.union([
  z.object({
    channel: z.literal('topic'),
    input: z.object({
      Subject: z.string().check(z.minLength(1), z.maxLength(99)),
      Message: z.string(),
      MessageStructure: z.literal('json'),
      MessageAttributes: Attributes,
    }),
  }),
  z.object({
    channel: z.literal('chat'),
    input: z.object({ Message: z.string(), MessageAttributes: Attributes }),
  }),
  z.object({
    channel: z.literal('security-hub'),
    findings: z.array(AsffFindingSchema).check(z.minLength(1), z.maxLength(100)),
  }),
]);

export function deliveryMessage(delivery: Delivery, correlationId: string): string {
  return JSON.stringify({ kind: DELIVERY_MESSAGE_KIND, version: 1, correlationId, delivery });
}

/** The delivery a queue message carries, or why it cannot be read (one line). */
export function deliveryOfMessage(message: unknown): Delivery | string {
  const kind = (message as { kind?: unknown } | null)?.kind;
  if (kind !== DELIVERY_MESSAGE_KIND) return `kind: expected "${DELIVERY_MESSAGE_KIND}"`;
  if ((message as { version?: unknown }).version !== 1) return 'version: expected 1';
  const parsed = DeliverySchema.safeParse((message as { delivery?: unknown }).delivery);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  return `delivery.${issue?.path.join('.') ?? ''}: not a valid alert delivery`;
}
