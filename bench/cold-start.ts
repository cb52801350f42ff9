import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';
import { bundleChild, runChild } from './lib/child';
import { awsEnv, NOWHERE, REGION, ROOT, tmpDir } from './lib/env';
import { type BenchContext, environmentTable, publish, table } from './lib/report';
import { kb, ms, msRange, type Summary, summarize } from './lib/stats';

/**
 * Cold start of the remediator Lambda: its bundle built exactly as the stack's NodejsFunction
 * builds it (verified against `cdk synth` in a full run), its size, and the time a fresh Node
 * process takes to load it and to handle one event that needs no AWS call.
 */

const ENTRY = join(ROOT, 'functions', 'remediator', 'handler.ts');
const NO_OP_EVENT = join(ROOT, 'events', 'update-config-failed.json');
const INIT_TARGET_MS = 100;
const SIZE_TARGET_BYTES = 250_000;

interface StackBundling {
  runtime: string;
  target: string;
  bundleAwsSdk: boolean;
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
    sdkExternals: excludeSmithy ? ['@aws-sdk/*', '@smithy/*'] : ['@aws-sdk/*'],
  };
}

interface Variant {
  key: string;
  label: string;
  /** Changes to the stack's options, for the what-if variants. */
  change?: string;
  sdkExternal: boolean;
  plugins?: Plugin[];
  mainFields?: string[];
  /** NodejsFunction's `sourcesContent` (default true: the sources are copied into the map). */
  sourcesContent?: boolean;
}

interface Built {
  variant: Variant;
  dir: string;
  file: string;
  bytes: number;
  gzipBytes: number;
  mapBytes: number;
  mapGzipBytes: number;
  metafile: Metafile;
  sha256: string;
}

/** The esbuild options NodejsFunction passes (`--bundle --target --platform=node --format=cjs --minify --sourcemap --external:…`). */
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
    ...(variant.sourcesContent === false ? { sourcesContent: false } : {}),
    ...(variant.plugins ? { plugins: variant.plugins } : {}),
  };
}

async function buildVariant(stack: StackBundling, variant: Variant): Promise<Built> {
  // Under the repository root, so that an external @aws-sdk resolves from node_modules.
  const dir = tmpDir('cold-start', variant.key);
  const file = join(dir, 'index.js');
  const result = await build(stackOptions(stack, variant, file));
  if (!result.metafile) throw new Error('esbuild returned no metafile');
  const code = readFileSync(file);
  const map = readFileSync(`${file}.map`);
  return {
    variant,
    dir,
    file,
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    mapBytes: map.length,
    mapGzipBytes: gzipSync(map).length,
    metafile: result.metafile,
    sha256: createHash('sha256').update(code).digest('hex'),
  };
}

/** What-if: `import * as z from 'zod'` instead of `import { z } from 'zod'` (lets esbuild drop unused zod). */
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

