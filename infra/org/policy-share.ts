import { readFileSync } from 'node:fs';
import { Aws, CfnOutput } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as ram from 'aws-cdk-lib/aws-ram';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { PolicyError, parsePolicy } from '../../functions/core/policy/policy';
import { DEFAULT_POLICY_FILE } from '../stack';
import { OrgConfigError, validOrganizationId } from './config';

/** The organisation's policy parameter; members read it by its full ARN. */
export const ORGANISATION_POLICY_PARAMETER_NAME = '/eks-endpoint-guard/organisation/policy';
/** The AWS managed RAM permission that lets consumers read (GetParameter, …) a shared parameter. */
export const SSM_PARAMETER_READ_ONLY_PERMISSION = 'AWSRAMDefaultPermissionSSMParameterReadOnly';

export interface SharedPolicyProps {
  /** The organisation the policy is shared with. */
  readonly organizationId: string;
  /** The organisation's management account: with the organisation id it names the RAM principal. */
  readonly managementAccountId: string;
  /** JSON policy file; validated at synth time. */
  readonly policyFile?: string;
  /** Where a change of the organisation's policy is alerted (the trust model: every weakening is seen). */
  readonly alertTopic?: sns.ITopic;
  /** Where a change alert that cannot be delivered to the topic goes. */
  readonly deadLetterQueue?: sqs.IQueue;
}

/**
 * One policy for the organisation (DESIGN §12): an advanced-tier String parameter (only advanced
 * parameters can be shared) shared read-only with every account of the organisation through AWS RAM.
 * A member guard reads it by its full ARN with an SSM client in the parameter's region, and may
 * still be given its own parameter instead.
 */
export class SharedPolicy extends Construct {
  readonly parameter: ssm.StringParameter;
  readonly share: ram.CfnResourceShare;

  constructor(scope: Construct, id: string, props: SharedPolicyProps) {
    super(scope, id);
    if (!validOrganizationId(props.organizationId)) {
      throw new OrgConfigError(
        `organizationId ${props.organizationId}: expected o- and 10 to 32 lowercase letters or digits`,
      );
    }
    if (!/^\d{12}$/.test(props.managementAccountId)) {
      throw new OrgConfigError(
        `managementAccountId ${props.managementAccountId}: expected a 12-digit account id`,
      );
    }
    const file = props.policyFile ?? DEFAULT_POLICY_FILE;
    const text = readPolicy(file);
    parsePolicy(text, file);

    this.parameter = new ssm.StringParameter(this, 'Parameter', {
      parameterName: ORGANISATION_POLICY_PARAMETER_NAME,
      description: 'eks-endpoint-guard policy of the organisation (JSON), shared through AWS RAM',
      stringValue: text,
      tier: ssm.ParameterTier.ADVANCED,
    });

    this.share = new ram.CfnResourceShare(this, 'Share', {
      name: 'eks-endpoint-guard-policy',
      resourceArns: [this.parameter.parameterArn],
      principals: [
        `arn:${Aws.PARTITION}:organizations::${props.managementAccountId}:organization/${props.organizationId}`,
      ],
      // Nobody outside the organisation, whatever the principals list says later.
      allowExternalPrincipals: false,
      permissionArns: [`arn:${Aws.PARTITION}:ram::aws:permission/${SSM_PARAMETER_READ_ONLY_PERMISSION}`],
    });

    if (props.alertTopic) {
      // Parameter Store sends its own change events (no trail needed) in the parameter's account.
      new events.Rule(this, 'ChangeRule', {
        description: "A change to the organisation's EKS endpoint policy",
        eventPattern: {
          source: ['aws.ssm'],
          detailType: ['Parameter Store Change'],
          detail: { name: [ORGANISATION_POLICY_PARAMETER_NAME] },
        },
        targets: [
          new targets.SnsTopic(props.alertTopic, {
            deadLetterQueue: props.deadLetterQueue,
            retryAttempts: 20,
          }),
        ],
      });
    }

    new CfnOutput(this, 'PolicyParameterArn', {
      value: this.parameter.parameterArn,
      description: 'Give this to the member guards as policyParameter',
    });
  }
}

function readPolicy(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PolicyError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
      cause: error,
    });
  }
  // Advanced parameters hold 8 KB.
  const bytes = Buffer.byteLength(text);
  if (bytes > 8192) throw new PolicyError(file, `is ${bytes} bytes; a parameter holds at most 8192`);
  return text;
}
