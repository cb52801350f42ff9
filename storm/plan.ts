import type { ModelTimings } from './eks-model';
import { type CrashPlan, type FaultPlan, throttleStorms } from './faults';
import type { StormOptions } from './options';
import type { Random } from './random';

/**
 * The storm's physics: how much faster than AWS its clock runs, how long EKS takes, which faults
 * hit how often, where workers die. One place, so the report can print what was run.
 */
export interface StormPlan {
  /**
   * Time factor: every delay the guard asks SQS for, Lambda's retry waits, the function's timeout
   * and the policy cache are divided by it, so minutes of AWS time pass in seconds. AWS calls
   * themselves run at the emulator's speed.
   */
  compression: number;
  eks: ModelTimings;
  faults: FaultPlan;
  crashes: CrashPlan;
  /** Chance per second that a busy worker is killed at a random point. */
  randomKillsPerSecond: number;
  duplicates: number;
  parallelDuplicates: number;
  /** The longest EventBridge holds an event before delivering it (ms): reorders events. */
  maxDeliveryDelayMs: number;
  /** The function's timeout in storm time (the stack's, divided by the time factor). */
  functionTimeoutMs: number;
  /** The recheck queue's visibility timeout: longer than the function's timeout, as AWS requires. */
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  /** The longest the storm waits for quiet after the workload, and for the function to do anything at all. */
  quietTimeoutMs: number;
  quietStallMs: number;
}

export const COMPRESSION = 20;

export function stormPlan(options: StormOptions, functionTimeoutSeconds: number, random: Random): StormPlan {
  const durationMs = options.durationSeconds * 1000;
  const functionTimeoutMs = Math.round((functionTimeoutSeconds * 1000) / COMPRESSION);
  return {
    compression: COMPRESSION,
    // Real endpoint updates take minutes: here 6-15 s (2-5 minutes of AWS time), with the old
    // configuration read back as ACTIVE for 0.3 s after the call.
    eks: { updateMs: [6000, 15000], staleMs: 300, busyTailMs: 500 },
    faults: {
      base: {
        throttle: 0.03,
        serverError: 0.015,
        reset: 0.01,
        lostResponse: 0.01,
        timeout: 0.005,
        latency: 0.2,
      },
      services: {},
      // Every service throttles a large share of its calls at once, a few times per run.
      throttleStorms: throttleStorms(
        random,
        durationMs,
        Math.max(1, Math.round(options.durationSeconds / 40)),
        5000,
        0.6,
      ),
      latencyMs: [20, 400],
      timeoutMs: [1000, 3000],
    },
    crashes: {
      'eks:UpdateClusterConfig': 0.15,
      'sns:Publish': 0.04,
      'dynamodb:PutItem': 0.02,
      'sqs:SendMessage': 0.02,
    },
    randomKillsPerSecond: 0.1,
    duplicates: 0.15,
    parallelDuplicates: 0.5,
    maxDeliveryDelayMs: 1500,
    functionTimeoutMs,
    visibilityTimeoutSeconds: Math.ceil(functionTimeoutMs / 1000) + 5,
    maxReceiveCount: 5,
    quietTimeoutMs: options.quick ? 150_000 : 900_000,
    quietStallMs: 60_000,
  };
}
