import type { IacCluster } from '../../../core/iac/cluster';
import type { IacStatus } from '../../../core/iac/evaluate';
import { type CheckedCluster, rulesText } from '../../../core/iac/report';
import type { Position } from '../../../core/iac/source';
import { fixText } from '../../../core/iac/words';
import type { LoadedPolicy } from '../../../core/policy/policy';
import type { CliIo } from '../../io';

const STATUS_WORDS: Record<IacStatus, string> = {
  compliant: 'compliant',
  'non-compliant': 'non-compliant',
  unknown: 'not provably compliant before deploy',
  exempt: 'exempt',
};
/** The outcome colour of each status (io.style colours outcomes). */
const STATUS_COLOURS: Record<IacStatus, string> = {
  compliant: 'compliant',
  'non-compliant': 'blocked',
  unknown: 'would-remediate',
  exempt: 'exempt',
};

/**
 * One block per cluster, `FILE:LINE:COLUMN: RESOURCE, cluster "NAME": STATUS`, then its findings
 * (each at its own position), the compliant values to write and notes; a summary line last.
 */
export function printIacText(
  checked: readonly CheckedCluster[],
  read: { files: number; errors: readonly unknown[] },
  policy: LoadedPolicy,
  io: CliIo,
): void {
  for (const { cluster, verdict } of checked) {
    const status = io.style.outcome(STATUS_COLOURS[verdict.status], STATUS_WORDS[verdict.status]);
    const mode =
      verdict.effective.mode === 'notify' && verdict.findings.length > 0 ? ' (policy mode notify)' : '';
    io.out(
      `${where(cluster.file, cluster.at)}${cluster.resource}, cluster "${cluster.name.value}": ${status}${mode}\n`,
    );
    for (const finding of verdict.findings) {
      const at = finding.setting ? cluster[finding.setting].at : cluster.at;
      io.out(`  ${where(cluster.file, at)}${finding.rule}: ${finding.message}\n`);
    }
    if (verdict.exemption) {
      const until = verdict.exemption.expires ? ` until ${verdict.exemption.expires}` : '';
      io.out(`  exempt by ${verdict.exemption.source}: ${verdict.exemption.reason}${until}\n`);
    }
    if (verdict.target && verdict.status !== 'exempt')
      io.out(`  write: ${fixText(cluster, verdict.target)}\n`);
    if (verdict.findings.length > 0) io.out(`  rules: ${rulesText(verdict)}\n`);
    for (const note of notesOf(cluster)) io.out(`  note: ${note}\n`);
  }
  io.out(
    `${io.style.bold(summary(checked, read))} (policy ${policy.source}, ${policy.digest.slice(0, 19)}...)\n`,
  );
}

function notesOf(cluster: IacCluster): string[] {
  return [...(cluster.name.note ? [cluster.name.note] : []), ...cluster.notes];
}

function where(file: string, at: Position | undefined): string {
  return at ? `${file}:${at.line}:${at.column}: ` : `${file}: `;
}

function summary(
  checked: readonly CheckedCluster[],
  read: { files: number; errors: readonly unknown[] },
): string {
  const count = (status: IacStatus) => checked.filter((c) => c.verdict.status === status).length;
  const parts = (Object.keys(STATUS_WORDS) as IacStatus[])
    .filter((status) => count(status) > 0)
    .map((status) => `${count(status)} ${status === 'unknown' ? 'unknown until deploy' : status}`);
  if (read.errors.length > 0) parts.push(`${read.errors.length} unreadable`);
  const clusters = `${checked.length} EKS cluster${checked.length === 1 ? '' : 's'}`;
  const files = `${read.files} file${read.files === 1 ? '' : 's'}`;
  return `${clusters} in ${files}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}
