import type * as CloudFormation from '@aws-sdk/client-cloudformation';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { StackInstance } from '../core/central-coverage';
import { type ClientSource, lazy, resolveClient } from './clients';

/** Loaded on the first listing: only the central watchdog lists stack instances. */
const cloudFormation = lazy((): typeof CloudFormation => require('@aws-sdk/client-cloudformation'));

/** A client in the StackSet's own region (its administrator's home region), created on first use. */
export function stackSetClient(region: string): () => CloudFormationClient {
  return lazy(
    () => new (cloudFormation().CloudFormationClient)({ region, maxAttempts: 5, retryMode: 'standard' }),
  );
}

/**
 * Every instance of one StackSet, as its delegated administrator sees it (`CallAs DELEGATED_ADMIN`):
 * ListStackInstances answers only the management account or a registered StackSets delegated
 * administrator, and the central account deploys the StackSet as one.
 */
export async function listStackInstances(
  client: ClientSource<CloudFormationClient>,
  stackSetName: string,
): Promise<StackInstance[]> {
  const { ListStackInstancesCommand } = cloudFormation();
  const instances: StackInstance[] = [];
  let token: string | undefined;
  do {
    const page = await resolveClient(client).send(
      new ListStackInstancesCommand({
        StackSetName: stackSetName,
        CallAs: 'DELEGATED_ADMIN',
        NextToken: token,
      }),
    );
    for (const summary of page.Summaries ?? []) {
      if (!summary.Account || !summary.Region) continue;
      instances.push({
        account: summary.Account,
        region: summary.Region,
        status: summary.Status ?? 'UNKNOWN',
        ...(summary.StackInstanceStatus?.DetailedStatus && {
          detailedStatus: summary.StackInstanceStatus.DetailedStatus,
        }),
      });
    }
    token = page.NextToken;
  } while (token);
  return instances;
}
