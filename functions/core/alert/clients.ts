import type { ActiveClient, ClientsCutOff } from '../clients/types';
import { CLIENTS_PHRASES } from './clients-phrases';
import { safeLine } from './forms';
import type { Language } from './phrase-book';

/**
 * The clients a decision cuts off, as alert facts and as lines of text. Every string from the audit
 * log (addresses, users, user agents) and the look-up's own detail are made one safe line here,
 * once; each form then marks outside values its own way through `value`.
 */
export function safeClientsCutOff(cutOff: ClientsCutOff): ClientsCutOff {
  const time = (text: string) => safeLine(text, 40);
  const facts: ClientsCutOff = {
    clients: cutOff.clients === 'unknown' ? 'unknown' : cutOff.clients.map(safeClient),
    since: time(cutOff.since),
    until: time(cutOff.until),
  };
  if (cutOff.cause) facts.cause = cutOff.cause;
  if (cutOff.why) facts.why = safeLine(cutOff.why);
  if (cutOff.partial) facts.partial = safeLine(cutOff.partial, 300);
  if (cutOff.newestEvent) facts.newestEvent = time(cutOff.newestEvent);
  if (cutOff.seen !== undefined) facts.seen = cutOff.seen;
  if (cutOff.more !== undefined) facts.more = cutOff.more;
  if (cutOff.deferred) facts.deferred = true;
  return facts;
}

function safeClient(client: ActiveClient): ActiveClient {
  const safe: ActiveClient = {
    ip: safeLine(client.ip, 64),
    users: client.users.slice(0, 5).map((user) => safeLine(user, 256)),
    userAgents: client.userAgents.slice(0, 5).map((agent) => safeLine(agent, 200)),
    requests: client.requests,
    lastSeen: safeLine(client.lastSeen, 40),
  };
  if (client.moreUsers) safe.moreUsers = client.moreUsers;
  if (client.moreUserAgents) safe.moreUserAgents = client.moreUserAgents;
  return safe;
}

/** The section's title and lines in a language; `value` marks the audit log's own strings. */
export function clientsLines(
  facts: ClientsCutOff,
  language: Language,
  value: (text: string) => string,
  /** Forms with little room (chat) list fewer clients; the rest are counted. */
  maxClients = Number.POSITIVE_INFINITY,
): { title: string; lines: string[] } {
  const say = CLIENTS_PHRASES[language];
  const lines: string[] = [];
  if (facts.clients === 'unknown') {
    lines.push(say.unknown(facts.cause, facts.why), say.notNobody);
    return { title: say.title, lines };
  }
  if (facts.deferred) lines.push(say.deferred);
  lines.push(say.window(facts.since, facts.until, facts.newestEvent));
  if (facts.clients.length === 0 && !facts.more) lines.push(say.none(facts.seen ?? 0));
  const shown = facts.clients.slice(0, maxClients);
  for (const client of shown) {
    const users = names(client.users, client.moreUsers, value);
    const agents = names(client.userAgents, client.moreUserAgents, value);
    lines.push(`- ${say.client({ ...client, ip: value(client.ip) }, users, agents)}`);
  }
  const more = (facts.more ?? 0) + facts.clients.length - shown.length;
  if (more > 0) lines.push(say.more(more));
  if (facts.partial) lines.push(say.partial(facts.partial));
  return { title: say.title, lines };
}

function names(
  list: string[],
  more: number | undefined,
  value: (text: string) => string,
): string | undefined {
  if (list.length === 0) return undefined;
  return `${list.map(value).join(', ')}${more ? ` +${more}` : ''}`;
}
