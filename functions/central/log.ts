import { CENTRAL_METRICS_NAMESPACE } from '../core/central';

/** One-line logs; metric lines are CloudWatch embedded metric format (no PutMetricData call). */
export type Log = (line: Record<string, unknown>) => void;
export const jsonLog: Log = (line) => console.log(JSON.stringify(line));

/** An embedded-metric-format line: `metrics` counted under `dimensions`, with `fields` beside them. */
export function metricLine(
  now: Date,
  metrics: Record<string, number>,
  fields: Record<string, unknown> = {},
  dimensions: string[] = [],
): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: now.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: CENTRAL_METRICS_NAMESPACE,
          Dimensions: [dimensions],
          Metrics: Object.keys(metrics).map((Name) => ({ Name, Unit: 'Count' })),
        },
      ],
    },
    ...fields,
    ...metrics,
  };
}
