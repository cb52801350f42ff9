import { safeLine } from '../alert/forms';
import type { ActiveClient } from '../clients/types';
import { matchesGlob } from '../effective';
import type { Outcome } from '../outcome';
import type { CheckResult } from '../result';
import { escapeMarkdown, escapeHtml as h, when } from './text';

/**
 * The report's account of whom the guard's changes cut off (DESIGN §18): every remediation in the
 * period whose record names the API clients it cut off (or says that it could not tell), and the
 * latest deferral or notify-mode finding of each cluster, as the audit records hold them.
 */
export interface ReportCutOff {
  cluster: string;
  region: string;
  account?: string;
  time: string;
  outcome: Outcome;
  /** The clients cut off (or that would be), busiest first; "unknown" when the audit log could not tell. */
  clients: ActiveClient[] | 'unknown';
  /** More clients than the record lists. */
  more?: number;
  why?: string;
  /** The change waited for them (protectActiveClients "defer"). */
  deferred?: boolean;
}

const CUTTING: readonly Outcome[] = ['remediated', 'deferred', 'would-remediate'];

export function clientsCutOffIn(
  records: readonly CheckResult[],
  since: Date,
  until: Date,
  filter: { cluster?: string; account?: string },
): ReportCutOff[] {
  const inPeriod = records.filter((r) => {
    const t = Date.parse(r.time);
    return (
      r.clientsCutOff !== undefined &&
      CUTTING.includes(r.outcome) &&
      t >= since.getTime() &&
      t < until.getTime() &&
      (!filter.cluster || matchesGlob(r.cluster, filter.cluster)) &&
      (!filter.account || r.account === filter.account)
    );
  });
  // Every change; of the findings that repeat each sweep, the latest per cluster and outcome.
  const latest = new Map<string, CheckResult>();
  const changes: CheckResult[] = [];
  for (const r of inPeriod) {
    if (r.outcome === 'remediated') changes.push(r);
    else {
      const key = `${r.region}\u0000${r.cluster}\u0000${r.outcome}`;
      const known = latest.get(key);
      if (!known || known.time < r.time) latest.set(key, r);
    }
  }
  return [...changes, ...latest.values()]
    .sort((a, b) => a.time.localeCompare(b.time) || a.cluster.localeCompare(b.cluster))
    .map(entryOf);
}

function entryOf(r: CheckResult): ReportCutOff {
  const cutOff = r.clientsCutOff as NonNullable<CheckResult['clientsCutOff']>;
  return {
    cluster: r.cluster,
    region: r.region,
    ...(r.account ? { account: r.account } : {}),
    time: r.time,
    outcome: r.outcome,
    clients: cutOff.clients,
    ...(cutOff.more ? { more: cutOff.more } : {}),
    ...(cutOff.clients === 'unknown' && cutOff.why ? { why: cutOff.why } : {}),
    ...(cutOff.deferred ? { deferred: true } : {}),
  };
}

/** `198.51.100.23 (1,284 requests; system:serviceaccount:argocd:…)`, `none` or `unknown: why`. */
export function cutOffText(entry: ReportCutOff): string {
  if (entry.clients === 'unknown') return `unknown: ${safeLine(entry.why ?? 'the audit log was not read')}`;
  if (entry.clients.length === 0) return 'none';
  const listed = entry.clients
    .map((c) => {
      const user = c.users[0] ? `; ${safeLine(c.users[0], 120)}` : '';
      return `${safeLine(c.ip, 64)} (${c.requests.toLocaleString('en-US')} requests${user})`;
    })
    .join(', ');
  return `${listed}${entry.more ? ` and ${entry.more} more` : ''}${entry.deferred ? ' (the change waited for them)' : ''}`;
}

export function cutOffMarkdown(entries: readonly ReportCutOff[]): string[] {
  if (entries.length === 0) return [];
  const e = escapeMarkdown;
  return [
    '',
    '## API clients cut off',
    '',
    '| cluster | time | outcome | clients cut off (from the audit log) |',
    '|---|---|---|---|',
    ...entries.map((c) => `| ${e(c.cluster)} | ${e(when(c.time))} | ${e(c.outcome)} | ${e(cutOffText(c))} |`),
  ];
}

export function cutOffHtml(entries: readonly ReportCutOff[]): string {
  if (entries.length === 0) return '';
  return `<h2>API clients cut off</h2>
<table>
<tr><th>Cluster</th><th>Time</th><th>Outcome</th><th>Clients cut off (from the audit log)</th></tr>
${entries.map((c) => `<tr><td>${h(c.cluster)}</td><td>${h(when(c.time))}</td><td>${h(c.outcome)}</td><td>${h(cutOffText(c))}</td></tr>`).join('\n')}
</table>
`;
}
