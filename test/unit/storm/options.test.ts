import { DEFAULT_SEED, PRESETS, parseStormArgs, UsageError } from '../../../storm/options';

describe('storm options', () => {
  it('run the full storm by default, writing the docs', () => {
    // Act
    const options = parseStormArgs([]);

    // Assess
    expect(options).toEqual({ quick: false, ...PRESETS.full, seed: DEFAULT_SEED, writeDocs: true });
  });

  it('run the quick storm with --quick, never writing the docs', () => {
    // Act
    const options = parseStormArgs(['--quick']);

    // Assess
    expect(options).toMatchObject({ quick: true, ...PRESETS.quick, writeDocs: false });
  });

  it('take each setting, as --name value or --name=value', () => {
    // Act
    const options = parseStormArgs([
      '--clusters',
      '5',
      '--events=30',
      '--seed',
      '7',
      '--duration',
      '20',
      '--workers=2',
      '--no-docs',
    ]);

    // Assess
    expect(options).toMatchObject({
      clusters: 5,
      events: 30,
      seed: 7,
      durationSeconds: 20,
      workers: 2,
      writeDocs: false,
    });
  });

  it('answer --help', () => {
    // Assess
    expect(parseStormArgs(['--clusters', '5', '--help'])).toBe('help');
  });

  it.each([
    [['--clusters', 'many'], '--clusters: expected a whole number from 1 to 1000, got "many"'],
    [['--duration', '1'], '--duration: expected a whole number from 5 to 86400, got "1"'],
    [['--seed'], '--seed needs a value'],
    [['--storm'], 'unknown option --storm'],
  ])('refuse %j in one line', (argv, message) => {
    // Assess
    expect(() => parseStormArgs(argv)).toThrow(new UsageError(message));
  });
});
