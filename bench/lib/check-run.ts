/** What a run of the sweep child in `check` mode reports (bench/child/sweep.ts). */
export interface CheckRun {
  wallMs: number;
  /** Results the command printed: every cluster must be reported. */
  results: number;
  outputBytes: number;
  /** RSS after loading, before the command. */
  rssBeforeKib: number;
  maxRssKib: number;
  heapUsedKib: number;
  cpuMs: number;
  motoCpuMs: number;
}

/** The CLI's own defaults for a command-line run (its preamble): warnings only, no metrics. */
export const CLI_ENV = { POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'true' };
