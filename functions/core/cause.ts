/**
 * Why a decision failed, as facts each language phrases (alert/phrases-*.ts), beside the English
 * `reason` the records have always carried. Strings here came from outside the guard (EKS's
 * message, an AWS error, the part of an event that could not be read) and are shown as such.
 */
export type DecisionCause =
  /** EKS refused the endpoint update itself; nothing changed. */
  | { kind: 'eks-rejected'; message: string }
  /** The cluster stayed busy past the re-check deadline; nothing changed. */
  | { kind: 'deadline'; busy: Busy; attempts: number; deadline: string }
  /** An AWS call failed after its retries, so the cluster could not be checked. */
  | { kind: 'check-error'; error: string }
  /** The trigger could not be read, so there is no cluster to check. */
  | { kind: 'unreadable'; detail: string };

/** What kept the guard waiting. */
export type Busy =
  /** The cluster's own status: CREATING, UPDATING, PENDING. */
  | { kind: 'cluster'; status: string }
  /** EKS refused the update because another one was running. */
  | { kind: 'another-update' }
  /** The guard's own update, still in progress. */
  | { kind: 'update'; updateId: string; status: string };

/** The English words of a wait, as the records' reasons have always put them. */
export function busyEn(busy: Busy): string {
  if (busy.kind === 'cluster') return `cluster is ${busy.status}`;
  if (busy.kind === 'another-update') return 'another update is in progress';
  return `update ${busy.updateId} is ${busy.status}`;
}
