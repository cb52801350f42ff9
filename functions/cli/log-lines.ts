/**
 * How the command line shows the guard's Powertools logs: one line each. By default a person's
 * line (`eks-endpoint-guard: error: could not deliver the alert: ...`); with `--verbose` the same
 * line followed by the log's fields; with `--log-format json` the log itself as one JSON line.
 * The Lambda keeps Powertools' own JSON: only the CLI routes the console here (preamble.ts).
 */
export type LogFormat = 'text' | 'json';
export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json'];

interface LogSettings {
  format: LogFormat;
  verbose: boolean;
  /** Where the lines go: stderr unless the command line was given other streams. */
  write: (line: string) => void;
}

/**
 * One set of settings per process, on globalThis: the CLI bundle keeps the commands in a second
 * file (commands.ts), which has its own copy of this module but must see what main.ts configured.
 */
const SETTINGS = Symbol.for('eks-endpoint-guard/log-lines');
const shared = globalThis as typeof globalThis & { [SETTINGS]?: LogSettings };
shared[SETTINGS] ??= { format: 'text', verbose: false, write: (line) => process.stderr.write(line) };
const settings: LogSettings = shared[SETTINGS];

export function configureLogLines(changes: Partial<LogSettings>): void {
  Object.assign(settings, changes);
}

/** `--verbose`: every decision is logged, with its fields. */
export function verboseLogs(): boolean {
  return settings.verbose;
}

/** What console.log, .info, .warn, .error and .debug do in the CLI: one line on stderr. */
export function logLine(...args: unknown[]): void {
  const text = args.map((arg) => (typeof arg === 'string' ? arg : inspectable(arg))).join(' ');
  settings.write(`${renderLogLine(text, settings.format, settings.verbose)}\n`);
}

/** The fields every Powertools log carries, which a person's line leaves out. */
const ENVELOPE = new Set(['level', 'message', 'timestamp', 'service', 'sampling_rate', 'xray_trace_id']);
/** Shown right after the message, in its words; everything else is a detail. */
const EXPLAINED = new Set(['reason', 'error']);

/** One log text (Powertools' JSON, or anything else written to the console) as one line. */
export function renderLogLine(text: string, format: LogFormat, verbose: boolean): string {
  const log = powertoolsLog(text);
  if (!log) return oneLine(text);
  if (format === 'json') return JSON.stringify(log);
  const level = String(log.level).toLowerCase();
  const explanation = [log.reason, errorText(log.error)].filter((part) => typeof part === 'string' && part);
  let line = `eks-endpoint-guard: ${level}: ${String(log.message)}${explanation.map((e) => `: ${e}`).join('')}`;
  if (verbose) {
    const details = Object.entries(log)
      .filter(([key]) => !ENVELOPE.has(key) && !EXPLAINED.has(key))
      .flatMap(([key, value]) => flatten(key, value));
    if (details.length > 0) line += ` (${details.join(', ')})`;
  }
  return oneLine(line);
}

function powertoolsLog(text: string): Record<string, unknown> | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && 'level' in value && 'message' in value) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Not a log of ours: shown as it is.
  }
  return undefined;
}

/** Powertools writes an error as `{ name, message, stack, cause }`: its name and message, never the stack. */
function errorText(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return typeof error === 'string' ? error : undefined;
  const { name, message } = error as { name?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  return typeof name === 'string' && name !== 'Error' && !text.includes(name) ? `${name}: ${text}` : text;
}

/** `trigger.source=sweep`, one `key=value` per leaf. */
function flatten(key: string, value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flatten(`${key}.${k}`, v));
  }
  return [`${key}=${Array.isArray(value) ? value.join(',') : String(value)}`];
}

function inspectable(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Line breaks and runs of white space folded, so that one log is one line. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trimEnd();
}
