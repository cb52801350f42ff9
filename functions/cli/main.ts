// First: stdout is reserved for command output before any logger exists.
import './preamble';
import { Command, CommanderError, Option } from 'commander';
import packageJson from '../../package.json';
import { DEFAULT_SWEEP_CONCURRENCY, MAX_SWEEP_CONCURRENCY } from '../wiring/config';
import { allowEndpointOption } from './allow-endpoint';
import { oneLine, PROGRAM } from './cli-error';
import type { Commands } from './commands';
import { addAuditCommands } from './commands/audit-program';
import { addIacCommands } from './commands/iac/program';
import { addPolicyCommands } from './commands/policy/program';
import {
  CHECK_HELP,
  type CommandHelp,
  DEMO_HELP,
  EXIT_CODES_TEXT,
  examplesText,
  INVOKE_HELP,
  LOCAL_ENV_HELP,
  PROGRAM_HELP,
  REPORT_HELP,
} from './help';
import { type CliIo, processIo } from './io';
import { configureLogLines, LOG_FORMATS, type LogFormat } from './log-lines';
import { parseClusterName, parsePositiveInt } from './options';

// Commands are loaded when they run, so that `--help` pays for no AWS SDK code.
declare global {
  /** Set by the CLI build: the file beside the bundle that holds the commands. */
  var CLI_COMMANDS_BUNDLE: string | undefined;
}

/** From the bundle, the commands are a second file beside it; from source, the module itself. */
async function load(): Promise<Commands> {
  // An if/else on the build-time constant: the bundle keeps only the first branch.
  if (globalThis.CLI_COMMANDS_BUNDLE) {
    return (require(globalThis.CLI_COMMANDS_BUNDLE) as typeof import('./commands')).commands;
  } else {
    return (await import('./commands')).commands;
  }
}

interface GlobalOptions {
  verbose?: boolean;
  logFormat?: LogFormat;
}

/** `--log-format`: on the program and on each command, like --verbose. */
function logFormatOption(): Option {
  return new Option('--log-format <format>', 'logs on stderr as text lines or JSON lines').choices(
    LOG_FORMATS,
  );
}

