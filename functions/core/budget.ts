/**
 * The blast-radius limit of one sweep (the policy's `maxRemediationsPerRun`): shared by the sweep's
 * checks, which run concurrently, so a change is reserved before the update is sent and given back
 * when none was issued. Never more updates than the limit, whatever the order the checks finish in.
 * A mistaken policy (or a mistaken fleet) cannot flip every cluster at once: beyond the limit the
 * clusters are reported `would-remediate` and the sweep sends one alert for all of them.
 */
/**
 * What a sweep's checks share: reserve a change before the update is sent (false: the limit is
 * reached), give it back when none was issued, and note the clusters left unchanged.
 */
export interface Budget {
  /** `cluster`: whom the change is for (a shared budget names it on the change it takes). */
  reserve(limit: number | undefined, cluster?: string): boolean | Promise<boolean>;
  release(): void;
  withhold(cluster: string): void;
  readonly withheld: readonly string[];
  readonly limit: number | undefined;
}

export class RemediationBudget implements Budget {
  private reserved = 0;
  private readonly held: string[] = [];
  private limitSeen: number | undefined;

  /** Reserves one change under `limit` (undefined: unlimited); false when the limit is reached. */
  reserve(limit: number | undefined): boolean {
    if (limit !== undefined) {
      this.limitSeen = limit;
      if (this.reserved >= limit) return false;
    }
    this.reserved += 1;
    return true;
  }

  /** Gives back a reservation whose update was not issued (busy, already at the target, refused, an error). */
  release(): void {
    this.reserved = Math.max(0, this.reserved - 1);
  }

  /** A cluster left unchanged because the limit was reached. */
  withhold(cluster: string): void {
    this.held.push(cluster);
  }

  /** The clusters left unchanged, in the order they were found. */
  get withheld(): readonly string[] {
    return this.held;
  }

  /** The limit that was applied (the policy's), once a change was asked for under one. */
  get limit(): number | undefined {
    return this.limitSeen;
  }
}

/** How many withheld cluster names the sweep's alert and record list; the rest are counted. */
export const MAX_WITHHELD_NAMES = 50;
