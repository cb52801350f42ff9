import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { auditStore } from '../aws/audit-store';
import { ConfigError } from '../config';
import type { Outcome } from '../core/outcome';
import { CliError, nameFailedCalls } from './errors';
import {
  AUDIT_CSV_HEADERS,
  AUDIT_HEADERS,
  auditCells,
  auditCsvFields,
  csvRecord,
  JsonArrayWriter,
  renderTable,
} from './format';
import type { CliIo } from './io';
import { parseSince } from './options';

export interface AuditOptions {
  cluster?: string;
  since?: string;
  outcome?: Outcome;
  limit?: number;
  json?: boolean;
  csv?: boolean;
}

export const DEFAULT_SINCE = '7d';
export const DEFAULT_LIMIT = 100;

export async function auditCommand(options: AuditOptions, io: CliIo, env = process.env): Promise<void> {
  if (options.json && options.csv) throw new CliError('--json and --csv cannot be used together');
  const since = parseSince(options.since ?? DEFAULT_SINCE, new Date());
  const { tableName, region } = auditConfig(env);
  // The table is all the audit trail needs: no other SDK client is loaded.
  const dynamodb = new DynamoDBClient({ region, maxAttempts: 5, retryMode: 'adaptive' });
  nameFailedCalls({ dynamodb });
  const store = auditStore(dynamodb, tableName, region, 0);
  const records = await store.query({
    since,
    limit: options.limit ?? DEFAULT_LIMIT,
    ...(options.cluster ? { cluster: options.cluster } : {}),
    ...(options.outcome ? { outcome: options.outcome } : {}),
  });

  if (options.json) {
    const writer = new JsonArrayWriter(io.out);
    for (const record of records) writer.push(record);
    writer.close();
    return;
  }
  if (options.csv) {
    io.out(csvRecord(AUDIT_CSV_HEADERS));
    for (const record of records) io.out(csvRecord(auditCsvFields(record)));
    return;
  }
  if (records.length === 0) {
    io.out(`no audit records since ${since.toISOString()}${filters(options)}\n`);
    return;
  }
  const [header = '', ...rows] = renderTable(AUDIT_HEADERS, records.map(auditCells)).split('\n');
  io.out(`${io.style.bold(header)}\n${rows.join('\n')}`);
  const more =
    records.length === (options.limit ?? DEFAULT_LIMIT) ? ' (limit reached: use --limit or --since)' : '';
  io.out(
    `\n${records.length} record${records.length === 1 ? '' : 's'} since ${since.toISOString()}${more}\n`,
  );
}

/** The audit trail needs only the table and the region, not the whole guard configuration. */
export function auditConfig(env: NodeJS.ProcessEnv): { tableName: string; region: string } {
  const tableName = env.AUDIT_TABLE_NAME;
  if (!tableName) throw new ConfigError('environment variable AUDIT_TABLE_NAME is not set');
  const region = env.AWS_REGION;
  if (!region) throw new ConfigError('environment variable AWS_REGION is not set');
  return { tableName, region };
}

function filters(options: AuditOptions): string {
  const parts = [
    options.cluster ? `cluster ${options.cluster}` : '',
    options.outcome ? `outcome ${options.outcome}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? ` for ${parts.join(', ')}` : '';
}
