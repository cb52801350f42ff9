import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { centralStore } from '../aws/central-store';
import type { ClientSource } from '../aws/clients';
import { type CoverageRow, coverageOf } from '../core/central-coverage';
import { coverageCells, coverageHtml, coverageMarkdown, noCoverage } from '../core/report/coverage';
import type { ReportFormat } from '../core/report/render';
import { renderTable } from './format';

/** The coverage of `account` from the organisation's central table: expected account-regions and heartbeats. */
export async function accountCoverage(
  client: ClientSource<DynamoDBClient>,
  tableName: string,
  account: string,
  now: Date,
): Promise<CoverageRow[]> {
  return coverageOf(account, await centralStore(client, tableName).coverage(), now);
}

/** The report with the account's coverage in it: a section (md, html) or a field (json); csv stays one table. */
export function withCoverage(
  text: string,
  format: ReportFormat,
  account: string,
  rows: CoverageRow[],
): string {
  switch (format) {
    case 'md':
      return `${text.trimEnd()}\n\n${coverageMarkdown(account, rows)}`;
    case 'json':
      return `${JSON.stringify({ ...JSON.parse(text), coverage: rows }, null, 2)}\n`;
    case 'html': {
      const at = text.lastIndexOf('</body>');
      return at < 0 ? text : `${text.slice(0, at)}${coverageHtml(account, rows)}\n${text.slice(at)}`;
    }
    case 'csv':
      return text;
  }
}

/** The coverage as the text `audit --account` prints after the records. */
export function coverageText(account: string, rows: CoverageRow[]): string {
  if (rows.length === 0) return `\n${noCoverage(account)}\n`;
  const table = coverageCells(rows);
  return `\nCoverage of account ${account}:\n${renderTable(table.headers, table.rows)}`;
}
