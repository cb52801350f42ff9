import * as z from 'zod/mini';
import { clientsLines } from './clients';
import type { AlertFacts } from './fact-types';
import { chatLink, chatLiteral, chatText, clip, defangHosts, safeLine } from './forms';
import { dedupKeyOf, snsAttributesOf } from './json';
import { type Language, PHRASES } from './phrases';

/**
 * The custom-notification shape that Amazon Q Developer in chat applications (formerly AWS
 * Chatbot) renders in Slack and Microsoft Teams; any other message on a chat topic is dropped.
 * `metadata.threadId` is the cluster ARN, so that detection, revert and resolution of one cluster
 * share a thread. The caps below are this project's, chosen well inside what Slack and Teams
 * display (a Slack text block holds 3,000 characters).
 */
export const CHAT_LIMITS = {
  title: 250,
  description: 3000,
  nextSteps: 8,
  nextStep: 500,
  keywords: 8,
  keyword: 64,
  summary: 250,
  threadId: 256,
} as const;

/** Chat lists the first few clients cut off; the rest are counted (the e-mail and JSON have them all). */
export const CHAT_MAX_CLIENTS = 5;

const limited = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));

/** The documented event schema, as far as this project uses it. */
export const ChatNotificationSchema = z.object({
  version: z.literal('1.0'),
  source: z.literal('custom'),
  id: z.optional(limited(128)),
  content: z.object({
    textType: z.literal('client-markdown'),
    title: limited(CHAT_LIMITS.title),
    description: limited(CHAT_LIMITS.description),
    nextSteps: z.optional(z.array(limited(CHAT_LIMITS.nextStep)).check(z.maxLength(CHAT_LIMITS.nextSteps))),
    keywords: z.optional(
      z.array(z.string().check(z.regex(/^[\w.:/-]{1,64}$/))).check(z.maxLength(CHAT_LIMITS.keywords)),
    ),
  }),
  metadata: z.object({
    threadId: limited(CHAT_LIMITS.threadId),
    summary: limited(CHAT_LIMITS.summary),
    eventType: z.string().check(z.regex(/^[a-zA-Z0-9-]{1,100}$/)),
    relatedResources: z.optional(z.array(limited(256))),
    additionalContext: z.optional(z.record(z.string(), z.string())),
  }),
});

export type ChatNotification = z.infer<typeof ChatNotificationSchema>;

