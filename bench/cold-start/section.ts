import { type BenchContext, environmentTable, publish, table } from '../lib/report';
import { kb, ms, msRange } from '../lib/stats';
import type { Attributed } from './attribution';
import { packageTable, topInputs } from './bundle-contents';
import type { Built, StackBundling } from './bundling';
import type { Initialisation } from './initialisation';
import { INIT_TARGET_MS, MAPS, SIZE_TARGET_BYTES } from './settings';
import type { WhatIfResults } from './what-if';

/** Everything the cold-start section reports; the full-run parts are empty in a quick run. */
export interface ColdStartResults extends Omit<Initialisation, 'measured'> {
  stack: StackBundling;
  runs: number;
  deployed: Built;
  other: Built;
  synthCheck: string;
  whatIf: WhatIfResults;
  attribution: Attributed[];
}

/** Writes the cold-start section of docs/BENCHMARKS.md: method, tables, and how to read them. */
export function writeSection(ctx: BenchContext, results: ColdStartResults): void {
  const { stack, runs, deployed, other, synthCheck, bootTime, tracingCost, tracingCpu } = results;
  const { initRows, realRows, attribution } = results;
  const { rows: whatIfRows, noEffect } = results.whatIf;
  const built = [deployed, other];
  const sizeRows = built.map((b) => [
    b.variant.label,
    kb(b.bytes),
    kb(b.gzipBytes),
    kb(b.mapBytes),
    kb(b.mapGzipBytes),
    b.bytes <= SIZE_TARGET_BYTES
      ? `yes, ${kb(SIZE_TARGET_BYTES - b.bytes)} to spare`
      : `no, +${kb(b.bytes - SIZE_TARGET_BYTES)} (${(b.bytes / SIZE_TARGET_BYTES).toFixed(1)}×)`,
  ]);
  const sections: string[] = [
    '## Cold start',
    environmentTable(ctx.run, { Runtime: `${stack.runtime} (esbuild target ${stack.target})` }),
    `**Method.** The handler (\`functions/remediator/handler.ts\`) is bundled with esbuild using the options the stack's NodejsFunction passes: platform node, target ${stack.target} (from \`REMEDIATOR_RUNTIME\`), CJS, minify, linked source map ${stack.sourcesInMap ? 'with' : 'without'} a copy of the sources, and \`${stack.sdkExternals.join('`, `')}\` external when the SDK is not bundled (the \`sdkV3ExcludeSmithyPackages\` flag in cdk.json). \`BUNDLE_AWS_SDK\` is \`${stack.bundleAwsSdk}\` in the stack; both ways are measured. Bundle check: ${synthCheck}. Each initialisation figure is the median (min–max) of ${runs} fresh Node processes per case, the cases interleaved. In each process *load* is the \`require\` of the bundle (all module-level code) and *first invocation* one call of the handler with \`events/update-config-failed.json\` (a failed CloudTrail call → \`ignored\`, no AWS call; every run checked the outcome), with the stack's environment variables and AWS pointed at a closed loopback port. The runtime-SDK variant resolves \`@aws-sdk/*\` and \`@smithy/*\` from node_modules, as Lambda resolves them from the runtime's copy. *CPU time* (load + first invocation, all threads) is less disturbed by other work on the machine than wall time. Not included: the Lambda runtime's own start and the download of the code (Node alone takes ${bootTime} ms to start here); Node here is ${process.version}, not the ${stack.runtime} runtime; outside Lambda the tracer is not loaded (see the last row of the initialisation table for Lambda with active tracing).`,
    '### Bundle size (target: index.js ≤ 250 kB minified)',
    table(['variant', 'index.js', 'gzip', 'index.js.map', 'map gzip', 'within target'], sizeRows),
    `### Initialisation with a no-op event (target: ≤ ${INIT_TARGET_MS} ms, load + first invocation)`,
    `The Powertools Tracer and the X-Ray SDK it carries are loaded only where tracing is active (Powertools' own rule: \`AWS_EXECUTION_ENV\` set, not SAM local, \`POWERTOOLS_TRACE_ENABLED\` not \`false\`), with a \`require\` inside a function that esbuild bundles inline but Node evaluates only when called: the rows above the last are the function outside Lambda, where the tracer would be a no-op. The last row sets what Lambda sets for a function with active tracing, as the stack deploys it (\`AWS_EXECUTION_ENV\`, a sampled \`_X_AMZN_TRACE_ID\`, the X-Ray daemon on a loopback port that discards): tracing then adds ${ms(tracingCost)} ms to load + first invocation (${ms(tracingCpu)} ms of CPU time): loading the tracer and the X-Ray SDK, and tracing the first invocation. If that row misses the target, tracing is why: it is what tracing costs where it is used (an X-Ray subsegment for every AWS call, the handler's cold-start and service annotations, errors on the trace); a deployment that does not want it sets \`POWERTOOLS_TRACE_ENABLED=false\` and keeps Lambda's own invocation segment.`,
    table(
      [
        'variant',
        'NODE_OPTIONS',
        'load (require), ms',
        'first invocation, ms',
        'load + first, ms',
        'CPU time, ms',
        'within target',
      ],
      initRows,
    ),
    '### First real event after a cold start',
    `The SDK clients are loaded when first used, so their cost moves from initialisation to the first event that needs them. Same processes and environment (\`${MAPS}\`), AWS pointed at the emulator (policy \`disabled\`/\`required\`, enforce; the VPC has DNS hostnames on); every run has its own fresh clusters. Each process loads the bundle, handles one \`UpdateClusterConfig\` event, then a second one of the same kind for another cluster (*warm*). *One-time cost* is first minus warm: loading the SDK clients, first connections, JIT. A compliant check makes 2 AWS calls (\`DescribeCluster\`, the audit \`PutItem\`) plus the policy read on the first; a remediation 8 (adding the audit \`Query\`, \`DescribeSubnets\` and two \`DescribeVpcAttribute\` for the lockout check, \`UpdateClusterConfig\`, \`Publish\`). ${runs} runs${ctx.quick ? ', deployed variant only (quick run)' : ''}.`,
    table(
      [
        'variant',
        'event',
        'load, ms',
        'first event, ms',
        'warm event, ms',
        'one-time cost, ms',
        'load + first event, ms',
      ],
      realRows,
    ),
    `### What the deployed bundle is made of (${deployed.variant.label})`,
    'Top 10 inputs by bytes in the minified output (esbuild metafile):',
    table(
      ['#', 'input', 'bytes in output', 'share'],
      topInputs(deployed, 10).map((input, index) => [
        String(index + 1),
        `\`${input.path}\``,
        kb(input.bytes),
        `${((input.bytes / deployed.bytes) * 100).toFixed(1)} %`,
      ]),
    ),
    'By package, with the import chain that first pulls each one in:',
    packageTable(deployed, 12),
    `The other way (${other.variant.label}), by package:`,
    packageTable(other, 10),
  ];
  if (whatIfRows.length > 0) {
    sections.push(
      '### What-if bundles (measured, not applied)',
      `The stack's options with one change each, made at bundle time by the benchmark (an esbuild plugin rewrites an import or stubs a module); production code is unchanged. No-op event, \`${MAPS}\`, ${Math.max(10, runs / 2)} fresh processes each; every variant still ends the event \`ignored\`.${noEffect.length > 0 ? ` Already in the code (the change builds the same bytes): ${noEffect.join('; ')}.` : ''}`,
      table(
        [
          'variant',
          'change',
          'index.js',
          'gzip',
          'index.js.map',
          'load, ms',
          'load + first, ms',
          'CPU time, ms',
        ],
        whatIfRows,
      ),
    );
  }
  if (attribution.length > 0) {
    sections.push(
      '### Load time by dependency',
      `Each dependency bundled alone with the same options (no source map) and loaded by ${attribution[0]?.load.n} fresh processes: what loading it costs wherever it happens (at initialisation, or on first use for the SDK clients). The rows overlap (every SDK client row includes the shared SDK core), so they do not add up.`,
      table(
        ['module', 'index.js', 'load (require), ms', 'CPU time, ms'],
        attribution.map((a) => [a.label, kb(a.bytes), msRange(a.load), ms(a.cpu.median)]),
      ),
    );
  }
  publish(ctx, 'cold-start', sections.join('\n\n'));
}
