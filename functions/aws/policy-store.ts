import type { SSMClient } from '@aws-sdk/client-ssm';
import { type LoadedPolicy, PolicyError, parsePolicy } from '../core/policy/policy';
import type { PolicyPort, PolicyVersion } from '../ports';
import { type ClientSource, resolveClient, sdk } from './clients';

/** SSM faults that retrying will not fix: they make the policy unreadable, not unavailable. */
const PERMANENT_FAULTS: Record<string, string> = {
  ParameterNotFound: 'the parameter does not exist',
  ParameterVersionNotFound: 'the parameter version does not exist',
  AccessDeniedException: 'access to the parameter is denied',
  ValidationException: 'the parameter name is not valid',
};

/**
 * Reads the policy with GetParameter, which returns the parameter's version with its text (the
 * version every decision records), and keeps both for `cacheSeconds`.
 */
export function policyStore(
  client: ClientSource<SSMClient>,
  parameterName: string,
  cacheSeconds: number,
  now: () => number = Date.now,
): PolicyPort {
  let read: { at: number; text: string; version?: number } | undefined;
  let cached: { text: string; version?: number; policy: LoadedPolicy } | undefined;
  return {
    parameterName,
    async load(): Promise<LoadedPolicy> {
      if (!read || now() - read.at >= cacheSeconds * 1000) {
        let parameter: { Value?: string; Version?: number } | undefined;
        try {
          const { GetParameterCommand } = sdk.ssm();
          ({ Parameter: parameter } = await resolveClient(client).send(
            new GetParameterCommand({ Name: parameterName }),
          ));
        } catch (error) {
          const fault = permanentFault(error);
          if (fault) throw new PolicyError(parameterName, fault, { cause: error });
          throw error;
        }
        read = {
          at: now(),
          text: parameter?.Value ?? '',
          ...(typeof parameter?.Version === 'number' ? { version: parameter.Version } : {}),
        };
      }
      const { text, version } = read;
      if (text.trim() === '') throw new PolicyError(parameterName, 'the parameter is empty');
      // Parse once per distinct text and version.
      if (cached?.text !== text || cached.version !== version) {
        const parsed = parsePolicy(text, parameterName);
        cached = {
          text,
          ...(version !== undefined ? { version } : {}),
          policy: version !== undefined ? { ...parsed, parameterVersion: version } : parsed,
        };
      }
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
      read = undefined;
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
