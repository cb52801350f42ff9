import { stringify } from 'csv-stringify/sync';
import { cutOffMarkdown } from './clients';
import type { AccountReport, ClusterReport } from './summary';
import { duration, escapeMarkdown, shortActor, when } from './text';

export const REPORT_FORMATS = ['html', 'md', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The machine form: `{ period, clusters: [{ cluster, region, exposedSeconds, windows, actors, ... }], sweeps, ... }`. */
export function renderJson(report: AccountReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export const REPORT_CSV_COLUMNS = [
  'cluster',
  'region',
  'account',
  'start',
  'startSource',
  'firstSeen',
  'end',
  'closedBy',
  'exposedSeconds',
  'timeToRemediateSeconds',
  'actor',
  'actorSource',
  'eventName',
  'eventId',
  'lastOutcome',
  'violations',
  'updateId',
  'fix',
] as const;

/**
 * One row per exposure window (a cluster without any gets one row with 0 seconds), written by a
 * CSV library that also neutralises spreadsheet formulas: a field starting with `=`, `+`, `-`,
 * `@`, a tab or a carriage return gets a leading `'`.
 */
export function renderCsv(report: AccountReport): string {
  const rows: (string | number)[][] = [];
  for (const cluster of report.clusters) {
    if (cluster.windows.length === 0) {
      rows.push(REPORT_CSV_COLUMNS.map((c) => emptyRow(cluster, c)));
      continue;
    }
    for (const w of cluster.windows) {
      rows.push([
        w.cluster,
        w.region,
        w.account ?? '',
        w.start,
        w.startSource,
        w.firstSeen,
        w.end ?? '',
        w.closedBy ?? (w.openAtPeriodEnd ? 'open' : ''),
        w.exposedSeconds,
        w.timeToRemediateSeconds ?? '',
        w.actor ?? '',
        w.actorSource ?? '',
        w.eventName ?? '',
        w.eventId ?? '',
        w.outcome,
        w.violations.join('; '),
        w.updateId ?? '',
        w.fix ?? '',
      ]);
    }
  }
  return csv([[...REPORT_CSV_COLUMNS], ...rows]);
}

function emptyRow(cluster: ClusterReport, column: (typeof REPORT_CSV_COLUMNS)[number]): string | number {
  switch (column) {
    case 'cluster':
      return cluster.cluster;
    case 'region':
      return cluster.region;
    case 'account':
      return cluster.account ?? '';
    case 'exposedSeconds':
      return 0;
    case 'lastOutcome':
      return cluster.lastOutcome ?? '';
    default:
      return '';
  }
}

/** RFC 4180 CSV with formulas neutralised: every CSV this project writes goes through here. */
export function csv(rows: readonly (readonly (string | number)[])[]): string {
  return stringify(rows as (string | number)[][], {
    escape_formulas: true,
    record_delimiter: 'windows',
    // A lone carriage return ends a line in some spreadsheets: such a field is quoted too.
    quoted_match: /[\r\n]/,
  });
}

export function renderMarkdown(report: AccountReport): string {
  const e = escapeMarkdown;
  const lines: string[] = [
    `# EKS endpoint exposure report`,
    '',
    `Period ${e(when(report.period.since))} to ${e(when(report.period.until))} (generated ${e(when(report.period.generatedAt))}), region ${e(report.region)}${report.account ? `, account ${e(report.account)}` : ''}${report.clusterFilter ? `, clusters ${e(report.clusterFilter)}` : ''}.`,
    '',
    '## Account',
    '',
    '| | |',
    '|---|---|',
    `| Clusters guarded | ${report.clustersGuarded} |`,
    `| Exposure windows | ${report.windows.opened} opened, ${report.windows.closed} closed, ${report.windows.open} still open |`,
    `| Total exposure | ${e(duration(report.exposedSeconds))} |`,
    `| Time to remediate | ${ttrText(report.timeToRemediate)} |`,
    `| Sweeps | ${sweepsText(report)} |`,
    `| Policy versions in force | ${report.policies.map((p) => e(`v${p.version} ${p.digest}`)).join(', ') || '-'} |`,
    '',
  ];
  if (report.sweeps.gaps.length > 0) {
    lines.push('### Gaps in checking', '', '| from | to | length |', '|---|---|---|');
    for (const g of report.sweeps.gaps)
      lines.push(`| ${e(when(g.from))} | ${e(when(g.to))} | ${e(duration(g.seconds))} |`);
    lines.push('');
  }
  lines.push(
    '## Clusters',
    '',
    '| cluster | region | exposed | windows | time to remediate p50 / p95 | actors | exemptions | status |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const c of report.clusters) {
    lines.push(
      `| ${e(c.cluster)} | ${e(c.region)} | ${e(duration(c.exposedSeconds))} | ${c.windows.length} | ${ttrText(c.timeToRemediate)} | ${c.actors.map((a) => e(`${shortActor(a.arn)}${a.source === 'lookup' ? ' (lookup)' : ''}`)).join(', ') || '-'} | ${c.exemptions.map((x) => e(`${x.reason}${x.expires ? ` until ${x.expires}` : ''}`)).join(', ') || '-'} | ${e(statusOf(c))} |`,
    );
  }
  const windows = report.clusters.flatMap((c) => c.windows);
  if (windows.length > 0) {
    lines.push(
      '',
      '## Exposure windows',
      '',
      '| cluster | from | to | exposed | closed by | actor | outcome |',
      '|---|---|---|---|---|---|---|',
    );
    for (const w of windows) {
      lines.push(
        `| ${e(w.cluster)} | ${e(when(w.start))} (${e(w.startSource)}) | ${e(w.end ? when(w.end) : 'still open')} | ${e(duration(w.exposedSeconds))} | ${e(w.closedBy ?? '-')} | ${e(w.actor ? `${shortActor(w.actor)}${w.actorSource === 'lookup' ? ' (lookup)' : ''}` : 'unknown')} | ${e(w.outcome)} |`,
      );
    }
  }
  lines.push(...cutOffMarkdown(report.clientsCutOff));
  return `${lines.join('\n')}\n`;
}

export function ttrText(t: AccountReport['timeToRemediate']): string {
  if (t.count === 0) return '-';
  return `${duration(t.p50Seconds)} / ${duration(t.p95Seconds)} (${t.count} fixed)`;
}

export function sweepsText(report: AccountReport): string {
  const s = report.sweeps;
  const gaps =
    s.gaps.length === 0
      ? `no gap over ${duration(2 * s.intervalSeconds)}`
      : `${s.gaps.length} gap${s.gaps.length === 1 ? '' : 's'} over ${duration(2 * s.intervalSeconds)}`;
  return `${s.count} ran, last ${when(s.last)}; ${gaps}`;
}

export function statusOf(c: ClusterReport): string {
  if (c.blocked) return `blocked, still exposed${c.blocked.fix ? `: ${c.blocked.fix}` : ''}`;
  if (c.stillExposed) return 'still exposed';
  if (c.exemptions.length > 0) return 'exempt';
  return c.lastOutcome ? `last ${c.lastOutcome} ${when(c.lastChecked)}` : 'ok';
}
