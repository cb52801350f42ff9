import fc from 'fast-check';
import type { CheckResult } from '../../../../functions/core/result';

/** Builders and generators of one cluster's audit history, for the report's tests. */
export type Step =
  | { kind: 'event-violation'; lagSeconds: number; actor: string }
  | { kind: 'sweep-violation'; lookupLagSeconds?: number; actor?: string }
  | { kind: 'issued'; withUpdate: boolean }
  | { kind: 'success' }
  | { kind: 'update-failed' }
  | { kind: 'compliant' }
  | { kind: 'exempt' }
  | { kind: 'blocked' }
  | { kind: 'gone' }
  | { kind: 'busy' };

const VIOLATION = [
  { rule: 'public-disabled' as const, reason: 'the public endpoint is on; the policy requires it off' },
];
const POLICY = {
  source: '/eks-endpoint-guard/policy',
  version: 1,
  digest: 'sha256:p1',
  policyParameterVersion: 7,
  mode: 'enforce' as const,
  exemptionTag: 'eks-endpoint-guard/exempt',
  rule: 'publicAccess "disabled", privateAccess "required" (policy)',
};
const OPEN = { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] };
const CLOSED = { publicAccess: false, privateAccess: true, publicAccessCidrs: ['0.0.0.0/0'] };

/** The record one step leaves at `time` (ms). */
export function recordOf(step: Step, time: number, index: number, cluster = 'prod-api'): CheckResult {
  const iso = new Date(time).toISOString();
  const base: CheckResult = {
    cluster,
    region: 'us-east-1',
    account: '111122223333',
    clusterArn: `arn:aws:eks:us-east-1:111122223333:cluster/${cluster}`,
    outcome: 'compliant',
    reason: step.kind,
    time: iso,
    correlationId: `c-${index}`,
    trigger: { source: 'sweep', eventTime: iso },
    attempt: 0,
    policy: POLICY,
    before: CLOSED,
  };
  switch (step.kind) {
    case 'event-violation':
      return {
        ...base,
        outcome: 'remediated',
        trigger: {
          source: 'event',
          eventName: 'UpdateClusterConfig',
          eventId: `e-${index}`,
          eventTime: new Date(time - step.lagSeconds * 1000).toISOString(),
          actorArn: step.actor,
        },
        violations: VIOLATION,
        before: OPEN,
        after: CLOSED,
        updateId: `u-${index}`,
        updateStatus: 'InProgress',
      };
    case 'sweep-violation':
      return {
        ...base,
        outcome: 'would-remediate',
        violations: VIOLATION,
        before: OPEN,
        ...(step.lookupLagSeconds !== undefined
          ? {
              trigger: {
                source: 'sweep',
                actorSource: 'lookup',
                eventName: 'UpdateClusterConfig',
                eventTime: new Date(time - step.lookupLagSeconds * 1000).toISOString(),
                actorArn: step.actor,
              },
            }
          : {}),
      };
    case 'issued':
      return {
        ...base,
        outcome: 'remediated',
        violations: VIOLATION,
        before: OPEN,
        after: CLOSED,
        ...(step.withUpdate ? { updateId: `u-${index}`, updateStatus: 'InProgress' } : {}),
      };
    case 'success':
      return {
        ...base,
        outcome: 'remediated',
        trigger: { source: 'recheck' },
        updateId: 'u',
        updateStatus: 'Successful',
      };
    case 'update-failed':
      return {
        ...base,
        outcome: 'failed',
        trigger: { source: 'recheck' },
        updateId: 'u',
        updateStatus: 'Failed',
      };
    case 'compliant':
      return base;
    case 'exempt':
      return {
        ...base,
        outcome: 'exempt',
        violations: VIOLATION,
        before: OPEN,
        exemption: { source: 'policy', reason: 'OPS-123 migration', expires: '2027-01-31' },
      };
    case 'blocked':
      return {
        ...base,
        outcome: 'blocked',
        violations: VIOLATION,
        before: OPEN,
        fix: 'turn on DNS hostnames in vpc-1',
      };
    case 'gone': {
      const { clusterArn: _arn, before: _before, policy: _policy, ...rest } = base;
      return { ...rest, outcome: 'ignored', reason: 'cluster not found in us-east-1 (deleted?)' };
    }
    case 'busy':
      return { ...base, outcome: 'deferred', reason: 'cluster is UPDATING' };
  }
}

export const actorArb = fc.constantFrom(
  'arn:aws:sts::111122223333:assumed-role/PlatformAdmin/jdoe',
  'arn:aws:iam::111122223333:user/platform-ci',
);

export const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('event-violation' as const),
    lagSeconds: fc.integer({ min: 0, max: 7200 }),
    actor: actorArb,
  }),
  fc.record(
    {
      kind: fc.constant('sweep-violation' as const),
      lookupLagSeconds: fc.integer({ min: 0, max: 90 * 86_400 }),
      actor: actorArb,
    },
    { requiredKeys: ['kind'] },
  ),
  fc.record({ kind: fc.constant('issued' as const), withUpdate: fc.boolean() }),
  fc.constant({ kind: 'success' as const }),
  fc.constant({ kind: 'update-failed' as const }),
  fc.constant({ kind: 'compliant' as const }),
  fc.constant({ kind: 'exempt' as const }),
  fc.constant({ kind: 'blocked' as const }),
  fc.constant({ kind: 'gone' as const }),
  fc.constant({ kind: 'busy' as const }),
);

export const START = Date.parse('2026-11-01T00:00:00Z');

/** A cluster's history: steps at increasing times from START (gaps of 1 s to 6 h). */
export const historyArb: fc.Arbitrary<CheckResult[]> = fc
  .array(fc.tuple(stepArb, fc.integer({ min: 1, max: 6 * 3600 })), { maxLength: 40 })
  .map((steps) => {
    let time = START;
    return steps.map(([step, gap], index) => {
      time += gap * 1000;
      return recordOf(step, time, index);
    });
  });

/** Records of a scripted history: [step, ISO time] pairs. */
export function history(steps: [Step, string][], cluster?: string): CheckResult[] {
  return steps.map(([step, time], index) => recordOf(step, Date.parse(time), index, cluster));
}
