/**
 * Monthly cost of the guard, from the synthesised templates and published list prices
 * (`npm run cost`, `npm run cost -- --json`). Fixed charges are counted from the resources in the
 * templates; usage charges from a stated workload (sweeps, clusters, events). Nothing is deployed:
 * the templates are synthesised in-process, offline, without bundling the function code.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildOrgApp } from '../infra/org/app';
import { EndpointGuardStack } from '../infra/stack';

/**
 * List prices, US East (N. Virginia), USD, before free tiers (which are per account and would
 * hide the per-region figure). Checked 2026-12-01 on the AWS pricing pages named in `source`.
 */
export const PRICES = {
  kmsKeyMonth: { usd: 1.0, source: 'https://aws.amazon.com/kms/pricing/ (customer managed key, per month)' },
  alarmMetricMonth: {
    usd: 0.1,
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (standard-resolution alarm, per metric in it)',
  },
  dashboardMonth: {
    usd: 3.0,
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (custom dashboard, per month)',
  },
  customMetricMonth: {
    usd: 0.3,
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (first 10,000 metrics)',
  },
  lambdaRequest: { usd: 0.2 / 1e6, source: 'https://aws.amazon.com/lambda/pricing/ (requests)' },
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    source: 'https://aws.amazon.com/lambda/pricing/ (Arm, first 7.5B GB-s)',
  },
  dynamoWriteUnit: {
    usd: 0.625 / 1e6,
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/ (write request unit, since 2024-11)',
  },
  eventBridgeCustomEvent: {
    usd: 1.0 / 1e6,
    source:
      'https://aws.amazon.com/eventbridge/pricing/ (custom events published, cross-account PutEvents included)',
  },
  sqsRequest: { usd: 0.4 / 1e6, source: 'https://aws.amazon.com/sqs/pricing/ (standard queue requests)' },
  logsIngestGb: {
    usd: 0.5,
    source: 'https://aws.amazon.com/cloudwatch/pricing/ (logs ingestion, standard class)',
  },
  xrayTrace: { usd: 5.0 / 1e6, source: 'https://aws.amazon.com/xray/pricing/ (traces recorded)' },
  kmsRequest: {
    usd: 0.03 / 1e4,
    source: 'https://aws.amazon.com/kms/pricing/ (requests, GenerateMac and VerifyMac included)',
  },
  ssmAdvancedParameterMonth: {
    usd: 0.05,
    source: 'https://aws.amazon.com/systems-manager/pricing/ (advanced parameter storage)',
  },
} as const;

/** What one member account-region does in a month. */
export interface Workload {
  clusters: number;
  sweepsPerMonth: number;
  /** Average sweep duration, seconds, at the function's memory. */
  sweepSeconds: number;
  /** Bytes of log per checked cluster (one decision line). */
  logBytesPerCheck: number;
  /** Write units per audit record (items of 1 to 2 KB). */
  writeUnitsPerRecord: number;
  /** Alerted decisions (sent to the central bus) per month. */
  alertsPerMonth: number;
  /**
   * Queued records that claim the guard's privileges and are proven before they are honoured: the
   * follow-ups of its updates (every 30 s until EKS is done), grace-period hops, queued alerts.
   */
  privilegedRecordsPerMonth: number;
}

export const DEFAULT_WORKLOAD: Workload = {
  clusters: 20,
  sweepsPerMonth: 24 * 30,
  sweepSeconds: 3,
  logBytesPerCheck: 1500,
  writeUnitsPerRecord: 2,
  alertsPerMonth: 10,
  privilegedRecordsPerMonth: 200,
};

/**
 * An SQS event source mapping long-polls an idle queue: Lambda keeps 5 pollers, each receiving
 * every 20 s. That is a fixed charge of every member with a recheck queue.
 */
export const IDLE_SQS_POLLS_PER_MONTH = 5 * 3 * 60 * 24 * 30;

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
}
export type Resources = Record<string, Resource>;

export interface Line {
  item: string;
  quantity: number;
  usd: number;
}

const byType = (resources: Resources, type: string) =>
  Object.values(resources).filter((r) => r.Type === type);

/** Metrics an alarm evaluates: one, or each metric of its math expression. */
function alarmMetrics(alarm: Resource): number {
  const metrics = alarm.Properties?.Metrics as { MetricStat?: unknown }[] | undefined;
  return metrics ? metrics.filter((m) => m.MetricStat).length : 1;
}

