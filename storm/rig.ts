import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { onCleanup } from '../bench/lib/cleanup';
import { type Moto, startMoto } from '../bench/lib/moto';
import { RECHECK_MAX_CONCURRENCY } from '../infra/guard-function';
import { AsyncInvoker } from './async-invoke';
import { bundleWorker, type DeployedFunction, tmpDir } from './bundle';
import { EksModel } from './eks-model';
import { failureRecord, GUARD_ROLE_ARN, GUARD_ROLE_ID, GUARD_SENDER, workerEnv } from './lambda-env';
import type { StormOptions } from './options';
import { People } from './people';
import type { StormPlan } from './plan';
import { type FaultProxy, startProxy } from './proxy';
import type { Random } from './random';
import { QueueSource } from './sqs-source';
import { scheduleEvent, type TrailContext, trailEvent } from './trail';
import { WorkerPool } from './workers';
import { type Action, type Cluster, clustersOf, POLICIES, workloadOf } from './workload';
import { ACCOUNT, createClusters, createWorld, REGION, type World } from './world';

/**
 * Everything a storm runs on: the emulator with the guard's resources and the clusters, the
 * proxy (faults, EKS, CloudTrail), the function's workers, Lambda's asynchronous invocation and
 * the recheck queue's event source mapping, the people and their workload.
 */
export interface Rig {
  moto: Moto;
  world: World;
  model: EksModel;
  proxy: FaultProxy;
  workers: WorkerPool;
  invoker: AsyncInvoker;
  queue: QueueSource;
  people: People;
  clusters: Cluster[];
  actions: Action[];
  plan: StormPlan;
  /** Submits the schedule's sweep event, as EventBridge would. */
  sweep(): void;
}

export async function buildRig(
  options: StormOptions,
  plan: StormPlan,
  fn: DeployedFunction,
  random: Random,
  log: (text: string) => void,
): Promise<Rig> {
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
  const trail: TrailContext = {
    account: ACCOUNT,
    region: REGION,
    guardRoleArn: GUARD_ROLE_ARN,
    guardRoleId: GUARD_ROLE_ID,
  };
  const model = new EksModel(plan.eks, random.fork('eks'));
  const ids = random.fork('ids');
  // The proxy and the workers each need the other: the proxy kills workers, the workers call the proxy.
  let workers: WorkerPool | undefined;
  let invoker: AsyncInvoker | undefined;
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
      invoker?.submit(eventId, 'cloudtrail', trailEvent({ ...call, eventId }, trail));
    },
    onCrash: (worker, point) => workers?.kill(worker, `after ${point}`),
  });
  onCleanup('storm proxy', () => proxy.close());
  const pool = new WorkerPool({
    script: bundleWorker(),
    entry: fn.entry,
    size: options.workers,
    timeoutMs: plan.functionTimeoutMs,
    logDir: tmpDir('logs', new Date().toISOString().replace(/[:.]/g, '-')),
    env: (id) => workerEnv(fn.environment, { ...world.env }, proxy.endpoint, id, plan),
  });
  workers = pool;
  onCleanup('storm workers', () => pool.close());
  const asyncInvoker = new AsyncInvoker({
    pool,
    random: random.fork('delivery'),
    compression: plan.compression,
    duplicates: plan.duplicates,
    parallelDuplicates: plan.parallelDuplicates,
    maxDelayMs: plan.maxDeliveryDelayMs,
    onFailure: async (event, error) => {
      const record = failureRecord(event, error, new Date());
      await world.clients.sqs.send(
        new SendMessageCommand({ QueueUrl: world.failureQueueUrl, MessageBody: JSON.stringify(record) }),
      );
    },
  });
  invoker = asyncInvoker;
  const queue = new QueueSource({
    sqs: world.pollerSqs,
    queueUrl: world.env.RECHECK_QUEUE_URL,
    queueArn: world.recheckQueueArn,
    region: REGION,
    pool,
    maxConcurrency: RECHECK_MAX_CONCURRENCY,
    visibilityTimeoutSeconds: plan.visibilityTimeoutSeconds,
    senderId: GUARD_SENDER,
  });
  return {
    moto,
    world,
    model,
    proxy,
    workers: pool,
    invoker: asyncInvoker,
    queue,
    people: new People(proxy.endpoint, REGION, world.env.POLICY_PARAMETER_NAME, world.arns),
    clusters,
    actions,
    plan,
    sweep: () => {
      const id = ids.uuid();
      asyncInvoker.submit(id, 'schedule', scheduleEvent(id, new Date(), trail));
    },
  };
}
