import type { BenchContext } from '../lib/report';
import { ms, msRange } from '../lib/stats';
import type { Built } from './bundling';
import { type Case, type Measured, measure } from './measure';
import { type RealEvents, realEvents } from './real-events';
import { INIT_TARGET_MS, MAPS, NO_OP_EVENT } from './settings';

/**
 * Initialisation and first real events, measured in one interleaved set of fresh processes: Node
 * alone, each bundle with a no-op event (with and without the source-map flag, traced as in Lambda),
 * and the deployed bundle (both in a full run) with real events against the emulator.
 */

export interface Initialisation {
  /** By case key, for the what-if reference rows. */
  measured: Map<string, Measured>;
  /** Node's own start, no bundle loaded. */
  bootTime: string;
  /** What active tracing adds to load + first invocation of the deployed bundle, wall and CPU time. */
  tracingCost: number;
  tracingCpu: number;
  initRows: string[][];
  realRows: string[][];
}

export async function measureInitialisation(
  ctx: BenchContext,
  probe: string,
  built: Built[],
  deployed: Built,
  endpoint: string,
  runs: number,
): Promise<Initialisation> {
  // A quick run measures real events on the deployed bundle only.
  const realVariants = ctx.quick ? [deployed] : built;
  const real = await realEvents(endpoint, runs, realVariants.length);
  ctx.log(`initialisation: ${runs} fresh processes per case`);
  const measured = await measure(probe, cases(ctx.quick, built, deployed, realVariants, real), runs, ctx.log);
  const untraced = measured.get(`${deployed.variant.key}+maps`) as Measured;
  const traced = measured.get(`${deployed.variant.key}+maps+tracing`) as Measured;
  return {
    measured,
    bootTime: msRange((measured.get('baseline') as Measured).boot),
    tracingCost: traced.total.median - untraced.total.median,
    tracingCpu: traced.cpu.median - untraced.cpu.median,
    initRows: initRows(ctx.quick, built, deployed, measured),
    realRows: realRows(realVariants, measured),
  };
}

/** The cases in the order they run in each round. */
function cases(
  quick: boolean,
  built: Built[],
  deployed: Built,
  realVariants: Built[],
  real: RealEvents,
): Case[] {
  return [
    { key: 'baseline', bundle: '-', events: () => [NO_OP_EVENT], expect: [] },
    ...built.flatMap((b) => [
      {
        key: `${b.variant.key}+maps`,
        bundle: b.file,
        nodeOptions: MAPS,
        events: () => [NO_OP_EVENT],
        expect: ['ignored'],
      },
      // Without the flag the stack sets: a full run only (keeps the quick run short).
      ...(quick
        ? []
        : [{ key: b.variant.key, bundle: b.file, events: () => [NO_OP_EVENT], expect: ['ignored'] }]),
    ]),
    {
      key: `${deployed.variant.key}+maps+tracing`,
      bundle: deployed.file,
      nodeOptions: MAPS,
      tracing: true,
      events: () => [NO_OP_EVENT],
      expect: ['ignored'],
    },
    ...realVariants.flatMap((b) => [
      {
        key: `${b.variant.key}+check`,
        bundle: b.file,
        nodeOptions: MAPS,
        world: real.world,
        events: real.check,
        expect: ['compliant', 'compliant'],
      },
      {
        key: `${b.variant.key}+remediate`,
        bundle: b.file,
        nodeOptions: MAPS,
        world: real.world,
        events: real.remediate,
        expect: ['remediated', 'remediated'],
      },
    ]),
  ];
}

/** One row per bundle and NODE_OPTIONS, then the deployed bundle traced as in Lambda. */
function initRows(
  quick: boolean,
  built: Built[],
  deployed: Built,
  measured: Map<string, Measured>,
): string[][] {
  return [
    ...built.flatMap((b) => (quick ? [true] : [true, false]).map((maps) => ({ b, maps, tracing: false }))),
    { b: deployed, maps: true, tracing: true },
  ].map(({ b, maps, tracing }) => {
    const m = measured.get(
      tracing ? `${b.variant.key}+maps+tracing` : maps ? `${b.variant.key}+maps` : b.variant.key,
    ) as Measured;
    return [
      tracing ? `${b.variant.label}, tracing active as in Lambda` : b.variant.label,
      maps ? `\`${MAPS}\` (as the stack sets)` : 'none',
      msRange(m.load),
      msRange(m.invoke),
      `${ms(m.total.median)} (p95 ${ms(m.total.p95)})`,
      ms(m.cpu.median),
      m.total.median <= INIT_TARGET_MS
        ? `yes, ${ms(INIT_TARGET_MS - m.total.median)} ms to spare`
        : `no, +${ms(m.total.median - INIT_TARGET_MS)} ms (${(m.total.median / INIT_TARGET_MS).toFixed(1)}×)`,
    ];
  });
}

/** Per real-events variant: a compliant check and a remediation, first and warm. */
function realRows(realVariants: Built[], measured: Map<string, Measured>): string[][] {
  return realVariants.flatMap((b) =>
    (['check', 'remediate'] as const).map((kind) => {
      const m = measured.get(`${b.variant.key}+${kind}`) as Measured;
      return [
        b.variant.label,
        kind === 'check' ? 'compliant cluster → `compliant`' : 'open cluster → `remediated`',
        msRange(m.load),
        msRange(m.invoke),
        msRange(m.second),
        ms(m.invoke.median - m.second.median),
        ms(m.load.median + m.invoke.median),
      ];
    }),
  );
}
