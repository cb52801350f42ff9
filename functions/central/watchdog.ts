import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CentralStore } from '../aws/central-store';
import type { ClientSource } from '../aws/clients';
import { listStackInstances } from '../aws/stack-instances';
import { staleMembers } from '../core/central';
import { EXPECTED_PARTITION, expectedItems, MANAGEMENT_KEY, missingMembers } from '../core/central-coverage';
import { jsonLog, type Log, metricLine } from './log';

export interface WatchdogOptions {
  /** The member StackSet, listed as its delegated administrator; absent: only stopped members are found. */
  stackSet?: {
    name: string;
    client: ClientSource<CloudFormationClient>;
    /** The members' sweep schedule: a member silent two of its periods after it was listed is missing. */
    memberSchedule: string;
    /** Named in coverage as the account no guard runs in. */
    managementAccount?: string;
  };
  now?: () => Date;
  log?: Log;
}

/**
 * On a schedule: the account-regions that stopped sweeping (their heartbeat is older than two of
 * their periods) and those that never reported (listed in the StackSet, no heartbeat two member
 * periods later), each counted as one metric that one alarm watches, and named in the log line.
 */
export function watchdog(store: CentralStore, options: WatchdogOptions = {}) {
  const now = options.now ?? (() => new Date());
  const log = options.log ?? jsonLog;
  return async (): Promise<{ members: number; stale: number; expected: number; missing: number }> => {
    const at = now();
    const coverage = await store.coverage();
    const stale = staleMembers(coverage.heartbeats, at);
    let missing: ReturnType<typeof missingMembers> = [];
    let expected = 0;
    const stackSet = options.stackSet;
    if (stackSet) {
      const instances = await listStackInstances(stackSet.client, stackSet.name);
      const items = expectedItems(instances, coverage.expected, at);
      await store.putExpected([
        ...items,
        ...(stackSet.managementAccount
          ? [{ pk: EXPECTED_PARTITION, sk: MANAGEMENT_KEY, account: stackSet.managementAccount } as const]
          : []),
      ]);
      expected = items.length;
      missing = missingMembers(items, coverage.heartbeats, stackSet.memberSchedule, at);
    }
    // The alarms say how many; this line says which (the dashboard's log widget shows it).
    log(
      metricLine(
        at,
        { StaleMembers: stale.length, MissingMembers: missing.length },
        { members: coverage.heartbeats.length, expected, stale, missing },
      ),
    );
    return { members: coverage.heartbeats.length, stale: stale.length, expected, missing: missing.length };
  };
}
