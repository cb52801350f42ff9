/** What one member account-region does in a month. */
export interface Workload {
  clusters: number;
  sweepsPerMonth: number;
  /** Average sweep duration, seconds, at the function's memory. */
  sweepSeconds: number;
  /** Bytes of log per checked cluster (one decision line). */
  logBytesPerCheck: number;
  /** Write units per audit record (items of 1 to 2 KB). */
  writeUnitsPerRecord: number;
  /** Alerted decisions (sent to the central bus) per month. */
  alertsPerMonth: number;
  /**
   * Queued records that claim the guard's privileges and are proven before they are honoured: the
   * follow-ups of its updates (every 30 s until EKS is done), grace-period hops, queued alerts.
   */
  privilegedRecordsPerMonth: number;
}

export const DEFAULT_WORKLOAD: Workload = {
  clusters: 20,
  sweepsPerMonth: 24 * 30,
  sweepSeconds: 3,
  logBytesPerCheck: 1500,
  writeUnitsPerRecord: 2,
  alertsPerMonth: 10,
  privilegedRecordsPerMonth: 200,
};
