import type { EndpointConfig, RawVpcConfig } from '../functions/core/endpoint';
import { type EksModel, updateObject, type VpcConfig } from './eks-model';
import { eksRoute } from './request';
import { callUpstream, type Exchange } from './upstream';
import { eksError } from './wire';

/**
 * The EKS calls of the proxy, with the behaviour the emulator lacks (eks-model.ts) put in front
 * of it. UpdateClusterConfig calls are taken one at a time per cluster, as EKS does.
 */
export interface EksCall {
  operation: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  by: 'guard' | 'person' | 'harness';
  /** The worker's or person's number. */
  caller?: number;
  now: () => number;
  requestId: string;
}

/** An accepted (or replayed) UpdateClusterConfig, for the CloudTrail record. */
export interface AcceptedUpdate {
  cluster: string;
  token?: string;
  requested: RawVpcConfig;
  update: Record<string, unknown>;
  replay: boolean;
}

export class EksProxy {
  readonly #locks = new Map<string, Promise<unknown>>();
  /** UpdateClusterConfig calls EKS refused because the cluster was at the target already. */
  alreadyAtTarget = 0;
  /** UpdateClusterConfig calls refused with ResourceInUseException. */
  inUse = 0;

  constructor(
    private readonly upstream: URL,
    private readonly model: EksModel,
  ) {}

  /** The answer, and for an accepted update what it was. */
  async handle(call: EksCall): Promise<{ answer: Exchange; accepted?: AcceptedUpdate }> {
    const { cluster, updateId } = eksRoute(call.path);
    switch (call.operation) {
      case 'DescribeCluster':
        return { answer: await this.#describe(call, cluster ?? '') };
      case 'UpdateClusterConfig':
        return this.#serially(cluster ?? '', () => this.#update(call, cluster ?? ''));
      case 'DescribeUpdate': {
        const update = this.model.describeUpdate(cluster ?? '', updateId ?? '', call.now());
        if (!update) {
          return {
            answer: eksError(
              404,
              'ResourceNotFoundException',
              `No update found for ID: ${updateId}`,
              call.requestId,
              cluster,
            ),
          };
        }
        return { answer: json({ update }, call.requestId) };
      }
      case 'ListUpdates':
        return {
          answer: json({ updateIds: this.model.listUpdates(cluster ?? ''), nextToken: null }, call.requestId),
        };
      default:
        return { answer: await callUpstream(this.upstream, call.method, call.path, call.headers, call.body) };
    }
  }

  async #describe(call: EksCall, cluster: string): Promise<Exchange> {
    const answer = await callUpstream(this.upstream, call.method, call.path, call.headers, call.body);
    if (answer.status !== 200) return answer;
    const document = JSON.parse(answer.body) as {
      cluster?: { resourcesVpcConfig?: VpcConfig; status?: string };
    };
    const found = document.cluster;
    if (!found) return answer;
    this.model.remember(cluster, found.resourcesVpcConfig);
    const seen = this.model.describe(
      cluster,
      found.resourcesVpcConfig ?? {},
      found.status ?? 'ACTIVE',
      call.now(),
    );
    found.resourcesVpcConfig = seen.vpc;
    found.status = seen.status;
    return { ...answer, body: JSON.stringify(document) };
  }

  async #update(call: EksCall, cluster: string): Promise<{ answer: Exchange; accepted?: AcceptedUpdate }> {
    const request = JSON.parse(call.body || '{}') as {
      resourcesVpcConfig?: RawVpcConfig;
      clientRequestToken?: string;
    };
    const requested = request.resourcesVpcConfig ?? {};
    const token = request.clientRequestToken;
    const current = await this.readCluster(call, cluster);
    if (!current)
      return { answer: await callUpstream(this.upstream, call.method, call.path, call.headers, call.body) };
    this.model.remember(cluster, current.vpc);
    const verdict = this.model.verdict(cluster, token, requested, current.vpc, call.now());
    if (verdict.kind === 'replay') {
      const update = updateObject(verdict.update, call.now());
      return {
        answer: json({ update }, call.requestId),
        accepted: { cluster, token, requested, update, replay: true },
      };
    }
    if (verdict.kind === 'in-use') {
      this.inUse += 1;
      return {
        answer: eksError(
          409,
          'ResourceInUseException',
          'Cluster has an update in progress',
          call.requestId,
          cluster,
        ),
      };
    }
    if (verdict.kind === 'already') {
      this.alreadyAtTarget += 1;
      return {
        answer: eksError(
          400,
          'InvalidParameterException',
          alreadyMessage(verdict.config),
          call.requestId,
          cluster,
        ),
      };
    }
    const body = JSON.stringify({
      resourcesVpcConfig: emulatorConfig(verdict.merged),
      ...(token ? { clientRequestToken: token } : {}),
    });
    const answer = await callUpstream(this.upstream, call.method, call.path, call.headers, body);
    if (answer.status !== 200) return { answer };
    const by = call.by === 'guard' ? 'guard' : 'person';
    const recorded = this.model.recordUpdate(
      cluster,
      token,
      current.vpc,
      verdict.merged,
      call.now(),
      by,
      current.tags,
      call.caller,
    );
    const update = updateObject(recorded, call.now());
    return {
      answer: json({ update }, call.requestId),
      accepted: { cluster, token, requested, update, replay: false },
    };
  }

  /** The cluster as the emulator stores it (no EKS behaviour applied), or undefined when it does not exist. */
  async readCluster(
    call: Pick<EksCall, 'headers'>,
    cluster: string,
  ): Promise<{ vpc: VpcConfig; tags: Record<string, string>; status: string } | undefined> {
    const path = `/clusters/${encodeURIComponent(cluster)}`;
    const answer = await callUpstream(this.upstream, 'GET', path, call.headers, '');
    if (answer.status !== 200) return undefined;
    const found = (
      JSON.parse(answer.body) as {
        cluster?: { resourcesVpcConfig?: VpcConfig; tags?: Record<string, string>; status?: string };
      }
    ).cluster;
    return found
      ? { vpc: found.resourcesVpcConfig ?? {}, tags: found.tags ?? {}, status: found.status ?? 'ACTIVE' }
      : undefined;
  }

  #serially<T>(cluster: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(cluster) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.#locks.set(
      cluster,
      next.catch(() => undefined),
    );
    return next;
  }
}

/** What EKS says when asked for the configuration a cluster already has. */
function alreadyMessage(config: EndpointConfig): string {
  return `Cluster is already at the desired configuration with endpointPrivateAccess: ${config.privateAccess} , endpointPublicAccess: ${config.publicAccess}, publicAccessCidrs: ${JSON.stringify(config.publicAccessCidrs)}`;
}

/** The fields the emulator takes on UpdateClusterConfig (it replaces the whole configuration). */
function emulatorConfig(config: VpcConfig): Record<string, unknown> {
  return {
    ...(config.subnetIds ? { subnetIds: config.subnetIds } : {}),
    ...(config.securityGroupIds ? { securityGroupIds: config.securityGroupIds } : {}),
    endpointPublicAccess: config.endpointPublicAccess ?? true,
    endpointPrivateAccess: config.endpointPrivateAccess ?? false,
    ...(config.publicAccessCidrs ? { publicAccessCidrs: config.publicAccessCidrs } : {}),
  };
}

function json(document: unknown, requestId: string): Exchange {
  return {
    status: 200,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId },
    body: JSON.stringify(document),
  };
}
