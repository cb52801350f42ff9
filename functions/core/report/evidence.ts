import type { EndpointConfig } from '../endpoint';
import { sameEndpointConfig } from '../endpoint';
import { isOutcome, type Outcome } from '../outcome';
import type { CheckResult } from '../result';

/**
 * What one sweep leaves in the audit table instead of a record per unchanged cluster: the proof
 * that the guard was checking (DESIGN §11).
 */
export interface SweepSummary {
  sweepId: string;
  region: string;
  account?: string;
  /** ISO time the sweep started. */
  startedAt: string;
  /** ISO time the sweep finished. */
  time: string;
  durationMs: number;
  clustersChecked: number;
  outcomes: Partial<Record<Outcome, number>>;
  /** The policy digests its decisions were taken under. */
  policyDigests: string[];
  /** The SSM parameter version of each digest, where the decisions named it. */
  policyParameterVersions?: Record<string, number>;
}

/** A cluster's "last checked" marker: the one audit item the guard overwrites, in place. */
export interface CheckedMarker {
  cluster: string;
  region: string;
  account?: string;
  /** ISO time of the latest check. */
  time: string;
  correlationId: string;
  outcome: Outcome;
  before?: EndpointConfig;
  policyDigest?: string;
}

/** Cluster names as EKS allows them: the marker's key is built from one, so nothing else may pass. */
export const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

export function markerOf(result: CheckResult): CheckedMarker {
  return {
    cluster: result.cluster,
    region: result.region,
    ...(result.account ? { account: result.account } : {}),
    time: result.time,
    correlationId: result.correlationId,
    outcome: result.outcome,
    ...(result.before ? { before: result.before } : {}),
    ...(result.policy?.digest ? { policyDigest: result.policy.digest } : {}),
  };
}

/**
 * True when a sweep's compliant result says nothing the cluster's latest record does not already
 * say: that record is compliant too, under the same policy, with the same endpoint configuration.
 * Such a check leaves only the marker and the sweep summary; anything else is recorded in full.
 */
export function isUnchangedCompliant(previous: CheckResult | undefined, current: CheckResult): boolean {
  if (current.outcome !== 'compliant' || current.trigger.source !== 'sweep') return false;
  if (previous?.outcome !== 'compliant') return false;
  if (!previous.policy?.digest || previous.policy.digest !== current.policy?.digest) return false;
  if (!previous.before || !current.before) return false;
  return sameEndpointConfig(previous.before, current.before);
}

/** Counts a sweep's results as they stream past and makes its summary at the end. */
export class SweepTally {
  private readonly outcomes: Partial<Record<Outcome, number>> = {};
  private readonly digests = new Set<string>();
  private readonly parameterVersions: Record<string, number> = {};
  private checked = 0;

  add(result: CheckResult): void {
    if (!isOutcome(result.outcome)) return;
    // An unusable policy stops a sweep with one result that names no cluster.
    if (result.cluster !== '-') this.checked += 1;
    this.outcomes[result.outcome] = (this.outcomes[result.outcome] ?? 0) + 1;
    if (result.policy?.digest) {
      this.digests.add(result.policy.digest);
      if (result.policy.policyParameterVersion !== undefined)
        this.parameterVersions[result.policy.digest] = result.policy.policyParameterVersion;
    }
  }

  summary(
    sweep: { sweepId: string; region: string; account?: string },
    startedAt: Date,
    finishedAt: Date,
  ): SweepSummary {
    return {
      sweepId: sweep.sweepId,
      region: sweep.region,
      ...(sweep.account ? { account: sweep.account } : {}),
      startedAt: startedAt.toISOString(),
      time: finishedAt.toISOString(),
      durationMs: Math.max(0, finishedAt.getTime() - startedAt.getTime()),
      clustersChecked: this.checked,
      outcomes: { ...this.outcomes },
      policyDigests: [...this.digests].sort(),
      ...(Object.keys(this.parameterVersions).length > 0
        ? { policyParameterVersions: { ...this.parameterVersions } }
        : {}),
    };
  }
}
