import { writeFileSync } from 'node:fs';
import packageJson from '../../../package.json';
import { type AuditSeal, auditSeal } from '../../aws/audit-seal';
import { type AuditStore, auditStore, isCentralTable } from '../../aws/audit-store';
import type { AwsClients } from '../../aws/clients';
import { digestReader } from '../../aws/digest-store';
import { policyStore } from '../../aws/policy-store';
import { matchesGlob } from '../../core/effective';
import { REPORT_FORMATS, renderCsv, renderJson, renderMarkdown } from '../../core/report/render';
import { renderHtml } from '../../core/report/render-html';
import {
  type AccountReport,
  buildReport,
  type GuardIdentity,
  type PolicyVersionAuthor,
} from '../../core/report/summary';
import { type ReportVerification, reportVerification } from '../../core/report/verification';
import type { CheckResult } from '../../core/result';
import { verifyRecords } from '../../guard/seal';
import type { DigestReaderPort } from '../../seal-ports';
import { auditConfig, parseAccount } from '../audit';
import { awsClients } from '../aws-clients';
import { accountCoverage, withCoverage } from '../coverage';
import { CliError, describeError } from '../errors';
import type { CliIo } from '../io';
import { type Period, parseClusterGlob, parseInterval, parsePeriod } from '../period';
import { printPdf } from './pdf';

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

/** The formats of the report: the core's text forms, and the HTML printed to PDF. */
export const CLI_REPORT_FORMATS = [...REPORT_FORMATS, 'pdf'] as const;
export type CliReportFormat = (typeof CLI_REPORT_FORMATS)[number];

/** How far before the period the records are read, to find windows that were already open. */
export const LOOKBACK_DAYS = 90;
const DAY_MS = 86_400_000;
const ALL = 10_000_000;
export const DEFAULT_SWEEP_INTERVAL = '1h';

export async function reportCommand(options: ReportOptions, io: CliIo, env = process.env): Promise<void> {
  const now = new Date();
  const format = parseFormat(options.format ?? (options.out ? formatOfFile(options.out) : 'md'));
  if (format === 'pdf' && !options.out) {
    throw new CliError('--format pdf writes a file: give --out, e.g. --out exposure.pdf');
  }
  const period = parsePeriod(options, now);
  const cluster = options.cluster === undefined ? undefined : parseClusterGlob(options.cluster);
  const account = parseAccount(options.account);
  const sweepIntervalSeconds = parseInterval(
    '--sweep-interval',
    options.sweepInterval ?? DEFAULT_SWEEP_INTERVAL,
  );
  const { tableName, region: tableRegion } = auditConfig(env);
  const clients = awsClients(tableRegion);
  // The organisation's central table holds every account: --account then selects one (DESIGN §12).
  const central = account !== undefined && (await isCentralTable(clients.dynamodb, tableName));
  if (options.memberRegion !== undefined && !central) {
    throw new CliError('--member-region: only with --account, on the central audit table');
  }
  const region = central ? (options.memberRegion ?? tableRegion) : tableRegion;
  const store = auditStore(
    clients.dynamodb,
    tableName,
    tableRegion,
    0,
    undefined,
    central ? { account } : {},
  );
  // A member's own table is sealed; the central table is a copy the members' digests do not cover.
  const seal = central ? undefined : auditSeal(clients.dynamodb, tableName, region);
  const bucket = env.DIGEST_BUCKET_NAME;

  const report = await auditReport(store, region, period, now, {
    sweepIntervalSeconds,
    ...(cluster ? { cluster } : {}),
    ...(options.account ? { account: options.account } : {}),
    guard: guardIdentity(env),
    ...(seal ? { seal } : {}),
    ...(seal && bucket ? { digests: digestReader(clients.s3, bucket) } : {}),
    ...(central ? { notVerified: 'the central table is a copy; verify each member account-region' } : {}),
    policyVersions: () => policyAuthors(env, clients.ssm),
  });
  // On the central table the account's coverage goes with it: every account-region that should report.
  const coverage =
    central && account ? await accountCoverage(clients.dynamodb, tableName, account, now) : undefined;
  const covered = (text: string, as: Exclude<CliReportFormat, 'pdf'>) =>
    coverage && account ? withCoverage(text, as, account, coverage) : text;
  if (format === 'pdf') {
    const out = options.out as string;
    await printPdf(covered(renderHtml(report), 'html'), out, report, env);
    io.err(`report written to ${out} (pdf, ${report.clusters.length} cluster(s))\n`);
    return;
  }
  const text = covered(renderReport(report, format), format);
  if (options.out) {
    writeFileSync(options.out, text);
    io.err(`report written to ${options.out} (${format}, ${report.clusters.length} cluster(s))\n`);
  } else {
    io.out(text);
  }
}