/** What-if: no X-Ray tracing (Powertools Tracer and its middleware replaced by no-ops). */
const noTracerPlugin: Plugin = {
  name: 'what-if-no-tracer',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@aws-lambda-powertools\/tracer(\/middleware)?$/ }, (args) => ({
      path: args.path,
      namespace: 'no-tracer',
    }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'no-tracer' }, () => ({
      contents:
        'export class Tracer { captureAWSv3Client(client) { return client; } }\nexport const captureLambdaHandler = () => ({ before: () => undefined });\n',
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

/**
 * What-if: EC2, SNS and SQS not loaded at initialisation (they are used only to check a VPC before
 * turning the public endpoint off, to alert and to defer). Replaced by inert classes, which is the
 * most a lazy `import()` of them could save; a no-op event never calls them.
 */
const deferClientsPlugin: Plugin = {
  name: 'what-if-deferred-clients',
  setup(pluginBuild) {
    const names = Object.keys(DEFERRABLE_CLIENTS).map((n) => n.replace(/[/-]/g, '\\$&'));
    pluginBuild.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({
      path: args.path,
      namespace: 'deferred-client',
    }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'deferred-client' }, (args) => ({
      contents: [
        'class Inert { constructor(input) { this.input = input; this.middlewareStack = { add() {}, use() {} }; }',
        "  send() { return Promise.reject(new Error('not loaded in this what-if bundle')); } destroy() {} }",
        ...(DEFERRABLE_CLIENTS[args.path] ?? []).map((name) => `export class ${name} extends Inert {}`),
      ].join('\n'),
      loader: 'js',
    }));
  },
};

function mainVariants(stack: StackBundling): Variant[] {
  const deployed = stack.bundleAwsSdk ? 'SDK bundled (as deployed)' : 'SDK bundled';
  const runtime = stack.bundleAwsSdk ? 'runtime SDK (external)' : 'runtime SDK (external, as deployed)';
  return [
    { key: 'sdk-bundled', label: deployed, sdkExternal: false },
    { key: 'sdk-external', label: runtime, sdkExternal: true },
  ];
}

const WHAT_IF: Variant[] = [
  {
    key: 'zod-ns',
    label: 'SDK bundled, zod namespace import',
    change: "`import * as z from 'zod'` in config.ts, core/policy.ts, core/triggers.ts",
    sdkExternal: false,
    plugins: [zodNamespacePlugin],
  },
  {
    key: 'esm-sdk',
    label: 'SDK bundled from its ES modules',
    change: "bundling `mainFields: ['module', 'main']` (tree-shakes the SDK clients)",
    sdkExternal: false,
    mainFields: ['module', 'main'],
  },
  {
    key: 'esm-sdk-zod-ns-no-tracer',
    label: 'SDK bundled (ES modules), zod namespace, no tracer',
    change: 'the two above, and no Powertools Tracer (X-Ray)',
    sdkExternal: false,
    mainFields: ['module', 'main'],
    plugins: [zodNamespacePlugin, noTracerPlugin],
  },
  {
    key: 'no-sources-content',
    label: 'SDK bundled, source map without sources',
    change: 'bundling `sourcesContent: false` (the map keeps the mappings, not a copy of every source)',
    sdkExternal: false,
    sourcesContent: false,
  },
  {
    key: 'deferred-clients',
    label: 'SDK bundled, EC2/SNS/SQS not loaded at init',
    change: 'EC2, SNS and SQS clients stubbed (upper bound of loading them lazily)',
    sdkExternal: false,
    plugins: [deferClientsPlugin],
  },
  {
    key: 'esm-sdk-zod-ns-no-tracer-deferred',
    label: 'all four bundled-SDK changes',
    change: 'ES modules + zod namespace + no tracer + EC2/SNS/SQS not loaded at init',
    sdkExternal: false,
    mainFields: ['module', 'main'],
    plugins: [zodNamespacePlugin, noTracerPlugin, deferClientsPlugin],
  },
  {
    key: 'external-zod-ns',
    label: 'runtime SDK, zod namespace import',
    change: 'SDK external + zod namespace import',
    sdkExternal: true,
    plugins: [zodNamespacePlugin],
  },
  {
    key: 'external-zod-ns-no-tracer',
    label: 'runtime SDK, zod namespace, no tracer',
    change: 'SDK external + zod namespace import + no Powertools Tracer',
    sdkExternal: true,
    plugins: [zodNamespacePlugin, noTracerPlugin],
  },
];

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
    label: 'all six clients (functions/aws/clients.ts)',
    source: "import { createAwsClients } from './functions/aws/clients'; createAwsClients('us-east-1');",
  },
  {
    label: 'zod, `import { z }` (as in the code)',
    source: "import { z } from 'zod'; z.object({ a: z.string().min(1) }).parse({ a: 'x' });",
  },
  {
    label: 'zod, `import * as z`',
    source: "import * as z from 'zod'; z.object({ a: z.string().min(1) }).parse({ a: 'x' });",
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
  {
    label: 'Powertools Parameters (SSMProvider, with its SSM client)',
    source: "import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm'; new SSMProvider();",
  },
  { label: '@middy/core', source: "import middy from '@middy/core'; middy(() => undefined);" },
];

interface ProbeResult {
  bootMs: number;
  loadMs: number;
  invokeMs: number;
  loadCpuMs: number;
  invokeCpuMs: number;
  outcome: string;
  rssKib?: number;
}

