import { ArnFormat, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { GuardConfigError } from './config';

/**
 * Remediation that knows whom it cuts off (DESIGN §18): how the function reads the clusters'
 * control-plane audit logs before a change that takes access away, and exactly the permissions
 * that needs: reading the log groups EKS writes (`/aws/eks/<cluster>/cluster`), nothing else.
 */
export interface ActiveClientsOptions {
  /**
   * `insights`: CloudWatch Logs Insights aggregates in the service (billed by bytes scanned);
   * `scan`: the function reads the events itself with a bounded FilterLogEvents (small clusters);
   * `off`: no look-up and no permission (decisions then say "unknown" where the policy asks).
   * @default 'insights'
   */
  readonly strategy?: 'insights' | 'scan' | 'off';
  /**
   * How far back a look-up reads, in hours (1 to 168).
   * @default 24
   */
  readonly windowHours?: number;
  /**
   * The most audit log one decision may scan, in MB (1 to 1,000,000); a look-up that would read
   * more stops and answers "unknown".
   * @default 1024
   */
  readonly maxScanMegabytes?: number;
  /**
   * How long one look-up may take, in seconds (1 to 120), within the function's own timeout.
   * @default 20
   */
  readonly deadlineSeconds?: number;
  /**
   * How long a cluster's answer is reused (0 to 1440 minutes), so that a sweep and the checks
   * around it do not read the log again.
   * @default 60
   */
  readonly cacheMinutes?: number;
}

export function validateActiveClients(options: ActiveClientsOptions | undefined): void {
  if (!options) return;
  const strategy = options.strategy;
  if (strategy !== undefined && !['insights', 'scan', 'off'].includes(strategy)) {
    throw new GuardConfigError(`activeClients.strategy ${strategy}: expected insights, scan or off`);
  }
  inRange('activeClients.windowHours', options.windowHours, 1, 168);
  inRange('activeClients.maxScanMegabytes', options.maxScanMegabytes, 1, 1_000_000);
  inRange('activeClients.deadlineSeconds', options.deadlineSeconds, 1, 120);
  inRange('activeClients.cacheMinutes', options.cacheMinutes, 0, 1440);
}

/** The function's configuration and the role's permissions for the chosen strategy. */
export function addActiveClients(
  fn: lambda.Function,
  role: iam.Role,
  options: ActiveClientsOptions = {},
): void {
  const strategy = options.strategy ?? 'insights';
  fn.addEnvironment('CLIENTS_STRATEGY', strategy);
  if (strategy === 'off') return;
  const settings: [string, number | undefined][] = [
    ['CLIENTS_WINDOW_HOURS', options.windowHours],
    ['CLIENTS_MAX_SCAN_MB', options.maxScanMegabytes],
    ['CLIENTS_DEADLINE_SECONDS', options.deadlineSeconds],
    ['CLIENTS_CACHE_MINUTES', options.cacheMinutes],
  ];
  for (const [name, value] of settings) if (value !== undefined) fn.addEnvironment(name, String(value));

  const stack = Stack.of(role);
  const groups = auditLogGroupArns(stack);
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ReadClusterAuditLogs',
      actions:
        strategy === 'insights' ? ['logs:StartQuery', 'logs:GetQueryResults'] : ['logs:FilterLogEvents'],
      resources: groups,
    }),
  );
  if (strategy === 'insights') {
    // StopQuery has no resource-level permissions; the guard stops only the queries it started.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'StopOwnAuditLogQueries',
        actions: ['logs:StopQuery'],
        resources: ['*'],
      }),
    );
  }
  const policy = role.node.findChild('DefaultPolicy');
  for (const group of groups) {
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagForm(stack, group)}]`,
      reason:
        'The audit log groups EKS writes for every cluster of the account and region (/aws/eks/<cluster>/cluster), including clusters created later: the guard reads who uses a cluster before cutting access.',
    });
  }
}

/** `/aws/eks/*\/cluster`, as a log group and with its streams (FilterLogEvents and StartQuery name either form). */
function auditLogGroupArns(stack: Stack): string[] {
  const group = stack.formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: '/aws/eks/*/cluster',
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  return [group, `${group}:*`];
}

/** The ARN as the checks print it in a finding: pseudo parameters by name unless pinned. */
function nagForm(stack: Stack, arn: string): string {
  const pseudo = (value: string, name: string) => (Token.isUnresolved(value) ? `<${name}>` : value);
  return `arn:${pseudo(stack.partition, 'AWS::Partition')}:logs:${pseudo(stack.region, 'AWS::Region')}:${pseudo(stack.account, 'AWS::AccountId')}:log-group:/aws/eks/*/cluster${arn.endsWith(':*') ? ':*' : ''}`;
}

function inRange(name: string, value: number | undefined, min: number, max: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
    throw new GuardConfigError(`${name} ${value}: expected an integer from ${min} to ${max}`);
  }
}
