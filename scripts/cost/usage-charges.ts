import type { Line } from './line';
import { PRICES } from './prices';
import { queueProofCost } from './queue-proof';
import { byType, type Resources } from './templates';
import type { Workload } from './workload';

/** Usage charges of one member account-region running the given workload. */
export function memberUsageCost(resources: Resources, workload: Workload): Line[] {
  const fn = byType(resources, 'AWS::Lambda::Function')[0];
  const memoryGb = Number(fn?.Properties?.MemorySize ?? 512) / 1024;
  const checks = workload.clusters * workload.sweepsPerMonth;
  const traced = (fn?.Properties?.TracingConfig as { Mode?: string } | undefined)?.Mode === 'Active';
  const sendsEvents = JSON.stringify(fn?.Properties?.Environment ?? {}).includes('DECISION_BUS_ARN');
  const events = sendsEvents ? workload.sweepsPerMonth + workload.alertsPerMonth : 0;
  const gbSeconds = workload.sweepsPerMonth * workload.sweepSeconds * memoryGb;
  return [
    {
      item: 'Lambda requests (sweeps)',
      quantity: workload.sweepsPerMonth,
      usd: workload.sweepsPerMonth * PRICES.lambdaRequest.usd,
    },
    {
      item: 'Lambda GB-seconds (sweeps)',
      quantity: gbSeconds,
      usd: gbSeconds * PRICES.lambdaArmGbSecond.usd,
    },
    {
      item: 'DynamoDB writes (one audit record per check)',
      quantity: checks * workload.writeUnitsPerRecord,
      usd: checks * workload.writeUnitsPerRecord * PRICES.dynamoWriteUnit.usd,
    },
    {
      item: 'CloudWatch Logs ingestion',
      quantity: (checks * workload.logBytesPerCheck) / 1e9,
      usd: ((checks * workload.logBytesPerCheck) / 1e9) * PRICES.logsIngestGb.usd,
    },
    {
      item: 'X-Ray traces',
      quantity: traced ? workload.sweepsPerMonth : 0,
      usd: traced ? workload.sweepsPerMonth * PRICES.xrayTrace.usd : 0,
    },
    {
      item: 'EventBridge events to the central bus',
      quantity: events,
      usd: events * PRICES.eventBridgeCustomEvent.usd,
    },
    {
      item: 'SQS ChangeMessageVisibility (proof of queued records)',
      quantity: workload.privilegedRecordsPerMonth,
      usd: queueProofCost(workload).sqs,
    },
  ];
}

/** Usage charges of the central account for `members` account-regions. */
export function centralUsageCost(members: number, workload: Workload): Line[] {
  const events = members * (workload.sweepsPerMonth + workload.alertsPerMonth);
  const gbSeconds = events * 0.05 * 0.25;
  return [
    { item: 'Recorder invocations', quantity: events, usd: events * PRICES.lambdaRequest.usd },
    {
      item: 'Recorder GB-seconds (50 ms at 256 MB)',
      quantity: gbSeconds,
      usd: gbSeconds * PRICES.lambdaArmGbSecond.usd,
    },
    {
      item: 'DynamoDB writes (heartbeats and decisions)',
      quantity: events * 1,
      usd: events * PRICES.dynamoWriteUnit.usd,
    },
    { item: 'Watchdog runs (hourly)', quantity: 720, usd: 720 * PRICES.lambdaRequest.usd },
    {
      // The watchdog keeps one expected item per StackSet instance, written at each run.
      item: 'DynamoDB writes (expected members, hourly)',
      quantity: members * 720,
      usd: members * 720 * PRICES.dynamoWriteUnit.usd,
    },
  ];
}
