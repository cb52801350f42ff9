import { runChild } from '../lib/child';
import { type Summary, summarize } from '../lib/stats';
import type { World } from '../lib/world';
import { lambdaEnv } from './lambda-env';

/** Fresh Node processes loading a bundle and handling events, timed by the probe (bench/child/cold-start.ts). */

interface ProbeResult {
  bootMs: number;
  loadMs: number;
  loadCpuMs: number;
  invokeMs?: number;
  invokeCpuMs?: number;
  outcome: string;
  secondMs?: number;
  secondOutcome?: string;
}

export interface Case {
  key: string;
  bundle: string;
  nodeOptions?: string;
  world?: World;
  /** As in Lambda with active tracing (LAMBDA_TRACING_ENV in lambda-env.ts): the tracer is loaded. */
  tracing?: boolean;
  /** The event files of run `run` (the second one is handled warm, by the same process). */
  events(run: number): string[];
  expect: string[];
}

export interface Measured {
  /** From process start to the probe's first line: Node's own start, not the bundle's. */
  boot: Summary;
  load: Summary;
  invoke: Summary;
  total: Summary;
  /** CPU time (all threads) of load + first invocation. */
  cpu: Summary;
  second: Summary;
  outcomes: Set<string>;
}

/**
 * Runs each case `runs` times, interleaved (case A, B, C, A, B, C, …) so that a busy moment on the
 * machine hits every case alike. One fresh process per run; every outcome is checked.
 */
export async function measure(probe: string, cases: Case[], runs: number, log: (text: string) => void) {
  const samples = new Map(cases.map((c) => [c.key, [] as ProbeResult[]]));
  for (let run = 0; run < runs; run++) {
    for (const c of cases) {
      const { result } = await runChild<ProbeResult>(probe, [c.bundle, ...c.events(run)], {
        env: lambdaEnv(c.nodeOptions, c.world, c.tracing),
        timeoutMs: 60_000,
      });
      const outcomes = [result.outcome, ...(result.secondOutcome ? [result.secondOutcome] : [])];
      if (c.expect.length > 0 && outcomes.join() !== c.expect.join()) {
        throw new Error(`${c.key}: the events ended ${outcomes.join(', ')}, expected ${c.expect.join(', ')}`);
      }
      samples.get(c.key)?.push(result);
    }
    if ((run + 1) % 5 === 0 || run + 1 === runs)
      log(`  ${run + 1}/${runs} rounds of ${cases.length} processes`);
  }
  const measured = new Map<string, Measured>();
  for (const [key, results] of samples) {
    measured.set(key, {
      boot: summarize(results.map((r) => r.bootMs)),
      load: summarize(results.map((r) => r.loadMs)),
      invoke: summarize(results.map((r) => r.invokeMs ?? 0)),
      total: summarize(results.map((r) => r.loadMs + (r.invokeMs ?? 0))),
      cpu: summarize(results.map((r) => r.loadCpuMs + (r.invokeCpuMs ?? 0))),
      second: summarize(results.map((r) => r.secondMs ?? Number.NaN).filter((v) => !Number.isNaN(v))),
      outcomes: new Set(results.map((r) => r.outcome)),
    });
  }
  return measured;
}
