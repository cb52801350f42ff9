import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { onCleanup } from '../bench/lib/cleanup';
import { startMoto } from '../bench/lib/moto';
import { endpointConfigOf } from '../functions/core/endpoint';
import { type Policy, parsePolicy } from '../functions/core/policy/policy';
import { AsyncInvoker } from './async-invoke';
import { bundleWorker, ROOT, synthesiseFunction, tmpDir } from './bundle';
import { auditTable, drainQueue, failedEventId } from './collect';
import { EksModel } from './eks-model';
import { checkInvariants, type Evidence, type InvariantResult } from './invariants';
import type { StormOptions } from './options';
import { People } from './people';
import { type StormPlan, stormPlan } from './plan';
import { startProxy } from './proxy';
import { peekQueue, waitForQuiet } from './quiet';
import { Random } from './random';
import { workerAccessKey } from './request';
import { QueueSource } from './sqs-source';
import { scheduleEvent, type TrailContext, trailEvent } from './trail';
import { WorkerPool } from './workers';
import { type Action, clustersOf, POLICIES, tally, workloadOf } from './workload';
import { ACCOUNT, createClusters, createWorld, REGION } from './world';

export interface StormRun {
  options: StormOptions;
  plan: StormPlan;
  invariants: InvariantResult[];
  figures: {
    events: number;
    cloudTrailEvents: number;
    sweeps: number;
    queueMessages: number;
    invocations: number;
    faults: Record<string, number>;
    faultCount: number;
    crashes: Record<string, number>;
    crashCount: number;
    coldStarts: number;
    guardUpdates: number;
    personUpdates: number;
    resourceInUse: number;
    alreadyAtTarget: number;
    decisions: number;
    alerts: number;
    actions: Record<Action['kind'], number>;
    deadLettered: { events: number; messages: number };
    stormSeconds: number;
    quietSeconds: number;
    totalSeconds: number;
    invocationsPerSecond: number;
  };
  converged: { ok: number; of: number };
}