/** The function's environment as the stack sets it, with AWS pointed at a dead loopback port. */
function lambdaEnv(nodeOptions: string | undefined): NodeJS.ProcessEnv {
  const base = awsEnv(NOWHERE);
  const env: NodeJS.ProcessEnv = {
    PATH: base.PATH,
    HOME: base.HOME,
    ...Object.fromEntries(Object.entries(base).filter(([name]) => name.startsWith('AWS_'))),
    AWS_REGION: REGION,
    POLICY_PARAMETER_NAME: '/eks-endpoint-guard/policy',
    TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:eks-endpoint-guard-alerts',
    RECHECK_QUEUE_URL: 'http://127.0.0.1:9/123456789012/eks-endpoint-guard-recheck',
    AUDIT_TABLE_NAME: 'eks-endpoint-guard-audit',
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
  return env;
}

interface Measured {
  /** From process start to the probe's first line: Node's own start, not the bundle's. */
  boot: Summary;
  load: Summary;
  invoke: Summary;
  total: Summary;
  /** CPU time of load + first invocation. */
  cpu: Summary;
  outcomes: Set<string>;
}

/**
 * Runs each case `runs` times, interleaved (case A, B, C, A, B, C, …) so that a busy moment on the
 * machine hits every case alike. One fresh process per run.
 */
async function measure(
  probe: string,
  cases: { key: string; bundle: string; nodeOptions?: string }[],
  runs: number,
  log: (text: string) => void,
): Promise<Map<string, Measured>> {
  const samples = new Map(cases.map((c) => [c.key, [] as ProbeResult[]]));
  for (let run = 0; run < runs; run++) {
    for (const c of cases) {
      const { result } = await runChild<ProbeResult>(probe, [c.bundle, NO_OP_EVENT], {
        env: lambdaEnv(c.nodeOptions),
        timeoutMs: 60_000,
      });
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
      invoke: summarize(results.map((r) => r.invokeMs)),
      total: summarize(results.map((r) => r.loadMs + r.invokeMs)),
      cpu: summarize(results.map((r) => r.loadCpuMs + r.invokeCpuMs)),
      outcomes: new Set(results.map((r) => r.outcome)),
    });
  }
  return measured;
}

