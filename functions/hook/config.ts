import * as z from 'zod/mini';
import { DEFAULT_POLICY_PARAMETER_NAME } from '../core/policy/policy';

/** The hook function's environment (infra/cfn-hook.ts sets it). */
const HookEnvSchema = z.object({
  POLICY_PARAMETER_NAME: z._default(z.string().check(z.minLength(1)), DEFAULT_POLICY_PARAMETER_NAME),
  TOPIC_ARN: z.string().check(z.regex(/^arn:aws[a-z-]*:sns:/, 'expected an SNS topic ARN')),
  AWS_REGION: z.string().check(z.minLength(1)),
  /** What the hook answers when it cannot decide: `allow` (alerted) or `deny`. */
  ON_HOOK_ERROR: z._default(z.enum(['allow', 'deny'], { error: 'expected allow or deny' }), 'allow'),
  POLICY_CACHE_SECONDS: z._default(
    z.coerce
      .number({ error: 'expected an integer from 0 to 3600' })
      .check(z.int(), z.minimum(0), z.maximum(3600)),
    60,
  ),
});

export type HookConfig = z.output<typeof HookEnvSchema>;

/** The configuration, or the fault that makes it unusable (the hook still answers: see handler.ts). */
export function loadHookConfig(
  env: NodeJS.ProcessEnv = process.env,
): { ok: true; config: HookConfig } | { ok: false; fault: string; onHookError: 'allow' | 'deny' } {
  const parsed = HookEnvSchema.safeParse(env);
  if (parsed.success) return { ok: true, config: parsed.data };
  const issue = parsed.error.issues[0];
  const name = String(issue?.path[0] ?? 'environment');
  const value = env[name];
  const fault = value === undefined || value === '' ? 'is not set' : `is invalid (${issue?.message})`;
  // Only an explicit deny refuses: a broken configuration must not block every EKS deployment.
  return {
    ok: false,
    fault: `environment variable ${name} ${fault}`,
    onHookError: env.ON_HOOK_ERROR === 'deny' ? 'deny' : 'allow',
  };
}
