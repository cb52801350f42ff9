import { z } from 'zod';
import { DEFAULT_POLICY_PARAMETER_NAME } from './core/policy';

/** The environment the Lambda, the CLI and the tests share (DESIGN §5). */
const EnvSchema = z.object({
  POLICY_PARAMETER_NAME: z.string().min(1).default(DEFAULT_POLICY_PARAMETER_NAME),
  TOPIC_ARN: z.string().regex(/^arn:aws[a-z-]*:sns:/, 'expected an SNS topic ARN'),
  RECHECK_QUEUE_URL: z.url({ protocol: /^https?$/ }),
  AUDIT_TABLE_NAME: z.string().min(3).max(255),
  AWS_REGION: z.string().min(1),
  /** The guard's own IAM role: its CloudTrail events are recognised and never re-remediated. */
  GUARD_ROLE_ARN: z.string().optional(),
  POLICY_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  RECHECK_DEADLINE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(120),
  FLIP_FLOP_THRESHOLD: z.coerce.number().int().min(2).max(100).default(3),
  FLIP_FLOP_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(60),
  /** 0 keeps audit records forever; otherwise they expire through the table's TTL. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(0),
  SWEEP_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
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