const GUARD_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/eks-endpoint-guard-remediator`;
const GUARD_ROLE_ID = 'AROASTORMGUARDROLE0001';

export async function runStorm(options: StormOptions, log: (text: string) => void): Promise<StormRun> {
  const started = Date.now();
  const random = new Random(options.seed);
  const fn = synthesiseFunction();
  log(`synthesised the stack: the function's asset is ${fn.entry.slice(ROOT.length + 1)}`);
  const workerScript = bundleWorker();
  const plan = stormPlan(options, fn.timeoutSeconds, random.fork('plan'));
  const moto = await startMoto({ fastCreateCluster: true });
  log(`emulator on ${moto.endpoint}`);
  const world = await createWorld(moto.endpoint, POLICIES[0], {
    visibilityTimeoutSeconds: plan.visibilityTimeoutSeconds,
    maxReceiveCount: plan.maxReceiveCount,
  });
  const clusters = clustersOf(random.fork('clusters'), options.clusters);
  await createClusters(world, random.fork('create'), clusters);
  const actions = workloadOf(
    random.fork('workload'),
    clusters,
    options.events,
    options.durationSeconds * 1000,
  );
  log(`${clusters.length} clusters; ${actions.length} actions over ${options.durationSeconds} s`);

  const trailContext: TrailContext = {
    account: ACCOUNT,
    region: REGION,
    guardRoleArn: GUARD_ROLE_ARN,
    guardRoleId: GUARD_ROLE_ID,
  };
  const model = new EksModel(plan.eks, random.fork('eks'));
  const ids = random.fork('ids');
  const chaos = random.fork('chaos');
  let pool: WorkerPool | undefined;
  let asyncInvoker: AsyncInvoker | undefined;
  const proxy = await startProxy({
    upstream: moto.endpoint,
    random: random.fork('faults'),
    faults: plan.faults,
    crashes: plan.crashes,
    compression: plan.compression,
    model,
    policyParameterName: world.env.POLICY_PARAMETER_NAME,
    onTrail: (call) => {
      const eventId = ids.uuid();
      asyncInvoker?.submit(eventId, 'cloudtrail', trailEvent({ ...call, eventId }, trailContext));
    },
    onCrash: (worker, point) => pool?.kill(worker, `after ${point}`),
  });
  onCleanup('storm proxy', () => proxy.close());
  const logDir = tmpDir('logs', String(started));
  pool = new WorkerPool({
    script: workerScript,
    entry: fn.entry,
    size: options.workers,
    timeoutMs: plan.functionTimeoutMs,
    logDir,
    // The SQS client sends to the host of the queue URL: the workers get one through the proxy.
    env: (id) =>
      workerEnv(
        fn.environment,
        { ...world.env, RECHECK_QUEUE_URL: throughProxy(world.env.RECHECK_QUEUE_URL, proxy.endpoint) },
        proxy.endpoint,
        id,
        plan,
      ),
  });
  const workers = pool;
  onCleanup('storm workers', () => workers.close());
  const invoker = new AsyncInvoker({
    pool: workers,
    random: random.fork('delivery'),
    compression: plan.compression,
    duplicates: plan.duplicates,
    parallelDuplicates: plan.parallelDuplicates,
    maxDelayMs: plan.maxDeliveryDelayMs,
    onFailure: async (event, error) => {
      await world.clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: world.failureQueueUrl,
          MessageBody: JSON.stringify(failureRecord(event, error)),
        }),
      );
    },
  });
  asyncInvoker = invoker;
  const queue = new QueueSource({
    sqs: world.pollerSqs,
    queueUrl: world.env.RECHECK_QUEUE_URL,
    queueArn: world.recheckQueueArn,
    region: REGION,
    pool: workers,
    maxConcurrency: 5,
    visibilityTimeoutSeconds: plan.visibilityTimeoutSeconds,
    senderId: `${GUARD_ROLE_ID}:eks-endpoint-guard-remediator`,
  });
  queue.start();
  const people = new People(proxy.endpoint, REGION, world.env.POLICY_PARAMETER_NAME, world.arns);
  const sweep = () => {
    const id = ids.uuid();
    invoker.submit(id, 'schedule', scheduleEvent(id, new Date(), trailContext));
  };

  // The storm: the workload plays out while faults, duplicates and crashes hit the guard.
  log(`storm: ${options.workers} workers, time factor ${plan.compression}, seed ${options.seed}`);
  proxy.setChaos(true);
  const stormStart = Date.now();
  sweep();
  const played: Promise<unknown>[] = [];
  const timers = actions.map((action) =>
    setTimeout(() => {
      if (action.kind === 'sweep') sweep();
      else
        played.push(
          people
            .play(action)
            .catch((error: unknown) => log(`a person's ${action.kind} failed: ${(error as Error).message}`)),
        );
    }, action.at),
  );
  const killer = setInterval(() => {
    if (chaos.chance(plan.randomKillsPerSecond)) workers.killBusy((busy) => chaos.pick(busy), 'random');
  }, 1000);
  await sleep(options.durationSeconds * 1000);
  timers.forEach(clearTimeout);
  clearInterval(killer);
  await Promise.all(played);
  const stormSeconds = (Date.now() - stormStart) / 1000;

  // The quiet: no more faults; one last sweep, as the schedule would run it; then wait.
  proxy.setChaos(false);
  log(`storm over after ${stormSeconds.toFixed(0)} s; a last sweep, then waiting for quiet`);
  sweep();
  const quietMs = await waitForQuiet(
    {
      sqs: world.clients.sqs,
      queueUrl: world.env.RECHECK_QUEUE_URL,
      busy: () => {
        if (invoker.pending > 0) return `${invoker.pending} asynchronous event(s) pending`;
        if (queue.inFlight > 0) return `${queue.inFlight} queue batch(es) in flight`;
        if (workers.busy > 0) return `${workers.busy} invocation(s) running`;
        if (model.anyBusy(Date.now())) return 'an EKS update still running';
        return undefined;
      },
    },
    plan.quietTimeoutMs,
  ).catch(async (error: unknown) => {
    const unhandled = [...proxy.stats.sentMessages].filter(([id]) => !queue.ledger.handled.has(id));
    log(
      `unhandled: ${unhandled.map(([id, m]) => `${id.slice(0, 8)} ${m.kind} +${m.delaySeconds}s ${Math.round((Date.now() - m.at) / 1000)}s ago ${m.queueUrl.split('/').at(-1)}`).join('; ')}`,
    );
    const dump = await fetch(`${moto.endpoint}/moto-api/data.json`).then((r) => r.text());
    writeFileSync(join(tmpDir(), 'moto-dump.json'), dump);
    log(
      `pool: ${workers.busy} busy; queue: ${queue.inFlight} in flight, last poll ${Math.round((Date.now() - queue.lastPoll) / 1000)} s ago; async: ${invoker.pending}; left: ${await peekQueue(world.clients.sqs, world.env.RECHECK_QUEUE_URL)}`,
    );
    throw error;
  });
  await queue.stop();
  await workers.close();
  log(`quiet after ${(quietMs / 1000).toFixed(0)} s; checking the invariants`);

  const evidence = await gather();
  writeFileSync(
    join(tmpDir(), 'last-evidence.json'),
    JSON.stringify(
      {
        ...evidence.evidence,
        policies: [...evidence.evidence.policies],
        events: [...evidence.evidence.events],
        failedEvents: [...evidence.evidence.failedEvents],
        sentMessages: [...evidence.evidence.sentMessages],
        handledMessages: [...evidence.evidence.handledMessages],
        deadLetteredMessages: [...evidence.evidence.deadLetteredMessages],
        updates: model.updates,
      },
      null,
      1,
    ),
  );
  const invariants = checkInvariants(evidence.evidence);
  await proxy.close();
  await moto.stop();
  const converged = invariants[0] as InvariantResult;
  const count = (map: Map<string, number>) =>
    Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)));
  const faultKinds = ['throttle', 'server-error', 'reset', 'lost-response', 'timeout'];
  const faults = count(proxy.stats.faults);
  const totalSeconds = (Date.now() - started) / 1000;
  return {
    options,
    plan,
    invariants,
    converged: { ok: converged.checked - converged.broken, of: converged.checked },
    figures: {
      events: invoker.ledger.size + queue.ledger.handled.size,
      cloudTrailEvents: [...invoker.ledger.values()].filter((e) => e.kind === 'cloudtrail').length,
      sweeps: [...invoker.ledger.values()].filter((e) => e.kind === 'schedule').length,
      queueMessages: proxy.stats.sentMessages.size,
      invocations: workers.invocations,
      faults,
      faultCount: faultKinds.reduce((sum, kind) => sum + (faults[kind] ?? 0), 0),
      crashes: count(workers.kills),
      crashCount: [...workers.kills.values()].reduce((a, b) => a + b, 0),
      coldStarts: workers.coldStarts,
      guardUpdates: model.updates.filter((u) => u.by === 'guard').length,
      personUpdates: model.updates.filter((u) => u.by === 'person').length,
      resourceInUse: proxy.eks.inUse,
      alreadyAtTarget: proxy.eks.alreadyAtTarget,
      decisions: evidence.evidence.records.length,
      alerts: evidence.evidence.alerts.length,
      actions: tally(actions),
      deadLettered: evidence.deadLettered,
      stormSeconds,
      quietSeconds: quietMs / 1000,
      totalSeconds,
      invocationsPerSecond: workers.invocations / (stormSeconds + quietMs / 1000),
    },
  };

  async function gather(): Promise<{
    evidence: Evidence;
    deadLettered: { events: number; messages: number };
  }> {
    const { records, sweeps } = await auditTable(world);
    const alerts = (await world.inbox.drain()).map((a) => a.message);
    const failed = await drainQueue(world.clients.sqs, world.failureQueueUrl);
    const dead = await drainQueue(world.clients.sqs, world.recheckDeadLetterUrl);
    const policies = new Map<string, Policy>();
    for (const text of [JSON.stringify(POLICIES[0]), ...people.stats.policyChanges.map((c) => c.text)]) {
      const loaded = parsePolicy(text, world.env.POLICY_PARAMETER_NAME);
      policies.set(loaded.digest, loaded.policy);
    }
    const { Parameter } = await world.clients.ssm.send(
      new GetParameterCommand({ Name: world.env.POLICY_PARAMETER_NAME }),
    );
    const finalPolicy = parsePolicy(Parameter?.Value ?? '', world.env.POLICY_PARAMETER_NAME).policy;
    const finals = await Promise.all(
      clusters.map(async (c) => {
        const { cluster } = await world.clients.eks.send(new DescribeClusterCommand({ name: c.name }));
        return {
          name: c.name,
          config: endpointConfigOf(cluster?.resourcesVpcConfig),
          tags: cluster?.tags ?? {},
        };
      }),
    );
    const evidence: Evidence = {
      now: new Date(),
      clusters: finals,
      finalPolicy,
      policies,
      records,
      sweeps,
      alerts,
      guardUpdates: model.updates.filter((u) => u.by === 'guard'),
      events: invoker.ledger,
      failedEvents: new Set(
        failed.map((m) => failedEventId(m.body)).filter((id): id is string => id !== undefined),
      ),
      sentMessages: new Set(
        [...proxy.stats.sentMessages]
          .filter(([, sent]) => sent.queueUrl === throughProxy(world.env.RECHECK_QUEUE_URL, proxy.endpoint))
          .map(([id]) => id),
      ),
      handledMessages: queue.ledger.handled,
      deadLetteredMessages: new Set(dead.map((m) => m.id)),
    };
    return { evidence, deadLettered: { events: failed.length, messages: dead.length } };
  }
}

