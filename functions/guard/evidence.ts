import { isUnchangedCompliant, SweepTally } from '../core/report/evidence';
import type { CheckResult } from '../core/result';
import type { AuditPort, GuardPorts } from '../ports';
import { type DecisionEventTelemetry, forwardSweep } from './decision-events';

/**
 * Writes what a decision leaves in the audit table. A sweep's check also moves the cluster's
 * "last checked" marker; an unchanged compliant check leaves only that marker (and its share of
 * the sweep summary), so hourly sweeps no longer bury the real changes. Everything else is
 * recorded in full, as before.
 */
export async function recordResult(
  result: CheckResult,
  audit: AuditPort,
  /** The cluster's newest records, newest first (shared with the alert side of the delivery). */
  newest: () => Promise<CheckResult[]>,
): Promise<void> {
  if (result.trigger.source !== 'sweep') {
    await audit.write(result);
    return;
  }
  const [previous] = result.outcome === 'compliant' ? await newest() : [];
  if (!isUnchangedCompliant(previous, result)) await audit.write(result);
  await audit.markChecked(result);
}

/**
 * Counts a sweep's results and, when the sweep acted over the whole region, writes its summary.
 * A sweep of named clusters (`check --cluster`) is not a sweep of the account and leaves none.
 */
export class SweepRecorder {
  private readonly tally = new SweepTally();
  private readonly startedAt: Date;

  constructor(
    private readonly ports: GuardPorts,
    private readonly sweep: { sweepId: string; region: string; account?: string; clusters?: string[] },
    private readonly act: boolean,
    private readonly telemetry?: DecisionEventTelemetry,
  ) {
    this.startedAt = ports.clock();
  }

  add(result: CheckResult): CheckResult {
    this.tally.add(result);
    return result;
  }

  async finish(): Promise<void> {
    if (!this.act || this.sweep.clusters) return;
    const summary = this.tally.summary(this.sweep, this.startedAt, this.ports.clock());
    // The heartbeat the central account's "member stopped sweeping" alarm needs (never throws).
    await forwardSweep(
      { startedAt: this.startedAt, clusters: summary.clustersChecked },
      this.ports,
      this.telemetry,
    );
    await this.ports.audit.sweepSummary(summary);
  }
}
