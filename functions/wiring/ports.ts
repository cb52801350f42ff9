import { alertPublisher } from '../aws/alert-publisher';
import { auditSeal } from '../aws/audit-seal';
import { auditStore } from '../aws/audit-store';
import { type AwsClients, createAwsClients } from '../aws/clients';
import { cachedClients } from '../aws/clients-cache';
import { insightsClients } from '../aws/clients-insights';
import { scanClients } from '../aws/clients-scan';
import { cloudTrailLookup } from '../aws/cloudtrail';
import { busClient, decisionBus } from '../aws/decision-bus';
import { digestStore } from '../aws/digest-store';
import { ec2Adapter } from '../aws/ec2';
import { eksAdapter } from '../aws/eks';
import { notifier } from '../aws/notifier';
import { policyStore } from '../aws/policy-store';
import { recheckQueue } from '../aws/recheck-queue';
import { securityHub } from '../aws/security-hub';
import { sweepBudget } from '../aws/sweep-budget';
import { accountOfArn } from '../core/arn';
import { memberEventSource } from '../core/decision-event';
import { parameterRegion } from '../core/parameter-region';
import { schedulePeriodSeconds } from '../core/schedule';
import type { GuardOptions } from '../guard/options';
import type { ClientsPort, DecisionEventsPort, GuardPorts } from '../ports';
import type { GuardConfig } from './config';

/** The adapters over one set of clients: shared by the Lambda handler and the CLI. */
export function createPorts(
  config: GuardConfig,
  clients: AwsClients,
  clock: () => Date = () => new Date(),
): GuardPorts {
  // A policy shared by ARN (organisation or home region) is read from the ARN's region.
  const policyRegion = parameterRegion(config.POLICY_PARAMETER_NAME, config.AWS_REGION);
  const policyClients = policyRegion === config.AWS_REGION ? clients : createAwsClients(policyRegion);
  const account = accountOfArn(config.GUARD_ROLE_ARN);
  return {
    // Thunks: each client (and its SDK package) is created on first use, not at start.
    eks: eksAdapter(() => clients.eks),
    ec2: ec2Adapter(() => clients.ec2),
    policy: policyStore(() => policyClients.ssm, config.POLICY_PARAMETER_NAME, config.POLICY_CACHE_SECONDS),
    notifier: notifier(() => clients.sns, config.TOPIC_ARN),
    audit: auditStore(
      () => clients.dynamodb,
      config.AUDIT_TABLE_NAME,
      config.AWS_REGION,
      config.AUDIT_RETENTION_DAYS,
      clock,
    ),
    recheck: recheckQueue(() => clients.sqs, config.RECHECK_QUEUE_URL, config.RECHECK_VISIBILITY_SECONDS),
    cloudtrail: cloudTrailLookup(() => clients.cloudtrail, { guardRoleArn: config.GUARD_ROLE_ARN }),
    ...(config.DECISION_BUS_ARN
      ? { decisions: decisionsPort(config.DECISION_BUS_ARN, config.SWEEP_SCHEDULE, config.AWS_REGION) }
      : {}),
    ...(config.CHAT_TOPIC_ARN && { chat: alertPublisher(() => clients.sns, config.CHAT_TOPIC_ARN) }),
    ...(config.SECURITY_HUB && { securityHub: securityHub(() => clients.securityhub) }),
    ...(config.DIGEST_BUCKET_NAME
      ? {
          seal: {
            source: auditSeal(() => clients.dynamodb, config.AUDIT_TABLE_NAME, config.AWS_REGION),
            store: digestStore(() => clients.s3, config.DIGEST_BUCKET_NAME),
            region: config.AWS_REGION,
            ...(account ? { account } : {}),
          },
        }
      : {}),
    sweepBudget: sweepBudget(
      () => clients.dynamodb,
      config.AUDIT_TABLE_NAME,
      config.AWS_REGION,
      // A schedule whose period cannot be read shares one budget per hour, the default schedule's.
      schedulePeriodSeconds(config.SWEEP_SCHEDULE) ?? 3600,
      clock,
    ),
    ...(config.CLIENTS_STRATEGY !== 'off' && { clients: clientsPort(config, clients, clock) }),
    clock,
  };
}

/** The audit-log look-up of the configured strategy, its answers kept per cluster for a while. */
function clientsPort(config: GuardConfig, clients: AwsClients, clock: () => Date): ClientsPort {
  const options = {
    windowHours: config.CLIENTS_WINDOW_HOURS,
    maxScanBytes: config.CLIENTS_MAX_SCAN_MB * 1_048_576,
    deadlineMs: config.CLIENTS_DEADLINE_SECONDS * 1000,
    clock,
  };
  const logs = () => clients.logs;
  const port =
    config.CLIENTS_STRATEGY === 'scan' ? scanClients(logs, options) : insightsClients(logs, options);
  return cachedClients(port, config.CLIENTS_CACHE_MINUTES * 60_000, () => clock().getTime());
}

/** The central bus, through a client in the bus's region (a bus in another region is the normal case). */
function decisionsPort(busArn: string, sweepSchedule: string, region: string): DecisionEventsPort {
  const bus = decisionBus(busClient(busArn));
  return { busArn, source: memberEventSource(region), sweepSchedule, send: (entries) => bus.send(entries) };
}

export function guardOptions(config: GuardConfig, act: boolean): GuardOptions {
  return {
    region: config.AWS_REGION,
    act,
    recheckDeadlineMinutes: config.RECHECK_DEADLINE_MINUTES,
    flipFlop: { threshold: config.FLIP_FLOP_THRESHOLD, windowMinutes: config.FLIP_FLOP_WINDOW_MINUTES },
  };
}
