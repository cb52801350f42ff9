import { ROOT, synthesiseFunction } from './bundle';
import { gatherEvidence, keepEvidence } from './evidence';
import { figuresOf, type StormRun } from './figures';
import type { InvariantResult } from './invariant-base';
import { checkInvariants } from './invariants';
import type { StormOptions } from './options';
import { stormPlan } from './plan';
import { peekQueue, waitForQuiet } from './quiet';
import { Random } from './random';
import { buildRig, type Rig } from './rig';

export type { StormRun } from './figures';

/**
 * One storm: the function as `cdk synth` builds it, in worker processes behind Lambda's delivery
 * semantics, the people's workload played against the emulator through the fault proxy while
 * workers are killed; then no more faults, a last sweep, the wait for quiet, and the invariants.
 */
export async function runStorm(options: StormOptions, log: (text: string) => void): Promise<StormRun> {
  const started = Date.now();
  const random = new Random(options.seed);
  const fn = synthesiseFunction();
  log(`synthesised the stack: the function's asset is ${fn.entry.slice(ROOT.length + 1)}`);
  const plan = stormPlan(options, fn.timeoutSeconds, random.fork('plan'));
  const rig = await buildRig(options, plan, fn, random, log);
  log(`${rig.clusters.length} clusters; ${rig.actions.length} actions over ${options.durationSeconds} s`);
  rig.queue.start();

  log(`storm: ${options.workers} workers, time factor ${plan.compression}, seed ${options.seed}`);
  const stormStart = Date.now();
  await playStorm(rig, options, random.fork('chaos'), log);
  const stormSeconds = (Date.now() - stormStart) / 1000;

  // The quiet: no more faults; one last sweep, as the schedule would run it; then wait.
  rig.proxy.setChaos(false);
  log(`storm over after ${stormSeconds.toFixed(0)} s; a last sweep, then waiting for quiet`);
  rig.sweep();
  const quietMs = await waitForQuiet(
    { sqs: rig.world.clients.sqs, queueUrl: rig.world.env.RECHECK_QUEUE_URL, busy: () => busyPart(rig) },
    plan.quietTimeoutMs,
    // Longer than any delay the guard asks for (the record of intent's), so a wait is never a stall.
    { stallMs: plan.quietStallMs, progress: () => rig.workers.invocations },
  ).catch(async (error: unknown) => {
    log(
      `still on the recheck queue: ${await peekQueue(rig.world.clients.sqs, rig.world.env.RECHECK_QUEUE_URL)}`,
    );
    log(`workers killed so far: ${JSON.stringify(Object.fromEntries(rig.workers.kills))}`);
    throw error;
  });
  await rig.queue.stop();
  await rig.workers.close();
  log(`quiet after ${(quietMs / 1000).toFixed(0)} s; checking the invariants`);

  const gathered = await gatherEvidence(rig);
  log(`the evidence is kept in ${keepEvidence(gathered, rig).slice(ROOT.length + 1)}`);
  const invariants = checkInvariants(gathered.evidence);
  await rig.proxy.close();
  await rig.moto.stop();
  const converged = invariants[0] as InvariantResult;
  return {
    options,
    plan,
    invariants,
    converged: { ok: converged.checked - converged.broken, of: converged.checked },
    figures: figuresOf(rig, gathered, {
      storm: stormSeconds,
      quiet: quietMs / 1000,
      total: (Date.now() - started) / 1000,
    }),
  };
}

/** The workload plays out while faults, duplicates and crashes hit the guard. */
async function playStorm(
  rig: Rig,
  options: StormOptions,
  chaos: Random,
  log: (text: string) => void,
): Promise<void> {
  rig.proxy.setChaos(true);
  rig.sweep();
  const played: Promise<unknown>[] = [];
  const timers = rig.actions.map((action) =>
    setTimeout(() => {
      if (action.kind === 'sweep') rig.sweep();
      else
        played.push(
          rig.people
            .play(action)
            .catch((error: unknown) => log(`a person's ${action.kind} failed: ${(error as Error).message}`)),
        );
    }, action.at),
  );
  const perSecond = rig.plan.randomKillsPerSecond;
  const killer = setInterval(() => {
    if (chaos.chance(perSecond)) rig.workers.killBusy((busy) => chaos.pick(busy), 'random');
  }, 1000);
  await new Promise((resolve) => setTimeout(resolve, options.durationSeconds * 1000));
  timers.forEach(clearTimeout);
  clearInterval(killer);
  await Promise.all(played);
}

/** What still keeps the storm from being quiet, or undefined. */
function busyPart(rig: Rig): string | undefined {
  if (rig.invoker.pending > 0) return `${rig.invoker.pending} asynchronous event(s) pending`;
  if (rig.queue.inFlight > 0) return `${rig.queue.inFlight} queue batch(es) in flight`;
  if (rig.workers.busy > 0) return `${rig.workers.busy} invocation(s) running`;
  if (rig.model.anyBusy(Date.now())) return 'an EKS update still running';
  return undefined;
}
