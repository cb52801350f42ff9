import { GUARD_NAME } from './guard-names';
import { SCP_MAX_CHARACTERS } from './scp';

/**
 * The protection SCP (`policy scp --protect-guard`): keeps a member account's administrators from
 * disabling or rewriting the guard, for the names actually deployed (core/guard-names.ts: the role,
 * function, queues and rules carry fixed names in both modes; the table, topic, log group, alarms
 * and keys carry names CloudFormation derives from the stack's, `EksEndpointGuard-…` for a stack of
 * its own, `StackSet-eks-endpoint-guard-…` for a StackSet instance). Only the roles that deploy the
 * guard may change it; only the guard's own role may write its records and alerts or import its
 * Security Hub findings. The role's name proves something only while nobody in a member account can
 * own or borrow it: so creating, passing, tagging or rewriting any `eks-endpoint-guard-*` role is the
 * deployer's alone. SCPs never bind the management account, where no member runs.
 */
export type ProtectMode = 'single' | 'organization';

export interface ProtectGuardOptions {
  mode: ProtectMode;
  /** The stack (single) or StackSet (organization) name; defaults `EksEndpointGuard` / `eks-endpoint-guard`. */
  stackName?: string;
  /** The roles that deploy the guard (ARN patterns); defaults per mode, see DEFAULT_DEPLOYERS. */
  deployerRoles?: readonly string[];
  partition?: string;
}

export interface ProtectionStatement {
  Sid: string;
  Effect: 'Deny';
  Action: string[];
  Resource: string | string[];
  Condition: Record<string, Record<string, string | string[]>>;
}

export interface RenderedProtection {
  document: { Version: '2012-10-17'; Statement: ProtectionStatement[] };
  /** Characters of the document as formatPolicy prints it (the limit counts whitespace too). */
  size: number;
  fits: boolean;
  /** Who may change the guard. */
  deployers: string[];
  /** What it protects, in words. */
  protects: string[];
  /** What it cannot do. */
  cannot: string[];
}

/** Who deploys the guard when none is named: the CDK bootstrap's roles, or StackSets' execution role. */
export const DEFAULT_DEPLOYERS: Record<ProtectMode, readonly string[]> = {
  single: ['role/cdk-*-cfn-exec-role-*', 'role/cdk-*-deploy-role-*'],
  organization: ['role/stacksets-exec-*'],
};
export const DEFAULT_STACK: Record<ProtectMode, string> = {
  single: 'EksEndpointGuard',
  organization: 'eks-endpoint-guard',
};

