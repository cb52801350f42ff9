// Measured in a fresh Node process: how long the Lambda bundle takes to load (`require`, which runs
// the module-level code) and to handle its first event, then (optionally) a second, warm one.
// Usage: node cold-start.cjs <resultFile> <bundle|-> <eventFile> [<secondEventFile>]
import { readFileSync, writeFileSync } from 'node:fs';

const booted = performance.now();
const [resultFile, bundle, eventFile, secondEventFile] = process.argv.slice(2);

type Handler = (event: unknown, context: unknown) => Promise<{ results: { outcome: string }[] }>;

const context = (requestId: string) => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'eks-endpoint-guard-remediator',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:eks-endpoint-guard-remediator',
  memoryLimitInMB: '512',
  awsRequestId: requestId,
  logGroupName: '/aws/lambda/eks-endpoint-guard-remediator',
  logStreamName: '2025/01/01/[$LATEST]00000000000000000000000000000000',
  getRemainingTimeInMillis: () => 300_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

async function invoke(handler: Handler | undefined, file: string, requestId: string) {
  // A bundle of one dependency (load-time attribution) has no handler: load only.
  if (!handler) return { ms: 0, cpuMs: 0, outcome: 'n/a' };
  const event = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const response = await handler(event, context(requestId));
  return {
    ms: performance.now() - started,
    cpuMs: cpuMs(cpu),
    outcome: response.results.map((r) => r.outcome).join(',') || 'none',
  };
}

async function main(): Promise<void> {
  if (!resultFile || !bundle || !eventFile) {
    throw new Error('usage: cold-start <resultFile> <bundle|-> <event> [<second event>]');
  }
  if (bundle === '-') {
    // Baseline: a Node process that loads nothing.
    writeFileSync(resultFile, JSON.stringify({ bootMs: booted, loadMs: 0, loadCpuMs: 0, outcome: 'none' }));
    return;
  }
  const cpu = process.cpuUsage();
  const beforeLoad = performance.now();
  const { handler } = require(bundle) as { handler?: Handler };
  const loadMs = performance.now() - beforeLoad;
  // CPU time (all threads) is less disturbed than wall time by other work on the machine.
  const loadCpuMs = cpuMs(cpu);
  const first = await invoke(handler, eventFile, '00000000-0000-4000-8000-000000000001');
  const second = secondEventFile
    ? await invoke(handler, secondEventFile, '00000000-0000-4000-8000-000000000002')
    : undefined;
  writeFileSync(
    resultFile,
    JSON.stringify({
      bootMs: booted,
      loadMs,
      loadCpuMs,
      invokeMs: first.ms,
      invokeCpuMs: first.cpuMs,
      outcome: first.outcome,
      ...(second ? { secondMs: second.ms, secondOutcome: second.outcome } : {}),
    }),
  );
}

main().then(
  // Open sockets of the SDK must not keep the process (and the benchmark) waiting.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
