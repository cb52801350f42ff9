/** Bad input on the command line or in a file the user named: the message says what and where. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/** An error met while doing something the message should name (invoke: deciding on a cluster). */
export class ErrorInContext extends Error {
  override readonly name = 'ErrorInContext';
  constructor(
    readonly context: string,
    cause: unknown,
  ) {
    super(`${context}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export const PROGRAM = 'eks-endpoint-guard';

/** Collapses whitespace and line breaks: an error message must fit one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
