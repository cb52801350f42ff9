import { cutOffHtml } from './clients';
import { fleetChartSvg, TIMELINE_ROWS, timelineSvg } from './html-charts';
import {
  beforeCoverageText,
  fixText,
  identityRows,
  policiesText,
  startText,
  statusOf,
  sweepsText,
  ttrText,
  windowCountsText,
} from './render';
import type { AccountReport, ClusterReport, ReportWindow } from './summary';
import { duration, escapeHtml as h, shortActor, when } from './text';
import { verificationText } from './verification';

const CSS = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --bad: #c62828; --open: #8e24aa; --ok: #2e7d32; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink); margin: 2rem auto; max-width: 1000px; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
p.meta, p.note { color: var(--muted); margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
thead { display: table-header-group; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line); overflow-wrap: break-word; }
table.controls td:first-child { width: 10rem; }
table.controls td:nth-child(2) { width: 30%; }
th { font-weight: 600; background: #f6f8fa; }
td.num { text-align: right; white-space: nowrap; }
.facts th { width: 14rem; }
.exposed { color: var(--bad); font-weight: 600; }
.intact { color: var(--ok); font-weight: 600; }
.tampered { color: var(--bad); font-weight: 700; }
.none { color: var(--muted); }
svg { width: 100%; height: auto; display: block; }
svg text { font: 12px system-ui, sans-serif; fill: var(--ink); }
svg .axis { stroke: var(--line); }
svg .area { fill: var(--bad); fill-opacity: .35; stroke: var(--bad); stroke-width: 1.5; }
svg .bar { fill: var(--bad); }
svg .bar.open { fill: var(--open); }
svg .row { fill: #f6f8fa; }
.legend span { display: inline-block; margin-right: 1rem; }
.legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -1px; }
ul.figures { margin: 0; padding-left: 1rem; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
@media print {
  body { margin: 0; max-width: none; font-size: 11px; }
  h2 { break-after: avoid; }
  svg, tr { break-inside: avoid; }
  th { background: none; }
  a { color: inherit; text-decoration: none; }
}
`;

/** One self-contained, printable HTML file: no script, no external font, image or style sheet. */
export function renderHtml(report: AccountReport): string {
  const exposed = report.clusters.filter((c) => c.windows.length > 0);
  const quiet = report.clusters.filter((c) => c.windows.length === 0);
  const windows = exposed.flatMap((c) => c.windows);
  const v = report.verification;
  const title = `EKS endpoint exposure report ${when(report.period.since)} to ${when(report.period.until)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${h(title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>EKS endpoint exposure report</h1>
<p class="meta">${h(when(report.period.since))} to ${h(when(report.period.until))} · ${h(report.accounts.join(', ') || 'account not named')} · ${h(report.regions.join(', '))} · generated ${h(when(report.period.generatedAt))}</p>

<h2>What this report covers</h2>
<table class="facts">
${identityRows(report)
  .map(([name, value]) => `<tr><th>${h(name)}</th><td>${h(value)}</td></tr>`)
  .join('\n')}
<tr><th>Records verified</th><td class="${v.status === 'intact' ? 'intact' : v.status === 'tampered' ? 'tampered' : 'none'}">${h(verificationText(v))}</td></tr>
</table>

<h2>Summary</h2>
<table class="facts">
<tr><th>Clusters guarded</th><td>${report.clustersGuarded} (${report.clustersExposed} with an exposure window)</td></tr>
<tr><th>Exposure windows</th><td>${h(windowCountsText(report))}</td></tr>
<tr><th>Total exposure</th><td${report.exposedSeconds > 0 ? ' class="exposed"' : ''}>${h(duration(report.exposedSeconds))}</td></tr>
<tr><th>Time to remediate (p50 / p95)</th><td>${h(ttrText(report.timeToRemediate))}</td></tr>
${report.beforeCoverage.windows > 0 ? `<tr><th>Before coverage</th><td>${h(beforeCoverageText(report))}</td></tr>` : ''}
<tr><th>Continuous checking</th><td>${h(sweepsText(report))}${report.sweeps.fromRecords > 0 ? h(` (${report.sweeps.fromRecords} known from their decision records)`) : ''}</td></tr>
<tr><th>Policy in force</th><td>${h(policiesText(report))}</td></tr>
</table>
${gapsSection(report)}${findingsSection(report)}
<h2>Exposure over time</h2>
${fleetChartSvg(report)}

<h2>Most exposed clusters</h2>
<p class="legend"><span><i style="background:#c62828"></i>exposed, closed</span><span><i style="background:#8e24aa"></i>still open at the end of the period</span>${exposed.length > TIMELINE_ROWS ? `<span class="none">the ${TIMELINE_ROWS} most exposed of ${exposed.length} clusters with exposure; all are in the table below</span>` : ''}</p>
${timelineSvg(report)}

<h2>Clusters with exposure (${exposed.length})</h2>
${exposed.length === 0 ? '<p class="note">None.</p>' : exposedTable(exposed)}

<h2>Clusters without exposure (${quiet.length})</h2>
${quiet.length === 0 ? '<p class="note">None.</p>' : quietTable(quiet)}
${windows.length > 0 ? windowsSection(windows) : ''}
${cutOffHtml(report.clientsCutOff)}
<h2>Controls</h2>
<p class="note">The figures of this report that bear on each control, and what did not hold in the period. Each figure names the field of the JSON report it comes from.</p>
<table class="controls">
<thead><tr><th>Control</th><th>Requirement</th><th>Figures</th><th>Exceptions</th></tr></thead>
<tbody>
${report.controls
  .map(
    (c) =>
      `<tr id="${h(c.id)}"><td><strong>${h(c.control)}</strong><br><span class="none">${h(c.framework)}</span></td><td>${h(c.requirement)}<br><span class="none">${h(c.evidence)}</span></td><td><ul class="figures">${c.figures.map((f) => `<li>${h(f.name)}: ${h(f.value)} <span class="none">(${h(f.source)})</span></li>`).join('')}</ul></td><td>${c.exceptions.map((x) => h(x)).join('<br>') || '<span class="none">none</span>'}</td></tr>`,
  )
  .join('\n')}
</tbody>
</table>
</body>
</html>
`;
}

function gapsSection(report: AccountReport): string {
  if (report.sweeps.gaps.length === 0) return '';
  return `<h2>Gaps in checking</h2>
<table><thead><tr><th>From</th><th>To</th><th>Length</th></tr></thead>
<tbody>
${report.sweeps.gaps.map((g) => `<tr><td>${h(when(g.from))}</td><td>${h(when(g.to))}</td><td class="num">${h(duration(g.seconds))}</td></tr>`).join('\n')}
</tbody></table>
`;
}

function findingsSection(report: AccountReport): string {
  const v = report.verification;
  if (v.status !== 'tampered') return '';
  return `<h2>Verification findings</h2>
<ul class="tampered">${v.findings.map((f) => `<li>${h(f)}</li>`).join('')}</ul>
${v.findingCount > v.findings.length ? `<p class="note">${v.findingCount - v.findings.length} more: run audit verify for all of them.</p>` : ''}
`;
}

function exposedTable(clusters: readonly ClusterReport[]): string {
  return `<table class="exposed-clusters">
<thead><tr><th>Cluster</th><th>Region</th><th>Exposed</th><th>Windows</th><th>Time to remediate p50 / p95</th><th>Actors</th><th>Exemptions</th><th>Status</th></tr></thead>
<tbody>
${clusters
  .map(
    (c) =>
      `<tr><td>${h(c.cluster)}</td><td>${h(c.region)}</td><td class="num exposed">${h(duration(c.exposedSeconds))}</td><td class="num">${c.windows.length}</td><td>${h(ttrText(c.timeToRemediate))}</td><td>${c.actors.map((a) => `<code>${h(shortActor(a.arn))}</code>${a.source === 'lookup' ? ' (CloudTrail lookup)' : ''}`).join('<br>') || '-'}</td><td>${exemptionsCell(c)}</td><td>${h(statusOf(c))}</td></tr>`,
  )
  .join('\n')}
</tbody>
</table>`;
}

function quietTable(clusters: readonly ClusterReport[]): string {
  return `<table class="quiet-clusters">
<thead><tr><th>Cluster</th><th>Region</th><th>Last checked</th><th>Exemptions</th><th>Status</th></tr></thead>
<tbody>
${clusters.map((c) => `<tr><td>${h(c.cluster)}</td><td>${h(c.region)}</td><td>${h(when(c.lastChecked))}</td><td>${exemptionsCell(c)}</td><td>${h(statusOf(c))}</td></tr>`).join('\n')}
</tbody>
</table>`;
}

function exemptionsCell(c: ClusterReport): string {
  return (
    c.exemptions
      .map(
        (x) =>
          `${h(x.reason)}${x.expires ? ` (until ${h(x.expires)})` : ' (no expiry)'} · ${h(x.source)}${x.grantedBy ? ` · ${h(x.grantedBy.how)} by <code>${h(shortActor(x.grantedBy.arn))}</code>` : ''}`,
      )
      .join('<br>') || '-'
  );
}

function windowsSection(windows: readonly ReportWindow[]): string {
  return `
<h2>Exposure windows</h2>
<p class="note">Exposure counts the time inside the period; time to remediate runs from the change to the fix, inside the guard's coverage. A window that began before the period or before the coverage says so.</p>
<table class="windows">
<thead><tr><th>Cluster</th><th>From</th><th>To</th><th>Exposed in period</th><th>Change to fix</th><th>Closed by</th><th>Actor</th><th>Policy</th><th>Violation</th></tr></thead>
<tbody>
${windows
  .map(
    (w) =>
      `<tr><td>${h(w.cluster)}</td><td>${h(when(w.start))}<br><span class="none">${h(startText(w))}</span></td><td>${h(w.end ? when(w.end) : 'still open')}</td><td class="num">${h(duration(w.exposedSeconds))}</td><td>${h(fixText(w))}</td><td>${h(w.closedBy ?? '-')}</td><td>${w.actor ? `<code>${h(shortActor(w.actor))}</code>${w.actorSource === 'lookup' ? ' (CloudTrail lookup)' : ''}` : 'unknown'}</td><td>${w.policyDigest ? `parameter version ${h(w.policyParameterVersion ?? 'not recorded')}<br><code>${h(w.policyDigest)}</code>` : '-'}</td><td>${h(w.violations.join('; '))}</td></tr>`,
  )
  .join('\n')}
</tbody>
</table>
`;
}
