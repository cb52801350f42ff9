import type { STSClient } from '@aws-sdk/client-sts';
import { type ClientSource, resolveClient, sdk } from './clients';

/** STS named no account, or not a 12-digit one: the message is one line. */
export class CallerIdentityError extends Error {
  override readonly name = 'CallerIdentityError';
}

/**
 * The account of the credentials the caller runs with (STS GetCallerIdentity), asked once and
 * then remembered for the run: a failed call is not remembered, so the next use asks again.
 */
export function callerAccount(client: ClientSource<STSClient>): () => Promise<string> {
  let asked: Promise<string> | undefined;
  return () => {
    asked ??= (async () => {
      const { GetCallerIdentityCommand } = sdk.sts();
      const { Account } = await resolveClient(client).send(new GetCallerIdentityCommand({}));
      if (!Account || !/^\d{12}$/.test(Account)) {
        throw new CallerIdentityError(
          `STS GetCallerIdentity returned no 12-digit account (${String(Account)})`,
        );
      }
      return Account;
    })().catch((error: unknown) => {
      asked = undefined;
      throw error;
    });
    return asked;
  };
}
