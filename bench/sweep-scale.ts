import { cpus } from 'node:os';
import { createCluster } from '../functions/cli/sandbox';
import { CHECK_NODE_ARGS, type CheckRun, CLI_ENV } from './lib/check-run';
import { bundleChild, runChild } from './lib/child';
import { startMoto } from './lib/moto';
import { type BenchContext, environmentTable, publish, table } from './lib/report';
import { mbFromKib, ms, pct, type Summary, sec, summarize } from './lib/stats';
import { COMPLIANT, clusterNames, createClusters, createWorld, POLICY_ENFORCE } from './lib/world';

/**
 * Sweep scale: `check` (report only) over 100 to 5,000 clusters in the emulator, at the default
 * concurrency and at 1: wall time, time per cluster and peak memory of the process doing it.
 */

interface FloorRun {
  clusters: number;
  pages: number[];
  sequential: number[];
  concurrentMs: number;
  concurrentCalls: number;
  concurrentMotoCpuMs: number;
}

const DEFAULT_CONCURRENCY = 8;
const FLAT_TOLERANCE = 0.2;

export async function sweepScale(ctx: BenchContext): Promise<void> {
  const scales = ctx.quick ? [100, 500] : [100, 1000, 5000];
  // Runs per point: fewer for the largest size, whose runs take minutes each at concurrency 1.
  const runsFor = (scale: number) => (ctx.quick || scale >= 5000 ? 2 : 3);
  const concurrencies = [DEFAULT_CONCURRENCY, 1];
  const script = bundleChild('sweep');
  const moto = await startMoto({ fastCreateCluster: true });
  try {
    ctx.log(`emulator on ${moto.endpoint}`);
    const world = await createWorld(moto.endpoint, POLICY_ENFORCE);
    const env = world.childEnv(CLI_ENV);
    const points: { scale: number; concurrency: number; runs: CheckRun[] }[] = [];
    const floors: { scale: number; floor: FloorRun; createRate: number; motoRssKib: number }[] = [];
    let created = 0;
    for (const scale of scales) {
      // Half compliant, half open to the world; report only, so nothing changes between runs.
      const createRate = await createClusters(world, clusterNames('sweep', created, scale), (index) =>
        (created + index) % 2 === 0 ? COMPLIANT : undefined,
      );
      created = scale;
      ctx.log(`  ${scale} clusters in the emulator (created at ${Math.round(createRate)}/s)`);
      const { result: floor } = await runChild<FloorRun>(
        script,
        ['floor', String(Math.min(scale, 300)), String(moto.pid)],
        {
          env,
          timeoutMs: 600_000,
        },
      );
      if (floor.clusters !== scale)
        throw new Error(`ListClusters found ${floor.clusters} clusters, expected ${scale}`);
      for (const concurrency of concurrencies) {
        const list: CheckRun[] = [];
        for (let run = 0; run < runsFor(scale); run++) {
          const { result } = await runChild<CheckRun>(
            script,
            ['check', String(concurrency), String(moto.pid)],
            {
              env,
              nodeArgs: CHECK_NODE_ARGS,
              timeoutMs: 900_000,
            },
          );
          if (result.results !== scale)
            throw new Error(`check reported ${result.results} clusters, expected ${scale}`);
          list.push(result);
        }
        const wall = summarize(list.map((r) => r.wallMs));
        ctx.log(
          `  ${scale} clusters, concurrency ${concurrency}: ${sec(wall.median)} s (${ms(wall.median / scale)} ms per cluster)`,
        );
        points.push({ scale, concurrency, runs: list });
      }
      floors.push({ scale, floor, createRate, motoRssKib: moto.peakRssKib() });
    }
    if (!moto.fastCreateCluster)
      ctx.log('  (python3 cannot import moto: clusters were created by plain moto_server)');
    await moto.stop();
    const plainCreate = ctx.quick ? undefined : await plainCreateClusterMs(ctx);
    publish(
      ctx,
      'sweep-scale',
      render(ctx, scales, scales.map(runsFor), points, floors, moto.fastCreateCluster, plainCreate),
    );
  } finally {
    await moto.stop();
  }
}

