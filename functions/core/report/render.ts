import { stringify } from 'csv-stringify/sync';
import { cutOffMarkdown, cutOffText } from './clients';
import type { AccountReport, ClusterReport, ReportWindow } from './summary';
import { duration, escapeMarkdown, shortActor, when } from './text';
import { verificationText } from './verification';

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
  'policyDigest',
  'policyParameterVersion',
  'beforeCoverage',
  'clusterCreatedAt',
  'clientsCutOff',
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
      rows.push(REPORT_CSV_COLUMNS.map((c) => emptyRow(report, cluster, c)));
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
        w.policyDigest ?? '',
        w.policyParameterVersion ?? '',
        w.beforeCoverage ? 'true' : 'false',
        w.clusterCreatedAt ?? '',
        cutOffDuring(report, w.cluster, w.region, w.start, w.end ?? report.period.until),
      ]);
    }
  }
  return csv([[...REPORT_CSV_COLUMNS], ...rows]);
}

/** Whom the decisions between `from` and `to` (ISO times) cut off, as the report's section says it. */
function cutOffDuring(
  report: AccountReport,
  cluster: string,
  region: string,
  from: string,
  to: string,
): string {
  return report.clientsCutOff
    .filter((c) => c.cluster === cluster && c.region === region && c.time >= from && c.time <= to)
    .map((c) => `${c.time} ${c.outcome}: ${cutOffText(c)}`)
    .join('; ');
}

function emptyRow(
  report: AccountReport,
  cluster: ClusterReport,
  column: (typeof REPORT_CSV_COLUMNS)[number],
): string | number {
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
    case 'clientsCutOff':
      return cutOffDuring(report, cluster.cluster, cluster.region, report.period.since, report.period.until);
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
    `Period ${e(when(report.period.since))} to ${e(when(report.period.until))} (generated ${e(when(report.period.generatedAt))}).`,
    '',
    '## Account',
    '',
    '| | |',
    '|---|---|',
    ...identityRows(report).map(([name, value]) => `| ${e(name)} | ${e(value)} |`),
    `| Clusters guarded | ${report.clustersGuarded} (${report.clustersExposed} with an exposure window) |`,
    `| Exposure windows | ${e(windowCountsText(report))} |`,
    `| Total exposure | ${e(duration(report.exposedSeconds))} |`,
    `| Time to remediate (p50 / p95) | ${e(ttrText(report.timeToRemediate))} |`,
    ...(report.beforeCoverage.windows > 0 ? [`| Before coverage | ${e(beforeCoverageText(report))} |`] : []),
    `| Continuous checking | ${e(sweepsText(report))} |`,
    `| Policy in force | ${e(policiesText(report))} |`,
    `| Records verified | ${e(verificationText(report.verification))} |`,
    '',
  ];
  if (report.sweeps.gaps.length > 0) {
    lines.push('### Gaps in checking', '', '| from | to | length |', '|---|---|---|');
    for (const g of report.sweeps.gaps)
      lines.push(`| ${e(when(g.from))} | ${e(when(g.to))} | ${e(duration(g.seconds))} |`);
    lines.push('');
  }
  if (report.verification.status === 'tampered') {
    lines.push('### Verification findings', '', ...report.verification.findings.map((f) => `- ${e(f)}`), '');
  }
  lines.push(
    '## Clusters',
    '',
    '| cluster | region | exposed | windows | time to remediate p50 / p95 | actors | exemptions | status |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const c of report.clusters) {
    lines.push(
      `| ${e(c.cluster)} | ${e(c.region)} | ${e(duration(c.exposedSeconds))} | ${c.windows.length} | ${ttrText(c.timeToRemediate)} | ${c.actors.map((a) => e(`${shortActor(a.arn)}${a.source === 'lookup' ? ' (lookup)' : ''}`)).join(', ') || '-'} | ${c.exemptions.map((x) => e(`${x.reason}${x.expires ? ` until ${x.expires}` : ''}${x.grantedBy ? `, ${x.grantedBy.how} by ${shortActor(x.grantedBy.arn)}` : ''}`)).join(', ') || '-'} | ${e(statusOf(c))} |`,
    );
  }
  const windows = report.clusters.flatMap((c) => c.windows);
  if (windows.length > 0) {
    lines.push(
      '',
      '## Exposure windows',
      '',
      '| cluster | from | to | exposed in period | change to fix | closed by | actor | policy |',
      '|---|---|---|---|---|---|---|---|',
    );
    for (const w of windows) {
      lines.push(
        `| ${e(w.cluster)} | ${e(when(w.start))} (${e(startText(w))}) | ${e(w.end ? when(w.end) : 'still open')} | ${e(duration(w.exposedSeconds))} | ${e(fixText(w))} | ${e(w.closedBy ?? '-')} | ${e(w.actor ? `${shortActor(w.actor)}${w.actorSource === 'lookup' ? ' (lookup)' : ''}` : 'unknown')} | ${e(policyOfWindow(w))} |`,
      );
    }
  }
  lines.push(...cutOffMarkdown(report.clientsCutOff));
  lines.push('', '## Controls', '', '| control | figures | exceptions |', '|---|---|---|');
  for (const c of report.controls) {
    lines.push(
      `| ${e(`${c.framework} ${c.control}`)} | ${c.figures.map((f) => e(`${f.name}: ${f.value}`)).join('<br>')} | ${c.exceptions.map(e).join('<br>') || 'none'} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Account(s), region(s), guard version and stack: what the evidence is of. */
export function identityRows(report: AccountReport): [string, string][] {
  return [
    ['Account(s)', report.accounts.join(', ') || 'not named by any record'],
    ['Region(s)', report.regions.join(', ')],
    [
      'Guard',
      `eks-endpoint-guard ${report.guard.version}${report.guard.stack ? `, stack ${report.guard.stack}` : ', stack not named (--stack)'}`,
    ],
    ...(report.clusterFilter ? ([['Clusters', report.clusterFilter]] as [string, string][]) : []),
    [
      'Coverage',
      report.coverage.since
        ? `the guard's first record here: ${when(report.coverage.since)}`
        : 'no record of the guard here',
    ],
  ];
}

