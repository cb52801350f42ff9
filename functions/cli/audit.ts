import { auditStore, isCentralTable } from '../aws/audit-store';
import { matchesGlob } from '../core/effective';
import type { Outcome } from '../core/outcome';
import type { CheckResult } from '../core/result';
import { ConfigError } from '../wiring/config';
import { awsClients } from './aws-clients';
import { accountCoverage, coverageText } from './coverage';
import { CliError } from './errors';
import {
  AUDIT_CSV_HEADERS,
  AUDIT_HEADERS,
  auditCells,
  auditCsvFields,
  csvRecord,
  finalStatusOf,
  JsonArrayWriter,
  renderTable,
} from './format';
import type { CliIo } from './io';
import { parsePeriod } from './period';

export interface AuditOptions {
  /** A name or a glob (`*`, `?`). */
  cluster?: string;
  since?: string;
  until?: string;
  /** Substring of the actor's ARN. */
  actor?: string;
  changesOnly?: boolean;
  outcome?: Outcome | Outcome[];
  /** Only this account's records: for the organisation's central table (any region of the account). */
  account?: string;
  limit?: number;
  json?: boolean;
  csv?: boolean;
}

export const DEFAULT_SINCE = '7d';
export const DEFAULT_LIMIT = 100;

/** `--changes-only`: decisions that changed or would change a cluster, or that people were told about. */
export const CHANGE_OUTCOMES: readonly Outcome[] = [
  'remediated',
  'would-remediate',
  'blocked',
  'exempt',
  'failed',
];

export async function auditCommand(options: AuditOptions, io: CliIo, env = process.env): Promise<void> {
  if (options.json && options.csv) throw new CliError('--json and --csv cannot be used together');
  const now = new Date();
  const { since, until } = parsePeriod(
    {
      since: options.since ?? DEFAULT_SINCE,
      ...(options.until !== undefined ? { until: options.until } : {}),
    },
    now,
  );
  const account = parseAccount(options.account);
  const { tableName, region } = auditConfig(env);
  // The table is all the audit trail needs: no other SDK client is created.
  const { dynamodb } = awsClients(region);
  const store = auditStore(dynamodb, tableName, region, 0, undefined, account ? { account } : {});
  const outcomes = [options.outcome ?? []].flat();
  const glob = options.cluster && /[*?]/.test(options.cluster) ? options.cluster : undefined;
  const exact = options.cluster && !glob ? options.cluster : undefined;
  const filter = recordFilter(options, outcomes, glob);
  const records = await store.query({
    since,
    ...(options.until !== undefined ? { until } : {}),
    limit: options.limit ?? DEFAULT_LIMIT,
    ...(exact ? { cluster: exact } : {}),
    // One outcome and no cluster: its index is the cheapest read.
    ...(outcomes.length === 1 && !exact ? { outcome: outcomes[0] } : {}),
    ...(filter ? { filter } : {}),
  });

  if (options.json) {
    const writer = new JsonArrayWriter(io.out);
    for (const record of records) writer.push(record);
    writer.close();
    return;
  }
  if (options.csv) {
    const finals = finalStatusOf(records);
    io.out(csvRecord(AUDIT_CSV_HEADERS));
    for (const record of records) io.out(csvRecord(auditCsvFields(record, finals)));
    return;
  }
  if (records.length === 0) {
    io.out(`no audit records since ${since.toISOString()}${filters(options, outcomes)}\n`);
  } else {
    const [header = '', ...rows] = renderTable(AUDIT_HEADERS, records.map(auditCells)).split('\n');
    io.out(`${io.style.bold(header)}\n${rows.join('\n')}`);
    const more =
      records.length === (options.limit ?? DEFAULT_LIMIT) ? ' (limit reached: use --limit or --since)' : '';
    io.out(
      `\n${records.length} record${records.length === 1 ? '' : 's'} since ${since.toISOString()}${more}\n`,
    );
  }
  // On the organisation's central table: which account-regions of the account report, and when last.
  if (account && (await isCentralTable(dynamodb, tableName))) {
    io.out(coverageText(account, await accountCoverage(dynamodb, tableName, account, now)));
  }
}

/** The filters DynamoDB cannot apply by key, as one predicate; undefined when there are none. */
export function recordFilter(
  options: Pick<AuditOptions, 'actor' | 'changesOnly'>,
  outcomes: readonly Outcome[],
  glob: string | undefined,
): ((record: CheckResult) => boolean) | undefined {
  const tests: ((record: CheckResult) => boolean)[] = [];
  if (glob) tests.push((r) => matchesGlob(r.cluster, glob));
  if (outcomes.length > 0) tests.push((r) => outcomes.includes(r.outcome));
  if (options.changesOnly) tests.push((r) => CHANGE_OUTCOMES.includes(r.outcome));
  const actor = options.actor;
  if (actor) tests.push((r) => (r.trigger?.actorArn ?? '').includes(actor));
  return tests.length === 0 ? undefined : (r) => tests.every((t) => t(r));
}

/** The audit trail needs only the table and the region, not the whole guard configuration. */
export function auditConfig(env: NodeJS.ProcessEnv): { tableName: string; region: string } {
  const tableName = env.AUDIT_TABLE_NAME;
  if (!tableName) throw new ConfigError('environment variable AUDIT_TABLE_NAME is not set');
  const region = env.AWS_REGION;
  if (!region) throw new ConfigError('environment variable AWS_REGION is not set');
  return { tableName, region };
}

/** `--account`: a 12-digit account id, or undefined. */
export function parseAccount(account: string | undefined): string | undefined {
  if (account !== undefined && !/^\d{12}$/.test(account)) {
    throw new CliError(`--account "${account}": expected a 12-digit AWS account id`);
  }
  return account;
}

function filters(options: AuditOptions, outcomes: readonly Outcome[]): string {
  const parts = [
    options.account ? `account ${options.account}` : '',
    options.cluster ? `cluster ${options.cluster}` : '',
    outcomes.length > 0 ? `outcome ${outcomes.join(' or ')}` : '',
    options.actor ? `actor *${options.actor}*` : '',
    options.changesOnly ? 'changes only' : '',
  ].filter(Boolean);
  return parts.length > 0 ? ` for ${parts.join(', ')}` : '';
}
