/** Errors the adapters raise in the guard's own terms, so that core code never sees SDK types. */

/** EKS refused an update because another one is running (ResourceInUseException). */
export class ClusterBusyError extends Error {
  override readonly name = 'ClusterBusyError';
}

/** EKS says the cluster already has the requested endpoint configuration. */
export class AlreadyAtTargetError extends Error {
  override readonly name = 'AlreadyAtTargetError';
}

/**
 * EKS refused the update's parameters for a reason other than "already at the desired
 * configuration" (InvalidParameterException): asking again with the same parameters cannot help.
 */
export class UpdateRejectedError extends Error {
  override readonly name = 'UpdateRejectedError';
  constructor(
    /** EKS's own message, as it gave it. */
    readonly eksMessage: string,
    options?: { cause?: unknown },
  ) {
    super(`EKS rejected the update: ${eksMessage}`, options);
  }
}

/** The name of an AWS SDK error, or undefined for anything else. */
export function awsErrorName(error: unknown): string | undefined {
  if (error instanceof Error && typeof error.name === 'string') return error.name;
  return undefined;
}