/** A worker's environment: the function's, the emulator's resources, AWS through the proxy with this worker's own key. */
function workerEnv(
  functionEnv: Record<string, string>,
  resources: Record<string, string>,
  endpoint: string,
  id: number,
  plan: StormPlan,
): NodeJS.ProcessEnv {
  const nowhere = join(ROOT, '.storm-tmp', 'no-such-aws-config');
  const scaled = (name: string, unit: number) =>
    String(Math.max(unit, Math.round(Number(functionEnv[name] ?? unit) / plan.compression)));
  return {
    PATH: process.env.PATH,
    ...functionEnv,
    ...resources,
    GUARD_ROLE_ARN,
    GUARD_ROLE_ID,
    POLICY_CACHE_SECONDS: scaled('POLICY_CACHE_SECONDS', 1),
    RECHECK_DEADLINE_MINUTES: scaled('RECHECK_DEADLINE_MINUTES', 1),
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: workerAccessKey(id),
    AWS_SECRET_ACCESS_KEY: 'storm',
    AWS_CONFIG_FILE: nowhere,
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // The Lambda runtime provides the AWS SDK; here the project's copy stands in for it.
    NODE_PATH: join(ROOT, 'node_modules'),
    STORM_ACCOUNT: ACCOUNT,
  };
}

/** The queue URL with the proxy's host: the SDK's SQS client sends each call to its queue URL's host. */
export function throughProxy(queueUrl: string, proxy: string): string {
  const url = new URL(queueUrl);
  return `${proxy}${url.pathname}`;
}

/** What Lambda sends its on-failure destination after the last retry. */
function failureRecord(event: unknown, error: string): Record<string, unknown> {
  return {
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: event,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorMessage: error },
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
