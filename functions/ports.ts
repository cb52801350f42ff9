import type { Alert } from './core/alert/alert';
import type { AsffFinding } from './core/alert/asff';
import type { ChatMessage, Delivery, TopicMessage } from './core/alert/deliveries';
import type { CheckRequest } from './core/check-request';
import type { ClientsLookup } from './core/clients/types';
import type { DecisionEventEntry } from './core/decision-event';
import type { QueuedDecision } from './core/decision-message';
import type { EndpointConfig } from './core/endpoint';
import type { LoadedPolicy } from './core/policy/policy';
import type { SweepSummary } from './core/report/evidence';
import type { CheckResult, UpdateError } from './core/result';
import type { SealPorts } from './seal-ports';

/**
 * What the guard needs from AWS, as small interfaces: the adapters in aws/ implement them with
 * the SDK, tests implement them with the SDK mocked at its boundary or against the emulator.
 */
/** EKS refused an update because another one is running (ResourceInUseException). */
export class ClusterBusyError extends Error {
  override readonly name = 'ClusterBusyError';
}

/** EKS says the cluster already has the requested endpoint configuration. */
export class AlreadyAtTargetError extends Error {
  override readonly name = 'AlreadyAtTargetError';
}

/**
 * EKS refused the update's parameters for a reason other than "already at the desired
 * configuration" (InvalidParameterException): asking again with the same parameters cannot help.
 */
export class UpdateRejectedError extends Error {
  override readonly name = 'UpdateRejectedError';
  constructor(
    /** EKS's own message, as it gave it. */
    readonly eksMessage: string,
    options?: { cause?: unknown },
  ) {
    super(`EKS rejected the update: ${eksMessage}`, options);
  }
}

export interface ClusterState {
  name: string;
  arn?: string;
  /** ISO time of DescribeCluster's `createdAt`. */
  createdAt?: string;
  status: string;
  config: EndpointConfig;
  tags: Record<string, string>;
  vpcId?: string;
  subnetIds: string[];
  /** Whether the control-plane audit log goes to CloudWatch Logs; absent when EKS did not say. */
  auditLogging?: boolean;
}

export interface IssuedUpdate {
  /** Absent when EKS (or an emulator) returns no update object. */
  updateId?: string;
  status?: string;
}

export interface UpdateState {
  status: string;
  errors: UpdateError[];
  /** When EKS created the update (ISO), when it says. */
  createdAt?: string;
  /** The update's parameters as EKS lists them (`EndpointPublicAccess`: `true`, ...). */
  params?: { type: string; value: string }[];
}

export interface EksPort {
  /** undefined when the cluster does not exist (any more). */
  describeCluster(name: string): Promise<ClusterState | undefined>;
  /** Endpoint fields only; throws ClusterBusyError on ResourceInUseException. */
  updateEndpointAccess(
    name: string,
    target: EndpointConfig,
    clientRequestToken: string,
  ): Promise<IssuedUpdate>;
  /** undefined when the cluster (and so the update) no longer exists. */
  describeUpdate(name: string, updateId: string): Promise<UpdateState | undefined>;
  /** The ids of the cluster's newest updates (at most `limit`); empty when the cluster is gone. */
  listUpdates(name: string, limit: number): Promise<string[]>;
  listClusters(): AsyncIterable<string>;
}

export interface VpcDns {
  vpcId: string;
  dnsSupport: boolean;
  dnsHostnames: boolean;
  /** The DHCP options set of the VPC: `default` (none associated) or its id; absent when not looked up. */
  dhcpOptionsId?: string;
  /** Its `domain-name-servers`: `AmazonProvidedDNS` and/or IP addresses; empty when the set names none. */
  domainNameServers?: string[];
}

export interface Ec2Port {
  /**
   * Finds the VPC through the subnets when vpcId is absent. Concurrent calls for one VPC share one
   * look-up; a failed look-up is not remembered.
   */
  vpcDns(vpcId: string | undefined, subnetIds: string[]): Promise<VpcDns>;
}

/** One version of the policy parameter, from its history. */
export interface PolicyVersion {
  version: number;
  value: string;
  modifiedAt?: string;
  modifiedBy?: string;
}

export interface PolicyPort {
  readonly parameterName: string;
  /** Throws PolicyError for a missing or invalid policy. */
  load(): Promise<LoadedPolicy>;
  /** The newest `limit` versions, newest first; empty when the parameter does not exist. */
  history(limit: number): Promise<PolicyVersion[]>;
  /** Forgets the cached policy: the next load reads the parameter again. */
  invalidate(): void;
}

/** Publishes one prepared form of an alert (the alert topic's or the chat topic's) to its topic. */
export interface AlertPublisher {
  /** Returns the SNS message id. */
  publish(input: TopicMessage | ChatMessage): Promise<string>;
}

/**
 * Security Hub: import the guard's own findings, and leave a note on the AWS-managed control finding
 * EKS.1 of a cluster, never changing its workflow unless asked to. A finding Security Hub refuses is
 * an error, so that the caller retries it through the recheck queue like any alert.
 */
export interface SecurityHubPort {
  importFindings(findings: readonly AsffFinding[]): Promise<void>;
  /** Returns how many control findings were noted (0 when Security Hub has none for the cluster). */
  noteControlFinding(
    clusterArn: string,
    note: { Text: string; UpdatedBy: string },
    suppress?: boolean,
  ): Promise<number>;
}

export interface NotifierPort {
  /** Returns the SNS message id. */
  publish(alert: Alert): Promise<string>;
}

/** How far back an audit query looks when it names no start. */
export const DEFAULT_AUDIT_WINDOW_DAYS = 7;

