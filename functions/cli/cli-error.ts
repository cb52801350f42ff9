/** Bad input on the command line or in a file the user named: the message says what and where. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

export const PROGRAM = 'eks-endpoint-guard';

/** Collapses whitespace and line breaks: an error message must fit one line. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
