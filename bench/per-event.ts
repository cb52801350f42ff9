import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventSample, PerEventConfig } from './child/per-event';
import { bundleChild, runChild } from './lib/child';
import { EMULATOR_ACCOUNT, ROOT, tmpDir } from './lib/env';
import { startMoto } from './lib/moto';
import { type BenchContext, environmentTable, publish, table } from './lib/report';
import type { CallStats } from './lib/sdk-timing';
import { ms, summarize } from './lib/stats';
import {
  COMPLIANT,
  clusterNames,
  createClusters,
  createWorld,
  OPEN_TO_THE_WORLD,
  POLICY_ENFORCE,
  POLICY_NOTIFY,
} from './lib/world';

/**
 * Per-event latency: one warm process runs the Lambda's event path (processEvent with the real
 * adapters over real SDK clients) on CloudTrail events for a mix of compliant and non-compliant
 * clusters in the emulator, and times each event from hand-over to decision.
 */

const P50_TARGET_MS = 30;
const CLUSTERS = 20;
const ROUNDS = 10;
/** A week of hourly sweeps: what a cluster that stays non-compliant has in the audit table. */
const HISTORY_RECORDS = 168;

interface ChildResult {
  samples: EventSample[];
  byCommand: Record<string, CallStats>;
  floor: number[];
  auditQuery: {
    withoutLimit: number[];
    withLimit: number[];
    items: number[];
    history: { withoutLimit: number[]; withLimit: number[]; items: number };
  };
  cpuMs: number;
  wallMs: number;
  motoCpuMs: number;
  events: number;
}

const SCENARIOS = [
  {
    key: 'enforce',
    label: 'enforce: non-compliant clusters are remediated (re-opened before each round)',
    policy: POLICY_ENFORCE,
  },
  {
    key: 'notify',
    label: 'notify: non-compliant clusters end would-remediate',
    policy: POLICY_NOTIFY,
  },
] as const;

export async function perEvent(ctx: BenchContext): Promise<void> {
  const runs = ctx.quick ? 1 : 3;
  const script = bundleChild('per-event');
  const moto = await startMoto({ fastCreateCluster: true });
  try {
    ctx.log(`emulator on ${moto.endpoint}`);
    const world = await createWorld(moto.endpoint, POLICY_ENFORCE);
    const scenarios = ctx.quick ? SCENARIOS.slice(0, 1) : SCENARIOS;
    // Fresh clusters for every run: each starts with no audit history, as the first run did.
    const clustersOf = (scenario: string, run: number) => clusterNames(`evt-${scenario}-${run}`, 0, CLUSTERS);
    const all = scenarios.flatMap((scenario) =>
      Array.from({ length: runs }, (_, run) => clustersOf(scenario.key, run)),
    );
    await createClusters(world, ['evt-warm', ...all.flat()], (index) =>
      index > 0 && ((index - 1) % CLUSTERS) % 2 === 1 ? OPEN_TO_THE_WORLD : COMPLIANT,
    );

    const results = new Map<string, ChildResult[]>();
    // A quick run plays the enforce scenario only.
    for (const scenario of scenarios) {
      await world.setPolicy(scenario.policy);
      for (let run = 0; run < runs; run++) {
        const clusters = clustersOf(scenario.key, run);
        const config: PerEventConfig = {
          root: ROOT,
          account: EMULATOR_ACCOUNT,
          clusters,
          nonCompliant: clusters.filter((_, index) => index % 2 === 1),
          historyRecords: HISTORY_RECORDS,
          warmupCluster: 'evt-warm',
          vpc: world.vpc,
          rounds: ROUNDS,
          warmupEvents: 5,
          floorCalls: 100,
          seed: 1000 * run + 17,
          motoPid: moto.pid,
        };
        const configFile = join(tmpDir('per-event'), `${scenario.key}-${run}.json`);
        writeFileSync(configFile, JSON.stringify(config));
        const { result } = await runChild<ChildResult>(script, [configFile], {
          env: world.childEnv(),
          timeoutMs: 300_000,
        });
        const all = summarize(result.samples.map((s) => s.ms));
        ctx.log(
          `  ${scenario.key} run ${run + 1}/${runs}: ${result.samples.length} events, p50 ${ms(all.median)} ms, p95 ${ms(all.p95)} ms`,
        );
        results.set(scenario.key, [...(results.get(scenario.key) ?? []), result]);
      }
    }
    publish(ctx, 'per-event', render(ctx, results, runs));
  } finally {
    await moto.stop();
  }
}

