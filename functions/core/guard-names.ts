/**
 * The fixed names of a guard's own resources (DESIGN §15): what the central bus policy and the
 * protection SCP name, so they must be the same wherever the guard is deployed. A guard that
 * reports to the organisation's central bus (a StackSet member) is `eks-endpoint-guard-member`, a
 * guard of its own `eks-endpoint-guard`: both can live in one account without a name in common.
 * IAM names are global to an account, so the role carries the region; the others are regional.
 */
export const GUARD_NAME = 'eks-endpoint-guard';
export const MEMBER_NAME = `${GUARD_NAME}-member`;

export type GuardMode = 'single' | 'member';

export interface GuardNames {
  /** What every name below starts with. */
  prefix: string;
  role: string;
  function: string;
  recheckQueue: string;
  deadLetterQueue: string;
  recheckDeadLetterQueue: string;
  endpointChangeRule: string;
  policyChangeRule: string;
  sweepRule: string;
}

/** The names in `region` (a literal, or a deploy-time token standing for one). */
export function guardNames(mode: GuardMode, region: string): GuardNames {
  const prefix = mode === 'member' ? MEMBER_NAME : GUARD_NAME;
  return {
    prefix,
    role: `${prefix}-${region}`,
    function: prefix,
    recheckQueue: `${prefix}-recheck`,
    deadLetterQueue: `${prefix}-dlq`,
    recheckDeadLetterQueue: `${prefix}-recheck-dlq`,
    endpointChangeRule: `${prefix}-endpoint-change`,
    policyChangeRule: `${prefix}-policy-change`,
    sweepRule: `${prefix}-sweep`,
  };
}

/** The role name pattern of every guard in every region, as IAM and SCP patterns match it. */
export const GUARD_ROLE_PATTERN = `${GUARD_NAME}-*`;
