/** What the adapters need to read SDK errors; the errors they raise in the guard's own terms are in ports.ts. */

/** The name of an AWS SDK error, or undefined for anything else. */
export function awsErrorName(error: unknown): string | undefined {
  if (error instanceof Error && typeof error.name === 'string') return error.name;
  return undefined;
}
