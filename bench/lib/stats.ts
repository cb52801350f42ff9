/** Order statistics of a sample: what every table in docs/BENCHMARKS.md reports. */
export interface Summary {
  n: number;
  median: number;
  min: number;
  max: number;
  p5: number;
  p95: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending array (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const middle = Math.floor(n / 2);
  const median =
    n === 0
      ? Number.NaN
      : n % 2 === 1
        ? (sorted[middle] as number)
        : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return {
    n,
    median,
    min: sorted[0] ?? Number.NaN,
    max: sorted[n - 1] ?? Number.NaN,
    p5: percentile(sorted, 5),
    p95: percentile(sorted, 95),
    mean: n === 0 ? Number.NaN : sorted.reduce((a, b) => a + b, 0) / n,
  };
}

/** Milliseconds with a precision that suits their size. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value < 1) return value.toFixed(3);
  if (value < 10) return value.toFixed(2);
  if (value < 100) return value.toFixed(1);
  return Math.round(value).toLocaleString('en-US');
}

/** `median (min–max)` in milliseconds. */
export function msRange(s: Summary): string {
  return `${ms(s.median)} (${ms(s.min)}–${ms(s.max)})`;
}

/** Seconds with two decimals. */
export function sec(milliseconds: number): string {
  return (milliseconds / 1000).toFixed(2);
}

/** Bytes in kB (1 kB = 1,000 bytes), the unit of the bundle target. */
export function kb(bytes: number): string {
  return `${(bytes / 1000).toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 })} kB`;
}

/** Kibibytes (as process.resourceUsage().maxRSS reports them) in MB (1,000,000 bytes). */
export function mbFromKib(kib: number): string {
  return `${((kib * 1024) / 1e6).toFixed(1)} MB`;
}

export function pct(ratio: number): string {
  return `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(0)} %`;
}
