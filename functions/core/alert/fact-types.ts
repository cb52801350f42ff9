import type { Trigger } from '../check-request';
import type { ClientsCutOff } from '../clients/types';
import type { ActiveExemption } from '../effective';
import type { EndpointConfig } from '../endpoint';
import type { ViolationRule } from '../evaluate';
import type { Outcome, Severity } from '../outcome';
import type { PolicyRef } from '../result';

/**
 * An alert as facts (DESIGN §10): built once, purely, from a decision; every channel (e-mail in
 * English or Japanese, chat, the machine JSON, a Security Hub finding) renders these and nothing
 * else. Every string that came from outside the guard is already one safe line here; renderers
 * apply their own form's escape on top (forms.ts).
 */
export interface AlertFacts {
  /** `open`: something people must know or do; `resolved`: a cluster alerted before is compliant again. */
  status: AlertStatus;
  outcome: Outcome;
  severity: Severity;
  cluster: string;
  clusterArn?: string;
  account?: string;
  region: string;
  partition: string;
  /** ISO time of the decision. */
  time: string;
  correlationId: string;
  /** The decision's own sentence (safe line). */
  reason: string;
  headline: Headline;
  trigger: TriggerFacts;
  /** 0 for a first check, n for the n-th re-check of a busy cluster. */
  attempt: number;
  before?: EndpointConfig;
  after?: EndpointConfig;
  /** What the target changes (or would), most significant first. */
  changes: Change[];
  /** `did` when the guard changed the cluster, `would` in notify mode, `none` otherwise. */
  mood: 'did' | 'would' | 'none';
  /** Every policy rule the decision is about: broken ones when open, the previously broken ones when resolved. */
  rules: AlertRule[];
  violations: { rule: ViolationRule; reason: string; offendingCidrs?: string[] }[];
  policy?: PolicyRef;
  exemption?: ActiveExemption;
  /** Blocked or notify mode: what must be fixed before the guard can act (safe line). */
  fix?: string;
  update?: { id?: string; status?: string; errors: { code: string; message: string }[] };
  escalation?: { actorArn?: string; remediations: number; windowMinutes: number };
  /** A policy that could not be used, read back from the reason. */
  policyFault?: PolicyFault;
  /** What the decision means for who can reach the API server. */
  access: AccessEffect[];
  /** The recently active API clients the target cuts off, or "unknown" and why (safe lines). */
  clientsCutOff?: ClientsCutOff;
  /** What people should do next. */
  actions: Action[];
  links: AlertLinks;
  /** The outcome of the alert a `resolved` alert closes. */
  resolves?: Outcome;
  /** A change of the policy parameter (the alert of a policy change, cluster `-`). */
  policyChange?: {
    parameter: string;
    eventName: string;
    version?: number;
    previousVersion?: number;
    changes: string[];
    weaker: string[];
  };
}

export type AlertStatus = 'open' | 'resolved';
export type Change = 'public-off' | 'narrowed' | 'private-on';
/** A rule a finding and a dedup key are kept per: the three endpoint rules, or the check itself. */
export type AlertRule = ViolationRule | 'check';
export const ALERT_RULES: readonly AlertRule[] = [
  'public-disabled',
  'public-cidrs',
  'private-required',
  'check',
];

export interface TriggerFacts {
  source: Trigger['source'];
  eventId?: string;
  eventName?: string;
  eventTime?: string;
  actorArn?: string;
  /** `assumed-role/Deployer/ci` rather than the whole ARN: the part a person recognises. */
  actorLabel?: string;
  sourceIp?: string;
  userAgent?: string;
  byGuard: boolean;
}

export type Headline =
  | { kind: 'escalation'; actorLabel?: string }
  | { kind: 'remediated'; change?: Change; cidrs: string[] }
  | { kind: 'would-remediate'; change?: Change; cidrs: string[] }
  | { kind: 'exempt'; reason: string }
  | { kind: 'blocked'; cause: BlockedCause }
  | { kind: 'policy-fault'; fault: PolicyFault }
  | { kind: 'update-failed'; status: 'Failed' | 'Cancelled'; code?: string }
  | { kind: 'check-failed'; reason: string }
  | { kind: 'resolved'; resolves?: Outcome }
  | { kind: 'other'; reason: string };

export type BlockedCause =
  | { kind: 'dns'; support: boolean; hostnames: boolean }
  | { kind: 'reason'; reason: string };

export interface PolicyFault {
  source: string;
  state: 'missing' | 'unreadable' | 'empty' | 'invalid';
}

export type AccessEffect =
  | { kind: 'unchanged'; config: EndpointConfig }
  | { kind: 'public-off' }
  | { kind: 'narrowed'; cidrs: string[] }
  | { kind: 'nodes-through-nat' }
  | { kind: 'private-on' }
  | { kind: 'peering-resolves-public' }
  | { kind: 'still-authenticated' };

export type Action =
  | { kind: 'remove-exemption'; source: ActiveExemption['source']; reason: string; expires?: string }
  | { kind: 'fix-policy'; parameter: string }
  | { kind: 'fix-blocked'; fix: string }
  | { kind: 'before-enforcing'; fix: string }
  | { kind: 'fix-reapplier' }
  | { kind: 'request-exception'; tag: string; parameter: string };

export interface AlertLinks {
  /** The cluster's networking tab in the EKS console. */
  console?: string;
  /** The CloudTrail event that triggered the decision. */
  cloudTrailEvent?: string;
}

export interface FactsOptions {
  exemptionTag: string;
  policyParameter: string;
  /** The severity the alert already carries, so that facts and SNS attributes always agree. */
  severity?: Severity;
}
