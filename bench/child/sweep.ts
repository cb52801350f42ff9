// A fresh process per run. `check`: the CLI's check command (report only), which drives sweep(),
// with its output counted and discarded. `floor`: the emulator alone, through a bare EKS client.
// `describe`: every cluster's DescribeCluster through a bare EKS client, <concurrency> in flight.
// Usage: node sweep.cjs <resultFile> check <concurrency> <motoPid> [outcomes]
//        node sweep.cjs <resultFile> floor <describeCalls> <motoPid>
//        node sweep.cjs <resultFile> describe <concurrency> <motoPid>
import '../../functions/cli/preamble';
import { writeFileSync } from 'node:fs';
import { DescribeClusterCommand, EKSClient, paginateListClusters } from '@aws-sdk/client-eks';
import { checkCommand } from '../../functions/cli/check';
import type { CliIo } from '../../functions/cli/io';
import { cpuSecondsOf } from '../lib/proc';

const [resultFile, mode, countText, motoPidText, extra] = process.argv.slice(2);
const motoPid = Number(motoPidText);

const plain = { bold: (t: string) => t, dim: (t: string) => t, outcome: (o: string, t?: string) => t ?? o };

async function check(concurrency: number, keepOutcomes: boolean) {
  let outputBytes = 0;
  let results = 0;
  // Only when asked: holding the output would show in the memory figures of Sweep scale.
  const output: string[] = [];
  const io: CliIo = {
    out: (text) => {
      outputBytes += Buffer.byteLength(text);
      if (keepOutcomes) output.push(text);
      // One "outcome" key per result element of the JSON array.
      results += text.split('"outcome":').length - 1;
    },
    err: () => undefined,
    errIsTty: false,
    style: plain,
  };
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const rssBeforeKib = Math.round(process.memoryUsage().rss / 1024);
  const heapBeforeKib = Math.round(process.memoryUsage().heapUsed / 1024);
  // maxRSS is the high-water mark since the process started (loading included): sample during the command too.
  let peakDuringKib = rssBeforeKib;
  const sampler = setInterval(() => {
    peakDuringKib = Math.max(peakDuringKib, Math.round(process.memoryUsage().rss / 1024));
  }, 20);
  const cpuBefore = process.cpuUsage();
  const motoBefore = cpuSecondsOf(motoPid);
  const started = performance.now();
  await checkCommand({ concurrency, json: true }, io);
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  peakDuringKib = Math.max(peakDuringKib, Math.round(process.memoryUsage().rss / 1024));
  const heapUsedKib = Math.round(process.memoryUsage().heapUsed / 1024);
  // What the command still holds once garbage is collected (run with --expose-gc): flat if bounded.
  gc?.();
  return {
    wallMs,
    results,
    ...(keepOutcomes ? outcomesOf(output.join('')) : {}),
    outputBytes,
    rssBeforeKib,
    peakDuringKib,
    maxRssKib: process.resourceUsage().maxRSS,
    heapUsedKib,
    retainedHeapKib: gc ? Math.round(process.memoryUsage().heapUsed / 1024) : Number.NaN,
    heapBeforeKib,
    cpuMs: (cpu.user + cpu.system) / 1000,
    motoCpuMs: (cpuSecondsOf(motoPid) - motoBefore) * 1000,
  };
}

/** How many clusters the JSON output names, and how many results of each outcome it holds. */
function outcomesOf(json: string): { clusters: number; outcomes: Record<string, number> } {
  const list = JSON.parse(json) as { cluster: string; outcome: string }[];
  const outcomes: Record<string, number> = {};
  for (const { outcome } of list) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  return { clusters: new Set(list.map((r) => r.cluster)).size, outcomes };
}

/** The emulator's floor: the sweep's DescribeCluster calls and nothing else, `concurrency` in flight. */
async function describeAll(concurrency: number) {
  const client = new EKSClient({ region: process.env.AWS_REGION, maxAttempts: 5, retryMode: 'standard' });
  const names: string[] = [];
  for await (const page of paginateListClusters({ client, pageSize: 100 }, {}))
    names.push(...(page.clusters ?? []));
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, names.length) }, async () => {
      while (next < names.length) {
        const name = names[next++] as string;
        await client.send(new DescribeClusterCommand({ name }));
      }
    }),
  );
  return { clusters: names.length, wallMs: performance.now() - started };
}

async function floor(describeCalls: number) {
  const client = new EKSClient({ region: process.env.AWS_REGION, maxAttempts: 5, retryMode: 'standard' });
  const names: string[] = [];
  const pages: number[] = [];
  let started = performance.now();
  for await (const page of paginateListClusters({ client, pageSize: 100 }, {})) {
    pages.push(performance.now() - started);
    names.push(...(page.clusters ?? []));
    started = performance.now();
  }
  const sample = names.slice(0, describeCalls);
  const sequential: number[] = [];
  for (const name of sample) {
    const t = performance.now();
    await client.send(new DescribeClusterCommand({ name }));
    sequential.push(performance.now() - t);
  }
  // Eight in flight: the sweep's default concurrency, without the guard around the calls.
  let next = 0;
  const motoBefore = cpuSecondsOf(motoPid);
  const t8 = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < sample.length) {
        const name = sample[next++] as string;
        await client.send(new DescribeClusterCommand({ name }));
      }
    }),
  );
  const concurrentMs = performance.now() - t8;
  return {
    clusters: names.length,
    pages,
    sequential,
    concurrentMs,
    concurrentCalls: sample.length,
    concurrentMotoCpuMs: (cpuSecondsOf(motoPid) - motoBefore) * 1000,
  };
}

async function main(): Promise<void> {
  if (!resultFile || !countText) throw new Error('usage: sweep <resultFile> check|floor <n> <motoPid>');
  const count = Number(countText);
  const result =
    mode === 'floor'
      ? await floor(count)
      : mode === 'describe'
        ? await describeAll(count)
        : await check(count, extra === 'outcomes');
  writeFileSync(resultFile, JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
