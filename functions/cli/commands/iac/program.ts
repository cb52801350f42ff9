import { type Command, Option } from 'commander';
import type { CommandGroup } from '../group';
import type { IacCheckOptions } from './check';
import { IAC_CHECK_HELP, IAC_HELP } from './help';

/** `iac check`. Help and parsing load no AWS SDK code. */
export function addIacCommands(program: Command, { command, load, io, exit }: CommandGroup): void {
  const iac = command(program, 'iac', IAC_HELP);
  command(iac, 'check', IAC_CHECK_HELP)
    .argument('<files...>', 'CloudFormation templates (JSON, YAML), cdk.out folders, Terraform plans (JSON)')
    .option('--policy <file>', 'the policy JSON file (offline); default: the live policy from SSM')
    .option(
      '--parameters <value>',
      'a template parameter, Key=Value, or a JSON file of them (repeat for several)',
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .addOption(
      new Option('--format <format>', 'text, json (iac-result@1) or sarif (2.1.0, for code scanning)')
        .choices(['text', 'json', 'sarif'])
        .default('text'),
    )
    .option('--exit-zero', 'exit 0 even when a cluster is non-compliant or unknown until deploy (not 3)')
    .action(async (files: string[], options: IacCheckOptions) => {
      const { iacCheckCommand } = await (await load()).iacCheck();
      exit(await iacCheckCommand(files, options, io()));
    });
}
