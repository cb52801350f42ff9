import { readFileSync } from 'node:fs';
import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { DEFAULT_POLICY_PARAMETER_NAME, PolicyError, parsePolicy } from '../functions/core/policy/policy';
import { DEFAULT_POLICY_FILE, GuardConfigError } from './config';

/** The policy parameter as the function reads it: `name` is what POLICY_PARAMETER_NAME holds. */
export interface GuardPolicyParameter {
  readonly name: string;
  readonly arn: string;
}

/**
 * The policy parameter: created in `scope` (id `PolicyParameter`) from a policy file validated at
 * synth time, or an existing one given by name or ARN (`existing`), in which case none is created.
 */
export function guardPolicyParameter(
  scope: Construct,
  options: { existing?: string; policyFile?: string },
): GuardPolicyParameter {
  const existing = options.existing?.trim();
  if (existing) {
    if (existing.startsWith('arn:')) {
      // A shared parameter (e.g. through RAM) is read by its full ARN.
      const { service, resource } = Arn.split(existing, ArnFormat.SLASH_RESOURCE_NAME);
      if (service !== 'ssm' || resource !== 'parameter') {
        throw new GuardConfigError(`policyParameter ${existing}: expected an SSM parameter ARN`);
      }
      return { name: existing, arn: existing };
    }
    const name = existing.startsWith('/') ? existing : `/${existing}`;
    const arn = Stack.of(scope).formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: name.slice(1),
    });
    return { name: existing, arn };
  }

  const file = options.policyFile ?? DEFAULT_POLICY_FILE;
  const text = readPolicyFile(file);
  parsePolicy(text, file);
  const bytes = Buffer.byteLength(text);
  if (bytes > 8192) throw new PolicyError(file, `is ${bytes} bytes; a parameter holds at most 8192`);
  const parameter = new ssm.StringParameter(scope, 'PolicyParameter', {
    parameterName: DEFAULT_POLICY_PARAMETER_NAME,
    description: 'eks-endpoint-guard policy (JSON)',
    stringValue: text,
    // Standard parameters hold 4 KB; larger policies need the advanced tier.
    tier: bytes > 4096 ? ssm.ParameterTier.ADVANCED : ssm.ParameterTier.STANDARD,
  });
  return { name: parameter.parameterName, arn: parameter.parameterArn };
}

function readPolicyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new PolicyError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      cause: error,
    });
  }
}
