import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cfn from 'aws-cdk-lib/aws-cloudformation';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, type Node } from 'constructs';
import { GuardConfigError } from './config';
import { BUNDLE_AWS_SDK, REMEDIATOR_RUNTIME, SOURCES_IN_MAP } from './guard-function';

/** The opt-in CloudFormation Lambda hook (`cfnHook`, DESIGN §17). */
export interface CfnHookOptions {
  /**
   * What CloudFormation and Cloud Control do with a cluster the hook fails: `FAIL` stops the
   * operation, `WARN` lets it proceed with a warning (a way to roll the hook out).
   * @default 'FAIL'
   */
  readonly failureMode?: 'FAIL' | 'WARN';
  /**
   * What the hook answers when it cannot decide (the policy unreadable, SSM throttled, a request
   * it cannot read): `allow` lets the operation proceed and alerts, so that a broken hook never
   * blocks every EKS deployment of the account; `deny` fails it (and alerts).
   * @default 'allow'
   */
  readonly onHookError?: 'allow' | 'deny';
}

/** The CloudFormation type alias of the hook: one per account and region, like the guard. */
export const HOOK_ALIAS = 'Private::EksEndpointGuard::ClusterHook';
/** Hooks wait 30 seconds for the function: it answers well before (it gives itself 15). */
export const HOOK_FUNCTION_TIMEOUT = Duration.seconds(20);

export interface GuardCfnHookProps extends CfnHookOptions {
  readonly policy: { readonly arn: string };
  readonly policyParameterName: string;
  /** The guard's alert topic: the hook's own faults are alerted there. */
  readonly topic: sns.ITopic;
  readonly topicKey?: kms.IKey;
  readonly logRetentionDays: number;
  /** The guard's log key (it covers every log group of the account and region); absent: CloudWatch Logs' own. */
  readonly logsKey?: kms.IKey;
}

/**
 * The hook: `AWS::CloudFormation::LambdaHook` on `AWS::EKS::Cluster` create and update, for stack
 * operations and Cloud Control API calls, its function (which may read the policy and publish its
 * own faults to the alert topic, nothing else) and the role CloudFormation assumes to invoke it.
 */
export class GuardCfnHook extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly executionRole: iam.Role;
  readonly hook: cfn.CfnLambdaHook;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: GuardCfnHookProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
      encryptionKey: props.logsKey,
    });
    this.role = new iam.Role(this, 'FunctionRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'eks-endpoint-guard CloudFormation hook: reads the policy, alerts its own faults',
    });
    this.logGroup.grantWrite(this.role);
    const statements = [
      new iam.PolicyStatement({
        sid: 'ReadPolicy',
        actions: ['ssm:GetParameter'],
        resources: [props.policy.arn],
      }),
      new iam.PolicyStatement({
        sid: 'AlertFaults',
        actions: ['sns:Publish'],
        resources: [props.topic.topicArn],
      }),
      ...(props.topicKey
        ? [
            new iam.PolicyStatement({
              sid: 'UseAlertsKey',
              actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
              resources: [props.topicKey.keyArn],
              conditions: { StringEquals: { 'kms:ViaService': `sns.${stack.region}.amazonaws.com` } },
            }),
          ]
        : []),
    ];
    for (const statement of statements) this.role.addToPrincipalPolicy(statement);

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(__dirname, '..', 'functions', 'hook', 'handler.ts'),
      handler: 'handler',
      runtime: REMEDIATOR_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout: HOOK_FUNCTION_TIMEOUT,
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      description:
        'Applies the EKS endpoint policy to AWS::EKS::Cluster before CloudFormation or Cloud Control deploys it',
      environment: {
        POLICY_PARAMETER_NAME: props.policyParameterName,
        TOPIC_ARN: props.topic.topicArn,
        ON_HOOK_ERROR: props.onHookError ?? 'allow',
        POLICY_CACHE_SECONDS: '60',
        POWERTOOLS_SERVICE_NAME: 'eks-endpoint-guard-hook',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.CJS,
        minify: true,
        sourceMap: true,
        sourcesContent: SOURCES_IN_MAP,
        bundleAwsSDK: BUNDLE_AWS_SDK,
        forceDockerBundling: false,
      },
    });
    Validations.of(this.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'CloudFormation invokes the hook synchronously and waits for its answer: there is no asynchronous event to keep.',
    });
    Validations.of(this.role.node.findChild('DefaultPolicy')).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the X-Ray trace upload (xray:PutTraceSegments, xray:PutTelemetryRecords), which supports no resource-level permissions.',
    });

    // What CloudFormation assumes to invoke the function: this account's hooks, this function only.
    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('hooks.cloudformation.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
      description: 'eks-endpoint-guard CloudFormation hook: invokes the hook function',
    });
    this.executionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'InvokeHookFunction',
        actions: ['lambda:InvokeFunction'],
        resources: [this.function.functionArn],
      }),
    );

    this.hook = new cfn.CfnLambdaHook(this, 'Hook', {
      alias: HOOK_ALIAS,
      lambdaFunction: this.function.functionArn,
      executionRole: this.executionRole.roleArn,
      failureMode: props.failureMode ?? 'FAIL',
      hookStatus: 'ENABLED',
      // Stack operations and Cloud Control API calls (eksctl, the aws-eks-v2 construct). The aws-eks
      // L2's Custom::AWSCDK-EKS-Cluster calls EKS itself: a target filter cannot name it.
      targetOperations: ['RESOURCE', 'CLOUD_CONTROL'],
      targetFilters: {
        targets: ['CREATE', 'UPDATE'].map((action) => ({
          action,
          invocationPoint: 'PRE_PROVISION',
          targetName: 'AWS::EKS::Cluster',
        })),
      },
    });
    // The role and its policy exist before CloudFormation registers the hook that uses them.
    this.hook.node.addDependency(this.executionRole);
  }
}

