import { SSMClient } from '@aws-sdk/client-ssm';
import { policyAdmin } from '../../../aws/policy-admin';
import { lintPolicy } from '../../../core/policy/lint';
import { DEFAULT_POLICY_PARAMETER_NAME, policyDigest } from '../../../core/policy/policy';
import { policyInWords } from '../../../core/policy/words';
import { ConfigError } from '../../../wiring/config';
import { CliError } from '../../cli-error';
import { nameFailedCalls } from '../../errors';
import { EXIT_ERROR, EXIT_OK } from '../../exit-codes';
import { shortTime } from '../../format';
import type { CliIo } from '../../io';
import { findingLine } from './validate';

export interface ShowOptions {
  json?: boolean;
}

/**
 * `policy show`: the live policy, its version, when and by whom it was last changed, and its rules
 * in words. Needs only POLICY_PARAMETER_NAME (or the default) and AWS_REGION. Exit 1 when the live
 * policy is missing or invalid (an invalid one is still shown, with its errors).
 */
export async function showCommand(options: ShowOptions, io: CliIo, env = process.env): Promise<number> {
  const region = env.AWS_REGION;
  if (!region) throw new ConfigError('environment variable AWS_REGION is not set');
  const name = env.POLICY_PARAMETER_NAME || DEFAULT_POLICY_PARAMETER_NAME;
  // The parameter is all this needs: no other SDK client is loaded.
  const ssm = new SSMClient({ region, maxAttempts: 5, retryMode: 'adaptive' });
  nameFailedCalls({ ssm });
  const admin = policyAdmin(ssm, name);
  const parameter = await admin.read();
  if (!parameter) throw new CliError(`${name} does not exist: publish one with "policy publish FILE"`);

  const { findings, policy } = lintPolicy(parameter.text, new Date());
  const errors = findings.filter((f) => f.severity === 'error');
  const words = policy ? policyInWords(policy) : [];
  if (options.json) {
    let document: unknown;
    try {
      document = JSON.parse(parameter.text);
    } catch {
      document = undefined;
    }
    io.out(
      `${JSON.stringify(
        {
          parameter: name,
          version: parameter.version,
          tier: parameter.tier,
          lastModified: parameter.lastModified?.toISOString(),
          lastModifiedUser: parameter.lastModifiedUser,
          digest: policyDigest(parameter.text),
          valid: errors.length === 0,
          findings,
          policy: document,
          words,
        },
        null,
        2,
      )}\n`,
    );
    return errors.length > 0 ? EXIT_ERROR : EXIT_OK;
  }

  const changed = parameter.lastModified
    ? `, last changed ${shortTime(parameter.lastModified.toISOString())}`
    : '';
  const by = parameter.lastModifiedUser ? ` by ${parameter.lastModifiedUser}` : '';
  io.out(`${io.style.bold(name)}: version ${parameter.version}${changed}${by} (${parameter.tier} tier)\n`);
  io.out(`${policyDigest(parameter.text)}\n`);
  if (policy) {
    io.out(`\n${io.style.bold('The rules')}\n${words.map((line) => `  ${line}`).join('\n')}\n`);
  }
  for (const finding of findings) io.out(`${findingLine(name, finding)}\n`);
  io.out(`\n${io.style.bold('The policy')}\n${parameter.text.trimEnd()}\n`);
  return errors.length > 0 ? EXIT_ERROR : EXIT_OK;
}
