import { safeLine } from '../alert/forms';
import type { ActiveClient, ClientsCutOff } from './types';

/**
 * The clients cut off in English words, for decision reasons and the command line. The alert forms
 * render the same facts with their own phrase books (alert/phrases-*.ts).
 */

/** `24 h` for the window of a look-up. */
export function windowText(since: string, until: string): string {
  const hours = (Date.parse(until) - Date.parse(since)) / 3_600_000;
  if (!Number.isFinite(hours) || hours <= 0) return 'the window';
  return hours >= 1 ? `${Math.round(hours)} h` : `${Math.max(1, Math.round(hours * 60))} min`;
}

/** `192.0.2.10 (alice; 1,204 requests, last 10:42 UTC)` */
export function clientText(client: ActiveClient): string {
  // Names come from the audit log: one safe line each, whatever the identity provider put in them.
  const users = client.users.map((user) => safeLine(user, 100));
  const who =
    users.length > 0 ? `${users.join(', ')}${client.moreUsers ? ` +${client.moreUsers}` : ''}; ` : '';
  return `${client.ip} (${who}${plural(client.requests, 'request')}, last ${client.lastSeen.slice(11, 16)} UTC)`;
}

/** One clause for a decision's reason: whom the target cuts off, none of how many, or that it is unknown and why. */
export function cutOffClause(cutOff: ClientsCutOff): string {
  const window = windowText(cutOff.since, cutOff.until);
  if (cutOff.clients === 'unknown') {
    return `whom it cuts off is unknown (${safeLine(cutOff.why ?? 'no audit log read', 300)})`;
  }
  const asOf = cutOff.newestEvent ? `, audit log as of ${cutOff.newestEvent.slice(0, 16)}Z` : '';
  const lowerBound = cutOff.partial ? ` (partial: ${cutOff.partial})` : '';
  const total = cutOff.clients.length + (cutOff.more ?? 0);
  if (total === 0) {
    return `it cuts off none of the ${plural(cutOff.seen ?? 0, 'client')} seen in the last ${window}${asOf}${lowerBound}`;
  }
  const shown = cutOff.clients.slice(0, 3).map(clientText).join(', ');
  const rest = total > 3 ? ` and ${total - 3} more` : '';
  return `it cuts off ${plural(total, 'client')} seen in the last ${window}: ${shown}${rest}${asOf}${lowerBound}`;
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** A table cell: `2: 198.51.100.23, 203.0.113.40`, `none of 7 seen`, `unknown (…)`, or `-` when not looked up. */
export function cutOffCell(cutOff: ClientsCutOff | undefined): string {
  if (!cutOff) return '-';
  if (cutOff.clients === 'unknown')
    return `unknown (${safeLine(cutOff.why ?? cutOff.cause ?? 'not read', 80)})`;
  const total = cutOff.clients.length + (cutOff.more ?? 0);
  if (total === 0) return `none of ${cutOff.seen ?? 0} seen${cutOff.partial ? ' (partial read)' : ''}`;
  const ips = cutOff.clients.slice(0, 3).map((c) => safeLine(c.ip, 64));
  return `${total}: ${ips.join(', ')}${total > 3 ? ', …' : ''}${cutOff.partial ? ' (at least)' : ''}`;
}
