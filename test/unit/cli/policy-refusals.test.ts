import {
  type CommandHelp,
  POLICY_PUBLISH_HELP,
  POLICY_SHOW_HELP,
  POLICY_WHAT_IF_HELP,
} from '../../../functions/cli/help';
import packageJson from '../../../package.json';
import { runInProcess, runOffline, scratchFiles, withEnv } from './in-process';

/**
 * The help of the policy commands that call AWS, and the refusals found before any AWS call,
 * in this process through the same entry point as the bin. The endpoint is a closed local port: a
 * regression that called AWS would fail with a connection error instead of the expected output.
 */
const run = (args: string[], stdin?: string) => runOffline(args, { stdin });
const { file } = scratchFiles('policy-refusals-');

describe('help of the AWS commands', () => {
  it.each<[string, string, CommandHelp]>([
    ['what-if', 'Usage: eks-endpoint-guard policy what-if [options] <file>', POLICY_WHAT_IF_HELP],
    ['publish', 'Usage: eks-endpoint-guard policy publish [options] <file>', POLICY_PUBLISH_HELP],
    ['show', 'Usage: eks-endpoint-guard policy show [options]', POLICY_SHOW_HELP],
  ])('policy %s --help: usage, exit codes and examples, no AWS call', async (command, usage, help) => {
    // Act
    const result = await run(['policy', command, '--help']);

    // Assess
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(usage);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain('Exit code 0');
    expect(lines.slice(-help.examples.length - 1)).toEqual([
      'Examples:',
      ...help.examples.map((example) => `  $ ${example}`),
    ]);
  });
});

describe('refusals before any AWS call', () => {
  it('publish refuses an invalid policy and writes nothing', async () => {
    // Prepare
    const path = file('invalid.json', { version: 1, publicAccess: 'disabled', mode: 'sometimes' });

    // Act
    const result = await run(['policy', 'publish', path, '--yes']);

    // Assess
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: [
        `${path}:4:11: error: mode: must be one of "enforce", "notify", got "sometimes" [schema]`,
        `eks-endpoint-guard: ${path}: not a valid policy (see "policy validate")`,
        '',
      ].join('\n'),
    });
  });

  it('what-if refuses an invalid candidate', async () => {
    // Prepare
    const path = file('broken.json', '{ "version": 1, ');

    // Act
    const result = await run(['policy', 'what-if', path, '--json']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `${path}:1:17: error: the object opened at 1:1 is not closed: the text ends first [syntax]`,
    );
  });

  it('show without AWS_REGION names the variable', async () => {
    // Act
    const result = await withEnv({ AWS_REGION: undefined }, () => runInProcess(['policy', 'show']));

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^eks-endpoint-guard: environment variable AWS_REGION is not set/);
  });

  it('an unknown policy command is suggested the one meant, exit 1', async () => {
    // Act
    const result = await run(['policy', 'valdate', 'x.json']);

    // Assess
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: "eks-endpoint-guard: unknown command 'valdate' (Did you mean validate?)\n",
    });
  });

  it('--version prints the package version, exit 0', async () => {
    // Act
    const result = await run(['--version']);

    // Assess
    expect(result).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
  });

  it.each([
    ['--dry-run', ['--dry-run']],
    ['acting', []],
  ])(
    'invoke (%s) of input that is not an event is refused in one line before anything else',
    async (_name, flags) => {
      // Act: no AWS configuration at all, and AWS a closed port: reading the input is all that happens
      const result = await runOffline(['invoke', '-', ...flags, '--json'], { stdin: '{"hello": "world"}' });

      // Assess
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr:
          'eks-endpoint-guard: standard input: not an event the guard can read, nothing was done: not an EventBridge, schedule or SQS event (fields: hello)\n',
      });
    },
  );

  it('invoke of a batch with one unreadable record refuses the whole batch, naming the record', async () => {
    // Prepare
    const batch = {
      Records: [
        {
          eventSource: 'aws:sqs',
          messageId: 'm-1',
          body: '{"kind":"eks-endpoint-guard/check","version":1,"request":{}}',
        },
        { eventSource: 'aws:sqs', messageId: 'm-2', body: 'not json' },
      ],
    };

    // Act
    const result = await runOffline(['invoke', '-'], { stdin: JSON.stringify(batch) });

    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^eks-endpoint-guard: standard input: not an event the guard can read, nothing was done: record 1 of 2: .+ \(and 1 more record\(s\)\)\n$/,
    );
  });
});
