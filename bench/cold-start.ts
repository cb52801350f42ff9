import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { retarget } from '../functions/cli/sandbox';
import { bundleChild, runChild } from './lib/child';
import { awsEnv, EMULATOR_ACCOUNT, NOWHERE, REGION, ROOT, tmpDir } from './lib/env';
import { startMoto } from './lib/moto';
import { type BenchContext, environmentTable, publish, table } from './lib/report';
import { kb, ms, msRange, type Summary, summarize } from './lib/stats';
import {
  COMPLIANT,
  clusterNames,
  createClusters,
  createWorld,
  OPEN_TO_THE_WORLD,
  POLICY_ENFORCE,
  type World,
} from './lib/world';

/**
 * Cold start of the remediator Lambda: its bundle built exactly as the stack's NodejsFunction
 * builds it (compared with `cdk synth` in a full run), its size, what it is made of, and the time a
 * fresh Node process takes to load it and handle a first event: one that needs no AWS call, and
 * real ones against the emulator (the SDK clients are loaded on first use).
 */

const ENTRY = join(ROOT, 'functions', 'remediator', 'handler.ts');
const NO_OP_EVENT = join(ROOT, 'events', 'update-config-failed.json');
const CHANGE_EVENT = join(ROOT, 'events', 'update-config-open-world.json');
const INIT_TARGET_MS = 30;
const SIZE_TARGET_BYTES = 250_000;
const MAPS = '--enable-source-maps';

interface StackBundling {
  runtime: string;
  target: string;
  bundleAwsSdk: boolean;
  /** Whether the source map carries a copy of the sources (`sourcesContent`). */
  sourcesInMap: boolean;
  /** What NodejsFunction leaves out when the SDK is not bundled (depends on a cdk.json feature flag). */
  sdkExternals: string[];
}

/** Reads the runtime and the SDK choice from the stack itself, and the SDK externals flag from cdk.json. */
async function stackBundling(): Promise<StackBundling> {
  const stack = await import('../infra/stack');
  const runtime = stack.REMEDIATOR_RUNTIME.name;
  const version = /nodejs(\d+)/.exec(runtime)?.[1];
  if (!version) throw new Error(`cannot derive an esbuild target from runtime ${runtime}`);
  const context = JSON.parse(readFileSync(join(ROOT, 'cdk.json'), 'utf8')).context ?? {};
  const excludeSmithy = context['@aws-cdk/aws-lambda-nodejs:sdkV3ExcludeSmithyPackages'] === true;
  return {
    runtime,
    target: `node${version}`,
    bundleAwsSdk: stack.BUNDLE_AWS_SDK,
    sourcesInMap: stack.SOURCES_IN_MAP,
    sdkExternals: excludeSmithy ? ['@aws-sdk/*', '@smithy/*'] : ['@aws-sdk/*'],
  };
}

interface Variant {
  key: string;
  label: string;
  /** What differs from the stack's options (what-if variants only). */
  change?: string;
  sdkExternal: boolean;
  plugins?: Plugin[];
  mainFields?: string[];
  /** NodejsFunction's `sourcesContent` (default true: the sources are copied into the map). */
  sourcesContent?: boolean;
}

interface Built {
  variant: Variant;
  file: string;
  bytes: number;
  gzipBytes: number;
  mapBytes: number;
  mapGzipBytes: number;
  metafile: Metafile;
  sha256: string;
}

/** The options NodejsFunction passes to esbuild (`--bundle --target --platform=node --format=cjs --minify --sourcemap --external:…`). */
function stackOptions(stack: StackBundling, variant: Variant, outfile: string): BuildOptions {
  return {
    entryPoints: [ENTRY],
    bundle: true,
    target: stack.target,
    platform: 'node',
    format: 'cjs',
    outfile,
    minify: true,
    sourcemap: true,
    external: variant.sdkExternal ? stack.sdkExternals : [],
    absWorkingDir: ROOT,
    metafile: true,
    logLevel: 'error',
    ...(variant.mainFields ? { mainFields: variant.mainFields } : {}),
    sourcesContent: variant.sourcesContent ?? stack.sourcesInMap,
    ...(variant.plugins ? { plugins: variant.plugins } : {}),
  };
}

