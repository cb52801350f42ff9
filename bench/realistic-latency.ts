import { DEFAULT_SWEEP_CONCURRENCY, MAX_SWEEP_CONCURRENCY } from '../functions/wiring/config';
import { CHECK_NODE_ARGS, type CheckRun, CLI_ENV } from './lib/check-run';
import { bundleChild, runChild } from './lib/child';
import { type DelayProxy, startDelayProxy } from './lib/delay-proxy';
import { startMoto } from './lib/moto';
import { type BenchContext, environmentTable, publish, table } from './lib/report';
import { ms, type Summary, sec, summarize } from './lib/stats';
import { COMPLIANT, clusterNames, createClusters, createWorld, POLICY_ENFORCE } from './lib/world';

/**
 * The sweep when every AWS call takes as long as a call to a regional endpoint: a loopback proxy
 * holds each request 50 ms before forwarding it to the emulator. Compared with the emulator's
 * floor measured in the same run, and under throttling (the proxy answers a share of the calls
 * with EKS's ThrottlingException).
 */

const DELAY_MS = 50;
/** The highest SWEEP_CONCURRENCY (and --concurrency) allows, now also its default: the adaptive limit's ceiling. */
const CEILING = MAX_SWEEP_CONCURRENCY;
/** The default SWEEP_CONCURRENCY. */
const DEFAULT_CEILING = DEFAULT_SWEEP_CONCURRENCY;
/** The default before the ceiling was raised, for reference. */
const EARLIER_CEILING = 8;
/** The floor's client: far more calls in flight than the emulator can serve at once. */
const FLOOR_CONCURRENCY = 64;
const TARGET_FLOOR_RATIO = 1.2;
const TARGET_300_WALL_MS = 2000;
const TARGET_CALLS_PER_CLUSTER = 1.05;

interface Run {
  check: CheckRun;
  calls: Map<string, number>;
  throttled: number;
  peakInFlight: number;
}

interface Point {
  clusters: number;
  ceiling: number;
  runs: Run[];
}

interface ThrottleRun extends Run {
  share: number;
  clusters: number;
}

const total = (calls: Map<string, number>) => [...calls.values()].reduce((a, b) => a + b, 0);

export async function realisticLatency(ctx: BenchContext): Promise<void> {
  const sizes = ctx.quick ? [100] : [100, 300, 1000];
  const ceilings = ctx.quick ? [CEILING] : [CEILING, EARLIER_CEILING];
  const runs = ctx.quick ? 1 : 3;
  const throttleAt = ctx.quick ? 100 : 300;
  const shares = ctx.quick ? [0.1] : [0.1, 0.3, 0.5];
  const script = bundleChild('sweep');
  const moto = await startMoto({ fastCreateCluster: true });
  try {
    ctx.log(`emulator on ${moto.endpoint}`);
    const world = await createWorld(moto.endpoint, POLICY_ENFORCE);
    const proxy = await startDelayProxy(moto.endpoint, DELAY_MS);
    try {
      ctx.log(`proxy on ${proxy.endpoint} → ${moto.endpoint}, +${DELAY_MS} ms per call`);
      const env = world.childEnv(CLI_ENV, proxy.endpoint);
      const checkRun = async (ceiling: number, expected: number): Promise<Run> => {
        proxy.reset();
        const { result } = await runChild<CheckRun>(
          script,
          ['check', String(ceiling), String(moto.pid), 'outcomes'],
          { env, nodeArgs: CHECK_NODE_ARGS, timeoutMs: 900_000 },
        );
        if (result.results !== expected || result.clusters !== expected) {
          throw new Error(
            `check reported ${result.results} results for ${result.clusters} clusters, expected ${expected}`,
          );
        }
        return {
          check: result,
          calls: new Map([...proxy.calls].map(([operation, times]) => [operation, times.length])),
          throttled: total(proxy.throttled),
          peakInFlight: proxy.peakInFlight,
        };
      };

      const points: Point[] = [];
      const floors = new Map<number, number[]>();
      const throttleRuns: ThrottleRun[] = [];
      let created = 0;
      for (const size of sizes) {
        await createClusters(world, clusterNames('lat', created, size), (index) =>
          (created + index) % 2 === 0 ? COMPLIANT : undefined,
        );
        created = size;
        const sizePoints = ceilings.map((ceiling) => ({ clusters: size, ceiling, runs: [] as Run[] }));
        points.push(...sizePoints);
        // Interleaved (floor, ceilings, floor, …): a busy moment on the machine hits each alike.
        for (let run = 0; run < runs; run++) {
          floors.set(size, [...(floors.get(size) ?? []), await floorMs(proxy, script, moto.pid, env, size)]);
          for (const point of sizePoints) {
            const measured = await checkRun(point.ceiling, size);
            point.runs.push(measured);
            ctx.log(
              `  ${size} clusters, ceiling ${point.ceiling}, run ${run + 1}/${runs}: ${sec(measured.check.wallMs)} s, ${total(measured.calls)} calls, ${measured.peakInFlight} in flight at most`,
            );
          }
        }
        ctx.log(`  floor at ${size}: ${sec(summarize(floors.get(size) ?? []).median)} s`);
        if (size === throttleAt) {
          for (const share of shares) {
            proxy.throttle(share, 'DescribeCluster');
            const measured = await checkRun(CEILING, size);
            proxy.throttle(0);
            throttleRuns.push({ ...measured, share, clusters: size });
            ctx.log(
              `  throttling ${Math.round(share * 100)} % of DescribeCluster: ${sec(measured.check.wallMs)} s, ${measured.throttled} throttled answers, every cluster decided once`,
            );
          }
        }
      }
      publish(ctx, 'realistic-latency', render(ctx, runs, points, floors, throttleRuns, throttleAt));
    } finally {
      await proxy.close();
    }
  } finally {
    await moto.stop();
  }
}

