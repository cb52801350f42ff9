import { GetFindingsCommand } from '@aws-sdk/client-securityhub';
import type { AwsClients } from '../aws/clients';
import type { CheckResult } from '../core/result';
import { guardSession } from './demo-story';
import { changeOf, shortArn } from './format';
import type { CliIo } from './io';
import type { DeliveredAlert } from './sandbox';

/** How the demo shows each step: a decision, the alert people get, its other forms, the event played. */

export function printDecision(result: CheckResult, io: CliIo): void {
  const change = changeOf(result);
  io.out(
    `    → ${io.style.outcome(result.outcome, result.outcome.padEnd(15))} ${change === '-' ? '' : change}\n`,
  );
  io.out(`${io.style.dim(wrap(result.reason, 90, '      '))}\n`);
  if (result.fix) io.out(`      fix: ${result.fix}\n`);
  // Named clients are in the reason; "unknown" is said here, so that it never reads as nobody.
  const cutOff = result.clientsCutOff;
  if (cutOff?.clients === 'unknown')
    io.out(`${io.style.dim(`      API clients cut off: unknown (${cutOff.why})`)}\n`);
}

export function printAlert(alert: DeliveredAlert, io: CliIo, seen: Set<string>): void {
  const attributes = Object.entries(alert.attributes)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  io.out(`\n    ✉ ${io.style.bold(alert.subject)}\n`);
  io.out(`      ${io.style.dim(`attributes: ${attributes}`)}\n`);
  const kind = alert.attributes.outcome ?? '';
  if (seen.has(kind)) {
    io.out(`      ${io.style.dim('(body laid out like the one above)')}\n`);
    return;
  }
  seen.add(kind);
  io.out(`${indent(alert.text.trimEnd(), '      │ ')}\n`);
}

/** The chat and Security Hub forms of the same remediation: one set of facts, each channel's shape. */
export async function printOtherForms(
  result: CheckResult,
  chats: DeliveredAlert[],
  clients: AwsClients,
  io: CliIo,
): Promise<void> {
  const content = chats[0]?.message.content as { title?: string; description?: string } | undefined;
  if (content?.title) {
    io.out(`\n    💬 ${io.style.bold(`chat: ${content.title}`)}\n`);
    const description = (content.description ?? '').split('\n').slice(0, 6).join('\n');
    io.out(`${indent(description.trimEnd(), '      │ ')}\n`);
  }
  const { Findings = [] } = await clients.securityhub.send(
    new GetFindingsCommand({
      Filters: { ResourceId: [{ Value: result.clusterArn ?? '', Comparison: 'EQUALS' }] },
      MaxResults: 10,
    }),
  );
  for (const finding of Findings) {
    io.out(`\n    🛡 ${io.style.bold(`Security Hub: ${finding.Title ?? ''}`)}\n`);
    const fields: [string, string | undefined][] = [
      ['Id', finding.Id],
      ['GeneratorId', finding.GeneratorId],
      ['Compliance', finding.Compliance?.Status],
      ['RecordState', finding.RecordState],
      ['Severity', finding.Severity?.Label],
      ['Resource', `${finding.Resources?.[0]?.Type ?? ''} ${finding.Resources?.[0]?.Id ?? ''}`],
    ];
    for (const [name, value] of fields) io.out(`      │ ${`${name}:`.padEnd(13)}${value ?? '-'}\n`);
  }
}

/** `CreateCluster prod-api by user/platform-ci`, from the event itself. */
export function describeEvent(event: unknown): string {
  const detail = (event as { detail?: Record<string, unknown> }).detail ?? {};
  const params = (detail.requestParameters ?? {}) as Record<string, unknown>;
  const identity = (detail.userIdentity ?? {}) as Record<string, unknown>;
  const actor = shortArn(typeof identity.arn === 'string' ? identity.arn : undefined);
  const failed = typeof detail.errorCode === 'string' ? ` (${detail.errorCode})` : '';
  const who = identity.arn === guardSession().arn ? 'the guard' : (actor ?? 'someone');
  return `${String(detail.eventName)} ${String(params.name ?? params.clusterName)} by ${who}${failed}`;
}

export function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line, index, lines) =>
      index === lines.length - 1 && line === '' ? line : `${prefix}${line}`.trimEnd(),
    )
    .join('\n');
}

function wrap(text: string, width: number, prefix: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l) => `${prefix}${l}`).join('\n');
}