/** `exit` receives a command's exit code (0, 1 or 3) when it returns one. */
export function buildProgram(io: () => CliIo, exit: (code: number) => void = () => undefined): Command {
  const program = new Command(PROGRAM)
    .description(paragraph(PROGRAM_HELP.description))
    .summary(PROGRAM_HELP.summary)
    .version(packageJson.version, '-V, --version', 'print the version')
    .option('--verbose', "log each decision, with each log line's details")
    .addOption(logFormatOption())
    // Options after a command name are that command's (audit's own and its subcommands' apart).
    .enablePositionalOptions()
    .addHelpText('after', `${examplesText(PROGRAM_HELP)}${EXIT_CODES_TEXT}`)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      // Help and parse errors go where command output goes (the process's streams unless given).
      writeOut: (text) => io().out(text),
      writeErr: (text) => io().err(text),
      outputError: (text, write) => write(`${PROGRAM}: ${oneLine(text.replace(/^error: /, ''))}\n`),
    })
    .hook('preAction', async (_program, action) => {
      const globals = action.optsWithGlobals() as GlobalOptions;
      if (globals.verbose) process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
      // Logs are one line each, on the command's stderr (log-lines.ts).
      configureLogLines({
        format: globals.logFormat ?? 'text',
        verbose: globals.verbose ?? false,
        write: (line) => io().err(line),
      });
      // --region, --profile, --stack: set the environment the command reads (cli/aws-target.ts).
      const target = action.opts() as AwsTarget & { allRegions?: boolean };
      if (target.region !== undefined || target.profile !== undefined || target.stack !== undefined) {
        const { applyAwsTarget } = await (await load()).awsTarget();
        // With --all-regions the stack is looked up in each region by the command itself.
        await applyAwsTarget({ ...target, ...(target.allRegions ? { stack: undefined } : {}) });
      }
    });

  command(program, 'invoke', INVOKE_HELP)
    .argument('<event>', 'a JSON event file, or - for standard input')
    .option('--json', 'print the results as a JSON array')
    .option('--dry-run', 'decide and report only: change, alert and record nothing')
    .option(...allowEndpointOption())
    .action(
      async (event: string, options: { json?: boolean; dryRun?: boolean; allowEndpoint?: string[] }) => {
        const { invokeCommand } = await (await load()).invoke();
        exit(await invokeCommand(event, options, io()));
      },
    );

  command(program, 'check', CHECK_HELP)
    .option('--cluster <names...>', 'check only these clusters', collectClusters)
    .option('--fix', 'act as the Lambda would: remediate, alert and record')
    .option(...allowEndpointOption())
    .option(
      '--concurrency <n>',
      `the most clusters checked at once; fewer while AWS throttles (default: SWEEP_CONCURRENCY, ${DEFAULT_SWEEP_CONCURRENCY})`,
      parsePositiveInt('--concurrency', MAX_SWEEP_CONCURRENCY),
    )
    .option('--json', 'print the results as a JSON array, element by element')
    .option('--exit-zero', 'exit 0 even when a cluster is non-compliant or a decision failed (not 3)')
    .option(
      '--all-regions',
      'every enabled region with a guard stack (the one named by --stack, or any eks-endpoint-guard stack)',
    )
    .option('--clients', "list each cluster's recent API clients from its audit log; decides nothing")
    .action(
      async (options: {
        cluster?: string[];
        clients?: boolean;
        fix?: boolean;
        concurrency?: number;
        json?: boolean;
        exitZero?: boolean;
        allRegions?: boolean;
        stack?: string;
        allowEndpoint?: string[];
      }) => {
        const { checkCommand } = await (await load()).check();
        exit(await checkCommand(options, io()));
      },
    );

  addAuditCommands(program, { command, load, io, exit });

  // report: the auditor's report (DESIGN §11)
  command(program, 'report', REPORT_HELP)
    .option('--since <when>', 'start: a duration (30d) or an ISO date/time (default 30d)')
    .option('--until <when>', 'end, exclusive: a duration or an ISO date/time (default now)')
    .option('--month <YYYY-MM>', 'one calendar month (UTC) instead of --since/--until')
    .option('--cluster <glob>', 'only clusters matching this name or glob (* and ?)')
    .option('--account <id>', 'only this account (on the central table: its records alone)')
    .option('--member-region <region>', 'with --account on the central table: the region reported')
    .option('--format <format>', 'html, pdf, md, csv or json (default md, or from --out)')
    .option('--out <file>', 'write the report to this file')
    .option('--sweep-interval <duration>', 'the sweep schedule, to flag gaps (default 1h)')
    .action(async (options: import('./commands/report').ReportOptions) => {
      const { reportCommand } = await (await load()).report();
      await reportCommand(options, io());
    });

  command(program, 'local-env', LOCAL_ENV_HELP)
    .option('--json', 'print one JSON object instead of export lines')
    .action(async (options: { json?: boolean }) => {
      const { localEnvCommand } = await (await load()).localEnv();
      await localEnvCommand(options, io());
    });

  command(program, 'demo', DEMO_HELP)
    .option(
      '--out <file>',
      'where to write the HTML report (default: eks-endpoint-guard-demo-report.html here)',
    )
    .action(async (options: { out?: string }, cmd: Command) => {
      const { demoCommand } = await (await load()).demo();
      const verbose = (cmd.optsWithGlobals() as GlobalOptions).verbose ?? false;
      await demoCommand({ verbose, ...(options.out ? { out: options.out } : {}) }, io());
    });

  addPolicyCommands(program, { command, load, io, exit });
  addIacCommands(program, { command, load, io, exit });

  return program;
}

/** The commands that talk to AWS: each takes --region, --profile and --stack. */
const AWS_COMMANDS = new Set([
  'invoke',
  'check',
  'audit',
  'digest',
  'verify',
  'report',
  'what-if',
  'publish',
  'show',
  'local-env',
]);

interface AwsTarget {
  region?: string;
  profile?: string;
  stack?: string;
}

function command(parent: Command, name: string, help: CommandHelp): Command {
  const created = parent
    .command(name)
    .summary(help.summary)
    .description(paragraph(help.description))
    .option('--verbose', "log each decision, with each log line's details")
    .addOption(logFormatOption())
    .addHelpText('after', examplesText(help));
  if (!AWS_COMMANDS.has(name)) return created;
  return created
    .option('--region <region>', 'the AWS region (sets AWS_REGION)')
    .option('--profile <name>', 'the AWS profile of the shared config files (sets AWS_PROFILE)')
    .option(
      '--stack <name>',
      "read TOPIC_ARN, RECHECK_QUEUE_URL, AUDIT_TABLE_NAME and POLICY_PARAMETER_NAME from this stack's outputs",
    );
}

/** Commander wraps descriptions to the terminal: hand it one line. */
function paragraph(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

function collectClusters(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), parseClusterName(value)];
}

/**
 * Runs the command line (`argv` as in process.argv); resolves to the exit code and never exits the
 * process. Errors become one line on stderr. `io` is where everything is written: the process's
 * streams unless given.
 */
export async function main(argv: string[] = process.argv, io: () => CliIo = processIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (exitCode) => {
    code = exitCode;
  });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    // Commander has already printed its own message (or the help).
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    const { errorLine } = await (await load()).errors();
    io().err(`${errorLine(error)}\n`);
    if (process.env.EKS_ENDPOINT_GUARD_DEBUG && error instanceof Error) io().err(`${error.stack}\n`);
    return 1;
  }
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${PROGRAM}: ${oneLine(String((error as Error)?.message ?? error))}\n`);
      process.exitCode = 1;
    },
  );
}
