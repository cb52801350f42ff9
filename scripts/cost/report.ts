import { fixedCost } from './fixed-charges';
import { type Line, total } from './line';
import { PRICES } from './prices';
import { queueProofCost } from './queue-proof';
import type { Templates } from './templates';
import { centralUsageCost, memberUsageCost } from './usage-charges';
import { DEFAULT_WORKLOAD, type Workload } from './workload';

export interface CostReport {
  workload: Workload;
  /** Fixed plus usage, per account-region: the single-account stack and the StackSet member (organisation mode). */
  perMemberRegion: { single: number; member: number };
  /** The fixed part alone (what an idle account-region costs). */
  fixedPerMemberRegion: { single: number; member: number };
  lines: { single: Line[]; member: Line[]; central: Line[] };
  /** The proof of queued records: the SQS confirmation chosen, and what a KMS HMAC key would cost. */
  queueProof: ReturnType<typeof queueProofCost>;
  organisation: {
    accounts: number;
    regions: number;
    members: number;
    membersUsd: number;
    centralUsd: number;
  };
  prices: typeof PRICES;
}

export function costReport(
  templates: Templates,
  accounts = 200,
  regions = 4,
  workload = DEFAULT_WORKLOAD,
): CostReport {
  const members = accounts * regions;
  const lines = {
    single: [...fixedCost(templates.single), ...memberUsageCost(templates.single, workload)],
    member: [...fixedCost(templates.member), ...memberUsageCost(templates.member, workload)],
    central: [...fixedCost(templates.central), ...centralUsageCost(members, workload)],
  };
  return {
    workload,
    perMemberRegion: { single: total(lines.single), member: total(lines.member) },
    fixedPerMemberRegion: {
      single: total(fixedCost(templates.single)),
      member: total(fixedCost(templates.member)),
    },
    lines,
    queueProof: queueProofCost(workload),
    organisation: {
      accounts,
      regions,
      members,
      membersUsd: members * total(lines.member),
      centralUsd: total(lines.central),
    },
    prices: PRICES,
  };
}
