import { type Command, Option } from 'commander';
import type { Outcome } from '../../core/outcome';
import { allowEndpointOption } from '../allow-endpoint';
import { AUDIT_DIGEST_HELP, AUDIT_HELP, AUDIT_VERIFY_HELP } from '../help';
import { parseOutcome, parsePositiveInt } from '../options';
import { parseClusterGlob } from '../period';
import type { CommandGroup } from './group';

/** `audit`, `audit digest` and `audit verify`: the trail and its seal. Help and parsing load no AWS SDK code. */
export function addAuditCommands(program: Command, { command, load, io, exit }: CommandGroup): void {
  const audit = command(program, 'audit', AUDIT_HELP)
    .enablePositionalOptions()
    .option(
      '--cluster <glob>',
      'only this cluster, or the clusters matching a glob (* and ?)',
      parseClusterGlob,
    )
    .option('--since <when>', 'a duration (30m, 12h, 7d) or an ISO date/time', '7d')
    .option('--until <when>', 'end, exclusive: a duration or an ISO date/time (default now)')
    .option('--actor <text>', "only records whose actor's ARN contains this text")
    .option('--changes-only', 'only decisions that changed or would change a cluster, or alerted')
    .option(
      '--outcome <outcome>',
      'only this outcome (repeat for several: compliant, remediated, would-remediate, ...)',
      collectOutcomes,
    )
    .option('--account <id>', "only this account's records (the organisation's central table)")
    .option('--limit <n>', 'at most this many records', parsePositiveInt('--limit', 10_000), 100)
    .addOption(new Option('--json', 'print the records as a JSON array').conflicts('csv'))
    .addOption(new Option('--csv', 'print the records as CSV with a header row').conflicts('json'))
    .action(async (options: import('../audit').AuditOptions) => {
      const { auditCommand } = await (await load()).audit();
      await auditCommand(options, io());
    });

  // audit digest / audit verify: the tamper-evident trail (DESIGN §16)
  command(audit, 'digest', AUDIT_DIGEST_HELP)
    .option('--json', 'print what was sealed as one JSON object')
    .option(
      '--settle <duration>',
      'leave records younger than this to the next run (default 15m; 0s when nothing is deciding)',
    )
    .option(...allowEndpointOption())
    .action(async (options: { json?: boolean; settle?: string; allowEndpoint?: string[] }) => {
      const { digestCommand } = await (await load()).seal();
      exit(await digestCommand(options, io()));
    });
  command(audit, 'verify', AUDIT_VERIFY_HELP)
    .option(
      '--since <when>',
      'only digests whose range ends after this: a duration (30d) or an ISO date/time',
    )
    .option('--json', 'print the full result as one JSON object')
    .action(async (options: { since?: string; json?: boolean }) => {
      const { verifyCommand } = await (await load()).seal();
      exit(await verifyCommand(options, io()));
    });
}

function collectOutcomes(value: string, previous: Outcome[] | undefined): Outcome[] {
  return [...(previous ?? []), parseOutcome(value)];
}
