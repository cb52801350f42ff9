import { join } from 'node:path';
import { schedulePeriodSeconds } from '../functions/core/schedule';
import { ROOT } from './bundle';
import type { StormPlan } from './plan';
import { workerAccessKey } from './request';
import { ACCOUNT, REGION } from './world';

/** The guard's role in the storm's account: its sessions are the workers, its id names its queue messages. */
export const GUARD_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/eks-endpoint-guard-remediator`;
export const GUARD_ROLE_ID = 'AROASTORMGUARDROLE0001';
/** What SQS names as the sender of the recheck queue's messages: only the guard's role may send there. */
export const GUARD_SENDER = `${GUARD_ROLE_ID}:eks-endpoint-guard-remediator`;

/**
 * A worker's environment: the function's own from the template, the emulator's resources (the
 * recheck queue through the proxy: the SDK's SQS client sends each call to its queue URL's host),
 * AWS through the proxy with this worker's own access key, and the settings measured in time
 * divided by the storm's time factor.
 */
export function workerEnv(
  functionEnv: Record<string, string>,
  resources: Record<string, string>,
  proxy: string,
  id: number,
  plan: StormPlan,
): NodeJS.ProcessEnv {
  const nowhere = join(ROOT, '.storm-tmp', 'no-such-aws-config');
  const scaled = (name: string) =>
    String(Math.max(1, Math.round(Number(functionEnv[name] ?? 1) / plan.compression)));
  return {
    PATH: process.env.PATH,
    ...functionEnv,
    ...resources,
    RECHECK_QUEUE_URL: throughProxy(resources.RECHECK_QUEUE_URL ?? '', proxy),
    GUARD_ROLE_ARN,
    GUARD_ROLE_ID,
    POLICY_CACHE_SECONDS: scaled('POLICY_CACHE_SECONDS'),
    RECHECK_DEADLINE_MINUTES: scaled('RECHECK_DEADLINE_MINUTES'),
    // Confirming a queued record sets its visibility again: to the storm's queue's, not the stack's.
    RECHECK_VISIBILITY_SECONDS: String(plan.visibilityTimeoutSeconds),
    // The scheduled sweeps share one blast-radius budget per schedule period, on the storm's clock.
    SWEEP_SCHEDULE: scaledSchedule(functionEnv.SWEEP_SCHEDULE, plan.compression),
    AWS_ENDPOINT_URL: proxy,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: workerAccessKey(id),
    AWS_SECRET_ACCESS_KEY: 'storm',
    AWS_CONFIG_FILE: nowhere,
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // The Lambda runtime provides the AWS SDK; here the project's copy stands in for it.
    NODE_PATH: join(ROOT, 'node_modules'),
    STORM_ACCOUNT: ACCOUNT,
  };
}

/** `rate(1 hour)` at a time factor of 20 is `rate(3 minutes)`: never under a minute. */
export function scaledSchedule(schedule: string | undefined, compression: number): string {
  const seconds = schedulePeriodSeconds(schedule ?? '') ?? 3600;
  const minutes = Math.max(1, Math.round(seconds / compression / 60));
  return `rate(${minutes} minute${minutes === 1 ? '' : 's'})`;
}

/** The queue URL with the proxy's host. */
export function throughProxy(queueUrl: string, proxy: string): string {
  return `${proxy}${new URL(queueUrl).pathname}`;
}

/** What Lambda sends its on-failure destination after the last retry of an asynchronous event. */
export function failureRecord(event: unknown, error: string, now: Date): Record<string, unknown> {
  return {
    version: '1.0',
    timestamp: now.toISOString(),
    requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorMessage: error },
  };
}
