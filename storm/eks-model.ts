import {
  type EndpointConfig,
  endpointConfigOf,
  type RawVpcConfig,
  sameEndpointConfig,
} from '../functions/core/endpoint';
import type { Random } from './random';

/**
 * What EKS does that the emulator does not (DESIGN §6, §7): an endpoint update is an update object
 * that runs for a while; the cluster shows UPDATING, refuses a second update with
 * ResourceInUseException (also for a moment after it shows ACTIVE again), reads back the old
 * configuration for a moment right after the call, answers DescribeUpdate and ListUpdates, replays
 * an update for a repeated clientRequestToken, and refuses an update to the configuration it has.
 * Pure: the proxy passes the time and the emulator's own answer in.
 */
export interface ModelTimings {
  /** How long an update runs (UPDATING), ms. */
  updateMs: [number, number];
  /** How long DescribeCluster still shows the old configuration as ACTIVE right after the call. */
  staleMs: number;
  /** How long ResourceInUseException lasts after the cluster shows ACTIVE again. */
  busyTailMs: number;
}

export interface EksUpdate {
  id: string;
  cluster: string;
  token?: string;
  /** Who called: a worker of the guard, or a person. */
  by: 'guard' | 'person';
  /** The worker or person (its access key's number). */
  caller?: number;
  createdAt: number;
  completesAt: number;
  before: EndpointConfig;
  after: EndpointConfig;
  /** The cluster's tags when the update was made (for the invariant checks). */
  tags: Record<string, string>;
}

/** A full resourcesVpcConfig as the emulator stores it. */
export interface VpcConfig extends RawVpcConfig {
  subnetIds?: string[];
  securityGroupIds?: string[];
  vpcId?: string;
}

export type UpdateVerdict =
  | { kind: 'replay'; update: EksUpdate }
  | { kind: 'in-use' }
  | { kind: 'already'; config: EndpointConfig }
  /** Send this merged configuration to the emulator, then call recordUpdate. */
  | { kind: 'apply'; merged: VpcConfig };

interface ClusterState {
  updates: EksUpdate[];
  /** The VPC fields the emulator drops after an update, as first seen. */
  vpc?: Pick<VpcConfig, 'subnetIds' | 'securityGroupIds' | 'vpcId'>;
}

export class EksModel {
  readonly #clusters = new Map<string, ClusterState>();
  readonly #updates: EksUpdate[] = [];

  constructor(
    private readonly timings: ModelTimings,
    private readonly random: Random,
  ) {}

  /** Every update EKS accepted (not replays), oldest first. */
  get updates(): readonly EksUpdate[] {
    return this.#updates;
  }

  /** Remembers the VPC fields of a cluster the emulator still reports in full. */
  remember(cluster: string, config: VpcConfig | undefined): void {
    const state = this.#state(cluster);
    if (!state.vpc && config?.subnetIds && config.subnetIds.length > 0) {
      state.vpc = {
        subnetIds: config.subnetIds,
        securityGroupIds: config.securityGroupIds ?? [],
        ...(config.vpcId ? { vpcId: config.vpcId } : {}),
      };
    }
  }

  /** What EKS does with an UpdateClusterConfig of the endpoint fields, given the stored configuration. */
  verdict(
    cluster: string,
    token: string | undefined,
    requested: RawVpcConfig,
    current: VpcConfig,
    now: number,
  ): UpdateVerdict {
    const state = this.#state(cluster);
    const replay = token ? state.updates.find((u) => u.token === token) : undefined;
    if (replay) return { kind: 'replay', update: replay };
    if (this.busy(cluster, now)) return { kind: 'in-use' };
    const merged: VpcConfig = { ...state.vpc, ...current, ...definedFields(requested) };
    // The emulator replaces the whole configuration: keep what EKS would keep.
    if (state.vpc?.subnetIds) merged.subnetIds = state.vpc.subnetIds;
    if (state.vpc?.securityGroupIds) merged.securityGroupIds = state.vpc.securityGroupIds;
    const before = endpointConfigOf(current);
    if (sameEndpointConfig(before, endpointConfigOf(merged))) return { kind: 'already', config: before };
    return { kind: 'apply', merged };
  }