/** `1 open at the start + 3 opened = 2 closed + 2 still open`: the counts add up. */
export function windowCountsText(report: AccountReport): string {
  const w = report.windows;
  return `${w.openAtStart} open at the start + ${w.opened} opened = ${w.closed} closed + ${w.open} still open`;
}

export function beforeCoverageText(report: AccountReport): string {
  const b = report.beforeCoverage;
  const fixed = b.fixedAfterCoverage;
  return `${b.windows} window(s) began before the guard's coverage (${when(report.coverage.since)}); not in the percentiles${fixed.count > 0 ? `; fixed ${duration(fixed.p50Seconds)} (p50) / ${duration(fixed.p95Seconds)} (p95) after coverage began` : ''}`;
}

export function policiesText(report: AccountReport): string {
  return (
    report.policies
      .map(
        (p) =>
          `parameter version ${p.policyParameterVersion ?? 'not recorded'} ${p.digest} (${when(p.firstSeen)} to ${when(p.lastSeen)})`,
      )
      .join(', ') || '-'
  );
}

export function startText(w: ReportWindow): string {
  const source: Record<ReportWindow['startSource'], string> = {
    event: 'CloudTrail event',
    lookup: 'CloudTrail lookup',
    'first-seen': 'first seen',
    'cluster-created': 'cluster created; the event claimed an earlier time',
  };
  return `${source[w.startSource]}${w.startedBeforePeriod ? ', before the period: exposure counted from its start' : ''}`;
}

/** The window's time to remediate, beside its exposure in the period. */
export function fixText(w: ReportWindow): string {
  if (w.timeToRemediateSeconds !== undefined) return duration(w.timeToRemediateSeconds);
  if (w.fixedSecondsAfterCoverage !== undefined)
    return `before coverage; fixed ${duration(w.fixedSecondsAfterCoverage)} after it began`;
  if (w.beforeCoverage) return 'before coverage';
  return w.openAtPeriodEnd ? 'not fixed yet' : '-';
}

export function policyOfWindow(w: ReportWindow): string {
  if (!w.policyDigest) return '-';
  return `parameter version ${w.policyParameterVersion ?? 'not recorded'}, ${w.policyDigest.slice(0, 19)}…`;
}

export function ttrText(t: AccountReport['timeToRemediate']): string {
  if (t.count === 0) return '-';
  return `${duration(t.p50Seconds)} / ${duration(t.p95Seconds)} (${t.count} fixed)`;
}

export function sweepsText(report: AccountReport): string {
  const s = report.sweeps;
  if (s.count === 0) {
    const gap = s.gaps[0];
    return gap
      ? `no sweep ran in the period: unchecked by a sweep from ${when(gap.from)} to ${when(gap.to)} (${duration(gap.seconds)})`
      : 'no sweep ran in the period';
  }
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
