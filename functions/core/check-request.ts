/** What caused a check: kept on every result, deferral and audit record. */
export interface Trigger {
  /** `event`: a CloudTrail event; `sweep`: the schedule or `check`; `recheck`: a deferred re-check; `cli`: `check --cluster`. */
  source: 'event' | 'sweep' | 'recheck' | 'cli';
  eventId?: string;
  eventName?: string;
  /** When the triggering API call happened (ISO 8601). */
  eventTime?: string;
  actorArn?: string;
  /** `lookup`: no event named the actor; the sweep found the latest endpoint change in CloudTrail. */
  actorSource?: 'event' | 'lookup';
  sourceIp?: string;
  userAgent?: string;
  /** TagResource / UntagResource: the tag keys set or removed. */
  tagKeys?: string[];
  /** The event records the guard's own endpoint update: a check confirms it, never a second change. */
  byGuard?: boolean;
}

/** "Check cluster C in region R because of T": the one request every trigger becomes. */
export interface CheckRequest {
  cluster: string;
  region: string;
  account?: string;
  trigger: Trigger;
  /** Stable across deferrals of the same request; logs and audit records carry it. */
  correlationId: string;
  /** 0 for the first check; incremented on each deferral. */
  attempt: number;
  /** ISO time after which a still-busy cluster becomes `failed`. Set on the first deferral. */
  deadline?: string;
  /**
   * The end of a grace period (ISO): until then the re-check is only passed on through the queue
   * (SQS delays at most 15 minutes); then it is decided, reading the cluster and the policy afresh.
   */
  dueAt?: string;
  /** Set when the re-check follows an update the guard issued, instead of re-deciding. */
  followUpdate?: FollowUpdate;
}

export interface FollowUpdate {
  updateId: string;
  /** When the update was issued (ISO), for the latency metric. */
  issuedAt: string;
  before: import('./endpoint').EndpointConfig;
  after: import('./endpoint').EndpointConfig;
}
