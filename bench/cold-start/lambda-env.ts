import { awsEnv, NOWHERE, REGION } from '../lib/env';
import type { World } from '../lib/world';

/**
 * What Lambda adds for a function with active tracing (the stack's `Tracing.ACTIVE`): the execution
 * environment, a sampled trace header and the X-Ray daemon, here a loopback port that discards.
 */
const LAMBDA_TRACING_ENV = {
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:9',
  AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
  _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=557abcec3ee5a047;Sampled=1',
};

/** The function's environment as the stack sets it, with AWS pointed at the emulator or a dead loopback port. */
export function lambdaEnv(
  nodeOptions: string | undefined,
  world?: World,
  tracing = false,
): NodeJS.ProcessEnv {
  const base = awsEnv(world?.endpoint ?? NOWHERE);
  const env: NodeJS.ProcessEnv = {
    PATH: base.PATH,
    HOME: base.HOME,
    ...Object.fromEntries(Object.entries(base).filter(([name]) => name.startsWith('AWS_'))),
    AWS_REGION: REGION,
    POLICY_PARAMETER_NAME: '/eks-endpoint-guard/policy',
    TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:eks-endpoint-guard-alerts',
    RECHECK_QUEUE_URL: 'http://127.0.0.1:9/123456789012/eks-endpoint-guard-recheck',
    AUDIT_TABLE_NAME: 'eks-endpoint-guard-audit',
    ...(world ? world.env : {}),
    GUARD_ROLE_ARN: 'arn:aws:iam::123456789012:role/eks-endpoint-guard-remediator',
    POLICY_CACHE_SECONDS: '60',
    RECHECK_DEADLINE_MINUTES: '120',
    FLIP_FLOP_THRESHOLD: '3',
    FLIP_FLOP_WINDOW_MINUTES: '60',
    AUDIT_RETENTION_DAYS: '0',
    SWEEP_CONCURRENCY: '8',
    POWERTOOLS_SERVICE_NAME: 'eks-endpoint-guard',
    POWERTOOLS_METRICS_NAMESPACE: 'EksEndpointGuard',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
  if (nodeOptions) env.NODE_OPTIONS = nodeOptions;
  return tracing ? { ...env, ...LAMBDA_TRACING_ENV } : env;
}
