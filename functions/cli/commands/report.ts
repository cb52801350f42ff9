import { writeFileSync } from 'node:fs';
import { type AuditStore, auditStore, isCentralTable } from '../../aws/audit-store';
import { createAwsClients } from '../../aws/clients';
import { matchesGlob } from '../../core/effective';
import {
  REPORT_FORMATS,
  type ReportFormat,
  renderCsv,
  renderJson,
  renderMarkdown,
} from '../../core/report/render';
import { renderHtml } from '../../core/report/render-html';
import { type AccountReport, buildReport } from '../../core/report/summary';
import type { CheckResult } from '../../core/result';
import { auditConfig, parseAccount } from '../audit';
import { accountCoverage, withCoverage } from '../coverage';
import { CliError, nameFailedCalls } from '../errors';
import type { CliIo } from '../io';
import { type Period, parseClusterGlob, parseInterval, parsePeriod } from '../period';

export interface ReportOptions {
  since?: string;
  until?: string;
  month?: string;
  cluster?: string;
  account?: string;
  /** With --account on the central table: the member region reported (default: the table's region). */
  memberRegion?: string;
  format?: string;
  out?: string;
  sweepInterval?: string;
}

/** How far before the period the records are read, to find windows that were already open. */
export const LOOKBACK_DAYS = 90;
const DAY_MS = 86_400_000;
const ALL = 10_000_000;
export const DEFAULT_SWEEP_INTERVAL = '1h';

export async function reportCommand(options: ReportOptions, io: CliIo, env = process.env): Promise<void> {
  const now = new Date();
  const format = parseFormat(options.format ?? (options.out ? formatOfFile(options.out) : 'md'));
  const period = parsePeriod(options, now);
  const cluster = options.cluster === undefined ? undefined : parseClusterGlob(options.cluster);
  const account = parseAccount(options.account);
  const sweepIntervalSeconds = parseInterval(
    '--sweep-interval',
    options.sweepInterval ?? DEFAULT_SWEEP_INTERVAL,
  );
  const { tableName, region: tableRegion } = auditConfig(env);
  const { dynamodb } = createAwsClients(tableRegion);
  nameFailedCalls({ dynamodb });
  // The organisation's central table holds every account: --account then selects one (DESIGN §12).
  const central = account !== undefined && (await isCentralTable(dynamodb, tableName));
  if (options.memberRegion !== undefined && !central) {
    throw new CliError('--member-region: only with --account, on the central audit table');
  }
  const region = central ? (options.memberRegion ?? tableRegion) : tableRegion;
  const store = auditStore(dynamodb, tableName, tableRegion, 0, undefined, central ? { account } : {});

  const report = await auditReport(store, region, period, now, {
    sweepIntervalSeconds,
    ...(cluster ? { cluster } : {}),
    ...(options.account ? { account: options.account } : {}),
  });
  const rendered = renderReport(report, format);
  // On the central table the account's coverage goes with it: every account-region that should report.
  const text =
    central && account
      ? withCoverage(rendered, format, account, await accountCoverage(dynamodb, tableName, account, now))
      : rendered;
  if (options.out) {
    writeFileSync(options.out, text);
    io.err(`report written to ${options.out} (${format}, ${report.clusters.length} cluster(s))\n`);
  } else {
    io.out(text);
  }
}

/** Reads what the report needs from the audit table and builds it. */
export async function auditReport(
  store: AuditStore,
  region: string,
  period: Period,
  now: Date,
  options: { sweepIntervalSeconds?: number; cluster?: string; account?: string } = {},
): Promise<AccountReport> {
  const until = new Date(Math.min(period.until.getTime(), now.getTime()));
  const [inPeriod, markers, sweeps] = await Promise.all([
    store.query({ since: period.since, until, limit: ALL }),
    store.markers(region),
    store.sweeps(region, period.since, until),
  ]);
  const wanted = (name: string) => name !== '-' && (!options.cluster || matchesGlob(name, options.cluster));
  const names = new Set([...inPeriod, ...markers].map((r) => r.cluster).filter(wanted));
  // Windows already open when the period began: each cluster's records of the days before it.
  const lookback = new Date(period.since.getTime() - LOOKBACK_DAYS * DAY_MS);
  const earlier: CheckResult[] = [];
  for (const name of [...names].sort()) {
    earlier.push(
      ...(await store.query({ cluster: name, region, since: lookback, until: period.since, limit: ALL })),
    );
  }
  return buildReport({
    period: { since: period.since, until: period.until },
    now,
    region,
    records: [...earlier, ...inPeriod.filter((r) => r.region === region)],
    sweeps,
    markers,
    sweepIntervalSeconds: options.sweepIntervalSeconds ?? 3600,
    ...(options.cluster ? { cluster: options.cluster } : {}),
    ...(options.account ? { account: options.account } : {}),
  });
}

export function renderReport(report: AccountReport, format: ReportFormat): string {
  switch (format) {
    case 'html':
      return renderHtml(report);
    case 'md':
      return renderMarkdown(report);
    case 'csv':
      return renderCsv(report);
    case 'json':
      return renderJson(report);
  }
}

/**
 * For the demo: writes the HTML report of everything the audit table holds from `since` to now
 * and returns the report (the caller says where the file is).
 */
export async function writeHtmlReport(
  store: AuditStore,
  region: string,
  since: Date,
  path: string,
  now: Date = new Date(),
): Promise<AccountReport> {
  const report = await auditReport(store, region, { since, until: now }, now);
  writeFileSync(path, renderHtml(report));
  return report;
}

function parseFormat(text: string): ReportFormat {
  const value = text.trim().toLowerCase();
  if ((REPORT_FORMATS as readonly string[]).includes(value)) return value as ReportFormat;
  throw new CliError(`--format "${text}": expected one of ${REPORT_FORMATS.join(', ')}`);
}

/** `--out report.html` without --format: the file's extension says which. */
function formatOfFile(path: string): string {
  const ext = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (ext === 'htm') return 'html';
  if (ext === 'markdown') return 'md';
  return ext && (REPORT_FORMATS as readonly string[]).includes(ext) ? ext : 'md';
}
