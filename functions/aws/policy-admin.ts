import type { ParameterTier, SSMClient } from '@aws-sdk/client-ssm';
import { type ClientSource, resolveClient, sdk } from './clients';

/** The policy parameter as its administrators see it: the text, which version, and who last changed it. */
export interface PolicyParameter {
  name: string;
  text: string;
  version: number;
  tier: string;
  lastModified?: Date;
  lastModifiedUser?: string;
}

/** Another writer got there first: what was previewed is not what would be overwritten. */
export class PolicyChangedError extends Error {
  override readonly name = 'PolicyChangedError';
}

export interface PolicyAdmin {
  readonly parameterName: string;
  /** undefined when the parameter does not exist. */
  read(): Promise<PolicyParameter | undefined>;
  /** The version now, without the history (cheap): undefined when the parameter does not exist. */
  version(): Promise<number | undefined>;
  /**
   * Writes the text in one PutParameter call and returns the new version. With `expectedVersion`,
   * refuses (PolicyChangedError) when the parameter is no longer at that version (undefined: absent).
   */
  write(text: string, options: { tier?: string; expectedVersion?: number | undefined }): Promise<number>;
}

/** Standard parameters hold 4 KB. */
const STANDARD_LIMIT = 4096;

/** SSM history, read and write of the policy parameter: `policy show` and `policy publish`. */
export function policyAdmin(client: ClientSource<SSMClient>, parameterName: string): PolicyAdmin {
  const ssm = () => resolveClient(client);
  const version = async (): Promise<number | undefined> => {
    try {
      const { Parameter } = await ssm().send(new (sdk.ssm().GetParameterCommand)({ Name: parameterName }));
      return Parameter?.Version;
    } catch (error) {
      if ((error as Error).name === 'ParameterNotFound') return undefined;
      throw error;
    }
  };
  return {
    parameterName,
    version,
    async read() {
      let parameter: { Value?: string; Version?: number; LastModifiedDate?: Date } | undefined;
      try {
        ({ Parameter: parameter } = await ssm().send(
          new (sdk.ssm().GetParameterCommand)({ Name: parameterName }),
        ));
      } catch (error) {
        if ((error as Error).name === 'ParameterNotFound') return undefined;
        throw error;
      }
      if (!parameter) return undefined;
      const current = parameter.Version ?? 0;
      // The history is oldest first and paged: the entry of the current version says who wrote it.
      let entry: { Tier?: string; LastModifiedDate?: Date; LastModifiedUser?: string; Version?: number } = {};
      let token: string | undefined;
      do {
        const page = await ssm().send(
          new (sdk.ssm().GetParameterHistoryCommand)({
            Name: parameterName,
            MaxResults: 50,
            NextToken: token,
          }),
        );
        for (const item of page.Parameters ?? [])
          if (item.Version === current || !entry.Version) entry = item;
        token = page.NextToken;
      } while (token && entry.Version !== current);
      const lastModified = entry.LastModifiedDate ?? parameter.LastModifiedDate;
      return {
        name: parameterName,
        text: parameter.Value ?? '',
        version: current,
        tier: entry.Tier ?? 'Standard',
        ...(lastModified ? { lastModified } : {}),
        // An emulator says "N/A" where SSM names the IAM identity.
        ...(entry.LastModifiedUser && entry.LastModifiedUser !== 'N/A'
          ? { lastModifiedUser: entry.LastModifiedUser }
          : {}),
      };
    },
    async write(text, options) {
      if ('expectedVersion' in options) {
        const now = await version();
        if (now !== options.expectedVersion) {
          throw new PolicyChangedError(
            `${parameterName} changed since it was read (version ${options.expectedVersion ?? 'none'} → ${now ?? 'deleted'}): nothing written; run the command again`,
          );
        }
      }
      const tier =
        options.tier === 'Advanced' || Buffer.byteLength(text) > STANDARD_LIMIT ? 'Advanced' : options.tier;
      const { Version } = await ssm().send(
        new (sdk.ssm().PutParameterCommand)({
          Name: parameterName,
          Value: text,
          Type: 'String',
          Overwrite: true,
          ...(tier ? { Tier: tier as ParameterTier } : {}),
        }),
      );
      return Version ?? 0;
    },
  };
}