/** How long CreateCluster takes in an unmodified emulator (why the benchmark memoises one lookup). */
async function plainCreateClusterMs(ctx: BenchContext): Promise<Summary> {
  const plain = await startMoto();
  try {
    const world = await createWorld(plain.endpoint, POLICY_ENFORCE);
    const times: number[] = [];
    for (const name of clusterNames('plain', 0, 10)) {
      const started = performance.now();
      await createCluster(world.clients.eks, { name, vpc: world.vpc });
      times.push(performance.now() - started);
    }
    const summary = summarize(times);
    ctx.log(`  CreateCluster in an unmodified emulator: ${ms(summary.median)} ms per call`);
    return summary;
  } finally {
    await plain.stop();
  }
}

function render(
  ctx: BenchContext,
  scales: number[],
  runs: number[],
  points: { scale: number; concurrency: number; runs: CheckRun[] }[],
  floors: { scale: number; floor: FloorRun; createRate: number; motoRssKib: number }[],
  fastCreate: boolean,
  plainCreate: Summary | undefined,
): string {
  const perCluster = (p: { scale: number; runs: CheckRun[] }): Summary =>
    summarize(p.runs.map((r) => r.wallMs / p.scale));
  const rows = points.map((p) => {
    const wall = summarize(p.runs.map((r) => r.wallMs));
    const per = perCluster(p);
    const series = points.filter((q) => q.concurrency === p.concurrency);
    const first = series[0];
    const previous = series[series.indexOf(p) - 1];
    const drift = first ? per.median / perCluster(first).median - 1 : 0;
    // The cost of each added cluster, free of the fixed start (policy read, first page, warm-up).
    const marginal = previous
      ? (wall.median - summarize(previous.runs.map((r) => r.wallMs)).median) / (p.scale - previous.scale)
      : Number.NaN;
    const rss = summarize(p.runs.map((r) => r.maxRssKib));
    const growth = summarize(p.runs.map((r) => r.peakDuringKib - r.rssBeforeKib));
    const retained = summarize(p.runs.map((r) => r.retainedHeapKib - r.heapBeforeKib));
    const guardCpu = summarize(p.runs.map((r) => r.cpuMs / r.wallMs));
    const motoCpu = summarize(p.runs.map((r) => r.motoCpuMs / r.wallMs));
    return [
      p.scale.toLocaleString('en-US'),
      String(p.concurrency),
      `${sec(wall.median)} (${sec(wall.min)}–${sec(wall.max)})`,
      `${ms(per.median)} (${ms(per.min)}–${ms(per.max)})`,
      p === first ? '—' : pct(drift),
      previous ? ms(marginal) : '—',
      `${mbFromKib(rss.median)} (${mbFromKib(rss.min)}–${mbFromKib(rss.max)})`,
      mbFromKib(growth.median),
      mbFromKib(retained.median),
      `${(guardCpu.median * 100).toFixed(0)} % / ${(motoCpu.median * 100).toFixed(0)} %`,
    ];
  });
  const verdicts = [DEFAULT_CONCURRENCY, 1].map((concurrency) => {
    const series = points.filter((p) => p.concurrency === concurrency);
    const first = series[0];
    const last = series[series.length - 1];
    if (!first || !last || first === last) return '';
    const drift = perCluster(last).median / perCluster(first).median - 1;
    const verdict =
      drift > FLAT_TOLERANCE
        ? 'grows by more than 20 %: target missed'
        : drift < -FLAT_TOLERANCE
          ? 'falls by more than 20 % (the fixed start is spread over more clusters), does not grow: target met'
          : 'flat within 20 %: target met';
    return `concurrency ${concurrency}: ${ms(perCluster(first).median)} → ${ms(perCluster(last).median)} ms per cluster from ${first.scale.toLocaleString('en-US')} to ${last.scale.toLocaleString('en-US')} clusters (${pct(drift)}); ${verdict}`;
  });
  const floorRows = floors.map(({ scale, floor, createRate, motoRssKib }) => {
    const pages = summarize(floor.pages);
    const sequential = summarize(floor.sequential);
    return [
      scale.toLocaleString('en-US'),
      `${floor.pages.length} × ${ms(pages.median)} (${ms(pages.min)}–${ms(pages.max)})`,
      `${ms(sequential.median)} (p95 ${ms(sequential.p95)})`,
      `${ms(floor.concurrentMs / floor.concurrentCalls)} (${Math.round((floor.concurrentCalls / floor.concurrentMs) * 1000)}/s; emulator CPU ${((floor.concurrentMotoCpuMs / floor.concurrentMs) * 100).toFixed(0)} % of the time)`,
      `${Math.round(createRate)}/s`,
      mbFromKib(motoRssKib),
    ];
  });
  return [
    '## Sweep scale',
    environmentTable(ctx.run),
    `**Method.** Clusters are created in the emulator with 16 parallel \`CreateCluster\` calls${fastCreate ? ` (the emulator is started with one lookup memoised: moto's \`CreateCluster\` builds a new boto3 Session on every call to validate the role ARN${plainCreate ? `, ${ms(plainCreate.median)} ms per call sequentially in an unmodified emulator here` : ''}, which would make 5,000 clusters take many minutes; no measured call goes through that code)` : ''}, half with a private-only endpoint and half with the EKS defaults (public, 0.0.0.0/0), growing the same emulator from ${scales.map((s) => s.toLocaleString('en-US')).join(' to ')} clusters. Each run is a fresh Node process (the sweep script bundled like the CLI) that calls the CLI's \`check\` command function in process: report only (no \`--fix\`), \`--json\`, the given \`--concurrency\`, with the CLI's environment defaults (warnings only, metrics off); \`check\` drives \`sweep()\`: \`ListClusters\` page by page, the policy read once, one \`DescribeCluster\` per cluster and, for each non-compliant cluster (half of them), the read-only lockout check (\`DescribeVpcAttribute\` twice, and \`DescribeSubnets\` to find the VPC, which the emulator leaves out of \`DescribeCluster\` and real EKS does not), whose answer is cached per VPC for a minute: little more than one AWS call per cluster (counted in *Realistic latency*). Its output is counted (every run reported every cluster) and discarded. Wall time is measured around the command; peak memory is the process's \`resourceUsage().maxRSS\` (module loading included); *RSS growth* is the highest RSS sampled every 20 ms during the command minus the RSS just before it (it includes loading the SDK clients, which happens on their first use, during the command). ${[...new Set(runs)].join(' or ')} runs per point (${runs.map((r, i) => `${r} at ${scales[i]?.toLocaleString('en-US')}`).join(', ')}), median (min–max). *Heap retained* is the heap in use after the command and a full garbage collection minus the same before it: what the command keeps, as opposed to garbage not yet collected (which is what RSS growth mostly is). *Per added cluster* is the difference in wall time from the previous size over the clusters added: the marginal cost, without the fixed start. *CPU / wall* is the CPU time of the guard process and of the emulator process (/proc) over the run's wall time: the emulator is single-threaded (near 100 % means it sets the pace), and the two together cannot exceed the machine's ${cpus().length} CPUs.`,
    '### check over N clusters (target: time per cluster flat within 20 %, memory bounded)',
    table(
      [
        'clusters',
        'concurrency',
        'wall, s',
        'per cluster, ms',
        'per cluster vs smallest',
        'per added cluster, ms',
        'peak RSS',
        'RSS growth during check',
        'heap retained after check',
        'CPU / wall: guard / emulator',
      ],
      rows,
    ),
    verdicts
      .filter(Boolean)
      .map((v) => `- ${v}`)
      .join('\n'),
    '### The emulator alone',
    'A bare EKS client in a fresh process, after the clusters are created: `ListClusters` page by page (100 per page, as the sweep asks), then `DescribeCluster` on up to 300 clusters one at a time and with 8 in flight.',
    table(
      [
        'clusters',
        'ListClusters pages × ms per page',
        'DescribeCluster alone, ms',
        'DescribeCluster, 8 in flight, ms per call',
        'CreateCluster rate',
        'emulator peak RSS',
      ],
      floorRows,
    ),
  ].join('\n\n');
}
