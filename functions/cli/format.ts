import type { Trigger } from '../core/check-request';
import { describeEndpointConfig, sameEndpointConfig } from '../core/endpoint';
import { OUTCOMES } from '../core/outcome';
import { csv } from '../core/report/render';
import type { CheckResult } from '../core/result';

export interface Column {
  header: string;
  /** Minimum width; a streamed table pads to it since later rows are not known yet. */
  width?: number;
}

/**
 * Pads cells to aligned columns separated by two spaces; the last column is never padded.
 * `decorate` styles a padded cell (colour codes must not count towards the width).
 */
export function tableRow(
  cells: string[],
  widths: number[],
  decorate: (index: number, padded: string) => string = (_, padded) => padded,
): string {
  return cells
    .map((cell, index) =>
      decorate(index, index === cells.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)),
    )
    .join('  ')
    .trimEnd();
}

/** A whole table at once: every column as wide as its widest cell. */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, index) =>
    Math.max(header.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  return [tableRow(headers, widths), ...rows.map((row) => tableRow(row, widths))]
    .map((l) => `${l}\n`)
    .join('');
}

/**
 * One CSV record (RFC 4180, CRLF) written by the CSV library: fields with a comma, quote or line
 * break are quoted, quotes doubled, and spreadsheet formulas neutralised (a field starting with
 * `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`).
 */
export function csvRecord(fields: string[]): string {
  return csv([fields]);
}

/** `before → after`, or the configuration seen when nothing would change. */
export function changeOf(result: Pick<CheckResult, 'before' | 'after'>): string {
  const { before, after } = result;
  if (before && after && !sameEndpointConfig(before, after)) {
    return `${describeEndpointConfig(before)} → ${describeEndpointConfig(after)}`;
  }
  if (before) return describeEndpointConfig(before);
  if (after) return `→ ${describeEndpointConfig(after)}`;
  return '-';
}

/** `UpdateClusterConfig by assumed-role/PlatformAdmin/jdoe`, `sweep`, `check` ... */
export function triggerOf(trigger: Trigger | undefined): string {
  if (!trigger) return '-';
  const what = trigger.eventName ?? (trigger.source === 'cli' ? 'check' : trigger.source);
  if (trigger.byGuard) return `${what} by the guard`;
  const actor = shortArn(trigger.actorArn);
  return actor ? `${what} by ${actor}` : what;
}

/** Drops the `arn:partition:service:region:account:` prefix, which says little in a table. */
export function shortArn(arn: string | undefined): string | undefined {
  if (!arn) return undefined;
  const match = /^arn:[^:]+:[^:]*:[^:]*:[^:]*:(.+)$/.exec(arn);
  return match?.[1] ?? arn;
}

/** `2025-06-03 10:17:03Z` */
export function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export const RESULT_COLUMNS: Column[] = [
  { header: 'CLUSTER', width: 20 },
  { header: 'OUTCOME', width: 15 },
  { header: 'CHANGE', width: 44 },
  { header: 'REASON' },
];

export function resultCells(result: CheckResult): string[] {
  return [result.cluster, result.outcome, changeOf(result), result.reason];
}

export const AUDIT_HEADERS = ['TIME', 'CLUSTER', 'OUTCOME', 'TRIGGER', 'CHANGE', 'REASON'];

export function auditCells(result: CheckResult): string[] {
  return [
    shortTime(result.time),
    result.cluster,
    result.outcome,
    triggerOf(result.trigger),
    changeOf(result),
    result.reason,
  ];
}

export const AUDIT_CSV_HEADERS = [
  'time',
  'cluster',
  'region',
  'account',
  'outcome',
  'trigger',
  'eventId',
  'eventTime',
  'actor',
  'actorSource',
  'sourceIp',
  'userAgent',
  'correlationId',
  'policyVersion',
  'policyDigest',
  'before',
  'after',
  'updateId',
  'updateStatus',
  'finalStatus',
  'reason',
];

/**
 * One audit record as CSV fields. `finalStatus` is the update's last known status: the latest
 * record of the same update id among those being written (`finalStatusOf`), else its own.
 */
export function auditCsvFields(result: CheckResult, finalStatus?: ReadonlyMap<string, string>): string[] {
  const trigger = result.trigger;
  return [
    result.time,
    result.cluster,
    result.region,
    result.account ?? '',
    result.outcome,
    trigger?.eventName ?? trigger?.source ?? '',
    trigger?.eventId ?? '',
    trigger?.source === 'event' || trigger?.actorSource === 'lookup' ? (trigger.eventTime ?? '') : '',
    trigger?.actorArn ?? '',
    trigger?.actorArn ? (trigger.actorSource ?? 'event') : '',
    trigger?.sourceIp ?? '',
    trigger?.userAgent ?? '',
    result.correlationId ?? '',
    result.policy ? String(result.policy.version) : '',
    result.policy?.digest ?? '',
    result.before ? describeEndpointConfig(result.before) : '',
    result.after ? describeEndpointConfig(result.after) : '',
    result.updateId ?? '',
    result.updateStatus ?? '',
    (result.updateId && finalStatus?.get(result.updateId)) || result.updateStatus || '',
    result.reason,
  ];
}

/** Each update id's status in its newest record (records newest first, as the trail is read). */
export function finalStatusOf(records: readonly CheckResult[]): Map<string, string> {
  const statuses = new Map<string, string>();
  for (const r of records) {
    if (r.updateId && r.updateStatus && !statuses.has(r.updateId)) statuses.set(r.updateId, r.updateStatus);
  }
  return statuses;
}

/** `5 clusters: 2 remediated, 1 compliant, 1 exempt, 1 blocked` (outcomes in their canonical order). */
export function summaryLine(counts: ReadonlyMap<string, number>, noun = 'cluster'): string {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const parts = OUTCOMES.filter((o) => (counts.get(o) ?? 0) > 0).map((o) => `${counts.get(o)} ${o}`);
  const head = `${total} ${noun}${total === 1 ? '' : 's'}`;
  return parts.length > 0 ? `${head}: ${parts.join(', ')}` : head;
}

/** Counts outcomes as results stream past. */
export class OutcomeCounter {
  readonly counts = new Map<string, number>();
  add(result: Pick<CheckResult, 'outcome'>): void {
    this.counts.set(result.outcome, (this.counts.get(result.outcome) ?? 0) + 1);
  }
}

/**
 * Writes a JSON array element by element, so results reach a reader as they are decided; `close`
 * always leaves a complete array (also after an error part way).
 */
export class JsonArrayWriter {
  private count = 0;
  private closed = false;
  constructor(private readonly write: (text: string) => void) {}

  push(value: unknown): void {
    if (this.closed) throw new Error('the JSON array is already closed');
    const body = JSON.stringify(value, null, 2).replace(/\n/g, '\n  ');
    this.write(`${this.count > 0 ? ',\n' : '[\n'}  ${body}`);
    this.count += 1;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.write(this.count > 0 ? '\n]\n' : '[]\n');
  }

  get length(): number {
    return this.count;
  }
}