export interface AuditQuery {
  cluster?: string;
  region?: string;
  since?: Date;
  /** Exclusive end. */
  until?: Date;
  outcome?: string;
  limit?: number;
  /** Only records it accepts count towards the limit. */
  filter?: (result: CheckResult) => boolean;
}

export interface AuditPort {
  /** Never overwrites a record: writing the same decision twice (a retry) is not an error. */
  write(result: CheckResult): Promise<void>;
  /** Newest first. */
  query(query: AuditQuery): Promise<CheckResult[]>;
  /** The cluster's "last checked" marker, the one item updated in place. */
  markChecked(result: CheckResult): Promise<void>;
  /** One summary per sweep, the evidence of continuous checking. */
  sweepSummary(summary: SweepSummary): Promise<void>;
  /**
   * Takes the claim on `key` for `owner`: true when `owner` holds it (now or already), false when
   * another owner took it first. What is claimed is delivered once (aws/audit-claims.ts). With
   * `after` (ISO), a claim another owner took before that time is an earlier episode's and is
   * taken over.
   */
  claim(key: string, owner: string, after?: string): Promise<boolean>;
}

/** The latest endpoint change of a cluster found in CloudTrail's event history. */
export interface EndpointChange {
  eventId: string;
  eventName: string;
  eventTime: string;
  actorArn?: string;
  sourceIp?: string;
  userAgent?: string;
  /** The guard's own update. */
  byGuard: boolean;
}

export interface CloudTrailPort {
  /** The newest CreateCluster or endpoint-changing UpdateClusterConfig since `since`, if any. */
  latestEndpointChange(cluster: string, since: Date): Promise<EndpointChange | undefined>;
}

/** The longest delay a recheck message can carry (SQS DelaySeconds). */
export const MAX_RECHECK_DELAY_SECONDS = 900;

export interface RecheckPort {
  send(request: CheckRequest, delaySeconds: number): Promise<void>;
  /** Queues an alert whose publish failed, to be published from the queue. */
  sendAlert(alert: Alert, correlationId: string): Promise<void>;
  /** Queues one form of an alert (chat, Security Hub) whose delivery failed, to be retried from the queue. */
  sendDelivery(delivery: Delivery, correlationId: string): Promise<void>;
  /**
   * Queues the rest of the delivery of a decision that issued an update, to be delivered from the
   * queue (after `delaySeconds`, default a few seconds).
   */
  sendDecision(decision: QueuedDecision, delaySeconds?: number): Promise<void>;
  /** Queues a decision event the central bus refused, to be sent again from the queue. */
  sendDecisionEvent?(entry: DecisionEventEntry): Promise<void>;
  /**
   * Whether SQS confirms a record's receipt handle as a message of the recheck queue now in flight
   * (a ChangeMessageVisibility that only such a message passes): false when SQS refuses it; an
   * error SQS may not repeat (throttling, a fault) is thrown, so the record is retried, not demoted.
   */
  confirm(receiptHandle: string): Promise<boolean>;
}

/** The organisation's central event bus (DESIGN §12). */
export interface DecisionEventsPort {
  /** The bus every entry goes to. */
  readonly busArn: string;
  /** The `source` of every entry: `eks-endpoint-guard.<the guard's region>` (core/decision-event.ts). */
  readonly source: string;
  /** The member's sweep schedule, named in each heartbeat. */
  readonly sweepSchedule: string;
  /** Entries still refused after the adapter's own retries are returned, never dropped. */
  send(
    entries: DecisionEventEntry[],
  ): Promise<{ failed: { entry: DecisionEventEntry; errorCode: string }[] }>;
}

/**
 * The blast-radius budget that sweeps started by the schedule share within one schedule period: a
 * forged scheduled event then starts no sweep with a fresh budget of its own.
 */
export interface SweepBudgetPort {
  /** The schedule's period, in seconds (SWEEP_SCHEDULE). */
  readonly periodSeconds: number;
  /**
   * Takes one of the `limit` changes of the period that starts at `period` (ISO), for `cluster`;
   * false when all are taken. A change taken is never given back (the budget errs on fewer changes).
   */
  claim(period: string, limit: number, owner: { sweepId: string; cluster: string }): Promise<boolean>;
}

/** The cluster a client look-up is for. */
export interface ClientsTarget {
  name: string;
  /** From DescribeCluster: false answers "unknown" without reading any log. */
  auditLogging?: boolean;
}

/**
 * The API clients of a cluster in a bounded window ending now, from its EKS audit log (DESIGN §18).
 * Never throws for what it cannot know: logging off, a missing log group, a failed or timed-out
 * query, a cap reached all answer `known: false` with why; "unknown" is never "nobody".
 */
export interface ClientsPort {
  recentClients(cluster: ClientsTarget): Promise<ClientsLookup>;
}

export interface GuardPorts {
  eks: EksPort;
  ec2: Ec2Port;
  policy: PolicyPort;
  notifier: NotifierPort;
  audit: AuditPort;
  recheck: RecheckPort;
  /** The central bus decisions and sweep heartbeats are sent to; absent: not a member of an organisation. */
  decisions?: DecisionEventsPort;
  /** Names who caused drift the sweep finds; absent: no lookup. */
  cloudtrail?: CloudTrailPort;
  /** The chat topic (Slack, Microsoft Teams); absent: no chat form. */
  chat?: AlertPublisher;
  /** Security Hub findings (the `securityHub` stack option); absent: none. */
  securityHub?: SecurityHubPort;
  /** Digests sealing the audit records (DIGEST_BUCKET_NAME); absent: no digests. */
  seal?: SealPorts;
  /** The budget scheduled sweeps share per schedule period; absent: each sweep has its own. */
  sweepBudget?: SweepBudgetPort;
  /** Recent API clients from the audit log (the `activeClients` option); absent: the look-up is off. */
  clients?: ClientsPort;
  clock: () => Date;
}
