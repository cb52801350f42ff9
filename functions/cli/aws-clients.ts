import { type AwsClients, createAwsClients } from '../aws/clients';
import { refuseForeignEndpoints } from './endpoint-policy';
import { nameFailedCalls } from './errors';

/**
 * A command that writes (check --fix, invoke, policy publish, audit digest): its name for messages, and the
 * endpoints beyond AWS's own and a loopback emulator that it was told it may write to.
 */
export interface WriteTarget {
  command: string;
  allowed: readonly string[];
  /** Told every endpoint a request goes to. */
  onEndpoint?: (endpoint: string) => void;
}

/**
 * SDK clients whose failures name the call and the resource; for a command that writes, every
 * request is checked against where it may go first (endpoint-policy.ts).
 */
export function awsClients(region: string, writes?: WriteTarget): AwsClients {
  // Each client is tagged when it is first created: a command loads only the SDK packages it uses.
  return createAwsClients(region, (client) => {
    const named = { [client.constructor.name]: client };
    nameFailedCalls(named);
    if (writes) refuseForeignEndpoints(named, writes.command, writes.allowed, writes.onEndpoint);
  });
}