export function renderChat(facts: AlertFacts, language: Language = 'en'): ChatNotification {
  const say = PHRASES[language];
  const l = say.labels;
  const headline = safeLine(say.headline(facts.headline, facts.cluster));
  const lines: string[] = say.happened(facts, chatLiteral).map((line) => chatSentence(line));
  lines.push('');
  const field = (label: string, value: string | undefined) => {
    if (value) lines.push(`*${chatText(label)}*: ${value}`);
  };
  field(l.cluster, chatLiteral(facts.cluster));
  field(l.account, facts.account && chatLiteral(facts.account));
  field(l.region, chatLiteral(facts.region));
  field(
    l.outcome,
    `${chatText(say.outcome(facts.status === 'resolved' ? 'compliant' : facts.outcome))} (${chatText(say.severity(facts.severity))})`,
  );
  if (facts.trigger.actorArn) {
    const self = facts.trigger.byGuard ? ` ${chatText(l.theGuard)}` : '';
    field(l.actor, `${chatLiteral(facts.trigger.actorArn)}${self}`);
  }
  field(l.event, facts.trigger.eventName && chatLiteral(facts.trigger.eventName));
  if (!facts.trigger.actorArn) field(l.foundBy, chatText(say.foundBy(facts.trigger.source)));
  if (facts.before && facts.after) {
    field(
      l.endpointAccess,
      `${chatLiteral(say.config(facts.before))} → ${chatLiteral(say.config(facts.after))}`,
    );
  } else if (facts.before) {
    field(l.endpointAccess, chatLiteral(say.config(facts.before)));
  }
  if (facts.rules.length > 0) {
    const label = facts.status === 'resolved' ? l.rulesResolved : l.rulesBroken;
    field(label, facts.rules.map((rule) => `${chatText(say.rule(rule))} ${chatLiteral(rule)}`).join('; '));
  }
  if (facts.access.length > 0) {
    lines.push('', `*${chatText(l.whatItMeans)}*`);
    for (const effect of facts.access) lines.push(`• ${chatSentence(say.access(effect, facts.mood))}`);
  }
  if (facts.clientsCutOff) {
    const clients = clientsLines(facts.clientsCutOff, language, chatLiteral, CHAT_MAX_CLIENTS);
    lines.push('', `*${chatText(clients.title)}*`);
    for (const line of clients.lines) lines.push(`• ${chatSentence(line.replace(/^- /, ''))}`);
  }
  const links = [
    facts.links.console && chatLink(l.consoleLink, facts.links.console),
    facts.links.cloudTrailEvent && chatLink(l.cloudTrailLink, facts.links.cloudTrailEvent),
  ].filter((link): link is string => Boolean(link));
  if (links.length > 0) lines.push('', links.join(' · '));

  const nextSteps = facts.actions
    .flatMap((action) => say.action(action, chatLiteral, facts.lockout))
    .map((step) => clip(chatSentence(step), CHAT_LIMITS.nextStep))
    .slice(0, CHAT_LIMITS.nextSteps);
  const threadId = facts.clusterArn ?? dedupKeyOf(facts);
  const notification: ChatNotification = {
    version: '1.0',
    source: 'custom',
    id: clip(`${facts.correlationId}-${facts.status}`, 128),
    content: {
      textType: 'client-markdown',
      title: clip(chatText(headline), CHAT_LIMITS.title),
      description: clip(lines.join('\n').trim(), CHAT_LIMITS.description),
      keywords: keywordsOf(facts),
    },
    metadata: {
      threadId: clip(threadId, CHAT_LIMITS.threadId),
      summary: clip(defangHosts(headline), CHAT_LIMITS.summary),
      eventType: `eks-endpoint-guard-${facts.status === 'resolved' ? 'resolved' : facts.outcome}`,
      additionalContext: {
        status: facts.status,
        severity: facts.severity,
        dedupKey: dedupKeyOf(facts),
        region: facts.region,
        ...(facts.account && { account: facts.account }),
      },
    },
  };
  if (nextSteps.length > 0) notification.content.nextSteps = nextSteps;
  if (facts.clusterArn) notification.metadata.relatedResources = [facts.clusterArn];
  return notification;
}

/**
 * The Publish input for the chat topic: the notification as the whole message (no
 * MessageStructure), because the chat service subscribes over HTTPS and would otherwise be handed
 * the `https` key meant for webhooks. The attributes let a channel filter on severity.
 */
export function chatSnsMessage(
  facts: AlertFacts,
  language: Language = 'en',
): { Message: string; MessageAttributes: ReturnType<typeof snsAttributesOf> } {
  return { Message: JSON.stringify(renderChat(facts, language)), MessageAttributes: snsAttributesOf(facts) };
}

/** A sentence of our own in which values are already code spans: escape only what lies outside them. */
function chatSentence(line: string): string {
  return line
    .split(/(`[^`]*`)/)
    .map((part, index) => (index % 2 === 1 ? part : chatText(part)))
    .join('');
}

function keywordsOf(facts: AlertFacts): string[] {
  const words = [
    'eks-endpoint-guard',
    facts.status === 'resolved' ? 'resolved' : facts.outcome,
    facts.severity,
    facts.region,
    ...facts.rules,
  ];
  return [...new Set(words.map((w) => w.replace(/[^\w.:/-]/g, '').slice(0, CHAT_LIMITS.keyword)))]
    .filter(Boolean)
    .slice(0, CHAT_LIMITS.keywords);
}
