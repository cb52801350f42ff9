import { cutOffHtml } from './clients';
import { statusOf, sweepsText, ttrText } from './render';
import type { AccountReport, ReportWindow } from './summary';
import { duration, escapeHtml as h, shortActor, when } from './text';

const CSS = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --bad: #c62828; --open: #8e24aa; --ok: #2e7d32; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink); margin: 2rem auto; max-width: 1000px; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
p.meta { color: var(--muted); margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line); }
th { font-weight: 600; background: #f6f8fa; }
td.num { text-align: right; white-space: nowrap; }
.facts th { width: 14rem; }
.exposed { color: var(--bad); font-weight: 600; }
.none { color: var(--muted); }
svg { width: 100%; height: auto; display: block; }
svg text { font: 11px system-ui, sans-serif; fill: var(--ink); }
svg .axis { stroke: var(--line); }
svg .bar { fill: var(--bad); }
svg .bar.open { fill: var(--open); }
svg .row { fill: #f6f8fa; }
.legend span { display: inline-block; margin-right: 1rem; }
.legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -1px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
@media print {
  body { margin: 0; max-width: none; font-size: 11px; }
  h2 { break-after: avoid; }
  table, svg, tr { break-inside: avoid; }
  th { background: none; }
  a { color: inherit; text-decoration: none; }
}
`;

const WIDTH = 960;
const LABEL = 170;
const RIGHT = 16;
const ROW = 22;
const TOP = 26;

/** The SVG timeline: one row per cluster with exposure, one bar per window, a linear time scale. */
export function timelineSvg(report: AccountReport): string {
  const rows = report.clusters.filter((c) => c.windows.length > 0);
  const since = Date.parse(report.period.since);
  const end = Math.min(Date.parse(report.period.until), Date.parse(report.period.generatedAt));
  const span = Math.max(1, end - since);
  const x = (t: number) =>
    LABEL + ((Math.min(Math.max(t, since), end) - since) / span) * (WIDTH - LABEL - RIGHT);
  const height = TOP + Math.max(1, rows.length) * ROW + 8;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Exposure windows per cluster">`,
  ];
  // Dates on a long period, times on a short one.
  const label = (t: number) => {
    const text = when(new Date(t).toISOString());
    return span >= 3 * 86_400_000 ? text.slice(0, 10) : text.slice(11);
  };
  const TICKS = 6;
  for (let i = 0; i <= TICKS; i++) {
    const t = since + (span * i) / TICKS;
    const px = x(t).toFixed(1);
    const anchor = i === 0 ? 'start' : i === TICKS ? 'end' : 'middle';
    parts.push(
      `<line class="axis" x1="${px}" y1="${TOP - 6}" x2="${px}" y2="${height - 4}"/>`,
      `<text x="${px}" y="12" text-anchor="${anchor}">${h(label(t))}</text>`,
    );
  }
  if (rows.length === 0) {
    parts.push(`<text x="${LABEL}" y="${TOP + 14}">No exposure in the period.</text>`);
  }
  rows.forEach((cluster, index) => {
    const y = TOP + index * ROW;
    parts.push(
      `<rect class="row" x="${LABEL}" y="${y + 2}" width="${WIDTH - LABEL - RIGHT}" height="${ROW - 4}"/>`,
      `<text x="${LABEL - 8}" y="${y + ROW / 2 + 4}" text-anchor="end">${h(clip(cluster.cluster, 26))}</text>`,
    );
    for (const w of cluster.windows) parts.push(bar(w, x, y, end));
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function bar(w: ReportWindow, x: (t: number) => number, y: number, end: number): string {
  const from = x(Date.parse(w.start));
  const to = x(w.end ? Date.parse(w.end) : end);
  const width = Math.max(2, to - from);
  const title = `${w.cluster}: ${when(w.start)} to ${w.end ? when(w.end) : 'still open'} (${duration(w.exposedSeconds)} in the period)${w.actor ? `, by ${shortActor(w.actor)}` : ''}`;
  return `<rect class="bar${w.end ? '' : ' open'}" data-cluster="${h(w.cluster)}" x="${from.toFixed(1)}" y="${y + 4}" width="${width.toFixed(1)}" height="${ROW - 8}"><title>${h(title)}</title></rect>`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One self-contained, printable HTML file: no script, no external font, image or style sheet. */
export function renderHtml(report: AccountReport): string {
  const scope = [
    `region ${report.region}`,
    report.account ? `account ${report.account}` : '',
    report.clusterFilter ? `clusters ${report.clusterFilter}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const clusters = report.clusters;
  const windows = clusters.flatMap((c) => c.windows);
  const quiet = clusters.filter((c) => c.windows.length === 0).length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>EKS endpoint exposure report ${h(when(report.period.since))} to ${h(when(report.period.until))}</title>
<style>${CSS}</style>
</head>
<body>
<h1>EKS endpoint exposure report</h1>
<p class="meta">${h(when(report.period.since))} to ${h(when(report.period.until))} · ${h(scope)} · generated ${h(when(report.period.generatedAt))}</p>

<h2>Summary</h2>
<table class="facts">
<tr><th>Clusters guarded</th><td>${report.clustersGuarded}</td></tr>
<tr><th>Exposure windows</th><td>${report.windows.opened} opened, ${report.windows.closed} closed, ${report.windows.open} still open</td></tr>
<tr><th>Total exposure</th><td${report.exposedSeconds > 0 ? ' class="exposed"' : ''}>${h(duration(report.exposedSeconds))}</td></tr>
<tr><th>Time to remediate (p50 / p95)</th><td>${h(ttrText(report.timeToRemediate))}</td></tr>
<tr><th>Continuous checking</th><td>${h(sweepsText(report))}${report.sweeps.fromRecords > 0 ? h(` (${report.sweeps.fromRecords} known from their decision records)`) : ''}</td></tr>
<tr><th>Policy versions in force</th><td>${report.policies.map((p) => `v${h(p.version)} <code>${h(p.digest)}</code> (${h(when(p.firstSeen))} to ${h(when(p.lastSeen))})`).join('<br>') || '-'}</td></tr>
</table>
${
  report.sweeps.gaps.length > 0
    ? `<h2>Gaps in checking</h2>
<table><tr><th>From</th><th>To</th><th>Length</th></tr>
${report.sweeps.gaps.map((g) => `<tr><td>${h(when(g.from))}</td><td>${h(when(g.to))}</td><td class="num">${h(duration(g.seconds))}</td></tr>`).join('\n')}
</table>`
    : ''
}
<h2>Timeline</h2>
<p class="legend"><span><i style="background:#c62828"></i>exposed, closed</span><span><i style="background:#8e24aa"></i>still open at the end of the period</span>${quiet > 0 ? `<span class="none">${quiet} cluster(s) without exposure not drawn</span>` : ''}</p>
${timelineSvg(report)}

<h2>Clusters</h2>
<table>
<tr><th>Cluster</th><th>Region</th><th>Exposed</th><th>Windows</th><th>Time to remediate p50 / p95</th><th>Actors</th><th>Exemptions</th><th>Status</th></tr>
${clusters
  .map(
    (c) =>
      `<tr><td>${h(c.cluster)}</td><td>${h(c.region)}</td><td class="num${c.exposedSeconds > 0 ? ' exposed' : ''}">${h(duration(c.exposedSeconds))}</td><td class="num">${c.windows.length}</td><td>${h(ttrText(c.timeToRemediate))}</td><td>${c.actors.map((a) => `<code>${h(shortActor(a.arn))}</code>${a.source === 'lookup' ? ' (CloudTrail lookup)' : ''}`).join('<br>') || '-'}</td><td>${c.exemptions.map((x) => `${h(x.reason)}${x.expires ? ` (until ${h(x.expires)})` : ''} · ${h(x.source)}`).join('<br>') || '-'}</td><td>${h(statusOf(c))}</td></tr>`,
  )
  .join('\n')}
</table>
${
  windows.length > 0
    ? `<h2>Exposure windows</h2>
<table>
<tr><th>Cluster</th><th>From</th><th>To</th><th>Exposed</th><th>Closed by</th><th>Actor</th><th>Violation</th></tr>
${windows
  .map(
    (w) =>
      `<tr><td>${h(w.cluster)}</td><td>${h(when(w.start))}<br><span class="none">${h(w.startSource)}</span></td><td>${h(w.end ? when(w.end) : 'still open')}</td><td class="num">${h(duration(w.exposedSeconds))}</td><td>${h(w.closedBy ?? '-')}</td><td>${w.actor ? `<code>${h(shortActor(w.actor))}</code>${w.actorSource === 'lookup' ? ' (CloudTrail lookup)' : ''}` : 'unknown'}</td><td>${h(w.violations.join('; '))}</td></tr>`,
  )
  .join('\n')}
</table>`
    : ''
}
${cutOffHtml(report.clientsCutOff)}</body>
</html>
`;
}
