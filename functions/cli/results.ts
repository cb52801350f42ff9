import type { CheckResult } from '../core/result';
import {
  JsonArrayWriter,
  OutcomeCounter,
  RESULT_COLUMNS,
  resultCells,
  summaryLine,
  tableRow,
} from './format';
import { type CliIo, Progress } from './io';

const OUTCOME_COLUMN = 1;

/**
 * Prints check results as they arrive: table rows (header first, summary last) or JSON array
 * elements. Nothing is held beyond the counts.
 */
export class ResultPrinter {
  private readonly counter = new OutcomeCounter();
  private readonly json: JsonArrayWriter | undefined;
  private readonly progress: Progress;
  private headerDone = false;
  private readonly widths = RESULT_COLUMNS.map((c) => c.width ?? 0);

  constructor(
    private readonly io: CliIo,
    asJson: boolean,
    private readonly noun = 'cluster',
  ) {
    this.json = asJson ? new JsonArrayWriter(io.out) : undefined;
    this.progress = new Progress(io);
  }

  add(result: CheckResult): void {
    this.counter.add(result);
    this.progress.clear();
    if (this.json) {
      this.json.push(result);
    } else {
      this.header();
      this.io.out(
        `${tableRow(resultCells(result), this.widths, (index, padded) =>
          index === OUTCOME_COLUMN ? this.io.style.outcome(result.outcome, padded) : padded,
        )}\n`,
      );
    }
  }

  /** Progress on an interactive stderr only. */
  working(text: string): void {
    this.progress.update(text);
  }

  /**
   * Ends the output: closes the JSON array, or prints the summary line. After an error (`failed`)
   * there is no summary: the error line says what happened, not "no clusters".
   */
  finish(failed = false): void {
    this.progress.clear();
    if (this.json) {
      this.json.close();
      return;
    }
    if (failed) return;
    if (this.counter.counts.size === 0) {
      this.io.out(`no ${this.noun}s\n`);
      return;
    }
    this.io.out(`\n${summaryLine(this.counter.counts, this.noun)}\n`);
  }

  get count(): number {
    return [...this.counter.counts.values()].reduce((a, b) => a + b, 0);
  }

  private header(): void {
    if (this.headerDone) return;
    this.headerDone = true;
    this.io.out(
      `${this.io.style.bold(
        tableRow(
          RESULT_COLUMNS.map((c) => c.header),
          this.widths,
        ),
      )}\n`,
    );
  }
}
