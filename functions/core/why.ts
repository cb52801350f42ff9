import { cutOffClause } from './clients/words';
import type { CheckResult } from './result';

/**
 * The "why" a decision's reason starts with: each violation's reason, how the target was chosen
 * when that needs saying (the 40-block rule), and whom the target cuts off when that was looked up.
 */
export function whyOf(result: Pick<CheckResult, 'violations' | 'targetNote' | 'clientsCutOff'>): string {
  return [
    ...(result.violations ?? []).map((v) => v.reason),
    result.targetNote,
    result.clientsCutOff && cutOffClause(result.clientsCutOff),
  ]
    .filter((part): part is string => Boolean(part))
    .join('; ');
}
