import { type Finding, type LintResult, lintPolicy } from '../../../core/policy/lint';
import type { Policy } from '../../../core/policy/policy';
import { CliError } from '../../cli-error';
import { EXIT_ERROR, EXIT_OK } from '../../exit-codes';
import { readTextInput } from '../../input';
import type { CliIo } from '../../io';

export interface ValidateOptions {
  /** Warnings fail the run too. */
  strict?: boolean;
  json?: boolean;
}

export interface FileReport extends LintResult {
  file: string;
  /** The file could not be read at all. */
  unreadable?: string;
  text?: string;
}

/**
 * `policy validate FILE...`: offline (no AWS call, no SDK loaded). Every finding of every file,
 * `FILE:LINE:COLUMN: severity: path: message [rule]`, then one summary line. Resolves to the exit
 * code: 1 when a file is invalid (or, with --strict, has warnings).
 */
export async function validateCommand(
  files: string[],
  options: ValidateOptions,
  io: CliIo,
  now: Date = new Date(),
): Promise<number> {
  const reports: FileReport[] = [];
  for (const file of files) reports.push(await lintFile(file, io, now));

  if (options.json) {
    io.out(
      `${JSON.stringify(
        reports.map((r) => ({
          file: r.file,
          valid: isValid(r),
          findings: r.unreadable
            ? [{ severity: 'error', rule: 'read', line: 0, column: 0, message: r.unreadable }]
            : r.findings,
        })),
        null,
        2,
      )}\n`,
    );
  } else {
    for (const report of reports) {
      if (report.unreadable) io.out(`${report.file}: error: ${report.unreadable}\n`);
      for (const finding of report.findings) io.out(`${findingLine(report.file, finding)}\n`);
    }
    io.out(`${summary(reports)}\n`);
  }
  const failed = reports.some(
    (r) => !isValid(r) || (options.strict && r.findings.some((f) => f.severity === 'warning')),
  );
  return failed ? EXIT_ERROR : EXIT_OK;
}

export async function lintFile(file: string, io: CliIo, now: Date): Promise<FileReport> {
  let text: string;
  try {
    ({ text } = await readTextInput(file, io.stdin));
  } catch (error) {
    return {
      file,
      findings: [],
      unreadable: (error as Error).message.replace(/^cannot read [^:]*: /, 'cannot read: '),
    };
  }
  return { file: file === '-' ? 'standard input' : file, text, ...lintPolicy(text, now) };
}

export function isValid(report: FileReport): boolean {
  return !report.unreadable && !report.findings.some((f) => f.severity === 'error');
}

/** `policy.json:3:19: error: publicAccess: expected ... [schema]` */
export function findingLine(file: string, finding: Finding): string {
  const path = finding.path ? `${finding.path}: ` : '';
  return `${file}:${finding.line}:${finding.column}: ${finding.severity}: ${path}${finding.message} [${finding.rule}]`;
}

function summary(reports: FileReport[]): string {
  const count = (severity: string) =>
    reports.reduce((n, r) => n + r.findings.filter((f) => f.severity === severity).length, 0);
  const invalid = reports.filter((r) => !isValid(r)).length;
  const errors = count('error') + reports.filter((r) => r.unreadable).length;
  const warnings = count('warning');
  const files = `${reports.length} file${reports.length === 1 ? '' : 's'}`;
  const parts = [
    invalid > 0 ? `${invalid} invalid` : 'valid',
    `${errors} error${errors === 1 ? '' : 's'}`,
    `${warnings} warning${warnings === 1 ? '' : 's'}`,
  ];
  return `${files}: ${parts.join(', ')}`;
}

/** Reads and validates a candidate file: prints its findings; throws when it is invalid. */
export async function readCandidate(
  file: string,
  io: CliIo,
  now: Date,
): Promise<{ text: string; policy: Policy }> {
  const report = await lintFile(file, io, now);
  for (const finding of report.findings) io.err(`${findingLine(report.file, finding)}\n`);
  if (!isValid(report) || !report.policy) {
    throw new CliError(
      `${report.file}: ${report.unreadable ?? 'not a valid policy'} (see "policy validate")`,
    );
  }
  return { text: report.text ?? '', policy: report.policy };
}