  recordUpdate(
    cluster: string,
    token: string | undefined,
    before: VpcConfig,
    after: VpcConfig,
    now: number,
    by: EksUpdate['by'],
    tags: Record<string, string>,
    caller?: number,
  ): EksUpdate {
    const update: EksUpdate = {
      id: this.random.uuid(),
      cluster,
      ...(token ? { token } : {}),
      by,
      ...(caller !== undefined ? { caller } : {}),
      createdAt: now,
      completesAt: now + this.random.int(this.timings.updateMs[0], this.timings.updateMs[1]),
      before: endpointConfigOf(before),
      after: endpointConfigOf(after),
      tags,
    };
    this.#state(cluster).updates.push(update);
    this.#updates.push(update);
    return update;
  }

  /** An update runs, or just ended: a new one is refused with ResourceInUseException. */
  busy(cluster: string, now: number): boolean {
    const last = this.#state(cluster).updates.at(-1);
    return last !== undefined && now < last.completesAt + this.timings.busyTailMs;
  }

  /** Any cluster still updating (the storm is not quiet yet). */
  anyBusy(now: number): boolean {
    return [...this.#clusters.keys()].some((name) => this.busy(name, now));
  }

  /**
   * The DescribeCluster answer EKS would give, from the emulator's: the dropped VPC fields put
   * back; right after an update the old configuration still ACTIVE, then UPDATING (the old
   * configuration until the update is done), then the new one.
   */
  describe(cluster: string, vpc: VpcConfig, status: string, now: number): { vpc: VpcConfig; status: string } {
    const state = this.#state(cluster);
    const restored: VpcConfig = { ...vpc, ...(state.vpc && !vpc.subnetIds?.length ? state.vpc : {}) };
    if (state.vpc?.vpcId && !restored.vpcId) restored.vpcId = state.vpc.vpcId;
    const last = state.updates.at(-1);
    if (!last || now >= last.completesAt) return { vpc: restored, status };
    const old = {
      ...restored,
      endpointPublicAccess: last.before.publicAccess,
      endpointPrivateAccess: last.before.privateAccess,
      publicAccessCidrs: last.before.publicAccessCidrs,
    };
    return { vpc: old, status: now < last.createdAt + this.timings.staleMs ? status : 'UPDATING' };
  }

  describeUpdate(cluster: string, id: string, now: number): Record<string, unknown> | undefined {
    const update = this.#state(cluster).updates.find((u) => u.id === id);
    return update ? updateObject(update, now) : undefined;
  }

  /** Newest first, as EKS lists them. */
  listUpdates(cluster: string): string[] {
    return this.#state(cluster)
      .updates.map((u) => u.id)
      .reverse();
  }

  #state(cluster: string): ClusterState {
    let state = this.#clusters.get(cluster);
    if (!state) {
      state = { updates: [] };
      this.#clusters.set(cluster, state);
    }
    return state;
  }
}

/** The `update` object of UpdateClusterConfig and DescribeUpdate (createdAt in epoch seconds, as the wire has it). */
export function updateObject(update: EksUpdate, now: number): Record<string, unknown> {
  const params = [
    { type: 'EndpointPublicAccess', value: String(update.after.publicAccess) },
    { type: 'EndpointPrivateAccess', value: String(update.after.privateAccess) },
    ...(update.after.publicAccess
      ? [{ type: 'PublicAccessCidrs', value: JSON.stringify(update.after.publicAccessCidrs) }]
      : []),
  ];
  return {
    id: update.id,
    status: now >= update.completesAt ? 'Successful' : 'InProgress',
    type: 'EndpointAccessUpdate',
    params,
    createdAt: update.createdAt / 1000,
    errors: [],
  };
}

function definedFields(raw: RawVpcConfig): RawVpcConfig {
  return Object.fromEntries(
    Object.entries(raw).filter(([, v]) => v !== undefined && v !== null),
  ) as RawVpcConfig;
}