async function buildVariant(stack: StackBundling, variant: Variant): Promise<Built> {
  // Under the repository root, so that an external @aws-sdk resolves from node_modules.
  const file = join(tmpDir('cold-start', variant.key), 'index.js');
  const result = await build(stackOptions(stack, variant, file));
  if (!result.metafile) throw new Error('esbuild returned no metafile');
  const code = readFileSync(file);
  const map = readFileSync(`${file}.map`);
  return {
    variant,
    file,
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    mapBytes: map.length,
    mapGzipBytes: gzipSync(map).length,
    metafile: result.metafile,
    sha256: createHash('sha256').update(code).digest('hex'),
  };
}

// ---- What-if variants: the stack's options with one change, made at bundle time. ----

/** `import * as z from 'zod'` instead of `import { z } from 'zod'` (lets esbuild drop the unused parts). */
const zodNamespacePlugin: Plugin = {
  name: 'what-if-zod-namespace',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]functions[\\/].*\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      return {
        contents: source.replace(/import \{ z \} from 'zod';/g, "import * as z from 'zod';"),
        loader: 'ts',
      };
    });
  },
};

/** No X-Ray tracing: Powertools Tracer and its middleware replaced by no-ops. */
const noTracerPlugin: Plugin = {
  name: 'what-if-no-tracer',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@aws-lambda-powertools\/tracer(\/middleware)?$/ }, (args) => ({
      path: args.path,
      namespace: 'no-tracer',
    }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'no-tracer' }, () => ({
      contents: [
        'export class Tracer { captureAWSv3Client(client) { return client; } }',
        'export const captureLambdaHandler = () => ({ before: () => undefined });',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

/** Exports each stubbed SDK package must provide (what functions/ imports from it). */
const DEFERRABLE_CLIENTS: Record<string, string[]> = {
  '@aws-sdk/client-ec2': ['EC2Client', 'DescribeSubnetsCommand', 'DescribeVpcAttributeCommand'],
  '@aws-sdk/client-sns': ['SNSClient', 'PublishCommand'],
  '@aws-sdk/client-sqs': ['SQSClient', 'SendMessageCommand'],
};

/** EC2, SNS and SQS left out of the bundle (inert classes): the most a separate lazy chunk could save. */
const noRareClientsPlugin: Plugin = {
  name: 'what-if-no-rare-clients',
  setup(pluginBuild) {
    const names = Object.keys(DEFERRABLE_CLIENTS).map((n) => n.replace(/[/-]/g, '\\$&'));
    pluginBuild.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({
      path: args.path,
      namespace: 'no-rare-clients',
    }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'no-rare-clients' }, (args) => ({
      contents: [
        'class Inert { constructor(input) { this.input = input; this.middlewareStack = { add() {}, use() {} }; }',
        "  send() { return Promise.reject(new Error('not in this what-if bundle')); } destroy() {} }",
        ...(DEFERRABLE_CLIENTS[args.path] ?? []).map((name) => `export class ${name} extends Inert {}`),
      ].join('\n'),
      loader: 'js',
    }));
  },
};

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

// ---- Measurement ----

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

/**
 * What Lambda adds for a function with active tracing (the stack's `Tracing.ACTIVE`): the execution
 * environment, a sampled trace header and the X-Ray daemon, here a loopback port that discards.
 */
const LAMBDA_TRACING_ENV = {
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
  AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:9',
  AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
  _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=557abcec3ee5a047;Sampled=1',
};

/** The function's environment as the stack sets it, with AWS pointed at the emulator or a dead loopback port. */
function lambdaEnv(nodeOptions: string | undefined, world?: World, tracing = false): NodeJS.ProcessEnv {
  const base = awsEnv(world?.endpoint ?? NOWHERE);
  const env: NodeJS.ProcessEnv = {
    PATH: base.PATH,
    HOME: base.HOME,
    ...Object.fromEntries(Object.entries(base).filter(([name]) => name.startsWith('AWS_'))),
    AWS_REGION: REGION,
    POLICY_PARAMETER_NAME: '/eks-endpoint-guard/policy',
    TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:eks-endpoint-guard-alerts',
    RECHECK_QUEUE_URL: 'http://127.0.0.1:9/123456789012/eks-endpoint-guard-recheck',
    AUDIT_TABLE_NAME: 'eks-endpoint-guard-audit',
    ...(world ? world.env : {}),
    GUARD_ROLE_ARN: 'arn:aws:iam::123456789012:role/eks-endpoint-guard-remediator',
    POLICY_CACHE_SECONDS: '60',
    RECHECK_DEADLINE_MINUTES: '120',
    FLIP_FLOP_THRESHOLD: '3',
    FLIP_FLOP_WINDOW_MINUTES: '60',
    AUDIT_RETENTION_DAYS: '0',
    SWEEP_CONCURRENCY: '8',
    POWERTOOLS_SERVICE_NAME: 'eks-endpoint-guard',
    POWERTOOLS_METRICS_NAMESPACE: 'EksEndpointGuard',
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
  if (nodeOptions) env.NODE_OPTIONS = nodeOptions;
  return tracing ? { ...env, ...LAMBDA_TRACING_ENV } : env;
}

interface Case {
  key: string;
  bundle: string;
  nodeOptions?: string;
  world?: World;
  /** As in Lambda with active tracing (LAMBDA_TRACING_ENV): the tracer is loaded. */
  tracing?: boolean;
  /** The event files of run `run` (the second one is handled warm, by the same process). */
  events(run: number): string[];
  expect: string[];
}

interface Measured {
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
async function measure(probe: string, cases: Case[], runs: number, log: (text: string) => void) {
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

// ---- What the bundle is made of ----

function entryOutput(built: Built) {
  return Object.values(built.metafile.outputs).find((o) => o.entryPoint !== undefined);
}

/** Bytes in the output per input file, largest first. */
function topInputs(built: Built, count: number): { path: string; bytes: number }[] {
  return Object.entries(entryOutput(built)?.inputs ?? {})
    .map(([path, info]) => ({ path, bytes: info.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}

function packageOf(path: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path.slice(path.lastIndexOf('node_modules/')));
  return match?.[1] ?? (path.startsWith('functions/') ? 'functions/ (project code)' : path);
}

/** Output bytes per package, largest first, with the import chain that first pulls the package in. */
function topPackages(built: Built, count: number): { name: string; bytes: number; via: string }[] {
  const bytes = new Map<string, number>();
  for (const [path, info] of Object.entries(entryOutput(built)?.inputs ?? {})) {
    const name = packageOf(path);
    bytes.set(name, (bytes.get(name) ?? 0) + info.bytesInOutput);
  }
  // Breadth-first from the entry: the shortest import chain to each input.
  const entry = relative(ROOT, ENTRY);
  const parent = new Map<string, string | undefined>([[entry, undefined]]);
  const queue = [entry];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    for (const imported of built.metafile.inputs[current]?.imports ?? []) {
      if (imported.external || parent.has(imported.path)) continue;
      parent.set(imported.path, current);
      queue.push(imported.path);
    }
  }
  const via = (name: string): string => {
    const first = [...parent.keys()].find((path) => packageOf(path) === name);
    if (!first) return '';
    const chain: string[] = [];
    for (let at: string | undefined = first; at !== undefined; at = parent.get(at)) {
      const label = at.startsWith('functions/') ? at : packageOf(at);
      if (chain[0] !== label) chain.unshift(label);
    }
    return chain.join(' → ');
  };
  return [...bytes.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, size]) => ({ name, bytes: size, via: via(name) }));
}

function packageTable(built: Built, count: number): string {
  return table(
    ['package', 'bytes in output', 'share', 'pulled in by'],
    topPackages(built, count).map((p) => [
      `\`${p.name}\``,
      kb(p.bytes),
      `${((p.bytes / built.bytes) * 100).toFixed(1)} %`,
      p.via || '(the entry itself)',
    ]),
  );
}

/** Full run: `cdk synth` and compare the function asset with our bundle, byte for byte. */
function compareWithSynth(ours: Built, log: (text: string) => void): string {
  const outdir = tmpDir('cold-start', 'synth');
  rmSync(outdir, { recursive: true, force: true });
  log('  cdk synth (to compare the function asset with this bundle)…');
  const synth = spawnSync('npx', ['cdk', 'synth', '-q', '-o', outdir], {
    cwd: ROOT,
    env: awsEnv(NOWHERE),
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (synth.status !== 0) {
    return `could not compare: cdk synth failed (${synth.stderr.trim().split('\n').pop()})`;
  }
  const assets = readdirSync(outdir)
    .filter((name) => name.startsWith('asset.'))
    .map((name) => join(outdir, name, 'index.js'))
    .filter((file) => existsSync(file));
  const same = assets.some(
    (file) => createHash('sha256').update(readFileSync(file)).digest('hex') === ours.sha256,
  );
  const size = assets.map((file) => statSync(file).size).sort((a, b) => b - a)[0] ?? 0;
  rmSync(outdir, { recursive: true, force: true });
  return same
    ? `identical to the \`cdk synth\` asset (sha256 ${ours.sha256.slice(0, 12)}…)`
    : `differs from the \`cdk synth\` asset (largest asset ${kb(size)}): the options here no longer match the stack`;
}

// ---- First real events ----

interface RealEvents {
  world: World;
  /** Per run: two events for compliant clusters, two for clusters open to the world. */
  check(run: number): string[];
  remediate(run: number): string[];
}

/** Fresh clusters for every run, so that no run sees the audit history of another. */
async function realEvents(endpoint: string, runs: number, variants: number): Promise<RealEvents> {
  const world = await createWorld(endpoint, POLICY_ENFORCE);
  const count = runs * variants * 2;
  const compliant = clusterNames('cold-ok', 0, count);
  const open = clusterNames('cold-open', 0, count);
  await createClusters(world, [...compliant, ...open], (index) =>
    index < count ? COMPLIANT : OPEN_TO_THE_WORLD,
  );
  const template = JSON.parse(readFileSync(CHANGE_EVENT, 'utf8')) as unknown;
  const dir = tmpDir('cold-start', 'events');
  const used = new Map<string, number>();
  const eventFiles = (names: string[], key: string) => {
    const next = used.get(key) ?? 0;
    used.set(key, next + 2);
    return names.slice(next, next + 2).map((cluster) => {
      const file = join(dir, `${cluster}.json`);
      writeFileSync(
        file,
        JSON.stringify(retarget(template, { cluster, account: EMULATOR_ACCOUNT, region: REGION })),
      );
      return file;
    });
  };
  return {
    world,
    check: () => eventFiles(compliant, 'check'),
    remediate: () => eventFiles(open, 'remediate'),
  };
}

// ---- The benchmark ----

export async function coldStart(ctx: BenchContext): Promise<void> {
  const runs = ctx.quick ? 10 : 20;
  const stack = await stackBundling();
  ctx.log(`runtime ${stack.runtime} → esbuild target ${stack.target}; BUNDLE_AWS_SDK=${stack.bundleAwsSdk}`);
  const probe = bundleChild('cold-start');

  const deployedVariant: Variant = {
    key: stack.bundleAwsSdk ? 'sdk-bundled' : 'sdk-external',
    label: stack.bundleAwsSdk ? 'SDK bundled (as deployed)' : 'runtime SDK (as deployed)',
    sdkExternal: !stack.bundleAwsSdk,
  };
  const otherVariant: Variant = {
    key: stack.bundleAwsSdk ? 'sdk-external' : 'sdk-bundled',
    label: stack.bundleAwsSdk
      ? 'runtime SDK (`BUNDLE_AWS_SDK = false`)'
      : 'SDK bundled (`BUNDLE_AWS_SDK = true`)',
    sdkExternal: stack.bundleAwsSdk,
  };
  const deployed = await buildVariant(stack, deployedVariant);
  const other = await buildVariant(stack, otherVariant);
  const built = [deployed, other];

  const moto = await startMoto({ fastCreateCluster: true });
  let synthCheck = 'not compared in a quick run';
  let initRows: string[][] = [];
  let realRows: string[][] = [];
  let bootTime = 'n/a';
  let tracingCost = Number.NaN;
  let tracingCpu = Number.NaN;
  let whatIfRows: string[][] = [];
  const noEffect: string[] = [];
  let attribution: { label: string; bytes: number; load: Summary; cpu: Summary }[] = [];
  try {
    // A quick run measures real events on the deployed bundle only.
    const realVariants = ctx.quick ? [deployed] : built;
    const real = await realEvents(moto.endpoint, runs, realVariants.length);
    ctx.log(`initialisation: ${runs} fresh processes per case`);
    const cases: Case[] = [
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
        ...(ctx.quick
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
    const measured = await measure(probe, cases, runs, ctx.log);
    bootTime = msRange((measured.get('baseline') as Measured).boot);
    const untraced = measured.get(`${deployed.variant.key}+maps`) as Measured;
    const traced = measured.get(`${deployed.variant.key}+maps+tracing`) as Measured;
    tracingCost = traced.total.median - untraced.total.median;
    tracingCpu = traced.cpu.median - untraced.cpu.median;
    initRows = [
      ...built.flatMap((b) =>
        (ctx.quick ? [true] : [true, false]).map((maps) => ({ b, maps, tracing: false })),
      ),
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
    realRows = realVariants.flatMap((b) =>
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

    if (!ctx.quick) {
      synthCheck = compareWithSynth(deployed, ctx.log);
      ctx.log(`  ${synthCheck}`);
      ctx.log('what-if variants');
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
        ctx.log,
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
      whatIfRows = [
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
      ctx.log('attribution: each dependency bundled alone');
      attribution = await attribute(stack, probe, Math.max(10, runs / 2), ctx.log);
    }
  } finally {
    await moto.stop();
  }

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

/** One dependency alone, to attribute load time (shared SDK code is counted in each SDK row). */
const ATTRIBUTION: { label: string; source: string }[] = [
  {
    label: '@aws-sdk/client-ec2',
    source: "import { EC2Client } from '@aws-sdk/client-ec2'; new EC2Client({});",
  },
  {
    label: '@aws-sdk/client-ssm',
    source: "import { SSMClient } from '@aws-sdk/client-ssm'; new SSMClient({});",
  },
  {
    label: '@aws-sdk/client-eks',
    source: "import { EKSClient } from '@aws-sdk/client-eks'; new EKSClient({});",
  },
  {
    label: '@aws-sdk/client-dynamodb + lib-dynamodb',
    source:
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'; DynamoDBDocumentClient.from(new DynamoDBClient({}));",
  },
  {
    label: '@aws-sdk/client-sns',
    source: "import { SNSClient } from '@aws-sdk/client-sns'; new SNSClient({});",
  },
  {
    label: '@aws-sdk/client-sqs',
    source: "import { SQSClient } from '@aws-sdk/client-sqs'; new SQSClient({});",
  },
  {
    label: 'zod (classic), `import { z }`',
    source: "import { z } from 'zod'; z.object({ a: z.string().min(1) }).parse({ a: 'x' });",
  },
  {
    label: 'zod/mini',
    source:
      "import * as z from 'zod/mini'; z.object({ a: z.string().check(z.minLength(1)) }).parse({ a: 'x' });",
  },
  {
    label: 'Powertools Logger + middleware',
    source:
      "import { Logger } from '@aws-lambda-powertools/logger'; import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'; injectLambdaContext(new Logger());",
  },
  {
    label: 'Powertools Metrics + middleware',
    source:
      "import { Metrics } from '@aws-lambda-powertools/metrics'; import { logMetrics } from '@aws-lambda-powertools/metrics/middleware'; logMetrics(new Metrics({ namespace: 'x' }));",
  },
  {
    label: 'Powertools Tracer + middleware (X-Ray SDK)',
    source:
      "import { Tracer } from '@aws-lambda-powertools/tracer'; import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware'; captureLambdaHandler(new Tracer());",
  },
  { label: '@middy/core', source: "import middy from '@middy/core'; middy(() => undefined);" },
];

async function attribute(
  stack: StackBundling,
  probe: string,
  runs: number,
  log: (text: string) => void,
): Promise<{ label: string; bytes: number; load: Summary; cpu: Summary }[]> {
  const bundles: { label: string; file: string; bytes: number }[] = [];
  for (const [index, item] of ATTRIBUTION.entries()) {
    const file = join(tmpDir('cold-start', 'attribution'), `${index}.js`);
    await build({
      stdin: { contents: item.source, resolveDir: ROOT, loader: 'ts', sourcefile: `attribution-${index}.ts` },
      bundle: true,
      target: stack.target,
      platform: 'node',
      format: 'cjs',
      outfile: file,
      minify: true,
      absWorkingDir: ROOT,
      logLevel: 'error',
    });
    bundles.push({ label: item.label, file, bytes: statSync(file).size });
  }
  const measured = await measure(
    probe,
    bundles.map((b, index) => ({
      key: String(index),
      bundle: b.file,
      events: () => [NO_OP_EVENT],
      expect: [],
    })),
    runs,
    log,
  );
  return bundles.map((b, index) => {
    const m = measured.get(String(index)) as Measured;
    return { label: b.label, bytes: b.bytes, load: m.load, cpu: m.cpu };
  });
}
