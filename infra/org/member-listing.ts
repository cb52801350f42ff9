import { Arn, Stack, Token, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';

/** The member StackSet as the central account knows it. */
export interface StackSetRef {
  readonly name: string;
  /** The StackSet's own region (its administrator's home region). */
  readonly region: string;
  /** The members' sweep schedule: a member silent two of its periods after it was listed is missing. */
  readonly memberSweepSchedule: string;
}

/**
 * Lets the watchdog find the account-regions that should report (DESIGN §15): it lists the member
 * StackSet's instances as the organisation's StackSets delegated administrator, and keeps one
 * `expected` item per instance in the central table. ListStackInstances answers only the
 * management account or a registered delegated administrator; the role may list this one StackSet
 * only, and needs nothing else of CloudFormation. StackSets with service-managed permissions live in the management account, even
 * those a delegated administrator creates, so the ARN names it when its id is known.
 */
export function memberListing(
  watchdog: { fn: lambda.Function; role: iam.Role },
  stackSet: StackSetRef,
  table: dynamodb.ITable,
  managementAccountId: string | undefined,
): void {
  const stack = Stack.of(watchdog.fn);
  const stackSetArn = Arn.format({
    partition: stack.partition,
    service: 'cloudformation',
    region: stackSet.region,
    account: managementAccountId ?? '*',
    resource: 'stackset',
    resourceName: `${stackSet.name}:*`,
  });
  watchdog.role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ListTheMemberStackSet',
      actions: ['cloudformation:ListStackInstances'],
      resources: [stackSetArn],
    }),
  );
  // A delegated administrator's calls check its registration; the action has no resource-level permissions.
  watchdog.role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'CheckDelegatedAdministrator',
      actions: ['organizations:ListDelegatedAdministrators'],
      resources: ['*'],
    }),
  );
  watchdog.role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'WriteExpected',
      actions: ['dynamodb:PutItem'],
      resources: [table.tableArn],
    }),
  );
  watchdog.fn.addEnvironment('STACKSET_NAME', stackSet.name);
  watchdog.fn.addEnvironment('STACKSET_REGION', stackSet.region);
  watchdog.fn.addEnvironment('MEMBER_SWEEP_SCHEDULE', stackSet.memberSweepSchedule);
  if (managementAccountId) watchdog.fn.addEnvironment('MANAGEMENT_ACCOUNT_ID', managementAccountId);
  const policy = watchdog.role.node.tryFindChild('DefaultPolicy');
  if (policy) {
    // In the form the checks print the ARN: literal where the stack's environment is pinned.
    const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
    const account = managementAccountId ?? '*';
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'organizations:ListDelegatedAdministrators has no resource-level permissions; StackSets asks a delegated administrator for it.',
    });
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:${partition}:cloudformation:${stackSet.region}:${account}:stackset/${stackSet.name}:*]`,
      reason:
        "The StackSet's id, which follows its name in the ARN, is assigned when it is created: the role may list that one StackSet by name.",
    });
  }
}
