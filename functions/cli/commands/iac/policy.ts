import { parameterRegion } from '../../../core/parameter-region';
import {
  DEFAULT_POLICY_PARAMETER_NAME,
  type LoadedPolicy,
  PolicyError,
  policyDigest,
} from '../../../core/policy/policy';
import { ConfigError } from '../../../wiring/config';
import { CliError } from '../../cli-error';
import type { CliIo } from '../../io';
import { readCandidate } from '../policy/validate';

/**
 * The policy `iac check` applies: a file given with --policy (offline: no AWS client is created),
 * else the live one in SSM, read as the guard reads it.
 */
export async function readIacPolicy(
  file: string | undefined,
  io: CliIo,
  now: Date,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LoadedPolicy> {
  if (file !== undefined) {
    const { text, policy } = await readCandidate(file, io, now);
    return { policy, source: file, digest: policyDigest(text) };
  }
  const region = env.AWS_REGION;
  if (!region) {
    throw new ConfigError(
      'environment variable AWS_REGION is not set (or give the policy with --policy FILE)',
    );
  }
  const name = env.POLICY_PARAMETER_NAME || DEFAULT_POLICY_PARAMETER_NAME;
  // Loaded only here: an offline run never loads the SDK.
  const { SSMClient } = await import('@aws-sdk/client-ssm');
  const { policyStore } = await import('../../../aws/policy-store');
  const { nameFailedCalls } = await import('../../errors');
  const ssm = new SSMClient({ region: parameterRegion(name, region), maxAttempts: 5, retryMode: 'standard' });
  nameFailedCalls({ ssm });
  try {
    return await policyStore(ssm, name, 0).load();
  } catch (error) {
    if (error instanceof PolicyError)
      throw new CliError(`${error.message} (or give the policy with --policy FILE)`);
    throw error;
  }
}