async function floorMs(
  proxy: DelayProxy,
  script: string,
  motoPid: number,
  env: NodeJS.ProcessEnv,
  clusters: number,
): Promise<number> {
  proxy.reset();
  const { result } = await runChild<{ clusters: number; wallMs: number }>(
    script,
    ['describe', String(FLOOR_CONCURRENCY), String(motoPid)],
    { env, timeoutMs: 600_000 },
  );
  if (result.clusters !== clusters)
    throw new Error(`the floor found ${result.clusters} clusters, expected ${clusters}`);
  return result.wallMs;
}

function render(
  ctx: BenchContext,
  runs: number,
  points: Point[],
  floors: Map<number, number[]>,
  throttleRuns: ThrottleRun[],
  throttleAt: number,
): string {
  const wallOf = (p: Point): Summary => summarize(p.runs.map((r) => r.check.wallMs));
  const callsOf = (p: Point) => summarize(p.runs.map((r) => total(r.calls))).median;
  const rows = points.map((p) => {
    const wall = wallOf(p);
    const floor = summarize(floors.get(p.clusters) ?? []);
    const calls = callsOf(p);
    const describe = summarize(p.runs.map((r) => r.calls.get('DescribeCluster') ?? 0)).median;
    return [
      p.clusters.toLocaleString('en-US'),
      p.ceiling === DEFAULT_CEILING
        ? `${p.ceiling} (default)`
        : p.ceiling === EARLIER_CEILING
          ? `${p.ceiling} (earlier default)`
          : String(p.ceiling),
      `${sec(wall.median)} (${sec(wall.min)}–${sec(wall.max)})`,
      ms(wall.median / p.clusters),
      `${(calls / p.clusters).toFixed(3)} (${describe} + ${calls - describe})`,
      String(summarize(p.runs.map((r) => r.peakInFlight)).median),
      `${sec(floor.median)} (${sec(floor.min)}–${sec(floor.max)})`,
      `${(wall.median / floor.median).toFixed(2)}×`,
      `${(summarize(p.runs.map((r) => r.check.cpuMs / r.check.wallMs)).median * 100).toFixed(0)} % / ${(summarize(p.runs.map((r) => r.check.motoCpuMs / r.check.wallMs)).median * 100).toFixed(0)} %`,
    ];
  });
  const top = (clusters: number) => points.find((p) => p.clusters === clusters && p.ceiling === CEILING);
  const verdicts: string[] = [];
  const largest = points.filter((p) => p.ceiling === CEILING).at(-1);
  if (largest) {
    const ratio = wallOf(largest).median / summarize(floors.get(largest.clusters) ?? []).median;
    verdicts.push(
      `${largest.clusters.toLocaleString('en-US')} clusters within ${TARGET_FLOOR_RATIO}× of the floor: ${ratio.toFixed(2)}× — ${ratio <= TARGET_FLOOR_RATIO ? 'met' : `missed by ${((ratio / TARGET_FLOOR_RATIO - 1) * 100).toFixed(0)} %`}${largest.clusters < 1000 ? ' (a quick run stops at 100 clusters; the target is for 1,000)' : ''}`,
    );
  }
  const at300 = top(300);
  if (at300) {
    const wall = wallOf(at300).median;
    const perCluster = callsOf(at300) / 300;
    verdicts.push(
      `300 clusters under ${sec(TARGET_300_WALL_MS)} s wall: ${sec(wall)} s — ${wall < TARGET_300_WALL_MS ? 'met' : `missed by ${sec(wall - TARGET_300_WALL_MS)} s`}`,
      `AWS calls per cluster ≤ ${TARGET_CALLS_PER_CLUSTER} at 300 clusters: ${perCluster.toFixed(3)} — ${perCluster <= TARGET_CALLS_PER_CLUSTER ? 'met' : `missed by ${(perCluster - TARGET_CALLS_PER_CLUSTER).toFixed(3)}`}`,
    );
  }
  const operations = [...new Set(points.flatMap((p) => p.runs.flatMap((r) => [...r.calls.keys()])))];
  const sample = top(300) ?? points[0];
  const breakdown = sample
    ? operations
        .map((operation) => ({
          operation,
          count: summarize(sample.runs.map((r) => r.calls.get(operation) ?? 0)).median,
        }))
        .sort((a, b) => b.count - a.count)
        .map(({ operation, count }) => `${count} \`${operation}\``)
        .join(', ')
    : '';
  const unthrottled = top(throttleAt);
  const throttleRows = throttleRuns.map((r) => {
    const decided = Object.entries(r.check.outcomes ?? {})
      .filter(([outcome]) => outcome !== 'failed')
      .reduce((sum, [, count]) => sum + count, 0);
    const failed = r.check.outcomes?.failed ?? 0;
    const describes = r.calls.get('DescribeCluster') ?? 0;
    return [
      `${Math.round(r.share * 100)} %`,
      sec(r.check.wallMs),
      unthrottled ? `${(r.check.wallMs / wallOf(unthrottled).median).toFixed(1)}×` : '—',
      `${r.throttled} of ${describes + r.throttled}`,
      String(r.peakInFlight),
      `${r.check.clusters} of ${r.clusters}`,
      `${decided} decided, ${failed} failed`,
    ];
  });
  return [
    '## Realistic latency',
    environmentTable(ctx.run),
    `**Method.** Clusters are created in the emulator (half compliant, half open to the world), growing the same emulator through ${points
      .filter((p) => p.ceiling === CEILING)
      .map((p) => p.clusters.toLocaleString('en-US'))
      .join(
        ', ',
      )} clusters. A loopback HTTP proxy (Node, in the benchmark process) holds every request ${DELAY_MS} ms, then forwards it to the emulator and returns its answer; the SDK clients are pointed at the proxy with \`AWS_ENDPOINT_URL\`. Each run is the CLI's \`check\` (report only, \`--json\`) in a fresh process, as in *Sweep scale*, with \`--concurrency\` as the ceiling of the adaptive limit: the sweep starts at 4 clusters in flight, grows by one per success and halves on a throttle; ${CEILING} is the most \`SWEEP_CONCURRENCY\` allows and its default (${DEFAULT_CEILING}; it was ${EARLIER_CEILING} before). Wall time is measured around the command in the child (it includes loading the SDK clients on first use, the policy read and the first \`ListClusters\` page). *AWS calls per cluster* counts every request the proxy saw (\`DescribeCluster\`s + the rest: \`ListClusters\` pages, the policy read, and the lockout check's EC2 calls for the non-compliant clusters); at 300 clusters a run made ${breakdown}. *In flight* is the most requests the proxy held at once (the SDK's HTTP agent allows 50 sockets per client). *Floor*: a bare EKS client in a fresh process lists the clusters, then makes the same \`DescribeCluster\` calls with ${FLOOR_CONCURRENCY} in flight through the same proxy, timed from the first call to the last answer: what the emulator can serve behind the delay (it is single-threaded, ~5 ms a call), whatever the client does. ${runs} run(s) per point, interleaved with the floor, median (min–max).`,
    `### check with ${DELAY_MS} ms per AWS call (targets: 1,000 clusters within ${TARGET_FLOOR_RATIO}× of the floor, 300 under ${sec(TARGET_300_WALL_MS)} s, ≤ ${TARGET_CALLS_PER_CLUSTER} AWS calls per cluster at 300)`,
    table(
      [
        'clusters',
        'ceiling',
        'wall, s',
        'per cluster, ms',
        'AWS calls per cluster (Describe + other)',
        'in flight, at most',
        'floor, s',
        'wall / floor',
        'CPU / wall: guard / emulator',
      ],
      rows,
    ),
    verdicts.map((v) => `- ${v}`).join('\n'),
    '### Under throttling',
    `The same \`check\` over ${throttleAt.toLocaleString('en-US')} clusters, ceiling ${CEILING}, while the proxy answers a share of the \`DescribeCluster\` calls (every n-th, deterministically) with what EKS sends when it throttles: HTTP 429, \`x-amzn-errortype: ThrottlingException\`, \`{"message":"Rate exceeded"}\`. The SDK retries a throttled call itself (standard retry mode: 5 attempts, jittered exponential backoff, a retry quota); a check still throttled after that halves the sweep's limit and the cluster is queued again (up to 4 attempts) instead of being dropped. One run per share. *Decided* counts results other than \`failed\`; every run reported every cluster exactly once.`,
    table(
      [
        'share throttled',
        'wall, s',
        'vs no throttling',
        'throttled answers (of DescribeCluster requests)',
        'in flight, at most',
        'clusters reported',
        'outcomes',
      ],
      throttleRows,
    ),
  ].join('\n\n');
}
