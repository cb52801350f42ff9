import type { Trigger } from './check-request';
import type { ClientsCutOff } from './clients/types';
import type { ActiveExemption, RejectedTag } from './effective';
import type { EndpointConfig } from './endpoint';
import type { Violation } from './evaluate';
import type { Outcome } from './outcome';

/** Which policy decided, for the audit trail. */
export interface PolicyRef {
  source: string;
  version: number;
  digest: string;
  mode: 'enforce' | 'notify';
  /** The tag key that exempts a cluster, for the alert's "how to get an exemption"; null: tag exemptions off. */
  exemptionTag: string | null;
  /** The rule set applied, e.g. `publicAccess "disabled", privateAccess "required" (policy)`. */
  rule: string;
}

export interface UpdateError {
  code: string;
  message: string;
}

/** The flip-flop breaker's finding: the same cluster keeps being made non-compliant. */
export interface Escalation {
  actorArn?: string;
  remediations: number;
  windowMinutes: number;
  /** Part of a loop already escalated to people within the window: this remediation raised no alert. */
  silenced?: boolean;
}

/** A sweep that would have changed more clusters than the policy allows in one run. */
export interface BlastRadius {
  /** The policy's maxRemediationsPerRun. */
  limit: number;
  /** How many non-compliant clusters were left unchanged. */
  withheld: number;
  /** Their names (the first MAX_WITHHELD_NAMES). */
  clusters: string[];
}

/** A change to the policy parameter, seen through CloudTrail and the parameter history. */
export interface PolicyChange {
  parameter: string;
  /** PutParameter, DeleteParameter, DeleteParameters or LabelParameterVersion. */
  eventName: string;
  /** The parameter version now in force, and the one before it, from the history. */
  version?: number;
  previousVersion?: number;
  /** One line per change, before → after. */
  changes: string[];
  /** The changes that weaken enforcement (the alert is then critical). */
  weaker: string[];
  /** Who SSM says last modified the parameter (CloudTrail's actor is on the trigger). */
  modifiedBy?: string;
}

/**
 * One decision about one cluster: what the handler returns, the CLI prints, alerts describe
 * and the audit trail stores.
 */
export interface CheckResult {
  cluster: string;
  region: string;
  account?: string;
  clusterArn?: string;
  outcome: Outcome;
  /** One line a person understands. */
  reason: string;
  /** ISO time of the decision. */
  time: string;
  correlationId: string;
  trigger: Trigger;
  attempt: number;
  policy?: PolicyRef;
  violations?: Violation[];
  /** The endpoint configuration seen. */
  before?: EndpointConfig;
  /** The compliant target (remediated, would-remediate, blocked). */
  after?: EndpointConfig;
  exemption?: ActiveExemption;
  /** The exemption tag is on the cluster but did not exempt it, and why. */
  rejectedTag?: RejectedTag;
  updateId?: string;
  /** InProgress, Successful, Failed or Cancelled, as EKS reports it. */
  updateStatus?: string;
  updateErrors?: UpdateError[];
  /** Deferred: when the re-check is due and when the guard gives up. */
  nextCheckAt?: string;
  deadline?: string;
  /** Blocked: what to fix before the guard can act. */
  fix?: string;
  /** What people must check so the change does not cut clients off (NAT egress IPs when narrowing CIDRs). */
  accessNote?: string;
  /** How the target was chosen when that needs saying: the allowed list itself beyond EKS's 40 blocks. */
  targetNote?: string;
  /**
   * The recently active API clients (from the cluster's audit log) the target would cut off, or
   * "unknown" and why; absent when the target takes no access away or the policy's
   * protectActiveClients is off (DESIGN §18).
   */
  clientsCutOff?: ClientsCutOff;
  escalation?: Escalation;
  /**
   * A new violation under the policy's grace period (`deferred`): when the violation was first
   * seen (the start of the grace period) and when the guard reverts it unless it is fixed or exempt.
   */
  graceSince?: string;
  graceUntil?: string;
  /** The record of a sweep that reached the policy's maxRemediationsPerRun (cluster `-`). */
  blastRadius?: BlastRadius;
  /** Set on the record of a policy parameter change (cluster `-`). */
  policyChange?: PolicyChange;
  /** Set once the alert is published. */
  alertMessageId?: string;
  /** The alert could not be published; it was queued and is published from the queue. */
  alertQueued?: boolean;
  /** The alert could be neither published nor queued; the request is retried. */
  alertFailed?: boolean;
  /**
   * Part of the delivery after an issued update failed: the rest went to the recheck queue as a
   * decision message and is delivered from there, as decided (core/decision-message.ts).
   */
  deliveryQueued?: boolean;
  /**
   * This result finishes the delivery of a queued decision (deliveryQueued): the decision was
   * counted when it was made, so metrics leave it out; the log line stays.
   */
  finishedFromQueue?: boolean;
}
