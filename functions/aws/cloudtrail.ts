import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { isGuardOwnChange } from '../core/triggers/normalise';
import type { CloudTrailPort, EndpointChange } from '../ports';
import { type ClientSource, resolveClient, sdk } from './clients';

/**
 * LookupEvents allows two calls a second per account and region: the adapter keeps under it,
 * with no burst (a bucket of one token), so no second of time ever holds more than two calls.
 */
export const LOOKUP_RATE_PER_SECOND = 2;
const BUCKET_CAPACITY = 1;
const MAX_PAGES = 5;
const THROTTLE_RETRIES = 4;
const ENDPOINT_FIELDS = ['endpointPublicAccess', 'endpointPrivateAccess', 'publicAccessCidrs'];
const MAX_TEXT = 2048;

/** A token bucket: pure, so that time is passed in. */
export interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Takes a token at `now` (ms): the bucket after, and how long to wait first when none is left. */
export function takeToken(
  bucket: Bucket,
  now: number,
  ratePerSecond = LOOKUP_RATE_PER_SECOND,
  capacity = BUCKET_CAPACITY,
): { bucket: Bucket; waitMs: number } {
  const elapsed = Math.max(0, now - bucket.updatedAt);
  const tokens = Math.min(capacity, bucket.tokens + (elapsed * ratePerSecond) / 1000);
  if (tokens >= 1) return { bucket: { tokens: tokens - 1, updatedAt: now }, waitMs: 0 };
  return { bucket: { tokens, updatedAt: now }, waitMs: Math.ceil(((1 - tokens) * 1000) / ratePerSecond) };
}

export interface CloudTrailOptions {
  /** The guard's own role: its updates are not the change that caused drift. */
  guardRoleArn?: string;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** How long a cluster's answer is reused (a retried sweep asks again at once). */
  cacheSeconds?: number;
}

const DEFAULT_CACHE_SECONDS = 300;

/**
 * Finds the newest endpoint change of a cluster in CloudTrail's event history (LookupEvents by
 * resource name, newest first): a CreateCluster, or an UpdateClusterConfig whose request carries
 * endpoint fields. Every field of the event is untrusted text and is bounded.
 */
export function cloudTrailLookup(
  client: ClientSource<CloudTrailClient>,
  options: CloudTrailOptions = {},
): CloudTrailPort {
  const clock = options.clock ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let bucket: Bucket = { tokens: BUCKET_CAPACITY, updatedAt: clock() };
  const cacheMs = (options.cacheSeconds ?? DEFAULT_CACHE_SECONDS) * 1000;
  const cache = new Map<string, { at: number; change: EndpointChange | undefined }>();

  async function acquire(): Promise<void> {
    for (;;) {
      const taken = takeToken(bucket, clock());
      bucket = taken.bucket;
      if (taken.waitMs === 0) return;
      await sleep(taken.waitMs);
    }
  }

  async function lookup(input: import('@aws-sdk/client-cloudtrail').LookupEventsCommandInput) {
    const { LookupEventsCommand } = sdk.cloudtrail();
    for (let attempt = 0; ; attempt++) {
      await acquire();
      try {
        return await resolveClient(client).send(new LookupEventsCommand(input));
      } catch (error) {
        if ((error as Error).name !== 'ThrottlingException' || attempt >= THROTTLE_RETRIES) throw error;
        await sleep(1000 * 2 ** attempt);
      }
    }
  }

  return {
    async latestEndpointChange(cluster: string, since: Date): Promise<EndpointChange | undefined> {
      const cached = cache.get(cluster);
      if (cached && clock() - cached.at < cacheMs) return cached.change;
      const change = await find(cluster, since);
      if (cache.size > 10_000) cache.clear();
      cache.set(cluster, { at: clock(), change });
      return change;
    },
  };

  async function find(cluster: string, since: Date): Promise<EndpointChange | undefined> {
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const response = await lookup({
        LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: cluster }],
        StartTime: since,
        EndTime: new Date(clock()),
        MaxResults: 50,
        ...(token ? { NextToken: token } : {}),
      });
      for (const event of response?.Events ?? []) {
        const change = endpointChangeOf(event.CloudTrailEvent, cluster, options.guardRoleArn);
        if (change) return change;
      }
      token = response?.NextToken;
      if (!token) return undefined;
    }
    return undefined;
  }
}

/** The change an event records, when it is one of the cluster's endpoint changes. */
export function endpointChangeOf(
  json: string | undefined,
  cluster: string,
  guardRoleArn?: string,
): EndpointChange | undefined {
  let detail: unknown;
  try {
    detail = JSON.parse(json ?? '');
  } catch {
    return undefined;
  }
  const eventName = text(field(detail, 'eventName'));
  if (eventName !== 'CreateCluster' && eventName !== 'UpdateClusterConfig') return undefined;
  if (
    text(field(detail, 'eventSource')) !== 'eks.amazonaws.com' ||
    field(detail, 'errorCode') !== undefined
  ) {
    return undefined;
  }
  const params = field(detail, 'requestParameters');
  if ((text(field(params, 'name')) ?? text(field(params, 'clusterName'))) !== cluster) return undefined;
  // A cluster created without endpoint fields gets the EKS defaults (public, open to the world).
  const vpc = field(params, 'resourcesVpcConfig');
  if (eventName === 'UpdateClusterConfig' && !ENDPOINT_FIELDS.some((f) => field(vpc, f) !== undefined)) {
    return undefined;
  }
  const eventTime = text(field(detail, 'eventTime'));
  const eventId = text(field(detail, 'eventID'));
  if (!eventTime || Number.isNaN(Date.parse(eventTime)) || !eventId) return undefined;
  const identity = field(detail, 'userIdentity');
  const actorArn =
    text(field(identity, 'arn')) ??
    text(field(field(field(identity, 'sessionContext'), 'sessionIssuer'), 'arn'));
  const sourceIp = text(field(detail, 'sourceIPAddress'));
  const userAgent = text(field(detail, 'userAgent'));
  return {
    eventId,
    eventName,
    eventTime: new Date(Date.parse(eventTime)).toISOString(),
    ...(actorArn ? { actorArn } : {}),
    ...(sourceIp ? { sourceIp } : {}),
    ...(userAgent ? { userAgent } : {}),
    byGuard: isGuardOwnChange(detail, guardRoleArn),
  };
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, MAX_TEXT) : undefined;
}
