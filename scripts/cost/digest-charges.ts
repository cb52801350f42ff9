import type { Line } from './line';
import { PRICES } from './prices';
import { byType, type Resources } from './templates';

/**
 * What sealing the audit records costs per scheduled run when nothing happened (an idle member):
 * one digest put, a digest of this many bytes kept for the bucket's retention, the head read and
 * written twice, the day and sweep queries, and the run's extra Lambda time.
 */
export const DIGEST_RUN = {
  bytes: 700,
  readUnits: 3,
  writeUnits: 2,
  lambdaSeconds: 0.3,
} as const;

/** Runs a month of a `rate(...)` schedule (cron: counted hourly, the default). */
export function runsPerMonth(expression: string): number {
  const rate = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(expression);
  if (!rate) return 24 * 30;
  const minutes = { minute: 1, hour: 60, day: 24 * 60 }[rate[2] as 'minute' | 'hour' | 'day'];
  return (30 * 24 * 60) / (Number(rate[1]) * minutes);
}

/** Sealing the audit records: one digest per scheduled sweep, kept for the digest bucket's retention. */
export function digestCost(resources: Resources): Line[] {
  const bucket = byType(resources, 'AWS::S3::Bucket').find((b) => b.Properties?.ObjectLockEnabled === true);
  if (!bucket) return [];
  const lock = bucket.Properties?.ObjectLockConfiguration as
    | { Rule?: { DefaultRetention?: { Days?: number } } }
    | undefined;
  const retention = lock?.Rule?.DefaultRetention?.Days ?? 0;
  const sweep = byType(resources, 'AWS::Events::Rule').find(
    (r) => typeof r.Properties?.ScheduleExpression === 'string',
  );
  const runs = runsPerMonth(String(sweep?.Properties?.ScheduleExpression ?? 'rate(1 hour)'));
  const fn = byType(resources, 'AWS::Lambda::Function').find((f) =>
    JSON.stringify(f.Properties?.Environment ?? {}).includes('DIGEST_BUCKET_NAME'),
  );
  const memoryGb = Number(fn?.Properties?.MemorySize ?? 512) / 1024;
  // In the steady state the bucket holds the digests of the last `retention` days.
  const storedGb = (runs * (retention / 30) * DIGEST_RUN.bytes) / 1e9;
  const gbSeconds = runs * DIGEST_RUN.lambdaSeconds * memoryGb;
  return [
    { item: 'Digest puts (one per sweep)', quantity: runs, usd: runs * PRICES.s3PutRequest.usd },
    {
      item: `Digest storage, GB (${retention} days locked)`,
      quantity: storedGb,
      usd: storedGb * PRICES.s3StorageGbMonth.usd,
    },
    {
      item: 'Digest table reads and writes',
      quantity: runs * (DIGEST_RUN.readUnits + DIGEST_RUN.writeUnits),
      usd:
        runs *
        (DIGEST_RUN.readUnits * PRICES.dynamoReadUnit.usd +
          DIGEST_RUN.writeUnits * PRICES.dynamoWriteUnit.usd),
    },
    { item: 'Digest Lambda GB-seconds', quantity: gbSeconds, usd: gbSeconds * PRICES.lambdaArmGbSecond.usd },
  ];
}
