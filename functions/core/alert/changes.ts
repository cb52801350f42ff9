import { cidrSummary } from './derive';

// ---- what changed between two configurations: one copy, in derive.ts ----

export { changesOf } from './derive';
export type { Change } from './fact-types';

/** `a, b` or, when long, `a +3 more`. */
export function cidrList(cidrs: readonly string[]): string {
  return cidrSummary(cidrs, (n) => `+${n} more`);
}