function render(ctx: BenchContext, results: Map<string, ChildResult[]>, runs: number): string {
  const rows: string[][] = [];
  const outcomeRows: string[][] = [];
  const commandRows: string[][] = [];
  const costRows: string[][] = [];
  const queryRows: string[][] = [];
  let floorAll: number[] = [];
  for (const scenario of SCENARIOS) {
    const list = results.get(scenario.key) ?? [];
    if (list.length === 0) continue;
    const samples = list.flatMap((r) => r.samples);
    const all = summarize(samples.map((s) => s.ms));
    const perRunP50 = summarize(list.map((r) => summarize(r.samples.map((s) => s.ms)).median));
    rows.push([
      scenario.label,
      `${samples.length} (${runs} × ${samples.length / Math.max(1, runs)})`,
      ms(all.median),
      ms(all.p95),
      `${ms(all.min)}–${ms(all.max)}`,
      runs > 1 ? `${ms(perRunP50.min)}–${ms(perRunP50.max)}` : 'one run',
      all.median <= P50_TARGET_MS ? 'yes' : `no, +${ms(all.median - P50_TARGET_MS)} ms`,
    ]);
    const outcomes = [...new Set(samples.map((s) => s.outcome))].sort();
    for (const outcome of outcomes) {
      const these = samples.filter((s) => s.outcome === outcome);
      const latency = summarize(these.map((s) => s.ms));
      const sdk = summarize(these.map((s) => s.sdkMs));
      const calls = these.reduce((a, s) => a + s.calls, 0) / these.length;
      outcomeRows.push([
        scenario.key,
        outcome,
        String(these.length),
        ms(latency.median),
        ms(latency.p95),
        calls.toFixed(1),
        ms(sdk.median),
        `${((summarize(these.map((s) => s.sdkMs / s.ms)).median || 0) * 100).toFixed(0)} %`,
      ]);
    }
    const merged = new Map<string, number[]>();
    for (const r of list) {
      for (const [command, stats] of Object.entries(r.byCommand)) {
        merged.set(command, [...(merged.get(command) ?? []), ...stats.samples]);
      }
    }
    for (const [command, samplesOf] of [...merged.entries()].sort((a, b) => b[1].length - a[1].length)) {
      const s = summarize(samplesOf);
      commandRows.push([scenario.key, command, String(samplesOf.length), ms(s.median), ms(s.p95)]);
    }
    const events = samples.length;
    const cpu = list.reduce((a, r) => a + r.cpuMs, 0) / events;
    const moto = list.reduce((a, r) => a + r.motoCpuMs, 0) / events;
    const wall = list.reduce((a, r) => a + r.wallMs, 0) / events;
    costRows.push([
      scenario.key,
      ms(wall),
      ms(cpu),
      ms(moto),
      `${(((cpu + moto) / wall) * 100).toFixed(0)} %`,
    ]);
    floorAll = [...floorAll, ...list.flatMap((r) => r.floor)];
    const without = summarize(list.flatMap((r) => r.auditQuery.withoutLimit));
    const withLimit = summarize(list.flatMap((r) => r.auditQuery.withLimit));
    const items = summarize(list.flatMap((r) => r.auditQuery.items));
    queryRows.push([
      `${scenario.key}: the benchmark's clusters`,
      `${ms(items.median)} (${items.min}–${items.max})`,
      `${ms(without.median)} (p95 ${ms(without.p95)})`,
      `${ms(withLimit.median)} (p95 ${ms(withLimit.p95)})`,
    ]);
    const historyWithout = summarize(list.flatMap((r) => r.auditQuery.history.withoutLimit));
    const historyWith = summarize(list.flatMap((r) => r.auditQuery.history.withLimit));
    queryRows.push([
      `${scenario.key}: a cluster with a week of hourly sweep records`,
      String(list[0]?.auditQuery.history.items ?? 0),
      `${ms(historyWithout.median)} (p95 ${ms(historyWithout.p95)})`,
      `${ms(historyWith.median)} (p95 ${ms(historyWith.p95)})`,
    ]);
  }
  const floor = summarize(floorAll);
  return [
    '## Per-event latency',
    environmentTable(ctx.run),
    `**Method.** One warm Node process per run builds the handler's module-level wiring (\`loadConfig\`, \`createAwsClients\`, \`createPorts\`, Logger, Metrics, \`observer\`: everything in \`handler.ts\` except middy and the tracer, which is inactive outside Lambda) and calls \`processEvent\` once per event, followed by \`metrics.publishStoredMetrics()\` as the logMetrics middleware does. Latency is from the call to the decision (\`performance.now()\` around it). AWS is moto_server on loopback, reached through the real SDK clients; the policy is in SSM with the stack's 60 s cache. ${CLUSTERS} clusters, half compliant (private endpoint only) and half open to the world, in one VPC with DNS hostnames on (so remediation is not blocked); each run plays ${ROUNDS} rounds of one \`UpdateClusterConfig\` CloudTrail event (\`events/update-config-open-world.json\`, each with its own event id, a different actor each round) per cluster in a shuffled order: ${CLUSTERS * ROUNDS} events after 5 untimed warm-up events. In *enforce* the non-compliant clusters are remediated, so they are re-opened (untimed) before each round; from the third round on the flip-flop breaker escalates, as it would for someone re-applying the setting. Logs and metrics go to stdout, which is discarded. ${runs} run(s) per scenario, each in a fresh process${ctx.quick ? ' (a quick run plays the enforce scenario only)' : ''}.`,
    `### Event in → decision out (target: p50 ≤ ${P50_TARGET_MS} ms)`,
    'Half of the events are for compliant clusters and half for non-compliant ones, two paths with very different costs: the overall p50 falls in the gap between them and moves with small shifts; the table after this one gives each outcome on its own.',
    table(
      ['scenario', 'events', 'p50, ms', 'p95, ms', 'min–max, ms', 'p50 of each run, ms', 'p50 within target'],
      rows,
    ),
    '### By outcome',
    'AWS calls are counted and timed by an SDK middleware (from serialisation to the parsed response); call times are summed, so calls made in parallel (the two `DescribeVpcAttribute` of the lockout check) can add up to more than the event.',
    table(
      [
        'scenario',
        'outcome',
        'events',
        'p50, ms',
        'p95, ms',
        'AWS calls per event',
        'AWS call time (p50), ms',
        'AWS call time / event time',
      ],
      outcomeRows,
    ),
    '### Per AWS call',
    table(['scenario', 'call', 'calls', 'p50, ms', 'p95, ms'], commandRows),
    `For scale: the cheapest call alone (\`DescribeCluster\`, sequential, same client, after the events) takes ${ms(floor.median)} ms (p95 ${ms(floor.p95)}) against the emulator.`,
    '### The audit query of the first-sighting and flip-flop checks',
    `After the events, for each of the clusters: the audit store's query (\`pk = :pk AND sk >= :since\`, newest first, 7-day window) sent as the store sends it, without \`Limit\` (the whole window of the cluster comes back and the first-sighting check keeps one record), and with \`Limit: 1\`. Then the same for one more cluster given ${HISTORY_RECORDS} copies of a real audit record, one per hour over the past week: what an hourly sweep leaves for a cluster that stays non-compliant (or exempt, or blocked), whose every check makes this query.`,
    table(
      ['scenario', 'records per cluster in the window', 'without Limit (as today), ms', 'with Limit 1, ms'],
      queryRows,
    ),
    '### Where the time goes, per event',
    'CPU time of the guard process (the SDK and the guard code) and of the emulator process (/proc) during the timed rounds, divided by the number of events.',
    table(['scenario', 'wall, ms', 'guard process CPU, ms', 'emulator CPU, ms', 'CPU / wall'], costRows),
  ].join('\n\n');
}
