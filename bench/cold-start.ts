import { attribute } from './cold-start/attribution';
import { buildBothWays, stackBundling } from './cold-start/bundling';
import { type Initialisation, measureInitialisation } from './cold-start/initialisation';
import { type ColdStartResults, writeSection } from './cold-start/section';
import { compareWithSynth } from './cold-start/synth-check';
import { measureWhatIf } from './cold-start/what-if';
import { bundleChild } from './lib/child';
import { startMoto } from './lib/moto';
import type { BenchContext } from './lib/report';

/**
 * Cold start of the remediator Lambda: its bundle built exactly as the stack's NodejsFunction
 * builds it (compared with `cdk synth` in a full run), its size, what it is made of, and the time a
 * fresh Node process takes to load it and handle a first event: one that needs no AWS call, and
 * real ones against the emulator (the SDK clients are loaded on first use). Its phases are in
 * cold-start/: bundling, measuring, the full run's extras, and writing the section.
 */

type FullRunOnly = Pick<ColdStartResults, 'synthCheck' | 'whatIf' | 'attribution'>;

const QUICK_RUN: FullRunOnly = {
  synthCheck: 'not compared in a quick run',
  whatIf: { rows: [], noEffect: [] },
  attribution: [],
};

export async function coldStart(ctx: BenchContext): Promise<void> {
  const runs = ctx.quick ? 10 : 20;
  const stack = await stackBundling();
  ctx.log(`runtime ${stack.runtime} → esbuild target ${stack.target}; BUNDLE_AWS_SDK=${stack.bundleAwsSdk}`);
  const probe = bundleChild('cold-start');
  const { deployed, other } = await buildBothWays(stack);
  const built = [deployed, other];

  const moto = await startMoto({ fastCreateCluster: true });
  let initialisation: Initialisation;
  let fullRun = QUICK_RUN;
  try {
    initialisation = await measureInitialisation(ctx, probe, built, deployed, moto.endpoint, runs);
    if (!ctx.quick) {
      const synthCheck = compareWithSynth(deployed, ctx.log);
      ctx.log(`  ${synthCheck}`);
      ctx.log('what-if variants');
      const whatIf = await measureWhatIf(
        stack,
        probe,
        deployed,
        built,
        initialisation.measured,
        runs,
        ctx.log,
      );
      ctx.log('attribution: each dependency bundled alone');
      const attribution = await attribute(stack, probe, Math.max(10, runs / 2), ctx.log);
      fullRun = { synthCheck, whatIf, attribution };
    }
  } finally {
    await moto.stop();
  }
  writeSection(ctx, { stack, runs, deployed, other, ...initialisation, ...fullRun });
}
