import * as z from 'zod/mini';
import { OUTCOMES } from '../outcome';
import { ALERT_SCHEMA, ALERT_SCHEMA_V1, type Alert } from './alert';

/**
 * An alert that could not be published when its decision was made travels through the recheck
 * queue instead, so that a failing SNS publish delays it but never loses it: the queue redelivers
 * it until it is published or reaches the dead-letter queue, whose alarm someone sees.
 */
export const ALERT_MESSAGE_KIND = 'eks-endpoint-guard/alert';

const AlertSchema: z.ZodMiniType<Alert> = z.object({
  subject: z.string().check(z.minLength(1), z.maxLength(100)),
  text: z.string(),
  json: z.record(z.string(), z.unknown()),
  attributes: z.object({
    outcome: z.enum(OUTCOMES),
    cluster: z.string(),
    severity: z.enum(['info', 'warning', 'critical']),
    status: z.optional(z.enum(['open', 'resolved'])),
  }),
});

export function alertMessage(alert: Alert, correlationId: string): string {
  return JSON.stringify({ kind: ALERT_MESSAGE_KIND, version: 1, correlationId, alert });
}

/** The alert a queue message carries, or why it cannot be read (one line). */
export function alertOfMessage(message: unknown): Alert | string {
  const parsed = AlertSchema.safeParse((message as { alert?: unknown } | null)?.alert);
  if (parsed.success) {
    const schema = parsed.data.json.schema;
    // An alert@1 queued before the upgrade is still published as it was made.
    return schema === ALERT_SCHEMA || schema === ALERT_SCHEMA_V1
      ? parsed.data
      : `alert.json.schema: expected "${ALERT_SCHEMA}"`;
  }
  const [issue] = parsed.error.issues;
  return `alert.${issue?.path.join('.') ?? ''}: not a valid alert`;
}