export interface AuditReportOptions {
  sweepIntervalSeconds?: number;
  cluster?: string;
  account?: string;
  guard?: GuardIdentity;
  /** The table's sealing view: its first sweep gives the guard's coverage. */
  seal?: AuditSeal;
  /** The digest bucket: the records read are verified against it. */
  digests?: DigestReaderPort;
  /** Why the records are not verified, when that is known beforehand. */
  notVerified?: string;
  /** Who published each policy version (best effort: an unreadable history names nobody). */
  policyVersions?: () => Promise<PolicyVersionAuthor[]>;
}

/** Reads what the report needs from the audit table and builds it. */
export async function auditReport(
  store: AuditStore,
  region: string,
  period: Period,
  now: Date,
  options: AuditReportOptions = {},
): Promise<AccountReport> {
  const until = new Date(Math.min(period.until.getTime(), now.getTime()));
  const [inPeriod, markers, sweeps, firstSweep] = await Promise.all([
    store.query({ since: period.since, until, limit: ALL }),
    store.markers(region),
    store.sweeps(region, period.since, until),
    options.seal?.firstSweepAt(),
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
  const verification = await verificationOf(options, region, now, lookback);
  const policyVersions = await (options.policyVersions?.() ?? Promise.resolve([]));
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
    guard: options.guard ?? { version: packageJson.version },
    ...(firstSweep ? { coverageStart: firstSweep } : {}),
    ...(verification ? { verification } : {}),
    policyVersions,
  });
}

/** The records the report read, checked against their digests (audit verify, from the lookback on). */
async function verificationOf(
  options: AuditReportOptions,
  region: string,
  now: Date,
  since: Date,
): Promise<ReportVerification | undefined> {
  if (options.notVerified) return { status: 'not-verified', reason: options.notVerified };
  if (!options.digests || !options.seal) return undefined;
  try {
    return reportVerification(await verifyRecords(options.digests, options.seal, region, now, since), now);
  } catch (error) {
    return { status: 'not-verified', reason: `the digests could not be read (${describeError(error)})` };
  }
}

/** The guard the report is of: the stack's version output (--stack), else this command's version. */
export function guardIdentity(env: NodeJS.ProcessEnv): GuardIdentity {
  return {
    version: env.GUARD_VERSION || packageJson.version,
    ...(env.GUARD_STACK_NAME ? { stack: env.GUARD_STACK_NAME } : {}),
  };
}

async function policyAuthors(env: NodeJS.ProcessEnv, ssm: AwsClients['ssm']): Promise<PolicyVersionAuthor[]> {
  const name = env.POLICY_PARAMETER_NAME;
  if (!name) return [];
  try {
    const history = await policyStore(ssm, name, 0).history(100);
    return history.map((v) => ({
      version: v.version,
      ...(v.modifiedBy ? { modifiedBy: v.modifiedBy } : {}),
    }));
  } catch {
    // Who published a version is a courtesy: without the history the report names no approver.
    return [];
  }
}

export function renderReport(report: AccountReport, format: Exclude<CliReportFormat, 'pdf'>): string {
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
  options: AuditReportOptions = {},
): Promise<AccountReport> {
  const report = await auditReport(store, region, { since, until: now }, now, options);
  writeFileSync(path, renderHtml(report));
  return report;
}

function parseFormat(text: string): CliReportFormat {
  const value = text.trim().toLowerCase();
  if ((CLI_REPORT_FORMATS as readonly string[]).includes(value)) return value as CliReportFormat;
  throw new CliError(`--format "${text}": expected one of ${CLI_REPORT_FORMATS.join(', ')}`);
}

/** `--out report.html` without --format: the file's extension says which. */
function formatOfFile(path: string): string {
  const ext = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase();
  if (ext === 'htm') return 'html';
  if (ext === 'markdown') return 'md';
  return ext && (CLI_REPORT_FORMATS as readonly string[]).includes(ext) ? ext : 'md';
}
