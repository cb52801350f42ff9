import type { CoverageRow } from '../central-coverage';
import { escapeHtml, escapeMarkdown } from './text';

/**
 * The coverage of one account as `report --account` and `audit --account` show it on the central
 * table (DESIGN §15): every account-region the member StackSet deploys to, whether it reports, and
 * its last heartbeat.
 */
const HEADERS = ['region', 'state', 'last heartbeat', 'note'];

function cells(row: CoverageRow): string[] {
  return [row.region, row.state, row.lastSweepAt ?? 'never', row.note];
}

/** What to say when the central table knows no account-region of the account. */
export function noCoverage(account: string): string {
  return `no account-region of account ${account} is expected to report or has reported (is the account in one of the StackSet's organisational units, and the watchdog running?)`;
}

export function coverageMarkdown(account: string, rows: readonly CoverageRow[]): string {
  const lines = [`## Coverage of account ${account}`, ''];
  if (rows.length === 0) return `${[...lines, escapeMarkdown(noCoverage(account))].join('\n')}\n`;
  lines.push(`| ${HEADERS.join(' | ')} |`, `|${HEADERS.map(() => '---').join('|')}|`);
  for (const row of rows) lines.push(`| ${cells(row).map(escapeMarkdown).join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}

export function coverageHtml(account: string, rows: readonly CoverageRow[]): string {
  const body =
    rows.length === 0
      ? `<p>${escapeHtml(noCoverage(account))}</p>`
      : `<table><thead><tr>${HEADERS.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
          .map(
            (row) =>
              `<tr>${cells(row)
                .map((c) => `<td>${escapeHtml(c)}</td>`)
                .join('')}</tr>`,
          )
          .join('')}</tbody></table>`;
  return `<section id="coverage"><h2>Coverage of account ${escapeHtml(account)}</h2>${body}</section>`;
}

/** The rows as the CLI's text table takes them. */
export function coverageCells(rows: readonly CoverageRow[]): { headers: string[]; rows: string[][] } {
  return { headers: HEADERS, rows: rows.map(cells) };
}
