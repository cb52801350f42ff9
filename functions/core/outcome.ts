/** The outcome vocabulary shared by audit records, logs, metrics and alerts (DESIGN §4). */
export const OUTCOMES = [
  'compliant',
  'remediated',
  'would-remediate',
  'deferred',
  'exempt',
  'blocked',
  'ignored',
  'failed',
] as const;

export type Outcome = (typeof OUTCOMES)[number];

export function isOutcome(value: unknown): value is Outcome {
  return typeof value === 'string' && (OUTCOMES as readonly string[]).includes(value);
}

/** Alerts carry a severity so that subscription filter policies can route them. */
export type Severity = 'info' | 'warning' | 'critical';
