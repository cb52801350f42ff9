import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { AwsClients } from '../functions/aws/clients';
import { emulatorClientConfig, type LocalEnv, provisionLocalEnv } from '../functions/cli/local-env';
import {
  createCluster,
  createVpc,
  emulatorClients,
  type Inbox,
  type SandboxVpc,
  subscribeInbox,
} from '../functions/cli/sandbox';
import type { EndpointConfig } from '../functions/core/endpoint';
import type { Random } from './random';
import { CLOSED, type Cluster } from './workload';

/** The guard's resources in the emulator, with the queues Lambda and SQS would add around them. */
export interface World {
  /** Clients straight to the emulator (no proxy): the harness's own view. */
  clients: AwsClients;
  /** The event source mapping's own SQS client, whose calls never hang: each is bounded in time. */
  pollerSqs: SQSClient;
  env: LocalEnv;
  region: string;
  account: string;
  inbox: Inbox;
  /** The function's on-failure destination (asynchronous invocations that failed every retry). */
  failureQueueUrl: string;
  /** The recheck queue's dead-letter queue (its redrive policy). */
  recheckDeadLetterUrl: string;
  recheckQueueArn: string;
  vpcs: { withDns: SandboxVpc; withoutDns: SandboxVpc };
  arns: Map<string, string>;
}

export const REGION = 'us-east-1';
/** The account the emulator uses for every resource. */
export const ACCOUNT = '123456789012';

export async function createWorld(
  endpoint: string,
  policy: unknown,
  recheck: { visibilityTimeoutSeconds: number; maxReceiveCount: number },
): Promise<World> {
  const clients = emulatorClients(endpoint, REGION);
  const [{ env }, withDns, withoutDns] = await Promise.all([
    provisionLocalEnv(clients, { policyText: JSON.stringify(policy) }),
    createVpc(clients.ec2, '10.1', true),
    createVpc(clients.ec2, '10.2', false),
  ]);
  const queueArn = async (url: string) =>
    (await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] })))
      .Attributes?.QueueArn ?? '';
  const create = async (name: string) =>
    (await clients.sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl ?? '';
  const [failureQueueUrl, recheckDeadLetterUrl] = await Promise.all([
    create('eks-endpoint-guard-dead-letters'),
    create('eks-endpoint-guard-recheck-dead-letters'),
  ]);
  await clients.sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl: env.RECHECK_QUEUE_URL,
      Attributes: {
        VisibilityTimeout: String(recheck.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: await queueArn(recheckDeadLetterUrl),
          maxReceiveCount: recheck.maxReceiveCount,
        }),
      },
    }),
  );
  const inbox = await subscribeInbox(clients, env.TOPIC_ARN, 'storm-inbox');
  return {
    clients,
    pollerSqs: new SQSClient({
      ...emulatorClientConfig(endpoint, REGION),
      requestHandler: { requestTimeout: 10_000, connectionTimeout: 3_000 },
    }),
    env,
    region: REGION,
    account: ACCOUNT,
    inbox,
    failureQueueUrl,
    recheckDeadLetterUrl,
    recheckQueueArn: await queueArn(env.RECHECK_QUEUE_URL),
    vpcs: { withDns, withoutDns },
    arns: new Map(),
  };
}

/** Creates the clusters, a third of them open to the world from the start (the first sweep finds them). */
export async function createClusters(
  world: World,
  random: Random,
  clusters: readonly Cluster[],
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < clusters.length) {
      const cluster = clusters[next++] as Cluster;
      const endpoint: EndpointConfig = random.chance(1 / 3)
        ? { publicAccess: true, privateAccess: false, publicAccessCidrs: ['0.0.0.0/0'] }
        : CLOSED;
      const arn = await createCluster(world.clients.eks, {
        name: cluster.name,
        vpc: cluster.noDns ? world.vpcs.withoutDns : world.vpcs.withDns,
        endpoint: endpoint.publicAccess ? endpoint : { publicAccess: false, privateAccess: true },
      });
      world.arns.set(cluster.name, arn);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}
