/** Back-off for re-checks of a busy cluster: about 30 s, doubling, capped at 5 minutes. */
export const FIRST_DELAY_SECONDS = 30;
export const MAX_DELAY_SECONDS = 300;

export function backoffSeconds(attempt: number): number {
  return Math.min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** Math.max(0, Math.min(attempt, 16)));
}

/** The deadline a request already carries, or a new one `minutes` from now. */
export function deadlineOf(existing: string | undefined, now: Date, minutes: number): string {
  if (existing && !Number.isNaN(Date.parse(existing))) return existing;
  return new Date(now.getTime() + minutes * 60_000).toISOString();
}

export function isPastDeadline(deadline: string, now: Date): boolean {
  return now.getTime() >= Date.parse(deadline);
}