export function renderProtectionScp(options: ProtectGuardOptions): RenderedProtection {
  const p = options.partition ?? 'aws';
  const name = options.stackName ?? DEFAULT_STACK[options.mode];
  // What CloudFormation names the stack, and so starts the names it derives for the stack's resources with.
  const stack = options.mode === 'single' ? name : `StackSet-${name}-*`;
  const derived = `${stack.replace(/-\*$/, '')}-*`;
  const deployers = (options.deployerRoles ?? DEFAULT_DEPLOYERS[options.mode]).map((role) =>
    role.startsWith('arn:') ? role : `arn:${p}:iam::*:${role}`,
  );
  const guardRole = `arn:${p}:iam::*:role/${GUARD_NAME}-*`;
  const fn = `arn:${p}:lambda:*:*:function:${GUARD_NAME}*`;
  const notDeployer = { ArnNotLike: { 'aws:PrincipalArn': deployers } };
  const notGuard = { ArnNotLike: { 'aws:PrincipalArn': [...deployers, guardRole] } };
  const resources = [
    `arn:${p}:cloudformation:*:*:stack/${stack}/*`,
    fn,
    // Functions and roles the stack names itself (the CloudFormation hook's, say).
    `arn:${p}:lambda:*:*:function:${derived}`,
    `arn:${p}:iam::*:role/${GUARD_NAME}-*`,
    `arn:${p}:iam::*:role/${derived}`,
    `arn:${p}:ssm:*:*:parameter/${GUARD_NAME}/*`,
    `arn:${p}:sqs:*:*:${GUARD_NAME}*`,
    `arn:${p}:events:*:*:rule/${GUARD_NAME}*`,
    `arn:${p}:dynamodb:*:*:table/${derived}`,
    `arn:${p}:sns:*:*:${derived}`,
    `arn:${p}:logs:*:*:log-group:${derived}`,
    ...(options.mode === 'single'
      ? [
          `arn:${p}:cloudwatch:*:*:alarm:${derived}`,
          `arn:${p}:cloudwatch::*:dashboard/${GUARD_NAME}-*`,
          `arn:${p}:cloudtrail:*:*:trail/${derived}`,
          `arn:${p}:s3:::${derived.toLowerCase()}`,
        ]
      : []),
  ];
  const statements: ProtectionStatement[] = [
    {
      Sid: 'ProtectGuardResources',
      Effect: 'Deny',
      Action: [
        'cloudformation:CancelUpdateStack',
        'cloudformation:ContinueUpdateRollback',
        'cloudformation:CreateChangeSet',
        'cloudformation:DeleteStack',
        'cloudformation:ExecuteChangeSet',
        'cloudformation:SetStackPolicy',
        'cloudformation:UpdateStack',
        'cloudformation:UpdateTerminationProtection',
        'lambda:AddPermission',
        'lambda:CreateFunctionUrlConfig',
        'lambda:Delete*',
        'lambda:InvokeFunction',
        'lambda:Put*',
        'lambda:RemovePermission',
        'lambda:TagResource',
        'lambda:UntagResource',
        'lambda:Update*',
        // The role's name is what the central bus admits: nobody but the deployer may own or borrow it.
        'iam:Attach*',
        'iam:CreateRole',
        'iam:Delete*',
        'iam:Detach*',
        'iam:PassRole',
        'iam:Put*',
        'iam:Tag*',
        'iam:Untag*',
        'iam:Update*',
        'ssm:Delete*',
        'ssm:LabelParameterVersion',
        'ssm:PutParameter',
        'ssm:UnlabelParameterVersion',
        'sqs:AddPermission',
        'sqs:DeleteQueue',
        'sqs:PurgeQueue',
        'sqs:RemovePermission',
        'sqs:SetQueueAttributes',
        'dynamodb:DeleteTable',
        'dynamodb:UpdateContinuousBackups',
        'dynamodb:UpdateTable',
        'dynamodb:UpdateTimeToLive',
        'sns:DeleteTopic',
        'sns:SetTopicAttributes',
        'sns:Subscribe',
        'sns:Unsubscribe',
        'events:DeleteRule',
        'events:DisableRule',
        'events:PutRule',
        'events:PutTargets',
        'events:RemoveTargets',
        'logs:DeleteLogGroup',
        'logs:DeleteRetentionPolicy',
        'logs:DisassociateKmsKey',
        'logs:PutRetentionPolicy',
        ...(options.mode === 'single'
          ? [
              'cloudwatch:DeleteAlarms',
              'cloudwatch:DeleteDashboards',
              'cloudwatch:DisableAlarmActions',
              'cloudwatch:PutDashboard',
              'cloudwatch:PutMetricAlarm',
              'cloudtrail:DeleteTrail',
              'cloudtrail:PutEventSelectors',
              'cloudtrail:StopLogging',
              'cloudtrail:UpdateTrail',
              's3:DeleteBucket',
              's3:DeleteBucketPolicy',
              's3:PutBucketPolicy',
              's3:PutLifecycleConfiguration',
            ]
          : []),
      ],
      Resource: resources,
      Condition: notDeployer,
    },
    {
      Sid: 'ProtectGuardMappings',
      Effect: 'Deny',
      Action: [
        'lambda:CreateEventSourceMapping',
        'lambda:DeleteEventSourceMapping',
        'lambda:UpdateEventSourceMapping',
      ],
      Resource: '*',
      Condition: { ArnLike: { 'lambda:FunctionArn': [fn] }, ...notDeployer },
    },
    {
      Sid: 'ProtectGuardKeys',
      Effect: 'Deny',
      Action: ['kms:DisableKey', 'kms:DisableKeyRotation', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion'],
      Resource: '*',
      Condition: { StringLike: { 'aws:ResourceTag/aws:cloudformation:stack-name': stack }, ...notDeployer },
    },
    {
      Sid: 'OnlyTheGuardWritesItsRecordsAndAlerts',
      Effect: 'Deny',
      Action: [
        'dynamodb:BatchWriteItem',
        'dynamodb:DeleteItem',
        'dynamodb:PartiQLDelete',
        'dynamodb:PartiQLInsert',
        'dynamodb:PartiQLUpdate',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'sns:Publish',
        'sqs:SendMessage',
      ],
      Resource: [
        `arn:${p}:dynamodb:*:*:table/${derived}`,
        `arn:${p}:sns:*:*:${derived}`,
        `arn:${p}:sqs:*:*:${GUARD_NAME}*`,
      ],
      Condition: notGuard,
    },
    {
      // The guard's finding Ids are deterministic: an import by anyone else could archive one as PASSED.
      Sid: 'OnlyTheGuardImportsFindings',
      Effect: 'Deny',
      Action: ['securityhub:BatchImportFindings'],
      Resource: `arn:${p}:securityhub:*:*:product/*/default`,
      Condition: notGuard,
    },
  ];
  const document = { Version: '2012-10-17' as const, Statement: statements };
  const size = formatPolicy(document).length;
  return {
    document,
    size,
    fits: size <= SCP_MAX_CHARACTERS,
    deployers,
    protects: [
      `the guard's function ${GUARD_NAME}* (code, configuration, concurrency, permissions, invoking it, its event source mapping), its rules, its queues and their policies`,
      `every ${GUARD_NAME}-* role: creating, passing, tagging, rewriting or deleting one (the central bus admits the member role by name)`,
      `the stack ${stack}, its policy parameter, table, topic, log group${options.mode === 'single' ? ', alarms, dashboard, trail and bucket' : ''} and keys`,
      `writing the guard's records and alerts, and importing Security Hub findings (the guard's Ids are deterministic): the guard's role only`,
    ],
    cannot: [
      'bind the management account: SCPs never apply there, and service-managed StackSets never deploy a member there',
      "bind service principals or service-linked roles (EventBridge, Lambda's event source mapping)",
      `stop a principal of the deployer roles (${deployers.join(', ')}): keep them to the pipeline`,
      'stop a non-compliant endpoint change: the guard undoes that',
    ],
  };
}

/**
 * A policy as people read it and AWS Organizations counts it (whitespace included): objects one key
 * a line, lists of names on one line, so that the document stays within the 5,120 characters.
 */
export function formatPolicy(value: unknown, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.every((item) => item === null || typeof item !== 'object')) {
      return `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
    }
    return `[\n${value.map((item) => `${inner}${formatPolicy(item, inner)}`).join(',\n')}\n${indent}]`;
  }
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const entries = Object.entries(value).map(
    ([key, child]) => `${inner}${JSON.stringify(key)}: ${formatPolicy(child, inner)}`,
  );
  return `{\n${entries.join(',\n')}\n${indent}}`;
}
