import { fleetExposure, peakExposure } from './fleet';
import type { AccountReport, ReportWindow } from './summary';
import { duration, escapeHtml as h, shortActor, when } from './text';

/** The SVG charts of the HTML report: one of the whole fleet, one row per most exposed cluster. */

const WIDTH = 960;
const LABEL = 170;
const RIGHT = 16;
const ROW = 24;
const TOP = 26;
/** Clusters drawn in the timeline: the most exposed; the rest are in the tables. */
export const TIMELINE_ROWS = 25;

function axis(since: number, end: number, left: number, height: number, top: number): string[] {
  const span = Math.max(1, end - since);
  const x = (t: number) => left + ((t - since) / span) * (WIDTH - left - RIGHT);
  // Dates on a long period, times on a short one.
  const label = (t: number) => {
    const text = when(new Date(t).toISOString());
    return span >= 3 * 86_400_000 ? text.slice(0, 10) : text.slice(11);
  };
  const TICKS = 6;
  const parts: string[] = [];
  for (let i = 0; i <= TICKS; i++) {
    const t = since + (span * i) / TICKS;
    const px = x(t).toFixed(1);
    const anchor = i === 0 ? 'start' : i === TICKS ? 'end' : 'middle';
    parts.push(
      `<line class="axis" x1="${px}" y1="${top - 6}" x2="${px}" y2="${height - 4}"/>`,
      `<text x="${px}" y="12" text-anchor="${anchor}">${h(label(t))}</text>`,
    );
  }
  return parts;
}

/**
 * The fleet chart: how many clusters were exposed at each moment of the period, as a step area,
 * with the peak named. Reads the same at 1 cluster and at 1,000.
 */
export function fleetChartSvg(report: AccountReport): string {
  const { since, end, steps } = fleetExposure(report);
  const peak = peakExposure(steps);
  const height = 180;
  const top = TOP;
  const bottom = height - 24;
  const left = 56;
  const span = Math.max(1, end - since);
  const x = (t: number) =>
    left + ((Math.min(Math.max(t, since), end) - since) / span) * (WIDTH - left - RIGHT);
  const scale = Math.max(1, peak);
  const y = (n: number) => bottom - (n / scale) * (bottom - top);
  const parts = [
    `<svg class="fleet" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Clusters exposed over the period: at most ${peak} at once">`,
    ...axis(since, end, left, bottom + 4, top),
  ];
  for (const n of [0, scale]) {
    parts.push(
      `<text class="count" x="${left - 8}" y="${(y(n) + 4).toFixed(1)}" text-anchor="end">${n}</text>`,
      `<line class="axis" x1="${left}" y1="${y(n).toFixed(1)}" x2="${WIDTH - RIGHT}" y2="${y(n).toFixed(1)}"/>`,
    );
  }
  let path = `M${x(since).toFixed(1)},${y(0).toFixed(1)}`;
  let level = 0;
  for (const step of steps) {
    path += ` L${x(step.at).toFixed(1)},${y(level).toFixed(1)} L${x(step.at).toFixed(1)},${y(step.exposed).toFixed(1)}`;
    level = step.exposed;
  }
  path += ` L${x(end).toFixed(1)},${y(level).toFixed(1)} L${x(end).toFixed(1)},${y(0).toFixed(1)} Z`;
  parts.push(
    `<path class="area" d="${path}"><title>${h(`at most ${peak} cluster(s) exposed at once`)}</title></path>`,
  );
  if (peak === 0) {
    const windows = report.clusters.reduce((n, c) => n + c.windows.length, 0);
    const text =
      windows === 0
        ? 'No cluster was exposed in the period.'
        : `${windows} exposure window(s), each closed the moment it opened: nothing to draw.`;
    parts.push(`<text x="${left + 8}" y="${bottom - 8}">${h(text)}</text>`);
  }
  parts.push(
    `<text x="${left}" y="${height - 4}">clusters exposed (at most ${peak} at once)</text>`,
    '</svg>',
  );
  return parts.join('\n');
}

/** The timeline: one row per most exposed cluster (at most TIMELINE_ROWS), one bar per window. */
export function timelineSvg(report: AccountReport): string {
  const rows = report.clusters.filter((c) => c.windows.length > 0).slice(0, TIMELINE_ROWS);
  const since = Date.parse(report.period.since);
  const end = Math.min(Date.parse(report.period.until), Date.parse(report.period.generatedAt));
  const span = Math.max(1, end - since);
  const x = (t: number) =>
    LABEL + ((Math.min(Math.max(t, since), end) - since) / span) * (WIDTH - LABEL - RIGHT);
  const height = TOP + Math.max(1, rows.length) * ROW + 8;
  const parts: string[] = [
    `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="Exposure windows of the most exposed clusters">`,
    ...axis(since, end, LABEL, height, TOP),
  ];
  if (rows.length === 0) {
    parts.push(`<text x="${LABEL}" y="${TOP + 14}">No exposure in the period.</text>`);
  }
  rows.forEach((cluster, index) => {
    const y = TOP + index * ROW;
    parts.push(
      `<rect class="row" x="${LABEL}" y="${y + 2}" width="${WIDTH - LABEL - RIGHT}" height="${ROW - 4}"/>`,
      `<text class="name" x="${LABEL - 8}" y="${y + ROW / 2 + 4}" text-anchor="end">${h(clip(cluster.cluster, 26))}</text>`,
    );
    for (const w of cluster.windows) parts.push(bar(w, x, y, end));
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function bar(w: ReportWindow, x: (t: number) => number, y: number, end: number): string {
  const from = x(Date.parse(w.start));
  const to = x(w.end ? Date.parse(w.end) : end);
  // A window of seconds in a month is still drawn wide enough to see and point at.
  const width = Math.max(3, to - from);
  const title = `${w.cluster}: ${when(w.start)} to ${w.end ? when(w.end) : 'still open'} (${duration(w.exposedSeconds)} in the period)${w.actor ? `, by ${shortActor(w.actor)}` : ''}`;
  return `<rect class="bar${w.end ? '' : ' open'}" data-cluster="${h(w.cluster)}" x="${from.toFixed(1)}" y="${y + 4}" width="${width.toFixed(1)}" height="${ROW - 8}"><title>${h(title)}</title></rect>`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
