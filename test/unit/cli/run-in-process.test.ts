import { Readable } from 'node:stream';
import { IAC_HELP } from '../../../functions/cli/commands/iac/help';
import {
  AUDIT_HELP,
  CHECK_HELP,
  type CommandHelp,
  DEMO_HELP,
  INVOKE_HELP,
  LOCAL_ENV_HELP,
  POLICY_HELP,
  REPORT_HELP,
} from '../../../functions/cli/help';
import { runInProcess, withEnv } from './in-process';

/**
 * The command line in this process, where no AWS call is made: help, and every error that is found
 * before one (arguments, files, standard input, environment). Each error is one line on stderr,
 * nothing on stdout, exit code 1.
 */
const CONFIG_HINT =
  'run "npm run cli -- local-env" against an emulator, or set POLICY_PARAMETER_NAME, TOPIC_ARN, RECHECK_QUEUE_URL, AUDIT_TABLE_NAME and AWS_REGION';

/** A complete guard environment but for the variables removed; the endpoint is a closed local port. */
const GUARD_ENV = {
  POLICY_PARAMETER_NAME: '/eks-endpoint-guard-unit/policy',
  TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:guard-alerts-unit',
  RECHECK_QUEUE_URL: 'http://127.0.0.1:9/123456789012/guard-recheck-unit',
  AUDIT_TABLE_NAME: 'guard-audit-unit',
  AWS_REGION: 'us-east-1',
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
};

describe('help', () => {
  it('lists every command with its summary and exits 0', async () => {
    // Act
    const run = await runInProcess(['--help']);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')[0]).toBe('Usage: eks-endpoint-guard [options] [command]');
    // Commander wraps the summaries to the width of the output: compare them word by word.
    const commands = run.stdout.slice(run.stdout.indexOf('Commands:'), run.stdout.indexOf('Examples:'));
    expect(commands.trim().split(/\s+/).join(' ')).toBe(
      [
        'Commands:',
        `invoke [options] <event> ${INVOKE_HELP.summary}`,
        `check [options] ${CHECK_HELP.summary}`,
        `audit [options] ${AUDIT_HELP.summary}`,
        `report [options] ${REPORT_HELP.summary}`,
        `local-env [options] ${LOCAL_ENV_HELP.summary}`,
        `demo [options] ${DEMO_HELP.summary}`,
        `policy [options] ${POLICY_HELP.summary}`,
        `iac [options] ${IAC_HELP.summary}`,
        'help [command] display help for command',
      ].join(' '),
    );
  });

  it.each<[string, string, CommandHelp]>([
    ['invoke', 'Usage: eks-endpoint-guard invoke [options] <event>', INVOKE_HELP],
    ['check', 'Usage: eks-endpoint-guard check [options]', CHECK_HELP],
    ['audit', 'Usage: eks-endpoint-guard audit [options]', AUDIT_HELP],
    ['local-env', 'Usage: eks-endpoint-guard local-env [options]', LOCAL_ENV_HELP],
    ['demo', 'Usage: eks-endpoint-guard demo [options]', DEMO_HELP],
  ])('%s --help prints its usage, options and examples on stdout', async (command, usage, help) => {
    // Act
    const run = await runInProcess([command, '--help']);

    // Assess
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(usage);
    expect(lines.filter((line) => /^ {2}(--verbose|-h, --help) {2,}/.test(line))).toEqual([
      expect.stringMatching(/ {2}log each decision \(Powertools logs, on stderr\)$/),
      expect.stringMatching(/ {2}display help for command$/),
    ]);
    expect(lines.slice(-help.examples.length - 1)).toEqual([
      'Examples:',
      ...help.examples.map((example) => `  $ ${example}`),
    ]);
  });

  it('without a command prints the help on stderr and exits 1', async () => {
    // Act
    const run = await runInProcess([]);

    // Assess
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')[0]).toBe('Usage: eks-endpoint-guard [options] [command]');
  });
});

