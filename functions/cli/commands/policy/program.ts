import type { Command } from 'commander';
import { allowEndpointOption } from '../../allow-endpoint';
import { CliError } from '../../cli-error';
import {
  POLICY_HELP,
  POLICY_PUBLISH_HELP,
  POLICY_SCP_HELP,
  POLICY_SHOW_HELP,
  POLICY_VALIDATE_HELP,
  POLICY_WHAT_IF_HELP,
} from '../../help';
import type { CommandGroup } from '../group';
import { parseRoleArn } from './role-arn';

/** `--allow-endpoint URL` of the commands that write (main.ts builds it the same way). */
const ALLOW_ENDPOINT = allowEndpointOption();

/** `policy validate | what-if | publish | show | scp`. Help and parsing load no AWS SDK code. */
export function addPolicyCommands(program: Command, { command, load, io, exit }: CommandGroup): void {
  const policy = command(program, 'policy', POLICY_HELP);

  command(policy, 'validate', POLICY_VALIDATE_HELP)
    .argument('<files...>', 'policy JSON files, or - for standard input')
    .option('--strict', 'warnings fail the run too (exit code 1)')
    .option('--json', 'print one JSON object per file: { file, valid, findings }')
    .action(async (files: string[], options: { strict?: boolean; json?: boolean }) => {
      const { validateCommand } = await (await load()).policyValidate();
      exit(await validateCommand(files, options, io()));
    });

  command(policy, 'what-if', POLICY_WHAT_IF_HELP)
    .argument('<file>', 'the candidate policy JSON file, or - for standard input')
    .option('--json', 'print { changes, clusters } as JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const { whatIfCommand } = await (await load()).policyWhatIf();
      exit(await whatIfCommand(file, options, io()));
    });

  command(policy, 'publish', POLICY_PUBLISH_HELP)
    .argument('<file>', 'the policy JSON file to publish')
    .option('--yes', 'publish without asking for confirmation')
    .option(...ALLOW_ENDPOINT)
    .action(async (file: string, options: { yes?: boolean; allowEndpoint?: string[] }) => {
      const { publishCommand } = await (await load()).policyPublish();
      exit(await publishCommand(file, options, io()));
    });

  command(policy, 'show', POLICY_SHOW_HELP)
    .option('--json', 'print the parameter, its history entry, the policy and its rules in words as JSON')
    .action(async (options: { json?: boolean }) => {
      const { showCommand } = await (await load()).policyShow();
      exit(await showCommand(options, io()));
    });

  command(policy, 'scp', POLICY_SCP_HELP)
    .argument('[file]', 'the policy JSON file, or - for standard input (not with --protect-guard)')
    .option(
      '--guard-role <arn>',
      "the guard's IAM role, exempt (default: GUARD_ROLE_ARN)",
      parseRoleArn('--guard-role'),
    )
    .option(
      '--break-glass-role <arn...>',
      'roles exempt in an emergency (repeat it or list several)',
      parseRoleArn('--break-glass-role', true),
    )
    .option(
      '--protect-guard',
      "instead: the SCP that keeps the guard's own resources from its account's administrators",
    )
    .option('--organization', 'with --protect-guard: for StackSet members (organisation mode)')
    .option(
      '--stack-name <name>',
      'with --protect-guard: the stack (EksEndpointGuard) or StackSet (eks-endpoint-guard)',
    )
    .option(
      '--deployer-role <arn...>',
      'with --protect-guard: the roles that deploy the guard (default: the CDK bootstrap roles, or stacksets-exec-*)',
      parseRoleArn('--deployer-role', true),
    )
    .option('--json', 'print the SCP alone')
    .action(async (file: string | undefined, options: ScpOptions) => {
      const { protectGuardCommand, scpCommand } = await (await load()).policyScp();
      const protect = protectOptions(file, options);
      if (protect) {
        exit(protectGuardCommand(protect, io()));
        return;
      }
      exit(
        await scpCommand(
          file as string,
          {
            ...(options.json ? { json: true } : {}),
            ...(options.guardRole?.[0] ? { guardRole: options.guardRole[0] } : {}),
            ...(options.breakGlassRole ? { breakGlassRole: options.breakGlassRole } : {}),
          },
          io(),
        ),
      );
    });
}

interface ScpOptions {
  json?: boolean;
  guardRole?: string[];
  breakGlassRole?: string[];
  protectGuard?: boolean;
  organization?: boolean;
  stackName?: string;
  deployerRole?: string[];
}

/** The options of `--protect-guard`, or undefined for the policy's SCP; what does not go together is refused. */
function protectOptions(file: string | undefined, options: ScpOptions) {
  const protectOnly = ['organization', 'stackName', 'deployerRole'] as const;
  if (!options.protectGuard) {
    const stray = protectOnly.find((name) => options[name] !== undefined);
    if (stray)
      throw new CliError(
        `--${stray.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: only with --protect-guard`,
      );
    if (file === undefined) throw new CliError('policy scp: give a policy FILE, or --protect-guard');
    return undefined;
  }
  if (file !== undefined)
    throw new CliError('policy scp: a policy FILE and --protect-guard exclude each other');
  if (options.guardRole || options.breakGlassRole) {
    throw new CliError(
      '--guard-role and --break-glass-role: not with --protect-guard (it names the guard role itself)',
    );
  }
  return {
    ...(options.json && { json: true }),
    ...(options.organization && { organization: true }),
    ...(options.stackName !== undefined && { stackName: options.stackName }),
    ...(options.deployerRole && { deployerRole: options.deployerRole }),
  };
}
