import type * as Parameters from '@aws-lambda-powertools/parameters/ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { type LoadedPolicy, PolicyError, parsePolicy } from '../core/policy/policy';
import type { PolicyPort, PolicyVersion } from '../ports';
import { type ClientSource, lazy, resolveClient, sdk } from './clients';

/** Loads the SSM SDK with it: only on the first policy read. */
const parameters = lazy((): typeof Parameters => require('@aws-lambda-powertools/parameters/ssm'));

/** SSM faults that retrying will not fix: they make the policy unreadable, not unavailable. */
const PERMANENT_FAULTS: Record<string, string> = {
  ParameterNotFound: 'the parameter does not exist',
  ParameterVersionNotFound: 'the parameter version does not exist',
  AccessDeniedException: 'access to the parameter is denied',
  ValidationException: 'the parameter name is not valid',
};

/** Reads the policy through Powertools Parameters, which caches the raw text for `cacheSeconds`. */
export function policyStore(
  client: ClientSource<SSMClient>,
  parameterName: string,
  cacheSeconds: number,
): PolicyPort {
  const provider = lazy(() => new (parameters().SSMProvider)({ awsSdkV3Client: resolveClient(client) }));
  let cached: { text: string; policy: LoadedPolicy } | undefined;
  return {
    parameterName,
    async load(): Promise<LoadedPolicy> {
      let text: string | undefined;
      try {
        text = await provider().get(parameterName, { maxAge: cacheSeconds });
      } catch (error) {
        const fault = permanentFault(error);
        if (fault) throw new PolicyError(parameterName, fault, { cause: error });
        throw error;
      }
      if (text === undefined || text.trim() === '')
        throw new PolicyError(parameterName, 'the parameter is empty');
      // Parse once per distinct text: the provider returns the same string while it is cached.
      if (cached?.text !== text) cached = { text, policy: parsePolicy(text, parameterName) };
      return cached.policy;
    },

    async history(limit: number): Promise<PolicyVersion[]> {
      const { GetParameterHistoryCommand } = sdk.ssm();
      const versions: PolicyVersion[] = [];
      let nextToken: string | undefined;
      try {
        // SSM lists the history oldest first (at most 100 versions are kept): read it all, keep the newest.
        do {
          const page = await resolveClient(client).send(
            new GetParameterHistoryCommand({
              Name: parameterName,
              WithDecryption: false,
              MaxResults: 50,
              NextToken: nextToken,
            }),
          );
          for (const entry of page.Parameters ?? []) {
            versions.push({
              version: entry.Version ?? 0,
              value: entry.Value ?? '',
              ...(entry.LastModifiedDate && { modifiedAt: entry.LastModifiedDate.toISOString() }),
              ...(entry.LastModifiedUser && { modifiedBy: entry.LastModifiedUser }),
            });
          }
          nextToken = page.NextToken;
        } while (nextToken);
      } catch (error) {
        if ((error as Error).name === 'ParameterNotFound') return [];
        throw error;
      }
      return versions.sort((a, b) => b.version - a.version).slice(0, limit);
    },

    invalidate(): void {
      cached = undefined;
      provider().clearCache();
    },
  };
}

function permanentFault(error: unknown): string | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const fault = PERMANENT_FAULTS[e.name];
    if (fault) return fault;
  }
  return undefined;
}
