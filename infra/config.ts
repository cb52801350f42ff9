import * as path from 'node:path';

/** A property of the guard or a context value that cannot work: the message is one line. */
export class GuardConfigError extends Error {
  override readonly name = 'GuardConfigError';
}

export const DEFAULT_POLICY_FILE = path.join(__dirname, 'default-policy.json');
export const DEFAULT_SWEEP_SCHEDULE = 'rate(1 hour)';
export const DEFAULT_LOG_RETENTION_DAYS = 365;
export const DEFAULT_RECHECK_DEADLINE_MINUTES = 120;