/** Custom (non-AWS/) metrics the template's alarms and dashboards name: published whenever they occur. */
export function customMetrics(resources: Resources): string[] {
  const names = new Set<string>();
  for (const alarm of byType(resources, 'AWS::CloudWatch::Alarm')) {
    const p = alarm.Properties ?? {};
    if (typeof p.Namespace === 'string' && !p.Namespace.startsWith('AWS/')) {
      const dims = ((p.Dimensions as { Name: string; Value: unknown }[] | undefined) ?? [])
        .map((d) => `${d.Name}=${JSON.stringify(d.Value)}`)
        .join(',');
      names.add(`${p.Namespace}/${p.MetricName}{${dims}}`);
    }
  }
  for (const dashboard of byType(resources, 'AWS::CloudWatch::Dashboard')) {
    const body = JSON.stringify(dashboard.Properties?.DashboardBody ?? '');
    // Dashboard bodies render metrics as ["Namespace","Name","dim","value",...] arrays.
    for (const match of body.matchAll(
      /\[\\"(EksEndpointGuard[^\\"]*)\\",\\"([A-Za-z]+)\\"((?:,\\"[^\\"]*\\")*)/g,
    )) {
      const dims = (match[3] ?? '').replaceAll('\\"', '').replace(/^,/, '');
      const pairs = dims.split(',').reduce<string[]>((acc, part, i, all) => {
        if (i % 2 === 0 && all[i + 1] !== undefined) acc.push(`${part}="${all[i + 1]}"`);
        return acc;
      }, []);
      names.add(`${match[1]}/${match[2]}{${pairs.join(',')}}`);
    }
  }
  return [...names].sort();
}

/** Charges that do not depend on the workload: counted from the template's resources. */
export function fixedCost(resources: Resources): Line[] {
  const keys = byType(resources, 'AWS::KMS::Key').length;
  const alarmMetricCount = byType(resources, 'AWS::CloudWatch::Alarm').reduce(
    (n, a) => n + alarmMetrics(a),
    0,
  );
  const dashboards = byType(resources, 'AWS::CloudWatch::Dashboard').length;
  const metrics = customMetrics(resources).length;
  const pollers = byType(resources, 'AWS::Lambda::EventSourceMapping').length * IDLE_SQS_POLLS_PER_MONTH;
  const advanced = byType(resources, 'AWS::SSM::Parameter').filter(
    (p) => p.Properties?.Tier === 'Advanced',
  ).length;
  return [
    { item: 'KMS customer managed keys', quantity: keys, usd: keys * PRICES.kmsKeyMonth.usd },
    {
      item: 'CloudWatch alarm metrics',
      quantity: alarmMetricCount,
      usd: alarmMetricCount * PRICES.alarmMetricMonth.usd,
    },
    { item: 'CloudWatch dashboards', quantity: dashboards, usd: dashboards * PRICES.dashboardMonth.usd },
    {
      item: 'Custom metrics (alarmed or graphed)',
      quantity: metrics,
      usd: metrics * PRICES.customMetricMonth.usd,
    },
    { item: 'SQS idle long polls (event source)', quantity: pollers, usd: pollers * PRICES.sqsRequest.usd },
    {
      item: 'SSM advanced parameters',
      quantity: advanced,
      usd: advanced * PRICES.ssmAdvancedParameterMonth.usd,
    },
  ];
}

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

/**
 * How a queued record proves it is the guard's own, per account-region a month: the chosen SQS
 * confirmation (one ChangeMessageVisibility per privileged record), against a MAC from a KMS HMAC
 * key only the guard's role may use (the key's monthly charge, a GenerateMac to send and a
 * VerifyMac to receive each record). The key alone would break the member's $1 a month.
 */
export function queueProofCost(workload: Workload): { sqs: number; kmsHmac: number; chosen: 'sqs' } {
  const records = workload.privilegedRecordsPerMonth;
  return {
    sqs: records * PRICES.sqsRequest.usd,
    kmsHmac: PRICES.kmsKeyMonth.usd + 2 * records * PRICES.kmsRequest.usd,
    chosen: 'sqs',
  };
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
  ];
}

export const total = (lines: Line[]) => lines.reduce((sum, line) => sum + line.usd, 0);

export interface Templates {
  single: Resources;
  member: Resources;
  central: Resources;
}

