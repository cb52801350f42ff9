import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import packageJson from '../package.json';
import { EndpointGuard, type EndpointGuardProps } from './endpoint-guard';

export {
  DEFAULT_LOG_RETENTION_DAYS,
  DEFAULT_POLICY_FILE,
  DEFAULT_RECHECK_DEADLINE_MINUTES,
  DEFAULT_SWEEP_SCHEDULE,
  GuardConfigError,
} from './config';
export { EndpointGuard, type EndpointGuardProps } from './endpoint-guard';
export {
  BUNDLE_AWS_SDK,
  BUNDLE_CHARSET,
  RECHECK_MAX_CONCURRENCY,
  REMEDIATOR_RUNTIME,
  SOURCES_IN_MAP,
} from './guard-function';

export interface EndpointGuardStackProps extends StackProps, EndpointGuardProps {}

/** One guard as a stack of its own, with the outputs the CLI and operators read (DESIGN §5). */
export class EndpointGuardStack extends Stack {
  readonly guard: EndpointGuard;

  constructor(scope: Construct, id: string, props: EndpointGuardStackProps = {}) {
    super(scope, id, props);

    // `Default` adds nothing to logical ids: a deployed stack updates in place.
    this.guard = new EndpointGuard(this, 'Default', props);
    const guard = this.guard;

    new CfnOutput(this, 'TopicArn', { value: guard.topic.topicArn });
    new CfnOutput(this, 'RecheckQueueUrl', { value: guard.recheckQueue.queueUrl });
    new CfnOutput(this, 'AuditTableName', { value: guard.table.tableName });
    new CfnOutput(this, 'PolicyParameterName', { value: guard.policyParameter.name });
    new CfnOutput(this, 'FunctionName', { value: guard.function.functionName });
    new CfnOutput(this, 'DigestBucketName', { value: guard.digestBucket.bucketName });
    // The report names the guard's version (the CLI reads it with --stack).
    new CfnOutput(this, 'GuardVersion', { value: packageJson.version });
    if (guard.dashboard) new CfnOutput(this, 'DashboardName', { value: guard.dashboard.dashboardName });
  }
}
