/**
 * `npm run storm -- [--quick | --clusters N --events M --seed S --duration SECONDS] [--no-docs]`.
 * Pure: parsing and the two presets. A full run rewrites docs/STORM.md with its figures.
 */
export interface StormOptions {
  quick: boolean;
  clusters: number;
  /** People's actions over the run (a burst counts once). */
  events: number;
  seed: number;
  /** How long the workload runs, in seconds; the quiet at the end comes on top. */
  durationSeconds: number;
  /** Worker processes (Lambda execution environments at once). */
  workers: number;
  writeDocs: boolean;
}

export const DEFAULT_SEED = 20261203;

export const PRESETS = {
  quick: { clusters: 12, events: 70, durationSeconds: 40, workers: 3 },
  full: { clusters: 30, events: 300, durationSeconds: 240, workers: 4 },
} as const;

export const USAGE = `usage: npm run storm -- [--quick] [--clusters N] [--events M] [--seed S] [--duration SECONDS] [--no-docs]
  --quick           a short storm (what CI runs: ${PRESETS.quick.clusters} clusters, ${PRESETS.quick.events} actions, ${PRESETS.quick.durationSeconds} s; under 3 minutes)
  --clusters N      clusters in the emulator (default ${PRESETS.full.clusters})
  --events M        people's actions over the run (default ${PRESETS.full.events})
  --seed S          the seed of the workload, the faults and the crashes (default ${DEFAULT_SEED})
  --duration SECONDS  how long the workload runs (default ${PRESETS.full.durationSeconds}); the wait for quiet comes on top
  --workers N       worker processes running the function at once (default ${PRESETS.full.workers})
  --no-docs         print the figures without rewriting docs/STORM.md (a quick run never writes it)
Exits 0 when every invariant holds, 1 when one is broken, 2 on a usage error.`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The options of a command line; `help` when --help or -h is given. */
export function parseStormArgs(argv: readonly string[]): StormOptions | 'help' {
  const quick = argv.includes('--quick');
  const preset = quick ? PRESETS.quick : PRESETS.full;
  const options: StormOptions = { quick, ...preset, seed: DEFAULT_SEED, writeDocs: !quick };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=') ? (arg.split('=', 2) as [string, string]) : [arg, undefined];
    const value = () => {
      const given = inline ?? argv[++i];
      if (given === undefined) throw new UsageError(`${name} needs a value`);
      return given;
    };
    switch (name) {
      case '--help':
      case '-h':
        return 'help';
      case '--quick':
        break;
      case '--no-docs':
        options.writeDocs = false;
        break;
      case '--clusters':
        options.clusters = whole(name, value(), 1, 1000);
        break;
      case '--events':
        options.events = whole(name, value(), 1, 100_000);
        break;
      case '--seed':
        options.seed = whole(name, value(), 0, 0xffffffff);
        break;
      case '--duration':
        options.durationSeconds = whole(name, value(), 5, 24 * 3600);
        break;
      case '--workers':
        options.workers = whole(name, value(), 1, 32);
        break;
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }
  return options;
}

function whole(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(
      `${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`,
    );
  }
  return n;
}
