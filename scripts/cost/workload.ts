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
}

export const DEFAULT_WORKLOAD: Workload = {
  clusters: 20,
  sweepsPerMonth: 24 * 30,
  sweepSeconds: 3,
  logBytesPerCheck: 1500,
  writeUnitsPerRecord: 2,
  alertsPerMonth: 10,
};