/** Bytes in the output per input file, largest first. */
function topInputs(built: Built, count: number): { path: string; bytes: number }[] {
  const output = Object.values(built.metafile.outputs).find((o) => o.entryPoint !== undefined);
  if (!output) return [];
  return Object.entries(output.inputs)
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
  const output = Object.values(built.metafile.outputs).find((o) => o.entryPoint !== undefined);
  if (!output) return [];
  const bytes = new Map<string, number>();
  for (const [path, info] of Object.entries(output.inputs)) {
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
  if (synth.status !== 0)
    return `could not compare: cdk synth failed (${synth.stderr.trim().split('\n').pop()})`;
  const assets = readdirSync(outdir)
    .filter((name) => name.startsWith('asset.'))
    .map((name) => join(outdir, name, 'index.js'))
    .filter((file) => existsSync(file));
  const hashes = assets.map((file) => createHash('sha256').update(readFileSync(file)).digest('hex'));
  const same = hashes.includes(ours.sha256);
  const size = assets.map((file) => statSync(file).size).sort((a, b) => b - a)[0] ?? 0;
  rmSync(outdir, { recursive: true, force: true });
  return same
    ? `identical to the \`cdk synth\` asset (sha256 ${ours.sha256.slice(0, 12)}…)`
    : `differs from the \`cdk synth\` asset (largest asset ${kb(size)}): the options here no longer match the stack`;
}

export async function coldStart(ctx: BenchContext): Promise<void> {
  const runs = ctx.quick ? 10 : 20;
  const stack = await stackBundling();
  ctx.log(`runtime ${stack.runtime} → esbuild target ${stack.target}; BUNDLE_AWS_SDK=${stack.bundleAwsSdk}`);
  const probe = bundleChild('cold-start');

  const variants = mainVariants(stack);
  const built: Built[] = [];
  for (const variant of variants) built.push(await buildVariant(stack, variant));
  const deployed = built.find((b) => b.variant.sdkExternal !== stack.bundleAwsSdk) ?? (built[0] as Built);

  ctx.log(`initialisation: ${runs} fresh processes per case`);
  const cases = [
    { key: 'baseline', bundle: '-' },
    ...built.flatMap((b) => [
      { key: `${b.variant.key}+maps`, bundle: b.file, nodeOptions: '--enable-source-maps' },
      // Without the flag the stack sets: a full run only (keeps the quick run short).
      ...(ctx.quick ? [] : [{ key: b.variant.key, bundle: b.file }]),
    ]),
  ];
  const measured = await measure(probe, cases, runs, ctx.log);
  for (const [key, m] of measured) {
    if (key !== 'baseline' && (m.outcomes.size !== 1 || !m.outcomes.has('ignored'))) {
      throw new Error(`${key}: the no-op event ended ${[...m.outcomes].join(', ')}, expected ignored`);
    }
  }

  let whatIf: { built: Built; m: Measured }[] = [];
  let attribution: { label: string; bytes: number; load: Summary; cpu: Summary }[] = [];
  let synthCheck = 'not compared in a quick run';
  if (!ctx.quick) {
    synthCheck = compareWithSynth(deployed, ctx.log);
    ctx.log(`  ${synthCheck}`);
    ctx.log('what-if variants (the stack options with one change each)');
    const whatIfBuilt: Built[] = [];
    for (const variant of WHAT_IF) whatIfBuilt.push(await buildVariant(stack, variant));
    const whatIfMeasured = await measure(
      probe,
      whatIfBuilt.map((b) => ({ key: b.variant.key, bundle: b.file, nodeOptions: '--enable-source-maps' })),
      Math.max(10, runs / 2),
      ctx.log,
    );
    whatIf = whatIfBuilt.map((b) => ({ built: b, m: whatIfMeasured.get(b.variant.key) as Measured }));
    for (const { built: b, m } of whatIf) {
      if (!m.outcomes.has('ignored') || m.outcomes.size !== 1) {
        throw new Error(`${b.variant.key}: the no-op event ended ${[...m.outcomes].join(', ')}`);
      }
    }
    ctx.log('attribution: each dependency bundled alone');
    attribution = await attribute(stack, probe, Math.max(10, runs / 2), ctx.log);
  }

  const row = (b: Built) => [
    b.variant.label,
    kb(b.bytes),
    kb(b.gzipBytes),
    kb(b.mapBytes),
    kb(b.mapGzipBytes),
    b.bytes <= SIZE_TARGET_BYTES ? 'yes' : `no, ${(b.bytes / SIZE_TARGET_BYTES).toFixed(1)}× the target`,
  ];
  const baseline = measured.get('baseline') as Measured;
  const initRows = built.flatMap((b) =>
    (ctx.quick ? [true] : [true, false]).map((maps) => {
      const m = measured.get(maps ? `${b.variant.key}+maps` : b.variant.key) as Measured;
      return [
        b.variant.label,
        maps ? '`--enable-source-maps` (as the stack sets)' : 'none',
        msRange(m.load),
        msRange(m.invoke),
        `${ms(m.total.median)} (p95 ${ms(m.total.p95)})`,
        ms(m.cpu.median),
        m.total.median <= INIT_TARGET_MS
          ? 'yes'
          : `no, +${ms(m.total.median - INIT_TARGET_MS)} ms (${(m.total.median / INIT_TARGET_MS).toFixed(1)}×)`,
      ];
    }),
  );

  const sections: string[] = [
    '## Cold start',
    environmentTable(ctx.run, { Runtime: `${stack.runtime} (esbuild target ${stack.target})` }),
    `**Method.** The handler (\`functions/remediator/handler.ts\`) is bundled with esbuild using the options the stack's NodejsFunction passes: platform node, target ${stack.target} (from \`REMEDIATOR_RUNTIME\`), CJS, minify, linked source map, and \`${stack.sdkExternals.join('`, `')}\` external when the SDK is not bundled (the \`sdkV3ExcludeSmithyPackages\` flag in cdk.json); \`BUNDLE_AWS_SDK\` is \`${stack.bundleAwsSdk}\` in the stack, both ways are measured. Bundle check: ${synthCheck}. Each initialisation figure is the median (min–max) of ${runs} fresh Node processes per case, cases interleaved. In each process: *load* is the \`require\` of the bundle (all module-level code: configuration parsing, six SDK clients, Logger, Metrics, Tracer, middy); *first invocation* is one call of the handler with \`events/update-config-failed.json\` (a failed CloudTrail call → \`ignored\`, no AWS call; every run checked that outcome), with the stack's environment variables and AWS pointed at a closed loopback port. The runtime-SDK variant resolves \`@aws-sdk/*\` and \`@smithy/*\` from node_modules, as Lambda resolves them from the runtime's copy. Not included: the Lambda runtime's own start and the download of the code; Node here is ${process.version}, not the ${stack.runtime} runtime; the tracer is inactive outside Lambda (no X-Ray segments are sent), so its per-call cost is not in *first invocation*. Node itself takes ${msRange(baseline.boot)} ms to start here before any of this (not included in the figures).`,
    '### Bundle size (target: index.js ≤ 250 kB minified)',
    table(['variant', 'index.js', 'gzip', 'index.js.map', 'map gzip', 'within target'], built.map(row)),
    '### Initialisation (target: ≤ 100 ms, load + first invocation)',
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
    table(
      ['package', 'bytes in output', 'share', 'pulled in by'],
      topPackages(deployed, 12).map((p) => [
        `\`${p.name}\``,
        kb(p.bytes),
        `${((p.bytes / deployed.bytes) * 100).toFixed(1)} %`,
        p.via || '(the entry itself)',
      ]),
    ),
  ];
  const external = built.find((b) => b.variant.sdkExternal);
  if (external) {
    sections.push(
      `Without the SDK (${external.variant.label}), by package:`,
      table(
        ['package', 'bytes in output', 'share', 'pulled in by'],
        topPackages(external, 8).map((p) => [
          `\`${p.name}\``,
          kb(p.bytes),
          `${((p.bytes / external.bytes) * 100).toFixed(1)} %`,
          p.via || '(the entry itself)',
        ]),
      ),
    );
  }
  if (whatIf.length > 0) {
    sections.push(
      '### What-if bundles (measured, not applied)',
      `The stack's options with one change each, made at bundle time by the benchmark (an esbuild plugin rewrites the import or stubs the module); production code is unchanged. Initialisation with \`--enable-source-maps\`, ${whatIf[0]?.m.total.n} fresh processes each; every variant still ends the no-op event \`ignored\`.`,
      table(
        [
          'variant',
          'change',
          'index.js',
          'gzip',
          'index.js.map',
          'load, ms',
          'first invocation, ms',
          'load + first, ms',
          'CPU time, ms',
        ],
        [deployed, ...whatIf.map((w) => w.built)].map((b) => {
          const m =
            b === deployed
              ? (measured.get(`${deployed.variant.key}+maps`) as Measured)
              : (whatIf.find((w) => w.built === b)?.m as Measured);
          return [
            b.variant.label,
            b.variant.change ?? 'none (the stack as it is; from the table above)',
            kb(b.bytes),
            kb(b.gzipBytes),
            kb(b.mapBytes),
            msRange(m.load),
            msRange(m.invoke),
            ms(m.total.median),
            ms(m.cpu.median),
          ];
        }),
      ),
    );
  }
  if (attribution.length > 0) {
    sections.push(
      '### Load time by dependency',
      `Each dependency bundled alone with the same options (no source map) and loaded by ${attribution[0]?.load.n} fresh processes; the rows overlap (every SDK client row includes the shared SDK core), so they do not add up to the whole.`,
      table(
        ['module', 'index.js', 'load (require), ms', 'CPU time, ms'],
        attribution.map((a) => [a.label, kb(a.bytes), msRange(a.load), ms(a.cpu.median)]),
      ),
    );
  }
  publish(ctx, 'cold-start', sections.join('\n\n'));
}

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
    bundles.map((b, index) => ({ key: String(index), bundle: b.file })),
    runs,
    log,
  );
  return bundles.map((b, index) => ({
    label: b.label,
    bytes: b.bytes,
    load: (measured.get(String(index)) as Measured).load,
    cpu: (measured.get(String(index)) as Measured).cpu,
  }));
}
