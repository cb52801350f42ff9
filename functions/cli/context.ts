import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { callerAccount } from '../aws/caller-identity';
import type { AwsClients } from '../aws/clients';
import { accountOfArn } from '../core/arn';
import type { ProcessOptions } from '../guard/process-event';
import type { GuardPorts } from '../ports';
import { type GuardConfig, loadConfig } from '../wiring/config';
import { observer } from '../wiring/observe';
import { createPorts, guardOptions } from '../wiring/ports';
import { awsClients, type WriteTarget } from './aws-clients';
import { verboseLogs } from './log-lines';

/** What a command needs to run the guard the way the Lambda does, from the same environment. */
export interface GuardRuntime {
  config: GuardConfig;
  clients: AwsClients;
  ports: GuardPorts;
  /** The options the Lambda handler builds, with `act` chosen by the command. */
  processOptions(act: boolean): ProcessOptions;
  /**
   * The account the guard acts for: GUARD_ROLE_ARN's, else that of the credentials the CLI runs
   * with (one STS GetCallerIdentity, remembered for the run). An event or message for another
   * account is then ignored, never applied to this account's same-named cluster.
   */
  account(): Promise<string>;
}

/** What a report-only run never uses: alerts, re-checks and the audit trail. */
const ACTING_ONLY = ['TOPIC_ARN', 'RECHECK_QUEUE_URL', 'AUDIT_TABLE_NAME'] as const;
/** Stand-ins that pass validation; the ports built on them refuse every call (see reportOnly). */
const STAND_INS: Record<(typeof ACTING_ONLY)[number], string> = {
  TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:report-only',
  RECHECK_QUEUE_URL: 'https://sqs.invalid/000000000000/report-only',
  AUDIT_TABLE_NAME: 'report-only',
};

/**
 * `reportOnly`: the command decides and reports only (check without --fix, policy what-if), so the
 * topic, queue and table need not be configured; the ports of those that are not refuse any call.
 * `clients`: given clients (the demo's, pinned to its emulator) instead of ones from the environment.
 */
export function guardRuntime(
  env: NodeJS.ProcessEnv = process.env,
  options: { reportOnly?: boolean; clients?: AwsClients; writes?: WriteTarget } = {},
): GuardRuntime {
  const missing = options.reportOnly ? ACTING_ONLY.filter((name) => !env[name]) : [];
  const config = loadConfig(
    missing.length > 0 ? { ...env, ...Object.fromEntries(missing.map((n) => [n, STAND_INS[n]])) } : env,
  );
  const clients = options.clients ?? awsClients(config.AWS_REGION, options.writes);
  const ports = reportOnly(createPorts(config, clients), missing);
  const logger = new Logger({ serviceName: 'eks-endpoint-guard' });
  const metrics = new Metrics({ namespace: 'EksEndpointGuard', serviceName: 'eks-endpoint-guard' });
  // The command prints every decision (a table row or a JSON element): its log line only with --verbose.
  const decisions = verboseLogs()
    ? logger
    : new Logger({ serviceName: 'eks-endpoint-guard', logLevel: 'SILENT' });
  const { telemetry, observe } = observer(logger, metrics, decisions);
  const fromRole = accountOfArn(config.GUARD_ROLE_ARN);
  const fromCredentials = callerAccount(() => clients.sts);
  return {
    config,
    clients,
    ports,
    account: () => (fromRole ? Promise.resolve(fromRole) : fromCredentials()),
    processOptions: (act) => ({
      region: config.AWS_REGION,
      guardRoleArn: config.GUARD_ROLE_ARN,
      guardRoleId: config.GUARD_ROLE_ID,
      sweepConcurrency: config.SWEEP_CONCURRENCY,
      guard: guardOptions(config, act),
      telemetry,
      observe,
    }),
  };
}

/** Ports of unconfigured parts that fail loudly should a report-only run ever reach them. */
function reportOnly(ports: GuardPorts, missing: readonly string[]): GuardPorts {
  const refuse = (name: string) => () => {
    throw new Error(`${name} is not set: a report-only run does not alert, queue or record`);
  };
  return {
    ...ports,
    ...(missing.includes('TOPIC_ARN') ? { notifier: { publish: refuse('TOPIC_ARN') } } : {}),
    ...(missing.includes('RECHECK_QUEUE_URL')
      ? {
          recheck: {
            send: refuse('RECHECK_QUEUE_URL'),
            sendAlert: refuse('RECHECK_QUEUE_URL'),
            sendDecision: refuse('RECHECK_QUEUE_URL'),
            sendDelivery: refuse('RECHECK_QUEUE_URL'),
            // Nothing on an unconfigured queue is in flight: no record is confirmed.
            confirm: async () => false,
          },
        }
      : {}),
    ...(missing.includes('AUDIT_TABLE_NAME')
      ? {
          audit: {
            write: refuse('AUDIT_TABLE_NAME'),
            query: refuse('AUDIT_TABLE_NAME'),
            markChecked: refuse('AUDIT_TABLE_NAME'),
            sweepSummary: refuse('AUDIT_TABLE_NAME'),
            claim: refuse('AUDIT_TABLE_NAME'),
          },
        }
      : {}),
  };
}
