import { type Command, CommanderError } from 'commander';
import { CliError } from '../../../functions/cli/cli-error';
import type { CliIo } from '../../../functions/cli/io';
import { buildProgram } from '../../../functions/cli/main';

const io = (): CliIo => {
  throw new Error('no command runs in these tests');
};

/** The program with every command's action replaced by a recorder, and its error output captured. */
function program(): { run: (...args: string[]) => Promise<Record<string, unknown>>; errors: string[] } {
  const errors: string[] = [];
  const root = buildProgram(io);
  let seen: Record<string, unknown> = {};
  for (const command of [root, ...root.commands] as Command[]) {
    command.configureOutput({ writeErr: (text) => errors.push(text), writeOut: () => undefined });
  }
  for (const command of root.commands as Command[]) {
    command.action((...args: unknown[]) => {
      const cmd = args.at(-1) as Command;
      seen = { command: cmd.name(), args: cmd.args, ...cmd.opts() };
    });
  }
  return {
    errors,
    run: async (...args: string[]) => {
      await root.parseAsync(args, { from: 'user' });
      return seen;
    },
  };
}

describe('command-line parsing', () => {
  it('collects cluster names given in one --cluster or repeated', async () => {
    // Prepare
    const { run } = program();

    // Act
    const options = await run(
      'check',
      '--cluster',
      'a',
      'b',
      '--cluster',
      'c',
      '--fix',
      '--concurrency',
      '4',
    );

    // Assess
    expect(options).toMatchObject({ command: 'check', cluster: ['a', 'b', 'c'], fix: true, concurrency: 4 });
  });

  it('takes --exit-zero for check', async () => {
    // Prepare
    const { run } = program();

    // Act
    const options = await run('check', '--exit-zero');

    // Assess
    expect(options).toMatchObject({ command: 'check', exitZero: true });
  });

  it('gives audit its defaults', async () => {
    // Prepare
    const { run } = program();

    // Act
    const options = await run('audit');

    // Assess
    expect(options).toEqual({ command: 'audit', args: [], since: '7d', limit: 100 });
  });

  it('validates the outcome word while parsing', async () => {
    // Prepare
    const { run } = program();

    // Act
    const parse = run('audit', '--outcome', 'remediate');

    // Assess
    await expect(parse).rejects.toThrow(CliError);
  });

  it('refuses a concurrency out of range', async () => {
    // Prepare
    const { run } = program();

    // Act
    const parse = run('check', '--concurrency', '0');

    // Assess
    await expect(parse).rejects.toThrow('--concurrency "0": expected a whole number from 1 to 64');
  });

  it('refuses --json together with --csv in one line', async () => {
    // Prepare
    const { run, errors } = program();

    // Act
    const parse = run('audit', '--json', '--csv');

    // Assess
    await expect(parse).rejects.toThrow(CommanderError);
    expect(errors).toEqual(["eks-endpoint-guard: option '--json' cannot be used with option '--csv'\n"]);
  });

  it('takes the event argument of invoke, - included', async () => {
    // Prepare
    const { run } = program();

    // Act
    const options = await run('invoke', '-', '--dry-run', '--json');

    // Assess
    expect(options).toMatchObject({ command: 'invoke', args: ['-'], dryRun: true, json: true });
  });

  it('suggests the command meant', async () => {
    // Prepare
    const { run, errors } = program();

    // Act
    const parse = run('audti');

    // Assess
    await expect(parse).rejects.toThrow(CommanderError);
    expect(errors).toEqual(["eks-endpoint-guard: unknown command 'audti' (Did you mean audit?)\n"]);
  });
});