/** The real templates: the single-account stack, the StackSet member (organisation mode: the org app gives it the central bus) and the central stack. */
export function synthesizeTemplates(): Templates {
  const context = JSON.parse(readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8')).context;
  const quiet = { ...context, 'aws:cdk:bundling-stacks': [] };
  const single = new App({ context: quiet, outdir: path.join(tmpdir(), `guard-cost-${process.pid}-single`) });
  const stack = new EndpointGuardStack(single, 'EksEndpointGuard');
  const singleDir = single.synth().directory;
  const org = new App({
    outdir: path.join(tmpdir(), `guard-cost-${process.pid}-org`),
    context: {
      ...quiet,
      organizationId: 'o-costmodel00',
      organizationalUnits: 'r-cost',
      regions: 'us-east-1',
      centralAccount: '222233334444',
      managementAccountId: '111111111111',
    },
  });
  buildOrgApp(org);
  const orgDir = org.synth().directory;
  const read = (file: string): Resources => JSON.parse(readFileSync(file, 'utf8')).Resources;
  return {
    single: read(path.join(singleDir, stack.templateFile)),
    member: read(path.join(orgDir, 'stackset-member', 'Member.template.json')),
    central: read(path.join(orgDir, 'EksEndpointGuardCentral.template.json')),
  };
}

export interface CostReport {
  workload: Workload;
  /** Fixed plus usage, per account-region: the single-account stack and the StackSet member (organisation mode). */
  perMemberRegion: { single: number; member: number };
  /** The fixed part alone (what an idle account-region costs). */
  fixedPerMemberRegion: { single: number; member: number };
  lines: { single: Line[]; member: Line[]; central: Line[] };
  /** The proof of queued records: the SQS confirmation chosen, and what a KMS HMAC key would cost. */
  queueProof: ReturnType<typeof queueProofCost>;
  organisation: {
    accounts: number;
    regions: number;
    members: number;
    membersUsd: number;
    centralUsd: number;
  };
  prices: typeof PRICES;
}

export function costReport(
  templates: Templates,
  accounts = 200,
  regions = 4,
  workload = DEFAULT_WORKLOAD,
): CostReport {
  const members = accounts * regions;
  const lines = {
    single: [...fixedCost(templates.single), ...memberUsageCost(templates.single, workload)],
    member: [...fixedCost(templates.member), ...memberUsageCost(templates.member, workload)],
    central: [...fixedCost(templates.central), ...centralUsageCost(members, workload)],
  };
  return {
    workload,
    perMemberRegion: { single: total(lines.single), member: total(lines.member) },
    fixedPerMemberRegion: {
      single: total(fixedCost(templates.single)),
      member: total(fixedCost(templates.member)),
    },
    lines,
    queueProof: queueProofCost(workload),
    organisation: {
      accounts,
      regions,
      members,
      membersUsd: members * total(lines.member),
      centralUsd: total(lines.central),
    },
    prices: PRICES,
  };
}

const usd = (n: number) => `$${n.toFixed(n < 0.01 && n > 0 ? 4 : 2)}`;

export function renderMarkdown(report: CostReport): string {
  const { lines } = report;
  const items = lines.single.map((l) => l.item);
  const row = (item: string, list: Line[]) => {
    const line = list.find((l) => l.item === item);
    return line ? `${usd(line.usd)} (${Number(line.quantity.toFixed(3))})` : '—';
  };
  const out = [
    `Workload per member account-region: ${report.workload.clusters} clusters, ${report.workload.sweepsPerMonth} sweeps a month. List prices, us-east-1, before free tiers.`,
    '',
    '| item | single account | StackSet member (organisation mode) |',
    '|---|---|---|',
    ...items.map((item) => `| ${item} | ${row(item, lines.single)} | ${row(item, lines.member)} |`),
    `| fixed part | ${usd(report.fixedPerMemberRegion.single)} | ${usd(report.fixedPerMemberRegion.member)} |`,
    `| **per account-region** | **${usd(report.perMemberRegion.single)}** | **${usd(report.perMemberRegion.member)}** |`,
    '',
    '| central account | cost |',
    '|---|---|',
    ...lines.central.map((l) => `| ${l.item} (${Number(l.quantity.toFixed(3))}) | ${usd(l.usd)} |`),
    `| **central, ${report.organisation.members} members** | **${usd(report.organisation.centralUsd)}** |`,
    '',
    `Organisation of ${report.organisation.accounts} accounts × ${report.organisation.regions} regions: members ${usd(report.organisation.membersUsd)} + central ${usd(report.organisation.centralUsd)} = ${usd(report.organisation.membersUsd + report.organisation.centralUsd)} a month.`,
    '',
    `Proof of queued records (${report.workload.privilegedRecordsPerMonth} a month per account-region): SQS ChangeMessageVisibility ${usd(report.queueProof.sqs)} (chosen); a KMS HMAC key instead ${usd(report.queueProof.kmsHmac)}, the key alone ${usd(PRICES.kmsKeyMonth.usd)}.`,
  ];
  return out.join('\n');
}

function main(): void {
  const templates = synthesizeTemplates();
  const report = costReport(templates);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.log(renderMarkdown(report));
  const one = costReport(templates, 1, 1);
  console.log('');
  console.log(
    `One account, one region, organisation mode: member ${usd(one.perMemberRegion.member)} + central ${usd(one.organisation.centralUsd)} a month.`,
  );
}

if (require.main === module) main();
