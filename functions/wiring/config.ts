import * as z from 'zod/mini';
import { DEFAULT_POLICY_PARAMETER_NAME } from '../core/policy/policy';

/**
 * The sweep's adaptive limit (core/adaptive-limit.ts) halves on a throttle, so its ceiling can be
 * the most it allows: at 50 ms per AWS call that sweeps 300 clusters in about 1.2 s instead of
 * 2.4 s at 8 (docs/BENCHMARKS.md, *Realistic latency*).
 */
export const MAX_SWEEP_CONCURRENCY = 64;
export const DEFAULT_SWEEP_CONCURRENCY = MAX_SWEEP_CONCURRENCY;

/** An integer setting within bounds, with a default when unset. */
function count(min: number, max: number, fallback: number) {
  const message = `expected an integer from ${min} to ${max}`;
  return z._default(
    z.coerce
      .number({ error: message })
      .check(z.int({ error: message }), z.minimum(min, message), z.maximum(max, message)),
    fallback,
  );
}

/** The environment the Lambda, the CLI and the tests share (DESIGN §5). */
const EnvSchema = z.object({
  POLICY_PARAMETER_NAME: z._default(z.string().check(z.minLength(1)), DEFAULT_POLICY_PARAMETER_NAME),
  TOPIC_ARN: z.string().check(z.regex(/^arn:aws[a-z-]*:sns:/, 'expected an SNS topic ARN')),
  RECHECK_QUEUE_URL: z.url({ protocol: /^https?$/, error: 'expected an http(s) SQS queue URL' }),
  AUDIT_TABLE_NAME: z
    .string()
    .check(
      z.minLength(3, 'expected a DynamoDB table name'),
      z.maxLength(255, 'expected a DynamoDB table name'),
    ),
  AWS_REGION: z.string().check(z.minLength(1)),
  /** The guard's own IAM role: its CloudTrail events are recognised and never re-remediated. */
  GUARD_ROLE_ARN: z.optional(
    z.string().check(z.regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, 'expected an IAM role ARN')),
  ),
  /**
   * The role's unique id (its RoleId, `AROA...`): SQS names a message its sessions send
   * `<id>:<session>`, so only those are the guard's own. Unset: no queued message is trusted.
   */
  GUARD_ROLE_ID: z.optional(
    z.string().check(z.regex(/^AROA[A-Z0-9]{4,128}$/, 'expected a role id such as AROAEXAMPLE123')),
  ),
  /** The chat topic Amazon Q Developer in chat applications subscribes to; unset: no chat form. */
  CHAT_TOPIC_ARN: z.optional(z.string().check(z.regex(/^arn:aws[a-z-]*:sns:/, 'expected an SNS topic ARN'))),
  /** `true`: import a Security Hub finding per cluster and rule (the `securityHub` stack option). */
  SECURITY_HUB: z.pipe(
    z._default(z.enum(['true', 'false'], { error: 'expected true or false' }), 'false'),
    z.transform((value) => value === 'true'),
  ),
  POLICY_CACHE_SECONDS: count(0, 3600, 60),
  RECHECK_DEADLINE_MINUTES: count(1, 24 * 60, 120),
  FLIP_FLOP_THRESHOLD: count(2, 100, 3),
  FLIP_FLOP_WINDOW_MINUTES: count(1, 24 * 60, 60),
  /** 0 keeps audit records forever; otherwise they expire through the table's TTL. */
  AUDIT_RETENTION_DAYS: count(0, 3650, 0),
  SWEEP_CONCURRENCY: count(1, MAX_SWEEP_CONCURRENCY, DEFAULT_SWEEP_CONCURRENCY),
  /**
   * The S3 bucket (Object Lock, compliance mode) the scheduled sweep seals the audit records into
   * (DESIGN §16); unset: no digests.
   */
  DIGEST_BUCKET_NAME: z.optional(
    z.string().check(z.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name')),
  ),
  /** The recheck queue's visibility timeout: confirming a record's receipt handle sets it again. */
  RECHECK_VISIBILITY_SECONDS: count(1, 43_200, 1800),
  /** The organisation's central event bus (DESIGN §12); unset: decisions stay in this account. */
  DECISION_BUS_ARN: z.optional(
    z
      .string()
      .check(
        z.regex(
          /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[A-Za-z0-9._\-/]+$/,
          'expected an event bus ARN',
        ),
      ),
  ),
  /**
   * How the guard finds a cluster's recent API clients in its audit log (DESIGN §18): `insights`
   * (CloudWatch Logs Insights), `scan` (a bounded FilterLogEvents read, for small clusters and the
   * emulator) or `off`.
   */
  CLIENTS_STRATEGY: z._default(
    z.enum(['insights', 'scan', 'off'], { error: 'expected insights, scan or off' }),
    'insights',
  ),
  /** How far back a client look-up reads, in hours. */
  CLIENTS_WINDOW_HOURS: count(1, 7 * 24, 24),
  /** The most audit log one decision may scan, in MB (Logs Insights bills by bytes scanned). */
  CLIENTS_MAX_SCAN_MB: count(1, 1_000_000, 1024),
  /** How long one client look-up may take before it answers "unknown". */
  CLIENTS_DEADLINE_SECONDS: count(1, 300, 20),
  /** How long a look-up's answer is reused for the same cluster; 0 reads the log for every decision. */
  CLIENTS_CACHE_MINUTES: count(0, 24 * 60, 60),
  /** Named in each sweep heartbeat, so the central account knows how long silence may last. */
  SWEEP_SCHEDULE: z._default(
    z.string().check(z.regex(/^(rate|cron)\(.+\)$/, 'expected rate(...) or cron(...)')),
    'rate(1 hour)',
  ),
});

export type GuardConfig = z.output<typeof EnvSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates the environment once; the message names the variable and the fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GuardConfig {
  const parsed = EnvSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const name = String(issue?.path[0] ?? 'environment');
  const value = env[name];
  const fault = value === undefined || value === '' ? 'is not set' : `is invalid (${issue?.message})`;
  throw new ConfigError(`environment variable ${name} ${fault}`, { cause: parsed.error });
}
