import { isKnownCutOff } from './clients/types';
import { cutOffClause } from './clients/words';
import type { CheckResult } from './result';

/**
 * The "why" a decision's reason starts with: each violation's reason, how the target was chosen
 * when that needs saying (the 40-block rule), and the active API clients the target cuts off when
 * the audit log named any. "Unknown" and "none" stay out of the one-line reason: the record's
 * clientsCutOff and every alert form say them in full.
 */
export function whyOf(result: Pick<CheckResult, 'violations' | 'targetNote' | 'clientsCutOff'>): string {
  const cutOff = result.clientsCutOff;
  const named = isKnownCutOff(cutOff) && cutOff.clients.length > 0 ? cutOffClause(cutOff) : undefined;
  return [...(result.violations ?? []).map((v) => v.reason), result.targetNote, named]
    .filter((part): part is string => Boolean(part))
    .join('; ');
}
