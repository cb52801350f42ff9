import { Stack, Token, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

/** The resources the function's role is granted access to. */
export interface GuardPermissionResources {
  readonly policy: { readonly arn: string };
  readonly topic: sns.ITopic;
  /** The topic's customer managed key; absent: the AWS managed SNS key (organisation mode), or an existing topic without a customer managed key the stack knows of. */
  readonly topicKey?: kms.IKey;
  readonly recheckQueue: sqs.IQueue;
  readonly deadLetters: sqs.IQueue;
  readonly table: dynamodb.Table;
}

/** Exactly what the remediator calls, no broader grant helpers. */
export function grantGuardPermissions(role: iam.Role, res: GuardPermissionResources): void {
  const stack = Stack.of(role);
  const clusters = stack.formatArn({ service: 'eks', resource: 'cluster', resourceName: '*' });
  const statements = [
    new iam.PolicyStatement({
      sid: 'ReadAndRemediateClusters',
      // ListUpdates: a remediation whose attempt died after its update is found again (guard/intent.ts).
      actions: ['eks:DescribeCluster', 'eks:UpdateClusterConfig', 'eks:DescribeUpdate', 'eks:ListUpdates'],
      resources: [clusters],
    }),
    // ListClusters supports no resource-level permissions: it has to be '*'.
    new iam.PolicyStatement({ sid: 'ListClusters', actions: ['eks:ListClusters'], resources: ['*'] }),
    // EC2 describe calls support no resource-level permissions: lockout guard (VPC DNS settings,
    // subnets, and the DHCP options that say whether the VPC resolves with the Amazon DNS).
    new iam.PolicyStatement({
      sid: 'InspectClusterVpc',
      actions: [
        'ec2:DescribeVpcs',
        'ec2:DescribeVpcAttribute',
        'ec2:DescribeSubnets',
        'ec2:DescribeDhcpOptions',
      ],
      resources: ['*'],
    }),
    // LookupEvents supports no resource-level permissions: who made the change a sweep found.
    new iam.PolicyStatement({
      sid: 'AttributeDrift',
      actions: ['cloudtrail:LookupEvents'],
      resources: ['*'],
    }),
    // The history gives the previous version for a policy change alert (before -> after).
    new iam.PolicyStatement({
      sid: 'ReadPolicy',
      actions: ['ssm:GetParameter', 'ssm:GetParameterHistory'],
      resources: [res.policy.arn],
    }),
    new iam.PolicyStatement({
      sid: 'PublishAlerts',
      actions: ['sns:Publish'],
      resources: [res.topic.topicArn],
    }),
    // SNS encrypts with the topic key on the publisher's behalf; only through SNS.
    ...(res.topicKey
      ? [
          new iam.PolicyStatement({
            sid: 'UseAlertsKey',
            actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
            resources: [res.topicKey.keyArn],
            conditions: { StringEquals: { 'kms:ViaService': `sns.${stack.region}.amazonaws.com` } },
          }),
        ]
      : []),
    // Deferred re-checks, and the async on-failure destination. (Receiving from the recheck queue,
    // and the ChangeMessageVisibility that confirms a queued record, come with its event source.)
    new iam.PolicyStatement({
      sid: 'SendToQueues',
      actions: ['sqs:SendMessage'],
      resources: [res.recheckQueue.queueArn, res.deadLetters.queueArn],
    }),
    new iam.PolicyStatement({
      sid: 'WriteAudit',
      actions: ['dynamodb:PutItem'],
      resources: [res.table.tableArn],
    }),
    // The table, and the day index the scheduled sweep reads to seal each day's records into a digest.
    new iam.PolicyStatement({
      sid: 'QueryAudit',
      actions: ['dynamodb:Query'],
      resources: [res.table.tableArn, `${res.table.tableArn}/index/byDay`],
    }),
  ];
  for (const statement of statements) role.addToPrincipalPolicy(statement);

  const policy = role.node.findChild('DefaultPolicy');
  const acknowledgements: Record<string, string> = {
    'AwsSolutions-IAM5[Resource::*]':
      'Only actions without resource-level permissions use "*": eks:ListClusters, ec2:DescribeVpcs, ec2:DescribeVpcAttribute, ec2:DescribeSubnets, ec2:DescribeDhcpOptions, cloudtrail:LookupEvents, logs:StopQuery (the guard stops only the audit-log queries it started) and the X-Ray trace upload.',
    // In the form the checks print the ARN: literal where the stack's environment is pinned.
    [`AwsSolutions-IAM5[Resource::arn:${nagForm(stack.partition, 'AWS::Partition')}:eks:${nagForm(stack.region, 'AWS::Region')}:${nagForm(stack.account, 'AWS::AccountId')}:cluster/*]`]:
      'The guard must check and fix every cluster of the account and region, including clusters created later.',
  };
  for (const [id, reason] of Object.entries(acknowledgements))
    Validations.of(policy).acknowledge({ id, reason });
}

/** A pseudo parameter as the checks name it in a finding: its value when known at synth time. */
function nagForm(value: string, pseudo: string): string {
  return Token.isUnresolved(value) ? `<${pseudo}>` : value;
}
