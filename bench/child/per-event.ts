// One warm process handling a stream of CloudTrail events with the Lambda's own wiring:
// processEvent over real ports and real SDK clients, against the emulator the environment names.
// Usage: node per-event.cjs <resultFile> <configFile>
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createAwsClients } from '../../functions/aws/clients';
import { retarget, type SandboxVpc, setEndpoint } from '../../functions/cli/sandbox';
import { processEvent } from '../../functions/guard/process-event';
import { loadConfig } from '../../functions/wiring/config';
import { observer } from '../../functions/wiring/observe';
import { createPorts, guardOptions } from '../../functions/wiring/ports';
import { cpuSecondsOf } from '../lib/proc';
import { SdkTiming } from '../lib/sdk-timing';

export interface PerEventConfig {
  root: string;
  account: string;
  clusters: string[];
  /** Re-opened to the world before each round (the guard closed them in the previous one). */
  nonCompliant: string[];
  warmupCluster: string;
  /** Records given to an extra cluster for the audit query measurement. */
  historyRecords: number;
  vpc: SandboxVpc;
  rounds: number;
  warmupEvents: number;
  floorCalls: number;
  seed: number;
  motoPid: number;
}

export interface EventSample {
  ms: number;
  outcome: string;
  calls: number;
  sdkMs: number;
}

const [resultFile, configFile] = process.argv.slice(2);

