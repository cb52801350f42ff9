import { type CliIo, Progress, processIo } from '../../../functions/cli/io';
import { withEnv } from './in-process';

/** Makes process.stdout look like a terminal (or not) while `act` runs. */
async function withStdoutTty<T>(tty: boolean, act: () => Promise<T>): Promise<T> {
  const own = Object.getOwnPropertyDescriptor(process.stdout, 'isTTY');
  Object.defineProperty(process.stdout, 'isTTY', { value: tty, configurable: true, writable: true });
  try {
    return await act();
  } finally {
    if (own) Object.defineProperty(process.stdout, 'isTTY', own);
    else delete (process.stdout as { isTTY?: boolean }).isTTY;
  }
}

describe('processIo', () => {
  it('colours outcomes and headings on an interactive stdout', async () => {
    // Act
    const { style } = await withStdoutTty(true, () =>
      withEnv({ NO_COLOR: undefined, TERM: 'xterm-256color' }, async () => processIo()),
    );

    // Assess
    expect(style.outcome('remediated', 'remediated  ')).toBe('\x1b[36mremediated  \x1b[39m');
    expect(style.outcome('blocked')).toBe('\x1b[31mblocked\x1b[39m');
    expect(style.outcome('ignored')).toBe('\x1b[2mignored\x1b[22m');
    expect(style.outcome('no-such-outcome')).toBe('no-such-outcome');
    expect(style.bold('CLUSTER')).toBe('\x1b[1mCLUSTER\x1b[22m');
    expect(style.dim('note')).toBe('\x1b[2mnote\x1b[22m');
  });

  it.each([
    ['stdout is not a terminal', false, {}],
    ['NO_COLOR is set', true, { NO_COLOR: '1' }],
    ['the terminal is dumb', true, { NO_COLOR: undefined, TERM: 'dumb' }],
  ])('writes plain text when %s', async (_, tty, env) => {
    // Act
    const { style } = await withStdoutTty(tty, () => withEnv(env, async () => processIo()));

    // Assess
    expect([
      style.outcome('blocked'),
      style.outcome('blocked', 'x'),
      style.bold('b'),
      style.dim('d'),
    ]).toEqual(['blocked', 'x', 'b', 'd']);
  });

  it('writes output to stdout and notes to stderr', () => {
    // Prepare
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const io = processIo();
    let written: unknown[][] = [];

    // Act
    try {
      io.out('result\n');
      io.err('note\n');
      written = [...out.mock.calls, ...err.mock.calls];
    } finally {
      out.mockRestore();
      err.mockRestore();
    }

    // Assess
    expect(written).toEqual([['result\n'], ['note\n']]);
    expect(io.errIsTty).toBe(Boolean(process.stderr.isTTY));
  });
});

describe('Progress', () => {
  const recorder = (errIsTty: boolean) => {
    const written: string[] = [];
    const io: CliIo = {
      out: () => undefined,
      err: (text) => written.push(text),
      errIsTty,
      style: processIo().style,
    };
    return { io, written };
  };

  it('draws one line on an interactive stderr and clears it once', () => {
    // Prepare
    const { io, written } = recorder(true);
    const progress = new Progress(io);

    // Act
    progress.clear();
    progress.update('1 cluster(s) checked…');
    progress.update('2 cluster(s) checked…');
    progress.clear();
    progress.clear();

    // Assess
    expect(written).toEqual(['\r\x1b[K1 cluster(s) checked…', '\r\x1b[K2 cluster(s) checked…', '\r\x1b[K']);
  });

  it('draws nothing when stderr is not a terminal', () => {
    // Prepare
    const { io, written } = recorder(false);
    const progress = new Progress(io);

    // Act
    progress.update('listing clusters…');
    progress.clear();

    // Assess
    expect(written).toEqual([]);
  });
});
