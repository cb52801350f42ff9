// `npm run storm [-- --quick | --clusters N --events M --seed S --duration SECONDS]`: the guard under
// storm and crash (docs/STORM.md). Exits 1 when an invariant is broken.
import { installSignalHandlers, runCleanup } from '../bench/lib/cleanup';
import { writeStormDoc } from './docs';
import { parseStormArgs, type StormOptions, USAGE, UsageError } from './options';
import { brokenCount, summaryLines } from './report';
import { runStorm } from './storm';

async function main(): Promise<number> {
  let options: StormOptions | 'help';
  try {
    options = parseStormArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`storm: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  installSignalHandlers();
  const started = performance.now();
  const log = (text: string) =>
    process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${text}\n`);
  const run = await runStorm(options, log);
  process.stdout.write(`${summaryLines(run).join('\n')}\n`);
  if (options.writeDocs) {
    writeStormDoc(run);
    log('wrote the figures of docs/STORM.md');
  }
  return brokenCount(run) > 0 ? 1 : 0;
}

main().then(
  async (code) => {
    await runCleanup();
    process.exit(code);
  },
  async (error: unknown) => {
    process.stderr.write(`storm: ${(error as Error).stack ?? String(error)}\n`);
    await runCleanup();
    process.exit(1);
  },
);
