import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { environmentTable, table } from '../bench/lib/report';
import { ROOT } from './bundle';
import type { StormRun } from './figures';
import { lastLine } from './report';
import { SERVICE_ERRORS } from './wire';

export const STORM_DOC = join(ROOT, 'docs', 'STORM.md');
const BEGIN = '<!-- storm:figures:begin -->';
const END = '<!-- storm:figures:end -->';

const n = (value: number) => value.toLocaleString('en-US');
const pct = (share: number) => `${(share * 100).toFixed(share < 0.01 ? 1 : 0)} %`;

/** The section of docs/STORM.md a full run writes: what was run, what happened, each invariant with its count. */
export function figuresSection(run: StormRun, date: string): string {
  const { options: o, plan: p, figures: f } = run;
  const faultRows = Object.keys(SERVICE_ERRORS)
    .map((service) => [
      service,
      ...['throttle', 'server-error', 'reset', 'lost-response', 'timeout'].map((k) =>
        n(f.faults[`${service}:${k}`] ?? 0),
      ),
    ])
    .filter((row) => row.slice(1).some((cell) => cell !== '0'));
  const b = p.faults.base;
  return [
    '## The last full storm',
    '',
    environmentTable({ quick: o.quick, date }),
    '',
    `**Run.** \`npm run storm -- --clusters ${o.clusters} --events ${o.events} --seed ${o.seed} --duration ${o.durationSeconds} --workers ${o.workers}\`: ${n(o.clusters)} clusters, ${n(o.events)} people's actions (${Object.entries(
      f.actions,
    )
      .map(([kind, count]) => `${n(count)} ${kind}`)
      .join(
        ', ',
      )}) over ${o.durationSeconds} s, ${o.workers} worker processes, time factor ${p.compression}. The storm lasted ${f.stormSeconds.toFixed(0)} s, the wait for quiet ${f.quietSeconds.toFixed(0)} s, the whole run with the synthesis and the emulator ${f.totalSeconds.toFixed(0)} s.`,
    '',
    `**Faults planned.** Every request of a worker: throttled ${pct(b.throttle)}, HTTP 5xx ${pct(b.serverError)}, connection reset before the service ${pct(b.reset)}, response lost after the service acted ${pct(b.lostResponse)}, no answer for ${p.faults.timeoutMs[0] / 1000}–${p.faults.timeoutMs[1] / 1000} s then reset ${pct(b.timeout)}, ${p.faults.latencyMs[0]}–${p.faults.latencyMs[1]} ms extra latency ${pct(b.latency)}; ${p.faults.throttleStorms.length} throttling storm(s) of ${(p.faults.throttleStorms[0] ? p.faults.throttleStorms[0].to - p.faults.throttleStorms[0].from : 0) / 1000} s when every service throttles ${pct(p.faults.throttleStorms[0]?.share ?? 0)} of the calls. Workers killed right after ${Object.entries(
      p.crashes,
    )
      .map(([point, chance]) => `\`${point}\` took effect (${pct(chance)})`)
      .join(
        ', ',
      )}, and at random (${pct(p.randomKillsPerSecond)} a second). Events delivered twice: ${pct(p.duplicates)}, half of those at the same moment; each delivery held up to ${p.maxDeliveryDelayMs} ms. EKS updates run ${p.eks.updateMs[0] / 1000}–${p.eks.updateMs[1] / 1000} s, read back stale for ${p.eks.staleMs} ms, busy for ${p.eks.busyTailMs} ms more.`,
    '',
    '| what happened | count |',
    '| --- | --- |',
    `| events delivered to the function (CloudTrail ${n(f.cloudTrailEvents)}, schedule ${n(f.sweeps)}, recheck queue messages handled) | ${n(f.events)} |`,
    `| invocations (asynchronous copies, retries and queue batches) | ${n(f.invocations)} (${f.invocationsPerSecond.toFixed(1)} a second, held through the storm and the quiet) |`,
    `| decisions recorded | ${n(f.decisions)} (${f.decisionsPerSecond.toFixed(1)} a second) |`,
    `| asynchronous deliveries beyond the first (duplicates) / retries after a failed invocation | ${n(f.duplicateDeliveries)} / ${n(f.retries)} |`,
    `| faults injected (throttle, 5xx, reset, lost response, timeout) | ${n(f.faultCount)}: ${['throttle', 'server-error', 'reset', 'lost-response', 'timeout'].map((k) => `${n(f.faults[k] ?? 0)} ${k}`).join(', ')} |`,
    `| workers killed | ${n(f.crashCount)}: ${
      Object.entries(f.crashes)
        .map(([why, count]) => `${n(count)} ${why}`)
        .join(', ') || 'none'
    } (${n(f.coldStarts)} cold starts) |`,
    `| endpoint updates EKS accepted: the guard's / people's | ${n(f.guardUpdates)} / ${n(f.personUpdates)} |`,
    `| UpdateClusterConfig refused: ResourceInUseException / already at the target | ${n(f.resourceInUse)} / ${n(f.alreadyAtTarget)} |`,
    `| alerts a subscriber received | ${n(f.alerts)} |`,
    `| in the dead-letter queues: events / recheck messages | ${n(f.deadLettered.events)} / ${n(f.deadLettered.messages)} |`,
    '',
    'Faults by service (requests of the guard):',
    '',
    table(['service', 'throttle', '5xx', 'reset', 'lost response', 'timeout'], faultRows),
    '',
    "What a throttled call gets back (wire.ts; the SDK reads each as its service's own throttling error, as the unit tests prove with every client this project has):",
    '',
    table(
      ['service', 'protocol', 'HTTP status', 'error'],
      Object.entries(SERVICE_ERRORS).map(([service, e]) => [
        service,
        e.protocol,
        String(e.throttle.status),
        `\`${e.throttle.code}\``,
      ]),
    ),
    '',
    '| invariant | held | broken |',
    '| --- | --- | --- |',
    ...run.invariants.map(
      (inv) =>
        `| ${inv.name}${inv.note ? ` (${inv.note})` : ''} | ${n(inv.checked - inv.broken)} of ${n(inv.checked)} | ${n(inv.broken)} |`,
    ),
    '',
    `\`${lastLine(run)}\``,
  ].join('\n');
}

/** Replaces the figures section of docs/STORM.md (the rest of the page is written by people). */
export function writeStormDoc(
  run: StormRun,
  date = new Date().toISOString().slice(0, 10),
  file = STORM_DOC,
): void {
  const doc = readFileSync(file, 'utf8');
  const start = doc.indexOf(BEGIN);
  const stop = doc.indexOf(END);
  if (start < 0 || stop < start) throw new Error(`${file} has no ${BEGIN} … ${END} section`);
  const next = `${doc.slice(0, start)}${BEGIN}\n${figuresSection(run, date)}\n${END}${doc.slice(stop + END.length)}`;
  writeFileSync(file, next);
}