/** A small deterministic generator, so that every run plays the events in the same order. */
function shuffled<T>(items: T[], seed: number): T[] {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

async function main(): Promise<void> {
  if (!resultFile || !configFile) throw new Error('usage: per-event <resultFile> <configFile>');
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as PerEventConfig;
  const template = JSON.parse(
    readFileSync(join(config.root, 'events', 'update-config-open-world.json'), 'utf8'),
  ) as unknown;
  let sequence = 0;
  const eventFor = (cluster: string, round: number): unknown => {
    const event = retarget(template, {
      cluster,
      account: config.account,
      region: process.env.AWS_REGION,
    }) as {
      id: string;
      detail: { eventID: string; userIdentity: { arn: string } };
    };
    // Each event is a distinct API call (its own id); a different person each round.
    event.id = randomUUID();
    event.detail.eventID = randomUUID();
    event.detail.userIdentity.arn = `arn:aws:sts::${config.account}:assumed-role/PlatformAdmin/user-${round}`;
    sequence += 1;
    return event;
  };

  // The handler's module-level wiring (functions/remediator/handler.ts), minus middy and the tracer.
  const appConfig = loadConfig();
  const clients = createAwsClients(appConfig.AWS_REGION);
  const timing = new SdkTiming();
  timing.instrument(clients);
  const ports = createPorts(appConfig, clients);
  const logger = new Logger({ serviceName: 'eks-endpoint-guard' });
  const metrics = new Metrics({ namespace: 'EksEndpointGuard', serviceName: 'eks-endpoint-guard' });
  const { telemetry, observe } = observer(logger, metrics);
  const options = {
    region: appConfig.AWS_REGION,
    guardRoleArn: appConfig.GUARD_ROLE_ARN,
    sweepConcurrency: appConfig.SWEEP_CONCURRENCY,
    guard: guardOptions(appConfig, true),
    telemetry,
    observe,
  };
  const handle = async (event: unknown) => {
    const response = await processEvent(event, ports, options);
    // What the logMetrics middleware does at the end of each invocation.
    metrics.publishStoredMetrics();
    return response;
  };
  // Re-opening clusters is set-up, not measured: its own client, not instrumented.
  const setup = new EKSClient({ region: appConfig.AWS_REGION });

  for (let i = 0; i < config.warmupEvents; i++) await handle(eventFor(config.warmupCluster, 0));
  timing.byCommand.clear();

  const samples: EventSample[] = [];
  let cpuUs = 0;
  let wallMs = 0;
  let motoCpuMs = 0;
  for (let round = 1; round <= config.rounds; round++) {
    await Promise.all(
      config.nonCompliant.map((name) =>
        setEndpoint(
          setup,
          name,
          { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] },
          config.vpc,
        ),
      ),
    );
    const events = shuffled(config.clusters, config.seed + round).map((cluster) => eventFor(cluster, round));
    const cpuBefore = process.cpuUsage();
    const motoBefore = cpuSecondsOf(config.motoPid);
    const roundStarted = performance.now();
    for (const event of events) {
      timing.reset();
      const started = performance.now();
      const { results } = await handle(event);
      const elapsed = performance.now() - started;
      samples.push({
        ms: elapsed,
        outcome: results.map((r) => r.outcome).join(','),
        calls: timing.calls,
        sdkMs: timing.callMs,
      });
    }
    wallMs += performance.now() - roundStarted;
    motoCpuMs += (cpuSecondsOf(config.motoPid) - motoBefore) * 1000;
    const cpu = process.cpuUsage(cpuBefore);
    cpuUs += cpu.user + cpu.system;
  }
  // A copy: the calls measured below (floor, audit queries) must not count as calls of the events.
  const byCommand = structuredClone(timing.toJSON());

  // The emulator's floor: the cheapest call, alone, with the same client.
  const floor: number[] = [];
  for (let i = 0; i < config.floorCalls; i++) {
    const name = config.clusters[i % config.clusters.length] as string;
    const started = performance.now();
    await clients.eks.send(new DescribeClusterCommand({ name }));
    floor.push(performance.now() - started);
  }

  // The audit query of the first-sighting check (limit 1) as the store sends it (no Limit: the whole
  // 7-day window of the cluster comes back and all but one record are dropped), and with Limit 1.
  const documents = DynamoDBDocumentClient.from(clients.dynamodb);
  const since = () => new Date(Date.now() - 7 * 86_400_000).toISOString();
  const query = async (name: string, limit?: number) => {
    const started = performance.now();
    const page = await documents.send(
      new QueryCommand({
        TableName: appConfig.AUDIT_TABLE_NAME,
        KeyConditionExpression: 'pk = :pk AND sk >= :since',
        ExpressionAttributeValues: { ':pk': `${appConfig.AWS_REGION}#${name}`, ':since': since() },
        ScanIndexForward: false,
        ...(limit ? { Limit: limit } : {}),
      }),
    );
    return { ms: performance.now() - started, items: page.Items ?? [] };
  };
  const auditQuery = {
    withoutLimit: [] as number[],
    withLimit: [] as number[],
    items: [] as number[],
    history: { withoutLimit: [] as number[], withLimit: [] as number[], items: 0 },
  };
  let sample: Record<string, unknown> | undefined;
  for (const name of config.clusters) {
    const full = await query(name);
    auditQuery.withoutLimit.push(full.ms);
    auditQuery.items.push(full.items.length);
    auditQuery.withLimit.push((await query(name, 1)).ms);
    if (config.nonCompliant.includes(name)) sample ??= full.items[0];
  }
  // A cluster with one record per hour for a week, each a copy of a real record of this run.
  if (sample) {
    const history = `${config.clusters[0]}-history`;
    const pk = `${appConfig.AWS_REGION}#${history}`;
    for (let hour = 0; hour < config.historyRecords; hour++) {
      const time = new Date(Date.now() - hour * 3_600_000 - 60_000).toISOString();
      await documents.send(
        new PutCommand({
          TableName: appConfig.AUDIT_TABLE_NAME,
          Item: {
            ...sample,
            pk,
            sk: `${time}#sweep-${hour}/${history}#0#${String(sample.outcome)}`,
            time,
            day: time.slice(0, 10),
            cluster: history,
          },
        }),
      );
    }
    for (let i = 0; i < 10; i++) {
      const full = await query(history);
      auditQuery.history.withoutLimit.push(full.ms);
      auditQuery.history.items = full.items.length;
      auditQuery.history.withLimit.push((await query(history, 1)).ms);
    }
  }

  writeFileSync(
    resultFile,
    JSON.stringify({
      samples,
      byCommand,
      floor,
      auditQuery,
      cpuMs: cpuUs / 1000,
      wallMs,
      motoCpuMs,
      events: sequence,
    }),
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
