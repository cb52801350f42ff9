import type { Line } from './line';
import type { CostReport } from './report';

export const usd = (n: number) => `$${n.toFixed(n < 0.01 && n > 0 ? 4 : 2)}`;

export function renderMarkdown(report: CostReport): string {
  const { lines } = report;
  const items = lines.single.map((l) => l.item);
  const row = (item: string, list: Line[]) => {
    const line = list.find((l) => l.item === item);
    return line ? `${usd(line.usd)} (${Number(line.quantity.toFixed(3))})` : '—';
  };
  const out = [
    `Workload per member account-region: ${report.workload.clusters} clusters, ${report.workload.sweepsPerMonth} sweeps a month. List prices, us-east-1, before free tiers.`,
    '',
    '| item | single account | StackSet member (organisation mode) |',
    '|---|---|---|',
    ...items.map((item) => `| ${item} | ${row(item, lines.single)} | ${row(item, lines.member)} |`),
    `| fixed part | ${usd(report.fixedPerMemberRegion.single)} | ${usd(report.fixedPerMemberRegion.member)} |`,
    `| **per account-region** | **${usd(report.perMemberRegion.single)}** | **${usd(report.perMemberRegion.member)}** |`,
    '',
    '| central account | cost |',
    '|---|---|',
    ...lines.central.map((l) => `| ${l.item} (${Number(l.quantity.toFixed(3))}) | ${usd(l.usd)} |`),
    `| **central, ${report.organisation.members} members** | **${usd(report.organisation.centralUsd)}** |`,
    '',
    `Organisation of ${report.organisation.accounts} accounts × ${report.organisation.regions} regions: members ${usd(report.organisation.membersUsd)} + central ${usd(report.organisation.centralUsd)} = ${usd(report.organisation.membersUsd + report.organisation.centralUsd)} a month.`,
    '',
    `Proof of queued records (${report.workload.privilegedRecordsPerMonth} a month per account-region): SQS ChangeMessageVisibility ${usd(report.queueProof.sqs)} (chosen); a KMS HMAC key instead ${usd(report.queueProof.kmsHmac)}, the key alone ${usd(report.prices.kmsKeyMonth.usd)}.`,
  ];
  return out.join('\n');
}
