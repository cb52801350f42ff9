import type { Plugin } from 'esbuild';
import { kb, ms, msRange } from '../lib/stats';
import { type Built, buildVariant, type StackBundling } from './bundling';
import { type Measured, measure } from './measure';
import { MAPS, NO_OP_EVENT } from './settings';
import { noRareClientsPlugin, noTracerPlugin, zodNamespacePlugin } from './what-if-plugins';

/** What-if bundles (full run): the stack's options with one change each, built, measured and tabled. */

interface WhatIf {
  key: string;
  label: string;
  change: string;
  /** Applied to the deployed configuration, or to the SDK-bundled one. */
  base: 'deployed' | 'sdk-bundled';
  plugins?: Plugin[];
  mainFields?: string[];
  sourcesContent?: boolean;
}

const WHAT_IF: WhatIf[] = [
  {
    key: 'no-tracer',
    label: 'no Powertools Tracer',
    change: 'Tracer and its middleware removed (no X-Ray subsegments; Lambda still traces the invocation)',
    base: 'deployed',
    plugins: [noTracerPlugin],
  },
  {
    key: 'sources-content',
    label: 'source map with sources',
    change: 'bundling `sourcesContent: true` (a copy of every source in the map, the esbuild default)',
    base: 'deployed',
    sourcesContent: true,
  },
  {
    key: 'zod-namespace',
    label: 'zod namespace import',
    change: "`import * as z from 'zod'` instead of `import { z } from 'zod'`",
    base: 'deployed',
    plugins: [zodNamespacePlugin],
  },
  {
    key: 'esm-sdk',
    label: 'SDK bundled from its ES modules',
    change:
      "`bundleAwsSDK: true` with `mainFields: ['module', 'main']` (esbuild can then tree-shake the clients)",
    base: 'sdk-bundled',
    mainFields: ['module', 'main'],
  },
  {
    key: 'esm-sdk-no-tracer',
    label: 'SDK bundled from ES modules, no tracer',
    change: 'the row above, and no Powertools Tracer',
    base: 'sdk-bundled',
    mainFields: ['module', 'main'],
    plugins: [noTracerPlugin],
  },
  {
    key: 'sdk-no-rare-clients',
    label: 'SDK bundled, without EC2/SNS/SQS',
    change:
      '`bundleAwsSDK: true`, EC2, SNS and SQS left out (the most loading them from a separate file could save)',
    base: 'sdk-bundled',
    plugins: [noRareClientsPlugin],
  },
];

export interface WhatIfResults {
  rows: string[][];
  /** What-ifs that build the same bytes as their reference: the code already has the change. */
  noEffect: string[];
}

/**
 * Builds each what-if from the deployed variant (or the SDK-bundled one), measures those that differ
 * from it with the no-op event, and tables them under their reference rows from `measured`.
 */
export async function measureWhatIf(
  stack: StackBundling,
  probe: string,
  deployed: Built,
  built: Built[],
  measured: Map<string, Measured>,
  runs: number,
  log: (text: string) => void,
): Promise<WhatIfResults> {
  const deployedVariant = deployed.variant;
  const noEffect: string[] = [];
  const whatIf: Built[] = [];
  for (const w of WHAT_IF) {
    const base = w.base === 'deployed' ? deployedVariant : { ...deployedVariant, sdkExternal: false };
    const b = await buildVariant(stack, {
      key: `what-if-${w.key}`,
      label: w.label,
      change: w.change,
      sdkExternal: base.sdkExternal,
      plugins: w.plugins ?? [],
      ...(w.mainFields ? { mainFields: w.mainFields } : {}),
      ...(w.sourcesContent === false ? { sourcesContent: false } : {}),
    });
    const reference = w.base === 'deployed' ? deployed : built.find((x) => !x.variant.sdkExternal);
    // A change the code already has builds the same bytes: listed, not measured.
    if (reference && b.sha256 === reference.sha256 && b.mapBytes === reference.mapBytes)
      noEffect.push(`${w.label} (${w.change})`);
    else whatIf.push(b);
  }
  const whatIfMeasured = await measure(
    probe,
    whatIf.map((b) => ({
      key: b.variant.key,
      bundle: b.file,
      nodeOptions: MAPS,
      events: () => [NO_OP_EVENT],
      expect: ['ignored'],
    })),
    Math.max(10, runs / 2),
    log,
  );
  const sdkBundled = built.find((x) => !x.variant.sdkExternal) as Built;
  const referenceRow = (b: Built, note: string) => {
    const m = measured.get(`${b.variant.key}+maps`) as Measured;
    return [
      b.variant.label,
      note,
      kb(b.bytes),
      kb(b.gzipBytes),
      kb(b.mapBytes),
      msRange(m.load),
      ms(m.total.median),
      ms(m.cpu.median),
    ];
  };
  const whatIfRows = [
    referenceRow(deployed, 'none: the stack as it is (from the tables above)'),
    ...whatIf
      .filter((b) => WHAT_IF.find((w) => `what-if-${w.key}` === b.variant.key)?.base === 'deployed')
      .map((b) => whatIfRow(b, whatIfMeasured)),
    ...(sdkBundled === deployed
      ? []
      : [referenceRow(sdkBundled, '`bundleAwsSDK: true` (from the tables above)')]),
    ...whatIf
      .filter((b) => WHAT_IF.find((w) => `what-if-${w.key}` === b.variant.key)?.base === 'sdk-bundled')
      .map((b) => whatIfRow(b, whatIfMeasured)),
  ];
  return { rows: whatIfRows, noEffect };
}

function whatIfRow(b: Built, measured: Map<string, Measured>): string[] {
  const m = measured.get(b.variant.key) as Measured;
  return [
    b.variant.label,
    b.variant.change ?? '',
    kb(b.bytes),
    kb(b.gzipBytes),
    kb(b.mapBytes),
    msRange(m.load),
    ms(m.total.median),
    ms(m.cpu.median),
  ];
}