describe('errors found before any AWS call', () => {
  it.each([
    ['an unknown command', ['audti'], "unknown command 'audti' (Did you mean audit?)"],
    ['an unknown option', ['check', '--fixx'], "unknown option '--fixx' (Did you mean --fix?)"],
    ['a missing event argument', ['invoke'], "missing required argument 'event'"],
    ['--json with --csv', ['audit', '--json', '--csv'], "option '--json' cannot be used with option '--csv'"],
    [
      'an unknown outcome word',
      ['audit', '--outcome', 'fixed'],
      '--outcome "fixed": expected one of compliant, remediated, would-remediate, deferred, exempt, blocked, ignored, failed',
    ],
    [
      'a --since that is neither a duration nor a date',
      ['audit', '--since', 'yesterday'],
      '--since "yesterday": expected a duration such as 30m, 12h or 7d, or an ISO date or time such as 2025-06-01 or 2025-06-01T12:00:00Z',
    ],
    ['a --since in the future', ['audit', '--since', '2999-01-01'], '--since "2999-01-01": is in the future'],
    [
      'a --since that is no date',
      ['audit', '--since', '2025-02-30'],
      '--since "2025-02-30": not a real date',
    ],
    [
      'a concurrency out of range',
      ['check', '--concurrency', '65'],
      '--concurrency "65": expected a whole number from 1 to 64',
    ],
    [
      'a cluster name EKS would refuse',
      ['check', '--cluster', 'prod api'],
      '--cluster "prod api": not an EKS cluster name (letters, digits, - and _, starting with a letter or digit, at most 100)',
    ],
    [
      'a missing event file',
      ['invoke', 'events/no-such-event.json'],
      'cannot read events/no-such-event.json: no such file',
    ],
    [
      'a directory for an event file',
      ['invoke', 'events'],
      'cannot read events: is a directory, expected a JSON file',
    ],
  ])('%s', async (_, args, message) => {
    // Act
    const run = await withEnv(GUARD_ENV, () => runInProcess(args));

    // Assess
    expect(run).toEqual({ code: 1, stdout: '', stderr: `eks-endpoint-guard: ${message}\n` });
  });

  it('invalid JSON on standard input names the line and the column', async () => {
    // Prepare
    const event = '{\n  "detail-type": "Scheduled Event",\n  "source": aws.events\n}';

    // Act
    const run = await withEnv(GUARD_ENV, () => runInProcess(['invoke', '-'], { stdin: event }));

    // Assess
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        "eks-endpoint-guard: standard input: invalid JSON at line 3, column 13 (Unexpected token 'a')\n",
    });
  });

  it('empty standard input says a JSON event was expected', async () => {
    // Act
    const run = await withEnv(GUARD_ENV, () => runInProcess(['invoke', '-', '--json'], { stdin: ' \n' }));

    // Assess
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'eks-endpoint-guard: standard input: is empty, expected a JSON event\n',
    });
  });

  it.each([
    ['check --fix', 'TOPIC_ARN', ['check', '--fix']],
    ['check --fix', 'RECHECK_QUEUE_URL', ['check', '--fix']],
    ['check', 'AWS_REGION', ['check']],
    ['invoke', 'AUDIT_TABLE_NAME', ['invoke', 'events/scheduled-sweep.json']],
    ['audit', 'AUDIT_TABLE_NAME', ['audit']],
    ['audit', 'AWS_REGION', ['audit', '--csv']],
  ])('%s without %s names the variable and says how to get one', async (_, missing, args) => {
    // Act
    const run = await withEnv({ ...GUARD_ENV, [missing]: undefined }, () => runInProcess(args));

    // Assess
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `eks-endpoint-guard: environment variable ${missing} is not set; ${CONFIG_HINT}\n`,
    });
  });

  it('"-" on a terminal instead of a pipe says what to do', async () => {
    // Prepare
    const terminal = Object.assign(Readable.from([]), { isTTY: true });

    // Act
    const run = await withEnv(GUARD_ENV, () => runInProcess(['invoke', '-'], { stdin: terminal }));

    // Assess
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'eks-endpoint-guard: cannot read standard input: nothing piped in (use a file name, or pipe an event into "-")\n',
    });
  });

  it('local-env without AWS_ENDPOINT_URL refuses to provision', async () => {
    // Act
    const run = await withEnv({ AWS_ENDPOINT_URL: undefined }, () => runInProcess(['local-env']));

    // Assess
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'eks-endpoint-guard: AWS_ENDPOINT_URL is not set: local-env only provisions a local emulator (e.g. AWS_ENDPOINT_URL=http://127.0.0.1:5000)\n',
    });
  });

  it('local-env refuses an endpoint that is not a loopback address, before any call', async () => {
    // Prepare: a name that can never resolve (.invalid), so a regression could not reach anything
    const endpoint = 'http://emulator.invalid:4566';

    // Act
    const run = await withEnv({ AWS_ENDPOINT_URL: endpoint }, () => runInProcess(['local-env', '--json']));

    // Assess
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `eks-endpoint-guard: AWS_ENDPOINT_URL=${endpoint} is not a loopback address: local-env only provisions a local emulator\n`,
    });
  });

  it('with EKS_ENDPOINT_GUARD_DEBUG set, the stack follows the one-line message', async () => {
    // Act
    const run = await withEnv({ EKS_ENDPOINT_GUARD_DEBUG: '1' }, () =>
      runInProcess(['invoke', 'events/no-such-event.json']),
    );

    // Assess
    const [line, stack, ...frames] = run.stderr.trimEnd().split('\n');
    expect(run.code).toBe(1);
    expect(line).toBe('eks-endpoint-guard: cannot read events/no-such-event.json: no such file');
    expect(stack).toMatch(/Error: cannot read events\/no-such-event\.json: no such file$/);
    expect(frames[0]).toMatch(/^\s+at /);
  });

  it('--verbose turns the decision logs on before the command runs', async () => {
    // Act
    const level = await withEnv({ POWERTOOLS_LOG_LEVEL: 'SILENT' }, async () => {
      await runInProcess(['invoke', '--verbose', 'events/no-such-event.json']);
      return process.env.POWERTOOLS_LOG_LEVEL;
    });

    // Assess
    expect(level).toBe('INFO');
  });
});
