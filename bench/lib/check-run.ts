/** What a run of the sweep child in `check` mode reports (bench/child/sweep.ts). */
export interface CheckRun {
  wallMs: number;
  /** Results the command printed: every cluster must be reported. */
  results: number;
  outputBytes: number;
  /** RSS after loading, before the command. */
  rssBeforeKib: number;
  /** Highest RSS sampled (every 20 ms) while the command ran. */
  peakDuringKib: number;
  maxRssKib: number;
  /** Heap in use at the end, before collecting garbage. */
  heapUsedKib: number;
  /** Heap in use after the command and a full garbage collection; and before the command (after one). */
  retainedHeapKib: number;
  heapBeforeKib: number;
  cpuMs: number;
  motoCpuMs: number;
  /** With `outcomes`: distinct clusters in the output, and results per outcome. */
  clusters?: number;
  outcomes?: Record<string, number>;
}

/** Node options of the check child: --expose-gc, so that it can measure what it retains. */
export const CHECK_NODE_ARGS = ['--expose-gc'];

/** The CLI's own defaults for a command-line run (its preamble): warnings only, no metrics. */
export const CLI_ENV = { POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'true' };
