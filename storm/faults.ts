import type { Random } from './random';

/**
 * Which fault, if any, the proxy injects into one request of the guard. Pure: the caller passes the
 * random source and the time since the storm began, so a seed and a plan give one answer.
 */
export type FaultKind =
  | 'none'
  /** The service's own throttling answer (wire.ts). */
  | 'throttle'
  /** An HTTP 5xx internal error. */
  | 'server-error'
  /** The connection is reset before the request reaches the service. */
  | 'reset'
  /** The request takes effect, then the connection is reset: the caller never learns it did. */
  | 'lost-response'
  /** No answer for a while, then the connection is reset. */
  | 'timeout';

export interface Fault {
  kind: FaultKind;
  /** Added before anything else happens (0: none). */
  latencyMs: number;
  /** How long a timeout holds the connection. */
  holdMs: number;
}

export interface FaultRates {
  throttle: number;
  serverError: number;
  reset: number;
  lostResponse: number;
  timeout: number;
  /** Share of requests that get extra latency. */
  latency: number;
}

export interface FaultPlan {
  base: FaultRates;
  /** Per service (the SigV4 name: eks, dynamodb, sqs, sns, ssm, ec2, ...), replacing base rates. */
  services: Record<string, Partial<FaultRates>>;
  /** Windows (ms from the start) when every service throttles this share of requests. */
  throttleStorms: { from: number; to: number; share: number }[];
  latencyMs: [number, number];
  timeoutMs: [number, number];
}

export const NO_FAULT: Fault = { kind: 'none', latencyMs: 0, holdMs: 0 };

export function ratesFor(plan: FaultPlan, service: string, elapsedMs: number): FaultRates {
  const rates = { ...plan.base, ...plan.services[service] };
  const storm = plan.throttleStorms.find((s) => elapsedMs >= s.from && elapsedMs < s.to);
  return storm ? { ...rates, throttle: Math.max(rates.throttle, storm.share) } : rates;
}

/** One draw for latency, one for the fault: each fault has its share of the requests, at most one applies. */
export function chooseFault(random: Random, plan: FaultPlan, service: string, elapsedMs: number): Fault {
  const rates = ratesFor(plan, service, elapsedMs);
  const latencyMs = random.chance(rates.latency) ? random.int(plan.latencyMs[0], plan.latencyMs[1]) : 0;
  const roll = random.next();
  const kinds: [Exclude<FaultKind, 'none'>, number][] = [
    ['throttle', rates.throttle],
    ['server-error', rates.serverError],
    ['reset', rates.reset],
    ['lost-response', rates.lostResponse],
    ['timeout', rates.timeout],
  ];
  let edge = 0;
  for (const [kind, share] of kinds) {
    edge += Math.max(0, share);
    if (roll < edge) {
      const holdMs = kind === 'timeout' ? random.int(plan.timeoutMs[0], plan.timeoutMs[1]) : 0;
      return { kind, latencyMs, holdMs };
    }
  }
  return { kind: 'none', latencyMs, holdMs: 0 };
}

/**
 * The points where a worker is killed right after a call took effect, before the guard sees the
 * answer: `service:operation` → probability. The ones that matter most: after UpdateClusterConfig
 * (the update is made, nothing recorded), after the alert's Publish (alerted, not recorded), after
 * the audit PutItem (recorded, the follow-up not queued), after an SQS SendMessage.
 */
export type CrashPlan = Record<string, number>;

export function chooseCrash(random: Random, plan: CrashPlan, service: string, operation: string): boolean {
  const p = plan[`${service}:${operation}`] ?? 0;
  return p > 0 && random.chance(p);
}

/** The throttle storms of a run: `count` windows of `lengthMs` spread over `durationMs`, seeded. */
export function throttleStorms(
  random: Random,
  durationMs: number,
  count: number,
  lengthMs: number,
  share: number,
): FaultPlan['throttleStorms'] {
  const storms: FaultPlan['throttleStorms'] = [];
  const slot = durationMs / Math.max(1, count);
  for (let i = 0; i < count; i++) {
    const from = Math.round(i * slot + random.next() * Math.max(0, slot - lengthMs));
    storms.push({ from, to: from + lengthMs, share });
  }
  return storms;
}
