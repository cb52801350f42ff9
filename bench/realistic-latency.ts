import { CHECK_NODE_ARGS, type CheckRun, CLI_ENV } from './lib/check-run';
import { bundleChild, runChild } from './lib/child';
import { startDelayProxy } from './lib/delay-proxy';
import { startMoto } from './lib/moto';
import { type BenchContext, environmentTable, publish, table } from './lib/report';
import { mbFromKib, ms, sec, summarize } from './lib/stats';
import { COMPLIANT, clusterNames, createClusters, createWorld, POLICY_ENFORCE } from './lib/world';

/**
 * The sweep when every AWS call takes as long as a call to a regional endpoint: a loopback proxy
 * holds each request 50 ms before forwarding it to the emulator. Shows what concurrency buys.
 */

const DELAY_MS = 50;
const CONCURRENCIES = [1, 8, 16];
const PAGE_SIZE = 100;

export async function realisticLatency(ctx: BenchContext): Promise<void> {
  const clusters = ctx.quick ? 100 : 300;
  const runs = ctx.quick ? 1 : 3;
  const script = bundleChild('sweep');
  const moto = await startMoto({ fastCreateCluster: true });
  try {
    ctx.log(`emulator on ${moto.endpoint}`);
    const world = await createWorld(moto.endpoint, POLICY_ENFORCE);
    await createClusters(world, clusterNames('lat', 0, clusters), (index) =>
      index % 2 === 0 ? COMPLIANT : undefined,
    );
    const proxy = await startDelayProxy(moto.endpoint, DELAY_MS);
    try {
      ctx.log(`proxy on ${proxy.endpoint} → ${moto.endpoint}, +${DELAY_MS} ms per call`);
      const env = world.childEnv(CLI_ENV, proxy.endpoint);
      const results = new Map<number, CheckRun[]>(CONCURRENCIES.map((c) => [c, []]));
      const upstream: number[] = [];
      const callsPerRun: number[] = [];
      const byOperation = new Map<string, number[]>();
      // Interleaved (1, 8, 16, 1, 8, 16, …): a busy moment on the machine hits every concurrency alike.
      for (let run = 0; run < runs; run++) {
        for (const concurrency of CONCURRENCIES) {
          proxy.reset();
          const { result } = await runChild<CheckRun>(
            script,
            ['check', String(concurrency), String(moto.pid)],
            {
              env,
              nodeArgs: CHECK_NODE_ARGS,
              timeoutMs: 900_000,
            },
          );
          if (result.results !== clusters) {
            throw new Error(`check reported ${result.results} clusters, expected ${clusters}`);
          }
          results.get(concurrency)?.push(result);
          for (const [operation, times] of proxy.calls) {
            byOperation.set(operation, [...(byOperation.get(operation) ?? []), times.length]);
          }
          const all = [...proxy.calls.values()].flat();
          callsPerRun.push(all.length);
          upstream.push(...all);
          ctx.log(
            `  concurrency ${concurrency}, run ${run + 1}/${runs}: ${sec(result.wallMs)} s, ${all.length} calls through the proxy`,
          );
        }
      }
      publish(
        ctx,
        'realistic-latency',
        render(ctx, clusters, runs, results, upstream, callsPerRun, byOperation),
      );
    } finally {
      await proxy.close();
    }
  } finally {
    await moto.stop();
  }
}

function render(
  ctx: BenchContext,
  clusters: number,
  runs: number,
  results: Map<number, CheckRun[]>,
  upstream: number[],
  callsPerRun: number[],
  byOperation: Map<string, number[]>,
): string {
  const serial = summarize((results.get(1) ?? []).map((r) => r.wallMs));
  const emulator = summarize(upstream);
  const pages = Math.ceil(clusters / PAGE_SIZE);
  const rows = CONCURRENCIES.map((concurrency) => {
    const list = results.get(concurrency) ?? [];
    const wall = summarize(list.map((r) => r.wallMs));
    // A lower bound: every per-cluster call waits the delay plus the emulator's time, `concurrency` at a
    // time, and each ListClusters page (fetched when the previous one is used up) and the policy read once.
    // The two DescribeVpcAttribute calls of a cluster are made together: one wait.
    const count = (operation: string) => summarize(byOperation.get(operation) ?? [0]).median;
    const calls = count('DescribeCluster') + count('DescribeSubnets') + count('DescribeVpcAttribute') / 2;
    const ideal = (Math.ceil(calls / concurrency) + pages + 1) * (DELAY_MS + emulator.median);
    return [
      String(concurrency),
      `${sec(wall.median)} (${sec(wall.min)}–${sec(wall.max)})`,
      ms(wall.median / clusters),
      concurrency === 1 ? '1.0×' : `${(serial.median / wall.median).toFixed(1)}×`,
      sec(ideal),
      `${((ideal / wall.median) * 100).toFixed(0)} %`,
      `${(summarize(list.map((r) => r.cpuMs / r.wallMs)).median * 100).toFixed(0)} % / ${(summarize(list.map((r) => r.motoCpuMs / r.wallMs)).median * 100).toFixed(0)} %`,
      mbFromKib(summarize(list.map((r) => r.maxRssKib)).median),
    ];
  });
  return [
    '## Realistic latency',
    environmentTable(ctx.run),
    `**Method.** ${clusters.toLocaleString('en-US')} clusters in the emulator (half compliant). A loopback HTTP proxy (Node, in the benchmark process) holds every request ${DELAY_MS} ms, then forwards it to the emulator and returns its answer; the guard's SDK clients are pointed at the proxy with \`AWS_ENDPOINT_URL\`. Each run is the same \`check\` (report only) as in *Sweep scale*, in a fresh process, at concurrency ${CONCURRENCIES.join(', ')}; ${runs} run(s) each, interleaved, median (min–max). A run makes ${summarize(callsPerRun).median} AWS calls (${[
      ...byOperation.entries(),
    ]
      .sort((a, b) => summarize(b[1]).median - summarize(a[1]).median)
      .map(([operation, counts]) => `${summarize(counts).median} \`${operation}\``)
      .join(
        ', ',
      )}): one \`DescribeCluster\` per cluster, and for each non-compliant cluster the read-only lockout check (the VPC's two DNS attributes, and its subnet to find the VPC, which real EKS returns with the cluster). The emulator answered in ${ms(emulator.median)} ms (p95 ${ms(emulator.p95)}) behind the delay. *Lower bound*: ⌈waits / concurrency⌉ + pages + 1 sequential waits (a cluster's calls are sequential, except its two \`DescribeVpcAttribute\`, made together: one wait) of (${DELAY_MS} ms + the emulator's median); *efficiency* is that bound over the measured time.`,
    `### check over ${clusters.toLocaleString('en-US')} clusters with ${DELAY_MS} ms per AWS call`,
    table(
      [
        'concurrency',
        'wall, s',
        'per cluster, ms',
        'speed-up vs 1',
        'lower bound, s',
        'efficiency',
        'CPU / wall: guard / emulator',
        'peak RSS',
      ],
      rows,
    ),
  ].join('\n\n');
}
