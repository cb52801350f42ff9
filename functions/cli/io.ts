/** Where a command writes: stdout for its output only, stderr for progress and notes. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Progress lines are drawn only on an interactive stderr. */
  readonly errIsTty: boolean;
  readonly style: Style;
  /** What `invoke -` reads: the process's standard input unless given. */
  readonly stdin?: NodeJS.ReadableStream;
}

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  outcome(outcome: string, text?: string): string;
}

const plain: Style = { bold: (t) => t, dim: (t) => t, outcome: (_o, t) => t ?? _o };

const ansi = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const OUTCOME_COLOURS: Record<string, (text: string) => string> = {
  compliant: ansi(32, 39),
  remediated: ansi(36, 39),
  'would-remediate': ansi(33, 39),
  deferred: ansi(34, 39),
  exempt: ansi(35, 39),
  blocked: ansi(31, 39),
  ignored: ansi(2, 22),
  failed: ansi(31, 39),
};
const coloured: Style = {
  bold: ansi(1, 22),
  dim: ansi(2, 22),
  outcome: (outcome, text) => (OUTCOME_COLOURS[outcome] ?? ((t: string) => t))(text ?? outcome),
};

/** Colours only on an interactive stdout, and never with NO_COLOR set. */
export function processIo(): CliIo {
  const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    errIsTty: Boolean(process.stderr.isTTY),
    style: colour ? coloured : plain,
  };
}

/** A one-line counter on an interactive stderr, cleared before each line of real output. */
export class Progress {
  private shown = false;
  constructor(private readonly io: CliIo) {}

  update(text: string): void {
    if (!this.io.errIsTty) return;
    this.io.err(`\r\x1b[K${text}`);
    this.shown = true;
  }

  clear(): void {
    if (!this.shown) return;
    this.io.err('\r\x1b[K');
    this.shown = false;
  }
}
