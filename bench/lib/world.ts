import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { type AwsClients, createAwsClients } from '../../functions/aws/clients';
import { type LocalEnv, provisionLocalEnv } from '../../functions/cli/local-env';
import { createCluster, createVpc, type SandboxVpc } from '../../functions/cli/sandbox';
import type { EndpointConfig } from '../../functions/core/endpoint';
import { awsEnv, REGION, useEndpoint } from './env';

/** The guard's resources and one VPC in a fresh emulator. */
export interface World {
  endpoint: string;
  clients: AwsClients;
  env: LocalEnv;
  vpc: SandboxVpc;
  setPolicy(policy: unknown): Promise<void>;
  /** The environment for a child process running the guard against `endpoint` (default: the emulator). */
  childEnv(extra?: NodeJS.ProcessEnv, endpoint?: string): NodeJS.ProcessEnv;
}

export const POLICY_ENFORCE = {
  version: 1,
  mode: 'enforce',
  publicAccess: 'disabled',
  privateAccess: 'required',
};
export const POLICY_NOTIFY = { ...POLICY_ENFORCE, mode: 'notify' };

export const COMPLIANT: Partial<EndpointConfig> = { publicAccess: false, privateAccess: true };
export const OPEN_TO_THE_WORLD: Partial<EndpointConfig> = {
  publicAccess: true,
  privateAccess: false,
  publicAccessCidrs: ['0.0.0.0/0'],
};

export async function createWorld(endpoint: string, policy: unknown): Promise<World> {
  useEndpoint(endpoint);
  const clients = createAwsClients(REGION);
  const [{ env }, vpc] = await Promise.all([
    provisionLocalEnv(clients, { policyText: JSON.stringify(policy) }),
    // DNS support and hostnames on: the lockout guard lets the public endpoint be turned off.
    createVpc(clients.ec2, '10.1', true),
  ]);
  return {
    endpoint,
    clients,
    env,
    vpc,
    async setPolicy(next) {
      await clients.ssm.send(
        new PutParameterCommand({
          Name: env.POLICY_PARAMETER_NAME,
          Type: 'String',
          Overwrite: true,
          Value: JSON.stringify(next),
        }),
      );
    },
    childEnv(extra = {}, target = endpoint) {
      return {
        ...awsEnv(target),
        ...env,
        POWERTOOLS_SERVICE_NAME: 'eks-endpoint-guard',
        POWERTOOLS_METRICS_NAMESPACE: 'EksEndpointGuard',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...extra,
      };
    },
  };
}

/**
 * Creates clusters with `concurrency` CreateCluster calls in flight; `endpointOf(index)` chooses
 * each one's endpoint settings. Returns the creation rate (clusters per second).
 */
export async function createClusters(
  world: World,
  names: string[],
  endpointOf: (index: number) => Partial<EndpointConfig> | undefined,
  concurrency = 16,
): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const index = next++;
      const endpoint = endpointOf(index);
      await createCluster(world.clients.eks, {
        name: names[index] as string,
        vpc: world.vpc,
        ...(endpoint ? { endpoint } : {}),
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, names.length) }, worker));
  return names.length / ((performance.now() - started) / 1000);
}

export function clusterNames(prefix: string, from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `${prefix}-${String(from + i).padStart(5, '0')}`);
}
