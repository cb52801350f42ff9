// Runs the benchmarks: `npm run bench [-- --quick] [--only <name>[,<name>…]] [--no-docs]`.
// Each benchmark prints its figures and rewrites its own section of docs/BENCHMARKS.md.
import { loadavg } from 'node:os';
import { installSignalHandlers, runCleanup } from './lib/cleanup';
import { NOWHERE, tmpDir, useEndpoint } from './lib/env';
import type { BenchContext, SectionName } from './lib/report';

const BENCHMARKS: Record<SectionName, () => Promise<(ctx: BenchContext) => Promise<void>>> = {
  'cold-start': async () => (await import('./cold-start')).coldStart,
  'cli-start': async () => (await import('./cli-start')).cliStart,
  'per-event': async () => (await import('./per-event')).perEvent,
  'sweep-scale': async () => (await import('./sweep-scale')).sweepScale,
  'realistic-latency': async () => (await import('./realistic-latency')).realisticLatency,
};

const USAGE = `usage: npm run bench -- [--quick] [--only <name>[,<name>...]] [--no-docs] [--profile]
  --quick     shorter runs (what CI runs; under 2 minutes)
  --only      run these benchmarks only: ${Object.keys(BENCHMARKS).join(', ')}
  --no-docs   print the figures without rewriting docs/BENCHMARKS.md
  --profile   measured processes also write V8 CPU profiles to .bench-tmp/profiles (slower)`;

function parseArgs(argv: string[]): {
  quick: boolean;
  only: SectionName[];
  writeDocs: boolean;
  profile: boolean;
} {
  let quick = false;
  let writeDocs = true;
  let profile = false;
  let only = Object.keys(BENCHMARKS) as SectionName[];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--quick') quick = true;
    else if (arg === '--no-docs') writeDocs = false;
    else if (arg === '--profile') profile = true;
    else if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? argv[++i] : arg.slice('--only='.length);
      if (!value) throw new Error('--only needs a benchmark name');
      const names = value.split(',').map((n) => n.trim());
      const unknown = names.filter((n) => !(n in BENCHMARKS));
      if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}`);
      only = names as SectionName[];
    } else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else {
      throw new Error(`unknown option ${arg}`);
    }
  }
  return { quick, only, writeDocs, profile };
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  installSignalHandlers();
  if (options.profile) {
    process.env.BENCH_CPU_PROFILE_DIR = tmpDir('profiles');
    // Profiling slows the measured processes: figures from such a run are not for the document.
    options.writeDocs = false;
  }
  // Until a benchmark starts its emulator, any AWS call made by mistake fails on a dead loopback port.
  useEndpoint(NOWHERE);
  const started = performance.now();
  const log = (text: string) =>
    process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${text}\n`);
  const run = { quick: options.quick, date: new Date().toISOString().slice(0, 10) };
  log(
    `${options.quick ? 'quick' : 'full'} run of ${options.only.join(', ')}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  let failed = 0;
  for (const name of options.only) {
    const ctx: BenchContext = { quick: options.quick, writeDocs: options.writeDocs, run, log };
    log(`${name}…`);
    const benchStarted = performance.now();
    try {
      await (await BENCHMARKS[name]())(ctx);
      log(`${name} done in ${((performance.now() - benchStarted) / 1000).toFixed(1)} s`);
    } catch (error) {
      failed += 1;
      log(`${name} failed: ${(error as Error).stack ?? String(error)}`);
    } finally {
      await runCleanup();
    }
  }
  log(
    `finished in ${((performance.now() - started) / 1000).toFixed(1)} s${failed ? `, ${failed} failed` : ''}`,
  );
  return failed > 0 ? 1 : 0;
}

main().then(
  async (code) => {
    await runCleanup();
    process.exit(code);
  },
  async (error: unknown) => {
    process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
    await runCleanup();
    process.exit(1);
  },
);
