import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { REMEDIATOR_RUNTIME } from '../stack';

/** One of the central stack's small functions (functions/central/handler.ts), with its role and log group. */
export interface CentralFunctionOptions {
  readonly handler: 'record' | 'watch' | 'notify';
  readonly description: string;
  readonly retention: logs.RetentionDays;
  readonly tableName: string;
  /** Where Lambda puts an event it could not process after its two retries (on-failure destination). */
  readonly failures?: sqs.IQueue;
  readonly environment?: Record<string, string>;
}

export function centralFunction(
  scope: Construct,
  id: string,
  options: CentralFunctionOptions,
): { fn: lambda.Function; role: iam.Role; logGroup: logs.LogGroup } {
  const { handler, description, retention } = options;
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention, removalPolicy: RemovalPolicy.RETAIN });
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `eks-endpoint-guard central ${handler}`,
  });
  logGroup.grantWrite(role);
  const fn = new NodejsFunction(scope, id, {
    entry: path.join(__dirname, '..', '..', 'functions', 'central', 'handler.ts'),
    handler,
    runtime: REMEDIATOR_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 256,
    timeout: Duration.minutes(1),
    role,
    logGroup,
    description,
    environment: {
      CENTRAL_AUDIT_TABLE_NAME: options.tableName,
      NODE_OPTIONS: '--enable-source-maps',
      ...options.environment,
    },
    ...(options.failures && { onFailure: new SqsDestination(options.failures), retryAttempts: 2 }),
    bundling: {
      format: OutputFormat.CJS,
      minify: true,
      sourceMap: true,
      sourcesContent: false,
      forceDockerBundling: false,
    },
  });
  Validations.of(fn).acknowledge({
    id: 'Serverless-LambdaDLQ',
    reason: options.failures
      ? 'An on-failure destination (the central dead-letter queue) keeps what Lambda could not process.'
      : 'Invoked by EventBridge rules whose targets have their own dead-letter queue and retry policy.',
  });
  Validations.of(fn).acknowledge({
    id: 'Serverless-LambdaTracing',
    reason:
      'One DynamoDB or SNS call per invocation: a trace would add cost per member event and say nothing new.',
  });
  return { fn, role, logGroup };
}
