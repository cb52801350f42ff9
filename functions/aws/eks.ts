import type { Cluster, EKSClient } from '@aws-sdk/client-eks';
import { canonicalCidr } from '../core/cidr';
import { type EndpointConfig, endpointConfigOf } from '../core/endpoint';
import type { ClusterState, EksPort, IssuedUpdate, UpdateState } from '../ports';
import { AlreadyAtTargetError, ClusterBusyError, UpdateRejectedError } from '../ports';
import { type ClientSource, resolveClient, sdk } from './clients';
import { awsErrorName } from './errors';

/** Whether the audit log type is enabled; nothing when EKS gave no logging configuration. */
function auditLoggingOf(logging: Cluster['logging']): { auditLogging?: boolean } {
  const setups = logging?.clusterLogging;
  if (!setups || setups.length === 0) return {};
  return { auditLogging: setups.some((setup) => setup.enabled === true && setup.types?.includes('audit')) };
}

export function eksAdapter(source: ClientSource<EKSClient>): EksPort {
  const client = () => resolveClient(source);
  return {
    async describeCluster(name: string): Promise<ClusterState | undefined> {
      try {
        const { cluster } = await client().send(new (sdk.eks().DescribeClusterCommand)({ name }));
        if (!cluster) return undefined;
        const vpc = cluster.resourcesVpcConfig;
        return {
          name: cluster.name ?? name,
          arn: cluster.arn,
          status: cluster.status ?? 'UNKNOWN',
          config: endpointConfigOf(vpc),
          tags: cluster.tags ?? {},
          vpcId: vpc?.vpcId || undefined,
          subnetIds: vpc?.subnetIds ?? [],
          ...auditLoggingOf(cluster.logging),
        };
      } catch (error) {
        if (awsErrorName(error) === 'ResourceNotFoundException') return undefined;
        throw error;
      }
    },

    async updateEndpointAccess(name: string, target: EndpointConfig, token: string): Promise<IssuedUpdate> {
      try {
        const { update } = await client().send(
          new (sdk.eks().UpdateClusterConfigCommand)({
            name,
            clientRequestToken: token,
            // Endpoint fields only, both booleans always: EKS takes one kind of update per call.
            resourcesVpcConfig: {
              endpointPublicAccess: target.publicAccess,
              endpointPrivateAccess: target.privateAccess,
              // CIDRs only matter while public access is on; sending stale ones would be refused.
              ...(target.publicAccess
                ? { publicAccessCidrs: target.publicAccessCidrs.map(canonicalCidr) }
                : {}),
            },
          }),
        );
        return { updateId: update?.id, status: update?.status };
      } catch (error) {
        const errorName = awsErrorName(error);
        if (errorName === 'ResourceInUseException') {
          throw new ClusterBusyError(`cluster ${name} has an update in progress`, { cause: error });
        }
        if (errorName === 'InvalidParameterException') {
          if (/desired configuration/i.test(String(error))) {
            throw new AlreadyAtTargetError(`cluster ${name} is already at the target configuration`, {
              cause: error,
            });
          }
          // Permanent: the same parameters would be refused on every retry until the dead-letter queue.
          throw new UpdateRejectedError((error as Error).message || 'InvalidParameterException', {
            cause: error,
          });
        }
        throw error;
      }
    },

    async describeUpdate(name: string, updateId: string): Promise<UpdateState | undefined> {
      try {
        const { update } = await client().send(new (sdk.eks().DescribeUpdateCommand)({ name, updateId }));
        return {
          status: update?.status ?? 'InProgress',
          errors: (update?.errors ?? []).map((e) => ({
            code: e.errorCode ?? 'Unknown',
            message: e.errorMessage ?? '',
          })),
        };
      } catch (error) {
        // The cluster (and so its update) is gone: nothing left to follow.
        if (awsErrorName(error) === 'ResourceNotFoundException') return undefined;
        throw error;
      }
    },

    async *listClusters(): AsyncIterable<string> {
      for await (const page of sdk.eks().paginateListClusters({ client: client(), pageSize: 100 }, {})) {
        yield* page.clusters ?? [];
      }
    },
  };
}