/** The hook's options from the construct prop: undefined when it is off. Throws on a bad value. */
export function cfnHookOptionsOf(value: boolean | CfnHookOptions | undefined): CfnHookOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return {};
  const { failureMode, onHookError } = value;
  if (failureMode !== undefined && failureMode !== 'FAIL' && failureMode !== 'WARN') {
    throw new GuardConfigError(`cfnHook failureMode ${String(failureMode)}: expected FAIL or WARN`);
  }
  if (onHookError !== undefined && onHookError !== 'allow' && onHookError !== 'deny') {
    throw new GuardConfigError(`cfnHook onHookError ${String(onHookError)}: expected allow or deny`);
  }
  return value;
}

/**
 * `-c cfnHook=true`, with `-c cfnHookFailureMode=FAIL|WARN` and `-c cfnHookOnError=allow|deny`;
 * undefined when the hook is not asked for.
 */
export function cfnHookFromContext(node: Node): CfnHookOptions | undefined {
  const text = (key: string): string | undefined => {
    const value = node.tryGetContext(key);
    return value === undefined || value === null || value === '' ? undefined : String(value).trim();
  };
  const enabled = text('cfnHook')?.toLowerCase();
  if (enabled !== undefined && enabled !== 'true' && enabled !== 'false') {
    throw new GuardConfigError(`context cfnHook: expected true or false, got "${enabled}"`);
  }
  const failureMode = text('cfnHookFailureMode')?.toUpperCase();
  const onHookError = text('cfnHookOnError')?.toLowerCase();
  if (failureMode !== undefined && failureMode !== 'FAIL' && failureMode !== 'WARN') {
    throw new GuardConfigError(`context cfnHookFailureMode: expected FAIL or WARN, got "${failureMode}"`);
  }
  if (onHookError !== undefined && onHookError !== 'allow' && onHookError !== 'deny') {
    throw new GuardConfigError(`context cfnHookOnError: expected allow or deny, got "${onHookError}"`);
  }
  if (enabled !== 'true') {
    if (failureMode !== undefined || onHookError !== undefined) {
      throw new GuardConfigError('context cfnHookFailureMode and cfnHookOnError need cfnHook=true');
    }
    return undefined;
  }
  return {
    ...(failureMode !== undefined ? { failureMode: failureMode as CfnHookOptions['failureMode'] } : {}),
    ...(onHookError !== undefined ? { onHookError: onHookError as CfnHookOptions['onHookError'] } : {}),
  };
}
