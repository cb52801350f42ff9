import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { onCleanup } from './lib/cleanup';
import { startDelayProxy } from './lib/delay-proxy';
import { ROOT } from './lib/env';
import { startMoto } from './lib/moto';
import { type BenchContext, environmentTable, publish, table } from './lib/report';
import { ms, msRange, summarize } from './lib/stats';
import { COMPLIANT, clusterNames, createClusters, createWorld, POLICY_ENFORCE } from './lib/world';

/**
 * Fast start of the command line: a cold `check` process, from its spawn to the first request
 * that reaches AWS (a pass-through proxy in front of the emulator notes when it arrives), and to
 * its exit. Run through the package's `bin`, as a script runs it.
 */

const BIN = join(ROOT, 'bin', 'eks-endpoint-guard.js');

interface Start {
  firstRequestMs: number;
  exitMs: number;
}

/** Spawns `node <args>`, returns when it exits; `firstRequestAt` is read from the proxy. */
function timeProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  firstRequestAt: () => number | undefined,
  command = process.execPath,
) {
  return new Promise<Start>((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    const forget = onCleanup('cli-start child', () => {
      child.kill('SIGKILL');
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', (code) => {
      const exitMs = performance.now() - started;
      clearTimeout(timer);
      forget();
      if (code !== 0) {
        reject(new Error(`${args.join(' ')} failed (exit ${code}): ${stderr.trim()}`));
        return;
      }
      const first = firstRequestAt();
      resolve({ firstRequestMs: first === undefined ? Number.NaN : first - started, exitMs });
    });
  });
}

export async function cliStart(ctx: BenchContext): Promise<void> {
  const runs = ctx.quick ? 3 : 15;
  const clusters = 10;
  const moto = await startMoto({ fastCreateCluster: true });
  try {
    const world = await createWorld(moto.endpoint, POLICY_ENFORCE);
    await createClusters(world, clusterNames('start', 0, clusters), () => COMPLIANT);
    const proxy = await startDelayProxy(moto.endpoint, 0);
    try {
      const env = world.childEnv({ POWERTOOLS_LOG_LEVEL: 'WARN' }, proxy.endpoint);
      // The bundle is rebuilt by the first run if a source changed: not measured.
      await timeProcess([BIN, 'check', '--json'], env, () => proxy.firstRequestAt);
      const cases = [
        { key: 'node', label: '`node -e 0` (Node alone)', args: ['-e', '0'] },
        { key: 'help', label: '`eks-endpoint-guard --help`', args: [BIN, '--help'] },
        {
          key: 'npm-help',
          label: '`npm run -s cli -- --help`',
          command: 'npm',
          args: ['run', '-s', 'cli', '--', '--help'],
        },
        {
          key: 'check',
          label: `\`eks-endpoint-guard check --json\` (${clusters} clusters)`,
          args: [BIN, 'check', '--json'],
        },
      ];
      const samples = new Map(cases.map((c) => [c.key, [] as Start[]]));
      for (let run = 0; run < runs; run++) {
        for (const c of cases) {
          proxy.reset();
          samples.get(c.key)?.push(await timeProcess(c.args, env, () => proxy.firstRequestAt, c.command));
        }
      }
      const check = samples.get('check') ?? [];
      const first = summarize(check.map((s) => s.firstRequestMs));
      ctx.log(`  check: first AWS request ${ms(first.median)} ms after spawn`);
      const rows = cases.map((c) => {
        const list = samples.get(c.key) ?? [];
        const firstRequest = summarize(list.map((s) => s.firstRequestMs).filter(Number.isFinite));
        return [
          c.label,
          firstRequest.n > 0 ? msRange(firstRequest) : '—',
          msRange(summarize(list.map((s) => s.exitMs))),
        ];
      });
      publish(
        ctx,
        'cli-start',
        [
          '## Command-line start',
          environmentTable(ctx.run),
          `**Method.** Each run spawns a fresh Node process through the package's \`bin\` (\`bin/eks-endpoint-guard.js\`, as a script would run it; the bundle is already built), with the CLI's environment (warnings only) and AWS pointed at a pass-through proxy (no added delay) in front of the emulator, which holds ${clusters} compliant clusters. *First AWS request* is the time from the spawn (measured by the benchmark process) until the proxy receives the process's first request; *exit* until the process has ended. ${runs} runs per case, interleaved, median (min–max). \`--help\` loads no command and makes no AWS call; \`node -e 0\` is the floor any Node process pays here.`,
          table(['process', 'spawn → first AWS request, ms', 'spawn → exit, ms'], rows),
        ].join('\n\n'),
      );
    } finally {
      await proxy.close();
    }
  } finally {
    await moto.stop();
  }
}
