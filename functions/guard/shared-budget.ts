import { type Budget, RemediationBudget } from '../core/budget';
import type { SweepBudgetPort } from '../ports';

/**
 * The budget of a sweep started by the schedule: this sweep's own limit, and one of the changes the
 * period's sweeps share (SweepBudgetPort). However many scheduled events arrive in one period
 * (a forged one, say), together they change at most `maxRemediationsPerRun` clusters.
 */
export class SharedBudget implements Budget {
  private readonly own = new RemediationBudget();

  constructor(
    private readonly port: SweepBudgetPort,
    private readonly period: string,
    private readonly sweepId: string,
  ) {}

  async reserve(limit: number | undefined, cluster = '-'): Promise<boolean> {
    if (!this.own.reserve(limit)) return false;
    if (limit === undefined) return true;
    let claimed = false;
    try {
      claimed = await this.port.claim(this.period, limit, { sweepId: this.sweepId, cluster });
    } finally {
      if (!claimed) this.own.release();
    }
    return claimed;
  }

  release(): void {
    // The period's slot stays taken: the shared budget errs on the side of fewer changes.
    this.own.release();
  }

  withhold(cluster: string): void {
    this.own.withhold(cluster);
  }

  get withheld(): readonly string[] {
    return this.own.withheld;
  }

  get limit(): number | undefined {
    return this.own.limit;
  }
}
